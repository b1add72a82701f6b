import { actingForIfAny } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import { foldForSearch } from '../../platform/search-text.ts';
import { type MeetingAccess, meetingAccess, readerOf } from './access.ts';
import { lockMeeting } from './access.repository.ts';
import type { GoalOptions } from './actions.service.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import * as repo from './minutes.repository.ts';
import type { ApprovalInput, CorrectionInput, DecisionInput, DecisionQuery, MinutesInput } from './minutes.schemas.ts';

type Attendee = Awaited<ReturnType<typeof repo.attendees>>[number];

/**
 * Attendance as the minutes print it: the organisations present; people only where they agreed
 * to be named, and never someone who takes part under a pseudonym; everyone else counted.
 */
export function attendance(rows: readonly Attendee[]) {
  const organisations = [...new Map(rows.filter((r) => r.organisation_id).map((r) => [r.organisation_id, r.organisation_name ?? ''])).values()];
  const named = rows.filter((r) => r.named_in_minutes && r.pseudonym === null).map((r) => r.display_name);
  return { organisations, named, others: rows.length - named.length, total: rows.length };
}

export const DECISIONS_LIMIT = 200;

export class MinutesService {
  constructor(readonly p: Platform) {}

  private url(path: string): string {
    return new URL(path, this.p.config.publicUrl).href;
  }

  /** Who writes: the accepted minute-taker; a chair when nobody accepted the role. */
  private async writer(access: MeetingAccess): Promise<boolean> {
    if (access.minuteTaker) return true;
    if (!access.chair) return false;
    return (await repo.acceptedRoleHolders(this.p.db, access.meeting.id, 'minute_taker')).length === 0;
  }

  /**
   * Who reads them: the chairs, the minute-taker and whoever made the meeting always; attendees
   * once circulated; every other invitee once approved. The public never (assertInvited).
   */
  private readable(access: MeetingAccess, state: string, attendee: boolean): boolean {
    if (access.organiser || access.minuteTaker) return true;
    if (state === 'approved') return true;
    return state === 'circulated' && attendee;
  }

  /** The chair of the next meeting of the series who may approve these minutes there, if the reader is one. */
  private async nextMeetingChaired(actor: Actor, access: MeetingAccess) {
    const m = access.meeting;
    if (!m.series_id || actor.kind !== 'person') return undefined;
    const next = await repo.nextInSeries(this.p.db, m.series_id, new Date(m.starts_at));
    if (!next) return undefined;
    const chairs = await repo.acceptedRoleHolders(this.p.db, next.id, 'chair');
    return chairs.includes(actor.id) ? next : undefined;
  }

  /** Everything the minutes page shows this reader; 404 for anyone not invited. */
  async page(actor: Actor, meetingId: string) {
    const access = await meetingAccess(this.p.db, actor, meetingId);
    if (!access.invited) throw AppError.notFound();
    const person = actor.kind === 'person' ? actor : undefined;
    const [minutes, versions, corrections, attendees, decisions, writer, next] = await Promise.all([
      repo.minutesOf(this.p.db, meetingId),
      repo.versions(this.p.db, meetingId),
      repo.corrections(this.p.db, meetingId),
      repo.attendees(this.p.db, meetingId),
      repo.decisionsOf(this.p.db, meetingId),
      this.writer(access),
      this.nextMeetingChaired(actor, access),
    ]);
    const state = minutes?.state ?? 'drafting';
    const attendee = !!person && attendees.some((a) => a.person_id === person.id);
    const readable = this.readable(access, state, attendee);
    const current = versions.at(-1);
    const approvedAt = minutes?.approved_at_meeting_id ? await repo.meetingTitle(this.p.db, minutes.approved_at_meeting_id) : undefined;
    const open = state !== 'approved';
    return {
      meeting: access.meeting,
      access,
      state,
      minutes,
      readable,
      current: readable ? current : undefined,
      // The history is the writers' and the chairs' to compare; readers see the text.
      versions: readable && (writer || access.chair) ? versions : [],
      corrections: readable ? (writer || access.chair ? corrections : corrections.filter((c) => c.person_id === person?.id)) : [],
      attendance: readable ? attendance(attendees) : undefined,
      decisions: readable ? decisions : [],
      approvedAt,
      writer,
      canSave: writer && open,
      canCirculate: writer && state === 'drafting' && !!current,
      canCorrect: attendee && state === 'circulated',
      canApprove: state === 'circulated' && (access.chair || !!next),
      approveOptions: { chair: access.chair, next },
      canDecide: (writer || access.chair || access.minuteTaker) && meetingsPolicy.can(actor, 'attend'),
      canAct: (access.chair || access.minuteTaker || access.organiser) && meetingsPolicy.can(actor, 'act'),
    };
  }

