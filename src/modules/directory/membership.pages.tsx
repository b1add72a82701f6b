import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formAction } from '../../platform/http.tsx';
import { viewContext } from '../../views/context.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { IdParam, TokenParam } from '../../platform/schemas.ts';
import type { FormState } from '../../views/form.ts';
import { membershipPolicy } from './directory.policy.ts';
import { PROFILE_LISTS, profileFromForm } from './directory.schemas.ts';
import { Answer, ApplicationNote, Apply, Decision, TermsEdit, VersionParam } from './membership.schemas.ts';
import type { MembershipService } from './membership.service.ts';
import { AnswerPage, ApplicationPage, AppliedPage, ApplyPage, QueuePage, type ReviewForms, TermsEditPage, TermsPage } from './views/membership.tsx';

export function membershipPages(app: FastifyInstance, membership: MembershipService) {
  const review = { access: membershipPolicy.rule('review') };

  // ---- terms of reference --------------------------------------------------------------------

  app.get('/terms', { config: { access: PUBLIC } }, async (req, reply) => reply.page(<TermsPage ctx={viewContext(req, reply)} data={await membership.terms()} />));

  app.get('/terms/:version', { config: { access: PUBLIC } }, async (req, reply) => {
    const { version } = parse(VersionParam, req.params);
    return reply.page(<TermsPage ctx={viewContext(req, reply)} data={await membership.terms(Number(version))} />);
  });

  app.get('/terms/edit', { config: { access: membershipPolicy.rule('editTerms') } }, async (req, reply) =>
    reply.page(<TermsEditPage ctx={viewContext(req, reply)} data={await membership.terms()} />),
  );

  app.post('/terms', { config: { access: membershipPolicy.rule('editTerms') } }, async (req, reply) => {
    const values = cleanForm(req.body, ['body']);
    const version = await formAction(
      reply,
      () => membership.publishTerms(req.actor, parse(TermsEdit, values)),
      async (errors) => <TermsEditPage ctx={viewContext(req, reply)} data={await membership.terms()} state={{ values, errors }} />,
    );
    if (!version) return reply;
    return reply.redirect('/terms?done=termsPublished', 303);
  });

  // ---- applying ------------------------------------------------------------------------------

  app.get('/apply', { config: { access: PUBLIC } }, async (req, reply) => {
    const { terms } = await membership.terms();
    return reply.page(<ApplyPage ctx={viewContext(req, reply)} terms={terms} />);
  });

  app.post('/apply', { config: { access: PUBLIC } }, async (req, reply) => {
    const values = profileFromForm(cleanForm(req.body, ['mission', 'statement'], PROFILE_LISTS));
    if (typeof values.termsVersion === 'string' && /^\d{1,6}$/.test(values.termsVersion)) values.termsVersion = Number(values.termsVersion);
    const done = await formAction(
      reply,
      async () => {
        await membership.apply(parse(Apply, values), req.intl.locale, req.client);
        return true;
      },
      async (errors, summaryKey) => {
        const { terms } = await membership.terms();
        return <ApplyPage ctx={viewContext(req, reply)} terms={terms} state={{ values, errors, summaryKey }} />;
      },
    );
    if (!done) return reply;
    return reply.redirect('/apply/sent', 303);
  });

  app.get('/apply/sent', { config: { access: PUBLIC } }, async (req, reply) => reply.page(<AppliedPage ctx={viewContext(req, reply)} />));

  app.get('/apply/answer/:token', { config: { access: PUBLIC } }, async (req, reply) => {
    const { token } = parse(TokenParam, req.params);
    const data = await membership.findByAnswerToken(token);
    return reply.page(<AnswerPage ctx={viewContext(req, reply)} data={data} action={`/apply/answer/${token}`} />);
  });

  app.post('/apply/answer/:token', { config: { access: PUBLIC } }, async (req, reply) => {
    const { token } = parse(TokenParam, req.params);
    const values = cleanForm(req.body, ['body']);
    const done = await formAction(
      reply,
      async () => {
        await membership.answer(token, parse(Answer, values));
        return true;
      },
      async (errors) => (
        <AnswerPage ctx={viewContext(req, reply)} data={await membership.findByAnswerToken(token)} action={`/apply/answer/${token}`} state={{ values, errors }} />
      ),
    );
    if (!done) return reply;
    return reply.redirect('/apply/sent?done=answerSent', 303);
  });

  // ---- the convener's review queue -----------------------------------------------------------

  app.get('/applications', { config: review }, async (req, reply) => reply.page(<QueuePage ctx={viewContext(req, reply)} data={await membership.queue(req.actor)} />));

  app.get('/applications/:id', { config: review }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(<ApplicationPage ctx={viewContext(req, reply)} data={await membership.application(req.actor, id)} />);
  });

  const rerender = (req: FastifyRequest, reply: FastifyReply, id: string, form: keyof ReviewForms, state: FormState) => async () =>
    <ApplicationPage ctx={viewContext(req, reply)} data={await membership.application(req.actor, id)} forms={{ [form]: state }} />;

  app.post('/applications/:id/comment', { config: review }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body, ['body']);
    const done = await formAction(
      reply,
      async () => {
        await membership.comment(req.actor, id, parse(ApplicationNote, values));
        return true;
      },
      (errors) => rerender(req, reply, id, 'comment', { values, errors })(),
    );
    if (!done) return reply;
    return reply.redirect(`/applications/${id}?done=commented#history`, 303);
  });

  app.post('/applications/:id/request-info', { config: review }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body, ['body']);
    const done = await formAction(
      reply,
      async () => {
        await membership.requestInfo(req.actor, id, parse(ApplicationNote, values));
        return true;
      },
      (errors) => rerender(req, reply, id, 'request', { values, errors })(),
    );
    if (!done) return reply;
    return reply.redirect(`/applications/${id}?done=infoRequested`, 303);
  });

  app.post('/applications/:id/decision', { config: review }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body, ['reason']);
    const result = await formAction(
      reply,
      () => membership.decide(req.actor, id, parse(Decision, values)),
      (errors) => rerender(req, reply, id, 'decision', { values, errors })(),
    );
    if (!result) return reply;
    return reply.redirect(result.slug ? `/directory/${result.slug}?done=approved` : '/applications?done=declined', 303);
  });
}
