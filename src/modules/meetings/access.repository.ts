import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;
/** A query over meetings aliased `m`. */
type WithM = DB & { m: DB['meetings'] };

/** Every column of a meeting, as `m` (lists, feeds, one meeting). */
export const MEETING_COLUMNS = [
  'm.id',
  'm.number',
  'm.uid',
  'm.series_id',
  'm.kind',
  'm.state',
  'm.title',
  'm.purpose',
  'm.starts_at',
  'm.ends_at',
  'm.time_zone',
  'm.place',
  'm.online_url',
  'm.accessibility',
  'm.interpretation',
  'm.audience',
  'm.community_id',
  'm.listed_publicly',
  'm.chatham_house',
  'm.distressing',
  'm.capacity',
  'm.agenda_days',
  'm.agenda_published_at',
  'm.quorum_percent',
  'm.alert_id',
  'm.organisation_id',
  'm.created_by',
  'm.sequence',
  'm.scheduled_at',
  'm.cancelled_at',
  'm.needs_erased_at',
  'm.created_at',
  'm.updated_at',
] as const;

export async function findMeeting(db: Q, id: string) {
  return db.selectFrom('meetings as m').select(MEETING_COLUMNS).where('m.id', '=', id).executeTakeFirst();
}
export type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;

/** As findMeeting, locked for the rest of the transaction (every change to a meeting). */
export async function lockMeeting(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('meetings as m').select(MEETING_COLUMNS).where('m.id', '=', id).forUpdate().executeTakeFirst();
}

/** The reader's roles in one meeting (chair, minute-taker), with their state. */
export async function rolesIn(db: Q, meetingId: string, personId: string) {
  return db.selectFrom('meeting_roles').select(['role', 'state', 'organisation_id']).where('meeting_id', '=', meetingId).where('person_id', '=', personId).execute();
}

export async function invitedOrganisations(db: Q, meetingId: string) {
  return (await db.selectFrom('meeting_organisations').select('organisation_id').where('meeting_id', '=', meetingId).execute()).map((r) => r.organisation_id);
}

export async function inCommunity(db: Q, communityId: string, personId: string): Promise<boolean> {
  return !!(await db.selectFrom('community_members').select('person_id').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst());
}

/** Who a list of meetings is read for: what access.ts `readerOf` worked out from the actor. */
export interface Reader {
  personId: string | undefined;
  /** Network-wide audiences this reader belongs to. */
  audiences: ('network' | 'members' | 'associates')[];
  organisationIds: string[];
  convener: boolean;
}

/**
 * The condition "this reader may see this meeting" in SQL, the same rules as access.ts
 * `accessTo` (which decides for one meeting): lists and calendar feeds use it so that a meeting
 * someone may not see is never read for them at all. `publicToo` adds publicly listed ones.
 */
/**
 * "The reader made this meeting, and is still on the staff of the organisation it was made for"
 * in SQL (access.ts accessTo); undefined for a reader on no staff.
 */
export function madeByNow(reader: Reader) {
  return (eb: ExpressionBuilder<WithM, 'm'>) =>
    reader.personId && reader.organisationIds.length > 0 ? eb.and([eb('m.created_by', '=', reader.personId), eb('m.organisation_id', 'in', reader.organisationIds)]) : undefined;
}

/** "The reader holds a role in this meeting, in one of these states, while on the staff they hold it for" in SQL. */
export function holdsRoleNow(reader: Reader, states: ('invited' | 'accepted')[]) {
  return (eb: ExpressionBuilder<WithM, 'm'>) => {
    const orgs = reader.organisationIds;
    return eb.exists(
      eb
        .selectFrom('meeting_roles as r')
        .select('r.person_id')
        .whereRef('r.meeting_id', '=', 'm.id')
        .where('r.person_id', '=', reader.personId ?? '')
        .where('r.state', 'in', states)
        .where((e) => (orgs.length > 0 ? e.or([e('r.organisation_id', 'is', null), e('r.organisation_id', 'in', orgs)]) : e('r.organisation_id', 'is', null))),
    );
  };
}

export function visibleTo(reader: Reader, publicToo: boolean) {
  return (eb: ExpressionBuilder<WithM, 'm'>) => {
    const person = reader.personId;
    const scheduled = eb('m.state', '<>', 'draft');
    const ors = [];
    if (publicToo) ors.push(eb.and([scheduled, eb('m.listed_publicly', '=', true)]));
    if (person) {
      const maker = madeByNow(reader)(eb);
      if (maker) ors.push(maker);
      ors.push(holdsRoleNow(reader, ['invited', 'accepted'])(eb));
      if (reader.convener) ors.push(scheduled);
      if (reader.audiences.length > 0) ors.push(eb.and([scheduled, eb('m.audience', 'in', reader.audiences)]));
      if (reader.organisationIds.length > 0) {
        ors.push(
          eb.and([
            scheduled,
            eb('m.audience', '=', 'organisations'),
            eb.exists(eb.selectFrom('meeting_organisations as mo').select('mo.meeting_id').whereRef('mo.meeting_id', '=', 'm.id').where('mo.organisation_id', 'in', reader.organisationIds)),
          ]),
        );
      }
      ors.push(
        eb.and([
          scheduled,
          eb('m.audience', '=', 'community'),
          eb.exists(eb.selectFrom('community_members as cm').select('cm.person_id').whereRef('cm.community_id', '=', 'm.community_id').where('cm.person_id', '=', person)),
        ]),
      );
    }
    return ors.length > 0 ? eb.or(ors) : sql<boolean>`false`;
  };
}

/** Meetings the reader may see, soonest first, from a time on (lists and feeds). */
export async function visibleMeetings(db: Q, reader: Reader, opts: { from?: Date; to?: Date; publicToo?: boolean; scheduledOnly?: boolean; limit: number }) {
  let q = db
    .selectFrom('meetings as m')
    .select(MEETING_COLUMNS)
    .where(visibleTo(reader, opts.publicToo ?? false));
  if (opts.scheduledOnly) q = q.where('m.state', '=', 'scheduled');
  if (opts.from) q = q.where('m.ends_at', '>=', opts.from);
  if (opts.to) q = q.where('m.starts_at', '<', opts.to);
  return q.orderBy('m.starts_at').orderBy('m.id').limit(opts.limit).execute();
}
