import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { isAppError } from '../../platform/errors.ts';
import { formAction } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import { GOAL_LISTS, GOAL_LONG_TEXT, GoalIdParam, GoalInput, GoalLinkInput, GoalUpdateInput, LeadAnswer, SupportEdit, SupportVersionParam, YearQuery } from './goals.schemas.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import type { MeetingsServices } from './services.ts';
import { AnnualGoalsPage, GoalPage, type GoalForms, GoalsPage } from './views/goals.tsx';
import { SupportEditPage, SupportPage } from './views/support.tsx';

/** A year from a query string, as a number; anything else is left for the schema to refuse. */
function yearQuery(query: unknown): YearQuery {
  const values = cleanForm(query);
  if (typeof values.year === 'string' && /^\d{4}$/.test(values.year)) values.year = Number(values.year);
  return parse(YearQuery, values);
}

/** A form's year as a number (the schema refuses what is not one). */
function withYear(values: Record<string, unknown>): Record<string, unknown> {
  return typeof values.year === 'string' && /^\d{4}$/.test(values.year.trim()) ? { ...values, year: Number(values.year.trim()) } : values;
}

export function goalsPages(app: FastifyInstance, services: MeetingsServices, _config: Config): void {
  const { goals } = services;
  const read = { config: { access: meetingsPolicy.rule('attend') } };
  const write = { config: { access: meetingsPolicy.rule('goals') } };

  const listPage = async (req: FastifyRequest, reply: FastifyReply, year: number | undefined, form?: FormState) => (
    <GoalsPage ctx={viewContext(req, reply)} data={await goals.list(req.actor, year)} {...(form ? { form } : {})} />
  );

  app.get('/goals', read, async (req, reply) => {
    try {
      return reply.page(await listPage(req, reply, yearQuery(req.query).year));
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_input') throw err;
      return reply.page(await listPage(req, reply, undefined, { values: {}, errors: err.fields, summaryKey: 'errors.goalFilter' }), 400);
    }
  });

  app.post('/goals', write, async (req, reply) => {
    const values = cleanForm(req.body, GOAL_LONG_TEXT, GOAL_LISTS);
    const id = await formAction(
      reply,
      () => goals.create(req.actor, parse(GoalInput, withYear(values))),
      (errors, summaryKey) => listPage(req, reply, undefined, { values, errors, summaryKey }),
    );
    if (!id) return reply;
    return reply.redirect(`/goals/${id}?done=goalCreated`, 303);
  });

  app.get('/goals/print', read, async (req, reply) => {
    const year = yearQuery(req.query).year ?? new Date().getUTCFullYear();
    return reply.page(<AnnualGoalsPage ctx={viewContext(req, reply)} data={await goals.annual(req.actor, year)} />);
  });

  const goalPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: GoalForms = {}) => (
    <GoalPage ctx={viewContext(req, reply)} data={await goals.goal(req.actor, id)} forms={forms} />
  );

  app.get('/goals/:id', read, async (req, reply) => {
    // Who may not read goals learns nothing, not even that the address is malformed.
    goals.reader(req.actor);
    const { id } = parse(GoalIdParam, req.params);
    return reply.page(await goalPage(req, reply, id));
  });

  app.post('/goals/:id/leads', write, async (req, reply) => {
    const { id } = parse(GoalIdParam, req.params);
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await goals.answerLead(req.actor, id, parse(LeadAnswer, values));
        return true;
      },
      (errors, summaryKey) => goalPage(req, reply, id, { lead: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/goals/${id}?done=${values.answer === 'decline' ? 'goalLeadDeclined' : 'goalLeadAccepted'}`, 303);
  });

  app.post('/goals/:id/updates', write, async (req, reply) => {
    const { id } = parse(GoalIdParam, req.params);
    const values = cleanForm(req.body, GOAL_LONG_TEXT);
    const ok = await formAction(
      reply,
      async () => {
        await goals.addUpdate(req.actor, id, parse(GoalUpdateInput, values));
        return true;
      },
      (errors, summaryKey) => goalPage(req, reply, id, { update: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/goals/${id}?done=goalUpdated`, 303);
  });

  app.post('/goals/:id/links', write, async (req, reply) => {
    const { id } = parse(GoalIdParam, req.params);
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await goals.link(req.actor, id, parse(GoalLinkInput, values));
        return true;
      },
      (errors, summaryKey) => goalPage(req, reply, id, { link: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/goals/${id}?done=goalLinked`, 303);
  });

  // ---- the self-care and mutual support page (anyone reads it; the convener keeps it) --------

  app.get('/support', { config: { access: PUBLIC } }, async (req, reply) => reply.page(<SupportPage ctx={viewContext(req, reply)} data={await goals.support()} />));

  app.get('/support/edit', { config: { access: meetingsPolicy.rule('support') } }, async (req, reply) =>
    reply.page(<SupportEditPage ctx={viewContext(req, reply)} data={await goals.support()} />),
  );

  app.get('/support/:version', { config: { access: PUBLIC } }, async (req, reply) => {
    const { version } = parse(SupportVersionParam, req.params);
    return reply.page(<SupportPage ctx={viewContext(req, reply)} data={await goals.support(Number(version))} />);
  });

  app.post('/support', { config: { access: meetingsPolicy.rule('support') } }, async (req, reply) => {
    const values = cleanForm(req.body, ['body']);
    const version = await formAction(
      reply,
      () => goals.publishSupport(req.actor, parse(SupportEdit, values)),
      async (errors, summaryKey) => <SupportEditPage ctx={viewContext(req, reply)} data={await goals.support()} state={{ values, errors, summaryKey }} />,
    );
    if (!version) return reply;
    return reply.redirect('/support?done=supportPublished', 303);
  });
}
