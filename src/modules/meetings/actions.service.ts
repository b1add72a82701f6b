import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { ActionStatus } from '../../db/schema/meetings-minutes.ts';
import { actingForIfAny } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import { today } from '../../platform/calendar.ts';
import { type PageOf, pageOf as pageFrom, pagerOf } from '../../platform/paging.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import { meetingAccess, readerOf } from './access.ts';
import * as repo from './actions.repository.ts';
import type { ActionRow } from './actions.repository.ts';
import { type ActionInput, type ActionsQuery, type AnswerInput, type OfferInput, REMINDER_DAYS_BEFORE, type StatusInput } from './actions.schemas.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import { decisionsOf } from './minutes.repository.ts';

export const ACTION_REMINDER_JOB = 'meetings.actionReminders';

type Trx = Transaction<DB>;

/** What an action may link to a goal through: part D's goal options (this and last year). */
export interface GoalOptions {
  options(): Promise<{ id: string; year: number; title: string }[]>;
}
/** Whether the creator may read an alert: decided by early warning (the module's needs). */
export type AlertCheck = (actor: Actor, alertId: string) => Promise<boolean>;

export interface MatterArising {
  id: string;
  number: number;
  title: string;
  ownerName: string;
  dueOn: string | null;
  status: 'open' | 'in_progress';
  meetingId: string;
  meetingTitle: string;
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** How an owner reads to others: "Person (Organisation)" once the person accepted, else the organisation. */
export function ownerName(a: Pick<ActionRow, 'owner_person_name' | 'owner_organisation_name'>): string {
  return a.owner_person_name ? `${a.owner_person_name} (${a.owner_organisation_name})` : a.owner_organisation_name;
}

const STATUS_SETS: Record<NonNullable<ActionsQuery['status']>, ActionStatus[]> = {
  open: ['open', 'in_progress'],
  closed: ['done', 'dropped'],
  all: ['open', 'in_progress', 'done', 'dropped'],
};

/** Actions a list shows at once. */
export const ACTIONS_PAGE = 50;
/** A person's own and offered actions are few; the page shows at most this many of them. */
const OWN_LIMIT = 200;
const pageOf = (query: ActionsQuery): PageOf => pageFrom(query.page, ACTIONS_PAGE);
/** A page past the last one is no page (an old link after actions were closed): say so. */
const within = <T extends { total: number }>(page: PageOf, found: T): T => {
  if (page.offset > 0 && page.offset >= found.total) throw AppError.field('page', 'errors.page');
  return found;
};

export class ActionsService {
  constructor(readonly p: Platform) {
    // Idempotent (action_reminders' key): a retry, or two jobs due on the same day, mail nobody twice.
    p.jobs.define(ACTION_REMINDER_JOB, async () => {
      await this.runReminders(new Date());
    });
  }

  private url(path: string): string {
    return new URL(path, this.p.config.publicUrl).href;
  }

  /** Actions of no meeting are the network's work: its members and the convener see them. */
  private network(actor: Actor): boolean {
    return meetingsPolicy.can(actor, 'act');
  }

  // ---- reading ---------------------------------------------------------------------------

  /** One action, for whoever may see it (404 for anyone else). */
  async find(actor: Actor, id: string): Promise<ActionRow> {
    const reader = readerOf(actor);
    if (!(await repo.canSee(this.p.db, id, reader, this.network(actor)))) throw AppError.notFound();
    return (await repo.findAction(this.p.db, id)) as ActionRow;
  }

  /**
   * Who may update an action: staff of the owner organisation, the person who accepted it, and
   * the accepted chairs of its meeting.
   */
  private async mayUpdate(db: Db, me: PersonActor, a: { owner_organisation_id: string; owner_person_id: string | null; owner_state: string | null; owner_org_state: string; meeting_id: string | null }): Promise<boolean> {
    // An action offered to an organisation is its to accept or decline first, not to work on.
    if (a.owner_org_state !== 'accepted') return false;
    if (me.memberships.some((m) => m.organisationId === a.owner_organisation_id)) return true;
    if (a.owner_person_id === me.id && a.owner_state === 'accepted') return true;
    if (a.meeting_id) {
      // Read in the caller's transaction: the embedded database has one connection, and a read
      // beside an open write on it would wait for ever.
      const access = await meetingAccess(db, me, a.meeting_id).catch(() => undefined);
      if (access?.chair) return true;
    }
    return false;
  }

