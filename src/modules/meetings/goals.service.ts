import { actingFor, actingForIfAny } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { type Actor, memberOrganisations, type PersonActor, type Role, rolesOf } from '../../platform/policy.ts';
import { meetingAccess, readerOf } from './access.ts';
import * as repo from './goals.repository.ts';
import type { GoalInput, GoalLinkInput, GoalUpdateInput, LeadAnswer, SupportEdit } from './goals.schemas.ts';
import { meetingsPolicy } from './meetings.policy.ts';

/** Who reads the network's goals: its members, associates and the convener. */
const READERS: readonly Role[] = ['member', 'org_admin', 'associate', 'convener'];

/** The reader's access to a meeting, or undefined where they may not see it (never a guess). */
async function seenMeeting(p: Platform, actor: Actor, id: string) {
  try {
    return await meetingAccess(p.db, actor, id);
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') return undefined;
    throw err;
  }
}

const ACTION_STATUSES = ['open', 'in_progress', 'done', 'dropped'] as const;
type ActionStatus = (typeof ACTION_STATUSES)[number];
export type Progress = { done: number; total: number; byStatus: Record<ActionStatus, number> };

function progressOf(rows: readonly { goal_id: string | null; status: string; n: string | number }[], goalId: string): Progress {
  const byStatus: Record<ActionStatus, number> = { open: 0, in_progress: 0, done: 0, dropped: 0 };
  for (const r of rows) if (r.goal_id === goalId && r.status in byStatus) byStatus[r.status as ActionStatus] += Number(r.n);
  const total = ACTION_STATUSES.reduce((sum, s) => sum + byStatus[s], 0);
  return { done: byStatus.done, total, byStatus };
}

/**
 * The network's goals (issue 14, item 8) and the self-care and support page (item 11). Goals are
 * read by the network (members, associates, the convener), set by members and the convener;
 * a named lead organisation leads only once its admin accepts. Progress is read from the actions
 * and decisions that serve a goal (the minutes part's tables), its updates, and the published
 * statements linked to it with the commitments taken from their replies.
 */
export class GoalsService {
  constructor(readonly p: Platform) {}

  /** Goals of this and last year, for the selects of decisions, actions and meetings. */
  async options(): Promise<{ id: string; year: number; title: string }[]> {
    const year = new Date().getUTCFullYear();
    return repo.goalOptions(this.p.db, [year, year - 1]);
  }

  /** Members, associates and the convener read goals; anyone else gets 404. */
  reader(actor: Actor): PersonActor {
    const roles = rolesOf(actor);
    if (actor.kind !== 'person' || !READERS.some((r) => roles.has(r))) throw AppError.notFound();
    return actor;
  }

  async list(actor: Actor, year?: number) {
    const me = this.reader(actor);
    const years = await repo.goalYears(this.p.db);
    const shown = year ?? years[0] ?? new Date().getUTCFullYear();
    const goals = await repo.goalsOfYear(this.p.db, shown);
    const ids = goals.map((g) => g.id);
    const [leads, counts] = await Promise.all([repo.leadsOf(this.p.db, ids), repo.actionCounts(this.p.db, ids)]);
    const canSet = meetingsPolicy.can(me, 'goals');
    return {
      year: shown,
      years,
      goals: goals.map((g) => ({ ...g, leads: leads.filter((l) => l.goal_id === g.id), progress: progressOf(counts, g.id) })),
      canSet,
      form: canSet ? await this.formLists(me) : undefined,
    };
  }

  private async formLists(me: PersonActor) {
    const [organisations, meetings] = await Promise.all([repo.memberOrganisationList(this.p.db), repo.meetingOptions(this.p.db, readerOf(me), 'goal_setting', 50)]);
    return { organisations, meetings };
  }

