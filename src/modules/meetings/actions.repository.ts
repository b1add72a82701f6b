import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ActionStatus } from '../../db/schema/meetings-minutes.ts';
import type { Reader } from './access.repository.ts';
import { minutesReadableBy } from './minutes.repository.ts';

type Q = Kysely<DB> | Transaction<DB>;
type WithA = DB & { a: DB['actions'] };

export const OPEN_STATUSES: ActionStatus[] = ['open', 'in_progress'];

/**
 * "This reader may see this action" in SQL: the owner organisation's staff, the person it was
 * offered to, whoever made it; an action of a meeting, whoever may read that meeting's minutes
 * (minutes.repository.ts `minutesReadableBy`: an action is part of the record, so it is read
 * when the record is, not before); an action of no meeting is the network's work, seen by its
 * members (`network`).
 */
export function actionVisibleTo(reader: Reader, network: boolean) {
  return (eb: ExpressionBuilder<WithA, 'a'>) => {
    const ors = [];
    if (reader.organisationIds.length > 0) ors.push(eb('a.owner_organisation_id', 'in', reader.organisationIds));
    if (reader.personId) {
      ors.push(eb('a.owner_person_id', '=', reader.personId));
      ors.push(eb('a.created_by', '=', reader.personId));
      ors.push(
        eb.and([
          eb('a.meeting_id', 'is not', null),
          eb.exists(
            eb
              .selectFrom('meetings as m')
              .select('m.id')
              .whereRef('m.id', '=', 'a.meeting_id')
              .where((e) => minutesReadableBy(reader)(e as never)),
          ),
        ]),
      );
    }
    if (network) ors.push(eb('a.meeting_id', 'is', null));
    return ors.length > 0 ? eb.or(ors) : sql<boolean>`false`;
  };
}

const ACTION_COLUMNS = [
  'a.id',
  'a.number',
  'a.title',
  'a.owner_organisation_id',
  'a.owner_person_id',
  'a.owner_state',
  'a.owner_org_state',
  'a.due_on',
  'a.status',
  'a.meeting_id',
  'a.decision_id',
  'a.goal_id',
  'a.alert_id',
  'a.statement_id',
  'a.organisation_id',
  'a.created_by',
  'a.created_at',
  'a.updated_at',
  'o.name as owner_organisation_name',
  'm.title as meeting_title',
  'm.number as meeting_number',
] as const;

/** The owner's name as others read it: the organisation, and the person once they accepted. */
const ownerPersonName = sql<string | null>`case when a.owner_state = 'accepted' then coalesce(p.pseudonym, p.display_name) end`;

function base(db: Q) {
  return db
    .selectFrom('actions as a')
    .innerJoin('organisations as o', 'o.id', 'a.owner_organisation_id')
    .leftJoin('meetings as m', 'm.id', 'a.meeting_id')
    .leftJoin('people as p', 'p.id', 'a.owner_person_id')
    .select([...ACTION_COLUMNS, ownerPersonName.as('owner_person_name'), sql<string | null>`coalesce(p.pseudonym, p.display_name)`.as('offered_to_name')]);
}

export async function findAction(db: Q, id: string) {
  return base(db).where('a.id', '=', id).executeTakeFirst();
}
export type ActionRow = NonNullable<Awaited<ReturnType<typeof findAction>>>;

