import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../platform/api.ts';
import { peoplePolicy } from './people.policy.ts';
import { Invite } from './people.schemas.ts';
import type { PeopleService } from './people.service.ts';

const Person = Type.Object({
  id: Type.String(),
  display_name: Type.String(),
  network_role: Type.String(),
  status: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
});

export function peopleApi(app: FastifyInstance, people: PeopleService) {
  const tags = ['people'];
  app.get(
    '/api/v1/people',
    { config: { access: peoplePolicy.rule('list') }, schema: { tags, summary: 'Everyone in the network (conveners)', response: { 200: Type.Array(Person), ...errorResponses } } },
    async (req) => (await people.overview(req.actor)).people,
  );

  app.post(
    '/api/v1/invitations',
    {
      config: { access: peoplePolicy.rule('invite') },
      schema: { tags, summary: 'Invite someone by email (conveners)', body: Invite, response: { 202: Type.Object({ status: Type.Literal('invited') }), ...errorResponses } },
    },
    async (req, reply) => {
      await people.invite(req.actor, req.body as Invite, req.intl.locale);
      return reply.status(202).send({ status: 'invited' as const });
    },
  );
}