  async page(actor: Actor, id: string) {
    const action = await this.find(actor, id);
    const person = actor.kind === 'person' ? actor : undefined;
    const canUpdate = !!person && (await this.mayUpdate(this.p.db, person, action));
    const offeredToMe = !!person && action.owner_person_id === person.id && action.owner_state === 'offered';
    // The owner organisation's admin answers for it while the action is offered to it.
    const offeredToMyOrganisation = !!person && action.owner_org_state === 'offered' && person.memberships.some((m) => m.organisationId === action.owner_organisation_id && m.role === 'org_admin');
    return {
      offeredToMyOrganisation,
      action,
      ownerName: ownerName(action),
      updates: await repo.updatesOf(this.p.db, id),
      canUpdate,
      offeredToMe,
      // The owner organisation's staff, to offer the action to one of them.
      staff: canUpdate ? await repo.staffOf(this.p.db, action.owner_organisation_id) : [],
    };
  }

  /** "My actions": those the person accepted, those offered to them, and their organisations'. */
  async mine(actor: Actor, query: ActionsQuery) {
    const me = meetingsPolicy.person(actor, 'attend');
    const statuses = STATUS_SETS[query.status ?? 'open'];
    const page = pageOf(query);
    const [theirs, organisations] = await Promise.all([
      repo.actionsOfPerson(this.p.db, me.id, statuses, OWN_LIMIT),
      repo.actionsOfTheirOrganisations(
        this.p.db,
        me.id,
        me.memberships.map((m) => m.organisationId),
        statuses,
        page,
      ),
    ]);
    within(page, organisations);
    // Offered and not (yet) accepted: the person does not own it, so it is listed apart.
    const offered = theirs.filter((a) => a.owner_state === 'offered');
    const own = theirs.filter((a) => a.owner_state === 'accepted');
    return { offered, own, organisations: organisations.rows, pager: pagerOf(page, organisations.total), status: query.status ?? 'open' };
  }

  /** An organisation's actions, for its staff (`/actions?org=`); without one, what the reader may see. */
  async list(actor: Actor, query: ActionsQuery) {
    const statuses = STATUS_SETS[query.status ?? 'open'];
    const page = pageOf(query);
    const status = query.status ?? 'open';
    if (query.org) {
      const me = meetingsPolicy.person(actor, 'attend');
      const membership = me.memberships.find((m) => m.organisationId === query.org);
      if (!membership) throw AppError.notFound();
      const found = within(page, await repo.actionsOfOrganisation(this.p.db, membership.organisationId, statuses, page));
      return { organisation: { id: membership.organisationId, name: membership.name }, actions: found.rows, pager: pagerOf(page, found.total), status, canCreate: this.network(actor) };
    }
    const found = within(page, await repo.visibleActions(this.p.db, readerOf(actor), this.network(actor), statuses, page));
    return { organisation: undefined, actions: found.rows, pager: pagerOf(page, found.total), status, canCreate: this.network(actor) };
  }

  async actionsOfMeeting(meetingId: string) {
    return repo.actionsOfMeeting(this.p.db, meetingId);
  }

  /** The open and in-progress actions of earlier meetings of the same series (the agenda's matters arising). */
  async mattersArising(actor: Actor, meetingId: string): Promise<MatterArising[]> {
    const access = await meetingAccess(this.p.db, actor, meetingId);
    // The public details of a listed meeting carry no actions: those are its invitees' to read.
    const m = access.meeting;
    if (!access.invited || !m.series_id) return [];
    const rows = await repo.openOfEarlierMeetings(this.p.db, readerOf(actor), this.network(actor), m.series_id, new Date(m.starts_at));
    return rows.map((a) => ({
      id: a.id,
      number: a.number,
      title: a.title,
      ownerName: ownerName(a),
      dueOn: a.due_on,
      status: a.status as 'open' | 'in_progress',
      meetingId: a.meeting_id as string,
      meetingTitle: a.meeting_title ?? '',
    }));
  }

  // ---- the form --------------------------------------------------------------------------

  async form(actor: Actor, goals: GoalOptions, opts: { meeting?: string | undefined; decision?: string | undefined } = {}) {
    meetingsPolicy.person(actor, 'act');
    let meeting: { id: string; title: string } | undefined;
    if (opts.meeting) {
      const access = await meetingAccess(this.p.db, actor, opts.meeting);
      if (!(access.chair || access.minuteTaker || access.organiser)) throw AppError.notFound();
      meeting = { id: access.meeting.id, title: access.meeting.title };
    }
    return {
      owners: await repo.ownerOptions(this.p.db),
      goals: await goals.options(),
      meeting,
      decisions: meeting ? await decisionsOf(this.p.db, meeting.id) : [],
      decision: opts.decision,
    };
  }

