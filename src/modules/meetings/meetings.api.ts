import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { errorResponses } from '../../platform/api.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { IdParam, oneOf } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { ApiPageQuery } from './calendars.schemas.ts';
import { ACTIONS_PAGE } from './actions.service.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import type { MeetingsServices } from './services.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

const Meeting = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  uid: Type.String({ description: 'The iCalendar UID, the same in every feed and invitation' }),
  url: Type.String({ format: 'uri' }),
  kind: Type.String({ description: 'agm, goal_setting, ad_hoc, expert_briefing, social or other' }),
  state: Type.String({ description: 'draft (its organisers only), scheduled or cancelled' }),
  title: Type.String(),
  purpose: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  timeZone: Type.String({ description: 'IANA time zone the meeting was set in' }),
  place: Nullable(Type.String()),
  onlineUrl: Nullable(Type.String({ description: 'Invitees only; null for everyone else' })),
  online: Type.Boolean({ description: 'Whether there is an online link at all' }),
  accessibility: Type.String(),
  interpretation: Type.Array(Type.String()),
  audience: Type.String({ description: 'network, members, organisations, associates or community' }),
  listedPublicly: Type.Boolean(),
  chathamHouse: Type.Boolean(),
  capacity: NullableInt,
  seriesId: Nullable(Type.String({ format: 'uuid' })),
  sequence: Type.Integer({ description: 'The iCalendar SEQUENCE: raised on every change of time, place or status' }),
  convener: Nullable(Type.String({ description: 'The convening organisation' })),
  invited: Type.Boolean({ description: 'False when the caller sees only the public details' }),
});

const AgendaItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  position: Type.Integer(),
  kind: Type.String({ description: 'item, or alert (the alert the meeting was convened from)' }),
  title: Type.String(),
  why: Type.String(),
  minutes: Type.Integer(),
  organisation: Nullable(Type.String({ description: 'The proposing organisation' })),
});

const Decision = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  text: Type.String(),
  goalId: Nullable(Type.String({ format: 'uuid' })),
  meetingId: Type.String({ format: 'uuid' }),
  meetingTitle: Type.String(),
  meetingUrl: Type.String({ format: 'uri' }),
  meetingStartsAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});

const Action = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  url: Type.String({ format: 'uri' }),
  title: Type.String(),
  ownerOrganisation: Nullable(Type.String()),
  ownerPerson: Nullable(Type.String({ description: 'Only once the person accepted to own it' })),
  dueOn: Nullable(Type.String({ format: 'date' })),
  status: Type.String({ description: 'open, in_progress, done or dropped' }),
  meetingId: Nullable(Type.String({ format: 'uuid' })),
  decisionId: Nullable(Type.String({ format: 'uuid' })),
  goalId: Nullable(Type.String({ format: 'uuid' })),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Goal = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  url: Type.String({ format: 'uri' }),
  year: Type.Integer(),
  title: Type.String(),
  success: Type.String({ description: 'What success looks like' }),
  leads: Type.Array(Type.String(), { description: 'Lead organisations that accepted' }),
  actions: Type.Integer({ description: 'Actions linked to it' }),
  actionsDone: Type.Integer(),
});

const DecisionsQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200, description: 'Words to search the decisions for' })) }, { additionalProperties: false });
const ActionsApiQuery = Type.Object(
  { status: Type.Optional(oneOf(['open', 'closed', 'all'] as const)), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 99_999, errorKey: 'errors.page' })) },
  { additionalProperties: false },
);
const GoalsQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, errorKey: 'errors.calendarsYear' })) }, { additionalProperties: false });

const paged = <T extends ReturnType<typeof Type.Object>>(item: T) => Type.Object({ page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(item) });

/** A query string's whole numbers as numbers, the rest as typed, then checked by `schema`. */
function queryOf<S extends TSchema>(schema: S, query: unknown, numbers: readonly string[] = []): Static<S> {
  const values = cleanForm(query);
  for (const k of numbers) if (typeof values[k] === 'string' && /^\d{1,6}$/.test(values[k] as string)) values[k] = Number(values[k]);
  return parse(schema, values);
}

/**
 * The meetings module's API: each route answers only what the caller may see, through the same
 * services as the pages (the agenda's, the minutes', the actions' and the goals' own rules): an
 * API token carries its person, anonymous callers get publicly listed meetings' public details.
 */
