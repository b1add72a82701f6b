import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { formAction, recordAction } from '../../platform/http.tsx';
import { viewContext } from '../../views/context.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { IdParam } from '../../platform/schemas.ts';
import { withoutActingFor } from './acting.ts';
import type { FormState } from '../../views/form.ts';
import { engagementPolicy } from './engagement.policy.ts';
import { ApplyInput, AwardInput, ConsentInput, MediaRequestInput, OpportunityInput, PaidInput, PaymentParams, PreferencesInput } from './engagement.schemas.ts';
import type { MediaService } from './media.service.ts';
import type { OpportunitiesService } from './opportunities.service.ts';
import { MediaRequestsPage } from './views/media.tsx';
import { OpportunitiesPage, OpportunityFormPage, type OpportunityForms, OpportunityPage, PreferencesPage, preferencesState } from './views/opportunities.tsx';

const LONG_TEXT = ['description', 'note', 'topic', 'trainingOffered', 'supportOffered'];

/** The opportunities board and media requests (ADR 0016). */
export function opportunitiesPages(
  app: FastifyInstance,
  services: { opportunities: OpportunitiesService; media: MediaService },
  minePage: (req: FastifyRequest, reply: FastifyReply, mediaForm?: FormState & { requestId?: string }) => Promise<VNode>,
) {
  const { opportunities, media } = services;

  app.get('/opportunities', { config: { access: PUBLIC } }, async (req, reply) =>
    reply.page(<OpportunitiesPage ctx={viewContext(req, reply)} data={await opportunities.list(req.actor)} />),
  );

  app.get('/opportunities/new', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) =>
    reply.page(<OpportunityFormPage ctx={viewContext(req, reply)} state={{ values: { kind: 'translation', rateBasis: 'hour', currency: 'GBP' }, errors: {} }} />),
  );

  app.post('/opportunities', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => {
    const values = cleanForm(req.body, LONG_TEXT, ['languages']);
    const { chosen, rest } = withoutActingFor(values);
    const id = await formAction(
      reply,
      () => opportunities.create(req.actor, parse(OpportunityInput, rest), chosen),
      (errors, summaryKey) => <OpportunityFormPage ctx={viewContext(req, reply)} state={{ values, errors, summaryKey }} />,
    );
    if (!id) return reply;
    return reply.redirect(`/opportunities/${id}?done=opportunityPosted`, 303);
  });

  app.get('/opportunities/preferences', { config: { access: engagementPolicy.rule('takePart') } }, async (req, reply) =>
    reply.page(<PreferencesPage ctx={viewContext(req, reply)} state={preferencesState(await opportunities.preferences(req.actor))} />),
  );

  app.post('/opportunities/preferences', { config: { access: engagementPolicy.rule('takePart') } }, async (req, reply) => {
    const values = cleanForm(req.body, [], ['skills', 'languages']);
    const ok = await formAction(
      reply,
      async () => {
        await opportunities.savePreferences(req.actor, parse(PreferencesInput, values));
        return true;
      },
      (errors, summaryKey) => <PreferencesPage ctx={viewContext(req, reply)} state={{ values, errors, summaryKey }} />,
    );
    if (!ok) return reply;
    return reply.redirect('/opportunities/preferences?done=preferencesSaved', 303);
  });

  const page = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: OpportunityForms = {}) => (
    <OpportunityPage ctx={viewContext(req, reply)} data={await opportunities.opportunity(req.actor, id)} forms={forms} />
  );

  app.get('/opportunities/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await page(req, reply, id));
  });

  const action = (
    path: string,
    rule: Parameters<typeof engagementPolicy.rule>[0],
    form: keyof OpportunityForms,
    run: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<void>,
    done: string,
  ) =>
    recordAction(app, path, engagementPolicy.rule(rule), {
      longText: LONG_TEXT,
      run,
      refused: (req, reply, id, posted) => page(req, reply, id, { [form]: posted }),
      done: (id) => `/opportunities/${id}?done=${done}`,
    });

  action('/opportunities/:id/apply', 'takePart', 'apply', (req, id, v) => opportunities.apply(req.actor, id, parse(ApplyInput, v)), 'applied');
  action('/opportunities/:id/unapply', 'takePart', 'apply', (req, id) => opportunities.unapply(req.actor, id), 'unapplied');
  // Acting on a posting is done for the organisation that posted it: `actingFor` (ADR 0016).
  action('/opportunities/:id/award', 'organise', 'award', (req, id, v) => {
    const { chosen, rest } = withoutActingFor(v);
    return opportunities.award(req.actor, id, parse(AwardInput, rest), chosen);
  }, 'awarded');
  action('/opportunities/:id/withdraw', 'organise', 'withdraw', (req, id, v) => opportunities.withdraw(req.actor, id, withoutActingFor(v).chosen), 'opportunityWithdrawn');

  app.post('/opportunities/:id/payments/:paymentId/paid', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => {
    const { id, paymentId } = parse(PaymentParams, req.params);
    const values = cleanForm(req.body);
    const { chosen, rest } = withoutActingFor(values);
    const ok = await formAction(
      reply,
      async () => {
        await opportunities.markPaid(req.actor, id, paymentId, parse(PaidInput, rest), chosen);
        return true;
      },
      (errors, summaryKey) => page(req, reply, id, { paid: { values, errors, summaryKey, paymentId } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/opportunities/${id}?done=paymentRecorded#payments`, 303);
  });

  // ---- media requests ----------------------------------------------------------------------

  const mediaPage = async (req: FastifyRequest, reply: FastifyReply, form?: FormState) => (
    <MediaRequestsPage ctx={viewContext(req, reply)} data={await media.list(req.actor)} form={form} />
  );

  app.get('/media-requests', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => reply.page(await mediaPage(req, reply)));

  app.post('/media-requests', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => {
    const values = cleanForm(req.body, LONG_TEXT);
    const { chosen, rest } = withoutActingFor(values);
    const ok = await formAction(
      reply,
      () => media.create(req.actor, parse(MediaRequestInput, rest), chosen),
      (errors, summaryKey) => mediaPage(req, reply, { values, errors, summaryKey }),
    );
    if (!ok) return reply;
    return reply.redirect('/media-requests?done=mediaRequested', 303);
  });

  const memberAction = (path: string, run: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<void>, done: string) =>
    recordAction(app, path, engagementPolicy.rule('takePart'), {
      run,
      refused: (req, reply, id, posted) => minePage(req, reply, { ...posted, requestId: id }),
      done: () => `/consultations/mine?done=${done}#media`,
    });

  memberAction('/media-requests/:id/answer', (req, id, v) => media.answer(req.actor, id, parse(ConsentInput, v)), 'mediaAnswered');
  memberAction('/media-requests/:id/withdraw', (req, id) => media.withdraw(req.actor, id), 'mediaWithdrawn');
}
