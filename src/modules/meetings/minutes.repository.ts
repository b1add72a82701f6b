import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { likeEscape } from '../../platform/search-text.ts';
import { holdsRoleNow, madeByNow, type Reader, visibleTo } from './access.repository.ts';

type Q = Kysely<DB> | Transaction<DB>;
type WithM = DB & { m: DB['meetings'] };

export async function minutesOf(db: Q, meetingId: string) {
  return db.selectFrom('meeting_minutes').selectAll().where('meeting_id', '=', meetingId).executeTakeFirst();
}
export type MinutesRow = NonNullable<Awaited<ReturnType<typeof minutesOf>>>;

export async function lockMinutes(trx: Transaction<DB>, meetingId: string) {
  return trx.selectFrom('meeting_minutes').selectAll().where('meeting_id', '=', meetingId).forUpdate().executeTakeFirst();
}

export async function insertMinutes(trx: Transaction<DB>, meetingId: string) {
  await trx.insertInto('meeting_minutes').values({ meeting_id: meetingId, updated_at: new Date() }).onConflict((oc) => oc.column('meeting_id').doNothing()).execute();
}

export async function updateMinutes(trx: Transaction<DB>, meetingId: string, set: Partial<{ state: 'drafting' | 'circulated' | 'approved'; circulated_at: Date; approved_at: Date; approved_by: string; approved_at_meeting_id: string | null; approved_version: number }>) {
  await trx.updateTable('meeting_minutes').set({ ...set, updated_at: new Date() }).where('meeting_id', '=', meetingId).execute();
}

export async function versions(db: Q, meetingId: string) {
  return db
    .selectFrom('minute_versions as v')
    .leftJoin('people as p', 'p.id', 'v.author_id')
    .select(['v.number', 'v.body', 'v.created_at', 'v.author_id', sql<string | null>`coalesce(p.pseudonym, p.display_name)`.as('author_name')])
    .where('v.meeting_id', '=', meetingId)
    .orderBy('v.number')
    .execute();
}
export type MinuteVersionRow = Awaited<ReturnType<typeof versions>>[number];

export async function insertVersion(trx: Transaction<DB>, row: { meeting_id: string; number: number; body: string; author_id: string }) {
  await trx.insertInto('minute_versions').values(row).execute();
}

export async function corrections(db: Q, meetingId: string) {
  return db
    .selectFrom('minute_corrections as c')
    .leftJoin('people as p', 'p.id', 'c.person_id')
    .select(['c.id', 'c.version_number', 'c.person_id', 'c.body', 'c.answered_in', 'c.created_at', sql<string | null>`coalesce(p.pseudonym, p.display_name)`.as('person_name')])
    .where('c.meeting_id', '=', meetingId)
    .orderBy('c.created_at')
    .execute();
}

