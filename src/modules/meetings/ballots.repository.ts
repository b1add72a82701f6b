import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { BallotKind, LeadState, VoteChoice } from '../../db/schema/meetings-goals.ts';

type Q = Kysely<DB> | Transaction<DB>;

export const CHOICES: readonly VoteChoice[] = ['for', 'against', 'abstain'];

const MOTION_COLUMNS = [
  'id',
  'number',
  'meeting_id',
  'text',
  'ballot',
  'state',
  'organisation_id',
  'opened_at',
  'closed_at',
  'eligible_at_open',
  'present_at_open',
  'quorum_at_open',
  'eligible',
  'present',
  'quorum_met',
  'carried',
] as const;

export async function motionsOf(db: Q, meetingId: string) {
  return db.selectFrom('motions').select(MOTION_COLUMNS).where('meeting_id', '=', meetingId).orderBy('number').execute();
}
export type MotionRow = Awaited<ReturnType<typeof motionsOf>>[number];

export async function lockMotion(trx: Transaction<DB>, meetingId: string, motionId: string) {
  return trx.selectFrom('motions').select(MOTION_COLUMNS).where('id', '=', motionId).where('meeting_id', '=', meetingId).forUpdate().executeTakeFirst();
}

/** A motion with its three tally rows, each at 0. */
export async function insertMotion(trx: Transaction<DB>, m: { meeting_id: string; text: string; ballot: BallotKind; organisation_id: string | null; proposed_by: string }) {
  const { id } = await trx.insertInto('motions').values(m).returning('id').executeTakeFirstOrThrow();
  await trx
    .insertInto('motion_tallies')
    .values(CHOICES.map((choice) => ({ motion_id: id, choice })))
    .execute();
  return id;
}

export async function openMotion(trx: Transaction<DB>, id: string, by: string, q: { eligible: number; present: number; quorum: boolean }) {
  await trx.updateTable('motions').set({ state: 'open', opened_at: new Date(), opened_by: by, eligible_at_open: q.eligible, present_at_open: q.present, quorum_at_open: q.quorum }).where('id', '=', id).execute();
}

export async function closeMotion(trx: Transaction<DB>, id: string, by: string, r: { eligible: number; present: number; quorum: boolean; carried: boolean }) {
  await trx
    .updateTable('motions')
    .set({ state: 'closed', closed_at: new Date(), closed_by: by, eligible: r.eligible, present: r.present, quorum_met: r.quorum, carried: r.carried })
    .where('id', '=', id)
    .execute();
}

/** Member organisations of the network now, and how many of them have someone checked in. */
export async function quorumCounts(db: Q, meetingId: string) {
  const row = await db
    .selectFrom('organisations as o')
    .select([
      (eb) => eb.fn.countAll<string>().as('eligible'),
      (eb) =>
        eb.fn
          .count<string>('o.id')
          .filterWhere(({ exists, selectFrom }) =>
            exists(
              selectFrom('meeting_replies as r').select('r.person_id').whereRef('r.organisation_id', '=', 'o.id').where('r.meeting_id', '=', meetingId).where('r.checked_in_at', 'is not', null),
            ),
          )
          .as('present'),
    ])
    .where('o.status', '=', 'member')
    .executeTakeFirstOrThrow();
  return { eligible: Number(row.eligible), present: Number(row.present) };
}

export async function talliesOf(db: Q, motionIds: readonly string[]) {
  if (motionIds.length === 0) return [];
  return db.selectFrom('motion_tallies').select(['motion_id', 'choice', 'count']).where('motion_id', 'in', [...motionIds]).execute();
}

export async function votedOrganisations(db: Q, motionId: string, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return [];
  return (await db.selectFrom('motion_voters').select('organisation_id').where('motion_id', '=', motionId).where('organisation_id', 'in', [...organisationIds]).execute()).map((r) => r.organisation_id);
}

