import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { actingFor, actingForIfAny, actingOptions } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import { DEFAULT_TIME_ZONE, instantToZoned, isTimeZone, zonedToInstant } from '../../platform/timezones.ts';
import { accessTo, assertInvited, assertOrganiser, type MeetingAccess, type MeetingRow, meetingAccess } from './access.ts';
import { findMeeting, lockMeeting } from './access.repository.ts';
import * as repo from './agenda.repository.ts';
import type { AgendaItemRow } from './agenda.repository.ts';
import { type AcceptInput, type ConveneInput, type DeclineInput, type MarksInput, type MoveInput, type PickInput, POLL_SLOTS, type PollInput, type ProposeInput, type TimeboxInput } from './agenda.schemas.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import { mailTime, queueMeetingNotice } from './meetings.notices.ts';
import { inviteesOf } from './meetings.repository.ts';
import { ERASE_NEEDS_JOB } from './meetings.service.ts';

/** What convening from an alert needs of early warning, through its services (not its files). */
export interface WarningsForMeetings {
  alerts: {
    citable(
      actor: Actor,
      id: string,
    ): Promise<{ alert: { id: string; number: number; country: string; summary: string; severity: string; status: string }; signs: { id: string; observed_on: string; description: string }[] } | undefined>;
  };
}
export type CitedAlert = NonNullable<Awaited<ReturnType<WarningsForMeetings['alerts']['citable']>>>;

const DAY = 86_400_000;
type LockedItem = NonNullable<Awaited<ReturnType<typeof repo.lockItem>>>;

/** The agenda is published `agenda_days` before the start, or when a chair publishes it early. */
export function agendaPublication(meeting: MeetingRow, now = new Date()) {
  const due = new Date(meeting.starts_at.getTime() - meeting.agenda_days * DAY);
  const published = meeting.agenda_published_at !== null || now >= due;
  return { published, publishesAt: meeting.agenda_published_at ?? due };
}

function checkMinutes(v: string): number {
  const n = Number.parseInt(v, 10);
  if (!Number.isInteger(n) || n < 1 || n > 600) throw AppError.field('minutes', 'errors.agendaMinutes');
  return n;
}

export class AgendaService {
  constructor(
    readonly p: Platform,
    readonly warnings: WarningsForMeetings,
  ) {}

  private get db() {
    return this.p.db;
  }

  /** A bare random UUID, as part A's meetings get (no "@": calendars carry no address). */
  private uid(): string {
    return randomUUID();
  }

  // ---- the agenda ---------------------------------------------------------------------------

