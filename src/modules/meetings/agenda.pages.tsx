import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { formAction, type PostedForm } from '../../platform/http.tsx';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import {
  AcceptInput,
  CONVENE_LISTS,
  AGENDA_LONG_TEXT,
  ConveneInput,
  ConveneQuery,
  DeclineInput,
  ItemParams,
  MarksInput,
  MoveInput,
  PickInput,
  PollInput,
  ProposeInput,
  TimeboxInput,
} from './agenda.schemas.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import type { MeetingsServices } from './services.ts';
import { type AgendaForms, AgendaPage } from './views/agenda.tsx';
import { ConvenePage } from './views/agenda-convene.tsx';
import { type PollForms, PollPage } from './views/agenda-poll.tsx';

/** The item POSTs on the agenda page: what each runs, and the notice it comes back with. */
type ItemVerb = 'accept' | 'decline' | 'move' | 'time';

export function agendaPages(app: FastifyInstance, services: MeetingsServices, _config: Config): void {
  const { agenda, actions } = services;
  const attend = meetingsPolicy.rule('attend');
  const convene = meetingsPolicy.rule('convene');

  // ---- the agenda -------------------------------------------------------------------------------

  const agendaPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: AgendaForms = {}) => {
    const data = await agenda.agenda(req.actor, id);
    // Part C's open actions of the series' earlier meetings, under "matters arising".
    const matters = await actions.mattersArising(req.actor, id);
    return <AgendaPage ctx={viewContext(req, reply)} data={data} matters={matters} forms={forms} />;
  };

  app.get('/meetings/:id/agenda', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await agendaPage(req, reply, id));
  });

  app.post('/meetings/:id/agenda/items', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body, AGENDA_LONG_TEXT);
    const ok = await formAction(
      reply,
      () => agenda.propose(req.actor, id, parse(ProposeInput, values)),
      (errors, summaryKey) => agendaPage(req, reply, id, { propose: { values, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/meetings/${id}/agenda?done=agendaProposed#mine`, 303);
  });

  const itemAction = (verb: ItemVerb, done: string, run: (req: FastifyRequest, id: string, itemId: string, values: Record<string, unknown>) => Promise<void>) => {
    app.post(`/meetings/:id/agenda/items/:itemId/${verb}`, { config: { access: attend } }, async (req, reply) => {
      const { id, itemId } = parse(ItemParams, req.params);
      const values = cleanForm(req.body, AGENDA_LONG_TEXT);
      const ok = await formAction(
        reply,
        async () => {
          await run(req, id, itemId, values);
          return true;
        },
        (errors, summaryKey) => agendaPage(req, reply, id, { item: { id: itemId, form: { values, errors, summaryKey } } }),
      );
      if (!ok) return reply;
      return reply.redirect(`/meetings/${id}/agenda?done=${done}#item-${itemId}`, 303);
    });
  };
  itemAction('accept', 'agendaAccepted', (req, id, itemId, v) => agenda.accept(req.actor, id, itemId, parse(AcceptInput, v)));
  itemAction('decline', 'agendaDeclined', (req, id, itemId, v) => agenda.decline(req.actor, id, itemId, parse(DeclineInput, v)));
  itemAction('move', 'agendaMoved', (req, id, itemId, v) => agenda.move(req.actor, id, itemId, parse(MoveInput, v)));
  itemAction('time', 'agendaTimed', (req, id, itemId, v) => agenda.timebox(req.actor, id, itemId, parse(TimeboxInput, v)));

  app.post('/meetings/:id/agenda/publish', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const ok = await formAction(
      reply,
      async () => {
        await agenda.publish(req.actor, id);
        return true;
      },
      (errors, summaryKey) => agendaPage(req, reply, id, { publish: { values: {}, errors, summaryKey } }),
    );
    if (!ok) return reply;
    return reply.redirect(`/meetings/${id}/agenda?done=agendaPublished`, 303);
  });

  // ---- convening from an alert --------------------------------------------------------------------

  const convenePage = async (req: FastifyRequest, reply: FastifyReply, alertId: string, form?: PostedForm) => {
    const data = await agenda.conveneForm(req.actor, alertId);
    const state: FormState = form ?? {
      values: { ...data.defaults, alert: alertId, organisations: data.subscribed.map((o) => o.id) },
      errors: {},
    };
    return <ConvenePage ctx={viewContext(req, reply)} data={data} state={state} prefill={!form} />;
  };

  app.get('/meetings/convene', { config: { access: convene } }, async (req, reply) => {
    const query = cleanForm(req.query);
    // Without an alert this is the ordinary form's job.
    if (query.alert === undefined) return reply.redirect('/meetings/new', 303);
    const { alert } = parse(ConveneQuery, query);
    return reply.page(await convenePage(req, reply, alert));
  });

  app.post('/meetings/convene', { config: { access: convene } }, async (req, reply) => {
    const values = cleanForm(req.body, AGENDA_LONG_TEXT, CONVENE_LISTS);
    const alertId = typeof values.alert === 'string' ? values.alert : '';
    const { alert } = parse(ConveneQuery, { alert: alertId });
    const id = await formAction(
      reply,
      () => agenda.convene(req.actor, parse(ConveneInput, { ...values, alert })),
      (errors, summaryKey) => convenePage(req, reply, alert, { values, errors, summaryKey }),
    );
    if (!id) return reply;
    return reply.redirect(`/meetings/${id}?done=agendaConvened`, 303);
  });

  // ---- the time poll ---------------------------------------------------------------------------

  const pollPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: PollForms = {}) => (
    <PollPage ctx={viewContext(req, reply)} data={await agenda.poll(req.actor, id)} forms={forms} />
  );

  app.get('/meetings/:id/poll', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await pollPage(req, reply, id));
  });

  const pollAction = (path: string, form: keyof PollForms, lists: readonly string[], done: string, run: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<void>) => {
    app.post(path, { config: { access: attend } }, async (req, reply) => {
      const { id } = parse(IdParam, req.params);
      const values = cleanForm(req.body, [], lists);
      const ok = await formAction(
        reply,
        async () => {
          await run(req, id, values);
          return true;
        },
        (errors, summaryKey) => pollPage(req, reply, id, { [form]: { values, errors, summaryKey } }),
      );
      if (!ok) return reply;
      return reply.redirect(done.startsWith('/') ? done.replace(':id', id) : `/meetings/${id}/poll?done=${done}`, 303);
    });
  };
  pollAction('/meetings/:id/poll', 'open', ['slots'], 'pollOpened', (req, id, v) => agenda.openPoll(req.actor, id, parse(PollInput, v)));
  pollAction('/meetings/:id/poll/marks', 'mark', ['canMake'], 'pollMarked', (req, id, v) => agenda.mark(req.actor, id, parse(MarksInput, v)));
  pollAction('/meetings/:id/poll/pick', 'pick', [], '/meetings/:id?done=pollPicked', (req, id, v) => agenda.pick(req.actor, id, parse(PickInput, v)));
}
