import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ACTING_FOR_FIELD, actingFor, actingForIfAny } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import { DEFAULT_LOCALE, isSupportedLocale } from '../../platform/i18n.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import { DEFAULT_TIME_ZONE, instantToZoned, isTimeZone, timeZones, zonedToInstant } from '../../platform/timezones.ts';
import { accessTo, assertInvited, assertOrganiser, type MeetingAccess, type MeetingRow, meetingAccess, organisationsOf, readerOf } from './access.ts';
import { lockMeeting, visibleMeetings } from './access.repository.ts';
import { dueActionsOf } from './actions.repository.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import { queueMeetingNotice } from './meetings.notices.ts';
import * as repo from './meetings.repository.ts';
import type { AnswerRoleInput, CheckInInput, MeetingInput, OfferRoleInput, ReplyInput, TimeZoneInput } from './meetings.schemas.ts';

type Trx = Transaction<DB>;

export const ERASE_NEEDS_JOB = 'meetings.eraseNeeds';

/** Zones most people here use, offered first in the form's select (the rest follow, A–Z). */
export const COMMON_ZONES = ['Europe/London', 'UTC', 'Africa/Khartoum', 'Africa/Juba', 'Africa/Addis_Ababa', 'Africa/Nairobi', 'Europe/Paris', 'America/New_York', 'Asia/Dubai'] as const;

export function zoneOptions(): string[] {
  const known = new Set(timeZones());
  const common = COMMON_ZONES.filter((z) => known.has(z));
  return [...common, ...[...known].filter((z) => !common.includes(z as (typeof COMMON_ZONES)[number]))];
}

/** What a change must tell calendars: these fields raise SEQUENCE (RFC 5545 §3.8.7.4). */
function significant(before: MeetingRow, after: { starts_at: Date; ends_at: Date; place: string | null; online_url: string | null }): boolean {
  return (
    before.starts_at.getTime() !== after.starts_at.getTime() || before.ends_at.getTime() !== after.ends_at.getTime() || before.place !== after.place || before.online_url !== after.online_url
  );
}

/** At most this many meetings and actions are counted for one digest: far more than it shows. */
const DIGEST_SCAN = 200;

export class MeetingsService {
  constructor(readonly p: Platform) {
    p.jobs.define(ERASE_NEEDS_JOB, async () => {
      await this.eraseEndedNeeds();
    });
    p.digests.register({ topic: 'meetings', newFor: (reader, _since, until, limit, kind) => this.dueSoon(reader, until, kind, limit) });
  }

