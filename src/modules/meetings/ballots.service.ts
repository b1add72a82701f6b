import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { VoteChoice } from '../../db/schema/meetings-goals.ts';
import { actingFor } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type Actor, memberOrganisations, type PersonActor } from '../../platform/policy.ts';
import { accessTo, assertInvited, type MeetingAccess, meetingAccess } from './access.ts';
import { lockMeeting } from './access.repository.ts';
import * as repo from './ballots.repository.ts';
import type { DelegateAnswer, DelegateInput, MotionInput, VoteInput } from './ballots.schemas.ts';
import { meetingsPolicy } from './meetings.policy.ts';

export interface MotionResult {
  id: string;
  number: number;
  text: string;
  ballot: 'open' | 'secret';
  state: 'draft' | 'open' | 'closed';
  quorumMet: boolean | null;
  for: number;
  against: number;
  abstain: number;
  eligible: number;
  carried: boolean | null;
}

/** Quorum: at least `percent` per cent of the member organisations checked in (none: no quorum). */
export function quorumMet(present: number, eligible: number, percent: number): boolean {
  return eligible > 0 && present * 100 >= percent * eligible;
}

/**
 * AGM business (issue 14, item 9): motions proposed by the organisers, each with one vote per
 * member organisation, cast by its admin or by the delegate it named who accepted. A secret
 * ballot records who voted (motion_voters) apart from how (motion_tallies, counts only), in one
 * transaction; an open ballot also records each organisation's choice (motion_open_votes, which
 * the database refuses for a secret ballot). Counts are shown only once a ballot is closed, so
 * that watching them move while people vote tells nobody how one organisation voted.
 */
export class BallotsService {
  constructor(readonly p: Platform) {}

  /** The AGM, for someone invited to it; 404 for any other meeting or reader. */
  private async agm(actor: Actor, meetingId: string): Promise<MeetingAccess> {
    const access = await meetingAccess(this.p.db, actor, meetingId);
    assertInvited(access);
    if (access.meeting.kind !== 'agm') throw AppError.notFound();
    return access;
  }

  /** What the minutes print: every motion with its result once closed (interfaces.md). */
  async resultsFor(actor: Actor, meetingId: string): Promise<MotionResult[]> {
    const access = await meetingAccess(this.p.db, actor, meetingId);
    assertInvited(access);
    const motions = (await repo.motionsOf(this.p.db, meetingId)).filter((m) => m.state !== 'draft' || access.organiser);
    const tallies = await repo.talliesOf(
      this.p.db,
      motions.filter((m) => m.state === 'closed').map((m) => m.id),
    );
    return motions.map((m) => {
      const count = (choice: VoteChoice) => tallies.find((t) => t.motion_id === m.id && t.choice === choice)?.count ?? 0;
      return {
        id: m.id,
        number: m.number,
        text: m.text,
        ballot: m.ballot,
        state: m.state,
        quorumMet: m.state === 'closed' ? m.quorum_met : m.quorum_at_open,
        for: count('for'),
        against: count('against'),
        abstain: count('abstain'),
        eligible: m.eligible ?? m.eligible_at_open ?? 0,
        carried: m.state === 'closed' ? m.carried : null,
      };
    });
  }

  /** Organisations this person may cast the vote of at this meeting, with how (admin, delegate). */
  private async votingFor(person: PersonActor, meetingId: string): Promise<string[]> {
    const delegates = await repo.delegatesOf(this.p.db, meetingId);
    return memberOrganisations(person)
      .filter((m) => {
        const d = delegates.find((x) => x.organisation_id === m.organisationId);
        return m.role === 'org_admin' || (d?.person_id === person.id && d.state === 'accepted');
      })
      .map((m) => m.organisationId);
  }

