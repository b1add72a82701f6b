import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { formAction, recordAction } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import { advocacyPolicy } from './advocacy.policy.ts';
import type { AdvocacyServices } from './services.ts';
import { RecipientsSection } from './views/recipients-section.tsx';
import {
  CirculateInput,
  CommentInput,
  CorrectionInput,
  CosignInput,
  DeclineInput,
  DrafterParams,
  InviteDrafterInput,
  NameSignatoryInput,
  NewStatementQuery,
  OrganisationParam,
  STATEMENT_LISTS,
  STATEMENT_LONG_TEXT,
  SignatoryParams,
  StatementInput,
  TranslationInput,
  VersionParams,
} from './statements.schemas.ts';
import { CorrectionPage, SignatoriesPage, type StatementForms, StatementFormPage, StatementPage, StatementsPage, VersionPage } from './views/statements.tsx';

/** The form's values without its `actingFor` choice, which no input schema carries (ADR 0016). */
function acting(values: Record<string, unknown>): { chosen: unknown; rest: Record<string, unknown> } {
  const { [ACTING_FOR_FIELD]: chosen, ...rest } = values;
  return { chosen, rest };
}

export function statementsPages(app: FastifyInstance, services: AdvocacyServices, _config: Config) {
  const { statements, recipients, commitments } = services;
  const formValues = (body: unknown) => cleanForm(body, STATEMENT_LONG_TEXT, STATEMENT_LISTS);

  app.get('/statements', { config: { access: PUBLIC } }, async (req, reply) => reply.page(<StatementsPage ctx={viewContext(req, reply)} data={await statements.list(req.actor)} />));

  // ---- new and edit ------------------------------------------------------------------------

  app.get('/statements/new', { config: { access: advocacyPolicy.rule('draft') } }, async (req, reply) => {
    const { alert } = parse(NewStatementQuery, req.query ?? {});
    const form = await statements.newForm(req.actor, alert);
    return reply.page(<StatementFormPage ctx={viewContext(req, reply)} action="/statements" state={{ values: form.values, errors: {} }} signOptions={form.signOptions} editing={false} circulated={false} />);
  });

  const refusedForm = async (req: FastifyRequest, reply: FastifyReply, action: string, state: FormState, editing: boolean, circulated: boolean) => {
    const alerts = Array.isArray(state.values.alerts) ? (state.values.alerts as unknown[]).filter((a): a is string => typeof a === 'string' && /^[0-9a-f-]{36}$/i.test(a)) : [];
    const signOptions = await statements.signOptionsFor(req.actor, alerts);
    return <StatementFormPage ctx={viewContext(req, reply)} action={action} state={state} signOptions={signOptions} editing={editing} circulated={circulated} />;
  };

  app.post('/statements', { config: { access: advocacyPolicy.rule('draft') } }, async (req, reply) => {
    const values = formValues(req.body);
    const { chosen, rest } = acting(values);
    const id = await formAction(
      reply,
      () => statements.create(req.actor, parse(StatementInput, rest), chosen),
      (errors, summaryKey) => refusedForm(req, reply, '/statements', { values, errors, summaryKey }, false, false),
    );
    if (!id) return reply;
    return reply.redirect(`/statements/${id}?done=statementCreated`, 303);
  });

  app.get('/statements/:id/edit', { config: { access: advocacyPolicy.rule('draft') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const form = await statements.editForm(req.actor, id);
    const ctx = viewContext(req, reply);
    // A published version never changes: its owners get the correction form instead.
    if (form.statement.state === 'published') return reply.page(<CorrectionPage ctx={ctx} id={id} state={{ values: form.values, errors: {} }} />);
    return reply.page(
      <StatementFormPage ctx={ctx} action={`/statements/${id}/edit`} state={{ values: form.values, errors: {} }} signOptions={form.signOptions} editing circulated={form.statement.state !== 'drafting'} />,
    );
  });

  app.post('/statements/:id/edit', { config: { access: advocacyPolicy.rule('draft') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = formValues(req.body);
    const { chosen, rest } = acting(values);
    const done = await formAction(
      reply,
      () => statements.update(req.actor, id, parse(StatementInput, rest), chosen),
      async (errors, summaryKey) => {
        const current = await statements.editForm(req.actor, id);
        return refusedForm(req, reply, `/statements/${id}/edit`, { values, errors, summaryKey }, true, current.statement.state !== 'drafting');
      },
    );
    if (!done) return reply;
    return reply.redirect(`/statements/${id}?done=statementSaved`, 303);
  });

  app.post('/statements/:id/correction', { config: { access: advocacyPolicy.rule('draft') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    // Only the text: a correction does not change what the statement is about.
    const values = cleanForm(req.body, STATEMENT_LONG_TEXT);
    const { chosen, rest } = acting(values);
    const done = await formAction(
      reply,
      () => statements.correct(req.actor, id, parse(CorrectionInput, rest), chosen),
      async (errors, summaryKey) => {
        await statements.editForm(req.actor, id); // owners only: anyone else 404s here too
        return <CorrectionPage ctx={viewContext(req, reply)} id={id} state={{ values, errors, summaryKey }} />;
      },
    );
    if (!done) return reply;
    return reply.redirect(`/statements/${id}?done=statementCorrected`, 303);
  });

  // ---- the statement and its versions ----------------------------------------------------

  // The page, with who it went to and what they answered (recipients) and, once published, its
  // schema.org JSON-LD (commitments' exchange): each part of the module draws its own section.
  const statementPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: StatementForms = {}) => {
    const ctx = viewContext(req, reply);
    const data = await statements.page(req.actor, id);
    const [section, jsonLd] = await Promise.all([recipients.publicSection(id, data.owner), commitments.statementJsonLd(id)]);
    return <StatementPage ctx={ctx} data={data} forms={forms} recipients={<RecipientsSection ctx={ctx} data={section} />} {...(jsonLd ? { jsonLd } : {})} />;
  };

  app.get('/statements/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await statementPage(req, reply, id));
  });

  app.get('/statements/:id/versions/:version', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id, version } = parse(VersionParams, req.params);
    return reply.page(<VersionPage ctx={viewContext(req, reply)} data={await statements.version(req.actor, id, Number(version))} />);
  });

  const action = (
    path: string,
    rule: Parameters<typeof advocacyPolicy.rule>[0],
    form: keyof StatementForms,
    run: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<unknown>,
    done: string,
    anchor = '',
  ) =>
    recordAction(app, path, advocacyPolicy.rule(rule), {
      longText: STATEMENT_LONG_TEXT,
      run: async (req, id, values) => {
        await run(req, id, values);
      },
      refused: (req, reply, id, posted) => statementPage(req, reply, id, { [form]: posted }),
      done: (id) => `/statements/${id}?done=${done}${anchor}`,
    });

  action('/statements/:id/drafters', 'draft', 'drafters', (req, id, v) => statements.inviteDrafter(req.actor, id, parse(InviteDrafterInput, acting(v).rest), acting(v).chosen), 'statementDrafterInvited', '#drafting');
  action('/statements/:id/translations', 'draft', 'translation', (req, id, v) => statements.translate(req.actor, id, parse(TranslationInput, acting(v).rest), acting(v).chosen), 'statementTranslated');
  action('/statements/:id/comments', 'comment', 'comment', (req, id, v) => statements.comment(req.actor, id, parse(CommentInput, acting(v).rest), acting(v).chosen), 'statementCommented', '#comments');
  action('/statements/:id/circulate', 'draft', 'circulate', (req, id, v) => statements.circulate(req.actor, id, parse(CirculateInput, acting(v).rest), acting(v).chosen), 'statementCirculated');
  action('/statements/:id/publish', 'draft', 'publish', (req, id, v) => statements.publish(req.actor, id, acting(v).chosen), 'statementPublished');
  // Signing answers the same whether or not the organisation (or anyone) had signed already.
  action('/statements/:id/sign', 'sign', 'sign', (req, id, v) => statements.sign(req.actor, id, acting(v).chosen, v.sha256), 'statementSigned', '#sign');
  action('/statements/:id/decline', 'sign', 'decline', (req, id, v) => statements.decline(req.actor, id, parse(DeclineInput, acting(v).rest), acting(v).chosen), 'statementDeclined', '#sign');
  action('/statements/:id/withdraw', 'sign', 'sign', (req, id, v) => statements.withdraw(req.actor, id, acting(v).chosen), 'statementWithdrawn', '#sign');
  action('/statements/:id/cosign', 'cosign', 'cosign', (req, id, v) => statements.cosign(req.actor, id, parse(CosignInput, v)), 'statementCosigned', '#sign');
  action('/statements/:id/cosign/withdraw', 'cosign', 'cosign', (req, id) => statements.withdrawCosign(req.actor, id), 'statementCosignWithdrawn', '#sign');

  // The invited organisation's answer: the organisation is in the path, and must be the person's.
  for (const answer of ['accept', 'decline'] as const) {
    app.post(`/statements/:id/drafters/:organisationId/${answer}`, { config: { access: advocacyPolicy.rule('draft') } }, async (req, reply) => {
      const { id, organisationId } = parse(DrafterParams, req.params);
      await statements.answerDrafter(req.actor, id, organisationId, answer === 'accept' ? 'accepted' : 'declined');
      // After declining there may be nothing left to read: the list is where they can go.
      return reply.redirect(answer === 'accept' ? `/statements/${id}?done=statementDraftingAccepted` : '/statements?done=statementDraftingDeclined', 303);
    });
  }

  // ---- naming signatories ------------------------------------------------------------------

  const signatoriesPage = async (req: FastifyRequest, reply: FastifyReply, form?: FormState) => (
    <SignatoriesPage ctx={viewContext(req, reply)} data={await statements.signatories(req.actor)} form={form} />
  );

  app.get('/organisations/signatories', { config: { access: advocacyPolicy.rule('answerSignatory') } }, async (req, reply) => reply.page(await signatoriesPage(req, reply)));

  app.post('/organisations/:id/signatories', { config: { access: advocacyPolicy.rule('nameSignatories') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await statements.nameSignatory(req.actor, id, parse(NameSignatoryInput, values));
        return true;
      },
      (errors, summaryKey) => signatoriesPage(req, reply, { values, errors, summaryKey }),
    );
    if (!ok) return reply;
    return reply.redirect('/organisations/signatories?done=statementSignatoryNamed', 303);
  });

  app.post('/organisations/:id/signatories/:personId/remove', { config: { access: advocacyPolicy.rule('nameSignatories') } }, async (req, reply) => {
    const { id, personId } = parse(SignatoryParams, req.params);
    await statements.removeSignatory(req.actor, id, personId);
    return reply.redirect('/organisations/signatories?done=statementSignatoryRemoved', 303);
  });

  for (const answer of ['accept', 'decline'] as const) {
    app.post(`/signatories/:organisationId/${answer}`, { config: { access: advocacyPolicy.rule('answerSignatory') } }, async (req, reply) => {
      const { organisationId } = parse(OrganisationParam, req.params);
      await statements.answerSignatory(req.actor, organisationId, answer === 'accept' ? 'accepted' : 'declined');
      return reply.redirect(`/organisations/signatories?done=${answer === 'accept' ? 'statementSignatoryAccepted' : 'statementSignatoryDeclined'}`, 303);
    });
  }
}
