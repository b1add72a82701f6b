import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formAction, recordAction } from '../../platform/http.tsx';
import { viewContext } from '../../views/context.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { IdParam } from '../../platform/schemas.ts';
import { withoutActingFor } from './acting.ts';
import type { FormState } from '../../views/form.ts';
import type { CommunitiesService } from './communities.service.ts';
import type { ConsultationsService } from './consultations.service.ts';
import { engagementPolicy } from './engagement.policy.ts';
import type { MediaService } from './media.service.ts';
import type { OpportunitiesService } from './opportunities.service.ts';
import { opportunitiesPages } from './opportunities.pages.tsx';
import { CoOrganiserParams, CommunityInput, ConsultationInput, FeedbackInput, JoinInput, PaidInput, PaymentParams, ParticipationInput } from './engagement.schemas.ts';
import { CommunitiesPage, CommunityPage } from './views/communities.tsx';
import { type ConsultationForms, ConsultationFormPage, ConsultationPage, ConsultationsPage, MinePage, TrackRecordPage } from './views/consultations.tsx';

const LONG_TEXT = ['description', 'dimensions', 'purpose', 'decision', 'canChange', 'cannotChange', 'interpretation', 'accessibility', 'noCompensationReason', 'missingWho', 'missingWhy', 'missingSteps', 'heard', 'did', 'didNot'];