  async create(actor: Actor, input: GoalInput): Promise<string> {
    const me = meetingsPolicy.person(actor, 'goals');
    const organisationId = actingForIfAny(me, input.actingFor) ?? null;
    const leads = [...new Set(input.leads)];
    const known = await repo.memberOrganisationIds(this.p.db, leads);
    if (known.length !== leads.length) throw AppError.field('leads', 'errors.goalLeadUnknown');
    if (input.meeting) {
      const access = await seenMeeting(this.p, me, input.meeting);
      if (!access?.invited || access.meeting.kind !== 'goal_setting') throw AppError.field('meeting', 'errors.goalMeeting');
    }
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertGoal(trx, {
        year: input.year,
        title: input.title.trim(),
        success: input.success.trim(),
        meeting_id: input.meeting || null,
        organisation_id: organisationId,
        created_by: me.id,
        updated_at: new Date(),
      });
      await repo.insertLeads(trx, id, leads, me.id);
      if (input.meeting) await repo.linkMeeting(trx, id, input.meeting, me.id);
      await audit(trx, me, { action: 'goal.create', recordType: 'goal', recordId: id });
      return id;
    });
  }

  /** A goal's progress page. */
  async goal(actor: Actor, id: string) {
    const me = this.reader(actor);
    const goal = await repo.findGoal(this.p.db, id);
    if (!goal) throw AppError.notFound();
    const reader = readerOf(me);
    const [leads, counts, updates, actionUpdates, decisions, meetings, statements] = await Promise.all([
      repo.leadsOf(this.p.db, [id]),
      repo.actionCounts(this.p.db, [id]),
      repo.goalUpdates(this.p.db, id, 10),
      repo.latestActionUpdates(this.p.db, id, reader, meetingsPolicy.can(actor, 'act'), 10),
      repo.linkedDecisions(this.p.db, id, reader, 100),
      repo.linkedMeetings(this.p.db, id, reader),
      repo.linkedStatements(this.p.db, id),
    ]);
    const commitments = await repo.commitmentsOf(
      this.p.db,
      statements.map((s) => s.id),
    );
    const adminOf = memberOrganisations(me).filter((m) => m.role === 'org_admin').map((m) => m.organisationId);
    const staffOf = memberOrganisations(me).map((m) => m.organisationId);
    const canSet = meetingsPolicy.can(me, 'goals');
    const [meetingChoices, statementChoices] = canSet
      ? await Promise.all([repo.meetingOptions(this.p.db, reader, undefined, 50), repo.publishedStatementOptions(this.p.db, 100)])
      : [[], []];
    return {
      goal,
      leads,
      progress: progressOf(counts, id),
      updates,
      actionUpdates,
      decisions,
      meetings,
      statements: statements.map((s) => ({ ...s, commitments: commitments.filter((c) => c.statement_id === s.id) })),
      /** Leads the reader answers for (their organisation's admin). */
      toAnswer: leads.filter((l) => adminOf.includes(l.organisation_id)),
      /** Accepted leads whose staff the reader is: they write updates. */
      updateAs: leads.filter((l) => l.state === 'accepted' && staffOf.includes(l.organisation_id)),
      canLink: canSet,
      meetingChoices: meetingChoices.filter((m) => !meetings.some((x) => x.id === m.id)),
      statementChoices: statementChoices.filter((s) => !statements.some((x) => x.id === s.id)),
    };
  }

  /** The admin of a named organisation accepts or declines leading the goal (or steps back). */
  async answerLead(actor: Actor, id: string, input: LeadAnswer): Promise<void> {
    const me = meetingsPolicy.person(actor, 'goals');
    const admin = memberOrganisations(me).some((m) => m.organisationId === input.organisation && m.role === 'org_admin');
    await this.p.db.transaction().execute(async (trx) => {
      const lead = await repo.lockLead(trx, id, input.organisation);
      if (!lead || !admin) throw AppError.notFound();
      const state = input.answer === 'accept' ? 'accepted' : 'declined';
      if (lead.state === state) return;
      await repo.answerLead(trx, id, input.organisation, state, me.id);
      await audit(trx, me, { action: `goal.lead.${input.answer}`, recordType: 'goal', recordId: id });
    });
  }

  /** An update on the goal, by staff of an accepted lead organisation, in its name. */
  async addUpdate(actor: Actor, id: string, input: GoalUpdateInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'goals');
    if (!(await repo.findGoal(this.p.db, id))) throw AppError.notFound();
    const organisationId = actingFor(me, input.actingFor);
    const leads = await repo.leadsOf(this.p.db, [id]);
    if (!leads.some((l) => l.organisation_id === organisationId && l.state === 'accepted')) throw AppError.field('body', 'errors.goalNotLead');
    await this.p.db.transaction().execute(async (trx) => {
      const updateId = await repo.insertUpdate(trx, { goal_id: id, organisation_id: organisationId, author_id: me.id, body: input.body.trim() });
      await audit(trx, me, { action: 'goal.update', recordType: 'goal_update', recordId: updateId });
    });
  }

  /** Links a meeting the reader may see, or a published statement, to the goal. */
  async link(actor: Actor, id: string, input: GoalLinkInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'goals');
    if (!(await repo.findGoal(this.p.db, id))) throw AppError.notFound();
    if (!input.meeting && !input.statement) throw AppError.field('meeting', 'errors.goalLinkNothing');
    if (input.meeting) {
      const access = await seenMeeting(this.p, me, input.meeting);
      if (!access?.invited) throw AppError.field('meeting', 'errors.goalMeeting');
    }
    if (input.statement && !(await repo.isPublishedStatement(this.p.db, input.statement))) throw AppError.field('statement', 'errors.goalStatement');
    await this.p.db.transaction().execute(async (trx) => {
      if (input.meeting && (await repo.linkMeeting(trx, id, input.meeting, me.id))) await audit(trx, me, { action: 'goal.link.meeting', recordType: 'goal', recordId: id });
      if (input.statement && (await repo.linkStatement(trx, id, input.statement, me.id))) await audit(trx, me, { action: 'goal.link.statement', recordType: 'goal', recordId: id });
    });
  }

  /** The printable page of one year's goals with their accepted leads and progress. */
  async annual(actor: Actor, year: number) {
    this.reader(actor);
    const goals = await repo.goalsOfYear(this.p.db, year);
    const ids = goals.map((g) => g.id);
    const [leads, counts] = await Promise.all([repo.leadsOf(this.p.db, ids), repo.actionCounts(this.p.db, ids)]);
    return { year, goals: goals.map((g) => ({ ...g, leads: leads.filter((l) => l.goal_id === g.id && l.state === 'accepted'), progress: progressOf(counts, g.id) })) };
  }

  // ---- the self-care and mutual support page ------------------------------------------------

  async support(version?: number) {
    const [page, versions] = await Promise.all([version ? repo.supportVersion(this.p.db, version) : repo.currentSupport(this.p.db), repo.supportVersions(this.p.db)]);
    if (version && !page) throw AppError.notFound();
    return { page, versions, current: versions[0]?.version };
  }

  /** A new version; the earlier ones stay readable. */
  async publishSupport(actor: Actor, input: SupportEdit): Promise<number> {
    const me = meetingsPolicy.person(actor, 'support');
    const current = await repo.currentSupport(this.p.db);
    if (current && current.body.trim() === input.body.trim()) throw AppError.field('body', 'errors.supportUnchanged');
    const version = (current?.version ?? 0) + 1;
    try {
      await this.p.db.transaction().execute(async (trx) => {
        await repo.insertSupport(trx, { version, body: input.body, created_by: me.id });
        await audit(trx, me, { action: 'support.publish', recordType: 'support', recordId: String(version) });
      });
    } catch (err) {
      // Two conveners publishing at once: the second is told, nothing is overwritten.
      if ((err as { code?: string }).code === '23505') throw AppError.field('body', 'errors.supportConflict');
      throw err;
    }
    return version;
  }
}
