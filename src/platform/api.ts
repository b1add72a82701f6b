import fastifySwagger from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { PUBLIC } from './policy.ts';

/** Shared pieces of the JSON API: the error shape and the OpenAPI 3.1 document. */
export const ApiError = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      fields: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  },
  { $id: 'ApiError' },
);

export const errorResponses = {
  400: Type.Ref('ApiError'),
  401: Type.Ref('ApiError'),
  404: Type.Ref('ApiError'),
};

export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  app.addSchema(ApiError);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Northstar API',
        version: '1',
        description:
          'JSON over the same services as the pages. Authenticate with a personal access token (Authorization: Bearer …) or a browser session (then send the CSRF token in x-csrf-token on writes). Errors: { "error": { "code", "message", "fields" } } in the language of Accept-Language or the account.',
      },
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'Personal access token from account settings' },
        },
      },
      security: [{ token: [] }],
    },
    // Only the API is described; the HTML pages are not part of the contract.
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/v1') ? schema : { ...(schema ?? {}), hide: true }, url }),
  });
}

export function registerApiDocsRoute(app: FastifyInstance): void {
  app.get('/api/v1/openapi.json', { config: { access: PUBLIC }, schema: { hide: true } }, async () => app.swagger());
}
