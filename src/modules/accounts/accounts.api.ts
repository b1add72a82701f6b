import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../platform/api.ts';
import { accountsPolicy } from './accounts.policy.ts';
import { CreateApiToken, SetLocale } from './accounts.schemas.ts';
import { IdParam } from '../../platform/schemas.ts';
import type { AccountsService } from './accounts.service.ts';

const Me = Type.Object({
  id: Type.String({ format: 'uuid' }),
  displayName: Type.String(),
  networkRole: Type.String(),
  locale: Type.Union([Type.String(), Type.Null()]),
  totpEnabled: Type.Boolean(),
  memberships: Type.Array(Type.Object({ organisationId: Type.String(), name: Type.String(), role: Type.String() })),
});
const Session = Type.Object({
  id: Type.String(),
  device: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  last_seen_at: Type.String({ format: 'date-time' }),
  current: Type.Boolean(),
});
const Token = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export function accountsApi(app: FastifyInstance, accounts: AccountsService) {
  const own = { access: accountsPolicy.rule('manageOwnAccount') };
  const tags = ['account'];

  app.get('/api/v1/me', { config: own, schema: { tags, summary: 'Your account', response: { 200: Me, ...errorResponses } } }, async (req) =>
    accounts.account(req.actor),
  );

  app.patch(
    '/api/v1/me',
    { config: own, schema: { tags, summary: 'Change your language', body: SetLocale, response: { 200: Me, ...errorResponses } } },
    async (req) => {
      await accounts.setLocale(req.actor, (req.body as SetLocale).locale);
      return accounts.account(req.actor);
    },
  );

  app.get('/api/v1/me/sessions', { config: own, schema: { tags, summary: 'Your active sessions', response: { 200: Type.Array(Session), ...errorResponses } } }, async (req) =>
    accounts.listSessions(req.actor),
  );

  app.delete('/api/v1/me/sessions/:id', { config: own, schema: { tags, summary: 'End a session', params: IdParam, response: { 204: Type.Null(), ...errorResponses } } }, async (req, reply) => {
    await accounts.revokeSession(req.actor, (req.params as { id: string }).id);
    return reply.status(204).send();
  });

  app.get('/api/v1/me/tokens', { config: own, schema: { tags, summary: 'Your personal access tokens', response: { 200: Type.Array(Token), ...errorResponses } } }, async (req) =>
    accounts.listApiTokens(req.actor),
  );

  app.post(
    '/api/v1/me/tokens',
    {
      config: own,
      schema: {
        tags,
        summary: 'Create a personal access token (shown once)',
        description:
          'Only with a signed-in session (cookie and CSRF token) and your password in `tokenPassword`: a token cannot create tokens (403).',
        body: CreateApiToken,
        response: { 201: Type.Object({ id: Type.String(), token: Type.String() }), ...errorResponses, 403: Type.Ref('ApiError'), 429: Type.Ref('ApiError') },
      },
    },
    async (req, reply) => reply.status(201).send(await accounts.createApiToken(req.actor, req.body as CreateApiToken)),
  );

  app.delete('/api/v1/me/tokens/:id', { config: own, schema: { tags, summary: 'Revoke a token', params: IdParam, response: { 204: Type.Null(), ...errorResponses } } }, async (req, reply) => {
    await accounts.revokeApiToken(req.actor, (req.params as { id: string }).id);
    return reply.status(204).send();
  });
}
