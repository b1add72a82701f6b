import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { GoalsTable, LeadState } from '../../db/schema/meetings-goals.ts';
import { type Reader, visibleTo } from './access.repository.ts';
import { actionVisibleTo } from './actions.repository.ts';
import { minutesReadableBy } from './minutes.repository.ts';

type Q = Kysely<DB> | Transaction<DB>;

// ---- goals ------------------------------------------------------------------------------------

export async function goalOptions(db: Q, years: readonly number[]) {
  return db.selectFrom('goals').select(['id', 'year', 'title']).where('year', 'in', [...years]).orderBy('year', 'desc').orderBy('number').execute();
}

export async function goalsOfYear(db: Q, year: number) {
  return db.selectFrom('goals').select(['id', 'number', 'year', 'title', 'success', 'meeting_id', 'created_at']).where('year', '=', year).orderBy('number').execute();
}

export async function goalYears(db: Q) {
  return (await db.selectFrom('goals').select('year').distinct().orderBy('year', 'desc').execute()).map((r) => r.year);
}

export async function findGoal(db: Q, id: string) {
  return db
    .selectFrom('goals as g')
    .leftJoin('meetings as m', 'm.id', 'g.meeting_id')
    .select(['g.id', 'g.number', 'g.year', 'g.title', 'g.success', 'g.meeting_id', 'g.organisation_id', 'g.created_by', 'g.created_at', 'm.title as meeting_title'])
    .where('g.id', '=', id)
    .executeTakeFirst();
}

export async function insertGoal(trx: Transaction<DB>, g: Insertable<GoalsTable>) {
  return (await trx.insertInto('goals').values(g).returning('id').executeTakeFirstOrThrow()).id;
}

export async function leadsOf(db: Q, goalIds: readonly string[]) {
  if (goalIds.length === 0) return [];
  return db
    .selectFrom('goal_leads as l')
    .innerJoin('organisations as o', 'o.id', 'l.organisation_id')
    .select(['l.goal_id', 'l.organisation_id', 'l.state', 'o.name', 'o.slug'])
    .where('l.goal_id', 'in', [...goalIds])
    .orderBy('o.name')
    .execute();
}

export async function insertLeads(trx: Transaction<DB>, goalId: string, organisationIds: readonly string[], invitedBy: string) {
  if (organisationIds.length === 0) return;
  await trx
    .insertInto('goal_leads')
    .values(organisationIds.map((organisation_id) => ({ goal_id: goalId, organisation_id, invited_by: invitedBy })))
    .execute();
}

export async function lockLead(trx: Transaction<DB>, goalId: string, organisationId: string) {
  return trx.selectFrom('goal_leads').select(['state']).where('goal_id', '=', goalId).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
}

export async function answerLead(trx: Transaction<DB>, goalId: string, organisationId: string, state: LeadState, personId: string) {
  await trx
    .updateTable('goal_leads')
    .set({ state, answered_by: personId, answered_at: new Date() })
    .where('goal_id', '=', goalId)
    .where('organisation_id', '=', organisationId)
    .execute();
}

/** Organisations that may be named leads: member organisations of the network. */
export async function memberOrganisationList(db: Q) {
  return db.selectFrom('organisations').select(['id', 'name']).where('status', '=', 'member').orderBy('name').limit(1000).execute();
}

export async function memberOrganisationIds(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return (await db.selectFrom('organisations').select('id').where('status', '=', 'member').where('id', 'in', [...ids]).execute()).map((r) => r.id);
}

export async function insertUpdate(trx: Transaction<DB>, u: { goal_id: string; organisation_id: string; author_id: string; body: string }) {
  return (await trx.insertInto('goal_updates').values(u).returning('id').executeTakeFirstOrThrow()).id;
}

export async function goalUpdates(db: Q, goalId: string, limit: number) {
  return db
    .selectFrom('goal_updates as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.body', 'u.created_at', 'o.name as organisation_name', 'o.slug as organisation_slug'])
    .where('u.goal_id', '=', goalId)
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id')
    .limit(limit)
    .execute();
}

// ---- progress -------------------------------------------------------------------------------