  /**
   * A digest's meetings and actions: those the reader is invited to or in the audience of that
   * start (and the reader's own accepted actions that fall due) in the digest's coming period, a
   * day or a week from the run, so that consecutive digests name each once. Cancelled meetings
   * and finished actions are left out.
   */
  private async dueSoon(reader: PersonActor, until: Date, kind: 'daily' | 'weekly', limit: number) {
    const ahead = new Date(until.getTime() + (kind === 'daily' ? 1 : 7) * 86_400_000);
    const [meetings, actions] = await Promise.all([
      visibleMeetings(this.db, readerOf(reader), { from: until, to: ahead, publicToo: false, scheduledOnly: true, limit: DIGEST_SCAN }),
      dueActionsOf(this.db, reader.id, until, ahead, DIGEST_SCAN),
    ]);
    const locale = isSupportedLocale(reader.locale) ? reader.locale : DEFAULT_LOCALE;
    const when = (at: Date, zone: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE }).format(at);
    const url = (path: string) => new URL(path, this.p.config.publicUrl).href;
    const items = [
      ...meetings
        .filter((m) => m.starts_at > until)
        .map((m) => ({ title: `${m.title} (${when(m.starts_at, m.time_zone)})`, url: url(`/meetings/${m.id}`), what: 'digest.item.meetingSoon' })),
      ...actions.map((a) => ({ title: `${a.title} (${a.due_on})`, url: url(`/actions/${a.id}`), what: 'digest.item.actionDue' })),
    ];
    return { items: items.slice(0, limit), total: items.length };
  }

  private get db() {
    return this.p.db;
  }

  /**
   * The iCalendar UID: a random UUID, set once and never changed (RFC 7986 §5.3 recommends a
   * UUID; the older "id@host" form looks like an e-mail address, and calendars carry none).
   */
  private uid(): string {
    return randomUUID();
  }

  /** Needs are for the meeting only: gone once it has ended (a sweep before every read of them). */
  async eraseEndedNeeds(now = new Date()): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const ids = await repo.eraseEndedNeeds(trx, now);
      for (const id of ids) await audit(trx, null, { action: 'meeting.needs_erased', recordType: 'meeting', recordId: id });
      return ids.length;
    });
  }

  /** The reader's own zone (meeting_preferences), if they set one. */
  async readerZone(actor: Actor): Promise<string | undefined> {
    return actor.kind === 'person' ? repo.timeZoneOf(this.db, actor.id) : undefined;
  }

  // ---- lists ------------------------------------------------------------------------------

  async list(actor: Actor, now = new Date()) {
    const reader = readerOf(actor);
    const [upcoming, recentAll, zone] = await Promise.all([
      visibleMeetings(this.db, reader, { from: now, publicToo: true, limit: 100 }),
      visibleMeetings(this.db, reader, { from: new Date(now.getTime() - 90 * 86_400_000), to: now, publicToo: true, limit: 200 }),
      this.readerZone(actor),
    ]);
    const recent = recentAll.filter((m) => m.ends_at < now).reverse().slice(0, 50);
    return { upcoming, recent, zone, canConvene: meetingsPolicy.can(actor, 'convene') };
  }

  // ---- convening and editing ----------------------------------------------------------------

  private async formOptions(me: PersonActor) {
    const [series, organisations, communities] = await Promise.all([repo.seriesOf(this.db, organisationsOf(me)), repo.directoryOrganisations(this.db), repo.communities(this.db)]);
    return { series, organisations, communities, zones: zoneOptions() };
  }

  async newForm(actor: Actor) {
    const me = meetingsPolicy.person(actor, 'convene');
    return {
      values: { kind: 'ad_hoc', timeZone: DEFAULT_TIME_ZONE, audience: 'members', agendaDays: '7', organisations: [], interpretation: [] } as Record<string, unknown>,
      options: await this.formOptions(me),
    };
  }

  /** The options of the form, shown again when it is refused. */
  async options(actor: Actor) {
    const me = meetingsPolicy.person(actor, 'attend');
    return this.formOptions(me);
  }

  /** Every check the schema cannot make, each with its own message; nothing is written if any fails. */
  private async values(input: MeetingInput, organisationId: string, invitedOtherwise = 0, draft = false) {
    const errors: FieldErrors = {};
    const zone = input.timeZone;
    if (!isTimeZone(zone)) errors.timeZone = { key: 'errors.meetingTimeZone' };
    const starts = isTimeZone(zone) ? zonedToInstant(input.startsAt, zone) : undefined;
    const ends = isTimeZone(zone) ? zonedToInstant(input.endsAt, zone) : undefined;
    if (isTimeZone(zone) && !starts) errors.startsAt = { key: 'errors.meetingDateTime' };
    if (isTimeZone(zone) && !ends) errors.endsAt = { key: 'errors.meetingDateTime' };
    if (starts && ends && ends <= starts) errors.endsAt = { key: 'errors.meetingEndsBeforeStart' };
    if (starts && ends && ends.getTime() - starts.getTime() > 14 * 86_400_000) errors.endsAt = { key: 'errors.meetingTooLong' };
    // A draft may not know where yet (convened from an alert, its time still being polled);
    // invitations say where, so scheduling needs it (`schedule`).
    if (!draft && !input.place && !input.onlineUrl) errors.place = { key: 'errors.meetingPlaceOrLink' };
    const agendaDays = Number(input.agendaDays);
    let organisations: string[] = [];
    if (input.audience === 'organisations') {
      const known = new Set((await repo.directoryOrganisations(this.db)).map((o) => o.id));
      organisations = [...new Set(input.organisations)];
      if (organisations.some((o) => !known.has(o))) errors.organisations = { key: 'errors.choice' };
      else if (input.organisations.length === 0 && invitedOtherwise === 0) errors.organisations = { key: 'errors.meetingOrganisationsRequired' };
      // The convening organisation is at its own meeting.
      if (!organisations.includes(organisationId)) organisations.push(organisationId);
    }
    let communityId: string | null = null;
    if (input.audience === 'community') {
      if (!input.community) errors.community = { key: 'errors.meetingCommunityRequired' };
      else if (!(await repo.communityExists(this.db, input.community))) errors.community = { key: 'errors.choice' };
      else communityId = input.community;
    }
    let seriesId: string | null = null;
    if (input.series && input.newSeries) errors.newSeries = { key: 'errors.meetingSeriesBoth' };
    else if (input.series) {
      const s = await repo.findSeries(this.db, input.series);
      if (!s || s.organisation_id !== organisationId) errors.series = { key: 'errors.choice' };
      else seriesId = s.id;
    }
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    return {
      values: {
        kind: input.kind,
        title: input.title,
        purpose: input.purpose ?? '',
        starts_at: starts as Date,
        ends_at: ends as Date,
        time_zone: zone,
        place: input.place ?? null,
        online_url: input.onlineUrl ?? null,
        accessibility: input.accessibility ?? '',
        interpretation: [...new Set(input.interpretation)],
        audience: input.audience,
        community_id: communityId,
        listed_publicly: input.listedPublicly === 'yes',
        chatham_house: input.chathamHouse === 'yes',
        distressing: input.distressing === 'yes',
        capacity: input.capacity ? Number(input.capacity) : null,
        agenda_days: agendaDays,
        series_id: seriesId,
      } satisfies repo.MeetingValues,
      organisations,
    };
  }

  /** A new meeting, as a draft; whoever convenes it is its first chair, by their own act. */
  async create(actor: Actor, input: MeetingInput, chosen: unknown): Promise<string> {
    const me = meetingsPolicy.person(actor, 'convene');
    const organisationId = actingFor(me, chosen);
    const { values, organisations } = await this.values(input, organisationId);
    return this.db.transaction().execute(async (trx) => {
      const seriesId = input.newSeries ? await repo.insertSeries(trx, { title: input.newSeries, organisation_id: organisationId, created_by: me.id }) : values.series_id;
      const id = await repo.insertMeeting(trx, { ...values, series_id: seriesId, uid: this.uid(), organisation_id: organisationId, created_by: me.id });
      await repo.setOrganisations(trx, id, organisations, me.id);
      await repo.insertAcceptedRole(trx, { meeting_id: id, person_id: me.id, role: 'chair', organisation_id: organisationId });
      if (seriesId && input.newSeries) await audit(trx, me, { action: 'meeting_series.create', recordType: 'meeting_series', recordId: seriesId });
      await audit(trx, me, { action: 'meeting.create', recordType: 'meeting', recordId: id });
      return id;
    });
  }

  /** The edit form's values: organisers only. */
  async editForm(actor: Actor, id: string) {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.db, me, id);
    assertOrganiser(access);
    const m = access.meeting;
    const named = (await repo.meetingOrganisations(this.db, id)).filter((o) => o.source === 'named').map((o) => o.id);
    return {
      meeting: m,
      values: {
        kind: m.kind,
        title: m.title,
        purpose: m.purpose,
        startsAt: instantToZoned(m.starts_at, m.time_zone),
        endsAt: instantToZoned(m.ends_at, m.time_zone),
        timeZone: m.time_zone,
        place: m.place ?? undefined,
        onlineUrl: m.online_url ?? undefined,
        accessibility: m.accessibility,
        interpretation: m.interpretation,
        audience: m.audience,
        organisations: named,
        community: m.community_id ?? undefined,
        listedPublicly: m.listed_publicly ? 'yes' : undefined,
        chathamHouse: m.chatham_house ? 'yes' : undefined,
        distressing: m.distressing ? 'yes' : undefined,
        capacity: m.capacity ? String(m.capacity) : undefined,
        agendaDays: String(m.agenda_days),
        series: m.series_id ?? undefined,
      } as Record<string, unknown>,
      options: await this.formOptions(me),
    };
  }

  /**
   * Saves an edit. A change of time, place or link raises the sequence by one (calendars take
   * the higher sequence as the newer event) and, once scheduled, tells everyone invited.
   */
  async update(actor: Actor, id: string, input: MeetingInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.db, me, id);
    assertOrganiser(access);
    if (access.meeting.state === 'cancelled') throw AppError.invalid({}, 'errors.meetingCancelled');
    // Organisations invited from an alert (subscribed, suggested: part B) count as invited.
    const fromAlert = (await repo.meetingOrganisations(this.db, id)).filter((o) => o.source !== 'named').length;
    // The convening organisation stays the one that convened it.
    const { values, organisations } = await this.values(input, access.meeting.organisation_id, fromAlert, access.meeting.state === 'draft');
    await this.db.transaction().execute(async (trx) => {
      const before = (await lockMeeting(trx, id)) as MeetingRow;
      await this.assertStillOrganiser(trx, me, before);
      if (before.state === 'cancelled') throw AppError.invalid({}, 'errors.meetingCancelled');
      const changed = significant(before, values);
      const seriesId = input.newSeries ? await repo.insertSeries(trx, { title: input.newSeries, organisation_id: before.organisation_id, created_by: me.id }) : values.series_id;
      // Moved to end later than now: the needs people give from here on are erased after the new
      // end (the job skips a meeting whose needs were already erased once).
      const reopened = before.needs_erased_at !== null && values.ends_at > new Date();
      const scheduled = before.state === 'scheduled';
      // Read under the lock: the form's check above may be stale (someone scheduled it meanwhile).
      if (scheduled && !values.place && !values.online_url) throw AppError.field('place', 'errors.meetingPlaceOrLink');
      const invitedBefore = scheduled ? await repo.inviteesOf(trx, before) : [];
      await repo.updateMeeting(trx, id, { ...values, series_id: seriesId, ...(reopened ? { needs_erased_at: null } : {}) });
      await repo.setOrganisations(trx, id, organisations, me.id);
      // Organisations or the audience changing invites some people and no longer others. Each
      // of them gets a calendar object newer than the last one they had, so the sequence moves
      // once, before anything is sent, whenever anyone is told anything.
      const after = scheduled ? await repo.inviteesOf(trx, { ...before, ...values }) : [];
      const was = new Set(invitedBefore.map((x) => x.id));
      const now = new Set(after.map((x) => x.id));
      const added = after.filter((x) => !was.has(x.id));
      const dropped = invitedBefore.filter((x) => !now.has(x.id));
      const sequence = changed || added.length > 0 || dropped.length > 0 ? before.sequence + 1 : before.sequence;
      if (sequence !== before.sequence) await repo.updateMeeting(trx, id, { sequence });
      if (scheduled) {
        if (changed) await queueMeetingNotice(this.p, trx, id, 'changed', after.filter((x) => was.has(x.id)));
        if (added.length > 0) await queueMeetingNotice(this.p, trx, id, 'invitation', added);
        // Those no longer invited are told what they knew of it, not its new place, link or time.
        if (dropped.length > 0) await queueMeetingNotice(this.p, trx, id, 'uninvited', dropped, { ...before, sequence });
        if (changed && before.ends_at.getTime() !== values.ends_at.getTime()) await this.scheduleErasure(trx, values.ends_at);
        else if (reopened) await this.scheduleErasure(trx, values.ends_at);
      } else if (reopened) await this.scheduleErasure(trx, values.ends_at);
      await audit(trx, me, { action: 'meeting.update', recordType: 'meeting', recordId: id });
    });
  }

  /**
   * The organiser check again, under the meeting's lock: the one before the transaction may be
   * stale by now (a chair who declined or was replaced while the form was being posted).
   */
  private async assertStillOrganiser(trx: Trx, me: PersonActor, locked: MeetingRow): Promise<void> {
    const now = await accessTo(trx, me, locked);
    if (!now) throw AppError.notFound();
    assertOrganiser(now);
  }

  private async scheduleErasure(trx: Trx, endsAt: Date): Promise<void> {
    await this.p.jobs.enqueue(trx, ERASE_NEEDS_JOB, {}, endsAt > new Date() ? { startAfter: endsAt } : {});
  }

  /** Draft → scheduled: the invitations go out. */
  async schedule(actor: Actor, id: string): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    assertOrganiser(await meetingAccess(this.db, me, id));
    await this.db.transaction().execute(async (trx) => {
      const m = (await lockMeeting(trx, id)) as MeetingRow;
      if (m.state !== 'draft') throw AppError.invalid({}, 'errors.meetingNotDraft');
      if (!m.place && !m.online_url) throw AppError.invalid({}, 'errors.meetingScheduleWhere');
      await repo.updateMeeting(trx, id, { state: 'scheduled', scheduled_at: new Date(), sequence: m.sequence + 1 });
      await queueMeetingNotice(this.p, trx, id, 'invitation');
      await this.scheduleErasure(trx, m.ends_at);
      await audit(trx, me, { action: 'meeting.schedule', recordType: 'meeting', recordId: id });
    });
  }

  /** Cancelled, not deleted: it stays (calendars show it cancelled), and everyone invited is told. */
  async cancel(actor: Actor, id: string): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    assertOrganiser(await meetingAccess(this.db, me, id));
    await this.db.transaction().execute(async (trx) => {
      const m = (await lockMeeting(trx, id)) as MeetingRow;
      if (m.state === 'cancelled') throw AppError.invalid({}, 'errors.meetingCancelled');
      const wasScheduled = m.state === 'scheduled';
      await repo.updateMeeting(trx, id, { state: 'cancelled', cancelled_at: new Date(), sequence: m.sequence + 1 });
      if (wasScheduled) await queueMeetingNotice(this.p, trx, id, 'cancelled');
      await audit(trx, me, { action: 'meeting.cancel', recordType: 'meeting', recordId: id });
    });
  }

  // ---- the meeting page ---------------------------------------------------------------------

  async page(actor: Actor, id: string) {
    let access = await meetingAccess(this.db, actor, id);
    // Over, and its needs not yet erased (the job may not have run): erase them before anyone reads.
    if (access.invited && access.meeting.ends_at <= new Date() && !access.meeting.needs_erased_at) {
      await this.eraseEndedNeeds();
      access = await meetingAccess(this.db, actor, id);
    }
    const m = access.meeting;
    const person = actor.kind === 'person' ? actor : undefined;
    const zone = await this.readerZone(actor);
    const series = m.series_id ? await repo.findSeries(this.db, m.series_id) : undefined;
    const seriesMeetings = m.series_id ? (await repo.seriesMeetings(this.db, m.series_id, readerOf(actor))).filter((x) => x.id !== m.id) : [];
    const convener = await repo.organisationName(this.db, m.organisation_id);
    const base = { access, meeting: m, zone, series, seriesMeetings, convenerName: convener ?? '' };
    if (access.publicOnly || !access.invited) return { ...base, inside: undefined };
    const [roles, counts, organisations, mine, needs, candidates, personOrgs] = await Promise.all([
      repo.roles(this.db, id),
      repo.replyCounts(this.db, id),
      repo.meetingOrganisations(this.db, id),
      person ? repo.replyOf(this.db, id, person.id) : Promise.resolve(undefined),
      access.organiser ? repo.repliesWithNeeds(this.db, id) : Promise.resolve([]),
      access.organiser ? repo.roleCandidates(this.db, m) : Promise.resolve([]),
      person ? repo.organisationsOfPerson(this.db, person.id) : Promise.resolve([]),
    ]);
    // From the accepted rows only: an offer names no organisation (the person picks it on accepting).
    const chairs = roles.filter((r) => r.role === 'chair' && r.state === 'accepted');
    const chairOrganisations = new Set(chairs.map((r) => r.organisation_id ?? `person:${r.person_id}`));
    return {
      ...base,
      inside: {
        // An offer not yet accepted is between the organisers and that person: nobody else reads who was asked.
        roles: roles.filter((r) => r.state === 'accepted' || access.organiser || r.person_id === person?.id),
        counts,
        organisations,
        mine,
        needs,
        candidates: this.candidateList(candidates),
        replyOrganisations: this.replyOptions(access, personOrgs),
        // Shared facilitation: say so when every chair is from one organisation; never block.
        oneOrganisationChairs: chairs.length > 0 && chairOrganisations.size === 1,
        pseudonymous: !!person && !!(await this.isPseudonymous(person.id)),
        open: m.state === 'scheduled',
      },
    };
  }

  private async isPseudonymous(personId: string): Promise<boolean> {
    return repo.isPseudonymous(this.db, personId);
  }

  /** The organisations someone may reply for: theirs, among those invited when some are named. */
  private replyOptions(access: MeetingAccess, personOrgs: { id: string; name: string }[]) {
    const named = access.meeting.audience === 'organisations';
    return personOrgs.filter((o) => !named || access.invitedOrganisations.includes(o.id) || o.id === access.meeting.organisation_id);
  }

  /** One entry per person (the query gives one per membership), with their organisations to tell namesakes apart. */
  private candidateList(rows: Awaited<ReturnType<typeof repo.roleCandidates>>) {
    const byPerson = new Map<string, { id: string; name: string; organisations: string[] }>();
    for (const r of rows) {
      let c = byPerson.get(r.id);
      if (!c) {
        c = { id: r.id, name: r.pseudonym ?? r.display_name, organisations: [] };
        byPerson.set(r.id, c);
      }
      if (r.organisation_name && !c.organisations.includes(r.organisation_name)) c.organisations.push(r.organisation_name);
    }
    return [...byPerson.values()];
  }

  // ---- chairs and the minute-taker ------------------------------------------------------------

  /**
   * An organiser offers a role to a person; the person holds it only once they accept, and it
   * is they who say, then, which organisation they hold it for.
   */
  async offerRole(actor: Actor, id: string, input: OfferRoleInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.db, me, id);
    assertOrganiser(access);
    if (access.meeting.state === 'cancelled') throw AppError.invalid({}, 'errors.meetingCancelled');
    const personId = input.candidate;
    const candidates = await repo.roleCandidates(this.db, access.meeting);
    if (!candidates.some((c) => c.id === personId)) throw AppError.field('candidate', 'errors.choice');
    const existing = (await repo.roles(this.db, id)).find((r) => r.person_id === personId && r.role === input.role);
    if (existing && existing.state !== 'declined') throw AppError.field('candidate', existing.state === 'accepted' ? 'errors.meetingRoleHeld' : 'errors.meetingRoleOffered');
    if (input.role === 'minute_taker') {
      const taker = (await repo.roles(this.db, id)).find((r) => r.role === 'minute_taker' && r.state === 'accepted');
      if (taker) throw AppError.field('candidate', 'errors.meetingMinuteTakerTaken');
    }
    await this.db.transaction().execute(async (trx) => {
      const locked = (await lockMeeting(trx, id)) as MeetingRow;
      await this.assertStillOrganiser(trx, me, locked);
      if (locked.state === 'cancelled') throw AppError.invalid({}, 'errors.meetingCancelled');
      await repo.offerRole(trx, { meeting_id: id, person_id: personId, role: input.role, invited_by: me.id });
      await audit(trx, me, { action: `meeting.${input.role}_offered`, recordType: 'meeting', recordId: id });
    });
  }

  /**
   * The person's answer to an offer. On accepting they say which of their organisations they
   * hold the role for (`chosen`: the form's `actingFor`), one the meeting invites when it names
   * organisations; someone in no member organisation holds it for none.
   */
  async answerRole(actor: Actor, id: string, input: AnswerRoleInput, chosen?: unknown): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.db, me, id);
    // Someone offered a role is an invitee; anyone else reading a publicly listed meeting's
    // public page learns nothing more from this route than from any other inside one: 404.
    assertInvited(access);
    if (!access.offeredRoles.includes(input.role)) throw AppError.invalid({}, 'errors.meetingNoOffer');
    let organisationId: string | null = null;
    if (input.answer === 'accept') {
      organisationId = actingForIfAny(me, chosen) ?? null;
      const m = access.meeting;
      if (organisationId && m.audience === 'organisations' && organisationId !== m.organisation_id && !access.invitedOrganisations.includes(organisationId)) {
        throw AppError.field(ACTING_FOR_FIELD, 'errors.meetingRoleOrganisation');
      }
    }
    await this.db.transaction().execute(async (trx) => {
      await lockMeeting(trx, id);
      if (input.answer === 'accept' && input.role === 'minute_taker') {
        const taker = (await repo.roles(trx, id)).find((r) => r.role === 'minute_taker' && r.state === 'accepted');
        if (taker) throw AppError.invalid({}, 'errors.meetingMinuteTakerTaken');
      }
      const done = await repo.answerRole(trx, id, me.id, input.role, input.answer === 'accept' ? { state: 'accepted', organisation_id: organisationId } : { state: 'declined', organisation_id: null });
      if (!done) throw AppError.invalid({}, 'errors.meetingNoOffer');
      await audit(trx, me, { action: `meeting.${input.role}_${input.answer === 'accept' ? 'accepted' : 'declined'}`, recordType: 'meeting', recordId: id });
    });
  }

  // ---- replies and check-in --------------------------------------------------------------------

  async reply(actor: Actor, id: string, input: ReplyInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.db, me, id);
    assertInvited(access);
    if (access.meeting.state !== 'scheduled') throw AppError.invalid({}, 'errors.meetingNotOpen');
    if (access.meeting.ends_at <= new Date()) throw AppError.invalid({}, 'errors.meetingOver');
    const options = this.replyOptions(access, await repo.organisationsOfPerson(this.db, me.id));
    let organisationId: string | null = null;
    if (input.organisation) {
      if (!options.some((o) => o.id === input.organisation)) throw AppError.field('organisation', 'errors.choice');
      organisationId = input.organisation;
    } else if (options.length === 1) organisationId = (options[0] as { id: string }).id;
    else if (options.length > 1) throw AppError.field('organisation', 'errors.meetingReplyOrganisation');
    // A pseudonymous participant is never named in minutes, whatever the box says.
    const named = input.named === 'yes' && !(await this.isPseudonymous(me.id));
    const needs = input.needs?.trim() ? input.needs.trim() : null;
    await this.db.transaction().execute(async (trx) => {
      const m = (await lockMeeting(trx, id)) as MeetingRow;
      if (input.answer === 'yes' && m.capacity !== null && (await repo.yesCount(trx, id, me.id)) >= m.capacity) throw AppError.field('answer', 'errors.meetingFull');
      await repo.upsertReply(trx, { meeting_id: id, person_id: me.id, answer: input.answer, organisation_id: organisationId, needs, named_in_minutes: named });
      await audit(trx, me, { action: 'meeting.reply', recordType: 'meeting', recordId: id });
    });
  }

  async checkInPage(actor: Actor, id: string, q: string | undefined) {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.db, me, id);
    assertOrganiser(access);
    await this.eraseEndedNeeds();
    const replied = await repo.checkInList(this.db, id);
    const repliedIds = new Set(replied.map((r) => r.person_id));
    let found: { id: string; name: string }[] = [];
    const needle = q?.trim().toLocaleLowerCase();
    if (needle) {
      const invitees = (await repo.inviteesOf(this.db, access.meeting)).filter((p) => !repliedIds.has(p.id) && (p.pseudonym ?? p.display_name).toLocaleLowerCase().includes(needle)).slice(0, 50);
      found = invitees.map((p) => ({ id: p.id, name: p.pseudonym ?? p.display_name }));
    }
    const checkedIn = await repo.organisationsCheckedIn(this.db, id);
    return { meeting: access.meeting, replied, found, q: q ?? '', organisationsCheckedIn: checkedIn.length };
  }

  /**
   * Ticks someone in on the day: they must be among those the meeting invites. They count for
   * the organisation they chose in their reply, or their only one; someone in several who chose
   * none is checked in for none (it counts for no quorum) until they choose in their reply.
   */
  async checkIn(actor: Actor, id: string, input: CheckInInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.db, me, id);
    assertOrganiser(access);
    if (access.meeting.state !== 'scheduled') throw AppError.invalid({}, 'errors.meetingNotOpen');
    const invitees = await repo.inviteesOf(this.db, access.meeting);
    if (!invitees.some((p) => p.id === input.person)) throw AppError.field('person', 'errors.choice');
    const reply = await repo.replyOf(this.db, id, input.person);
    // Their options against the meeting's invited organisations (not the organiser's own among them).
    const invited = access.meeting.audience === 'organisations' ? new Set((await repo.meetingOrganisations(this.db, id)).map((o) => o.id)) : undefined;
    const theirs = (await repo.organisationsOfPerson(this.db, input.person)).filter((o) => !invited || invited.has(o.id) || o.id === access.meeting.organisation_id);
    const organisationId = reply?.organisation_id ?? (theirs.length === 1 ? (theirs[0] as { id: string }).id : null);
    await this.db.transaction().execute(async (trx) => {
      await lockMeeting(trx, id);
      await repo.checkIn(trx, { meeting_id: id, person_id: input.person, organisation_id: organisationId, by: me.id });
      await audit(trx, me, { action: 'meeting.check_in', recordType: 'meeting', recordId: id });
    });
  }

  /** Member organisations with someone checked in (an AGM's quorum: part D). */
  async organisationsCheckedIn(actor: Actor, id: string): Promise<string[]> {
    const access = await meetingAccess(this.db, actor, id);
    assertInvited(access);
    return repo.organisationsCheckedIn(this.db, id);
  }

  // ---- each reader's zone ------------------------------------------------------------------------

  async timeZoneForm(actor: Actor) {
    const me = meetingsPolicy.person(actor, 'attend');
    return { zone: (await repo.timeZoneOf(this.db, me.id)) ?? '', zones: zoneOptions() };
  }

  async setTimeZone(actor: Actor, input: TimeZoneInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    if (!isTimeZone(input.timeZone)) throw AppError.field('timeZone', 'errors.meetingTimeZone');
    await this.db.transaction().execute(async (trx) => {
      await repo.setTimeZone(trx, me.id, input.timeZone);
      await audit(trx, me, { action: 'meeting_preferences.time_zone', recordType: 'person', recordId: me.id });
    });
  }
}