export function engagementPages(
  app: FastifyInstance,
  services: { communities: CommunitiesService; consultations: ConsultationsService; opportunities: OpportunitiesService; media: MediaService },
) {
  const { communities, consultations, opportunities, media } = services;

  // ---- communities -------------------------------------------------------------------------

  const communitiesPage = async (req: FastifyRequest, reply: FastifyReply, form?: FormState) => (
    <CommunitiesPage ctx={viewContext(req, reply)} data={await communities.list(req.actor)} form={form} />
  );

  app.get('/communities', { config: { access: PUBLIC } }, async (req, reply) => reply.page(await communitiesPage(req, reply)));

  app.post('/communities', { config: { access: engagementPolicy.rule('defineCommunity') } }, async (req, reply) => {
    const values = cleanForm(req.body, LONG_TEXT, ['languages']);
    const { chosen, rest } = withoutActingFor(values);
    const id = await formAction(
      reply,
      () => communities.create(req.actor, parse(CommunityInput, rest), chosen),
      (errors, summaryKey) => communitiesPage(req, reply, { values, errors, summaryKey }),
    );
    if (!id) return reply;
    return reply.redirect(`/communities/${id}?done=communityCreated`, 303);
  });

  const communityPage = async (req: FastifyRequest, reply: FastifyReply, id: string, form?: FormState) => (
    <CommunityPage ctx={viewContext(req, reply)} data={await communities.community(req.actor, id)} form={form} />
  );

  app.get('/communities/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await communityPage(req, reply, id));
  });

  app.post('/communities/:id/join', { config: { access: engagementPolicy.rule('belong') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    await communities.join(req.actor, id);
    return reply.redirect(`/communities/${id}?done=communityJoined`, 303);
  });

  app.post('/communities/:id/leave', { config: { access: engagementPolicy.rule('belong') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    await communities.leave(req.actor, id);
    return reply.redirect(`/communities/${id}?done=communityLeft`, 303);
  });

  app.post('/communities/:id/describe', { config: { access: engagementPolicy.rule('belong') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    // Radio groups are named d_<dimension id>; "no answer" arrives empty and is dropped.
    const answers: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (k.startsWith('d_') && typeof v === 'string') answers[k.slice(2)] = v;
    const ok = await formAction(
      reply,
      async () => {
        await communities.describe(req.actor, id, answers);
        return true;
      },
      (errors, summaryKey) => communityPage(req, reply, id, { values, errors, summaryKey }),
    );
    if (!ok) return reply;
    return reply.redirect(`/communities/${id}?done=answersSaved`, 303);
  });

  // ---- consultations -----------------------------------------------------------------------

  app.get('/consultations', { config: { access: PUBLIC } }, async (req, reply) =>
    reply.page(<ConsultationsPage ctx={viewContext(req, reply)} data={await consultations.list(req.actor)} />),
  );

  app.get('/consultations/track-record', { config: { access: PUBLIC } }, async (req, reply) =>
    reply.page(<TrackRecordPage ctx={viewContext(req, reply)} data={await consultations.trackRecord()} />),
  );

  /** Everything of the participant's own: consultations, work applied for, media requests, money. */
  const minePage = async (req: FastifyRequest, reply: FastifyReply, mediaForm?: FormState & { requestId?: string }) => {
    const mine = await consultations.mine(req.actor); // refuses anyone who is not a participant
    const personId = req.actor.kind === 'person' ? req.actor.id : '';
    const [applications, requests] = await Promise.all([opportunities.applicationsOf(personId), media.forPerson(personId)]);
    return <MinePage ctx={viewContext(req, reply)} data={{ ...mine, applications, media: requests }} mediaForm={mediaForm} />;
  };

  app.get('/consultations/mine', { config: { access: engagementPolicy.rule('takePart') } }, async (req, reply) => reply.page(await minePage(req, reply)));

  const formPage = async (req: FastifyRequest, reply: FastifyReply, action: string, state: FormState) => (
    <ConsultationFormPage ctx={viewContext(req, reply)} action={action} state={state} communities={await communities.options()} isOpen={state.values.state === 'open'} />
  );

  app.get('/consultations/new', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) =>
    reply.page(await formPage(req, reply, '/consultations', { values: { format: 'meeting' }, errors: {} })),
  );

  const consultationValues = (body: unknown) => cleanForm(body, LONG_TEXT, ['communities', 'languages']);

  app.post('/consultations', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => {
    const values = consultationValues(req.body);
    const { chosen, rest } = withoutActingFor(values);
    const result = await formAction(
      reply,
      () => consultations.create(req.actor, parse(ConsultationInput, rest), chosen),
      (errors, summaryKey) => formPage(req, reply, '/consultations', { values, errors, summaryKey }),
    );
    if (!result) return reply;
    return reply.redirect(`/consultations/${result.id}?done=${result.opened ? 'consultationOpened' : 'consultationSaved'}`, 303);
  });

  app.get('/consultations/:id/edit', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await formPage(req, reply, `/consultations/${id}`, { values: await consultations.formValues(req.actor, id), errors: {} }));
  });

  app.post('/consultations/:id', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const current = await consultations.formValues(req.actor, id);
    const values = { ...consultationValues(req.body), state: current.state };
    const { state: _s, ...posted } = values;
    const { chosen, rest } = withoutActingFor(posted);
    const result = await formAction(
      reply,
      () => consultations.update(req.actor, id, parse(ConsultationInput, rest), chosen),
      (errors, summaryKey) => formPage(req, reply, `/consultations/${id}`, { values, errors, summaryKey }),
    );
    if (!result) return reply;
    return reply.redirect(`/consultations/${id}?done=${result.opened ? 'consultationOpened' : 'consultationSaved'}`, 303);
  });

  const consultationPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: ConsultationForms = {}) => (
    <ConsultationPage ctx={viewContext(req, reply)} data={await consultations.consultation(req.actor, id)} forms={forms} />
  );

  app.get('/consultations/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await consultationPage(req, reply, id));
  });

  const action = (
    path: string,
    rule: Parameters<typeof engagementPolicy.rule>[0],
    form: keyof ConsultationForms,
    run: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<void>,
    done: string,
    anchor = '',
  ) =>
    recordAction(app, path, engagementPolicy.rule(rule), {
      longText: LONG_TEXT,
      run,
      refused: (req, reply, id, posted) => consultationPage(req, reply, id, { [form]: posted }),
      done: (id) => `/consultations/${id}?done=${done}${anchor}`,
    });

  // Forms that act in an organisation's name carry `actingFor` (ADR 0016): taken out here,
  // checked by the service against the organisation the record belongs to.
  const acting = (v: Record<string, unknown>) => withoutActingFor(v);
  action('/consultations/:id/close', 'organise', 'close', (req, id, v) => consultations.close(req.actor, id, acting(v).chosen), 'consultationClosed');
  action('/consultations/:id/co-organise', 'organise', 'coOrganise', (req, id, v) => consultations.requestCoOrganise(req.actor, id, acting(v).chosen), 'coRequested');
  action('/consultations/:id/join', 'takePart', 'join', (req, id, v) => consultations.join(req.actor, id, parse(JoinInput, v)), 'consultationJoined');
  action('/consultations/:id/leave', 'takePart', 'leave', (req, id) => consultations.leave(req.actor, id), 'consultationLeft');
  action('/consultations/:id/participation', 'organise', 'participation', (req, id, v) => {
    const { chosen, rest } = acting(v);
    return consultations.recordParticipation(req.actor, id, parse(ParticipationInput, rest), chosen);
  }, 'participationRecorded', '#payments');
  action('/consultations/:id/feedback', 'organise', 'feedback', (req, id, v) => {
    const { chosen, rest } = acting(v);
    return consultations.publishFeedback(req.actor, id, parse(FeedbackInput, rest), chosen);
  }, 'loopClosed');

  // The lead organisation's answer to a request to co-organise (nothing changes before it).
  for (const answer of ['accept', 'decline'] as const) {
    app.post(`/consultations/:id/co-organisers/:organisationId/${answer}`, { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => {
      const { id, organisationId } = parse(CoOrganiserParams, req.params);
      const values = cleanForm(req.body);
      const ok = await formAction(
        reply,
        async () => {
          await consultations.answerCoOrganise(req.actor, id, organisationId, answer === 'accept' ? 'accepted' : 'declined', withoutActingFor(values).chosen);
          return true;
        },
        (errors, summaryKey) => consultationPage(req, reply, id, { coAnswer: { values, errors, summaryKey, organisationId } }),
      );
      if (!ok) return reply;
      return reply.redirect(`/consultations/${id}?done=${answer === 'accept' ? 'coAccepted' : 'coDeclined'}#co-requests`, 303);
    });
  }

  app.post('/consultations/:id/payments/:paymentId/paid', { config: { access: engagementPolicy.rule('organise') } }, async (req, reply) => {
    const { id, paymentId } = parse(PaymentParams, req.params);
    const values = cleanForm(req.body);
    const { chosen, rest } = withoutActingFor(values);
    const ok = await formAction(
      reply,
      async () => {
        await consultations.markPaid(req.actor, id, paymentId, parse(PaidInput, rest), chosen);
        return true;
      },
      (errors, summaryKey) => consultationPage(req, reply, id, { paid: { values, errors, summaryKey, paymentId } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/consultations/${id}?done=paymentRecorded#payments`, 303);
  });

  opportunitiesPages(app, { opportunities, media }, minePage);
}
