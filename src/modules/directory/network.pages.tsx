import type { FastifyInstance } from 'fastify';
import { formAction } from '../../platform/http.tsx';
import { viewContext } from '../../views/context.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { networkPolicy } from './directory.policy.ts';
import { AssociateProfile } from './network.schemas.ts';
import type { NetworkService } from './network.service.ts';
import { AssociateProfilePage, NetworkPage } from './views/network.tsx';

export function networkPages(app: FastifyInstance, network: NetworkService) {
  app.get('/network', { config: { access: networkPolicy.rule('browse') } }, async (req, reply) =>
    reply.page(<NetworkPage ctx={viewContext(req, reply)} data={await network.list(req.actor)} />),
  );

  app.get('/network/profile', { config: { access: networkPolicy.rule('editOwn') } }, async (req, reply) => {
    const own = await network.own(req.actor);
    const values = own ? { expertise: own.expertise, countries: own.countries, languages: own.languages, organisation: own.organisation ?? undefined } : {};
    return reply.page(<AssociateProfilePage ctx={viewContext(req, reply)} state={{ values, errors: {} }} />);
  });

  app.post('/network/profile', { config: { access: networkPolicy.rule('editOwn') } }, async (req, reply) => {
    const values = cleanForm(req.body, ['expertise'], ['countries', 'languages']);
    if (Array.isArray(values.countries)) values.countries = values.countries.map((c) => (typeof c === 'string' ? c.toUpperCase() : c));
    const done = await formAction(
      reply,
      async () => {
        await network.save(req.actor, parse(AssociateProfile, values));
        return true;
      },
      (errors) => <AssociateProfilePage ctx={viewContext(req, reply)} state={{ values, errors }} />,
    );
    if (!done) return reply;
    return reply.redirect('/network?done=profileSaved', 303);
  });
}
