import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AgendaItemKind } from '../../db/schema/meetings-agenda.ts';

type Q = Kysely<DB> | Transaction<DB>;

// ---- agenda items ------------------------------------------------------------------------------

/** Every item of a meeting, accepted ones in their order first, then the rest oldest first. */
export async function itemsOf(db: Q, meetingId: string) {
  return db
    .selectFrom('agenda_items as i')
    .leftJoin('organisations as o', 'o.id', 'i.organisation_id')
    .leftJoin('people as p', 'p.id', 'i.proposed_by')
    .leftJoin('alerts as a', 'a.id', 'i.alert_id')
    .select([
      'i.id',
      'i.kind',
      'i.alert_id',
      'i.title',
      'i.why',
      'i.minutes',
      'i.organisation_id',
      'i.proposed_by',
      'i.state',
      'i.reason',
      'i.position',
      'i.created_at',
      'o.name as organisation_name',
      // A pseudonymous participant is shown by their pseudonym, never their name.
      sql<string | null>`coalesce(p.pseudonym, p.display_name)`.as('proposer_name'),
      'a.number as alert_number',
    ])
    .where('i.meeting_id', '=', meetingId)
    .orderBy(sql`case i.state when 'accepted' then 0 when 'proposed' then 1 else 2 end`)
    .orderBy('i.position')
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
}
export type AgendaItemRow = Awaited<ReturnType<typeof itemsOf>>[number];

