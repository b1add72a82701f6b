import type { FastifyInstance } from 'fastify';
import { formAction } from '../../platform/http.tsx';
import { viewContext } from '../../views/context.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { IdParam } from '../../platform/schemas.ts';
import { peoplePolicy } from './people.policy.ts';
import { Invite } from './people.schemas.ts';
import type { PeopleService } from './people.service.ts';
import { PeoplePage } from './views/people.tsx';

export function peoplePages(app: FastifyInstance, people: PeopleService) {
  app.get('/people', { config: { access: peoplePolicy.rule('list') } }, async (req, reply) => {
    return reply.page(<PeoplePage ctx={viewContext(req, reply)} data={await people.overview(req.actor)} />);
  });

  app.post('/people/invitations', { config: { access: peoplePolicy.rule('invite') } }, async (req, reply) => {
    const values = cleanForm(req.body);
    const done = await formAction(
      reply,
      async () => {
        await people.invite(req.actor, parse(Invite, values), req.intl.locale);
        return true;
      },
      async (errors) => <PeoplePage ctx={viewContext(req, reply)} data={await people.overview(req.actor)} state={{ values, errors }} />,
    );
    if (!done) return reply;
    return reply.redirect('/people?done=invited', 303);
  });

  app.post('/people/:id/disable', { config: { access: peoplePolicy.rule('setStatus') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    await people.setStatus(req.actor, id, 'disabled');
    return reply.redirect('/people?done=disabled', 303);
  });

  app.post('/people/:id/enable', { config: { access: peoplePolicy.rule('setStatus') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    await people.setStatus(req.actor, id, 'active');
    return reply.redirect('/people?done=enabled', 303);
  });
}
