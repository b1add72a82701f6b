import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { MeetingAudience, MeetingKind, ReplyAnswer } from '../../db/schema/meetings.ts';
import { type MeetingRow, type Reader, visibleTo } from './access.repository.ts';

type Q = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

// ---- meetings and series --------------------------------------------------------------------

export interface MeetingValues {
  kind: MeetingKind;
  title: string;
  purpose: string;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  place: string | null;
  online_url: string | null;
  accessibility: string;
  interpretation: string[];
  audience: MeetingAudience;
  community_id: string | null;
  listed_publicly: boolean;
  chatham_house: boolean;
  distressing: boolean;
  capacity: number | null;
  agenda_days: number;
  series_id: string | null;
}

export async function insertMeeting(trx: Trx, values: MeetingValues & { uid: string; organisation_id: string; created_by: string }): Promise<string> {
  const { id } = await trx
    .insertInto('meetings')
    .values({ ...values, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateMeeting(
  trx: Trx,
  id: string,
  values: Partial<MeetingValues & { state: 'draft' | 'scheduled' | 'cancelled'; sequence: number; scheduled_at: Date; cancelled_at: Date; needs_erased_at: null }>,
): Promise<void> {
  await trx.updateTable('meetings').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function insertSeries(trx: Trx, values: { title: string; organisation_id: string; created_by: string }): Promise<string> {
  const { id } = await trx.insertInto('meeting_series').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** The series an organisation keeps (to add a meeting to one). */
export async function seriesOf(db: Q, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return [];
  return db.selectFrom('meeting_series').select(['id', 'title', 'organisation_id']).where('organisation_id', 'in', organisationIds).orderBy('title').execute();
}

export async function findSeries(db: Q, id: string) {
  return db.selectFrom('meeting_series').select(['id', 'title', 'organisation_id']).where('id', '=', id).executeTakeFirst();
}

export async function isPseudonymous(db: Q, personId: string): Promise<boolean> {
  return !!(await db.selectFrom('people').select('pseudonym').where('id', '=', personId).executeTakeFirst())?.pseudonym;
}

export async function organisationName(db: Q, id: string): Promise<string | undefined> {
  return (await db.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

// ---- who is invited -------------------------------------------------------------------------

export async function setOrganisations(trx: Trx, meetingId: string, organisationIds: readonly string[], invitedBy: string): Promise<void> {
  // Only the named ones: those invited from an alert (subscribed, suggested) are part B's to keep.
  await trx.deleteFrom('meeting_organisations').where('meeting_id', '=', meetingId).where('source', '=', 'named').where('organisation_id', 'not in', organisationIds.length > 0 ? [...organisationIds] : ['00000000-0000-0000-0000-000000000000']).execute();
  if (organisationIds.length === 0) return;
  await trx
    .insertInto('meeting_organisations')
    .values(organisationIds.map((organisation_id) => ({ meeting_id: meetingId, organisation_id, source: 'named' as const, invited_by: invitedBy })))
    .onConflict((oc) => oc.columns(['meeting_id', 'organisation_id']).doNothing())
    .execute();
}

export async function meetingOrganisations(db: Q, meetingId: string) {
  return db
    .selectFrom('meeting_organisations as mo')
    .innerJoin('organisations as o', 'o.id', 'mo.organisation_id')
    .select(['o.id', 'o.name', 'mo.source'])
    .where('mo.meeting_id', '=', meetingId)
    .orderBy('o.name')
    .execute();
}

/** Organisations in good standing, to name as a meeting's audience. */
export async function directoryOrganisations(db: Q) {
  return db.selectFrom('organisations').select(['id', 'name', 'status']).where('status', 'in', ['member', 'associate']).orderBy('name').limit(1000).execute();
}

export async function communities(db: Q) {
  return db.selectFrom('communities').select(['id', 'name']).orderBy('name').limit(500).execute();
}

export async function communityExists(db: Q, id: string): Promise<boolean> {
  return !!(await db.selectFrom('communities').select('id').where('id', '=', id).executeTakeFirst());
}

export interface Invitee {
  id: string;
  email: string | null;
  locale: string | null;
  display_name: string;
  pseudonym: string | null;
}

/**
 * Everyone a meeting invites, by its audience (the same people access.ts lets in, conveners
 * aside for audiences narrower than the network: they may read every meeting but are not
 * written to about each one), plus its organisers and offered roles. Active accounts only.
 */
export async function inviteesOf(db: Q, meeting: Pick<MeetingRow, 'id' | 'audience' | 'community_id' | 'created_by' | 'organisation_id'>): Promise<Invitee[]> {
  const audience = db
    .selectFrom('people as p')
    .select(['p.id', 'p.email', 'p.locale', 'p.display_name', 'p.pseudonym'])
    .where('p.status', '=', 'active')
    .where((eb) => {
      const staffOf = (standing: ('member' | 'associate')[]) =>
        eb.exists(
          eb
            .selectFrom('memberships as ms')
            .innerJoin('organisations as o', 'o.id', 'ms.organisation_id')
            .select('ms.person_id')
            .whereRef('ms.person_id', '=', 'p.id')
            .where('o.status', 'in', standing),
        );
      // Its maker and its role holders while on the staff they act for (access.ts accessTo).
      const ors = [
        eb.exists(
          eb
            .selectFrom('meeting_roles as r')
            .select('r.person_id')
            .whereRef('r.person_id', '=', 'p.id')
            .where('r.meeting_id', '=', meeting.id)
            .where('r.state', '<>', 'declined')
            .where((e) =>
              e.or([
                e('r.organisation_id', 'is', null),
                e.exists(e.selectFrom('memberships as mr').select('mr.person_id').whereRef('mr.person_id', '=', 'r.person_id').whereRef('mr.organisation_id', '=', 'r.organisation_id')),
              ]),
            ),
        ),
      ];
      if (meeting.created_by) {
        ors.push(
          eb.and([
            eb('p.id', '=', meeting.created_by),
            eb.exists(eb.selectFrom('memberships as mc').select('mc.person_id').whereRef('mc.person_id', '=', 'p.id').where('mc.organisation_id', '=', meeting.organisation_id)),
          ]),
        );
      }
      switch (meeting.audience) {
        case 'network':
          ors.push(eb('p.network_role', 'in', ['convener', 'associate']));
          ors.push(eb.and([eb('p.network_role', '=', 'member'), staffOf(['member', 'associate'])]));
          break;
        case 'members':
          ors.push(eb.and([eb('p.network_role', 'in', ['member', 'convener']), staffOf(['member'])]));
          break;
        case 'associates':
          ors.push(eb('p.network_role', '=', 'associate'));
          ors.push(eb.and([eb('p.network_role', '=', 'member'), staffOf(['associate']), eb.not(staffOf(['member']))]));
          break;
        case 'organisations':
          ors.push(
            eb.exists(
              eb
                .selectFrom('memberships as ms')
                .innerJoin('organisations as o', 'o.id', 'ms.organisation_id')
                .innerJoin('meeting_organisations as mo', 'mo.organisation_id', 'ms.organisation_id')
                .select('ms.person_id')
                .whereRef('ms.person_id', '=', 'p.id')
                .where('mo.meeting_id', '=', meeting.id)
                .where('o.status', 'in', ['member', 'associate']),
            ),
          );
          break;
        case 'community':
          if (meeting.community_id) {
            ors.push(eb.exists(eb.selectFrom('community_members as cm').select('cm.person_id').whereRef('cm.person_id', '=', 'p.id').where('cm.community_id', '=', meeting.community_id)));
          }
          break;
      }
      return eb.or(ors);
    });
  return audience.orderBy('p.id').execute();
}

/** People an organiser may offer a role to: staff of the invited organisations, or associates. */
export async function roleCandidates(db: Q, meeting: Pick<MeetingRow, 'id' | 'audience' | 'organisation_id'>) {
  return db
    .selectFrom('people as p')
    .leftJoin('memberships as ms', 'ms.person_id', 'p.id')
    .leftJoin('organisations as o', (j) => j.onRef('o.id', '=', 'ms.organisation_id').on('o.status', 'in', ['member', 'associate']))
    .select(['p.id', 'p.display_name', 'p.pseudonym', 'o.id as organisation_id', 'o.name as organisation_name'])
    .where('p.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('p.network_role', '=', 'associate'),
        eb.and([
          eb('o.id', 'is not', null),
          meeting.audience === 'organisations'
            ? eb.or([
                eb('o.id', '=', meeting.organisation_id),
                eb.exists(eb.selectFrom('meeting_organisations as mo').select('mo.organisation_id').whereRef('mo.organisation_id', '=', 'o.id').where('mo.meeting_id', '=', meeting.id)),
              ])
            : sql<boolean>`true`,
        ]),
      ]),
    )
    .orderBy('p.display_name')
    .limit(2000)
    .execute();
}

// ---- chairs and the minute-taker --------------------------------------------------------------

export async function roles(db: Q, meetingId: string) {
  return db
    .selectFrom('meeting_roles as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.person_id', 'r.role', 'r.state', 'r.organisation_id', 'o.name as organisation_name', 'p.display_name', 'p.pseudonym'])
    .where('r.meeting_id', '=', meetingId)
    .orderBy('r.created_at')
    .execute();
}

/** An offer names the person only: the organisation is theirs to say when they accept. */
export async function offerRole(trx: Trx, v: { meeting_id: string; person_id: string; role: 'chair' | 'minute_taker'; invited_by: string }): Promise<void> {
  // Offering again after a decline asks again; an accepted role stays as it is.
  await trx
    .insertInto('meeting_roles')
    .values({ ...v, organisation_id: null, state: 'invited' })
    .onConflict((oc) =>
      oc
        .columns(['meeting_id', 'person_id', 'role'])
        .doUpdateSet({ state: 'invited', invited_by: v.invited_by, organisation_id: null, answered_at: null })
        .where('meeting_roles.state', '=', 'declined'),
    )
    .execute();
}

export async function insertAcceptedRole(trx: Trx, v: { meeting_id: string; person_id: string; role: 'chair'; organisation_id: string }): Promise<void> {
  await trx.insertInto('meeting_roles').values({ ...v, state: 'accepted', invited_by: v.person_id, answered_at: new Date() }).execute();
}

export async function answerRole(
  trx: Trx,
  meetingId: string,
  personId: string,
  role: 'chair' | 'minute_taker',
  answer: { state: 'accepted' | 'declined'; organisation_id: string | null },
): Promise<boolean> {
  const r = await trx
    .updateTable('meeting_roles')
    .set({ ...answer, answered_at: new Date() })
    .where('meeting_id', '=', meetingId)
    .where('person_id', '=', personId)
    .where('role', '=', role)
    .where('state', '=', 'invited')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// ---- replies ----------------------------------------------------------------------------------

export async function replyOf(db: Q, meetingId: string, personId: string) {
  return db.selectFrom('meeting_replies').selectAll().where('meeting_id', '=', meetingId).where('person_id', '=', personId).executeTakeFirst();
}

export async function upsertReply(trx: Trx, v: { meeting_id: string; person_id: string; answer: ReplyAnswer; organisation_id: string | null; needs: string | null; named_in_minutes: boolean }): Promise<void> {
  const now = new Date();
  await trx
    .insertInto('meeting_replies')
    .values({ ...v, updated_at: now })
    .onConflict((oc) => oc.columns(['meeting_id', 'person_id']).doUpdateSet({ answer: v.answer, organisation_id: v.organisation_id, needs: v.needs, named_in_minutes: v.named_in_minutes, updated_at: now }))
    .execute();
}

/** People coming (yes), other than one person (whose own reply is being replaced). */
export async function yesCount(db: Q, meetingId: string, except: string): Promise<number> {
  const row = await db
    .selectFrom('meeting_replies')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('meeting_id', '=', meetingId)
    .where('answer', '=', 'yes')
    .where('person_id', '<>', except)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Replies per organisation (null: people replying for none). */
export async function replyCounts(db: Q, meetingId: string) {
  return db
    .selectFrom('meeting_replies as r')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.organisation_id', 'o.name', 'r.answer', (eb) => eb.fn.countAll<string>().as('n')])
    .where('r.meeting_id', '=', meetingId)
    .where('r.answer', 'is not', null)
    .groupBy(['r.organisation_id', 'o.name', 'r.answer'])
    .orderBy('o.name')
    .execute();
}

/** The replies with each person's needs: for the organisers only. */
export async function repliesWithNeeds(db: Q, meetingId: string) {
  return db
    .selectFrom('meeting_replies as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.person_id', 'r.answer', 'r.needs', 'r.checked_in_at', 'o.name as organisation_name', 'p.display_name', 'p.pseudonym'])
    .where('r.meeting_id', '=', meetingId)
    .where('r.needs', 'is not', null)
    .orderBy('p.display_name')
    .execute();
}

/** Who replied (and who was checked in), for the check-in list. */
export async function checkInList(db: Q, meetingId: string) {
  return db
    .selectFrom('meeting_replies as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.person_id', 'r.answer', 'r.checked_in_at', 'o.name as organisation_name', 'p.display_name', 'p.pseudonym'])
    .where('r.meeting_id', '=', meetingId)
    .orderBy('p.display_name')
    .execute();
}

export async function checkIn(trx: Trx, v: { meeting_id: string; person_id: string; organisation_id: string | null; by: string }): Promise<void> {
  const now = new Date();
  await trx
    .insertInto('meeting_replies')
    .values({ meeting_id: v.meeting_id, person_id: v.person_id, answer: null, organisation_id: v.organisation_id, checked_in_at: now, checked_in_by: v.by, updated_at: now })
    .onConflict((oc) => oc.columns(['meeting_id', 'person_id']).doUpdateSet({ checked_in_at: now, checked_in_by: v.by, updated_at: now }))
    .execute();
}

/** Member organisations with someone checked in: the AGM's quorum counts these (part D reads it). */
export async function organisationsCheckedIn(db: Q, meetingId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('meeting_replies as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select('o.id')
    .distinct()
    .where('r.meeting_id', '=', meetingId)
    .where('r.checked_in_at', 'is not', null)
    .where('o.status', '=', 'member')
    .execute();
  return rows.map((r) => r.id);
}

/** The organisations a person is staff of in good standing (to check in for one). */
export async function organisationsOfPerson(db: Q, personId: string) {
  return db
    .selectFrom('memberships as ms')
    .innerJoin('organisations as o', 'o.id', 'ms.organisation_id')
    .select(['o.id', 'o.name', 'o.status'])
    .where('ms.person_id', '=', personId)
    .where('o.status', 'in', ['member', 'associate'])
    .orderBy('o.name')
    .execute();
}

/**
 * Needs are kept only until the meeting is over: erased for every meeting that has ended, at
 * once for all (called before any read of needs, and by the job scheduled at the meeting's end).
 * The meetings are claimed by the update itself (`needs_erased_at is null` is re-checked under
 * each row's lock), so of two sweeps at once only one gets a meeting: the ids returned are
 * exactly those this call erased, and the other sweep audits nothing for them.
 */
export async function eraseEndedNeeds(trx: Trx, now = new Date()): Promise<string[]> {
  const claimed = await trx.updateTable('meetings').set({ needs_erased_at: now }).where('ends_at', '<=', now).where('needs_erased_at', 'is', null).returning('id').execute();
  if (claimed.length === 0) return [];
  const ids = claimed.map((m) => m.id);
  await trx.updateTable('meeting_replies').set({ needs: null }).where('meeting_id', 'in', ids).where('needs', 'is not', null).execute();
  return ids;
}

// ---- each reader's time zone ------------------------------------------------------------------

export async function timeZoneOf(db: Q, personId: string): Promise<string | undefined> {
  return (await db.selectFrom('meeting_preferences').select('time_zone').where('person_id', '=', personId).executeTakeFirst())?.time_zone;
}

export async function setTimeZone(trx: Trx, personId: string, timeZone: string): Promise<void> {
  const now = new Date();
  await trx
    .insertInto('meeting_preferences')
    .values({ person_id: personId, time_zone: timeZone, updated_at: now })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ time_zone: timeZone, updated_at: now }))
    .execute();
}

/** The zones of many readers at once (for mails): person id → zone. */
export async function timeZonesOf(db: Q, personIds: readonly string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.selectFrom('meeting_preferences').select(['person_id', 'time_zone']).where('person_id', 'in', [...personIds]).execute();
  return new Map(rows.map((r) => [r.person_id, r.time_zone]));
}

// ---- series -----------------------------------------------------------------------------------

/** The meetings of a series this reader may see (the same rule as every list: visibleTo). */
export async function seriesMeetings(db: Q, seriesId: string, reader: Reader) {
  return db
    .selectFrom('meetings as m')
    .select(['m.id', 'm.title', 'm.starts_at', 'm.time_zone', 'm.state'])
    .where('m.series_id', '=', seriesId)
    .where(visibleTo(reader, true))
    .orderBy('m.starts_at')
    .limit(200)
    .execute();
}