  /** The motions page: results, what the reader may do (propose, open, close, vote, delegate). */
  async page(actor: Actor, meetingId: string) {
    const access = await this.agm(actor, meetingId);
    const results = await this.resultsFor(actor, meetingId);
    const person = actor.kind === 'person' ? actor : undefined;
    const [votingFor, delegates, quorum] = await Promise.all([
      person && meetingsPolicy.can(actor, 'vote') ? this.votingFor(person, meetingId) : Promise.resolve([] as string[]),
      repo.delegatesOf(this.p.db, meetingId),
      repo.quorumCounts(this.p.db, meetingId),
    ]);
    const voted = new Map<string, string[]>();
    const closedVotes = new Map<string, { voters: { id: string; name: string }[]; open: { id: string; name: string; choice: VoteChoice }[] }>();
    for (const m of results) {
      if (m.state === 'open') voted.set(m.id, await repo.votedOrganisations(this.p.db, m.id, votingFor));
      if (m.state === 'closed') {
        const [voters, open] = await Promise.all([repo.votersOf(this.p.db, m.id), m.ballot === 'open' ? repo.openVotesOf(this.p.db, m.id) : Promise.resolve([])]);
        closedVotes.set(m.id, { voters, open });
      }
    }
    // Admins of member organisations invited here name a delegate from their staff.
    const adminOf = person ? memberOrganisations(person).filter((m) => m.role === 'org_admin') : [];
    const staff = await Promise.all(adminOf.map(async (m) => ({ organisationId: m.organisationId, name: m.name, staff: await repo.staffOf(this.p.db, m.organisationId) })));
    const offeredToMe = person ? delegates.filter((d) => d.person_id === person.id && memberOrganisations(person).some((m) => m.organisationId === d.organisation_id)) : [];
    const names = new Map((person ? memberOrganisations(person) : []).map((m) => [m.organisationId, m.name]));
    return {
      meeting: access.meeting,
      organiser: access.organiser,
      chair: access.chair,
      results,
      votingFor: votingFor.map((id) => ({ organisationId: id, name: names.get(id) ?? '' })),
      voted,
      closedVotes,
      quorum: { ...quorum, percent: access.meeting.quorum_percent, met: quorumMet(quorum.present, quorum.eligible, access.meeting.quorum_percent) },
      delegation: staff.map((s) => ({ ...s, current: delegates.find((d) => d.organisation_id === s.organisationId) })),
      offeredToMe: offeredToMe.map((d) => ({ organisationId: d.organisation_id, state: d.state, name: names.get(d.organisation_id) ?? '' })),
    };
  }

  async propose(actor: Actor, meetingId: string, input: MotionInput): Promise<string> {
    const me = meetingsPolicy.person(actor, 'attend');
    return this.p.db.transaction().execute(async (trx) => {
      const access = await this.locked(trx, me, meetingId);
      if (!access.organiser) throw AppError.notFound();
      const organisationId = memberOrganisations(me).length > 0 ? actingFor(me, input.actingFor) : null;
      const id = await repo.insertMotion(trx, { meeting_id: meetingId, text: input.text.trim(), ballot: input.ballot, organisation_id: organisationId, proposed_by: me.id });
      await audit(trx, me, { action: 'motion.propose', recordType: 'motion', recordId: id });
      return id;
    });
  }

