import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { MEETING_COLUMNS, type Reader, visibleTo } from './access.repository.ts';

type Q = Kysely<DB> | Transaction<DB>;

// ---- personal feeds ----------------------------------------------------------------------

export async function feedOf(db: Q, personId: string) {
  return db.selectFrom('calendar_feeds').select(['person_id', 'discreet', 'created_at', 'renewed_at']).where('person_id', '=', personId).executeTakeFirst();
}

/** The feed a token's hash opens, with its owner, only while the owner's account is active. */
export async function feedByHash(db: Q, tokenHash: string) {
  return db
    .selectFrom('calendar_feeds as f')
    .innerJoin('people as p', 'p.id', 'f.person_id')
    .select(['f.person_id', 'f.discreet', 'p.display_name', 'p.network_role', 'p.locale'])
    .where('f.token_hash', '=', tokenHash)
    .where('p.status', '=', 'active')
    .executeTakeFirst();
}

/**
 * The owner's memberships as the accounts module reads them for a session (organisations in
 * good standing only), so that a feed sees exactly what its owner would see signed in today.
 * Read here because the accounts service builds actors only from a session or an API token.
 */
export async function membershipsOf(db: Q, personId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['memberships.organisation_id as organisationId', 'memberships.role', 'organisations.name', 'organisations.status'])
    .where('memberships.person_id', '=', personId)
    .where('organisations.status', 'in', ['member', 'associate'])
    .orderBy('organisations.name')
    .execute();
}

/** Whether the person has a feed, its row locked until the transaction ends (a renewal at the same time waits). */
export async function lockFeed(trx: Transaction<DB>, personId: string): Promise<boolean> {
  return !!(await trx.selectFrom('calendar_feeds').select('person_id').where('person_id', '=', personId).forUpdate().executeTakeFirst());
}

/** Makes the person's feed, or gives it a new token (the old hash is gone at once). */
export async function saveFeed(trx: Transaction<DB>, personId: string, tokenHash: string, discreet: boolean) {
  await trx
    .insertInto('calendar_feeds')
    .values({ person_id: personId, token_hash: tokenHash, discreet })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ token_hash: tokenHash, discreet, renewed_at: sql`now()` }))
    .execute();
}

export async function setDiscreet(trx: Transaction<DB>, personId: string, discreet: boolean): Promise<boolean> {
  const r = await trx.updateTable('calendar_feeds').set({ discreet }).where('person_id', '=', personId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteFeed(trx: Transaction<DB>, personId: string): Promise<boolean> {
  const r = await trx.deleteFrom('calendar_feeds').where('person_id', '=', personId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---- what a feed holds ---------------------------------------------------------------------

const FEED_COLUMNS = MEETING_COLUMNS;

/**
 * Meetings for a feed, soonest first: scheduled ones, and cancelled ones for `keepCancelled`
 * after their cancellation (so that calendars that fetched them learn they are off), within
 * the window; drafts never. `reader` undefined: the public feed (publicly listed only).
 */
export async function feedMeetings(db: Q, reader: Reader | undefined, w: { from: Date; to: Date; cancelledSince: Date; limit: number }) {
  let q = db
    .selectFrom('meetings as m')
    .select(FEED_COLUMNS)
    .where('m.state', '<>', 'draft')
    .where((eb) => eb.or([eb('m.state', '=', 'scheduled'), eb('m.cancelled_at', '>=', w.cancelledSince)]))
    .where('m.ends_at', '>=', w.from)
    .where('m.starts_at', '<', w.to);
  q = reader ? q.where(visibleTo(reader, false)) : q.where('m.listed_publicly', '=', true);
  return q.orderBy('m.starts_at').orderBy('m.id').limit(w.limit).execute();
}

// ---- the API's reads (decisions, actions, goals and agendas come from their parts' services) ----

export async function organisationNames(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Meetings listed for a reader: what they may see, and publicly listed ones too; `invited` is
 * the same rule without the public ones (what decides the online link).
 */
export async function apiMeetings(db: Q, reader: Reader, o: { from: Date; limit: number; offset: number }) {
  return db
    .selectFrom('meetings as m')
    .select(FEED_COLUMNS)
    .select((eb) => sql<boolean>`(${visibleTo(reader, false)(eb)})`.as('invited'))
    .where(visibleTo(reader, true))
    .where('m.ends_at', '>=', o.from)
    .orderBy('m.starts_at')
    .orderBy('m.id')
    .limit(o.limit)
    .offset(o.offset)
    .execute();
}

/**
 * Of these people, those who chose a discreet calendar: their invitation mails should carry a
 * discreet .ics too (`invitationIcs(..., { discreet: true })`), for meetings.notices.ts.
 */
export async function discreetAmong(db: Q, personIds: readonly string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db.selectFrom('calendar_feeds').select('person_id').where('person_id', 'in', [...personIds]).where('discreet', '=', true).execute();
  return new Set(rows.map((r) => r.person_id));
}