  /**
   * The agenda as this reader may see it. Organisers see every item and decide on each. Before
   * publication an invitee sees only what they proposed (and when the agenda will be out);
   * afterwards the accepted items in order, and still their own whatever became of them.
   */
  async agenda(actor: Actor, meetingId: string, now = new Date()) {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.db, me, meetingId);
    assertInvited(access);
    const { meeting } = access;
    const { published, publishesAt } = agendaPublication(meeting, now);
    const all = await repo.itemsOf(this.db, meetingId);
    const accepted = all.filter((i) => i.state === 'accepted');
    const mine = all.filter((i) => i.proposed_by === me.id);
    const shown = access.organiser ? accepted : published ? accepted : [];
    const pending = access.organiser ? all.filter((i) => i.state !== 'accepted') : [];
    const alerts = new Map<string, CitedAlert>();
    for (const item of [...shown, ...mine]) {
      if (item.alert_id && !alerts.has(item.alert_id)) {
        // The alert and its signs as this reader may see them, read now, never copied.
        const cited = await this.warnings.alerts.citable(me, item.alert_id);
        if (cited) alerts.set(item.alert_id, cited);
      }
    }
    const totalMinutes = accepted.reduce((sum, i) => sum + i.minutes, 0);
    const meetingMinutes = Math.round((meeting.ends_at.getTime() - meeting.starts_at.getTime()) / 60_000);
    const open = !published && meeting.state !== 'cancelled';
    return {
      access,
      meeting,
      published,
      publishesAt,
      items: shown,
      pending,
      mine,
      alerts,
      totalMinutes,
      meetingMinutes,
      // Everyone sees the total against the length only when they see the accepted items.
      showTotal: access.organiser || published,
      canPropose: open,
      canPublish: access.organiser && !published && meeting.state !== 'cancelled',
      actingOptions: actingOptions(me),
      hasPoll: !!(await repo.pollOf(this.db, meetingId)),
    };
  }

  /** Anyone invited proposes, until the agenda is published; it waits for the chairs. */
  async propose(actor: Actor, meetingId: string, input: ProposeInput): Promise<string> {
    const me = meetingsPolicy.person(actor, 'attend');
    assertInvited(await meetingAccess(this.db, me, meetingId));
    const minutes = checkMinutes(input.minutes);
    // Associates and participants belong to no member organisation: they propose in their own name.
    const organisationId = actingForIfAny(me, input.actingFor) ?? null;
    return this.db.transaction().execute(async (trx) => {
      const meeting = await lockMeeting(trx, meetingId);
      if (!meeting) throw AppError.notFound();
      if (meeting.state === 'cancelled') throw AppError.field('title', 'errors.agendaCancelled');
      if (agendaPublication(meeting).published) throw AppError.field('title', 'errors.agendaClosed');
      const id = await repo.insertItem(trx, {
        meeting_id: meetingId,
        kind: 'item',
        alert_id: null,
        title: input.title,
        why: input.why ?? '',
        minutes,
        organisation_id: organisationId,
        proposed_by: me.id,
      });
      await audit(trx, me, { action: 'agenda.propose', recordType: 'agenda_item', recordId: id });
      return id;
    });
  }

  /** The chairs' decisions on one item, each under the meeting's lock so orders never collide. */
  private async decide(actor: Actor, meetingId: string, itemId: string, action: string, run: (trx: Transaction<DB>, me: PersonActor, item: LockedItem) => Promise<void>): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    assertOrganiser(await meetingAccess(this.db, me, meetingId));
    await this.db.transaction().execute(async (trx) => {
      const meeting = await lockMeeting(trx, meetingId);
      if (!meeting) throw AppError.notFound();
      const item = await repo.lockItem(trx, meetingId, itemId);
      if (!item) throw AppError.notFound();
      await run(trx, me, item);
      await audit(trx, me, { action, recordType: 'agenda_item', recordId: itemId });
    });
  }

  async accept(actor: Actor, meetingId: string, itemId: string, input: AcceptInput): Promise<void> {
    const minutes = input.minutes === undefined ? undefined : checkMinutes(input.minutes);
    await this.decide(actor, meetingId, itemId, 'agenda.accept', async (trx, me, item) => {
      if (item.state === 'accepted') throw AppError.invalid({}, 'errors.agendaItemAccepted');
      await repo.acceptItem(trx, itemId, me.id, await repo.nextPosition(trx, meetingId), minutes ?? item.minutes);
    });
  }

  async decline(actor: Actor, meetingId: string, itemId: string, input: DeclineInput): Promise<void> {
    const reason = input.reason?.trim();
    if (!reason) throw AppError.field('reason', 'errors.agendaReason');
    await this.decide(actor, meetingId, itemId, 'agenda.decline', async (trx, me, item) => {
      if (item.state === 'declined') throw AppError.invalid({}, 'errors.agendaItemDeclined');
      await repo.declineItem(trx, itemId, me.id, reason);
    });
  }

  /** Up or down one place among the accepted items: the two swap (no JavaScript needed). */
  async move(actor: Actor, meetingId: string, itemId: string, input: MoveInput): Promise<void> {
    await this.decide(actor, meetingId, itemId, 'agenda.move', async (trx, _me, item) => {
      if (item.state !== 'accepted' || item.position === null) throw AppError.invalid({}, 'errors.agendaItemNotAccepted');
      const other = await repo.neighbour(trx, meetingId, item.position, input.direction);
      // Already first (or last): nothing to do, and nothing wrong either.
      if (!other || other.position === null) return;
      await repo.setPosition(trx, itemId, other.position);
      await repo.setPosition(trx, other.id, item.position);
    });
  }

  async timebox(actor: Actor, meetingId: string, itemId: string, input: TimeboxInput): Promise<void> {
    const minutes = checkMinutes(input.minutes);
    await this.decide(actor, meetingId, itemId, 'agenda.timebox', async (trx, _me, item) => {
      if (item.state !== 'accepted') throw AppError.invalid({}, 'errors.agendaItemNotAccepted');
      await repo.setMinutes(trx, itemId, minutes);
    });
  }

  /** A chair publishes early: invitees see the agenda, and proposing closes. */
  async publish(actor: Actor, meetingId: string): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    assertOrganiser(await meetingAccess(this.db, me, meetingId));
    await this.db.transaction().execute(async (trx) => {
      const meeting = await lockMeeting(trx, meetingId);
      if (!meeting) throw AppError.notFound();
      if (meeting.state === 'cancelled') throw AppError.invalid({}, 'errors.agendaCancelled');
      if (agendaPublication(meeting).published) throw AppError.invalid({}, 'errors.agendaAlreadyPublished');
      await repo.publishAgenda(trx, meetingId);
      await audit(trx, me, { action: 'agenda.publish', recordType: 'meeting', recordId: meetingId });
    });
  }

  // ---- convening from an alert ------------------------------------------------------------------

  /** The alert, or 404: nothing says an alert the reader may not see exists. */
  private async citedAlert(me: PersonActor, alertId: string): Promise<CitedAlert> {
    const cited = await this.warnings.alerts.citable(me, alertId);
    if (!cited) throw AppError.notFound();
    // One organisation's word does not set the network in motion (THREAT-MODEL): a proposed
    // alert convenes nobody until a second organisation or the convener confirms it.
    if (cited.alert.status === 'proposed') throw new AppError('invalid_input', 'errors.agendaAlertUnconfirmed');
    return cited;
  }

  /**
   * What the convening form offers: the organisations subscribed to the alert's country
   * (ticked) and those the directory says work on it (suggested, not ticked), the open
   * requests for a meeting on this alert, and a start two days on at 10:00 in the reader's zone.
   */
  async conveneForm(actor: Actor, alertId: string, now = new Date()) {
    const me = meetingsPolicy.person(actor, 'convene');
    const cited = await this.citedAlert(me, alertId);
    const [subscribed, directory, requests, zone] = await Promise.all([
      repo.subscribedOrganisations(this.db, cited.alert.country),
      repo.directoryOrganisations(this.db, cited.alert.country),
      repo.openMeetingRequests(this.db, alertId),
      repo.preferredZone(this.db, me.id),
    ]);
    const ticked = new Set(subscribed.map((o) => o.id));
    const suggested = directory.filter((o) => !ticked.has(o.id));
    const timeZone = zone ?? DEFAULT_TIME_ZONE;
    const day = instantToZoned(new Date(now.getTime() + 2 * DAY), timeZone).slice(0, 10);
    return {
      cited,
      subscribed,
      suggested,
      requests,
      defaults: { timeZone, startsAt: `${day}T10:00`, endsAt: `${day}T11:30` },
      actingOptions: actingOptions(me),
    };
  }

  /**
   * One POST makes the draft: ad hoc, for the organisations ticked (plus the convening one),
   * the convener its first chair, the alert its first accepted agenda item, the open requests
   * for a meeting on the alert answered, and (if slots were given) a time poll. Nothing is
   * written unless all of it is right.
   */
  async convene(actor: Actor, input: ConveneInput, now = new Date()): Promise<string> {
    const me = meetingsPolicy.person(actor, 'convene');
    const cited = await this.citedAlert(me, input.alert);
    const organisationId = actingFor(me, input.actingFor);
    const errors: FieldErrors = {};
    const zoneOk = isTimeZone(input.timeZone);
    if (!zoneOk) errors.timeZone = { key: 'errors.agendaTimeZone' };
    const tz = zoneOk ? input.timeZone : DEFAULT_TIME_ZONE;
    const startsAt = zonedToInstant(input.startsAt, tz);
    const endsAt = zonedToInstant(input.endsAt, tz);
    if (!startsAt) errors.startsAt = { key: 'errors.agendaDateTime' };
    else if (startsAt <= now) errors.startsAt = { key: 'errors.agendaStartPast' };
    if (!endsAt) errors.endsAt = { key: 'errors.agendaDateTime' };
    else if (startsAt && endsAt <= startsAt) errors.endsAt = { key: 'errors.agendaEndBeforeStart' };
    const [subscribed, directory] = await Promise.all([repo.subscribedOrganisations(this.db, cited.alert.country), repo.directoryOrganisations(this.db, cited.alert.country)]);
    const subscribedIds = new Set(subscribed.map((o) => o.id));
    const offered = new Set([...subscribedIds, ...directory.map((o) => o.id)]);
    const chosen = [...new Set(input.organisations)];
    if (chosen.some((id) => !offered.has(id))) errors.organisations = { key: 'errors.choice' };
    let slots: { starts_at: Date; ends_at: Date }[] = [];
    if (input.slots.length > 0 && startsAt && endsAt && endsAt > startsAt) {
      try {
        slots = this.slotTimes(input.slots, tz, endsAt.getTime() - startsAt.getTime(), now);
      } catch (err) {
        if (err instanceof AppError) Object.assign(errors, err.fields);
        else throw err;
      }
    } else if (input.slots.length === 1 || input.slots.length > POLL_SLOTS.max) {
      errors.slots = { key: 'errors.pollSlots', values: POLL_SLOTS };
    }
    if (Object.keys(errors).length > 0 || !startsAt || !endsAt) throw AppError.invalid(errors);
    return this.db.transaction().execute(async (trx) => {
      const id = await repo.insertConvenedMeeting(trx, {
        uid: this.uid(),
        title: input.title,
        purpose: input.purpose ?? '',
        place: input.place?.trim() || null,
        online_url: input.onlineUrl?.trim() || null,
        starts_at: startsAt,
        ends_at: endsAt,
        time_zone: tz,
        // An ad hoc meeting is days away, not weeks: the usual week's notice would close
        // proposals the moment it is made. A day before (none when sooner); chairs may publish earlier.
        agenda_days: startsAt.getTime() - now.getTime() > 2 * DAY ? 1 : 0,
        alert_id: cited.alert.id,
        organisation_id: organisationId,
        created_by: me.id,
      });
      // Only organisations still in good standing: one suspended since the form was shown is dropped.
      const invited = await repo.organisationsInGoodStanding(trx, [...new Set([organisationId, ...chosen])]);
      await repo.insertMeetingOrganisations(
        trx,
        id,
        invited.map((o) => ({ organisation_id: o, source: subscribedIds.has(o) ? 'subscribed' : 'named' })),
        me.id,
      );
      await repo.insertItem(trx, {
        meeting_id: id,
        kind: 'alert',
        alert_id: cited.alert.id,
        // The page names it from the catalog in the reader's language; this is for exports.
        title: `Alert ${cited.alert.number}`,
        why: '',
        minutes: 30,
        organisation_id: organisationId,
        proposed_by: me.id,
        accepted: { by: me.id, position: 1 },
      });
      for (const requestId of await repo.answerMeetingRequests(trx, cited.alert.id)) {
        await audit(trx, me, { action: 'meeting_request.scheduled', recordType: 'meeting_request', recordId: requestId });
      }
      if (slots.length > 0) {
        await repo.insertPoll(trx, id, me.id, slots);
        await this.mailPoll(trx, id, me.id);
      }
      await audit(trx, me, { action: 'meeting.convene', recordType: 'meeting', recordId: id });
      return id;
    });
  }

  // ---- time polls ---------------------------------------------------------------------------

  /**
   * A draft tells nobody (part A's notices), yet a poll needs answers: those the meeting will
   * invite are asked, in their language, to say which times they can make. The mail carries
   * the poll's address only, not the draft's details.
   */
  private async mailPoll(trx: Transaction<DB>, meetingId: string, by: string): Promise<void> {
    const meeting = await lockMeeting(trx, meetingId);
    if (!meeting) return;
    const people = (await inviteesOf(trx, meeting)).filter((x) => x.id !== by);
    const url = new URL(`/meetings/${meetingId}/poll`, this.p.config.publicUrl).href;
    await this.p.mailer.queueInTheirLanguage(trx, people, (t) => ({
      subject: t('agenda.mail.poll.subject', { title: meeting.title }),
      text: t('agenda.mail.poll.body', { title: meeting.title, url }),
    }));
  }

  /**
   * A time picked on a draft that stays a draft: those who marked the poll and whom the meeting
   * still invites hear the time (in the meeting's zone), with the poll's address, as the poll's
   * own mail: not the draft's place, link or agenda, which the invitation will carry.
   */
  private async mailPicked(trx: Transaction<DB>, meetingId: string, by: string): Promise<void> {
    const meeting = await lockMeeting(trx, meetingId);
    if (!meeting) return;
    const markers = new Set((await repo.pollMarkers(trx, meetingId)).map((p) => p.id));
    const people = (await inviteesOf(trx, meeting)).filter((x) => x.id !== by && markers.has(x.id));
    const url = new URL(`/meetings/${meetingId}/poll`, this.p.config.publicUrl).href;
    await this.p.mailer.queueInTheirLanguage(trx, people, (t, locale) => ({
      subject: t('meetings.mail.timeChosen.subject', { title: meeting.title }),
      text: `${t('meetings.mail.timeChosen.body', { title: meeting.title, starts: mailTime(locale, meeting.starts_at, meeting.time_zone), ends: mailTime(locale, meeting.ends_at, meeting.time_zone), url })}\n\n${t('meetings.mail.footerPoll', { url })}`,
    }));
  }

  /** Two to five wall-clock starts in a zone, each as long as the meeting, none in the past. */
  private slotTimes(local: readonly string[], tz: string, lengthMs: number, now: Date) {
    const distinct = [...new Set(local)];
    if (local.length < POLL_SLOTS.min || local.length > POLL_SLOTS.max || distinct.length !== local.length) throw AppError.field('slots', 'errors.pollSlots', POLL_SLOTS);
    const slots = distinct.map((l) => zonedToInstant(l, tz));
    if (slots.some((s) => !s)) throw AppError.field('slots', 'errors.agendaDateTime');
    if (slots.some((s) => (s as Date) <= now)) throw AppError.field('slots', 'errors.pollSlotPast');
    return (slots as Date[]).sort((a, b) => a.getTime() - b.getTime()).map((s) => ({ starts_at: s, ends_at: new Date(s.getTime() + lengthMs) }));
  }

  /**
   * Who may see a poll: whoever may see the meeting, and, while it is a draft with a poll,
   * everyone it will invite (the same rule as once scheduled), so that they can say which
   * times they can make. They see the poll only, not the draft's agenda or details.
   */
  private async pollAccess(me: PersonActor, meetingId: string): Promise<MeetingAccess> {
    const meeting = await findMeeting(this.db, meetingId);
    if (!meeting) throw AppError.notFound();
    const access = await accessTo(this.db, me, meeting);
    if (access?.invited) return access;
    if (meeting.state === 'draft' && (await repo.pollOf(this.db, meetingId))) {
      const prospective = await accessTo(this.db, me, { ...meeting, state: 'scheduled' });
      if (prospective?.invited) return { ...prospective, meeting };
    }
    throw AppError.notFound();
  }

  async poll(actor: Actor, meetingId: string) {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await this.pollAccess(me, meetingId);
    const [poll, slots, answered, zone] = await Promise.all([
      repo.pollOf(this.db, meetingId),
      repo.slotsOf(this.db, meetingId, me.id),
      repo.answeredCount(this.db, meetingId),
      repo.preferredZone(this.db, me.id),
    ]);
    const meeting = access.meeting;
    return {
      access,
      meeting,
      poll,
      slots: slots.map((s) => ({ ...s, can_count: Number(s.can_count ?? 0) })),
      answered,
      readerZone: zone,
      canOpen: !poll && access.organiser && meeting.state === 'draft',
      canMark: poll?.state === 'open',
      canPick: poll?.state === 'open' && access.organiser,
      lengthMinutes: Math.round((meeting.ends_at.getTime() - meeting.starts_at.getTime()) / 60_000),
      defaults: { timeZone: meeting.time_zone },
    };
  }

  /** An organiser offers times on a draft (a scheduled meeting's time is changed on its form). */
  async openPoll(actor: Actor, meetingId: string, input: PollInput, now = new Date()): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    assertOrganiser(await meetingAccess(this.db, me, meetingId));
    await this.db.transaction().execute(async (trx) => {
      const meeting = await lockMeeting(trx, meetingId);
      if (!meeting) throw AppError.notFound();
      if (meeting.state !== 'draft') throw AppError.invalid({}, 'errors.pollNotDraft');
      if (await repo.pollOf(trx, meetingId)) throw AppError.invalid({}, 'errors.pollExists');
      const slots = this.slotTimes(input.slots, meeting.time_zone, meeting.ends_at.getTime() - meeting.starts_at.getTime(), now);
      await repo.insertPoll(trx, meetingId, me.id, slots);
      await this.mailPoll(trx, meetingId, me.id);
      await audit(trx, me, { action: 'poll.open', recordType: 'meeting', recordId: meetingId });
    });
  }

  /** The reader's answer: the slots ticked they can make, the others not (answering again replaces it). */
  async mark(actor: Actor, meetingId: string, input: MarksInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    await this.pollAccess(me, meetingId);
    await this.db.transaction().execute(async (trx) => {
      const poll = await repo.lockPoll(trx, meetingId);
      if (!poll) throw AppError.notFound();
      if (poll.state !== 'open') throw AppError.invalid({}, 'errors.pollClosed');
      const slots = await repo.slotIds(trx, meetingId);
      const canMake = new Set(input.canMake);
      if ([...canMake].some((id) => !slots.includes(id))) throw AppError.field('canMake', 'errors.choice');
      await repo.saveMarks(trx, me.id, slots, canMake);
      await audit(trx, me, { action: 'poll.mark', recordType: 'meeting', recordId: meetingId });
    });
  }

  /**
   * A chair picks a slot: the meeting takes its time (SEQUENCE + 1), the poll closes, and
   * everyone invited is told; a draft may be scheduled by the same step (its invitations go out).
   */
  async pick(actor: Actor, meetingId: string, input: PickInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    assertOrganiser(await meetingAccess(this.db, me, meetingId));
    await this.db.transaction().execute(async (trx) => {
      const meeting = await lockMeeting(trx, meetingId);
      if (!meeting) throw AppError.notFound();
      const poll = await repo.lockPoll(trx, meetingId);
      if (!poll) throw AppError.notFound();
      if (poll.state !== 'open') throw AppError.invalid({}, 'errors.pollClosed');
      if (meeting.state === 'cancelled') throw AppError.invalid({}, 'errors.agendaCancelled');
      const slot = await repo.findSlot(trx, meetingId, input.slot);
      if (!slot) throw AppError.field('slot', 'errors.pollPickSlot');
      const schedules = meeting.state === 'draft' && input.schedule === 'yes';
      if (schedules && !meeting.place && !meeting.online_url) throw AppError.field('schedule', 'errors.meetingScheduleWhere');
      await repo.moveMeeting(trx, meetingId, slot, schedules);
      await repo.closePoll(trx, meetingId, slot.id, me.id);
      // A draft tells its invitees nothing yet; those who marked the poll are told the time chosen.
      if (meeting.state === 'draft' && !schedules) await this.mailPicked(trx, meetingId, me.id);
      else await queueMeetingNotice(this.p, trx, meetingId, schedules ? 'invitation' : 'changed');
      // Scheduling here is what part A's "schedule" does: needs are erased once it has ended.
      if (schedules) await this.p.jobs.enqueue(trx, ERASE_NEEDS_JOB, {}, { startAfter: slot.ends_at });
      await audit(trx, me, { action: 'poll.pick', recordType: 'meeting', recordId: meetingId });
    });
  }
}

export type AgendaItem = AgendaItemRow;