export function meetingsApi(app: FastifyInstance, services: MeetingsServices, config: Config): void {
  const { calendars } = services;
  const url = (path: string) => new URL(path, config.publicUrl).href;
  const tags = ['meetings'];
  const signedIn = { access: meetingsPolicy.rule('attend') };

  app.get(
    '/api/v1/meetings',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'Meetings the caller may see, from 30 days ago on, soonest first',
        description: 'Anonymous callers and people not invited see publicly listed meetings only, without the online link.',
        querystring: ApiPageQuery,
        response: { 200: paged(Meeting), ...errorResponses },
      },
    },
    async (req) => calendars.apiMeetings(req.actor, queryOf(ApiPageQuery, req.query, ['page']).page ?? 1),
  );

  app.get(
    '/api/v1/meetings/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'One meeting, with its accepted agenda items in order once the agenda is published to invitees',
        params: IdParam,
        response: { 200: Type.Object({ meeting: Meeting, agendaPublished: Type.Boolean(), agenda: Type.Array(AgendaItem) }), ...errorResponses },
      },
    },
    async (req) => {
      const { id } = parse(IdParam, req.params);
      const one = await calendars.apiMeeting(req.actor, id);
      // The agenda as the agenda part shows it to this invitee: accepted items once published
      // (organisers: at once); nothing for someone who sees only the public details.
      const agenda = one.meeting.invited ? (await services.agenda.agenda(req.actor, id)).items : [];
      return {
        ...one,
        // An alert's item is named in the caller's language, as the agenda page names it.
        agenda: agenda.map((a) => ({ id: a.id, position: a.position ?? 0, kind: a.kind, title: a.kind === 'alert' && a.alert_number !== null ? req.intl.t('agenda.alertItem', { number: a.alert_number }) : a.title, why: a.why, minutes: a.minutes, organisation: a.organisation_name ?? null })),
      };
    },
  );

  app.get(
    '/api/v1/decisions',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'The decisions register: decisions of the minutes the caller may read, newest meeting first, optionally searched',
        querystring: DecisionsQuery,
        response: { 200: Type.Object({ limit: Type.Integer(), items: Type.Array(Decision) }), ...errorResponses },
      },
    },
    async (req) => {
      const data = await services.minutes.decisions(req.actor, queryOf(DecisionsQuery, req.query));
      return {
        limit: data.limit,
        items: data.decisions.map((d) => ({
          id: d.id,
          number: d.number,
          text: d.text,
          goalId: d.goal_id,
          meetingId: d.meeting_id,
          meetingTitle: d.meeting_title,
          meetingUrl: url(`/meetings/${d.meeting_id}`),
          meetingStartsAt: d.starts_at.toISOString(),
          createdAt: d.created_at.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/actions',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Actions the caller may see, soonest due first, a page at a time',
        description: 'By the actions’ own rule (as on /actions); open ones unless `status` says closed or all; `page` counts from 1, `total` is the whole list.',
        querystring: ActionsApiQuery,
        response: { 200: Type.Object({ status: Type.String(), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer(), items: Type.Array(Action) }), ...errorResponses },
      },
    },
    async (req) => {
      const query = queryOf(ActionsApiQuery, req.query, ['page']);
      const data = await services.actions.list(req.actor, { ...(query.status ? { status: query.status } : {}), ...(query.page ? { page: String(query.page) } : {}) });
      return {
        status: data.status,
        page: data.pager.page,
        pageSize: ACTIONS_PAGE,
        total: data.pager.total,
        items: data.actions.map((a) => ({
          id: a.id,
          number: a.number,
          url: url(`/actions/${a.id}`),
          title: a.title,
          ownerOrganisation: a.owner_organisation_name ?? null,
          // A person is named as owner only once they accepted (their own act).
          ownerPerson: a.owner_person_name ?? null,
          dueOn: a.due_on,
          status: a.status,
          meetingId: a.meeting_id,
          decisionId: a.decision_id,
          goalId: a.goal_id,
          updatedAt: a.updated_at.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/goals',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'The network’s goals of one year (the latest by default), with their progress: for the network’s members, associates and the convener',
        querystring: GoalsQuery,
        response: { 200: Type.Object({ year: Type.Integer(), years: Type.Array(Type.Integer()), items: Type.Array(Goal) }), ...errorResponses },
      },
    },
    async (req) => {
      const data = await services.goals.list(req.actor, queryOf(GoalsQuery, req.query, ['year']).year);
      return {
        year: data.year,
        years: data.years,
        items: data.goals.map((g) => ({
          id: g.id,
          number: g.number,
          url: url(`/goals/${g.id}`),
          year: g.year,
          title: g.title,
          success: g.success,
          leads: g.leads.filter((l) => l.state === 'accepted').map((l) => l.name),
          actions: g.progress.total,
          actionsDone: g.progress.done,
        })),
      };
    },
  );
}
