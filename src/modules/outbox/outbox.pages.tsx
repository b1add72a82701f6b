import type { FastifyInstance } from 'fastify';
import { viewContext } from '../../views/context.ts';
import { parse } from '../../platform/validation.ts';
import { IdParam } from '../../platform/schemas.ts';
import { outboxPolicy } from './outbox.policy.ts';
import type { OutboxService } from './outbox.service.ts';
import { MessagePage, OutboxPage } from './views/outbox.tsx';

export function outboxPages(app: FastifyInstance, outbox: OutboxService) {
  const config = { access: outboxPolicy.rule('read') };
  app.get('/outbox', { config }, async (req, reply) => {
    return reply.page(<OutboxPage ctx={viewContext(req, reply)} messages={await outbox.list(req.actor)} smtp={outbox.smtpConfigured} />);
  });
  app.get('/outbox/:id', { config }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(<MessagePage ctx={viewContext(req, reply)} message={await outbox.read(req.actor, id)} />);
  });
}