export async function insertCorrection(trx: Transaction<DB>, row: { meeting_id: string; version_number: number; person_id: string; body: string }) {
  return (await trx.insertInto('minute_corrections').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** The corrections a new version answers: every one not yet answered. */
export async function answerCorrections(trx: Transaction<DB>, meetingId: string, version: number) {
  await trx.updateTable('minute_corrections').set({ answered_in: version }).where('meeting_id', '=', meetingId).where('answered_in', 'is', null).execute();
}

/** Whether anyone was checked in: then attendance is the check-in list, else the "yes" replies. */
function attended(eb: ExpressionBuilder<DB & { r: DB['meeting_replies'] }, 'r'>) {
  return eb.or([
    eb('r.checked_in_at', 'is not', null),
    eb.and([
      eb('r.answer', '=', 'yes'),
      eb.not(eb.exists(eb.selectFrom('meeting_replies as r2').select('r2.person_id').whereRef('r2.meeting_id', '=', 'r.meeting_id').where('r2.checked_in_at', 'is not', null))),
    ]),
  ]);
}

/** The attendees: people checked in or, where nobody was checked in, those who replied yes. */
export async function attendees(db: Q, meetingId: string) {
  return db
    .selectFrom('meeting_replies as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.person_id', 'r.organisation_id', 'o.name as organisation_name', 'r.named_in_minutes', 'p.display_name', 'p.pseudonym', 'p.email', 'p.locale'])
    .where('r.meeting_id', '=', meetingId)
    .where(attended)
    .orderBy('o.name')
    .orderBy('p.display_name')
    .execute();
}

export async function acceptedRoleHolders(db: Q, meetingId: string, role: 'chair' | 'minute_taker') {
  return (await db.selectFrom('meeting_roles').select('person_id').where('meeting_id', '=', meetingId).where('role', '=', role).where('state', '=', 'accepted').execute()).map((r) => r.person_id);
}

/** The next meeting of the series after this one, not cancelled (where minutes may be approved). */
export async function nextInSeries(db: Q, seriesId: string, startsAt: Date) {
  return db
    .selectFrom('meetings')
    .select(['id', 'number', 'title', 'starts_at', 'time_zone'])
    .where('series_id', '=', seriesId)
    .where('starts_at', '>', startsAt)
    .where('state', '<>', 'cancelled')
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();
}

export async function meetingTitle(db: Q, id: string) {
  return db.selectFrom('meetings').select(['id', 'number', 'title']).where('id', '=', id).executeTakeFirst();
}

// ---- decisions ------------------------------------------------------------------------------

export async function insertDecision(trx: Transaction<DB>, row: { meeting_id: string; text: string; goal_id: string | null; search_text: string; organisation_id: string | null; created_by: string }) {
  return trx.insertInto('decisions').values(row).returning(['id', 'number']).executeTakeFirstOrThrow();
}

export async function decisionsOf(db: Q, meetingId: string) {
  return db.selectFrom('decisions').select(['id', 'number', 'text', 'goal_id', 'created_at']).where('meeting_id', '=', meetingId).orderBy('number').execute();
}

/**
 * "This reader may read this meeting's minutes" in SQL (minutes.service `readable` for one):
 * invitees once approved, attendees once circulated, the chairs and the minute-taker always.
 */
export function minutesReadableBy(reader: Reader) {
  return (eb: ExpressionBuilder<WithM, 'm'>) => {
    const person = reader.personId;
    const state = (states: ('circulated' | 'approved')[]) =>
      eb.exists(eb.selectFrom('meeting_minutes as mm').select('mm.meeting_id').whereRef('mm.meeting_id', '=', 'm.id').where('mm.state', 'in', states));
    if (!person) return sql<boolean>`false`;
    return eb.and([
      visibleTo(reader, false)(eb),
      eb.or([
        state(['approved']),
        // Organisers while on the staff they organise for (access.ts accessTo).
        madeByNow(reader)(eb) ?? sql<boolean>`false`,
        holdsRoleNow(reader, ['accepted'])(eb),
        eb.and([
          state(['circulated']),
          eb.exists(
            eb
              .selectFrom('meeting_replies as r')
              .select('r.person_id')
              .whereRef('r.meeting_id', '=', 'm.id')
              .where('r.person_id', '=', person)
              .where((e) => attended(e as never)),
          ),
        ]),
      ]),
    ]);
  };
}

/** The decisions register: what the reader may read, newest first, optionally searched. */
export async function searchDecisions(db: Q, reader: Reader, folded: string, limit: number) {
  let q = db
    .selectFrom('decisions as d')
    .innerJoin('meetings as m', 'm.id', 'd.meeting_id')
    .select(['d.id', 'd.number', 'd.text', 'd.goal_id', 'd.created_at', 'm.id as meeting_id', 'm.number as meeting_number', 'm.title as meeting_title', 'm.starts_at', 'm.time_zone'])
    .where(minutesReadableBy(reader));
  if (folded) q = q.where('d.search_text', 'like', `%${likeEscape(folded)}%`);
  return q.orderBy('m.starts_at', 'desc').orderBy('d.number', 'desc').limit(limit).execute();
}

/** Where to tell people, in their language: active accounts only (a disabled one is told nothing). */
export async function activeContacts(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('people').select(['email', 'locale']).where('id', 'in', [...ids]).where('status', '=', 'active').execute();
}
