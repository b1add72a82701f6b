import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { formAction, recordAction } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import { eventJsonLd } from './exchange.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import { AnswerRoleInput, CheckInInput, CheckInQuery, MEETING_LISTS, MEETING_LONG_TEXT, MeetingInput, OfferRoleInput, ReplyInput, TimeZoneInput } from './meetings.schemas.ts';
import type { MeetingsServices } from './services.ts';
import { CheckInPage, MeetingFormPage, type MeetingForms, MeetingPage, MeetingsListPage, TimeZonePage } from './views/meetings.tsx';

/** The form's values without its `actingFor` choice, which no input schema carries (ADR 0016). */
function acting(values: Record<string, unknown>): { chosen: unknown; rest: Record<string, unknown> } {
  const { [ACTING_FOR_FIELD]: chosen, ...rest } = values;
  return { chosen, rest };
}

export function meetingsPages(app: FastifyInstance, services: MeetingsServices, config: Config): void {
  const { meetings } = services;
  const attend = meetingsPolicy.rule('attend');
  const formValues = (body: unknown) => cleanForm(body, MEETING_LONG_TEXT, MEETING_LISTS);
  const url = (path: string) => new URL(path, config.publicUrl).href;

  app.get('/meetings', { config: { access: PUBLIC } }, async (req, reply) => reply.page(<MeetingsListPage ctx={viewContext(req, reply)} data={await meetings.list(req.actor)} />));

  // ---- convening --------------------------------------------------------------------------------

  app.get('/meetings/new', { config: { access: meetingsPolicy.rule('convene') } }, async (req, reply) => {
    const form = await meetings.newForm(req.actor);
    return reply.page(<MeetingFormPage ctx={viewContext(req, reply)} action="/meetings" state={{ values: form.values, errors: {} }} options={form.options} editing={false} />);
  });

  app.post('/meetings', { config: { access: meetingsPolicy.rule('convene') } }, async (req, reply) => {
    const values = formValues(req.body);
    const { chosen, rest } = acting(values);
    const id = await formAction(
      reply,
      () => meetings.create(req.actor, parse(MeetingInput, rest), chosen),
      async (errors, summaryKey) => <MeetingFormPage ctx={viewContext(req, reply)} action="/meetings" state={{ values, errors, summaryKey }} options={await meetings.options(req.actor)} editing={false} />,
    );
    if (!id) return reply;
    return reply.redirect(`/meetings/${id}?done=meetingCreated`, 303);
  });

  // ---- the reader's own time zone -----------------------------------------------------------------

  const zonePage = async (req: FastifyRequest, reply: FastifyReply, form?: FormState) => {
    const data = await meetings.timeZoneForm(req.actor);
    return <TimeZonePage ctx={viewContext(req, reply)} zones={data.zones} state={form ?? { values: { timeZone: data.zone }, errors: {} }} />;
  };
  app.get('/meetings/time-zone', { config: { access: attend } }, async (req, reply) => reply.page(await zonePage(req, reply)));
  app.post('/meetings/time-zone', { config: { access: attend } }, async (req, reply) => {
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await meetings.setTimeZone(req.actor, parse(TimeZoneInput, values));
        return true;
      },
      (errors, summaryKey) => zonePage(req, reply, { values, errors, summaryKey }),
    );
    if (!ok) return reply;
    return reply.redirect('/meetings/time-zone?done=meetingTimeZoneSaved', 303);
  });

  // ---- one meeting -----------------------------------------------------------------------------------

  const meetingPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: MeetingForms = {}) => {
    const ctx = viewContext(req, reply);
    const data = await meetings.page(req.actor, id);
    const m = data.meeting;
    // Public details only (never the online link): what anyone may read about a listed meeting.
    const jsonLd = m.listed_publicly && m.state !== 'draft' ? eventJsonLd(m, { url: url(`/meetings/${m.id}`), organiserName: data.convenerName }) : undefined;
    return <MeetingPage ctx={ctx} data={data} forms={forms} {...(jsonLd ? { jsonLd } : {})} />;
  };

  app.get('/meetings/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await meetingPage(req, reply, id));
  });

  app.get('/meetings/:id/edit', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const form = await meetings.editForm(req.actor, id);
    return reply.page(<MeetingFormPage ctx={viewContext(req, reply)} action={`/meetings/${id}/edit`} state={{ values: form.values, errors: {} }} options={form.options} editing />);
  });

  app.post('/meetings/:id/edit', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = formValues(req.body);
    const { rest } = acting(values);
    const ok = await formAction(
      reply,
      async () => {
        await meetings.update(req.actor, id, parse(MeetingInput, rest));
        return true;
      },
      async (errors, summaryKey) => {
        const form = await meetings.editForm(req.actor, id); // organisers only: anyone else 404s here too
        return <MeetingFormPage ctx={viewContext(req, reply)} action={`/meetings/${id}/edit`} state={{ values, errors, summaryKey }} options={form.options} editing />;
      },
    );
    if (!ok) return reply;
    return reply.redirect(`/meetings/${id}?done=meetingSaved`, 303);
  });

  const action = (path: string, form: keyof MeetingForms, run: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<void>, done: string, anchor = '') =>
    recordAction(app, path, attend, {
      longText: MEETING_LONG_TEXT,
      run,
      refused: (req, reply, id, posted) => meetingPage(req, reply, id, { [form]: posted }),
      done: (id) => `/meetings/${id}?done=${done}${anchor}`,
    });

  action('/meetings/:id/schedule', 'state', (req, id) => meetings.schedule(req.actor, id), 'meetingScheduled');
  action('/meetings/:id/cancel', 'state', (req, id) => meetings.cancel(req.actor, id), 'meetingCancelled');
  action('/meetings/:id/roles', 'offer', (req, id, v) => meetings.offerRole(req.actor, id, parse(OfferRoleInput, v)), 'meetingRoleOffered', '#roles');
  action(
    '/meetings/:id/roles/answer',
    'answer',
    (req, id, v) => {
      const { chosen, rest } = acting(v);
      return meetings.answerRole(req.actor, id, parse(AnswerRoleInput, rest), chosen);
    },
    'meetingRoleAnswered',
    '#roles',
  );
  action('/meetings/:id/reply', 'reply', (req, id, v) => meetings.reply(req.actor, id, parse(ReplyInput, v)), 'meetingReplied', '#reply');

  // ---- check-in on the day ----------------------------------------------------------------------------

  const checkInPage = async (req: FastifyRequest, reply: FastifyReply, id: string, q: string | undefined, form?: FormState) => (
    <CheckInPage ctx={viewContext(req, reply)} data={await meetings.checkInPage(req.actor, id, q)} form={form} />
  );

  app.get('/meetings/:id/check-in', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const { q } = parse(CheckInQuery, cleanForm(req.query));
    return reply.page(await checkInPage(req, reply, id, q));
  });

  app.post('/meetings/:id/check-in', { config: { access: attend } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const { q, ...rest } = values;
    const ok = await formAction(
      reply,
      async () => {
        await meetings.checkIn(req.actor, id, parse(CheckInInput, rest));
        return true;
      },
      (errors, summaryKey) => checkInPage(req, reply, id, typeof q === 'string' ? q.slice(0, 100) : undefined, { values, errors, summaryKey }),
    );
    if (!ok) return reply;
    const back = typeof q === 'string' && q.length <= 100 ? `&q=${encodeURIComponent(q)}` : '';
    return reply.redirect(`/meetings/${id}/check-in?done=meetingCheckedIn${back}`, 303);
  });
}