/** Actions serving each goal, counted by status. */
export async function actionCounts(db: Q, goalIds: readonly string[]) {
  if (goalIds.length === 0) return [];
  return db
    .selectFrom('actions')
    .select(['goal_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('goal_id', 'in', [...goalIds])
    .groupBy(['goal_id', 'status'])
    .execute();
}

// An action's updates and a decision are read as the actions list and the decisions register
// read them (actionVisibleTo, minutesReadableBy): a goal's page shows nothing they would not.
// The counts per status above are the goal's, network-wide: numbers, no titles.
export async function latestActionUpdates(db: Q, goalId: string, reader: Reader, network: boolean, limit: number) {
  return db
    .selectFrom('action_updates as u')
    .innerJoin('actions as a', 'a.id', 'u.action_id')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.status', 'u.note', 'u.created_at', 'a.id as action_id', 'a.number as action_number', 'a.title as action_title', 'o.name as organisation_name'])
    .where('a.goal_id', '=', goalId)
    .where(actionVisibleTo(reader, network))
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id')
    .limit(limit)
    .execute();
}

export async function linkedDecisions(db: Q, goalId: string, reader: Reader, limit: number) {
  return db
    .selectFrom('decisions as d')
    .innerJoin('meetings as dm', 'dm.id', 'd.meeting_id')
    .select(['d.id', 'd.number', 'd.text', 'd.meeting_id', 'dm.title as meeting_title', 'dm.starts_at'])
    .where('d.goal_id', '=', goalId)
    .where((eb) => eb.exists(eb.selectFrom('meetings as m').select('m.id').whereRef('m.id', '=', 'd.meeting_id').where(minutesReadableBy(reader))))
    .orderBy('d.number', 'desc')
    .limit(limit)
    .execute();
}

export async function linkedMeetings(db: Q, goalId: string, reader: Reader) {
  return db
    .selectFrom('goal_meetings as gm')
    .innerJoin('meetings as m', 'm.id', 'gm.meeting_id')
    .select(['m.id', 'm.title', 'm.starts_at', 'm.time_zone', 'm.state'])
    .where('gm.goal_id', '=', goalId)
    .where(visibleTo(reader, true))
    .orderBy('m.starts_at', 'desc')
    .limit(100)
    .execute();
}

/** Published statements linked to a goal, with the title of their published version. */
export async function linkedStatements(db: Q, goalId: string) {
  return db
    .selectFrom('goal_statements as gs')
    .innerJoin('statements as s', 's.id', 'gs.statement_id')
    .innerJoin('statement_versions as v', (j) => j.onRef('v.statement_id', '=', 's.id').onRef('v.number', '=', 's.published_version'))
    .select(['s.id', 's.number', 's.published_at', 'v.title', 'v.language'])
    .where('gs.goal_id', '=', goalId)
    .where('s.state', '=', 'published')
    .orderBy('s.published_at', 'desc')
    .limit(100)
    .execute();
}

/** Commitments extracted from replies to those statements (public, like the tracker). */
export async function commitmentsOf(db: Q, statementIds: readonly string[]) {
  if (statementIds.length === 0) return [];
  return db
    .selectFrom('commitments as c')
    .innerJoin('statement_replies as r', 'r.id', 'c.reply_id')
    .innerJoin('statement_recipients as sr', 'sr.id', 'r.recipient_id')
    .select(['c.id', 'c.number', 'c.summary', 'c.rating', 'c.rated_on', 'sr.statement_id'])
    .where('sr.statement_id', 'in', [...statementIds])
    .where('r.published', '=', true)
    .orderBy('c.number')
    .limit(500)
    .execute();
}

export async function linkMeeting(trx: Transaction<DB>, goalId: string, meetingId: string, personId: string) {
  const r = await trx.insertInto('goal_meetings').values({ goal_id: goalId, meeting_id: meetingId, linked_by: personId }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function linkStatement(trx: Transaction<DB>, goalId: string, statementId: string, personId: string) {
  const r = await trx.insertInto('goal_statements').values({ goal_id: goalId, statement_id: statementId, linked_by: personId }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function isPublishedStatement(db: Q, id: string): Promise<boolean> {
  return !!(await db.selectFrom('statements').select('id').where('id', '=', id).where('state', '=', 'published').executeTakeFirst());
}

/** Published statements to choose from when linking one, newest first. */
export async function publishedStatementOptions(db: Q, limit: number) {
  return db
    .selectFrom('statements as s')
    .innerJoin('statement_versions as v', (j) => j.onRef('v.statement_id', '=', 's.id').onRef('v.number', '=', 's.published_version'))
    .select(['s.id', 'v.title'])
    .where('s.state', '=', 'published')
    .orderBy('s.published_at', 'desc')
    .limit(limit)
    .execute();
}

/** Meetings the reader may see, of one kind or any, for the selects (newest first). */
export async function meetingOptions(db: Q, reader: Reader, kind: 'goal_setting' | undefined, limit: number) {
  let q = db.selectFrom('meetings as m').select(['m.id', 'm.title', 'm.starts_at']).where(visibleTo(reader, false));
  if (kind) q = q.where('m.kind', '=', kind);
  return q.orderBy('m.starts_at', 'desc').limit(limit).execute();
}

// ---- the support page -------------------------------------------------------------------------

export async function currentSupport(db: Q) {
  return db.selectFrom('support_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function supportVersion(db: Q, version: number) {
  return db.selectFrom('support_versions').selectAll().where('version', '=', version).executeTakeFirst();
}

export async function supportVersions(db: Q) {
  return db.selectFrom('support_versions').select(['version', 'created_at']).orderBy('version', 'desc').execute();
}

export async function insertSupport(trx: Transaction<DB>, v: { version: number; body: string; created_by: string }) {
  await trx.insertInto('support_versions').values(v).execute();
}