export async function lockAction(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('actions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function canSee(db: Q, id: string, reader: Reader, network: boolean): Promise<boolean> {
  return !!(await db.selectFrom('actions as a').select('a.id').where('a.id', '=', id).where(actionVisibleTo(reader, network)).executeTakeFirst());
}

export async function insertAction(
  trx: Transaction<DB>,
  row: {
    title: string;
    owner_organisation_id: string;
    due_on: string | null;
    meeting_id: string | null;
    decision_id: string | null;
    goal_id: string | null;
    alert_id: string | null;
    statement_id: string | null;
    organisation_id: string | null;
    created_by: string;
    owner_org_state: 'offered' | 'accepted';
  },
) {
  return trx
    .insertInto('actions')
    .values({ ...row, updated_at: new Date() })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
}

export async function updateAction(
  trx: Transaction<DB>,
  id: string,
  set: Partial<{ status: ActionStatus; owner_person_id: string | null; owner_state: 'offered' | 'accepted' | 'declined' | null; owner_org_state: 'offered' | 'accepted' | 'declined'; owner_org_answered_by: string }>,
) {
  await trx.updateTable('actions').set({ ...set, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function insertUpdate(trx: Transaction<DB>, row: { action_id: string; status: ActionStatus; note: string; person_id: string; organisation_id: string | null }) {
  await trx.insertInto('action_updates').values(row).execute();
}

export async function updatesOf(db: Q, actionId: string) {
  return db
    .selectFrom('action_updates as u')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.status', 'u.note', 'u.created_at', 'o.name as organisation_name'])
    .where('u.action_id', '=', actionId)
    .orderBy('u.created_at')
    .orderBy('u.id')
    .execute();
}

export async function actionsOfMeeting(db: Q, meetingId: string) {
  return base(db).where('a.meeting_id', '=', meetingId).orderBy('a.number').execute();
}

/** One page of a list: its rows, and how many there are in all. */
export interface Paged<T> {
  rows: T[];
  total: number;
}
export interface PageOf {
  limit: number;
  offset: number;
}

type ActionQuery = ReturnType<typeof base>;
/** A page of a list of actions, soonest due first, with the count of the whole list. */
async function paged(q: ActionQuery, page: PageOf) {
  const [rows, count] = await Promise.all([
    q.orderBy(sql`a.due_on asc nulls last`).orderBy('a.number').limit(page.limit).offset(page.offset).execute(),
    q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The actions a person owns or was offered (a person's own list is short: at most `limit`). */
export async function actionsOfPerson(db: Q, personId: string, statuses: readonly ActionStatus[], limit: number) {
  return base(db)
    .where('a.owner_person_id', '=', personId)
    .where('a.owner_state', 'in', ['accepted', 'offered'])
    .where('a.status', 'in', statuses)
    .orderBy(sql`a.due_on asc nulls last`)
    .orderBy('a.number')
    .limit(limit)
    .execute();
}

/** A person's own accepted actions not yet done that fall due in [from, to): for their digest. */
export async function dueActionsOf(db: Q, personId: string, from: Date, to: Date, limit: number) {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return db
    .selectFrom('actions')
    .select(['id', 'title', sql<string>`to_char(due_on, 'YYYY-MM-DD')`.as('due_on')])
    .where('owner_person_id', '=', personId)
    .where('owner_state', '=', 'accepted')
    .where('status', 'in', ['open', 'in_progress'])
    .where('due_on', '>=', sql<string>`${day(from)}::date`)
    .where('due_on', '<', sql<string>`${day(to)}::date`)
    .orderBy('due_on')
    .orderBy('number')
    .limit(limit)
    .execute();
}

/** One page of the actions of a person's organisations that are not already theirs. */
export async function actionsOfTheirOrganisations(db: Q, personId: string, organisationIds: readonly string[], statuses: readonly ActionStatus[], page: PageOf) {
  if (organisationIds.length === 0) return { rows: [], total: 0 };
  const q = base(db)
    .where('a.owner_organisation_id', 'in', organisationIds)
    .where((eb) => eb.or([eb('a.owner_person_id', 'is', null), eb('a.owner_person_id', '<>', personId), eb('a.owner_state', 'is', null), eb('a.owner_state', 'not in', ['accepted', 'offered'])]))
    .where('a.status', 'in', statuses);
  return paged(q, page);
}

export async function actionsOfOrganisation(db: Q, organisationId: string, statuses: readonly ActionStatus[], page: PageOf) {
  return paged(base(db).where('a.owner_organisation_id', '=', organisationId).where('a.status', 'in', statuses), page);
}

export async function visibleActions(db: Q, reader: Reader, network: boolean, statuses: readonly ActionStatus[], page: PageOf) {
  return paged(base(db).where(actionVisibleTo(reader, network)).where('a.status', 'in', statuses), page);
}

/**
 * Open and in-progress actions of the series' meetings that started before this one, that the
 * reader may see: a series can mix audiences, so an earlier meeting of named organisations does
 * not show its actions to the next meeting's wider audience.
 */
export async function openOfEarlierMeetings(db: Q, reader: Reader, network: boolean, seriesId: string, before: Date) {
  return base(db)
    .where(actionVisibleTo(reader, network))
    .where('m.series_id', '=', seriesId)
    .where('m.starts_at', '<', before)
    .where('a.status', 'in', OPEN_STATUSES)
    .orderBy('m.starts_at')
    .orderBy('a.number')
    .execute();
}

/** The organisations an action may be owned by: member organisations, by name. */
export async function ownerOptions(db: Q) {
  return db.selectFrom('organisations').select(['id', 'name']).where('status', '=', 'member').orderBy('name').execute();
}

export async function isMemberOrganisation(db: Q, id: string): Promise<boolean> {
  return !!(await db.selectFrom('organisations').select('id').where('id', '=', id).where('status', '=', 'member').executeTakeFirst());
}

/** The staff of one organisation, to offer an action to one of them. */
export async function staffOf(db: Q, organisationId: string) {
  return db
    .selectFrom('memberships as ms')
    .innerJoin('people as p', 'p.id', 'ms.person_id')
    .select(['p.id', sql<string>`coalesce(p.pseudonym, p.display_name)`.as('name')])
    .where('ms.organisation_id', '=', organisationId)
    .where('p.status', '=', 'active')
    .orderBy('p.display_name')
    .execute();
}

export async function personContact(db: Q, personId: string) {
  return db.selectFrom('people').select(['email', 'locale']).where('id', '=', personId).where('status', '=', 'active').executeTakeFirst();
}

export async function adminContacts(db: Q, organisationId: string) {
  return db
    .selectFrom('memberships as ms')
    .innerJoin('people as p', 'p.id', 'ms.person_id')
    .select(['p.email', 'p.locale'])
    .where('ms.organisation_id', '=', organisationId)
    .where('ms.role', '=', 'org_admin')
    .where('p.status', '=', 'active')
    .execute();
}

export async function decisionMeeting(db: Q, decisionId: string) {
  return db.selectFrom('decisions').select(['id', 'meeting_id']).where('id', '=', decisionId).executeTakeFirst();
}

/**
 * A statement the creator may link: a published one (public), or one their organisation drafts.
 * Narrower than advocacy's own rule on purpose: the meetings module has no access to its service.
 */
export async function linkableStatement(db: Q, statementId: string, organisationIds: readonly string[]): Promise<boolean> {
  const row = await db
    .selectFrom('statements as s')
    .select('s.id')
    .where('s.id', '=', statementId)
    .where((eb) => {
      const ors = [eb('s.published_at', 'is not', null)];
      if (organisationIds.length > 0) {
        ors.push(
          eb.exists(
            eb.selectFrom('statement_drafters as d').select('d.statement_id').whereRef('d.statement_id', '=', 's.id').where('d.organisation_id', 'in', organisationIds).where('d.state', '=', 'accepted'),
          ),
        );
      }
      return eb.or(ors);
    })
    .executeTakeFirst();
  return !!row;
}

// ---- reminders ------------------------------------------------------------------------------

/** Actions still open whose reminder of this kind is due on `day` (a YYYY-MM-DD). */
export async function dueForReminder(db: Q, kind: 'before' | 'overdue', day: string, daysBefore: number) {
  let q = db
    .selectFrom('actions as a')
    .select(['a.id', 'a.due_on'])
    .where('a.status', 'in', OPEN_STATUSES)
    // Nobody is reminded of an action their organisation has not accepted.
    .where('a.owner_org_state', '=', 'accepted')
    .where('a.due_on', 'is not', null)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('action_reminders as r').select('r.action_id').whereRef('r.action_id', '=', 'a.id').where('r.kind', '=', kind).whereRef('r.due_on', '=', 'a.due_on'))),
    );
  q = kind === 'before' ? q.where('a.due_on', '>=', day).where(sql<boolean>`a.due_on - ${daysBefore}::int <= ${day}::date`) : q.where('a.due_on', '<', day);
  return q.orderBy('a.due_on').limit(1000).execute();
}

/** Records one reminder; false when it had been recorded already (a second run, a retry). */
export async function insertReminder(trx: Transaction<DB>, actionId: string, kind: 'before' | 'overdue', dueOn: string): Promise<boolean> {
  const rows = await trx.insertInto('action_reminders').values({ action_id: actionId, kind, due_on: dueOn }).onConflict((oc) => oc.doNothing()).returning('action_id').execute();
  return rows.length > 0;
}