export async function insertItem(
  trx: Transaction<DB>,
  values: {
    meeting_id: string;
    kind: AgendaItemKind;
    alert_id: string | null;
    title: string;
    why: string;
    minutes: number;
    organisation_id: string | null;
    proposed_by: string;
    accepted?: { by: string; position: number };
  },
): Promise<string> {
  const { accepted, ...row } = values;
  const { id } = await trx
    .insertInto('agenda_items')
    .values({
      ...row,
      state: accepted ? 'accepted' : 'proposed',
      position: accepted?.position ?? null,
      decided_by: accepted?.by ?? null,
      decided_at: accepted ? new Date() : null,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** One item of one meeting, locked: an item id from another meeting is not found. */
export async function lockItem(trx: Transaction<DB>, meetingId: string, itemId: string) {
  return trx.selectFrom('agenda_items').select(['id', 'state', 'position', 'minutes']).where('meeting_id', '=', meetingId).where('id', '=', itemId).forUpdate().executeTakeFirst();
}

/** The next free position at the end of the accepted items (the meeting is locked by then). */
export async function nextPosition(trx: Transaction<DB>, meetingId: string): Promise<number> {
  const row = await trx
    .selectFrom('agenda_items')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('meeting_id', '=', meetingId)
    .where('state', '=', 'accepted')
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

export async function acceptItem(trx: Transaction<DB>, itemId: string, by: string, position: number, minutes: number): Promise<void> {
  await trx.updateTable('agenda_items').set({ state: 'accepted', position, minutes, reason: null, decided_by: by, decided_at: new Date(), updated_at: new Date() }).where('id', '=', itemId).execute();
}

export async function declineItem(trx: Transaction<DB>, itemId: string, by: string, reason: string): Promise<void> {
  await trx.updateTable('agenda_items').set({ state: 'declined', position: null, reason, decided_by: by, decided_at: new Date(), updated_at: new Date() }).where('id', '=', itemId).execute();
}

export async function setMinutes(trx: Transaction<DB>, itemId: string, minutes: number): Promise<void> {
  await trx.updateTable('agenda_items').set({ minutes, updated_at: new Date() }).where('id', '=', itemId).execute();
}

/** The accepted item just before (up) or after (down) a position, to swap places with. */
export async function neighbour(trx: Transaction<DB>, meetingId: string, position: number, direction: 'up' | 'down') {
  return trx
    .selectFrom('agenda_items')
    .select(['id', 'position'])
    .where('meeting_id', '=', meetingId)
    .where('state', '=', 'accepted')
    .where('position', direction === 'up' ? '<' : '>', position)
    .orderBy('position', direction === 'up' ? 'desc' : 'asc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function setPosition(trx: Transaction<DB>, itemId: string, position: number): Promise<void> {
  await trx.updateTable('agenda_items').set({ position, updated_at: new Date() }).where('id', '=', itemId).execute();
}

export async function publishAgenda(trx: Transaction<DB>, meetingId: string): Promise<void> {
  await trx.updateTable('meetings').set({ agenda_published_at: new Date(), updated_at: new Date() }).where('id', '=', meetingId).where('agenda_published_at', 'is', null).execute();
}

// ---- convening from an alert --------------------------------------------------------------------

const IN_GOOD_STANDING = ['member', 'associate'] as const;

/**
 * Organisations in good standing some of whose active staff subscribed to alerts on this
 * country by name (a subscription to every country is not a sign of working on this one).
 */
export async function subscribedOrganisations(db: Q, country: string) {
  return db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name'])
    .where('o.status', 'in', IN_GOOD_STANDING)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships as ms')
          .innerJoin('people as p', 'p.id', 'ms.person_id')
          .innerJoin('alert_subscriptions as s', 's.person_id', 'ms.person_id')
          .select('ms.person_id')
          .whereRef('ms.organisation_id', '=', 'o.id')
          .where('p.status', '=', 'active')
          .where(sql<boolean>`${country} = any(s.countries)`),
      ),
    )
    .orderBy('o.name')
    .limit(200)
    .execute();
}

/** Organisations the directory lists as working on this country (organisations.countries). */
export async function directoryOrganisations(db: Q, country: string) {
  return db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name'])
    .where('o.status', 'in', IN_GOOD_STANDING)
    .where(sql<boolean>`${country} = any(o.countries)`)
    .orderBy('o.name')
    .limit(200)
    .execute();
}

/** Of these ids, the organisations in good standing (the others cannot be invited). */
export async function organisationsInGoodStanding(db: Q, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('organisations').select('id').where('id', 'in', ids).where('status', 'in', IN_GOOD_STANDING).execute()).map((r) => r.id);
}

export async function openMeetingRequests(db: Q, alertId: string) {
  return db
    .selectFrom('meeting_requests as r')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.purpose', 'r.created_at', 'o.name as organisation_name'])
    .where('r.alert_id', '=', alertId)
    .where('r.status', '=', 'open')
    .orderBy('r.created_at')
    .execute();
}

/** The open requests for a meeting on this alert are answered: one is now being arranged. */
export async function answerMeetingRequests(trx: Transaction<DB>, alertId: string): Promise<string[]> {
  const rows = await trx.updateTable('meeting_requests').set({ status: 'scheduled' }).where('alert_id', '=', alertId).where('status', '=', 'open').returning('id').execute();
  return rows.map((r) => r.id);
}

/** The draft meeting, as part A's form makes one: the creator its first, accepted chair. */
export async function insertConvenedMeeting(
  trx: Transaction<DB>,
  values: { uid: string; title: string; purpose: string; place: string | null; online_url: string | null; starts_at: Date; ends_at: Date; time_zone: string; agenda_days: number; alert_id: string; organisation_id: string; created_by: string },
): Promise<string> {
  const { id } = await trx
    .insertInto('meetings')
    .values({ ...values, kind: 'ad_hoc', state: 'draft', audience: 'organisations', updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('meeting_roles')
    .values({ meeting_id: id, person_id: values.created_by, role: 'chair', organisation_id: values.organisation_id, state: 'accepted', invited_by: values.created_by, answered_at: new Date() })
    .execute();
  return id;
}

export async function insertMeetingOrganisations(trx: Transaction<DB>, meetingId: string, rows: { organisation_id: string; source: 'named' | 'subscribed' }[], by: string): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('meeting_organisations')
    .values(rows.map((r) => ({ meeting_id: meetingId, organisation_id: r.organisation_id, source: r.source, invited_by: by })))
    .onConflict((oc) => oc.columns(['meeting_id', 'organisation_id']).doNothing())
    .execute();
}

// ---- time polls ----------------------------------------------------------------------------------

export async function pollOf(db: Q, meetingId: string) {
  return db.selectFrom('meeting_polls').selectAll().where('meeting_id', '=', meetingId).executeTakeFirst();
}

/** The slots with how many can make each, and whether this person said they can. */
export async function slotsOf(db: Q, meetingId: string, personId: string | undefined) {
  return db
    .selectFrom('meeting_poll_slots as s')
    .select((eb) => [
      's.id',
      's.starts_at',
      's.ends_at',
      eb
        .selectFrom('meeting_poll_marks as k')
        .select((k) => k.fn.countAll<number>().as('n'))
        .whereRef('k.slot_id', '=', 's.id')
        .where('k.can_make', '=', true)
        .as('can_count'),
      eb
        .selectFrom('meeting_poll_marks as k')
        .select('k.can_make')
        .whereRef('k.slot_id', '=', 's.id')
        .where('k.person_id', '=', personId ?? '00000000-0000-0000-0000-000000000000')
        .as('mine'),
    ])
    .where('s.meeting_id', '=', meetingId)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute();
}

export async function answeredCount(db: Q, meetingId: string): Promise<number> {
  const row = await db
    .selectFrom('meeting_poll_marks as k')
    .innerJoin('meeting_poll_slots as s', 's.id', 'k.slot_id')
    .select(sql<number>`count(distinct k.person_id)`.as('n'))
    .where('s.meeting_id', '=', meetingId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertPoll(trx: Transaction<DB>, meetingId: string, by: string, slots: { starts_at: Date; ends_at: Date }[]): Promise<void> {
  await trx.insertInto('meeting_polls').values({ meeting_id: meetingId, created_by: by }).execute();
  await trx
    .insertInto('meeting_poll_slots')
    .values(slots.map((s) => ({ meeting_id: meetingId, ...s })))
    .execute();
}

export async function lockPoll(trx: Transaction<DB>, meetingId: string) {
  return trx.selectFrom('meeting_polls').selectAll().where('meeting_id', '=', meetingId).forUpdate().executeTakeFirst();
}

export async function slotIds(db: Q, meetingId: string): Promise<string[]> {
  return (await db.selectFrom('meeting_poll_slots').select('id').where('meeting_id', '=', meetingId).execute()).map((r) => r.id);
}

export async function findSlot(db: Q, meetingId: string, slotId: string) {
  return db.selectFrom('meeting_poll_slots').select(['id', 'starts_at', 'ends_at']).where('meeting_id', '=', meetingId).where('id', '=', slotId).executeTakeFirst();
}

/** One person's answer for every slot: those ticked can be made, the rest cannot. */
export async function saveMarks(trx: Transaction<DB>, personId: string, slots: readonly string[], canMake: ReadonlySet<string>): Promise<void> {
  if (slots.length === 0) return;
  await trx
    .insertInto('meeting_poll_marks')
    .values(slots.map((slot_id) => ({ slot_id, person_id: personId, can_make: canMake.has(slot_id), updated_at: new Date() })))
    .onConflict((oc) => oc.columns(['slot_id', 'person_id']).doUpdateSet((eb) => ({ can_make: eb.ref('excluded.can_make'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

export async function closePoll(trx: Transaction<DB>, meetingId: string, slotId: string, by: string): Promise<void> {
  await trx.updateTable('meeting_polls').set({ state: 'closed', chosen_slot_id: slotId, closed_at: new Date(), closed_by: by }).where('meeting_id', '=', meetingId).execute();
}

/**
 * The meeting takes the chosen slot's time. A change of time raises its SEQUENCE (calendars
 * replace the event they hold only for a higher one); `schedule` also makes a draft scheduled.
 */
export async function moveMeeting(trx: Transaction<DB>, meetingId: string, slot: { starts_at: Date; ends_at: Date }, schedule: boolean): Promise<void> {
  await trx
    .updateTable('meetings')
    .set((eb) => ({
      starts_at: slot.starts_at,
      ends_at: slot.ends_at,
      sequence: eb('sequence', '+', 1),
      updated_at: new Date(),
      ...(schedule ? { state: 'scheduled' as const, scheduled_at: new Date() } : {}),
    }))
    .where('id', '=', meetingId)
    .execute();
}

/** The reader's own time zone, when they set one (meeting_preferences, part A's settings). */
export async function preferredZone(db: Q, personId: string): Promise<string | undefined> {
  return (await db.selectFrom('meeting_preferences').select('time_zone').where('person_id', '=', personId).executeTakeFirst())?.time_zone;
}

/** Who marked a meeting's time poll (active accounts), to be told the time chosen. */
export async function pollMarkers(db: Q, meetingId: string) {
  return db
    .selectFrom('people as p')
    .select(['p.id', 'p.email', 'p.locale'])
    .where('p.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('meeting_poll_marks as k')
          .innerJoin('meeting_poll_slots as s', 's.id', 'k.slot_id')
          .select('k.person_id')
          .whereRef('k.person_id', '=', 'p.id')
          .where('s.meeting_id', '=', meetingId),
      ),
    )
    .execute();
}