/** Which organisations voted (any ballot) and, for an open ballot, how: for the closed result. */
export async function votersOf(db: Q, motionId: string) {
  return db
    .selectFrom('motion_voters as v')
    .innerJoin('organisations as o', 'o.id', 'v.organisation_id')
    .select(['o.id', 'o.name'])
    .where('v.motion_id', '=', motionId)
    .orderBy('o.name')
    .execute();
}

export async function openVotesOf(db: Q, motionId: string) {
  return db
    .selectFrom('motion_open_votes as v')
    .innerJoin('organisations as o', 'o.id', 'v.organisation_id')
    .select(['o.id', 'o.name', 'v.choice'])
    .where('v.motion_id', '=', motionId)
    .orderBy('o.name')
    .execute();
}

/** The row saying this organisation voted; undefined when it already had (unique key). */
export async function insertVoter(trx: Transaction<DB>, motionId: string, organisationId: string, personId: string) {
  const row = await trx
    .insertInto('motion_voters')
    .values({ motion_id: motionId, organisation_id: organisationId, person_id: personId })
    .onConflict((oc) => oc.columns(['motion_id', 'organisation_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Counts one vote. All three rows of the motion are rewritten (the two others by 0), so the
 * rows' physical versions move together and none betrays which choice the latest voter made.
 */
export async function countVote(trx: Transaction<DB>, motionId: string, choice: VoteChoice) {
  await trx
    .updateTable('motion_tallies')
    .set({ count: sql`count + case when choice = ${choice} then 1 else 0 end` })
    .where('motion_id', '=', motionId)
    .execute();
}

export async function insertOpenVote(trx: Transaction<DB>, motionId: string, organisationId: string, choice: VoteChoice) {
  await trx.insertInto('motion_open_votes').values({ motion_id: motionId, organisation_id: organisationId, choice }).execute();
}

// ---- delegates ------------------------------------------------------------------------------

export async function delegatesOf(db: Q, meetingId: string) {
  return db
    .selectFrom('meeting_delegates as d')
    .innerJoin('people as p', 'p.id', 'd.person_id')
    .select(['d.organisation_id', 'd.person_id', 'd.state', sql<string>`coalesce(p.pseudonym, p.display_name)`.as('display_name')])
    .where('d.meeting_id', '=', meetingId)
    .execute();
}

export async function lockDelegate(trx: Transaction<DB>, meetingId: string, organisationId: string) {
  return trx.selectFrom('meeting_delegates').select(['person_id', 'state']).where('meeting_id', '=', meetingId).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
}

/** Naming a (new) delegate starts over: invited, until that person accepts. */
export async function nameDelegate(trx: Transaction<DB>, meetingId: string, organisationId: string, personId: string, by: string) {
  await trx
    .insertInto('meeting_delegates')
    .values({ meeting_id: meetingId, organisation_id: organisationId, person_id: personId, named_by: by })
    .onConflict((oc) => oc.columns(['meeting_id', 'organisation_id']).doUpdateSet({ person_id: personId, named_by: by, state: 'invited', answered_at: null }))
    .execute();
}

export async function answerDelegate(trx: Transaction<DB>, meetingId: string, organisationId: string, state: LeadState) {
  await trx.updateTable('meeting_delegates').set({ state, answered_at: new Date() }).where('meeting_id', '=', meetingId).where('organisation_id', '=', organisationId).execute();
}

/** Staff of an organisation (any role), to name one of them delegate. */
export async function staffOf(db: Q, organisationId: string) {
  return db
    .selectFrom('memberships as ms')
    .innerJoin('people as p', 'p.id', 'ms.person_id')
    .select(['p.id', sql<string>`coalesce(p.pseudonym, p.display_name)`.as('display_name')])
    .where('ms.organisation_id', '=', organisationId)
    .where('p.status', '=', 'active')
    .orderBy(sql`coalesce(p.pseudonym, p.display_name)`)
    .limit(500)
    .execute();
}