  /** A chair opens the ballot; the quorum is read from the check-in list and kept. */
  async open(actor: Actor, meetingId: string, motionId: string): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    await this.p.db.transaction().execute(async (trx) => {
      const access = await this.locked(trx, me, meetingId);
      if (!access.chair) throw AppError.notFound();
      const motion = await repo.lockMotion(trx, meetingId, motionId);
      if (!motion) throw AppError.notFound();
      if (motion.state !== 'draft') throw AppError.invalid({}, motion.state === 'closed' ? 'errors.ballotClosed' : 'errors.ballotAlreadyOpen');
      const q = await repo.quorumCounts(trx, meetingId);
      await repo.openMotion(trx, motionId, me.id, { ...q, quorum: quorumMet(q.present, q.eligible, access.meeting.quorum_percent) });
      await audit(trx, me, { action: 'motion.open', recordType: 'motion', recordId: motionId });
    });
  }

  /** A chair closes it: the quorum read again, the result fixed (carried: for > against, with quorum). */
  async close(actor: Actor, meetingId: string, motionId: string): Promise<void> {
    const me = meetingsPolicy.person(actor, 'attend');
    await this.p.db.transaction().execute(async (trx) => {
      const access = await this.locked(trx, me, meetingId);
      if (!access.chair) throw AppError.notFound();
      const motion = await repo.lockMotion(trx, meetingId, motionId);
      if (!motion) throw AppError.notFound();
      if (motion.state !== 'open') throw AppError.invalid({}, motion.state === 'closed' ? 'errors.ballotClosed' : 'errors.ballotNotOpen');
      const q = await repo.quorumCounts(trx, meetingId);
      const tallies = await repo.talliesOf(trx, [motionId]);
      const count = (c: VoteChoice) => tallies.find((t) => t.choice === c)?.count ?? 0;
      const quorum = quorumMet(q.present, q.eligible, access.meeting.quorum_percent);
      await repo.closeMotion(trx, motionId, me.id, { ...q, quorum, carried: quorum && count('for') > count('against') });
      await audit(trx, me, { action: 'motion.close', recordType: 'motion', recordId: motionId });
    });
  }

  /**
   * One vote per member organisation. The motion row is locked, so a vote and the close are
   * ordered: a vote after the close is refused, and none is counted into a closed result. The
   * audit entry names the voter row (motion and organisation), never the choice.
   */
  async vote(actor: Actor, meetingId: string, motionId: string, input: VoteInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'vote');
    const access = await this.agm(me, meetingId);
    // A cancelled AGM takes no votes: its business is not transacted.
    if (access.meeting.state === 'cancelled') throw AppError.field('choice', 'errors.ballotMeetingCancelled');
    const options = await this.votingFor(me, meetingId);
    const organisationId = pickVoter(options, input.actingFor);
    await this.p.db.transaction().execute(async (trx) => {
      const motion = await repo.lockMotion(trx, meetingId, motionId);
      if (!motion) throw AppError.notFound();
      if (motion.state === 'closed') throw AppError.field('choice', 'errors.ballotClosed');
      if (motion.state !== 'open') throw AppError.field('choice', 'errors.ballotNotOpen');
      const voterId = await repo.insertVoter(trx, motionId, organisationId, me.id);
      if (!voterId) throw AppError.field('choice', 'errors.ballotAlreadyVoted');
      await repo.countVote(trx, motionId, input.choice);
      if (motion.ballot === 'open') await repo.insertOpenVote(trx, motionId, organisationId, input.choice);
      await audit(trx, me, { action: 'motion.vote', recordType: 'motion_voter', recordId: voterId });
    });
  }

  /** An admin names one of its organisation's staff to vote for it at this AGM. */
  async nameDelegate(actor: Actor, meetingId: string, input: DelegateInput): Promise<void> {
    const me = meetingsPolicy.person(actor, 'vote');
    await this.agm(me, meetingId);
    const mine = memberOrganisations(me).find((m) => m.organisationId === input.organisation && m.role === 'org_admin');
    if (!mine) throw AppError.field('organisation', 'errors.ballotNotAdmin');
    const staff = await repo.staffOf(this.p.db, input.organisation);
    if (!staff.some((s) => s.id === input.person)) throw AppError.field('person', 'errors.ballotDelegateChoose');
    await this.p.db.transaction().execute(async (trx) => {
      await repo.nameDelegate(trx, meetingId, input.organisation, input.person, me.id);
      await audit(trx, me, { action: 'meeting.delegate.name', recordType: 'meeting', recordId: meetingId });
    });
  }

  /** The person named answers; only an accepting delegate votes. */
  async answerDelegate(actor: Actor, meetingId: string, input: DelegateAnswer): Promise<void> {
    const me = meetingsPolicy.person(actor, 'vote');
    await this.agm(me, meetingId);
    await this.p.db.transaction().execute(async (trx) => {
      const d = await repo.lockDelegate(trx, meetingId, input.organisation);
      if (!d || d.person_id !== me.id || !memberOrganisations(me).some((m) => m.organisationId === input.organisation)) throw AppError.notFound();
      await repo.answerDelegate(trx, meetingId, input.organisation, input.answer === 'accept' ? 'accepted' : 'declined');
      await audit(trx, me, { action: `meeting.delegate.${input.answer}`, recordType: 'meeting', recordId: meetingId });
    });
  }

  private async locked(trx: Transaction<DB>, me: PersonActor, meetingId: string): Promise<MeetingAccess> {
    const meeting = await lockMeeting(trx, meetingId);
    if (!meeting) throw AppError.notFound();
    const access = await accessTo(trx, me, meeting);
    if (!access?.invited || meeting.kind !== 'agm') throw AppError.notFound();
    return access;
  }
}

/** The organisation this vote is cast for: one the person may vote for, chosen when several. */
function pickVoter(options: readonly string[], chosen: unknown): string {
  if (typeof chosen === 'string' && chosen !== '') {
    if (!options.includes(chosen)) throw AppError.field('actingFor', 'errors.ballotNotVoter');
    return chosen;
  }
  if (options.length === 1) return options[0] as string;
  if (options.length === 0) throw AppError.field('choice', 'errors.ballotNotVoter');
  throw AppError.field('actingFor', 'errors.actingForChoose');
}