  // ---- writing ---------------------------------------------------------------------------

  /**
   * A new action. Every id it links to is checked against what its creator may see; an action
   * of a meeting is recorded by its chairs or minute-taker. Refused input changes nothing.
   */
  async create(actor: Actor, input: ActionInput, chosen: unknown, links: { goals: GoalOptions; alertVisible: AlertCheck }): Promise<string> {
    const me = meetingsPolicy.person(actor, 'act');
    const organisationId = actingForIfAny(me, chosen) ?? null;
    const errors: FieldErrors = {};
    if (!input.owner) errors.owner = { key: 'errors.actionOwner' };
    else if (!(await repo.isMemberOrganisation(this.p.db, input.owner))) errors.owner = { key: 'errors.actionOwner' };
    if (input.meeting) {
      const access = await meetingAccess(this.p.db, me, input.meeting).catch(() => undefined);
      if (!access?.invited || !(access.chair || access.minuteTaker || access.organiser)) errors.meeting = { key: 'errors.choice' };
    }
    if (input.decision) {
      const d = await repo.decisionMeeting(this.p.db, input.decision);
      const seen = d ? await meetingAccess(this.p.db, me, d.meeting_id).catch(() => undefined) : undefined;
      // A decision links only to an action of its own meeting (or of none).
      if (!d || !seen?.invited || (input.meeting && d.meeting_id !== input.meeting)) errors.decision = { key: 'errors.choice' };
    }
    if (input.goal && !(await links.goals.options()).some((g) => g.id === input.goal)) errors.goal = { key: 'errors.choice' };
    if (input.alert && !(await links.alertVisible(me, input.alert))) errors.alert = { key: 'errors.choice' };
    if (
      input.statement &&
      !(await repo.linkableStatement(
        this.p.db,
        input.statement,
        me.memberships.map((m) => m.organisationId),
      ))
    )
      errors.statement = { key: 'errors.choice' };
    if (input.dueOn && input.dueOn < today()) errors.dueOn = { key: 'errors.actionDuePast' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    // Owned by an organisation the creator acts for, it is accepted by being made; owned by
    // another, it is offered to that organisation, whose admin accepts it (consent).
    const ownOrganisation = me.memberships.some((m) => m.organisationId === input.owner);
    return this.p.db.transaction().execute(async (trx) => {
      const { id } = await repo.insertAction(trx, {
        owner_org_state: ownOrganisation ? 'accepted' : 'offered',
        title: input.title,
        owner_organisation_id: input.owner as string,
        due_on: input.dueOn ?? null,
        meeting_id: input.meeting ?? null,
        decision_id: input.decision ?? null,
        goal_id: input.goal ?? null,
        alert_id: input.alert ?? null,
        statement_id: input.statement ?? null,
        organisation_id: organisationId,
        created_by: me.id,
      });
      if (input.dueOn) await this.scheduleReminders(trx, input.dueOn);
      if (!ownOrganisation) {
        const title = input.title;
        await this.p.mailer.queueInTheirLanguage(trx, await repo.adminContacts(trx, input.owner as string), (t) => ({
          subject: t('actions.mail.orgOffered.subject', { title }),
          text: t('actions.mail.orgOffered.body', { title, url: this.url(`/actions/${id}`) }),
        }));
      }
      await audit(trx, me, { action: 'action.create', recordType: 'action', recordId: id });
      return id;
    });
  }

  /** A change of status, with its note; every one is kept as an update. */
  async setStatus(actor: Actor, id: string, input: StatusInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    await this.p.db.transaction().execute(async (trx) => {
      const a = await repo.lockAction(trx, id);
      if (!a || !(await this.mayUpdate(trx, me, a))) throw AppError.notFound();
      const note = (input.note ?? '').trim();
      if ((input.status === 'dropped' || input.status === a.status) && note === '') throw AppError.field('note', 'errors.actionNote');
      const acting = me.memberships.find((m) => m.organisationId === a.owner_organisation_id)?.organisationId ?? null;
      await repo.insertUpdate(trx, { action_id: id, status: input.status, note, person_id: me.id, organisation_id: acting });
      if (input.status !== a.status) await repo.updateAction(trx, id, { status: input.status });
      await audit(trx, me, { action: 'action.status', recordType: 'action', recordId: id });
    });
  }

  /** Offers the action to a person of its owner organisation; they own it only once they accept. */
  async offer(actor: Actor, id: string, input: OfferInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    await this.p.db.transaction().execute(async (trx) => {
      const a = await repo.lockAction(trx, id);
      if (!a || !(await this.mayUpdate(trx, me, a))) throw AppError.notFound();
      if (!(await repo.staffOf(trx, a.owner_organisation_id)).some((s) => s.id === input.person)) throw AppError.field('person', 'errors.choice');
      await repo.updateAction(trx, id, { owner_person_id: input.person, owner_state: 'offered' });
      const contact = await repo.personContact(trx, input.person);
      const title = a.title;
      await this.p.mailer.queueInTheirLanguage(trx, contact ? [contact] : [], (t) => ({
        subject: t('actions.mail.offered.subject', { title }),
        text: t('actions.mail.offered.body', { title, url: this.url(`/actions/${id}`) }),
      }));
      await audit(trx, me, { action: 'action.offer', recordType: 'action', recordId: id });
    });
  }

  /** The person offered an action accepts or declines it: their own step, nobody else's. */
  async answer(actor: Actor, id: string, input: AnswerInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    await this.p.db.transaction().execute(async (trx) => {
      const a = await repo.lockAction(trx, id);
      if (a && a.owner_org_state === 'offered' && me.memberships.some((m) => m.organisationId === a.owner_organisation_id && m.role === 'org_admin')) {
        await repo.updateAction(trx, id, { owner_org_state: input.answer, owner_org_answered_by: me.id });
        await audit(trx, me, { action: input.answer === 'accepted' ? 'action.organisation_accept' : 'action.organisation_decline', recordType: 'action', recordId: id });
        return;
      }
      if (!a || a.owner_person_id !== me.id || a.owner_state !== 'offered') throw AppError.notFound();
      await repo.updateAction(trx, id, input.answer === 'accepted' ? { owner_state: 'accepted' } : { owner_person_id: null, owner_state: null });
      await audit(trx, me, { action: input.answer === 'accepted' ? 'action.accept' : 'action.decline', recordType: 'action', recordId: id });
    });
  }

  // ---- reminders -------------------------------------------------------------------------

  /** A sweep on the day of each reminder (the sweep itself decides what is due, idempotently). */
  private async scheduleReminders(trx: Trx, dueOn: string) {
    const now = new Date();
    for (const day of [addDays(dueOn, -REMINDER_DAYS_BEFORE), addDays(dueOn, 1)]) {
      const startAfter = new Date(`${day}T07:00:00Z`);
      await this.p.jobs.enqueue(trx, ACTION_REMINDER_JOB, {}, startAfter > now ? { startAfter } : {});
    }
  }

  /**
   * Mails the owner of every open action due within REMINDER_DAYS_BEFORE days, and of every
   * overdue one: the person if they accepted it, else the owner organisation's admins, in their
   * language. Each (action, kind, due date) is recorded once, so running it twice mails nobody
   * twice. Returns the reminders recorded.
   */
  async runReminders(now: Date): Promise<number> {
    const day = now.toISOString().slice(0, 10);
    let count = 0;
    for (const kind of ['before', 'overdue'] as const) {
      for (const due of await repo.dueForReminder(this.p.db, kind, day, REMINDER_DAYS_BEFORE)) {
        await this.p.db.transaction().execute(async (trx) => {
          const a = await repo.lockAction(trx, due.id);
          if (!a?.due_on || (a.status !== 'open' && a.status !== 'in_progress')) return;
          if (!(await repo.insertReminder(trx, a.id, kind, a.due_on))) return;
          const person = a.owner_person_id && a.owner_state === 'accepted' ? await repo.personContact(trx, a.owner_person_id) : undefined;
          const to = person ? [person] : await repo.adminContacts(trx, a.owner_organisation_id);
          const values = { title: a.title, due: a.due_on, url: this.url(`/actions/${a.id}`) };
          await this.p.mailer.queueInTheirLanguage(trx, to, (t) => ({
            subject: t(`actions.mail.${kind}.subject`, values),
            text: t(`actions.mail.${kind}.body`, values),
          }));
          await audit(trx, null, { action: `action.reminder.${kind}`, recordType: 'action', recordId: a.id });
          count++;
        });
      }
    }
    return count;
  }
}