  /** A new version (never an edit): the writer's, until the minutes are approved. */
  async save(actor: Actor, meetingId: string, input: MinutesInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.p.db, me, meetingId);
    if (!access.invited || !(await this.writer(access))) throw AppError.notFound();
    const body = input.body.replace(/\r\n/g, '\n');
    if (body.trim() === '') throw AppError.field('body', 'errors.required');
    await this.p.db.transaction().execute(async (trx) => {
      await lockMeeting(trx, meetingId);
      await repo.insertMinutes(trx, meetingId);
      const minutes = (await repo.lockMinutes(trx, meetingId)) as repo.MinutesRow;
      if (minutes.state === 'approved') throw AppError.field('body', 'errors.minutesApproved');
      const number = ((await repo.versions(trx, meetingId)).at(-1)?.number ?? 0) + 1;
      await repo.insertVersion(trx, { meeting_id: meetingId, number, body, author_id: me.id });
      // While circulated, a new version is the answer to the corrections sent on the last one.
      if (minutes.state === 'circulated') await repo.answerCorrections(trx, meetingId, number);
      await repo.updateMinutes(trx, meetingId, {});
      await audit(trx, me, { action: 'minutes.save', recordType: 'meeting', recordId: meetingId });
    });
  }

  /** Sends the minutes to the attendees for corrections. */
  async circulate(actor: Actor, meetingId: string): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.p.db, me, meetingId);
    if (!access.invited || !(await this.writer(access))) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      await lockMeeting(trx, meetingId);
      const minutes = await repo.lockMinutes(trx, meetingId);
      if (!minutes || (await repo.versions(trx, meetingId)).length === 0) throw AppError.field('circulate', 'errors.minutesEmpty');
      if (minutes.state !== 'drafting') throw AppError.field('circulate', 'errors.minutesNotDrafting');
      await repo.updateMinutes(trx, meetingId, { state: 'circulated', circulated_at: new Date() });
      const title = access.meeting.title;
      const people = (await repo.attendees(trx, meetingId)).filter((a) => a.person_id !== me.id);
      await this.p.mailer.queueInTheirLanguage(trx, people, (t) => ({
        subject: t('minutes.mail.circulated.subject', { title }),
        text: t('minutes.mail.circulated.body', { title, url: this.url(`/meetings/${meetingId}/minutes`) }),
      }));
      await audit(trx, me, { action: 'minutes.circulate', recordType: 'meeting', recordId: meetingId });
    });
  }

  /** An attendee's correction of the circulated version; refused once the minutes are approved. */
  async correct(actor: Actor, meetingId: string, input: CorrectionInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.p.db, me, meetingId);
    if (!access.invited) throw AppError.notFound();
    if (!(await repo.attendees(this.p.db, meetingId)).some((a) => a.person_id === me.id)) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      await lockMeeting(trx, meetingId);
      const minutes = await repo.lockMinutes(trx, meetingId);
      if (minutes?.state === 'approved') throw AppError.field('correction', 'errors.minutesApproved');
      if (minutes?.state !== 'circulated') throw AppError.field('correction', 'errors.minutesNotCirculated');
      const current = (await repo.versions(trx, meetingId)).at(-1);
      if (!current) throw AppError.field('correction', 'errors.minutesNotCirculated');
      const id = await repo.insertCorrection(trx, { meeting_id: meetingId, version_number: current.number, person_id: me.id, body: input.body });
      const writers = [...(await repo.acceptedRoleHolders(trx, meetingId, 'minute_taker')), ...(await repo.acceptedRoleHolders(trx, meetingId, 'chair'))];
      const contacts = await repo.activeContacts(trx, [...new Set(writers)]);
      const title = access.meeting.title;
      await this.p.mailer.queueInTheirLanguage(
        trx,
        contacts,
        (t) => ({
          subject: t('minutes.mail.corrected.subject', { title }),
          text: t('minutes.mail.corrected.body', { title, url: this.url(`/meetings/${meetingId}/minutes#corrections`) }),
        }),
      );
      await audit(trx, me, { action: 'minutes.correct', recordType: 'minute_correction', recordId: id });
    });
  }

  /**
   * Approval by a chair of this meeting, or at the next meeting of the series by one of its
   * chairs (the approval names that meeting). The version approved is the latest.
   */
  async approve(actor: Actor, meetingId: string, input: ApprovalInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    const access = await meetingAccess(this.p.db, me, meetingId);
    if (!access.invited) throw AppError.notFound();
    const next = await this.nextMeetingChaired(me, access);
    const at = input.at ?? (access.chair ? 'chair' : 'next');
    if (at === 'chair' ? !access.chair : !next) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      await lockMeeting(trx, meetingId);
      const minutes = await repo.lockMinutes(trx, meetingId);
      if (minutes?.state === 'approved') throw AppError.field('approve', 'errors.minutesApproved');
      if (minutes?.state !== 'circulated') throw AppError.field('approve', 'errors.minutesNotCirculated');
      const current = (await repo.versions(trx, meetingId)).at(-1);
      if (!current) throw AppError.field('approve', 'errors.minutesNotCirculated');
      await repo.updateMinutes(trx, meetingId, {
        state: 'approved',
        approved_at: new Date(),
        approved_by: me.id,
        approved_at_meeting_id: at === 'next' ? (next?.id ?? null) : null,
        approved_version: current.number,
      });
      await audit(trx, me, { action: 'minutes.approve', recordType: 'meeting', recordId: meetingId });
    });
  }

  private meetingPerson(actor: Actor): PersonActor {
    return meetingsPolicy.person(actor, 'attend');
  }

  // ---- decisions -------------------------------------------------------------------------

  /** A decision of the meeting, recorded by a chair or the minute-taker from the minutes page. */
  async decide(actor: Actor, meetingId: string, input: DecisionInput, chosen: unknown, goals: GoalOptions): Promise<string> {
    const me = this.meetingPerson(actor);
    const access = await meetingAccess(this.p.db, me, meetingId);
    if (!access.invited || !(access.chair || access.minuteTaker || (await this.writer(access)))) throw AppError.notFound();
    const organisationId = actingForIfAny(me, chosen) ?? null;
    if (input.goal && !(await goals.options()).some((g) => g.id === input.goal)) throw AppError.field('goal', 'errors.choice');
    const text = input.text.trim();
    return this.p.db.transaction().execute(async (trx) => {
      await lockMeeting(trx, meetingId);
      const { id } = await repo.insertDecision(trx, { meeting_id: meetingId, text, goal_id: input.goal ?? null, search_text: foldForSearch(text), organisation_id: organisationId, created_by: me.id });
      await audit(trx, me, { action: 'decision.create', recordType: 'decision', recordId: id });
      return id;
    });
  }

  /** The decisions register: the decisions of minutes the reader may read, searched. */
  async decisions(actor: Actor, query: DecisionQuery) {
    this.meetingPerson(actor);
    const q = query.q ? foldForSearch(query.q) : '';
    return { q: query.q ?? '', decisions: await repo.searchDecisions(this.p.db, readerOf(actor), q, DECISIONS_LIMIT), limit: DECISIONS_LIMIT };
  }
}
