import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { formAction, recordAction } from '../../platform/http.tsx';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import { ActionInput, ACTIONS_LONG_TEXT, ActionsQuery, AnswerInput, NewActionQuery, OfferInput, StatusInput } from './actions.schemas.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import type { MeetingsServices } from './services.ts';
import { type ActionForm, ActionPage, ActionsListPage, MyActionsPage, NewActionPage } from './views/actions.tsx';

/** The query of a list page, without the `done` notice the page reads for itself. */
function listQuery(query: unknown): ActionsQuery {
  const values = cleanForm(query);
  delete values.done;
  return parse(ActionsQuery, values);
}

export function actionsPages(app: FastifyInstance, services: MeetingsServices, _config: Config): void {
  const { actions, goals, agenda } = services;
  const attend = meetingsPolicy.rule('attend');
  const act = meetingsPolicy.rule('act');
  // Whether an alert may be linked is early warning's to decide, through the module's needs.
  const alertVisible = async (actor: Parameters<typeof agenda.warnings.alerts.citable>[0], id: string) => !!(await agenda.warnings.alerts.citable(actor, id));

  app.get('/actions', { config: { access: attend } }, async (req, reply) => reply.page(<ActionsListPage ctx={viewContext(req, reply)} data={await actions.list(req.actor, listQuery(req.query))} />));

  app.get('/actions/mine', { config: { access: attend } }, async (req, reply) => reply.page(<MyActionsPage ctx={viewContext(req, reply)} data={await actions.mine(req.actor, listQuery(req.query))} />));

  const newPage = async (req: FastifyRequest, reply: FastifyReply, opts: { meeting?: string | undefined; decision?: string | undefined }, form?: FormState) => (
    <NewActionPage ctx={viewContext(req, reply)} data={await actions.form(req.actor, goals, opts)} {...(form ? { form } : {})} />
  );

  app.get('/actions/new', { config: { access: act } }, async (req, reply) => {
    const { meeting, decision } = parse(NewActionQuery, req.query ?? {});
    return reply.page(await newPage(req, reply, { meeting, decision }));
  });

  app.post('/actions', { config: { access: act } }, async (req, reply) => {
    const values = cleanForm(req.body);
    const { [ACTING_FOR_FIELD]: chosen, ...rest } = values;
    // The meeting the form was for, if any and if it is an id, to show the same form again.
    const meeting = typeof values.meeting === 'string' && /^[0-9a-f-]{36}$/i.test(values.meeting) ? values.meeting : undefined;
    const id = await formAction(
      reply,
      () => actions.create(req.actor, parse(ActionInput, rest), chosen, { goals, alertVisible }),
      async (errors, summaryKey) => {
        try {
          return await newPage(req, reply, { meeting }, { values, errors, summaryKey });
        } catch {
          // The meeting itself was refused (not theirs to act on): the plain form, with why.
          return newPage(req, reply, {}, { values: { ...values, meeting: undefined }, errors, summaryKey });
        }
      },
    );
    if (!id) return reply;
    return reply.redirect(`/actions/${id}?done=actionCreated`, 303);
  });

  const actionPage = async (req: FastifyRequest, reply: FastifyReply, id: string, failed?: ActionForm, form?: FormState) => (
    <ActionPage ctx={viewContext(req, reply)} data={await actions.page(req.actor, id)} {...(failed && form ? { failed, form } : {})} />
  );

  app.get('/actions/:id', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await actionPage(req, reply, id));
  });

  recordAction(app, '/actions/:id/status', attend, {
    longText: ACTIONS_LONG_TEXT,
    run: (req, id, values) => actions.setStatus(req.actor, id, parse(StatusInput, values)),
    refused: (req, reply, id, form) => actionPage(req, reply, id, 'status', form),
    done: (id) => `/actions/${id}?done=actionUpdated`,
  });

  recordAction(app, '/actions/:id/offer', attend, {
    run: (req, id, values) => actions.offer(req.actor, id, parse(OfferInput, values)),
    refused: (req, reply, id, form) => actionPage(req, reply, id, 'offer', form),
    done: (id) => `/actions/${id}?done=actionOffered`,
  });

  recordAction(app, '/actions/:id/answer', attend, {
    run: (req, id, values) => actions.answer(req.actor, id, parse(AnswerInput, values)),
    refused: (req, reply, id, form) => actionPage(req, reply, id, undefined, form),
    done: (id) => `/actions/${id}?done=actionAnswered`,
  });
}
