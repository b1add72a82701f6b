import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type Actor, memberOrganisations, type PersonActor } from '../../platform/policy.ts';
import { actingFor, canActForAny } from '../../platform/acting.ts';
import { actingAsOwner } from './acting.ts';
import * as communities from './communities.repository.ts';
import { organisationContacts } from './payments.repository.ts';
import * as repo from './consultations.repository.ts';
import type { ConsultationRow } from './consultations.repository.ts';
import { engagementPolicy } from './engagement.policy.ts';
import type { ConsultationInput, FeedbackInput, JoinInput, PaidInput, ParticipationInput } from './engagement.schemas.ts';
import { inclusionView } from './inclusion.ts';
import { fromMinor, isCurrency, toMinor } from './money.ts';
import type { PaymentsService } from './payments.service.ts';

const blank = (s: string | undefined) => !s || s.trim() === '';

/**
 * What participants must be told before they join, and the organisers' answer to "who is
 * missing": a consultation cannot open without them. Keys name the form's fields.
 */
export function openingProblems(input: ConsultationInput): FieldErrors {
  const errors: FieldErrors = {};
  const need: [keyof ConsultationInput, string][] = [
    ['purpose', 'errors.openPurpose'],
    ['decision', 'errors.openDecision'],
    ['decisionMaker', 'errors.openDecisionMaker'],
    ['canChange', 'errors.openCanChange'],
    ['cannotChange', 'errors.openCannotChange'],
    ['missingWho', 'errors.openMissingWho'],
    ['missingWhy', 'errors.openMissingWhy'],
    ['missingSteps', 'errors.openMissingSteps'],
  ];
  for (const [field, key] of need) if (blank(input[field] as string | undefined)) errors[field] = { key };
  if (!input.languages || input.languages.length === 0) errors.languages = { key: 'errors.openLanguages' };
  const paid = !blank(input.compensationAmount);
  if (!paid && blank(input.noCompensationReason)) errors.compensationAmount = { key: 'errors.openCompensation' };
  if (paid && blank(input.compensationBasis)) errors.compensationBasis = { key: 'errors.openCompensationBasis' };
  return errors;
}

export class ConsultationsService {
  constructor(
    private p: Platform,
    private payments: PaymentsService,
  ) {}

  /**
   * Whether the reader sees what organisers see (participants, hidden ones included, the
   * inclusion view, the ledger): staff of the lead organisation or of an accepted
   * co-organiser. `lead` says whether they may also act for the lead.
   */
  private async organiserOf(actor: Actor, id: string): Promise<{ organiser: boolean; lead: boolean }> {
    if (actor.kind !== 'person' || !engagementPolicy.can(actor, 'organise')) return { organiser: false, lead: false };
    const { lead, co } = await repo.organisers(this.p.db, id);
    const mine = new Set(memberOrganisations(actor).map((m) => m.organisationId));
    const isLead = !!lead && mine.has(lead);
    return { organiser: isLead || co.some((o) => mine.has(o.id)), lead: isLead };
  }

  /** The consultation, or 404 for a draft the reader does not organise. */
  private async visible(actor: Actor, id: string): Promise<{ c: ConsultationRow; organiser: boolean; lead: boolean }> {
    const c = await repo.findConsultation(this.p.db, id);
    if (!c) throw AppError.notFound();
    const { organiser, lead } = await this.organiserOf(actor, id);
    if (c.state === 'draft' && !organiser) throw AppError.notFound();
    return { c, organiser, lead };
  }

  /**
   * What changes the consultation, its promises or its ledger is done in the lead
   * organisation's name, by someone acting for it (`chosen`: the form's `actingFor`).
   * Co-organisers see what organisers see but do not act for the lead (ADR 0016); anyone
   * else is answered "not found".
   */
  private async leading(actor: Actor, id: string, chosen: unknown): Promise<{ me: PersonActor; c: ConsultationRow }> {
    const me = engagementPolicy.person(actor, 'organise');
    const { c } = await this.visible(me, id);
    actingAsOwner(me, chosen, [c.organisation_id]);
    return { me, c };
  }

  async list(actor: Actor) {
    const orgIds = actor.kind === 'person' ? memberOrganisations(actor).map((m) => m.organisationId) : [];
    return {
      consultations: await repo.listConsultations(this.p.db, orgIds),
      canOrganise: engagementPolicy.can(actor, 'organise') && canActForAny(actor),
    };
  }

  /** Values stored from the form, checked for what holds even in a draft. */
  private async writable(input: ConsultationInput) {
    const errors: FieldErrors = {};
    let minor: number | null = null;
    if (!blank(input.compensationAmount)) {
      if (!input.compensationCurrency) errors.compensationCurrency = { key: 'errors.currencyRequired' };
      else if (!isCurrency(input.compensationCurrency)) errors.compensationCurrency = { key: 'errors.currency' };
      else {
        minor = toMinor(input.compensationAmount as string, input.compensationCurrency);
        if (minor === null) errors.compensationAmount = { key: 'errors.amount' };
      }
    }
    if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) errors.endsOn = { key: 'errors.endsBeforeStarts' };
    const known = await communities.communitiesByIds(this.p.db, input.communities);
    if (known.length !== new Set(input.communities).size) errors.communities = { key: 'errors.choice' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    const t = (s: string | undefined) => (blank(s) ? null : (s as string).trim());
    return {
      title: input.title.trim(),
      purpose: t(input.purpose),
      decision: t(input.decision),
      decision_maker: t(input.decisionMaker),
      can_change: t(input.canChange),
      cannot_change: t(input.cannotChange),
      format: input.format,
      starts_on: input.startsOn ?? null,
      ends_on: input.endsOn ?? null,
      languages: input.languages ?? [],
      interpretation: t(input.interpretation),
      accessibility: t(input.accessibility),
      compensation_minor: minor,
      compensation_currency: minor === null ? null : (input.compensationCurrency ?? null),
      compensation_basis: minor === null ? null : t(input.compensationBasis),
      no_compensation_reason: minor === null ? t(input.noCompensationReason) : null,
      missing_who: t(input.missingWho),
      missing_why: t(input.missingWhy),
      missing_steps: t(input.missingSteps),
    };
  }

  /** Saves a draft; with intent "open", opens it if nothing participants need is missing. */
  async create(actor: Actor, input: ConsultationInput, chosen: unknown): Promise<{ id: string; opened: boolean }> {
    const me = engagementPolicy.person(actor, 'organise');
    const organisationId = actingFor(me, chosen);
    const values = await this.writable(input);
    if (input.intent === 'open') this.assertOpenable(input);
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertConsultation(trx, { ...values, organisation_id: organisationId, created_by: me.id }, input.communities);
      await audit(trx, me, { action: 'consultation.create', recordType: 'consultation', recordId: id });
      if (input.intent === 'open') await this.open(trx, me, id, values.title);
      return { id, opened: input.intent === 'open' };
    });
  }

  /** Opens it, and tells the members of its communities, in their language, where to read more. */
  private async open(trx: Transaction<DB>, me: PersonActor, id: string, title: string) {
    await repo.setState(trx, id, 'open');
    const c = await repo.findConsultation(trx, id);
    const url = new URL(`/consultations/${id}`, this.p.config.publicUrl).href;
    await this.p.mailer.queueInTheirLanguage(trx, await repo.communityMemberContacts(trx, id), (t) => ({
      subject: t('mail.consultationOpened.subject', { title }),
      text: t('mail.consultationOpened.body', { title, organisation: c?.organisation_name ?? '', purpose: c?.purpose ?? '', canChange: c?.can_change ?? '', url }),
    }));
    await audit(trx, me, { action: 'consultation.open', recordType: 'consultation', recordId: id });
  }

  private assertOpenable(input: ConsultationInput) {
    const problems = openingProblems(input);
    if (Object.keys(problems).length > 0) throw AppError.invalid(problems, 'errors.cannotOpen');
  }

  async update(actor: Actor, id: string, input: ConsultationInput, chosen: unknown): Promise<{ opened: boolean }> {
    const { me, c } = await this.leading(actor, id, chosen);
    if (c.state !== 'draft' && c.state !== 'open') throw AppError.field('title', 'errors.consultationEnded');
    const values = await this.writable(input);
    // An open consultation keeps what its participants were promised.
    const opening = c.state === 'open' || input.intent === 'open';
    if (opening) this.assertOpenable(input);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockConsultation(trx, id);
      if (locked?.state !== c.state) throw AppError.field('title', 'errors.consultationChanged');
      await repo.updateConsultation(trx, id, values, input.communities);
      await audit(trx, me, { action: 'consultation.update', recordType: 'consultation', recordId: id });
      if (c.state === 'draft' && input.intent === 'open') await this.open(trx, me, id, values.title);
    });
    return { opened: c.state === 'draft' && input.intent === 'open' };
  }

  /** The edit form's values, as the form names them: only for staff of the lead organisation. */
  async formValues(actor: Actor, id: string): Promise<Record<string, unknown>> {
    const me = engagementPolicy.person(actor, 'organise');
    const { c, lead } = await this.visible(me, id);
    if (!lead) throw AppError.notFound();
    const cs = await repo.consultationCommunities(this.p.db, id);
    return {
      title: c.title,
      purpose: c.purpose ?? '',
      decision: c.decision ?? '',
      decisionMaker: c.decision_maker ?? '',
      canChange: c.can_change ?? '',
      cannotChange: c.cannot_change ?? '',
      format: c.format,
      startsOn: c.starts_on ?? '',
      endsOn: c.ends_on ?? '',
      languages: c.languages,
      interpretation: c.interpretation ?? '',
      accessibility: c.accessibility ?? '',
      compensationAmount: c.compensation_minor === null || !c.compensation_currency ? '' : fromMinor(c.compensation_minor, c.compensation_currency),
      compensationCurrency: c.compensation_currency ?? '',
      compensationBasis: c.compensation_basis ?? '',
      noCompensationReason: c.no_compensation_reason ?? '',
      communities: cs.map((x) => x.id),
      missingWho: c.missing_who ?? '',
      missingWhy: c.missing_why ?? '',
      missingSteps: c.missing_steps ?? '',
      state: c.state,
    };
  }

  async consultation(actor: Actor, id: string) {
    const { c, organiser, lead } = await this.visible(actor, id);
    const [cs, org, count, visibleParticipants, feedback] = await Promise.all([
      repo.consultationCommunities(this.p.db, id),
      repo.organisers(this.p.db, id),
      repo.participantCount(this.p.db, id),
      repo.visibleParticipants(this.p.db, id),
      repo.feedback(this.p.db, id),
    ]);
    const takesPart = actor.kind === 'person' && engagementPolicy.can(actor, 'takePart');
    const mine = takesPart && actor.kind === 'person' ? await repo.participation(this.p.db, id, actor.id) : undefined;
    const myPayments = mine && actor.kind === 'person' ? (await this.payments.forPerson(actor.id)).filter((p) => p.consultation_id === id) : [];
    let organising: Awaited<ReturnType<ConsultationsService['organiserData']>> | undefined;
    if (organiser) organising = await this.organiserData(id, c);
    // Requests to co-organise: the lead's staff answer pending ones; the requester's staff
    // see their own organisation's request and its answer; nobody else sees any.
    const staff = actor.kind === 'person' && engagementPolicy.can(actor, 'organise') ? new Set(memberOrganisations(actor).map((m) => m.organisationId)) : new Set<string>();
    const requests = staff.size > 0 ? await repo.coOrganiserRequests(this.p.db, id) : [];
    const asked = new Set(requests.map((r) => r.organisation_id));
    const canCoOrganise = c.state === 'open' && [...staff].some((o) => o !== c.organisation_id && !asked.has(o));
    return {
      consultation: c,
      communities: cs,
      coOrganisers: org.co,
      /** Who will know that a participant takes part, even one not seen by the others. */
      knownTo: [c.organisation_name, ...org.co.map((x) => x.name)],
      lead,
      pendingRequests: lead ? requests.filter((r) => r.state === 'requested') : [],
      ownRequests: requests.filter((r) => staff.has(r.organisation_id) && r.state !== 'accepted'),
      participantCount: count,
      visibleParticipants: mine || organiser ? visibleParticipants : [],
      feedback,
      organiser,
      canJoin: takesPart && !mine && c.state === 'open',
      canLeave: !!mine && c.state === 'open',
      participation: mine,
      myPayments,
      canCoOrganise,
      organising,
    };
  }

  private async organiserData(id: string, c: ConsultationRow) {
    const cs = await repo.consultationCommunities(this.p.db, id);
    const dims = await communities.dimensions(this.p.db, cs.map((x) => x.id));
    const inclusion = await Promise.all(
      cs.map(async (community) => ({
        community,
        view: inclusionView(
          dims.filter((d) => d.communityId === community.id),
          await communities.participantAnswers(this.p.db, id, community.id),
        ),
      })),
    );
    const [participants, ledger, overlapping] = await Promise.all([
      repo.participants(this.p.db, id),
      this.payments.ledger({ consultation_id: id }),
      repo.overlapping(this.p.db, id, c.organisation_id),
    ]);
    return {
      inclusion,
      participants,
      ...ledger,
      overlapping,
      openingProblems: c.state === 'draft' ? Object.keys(openingProblems(draftAsInput(c, cs.map((x) => x.id)))) : [],
    };
  }

  async close(actor: Actor, id: string, chosen: unknown): Promise<void> {
    const { me } = await this.leading(actor, id, chosen);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockConsultation(trx, id);
      if (locked?.state !== 'open') throw AppError.field('close', 'errors.notOpen');
      await repo.setState(trx, id, 'closed');
      await audit(trx, me, { action: 'consultation.close', recordType: 'consultation', recordId: id });
    });
  }

  /**
   * Asks the lead organisation to organise this consultation together. Nothing changes
   * until the lead accepts: no organiser rights, no participant seen. The lead's staff are
   * told, in their language. An organisation asks once; a declined request is final.
   */
  async requestCoOrganise(actor: Actor, id: string, chosen: unknown): Promise<void> {
    const me = engagementPolicy.person(actor, 'organise');
    const { c } = await this.visible(me, id);
    if (c.state !== 'open') throw AppError.notFound();
    const organisationId = actingFor(me, chosen);
    if (organisationId === c.organisation_id) throw AppError.field('actingFor', 'errors.coIsLead');
    const name = memberOrganisations(me).find((m) => m.organisationId === organisationId)?.name ?? '';
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockConsultation(trx, id);
      if (locked?.state !== 'open') throw AppError.field('actingFor', 'errors.notOpen');
      if (!(await repo.requestOrganiser(trx, id, organisationId, me.id))) throw AppError.field('actingFor', 'errors.coAlreadyAsked');
      const url = new URL(`/consultations/${id}#co-requests`, this.p.config.publicUrl).href;
      await this.p.mailer.queueInTheirLanguage(trx, await organisationContacts(trx, c.organisation_id), (t) => ({
        subject: t('mail.coRequest.subject', { organisation: name, title: c.title }),
        text: t('mail.coRequest.body', { organisation: name, title: c.title, url }),
      }));
      await audit(trx, me, { action: 'consultation.coOrganiseRequest', recordType: 'consultation_organiser', recordId: `${id}/${organisationId}` });
    });
  }

  /**
   * The lead organisation's answer. Accepting lets the other organisation's staff see every
   * participant, so in the same transaction each participant is told, in their language,
   * with the way to leave; the requester learns the answer either way.
   */
  async answerCoOrganise(actor: Actor, id: string, organisationId: string, answer: 'accepted' | 'declined', chosen: unknown): Promise<void> {
    const { me, c } = await this.leading(actor, id, chosen);
    const requester = await repo.organisationName(this.p.db, organisationId);
    // No request from that organisation: nothing to answer.
    if (!requester || !(await repo.requestState(this.p.db, id, organisationId))) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockConsultation(trx, id);
      // Accepting shows participants to another organisation: only while people can still leave.
      if (answer === 'accepted' && locked?.state !== 'open' && locked?.state !== 'draft') throw AppError.field('answer', 'errors.coNotOpen');
      const answered = await repo.answerRequest(trx, id, organisationId, answer, me.id);
      if (!answered) throw AppError.field('answer', 'errors.coAnswered');
      const url = new URL(`/consultations/${id}`, this.p.config.publicUrl).href;
      if (answer === 'accepted') {
        await this.p.mailer.queueInTheirLanguage(trx, await repo.participantContacts(trx, id), (t) => ({
          subject: t('mail.coAdded.subject', { title: c.title }),
          text: t('mail.coAdded.body', { title: c.title, lead: c.organisation_name, organisation: requester, url }),
        }));
      }
      const asker = answered.requested_by ? await repo.personContact(trx, answered.requested_by) : undefined;
      await this.p.mailer.queueInTheirLanguage(trx, asker ? [asker] : [], (t) => ({
        subject: t(`mail.coAnswer.${answer}.subject`, { title: c.title }),
        text: t(`mail.coAnswer.${answer}.body`, { title: c.title, lead: c.organisation_name, organisation: requester, url }),
      }));
      await audit(trx, me, { action: answer === 'accepted' ? 'consultation.coOrganiseAccept' : 'consultation.coOrganiseDecline', recordType: 'consultation_organiser', recordId: `${id}/${organisationId}` });
    });
  }

  async join(actor: Actor, id: string, input: JoinInput): Promise<void> {
    const me = engagementPolicy.person(actor, 'takePart');
    const { c } = await this.visible(me, id);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockConsultation(trx, id);
      if (locked?.state !== 'open') throw AppError.field('join', 'errors.notOpen');
      if (await repo.addParticipant(trx, id, me.id, input.visible === 'yes')) {
        await audit(trx, me, { action: 'consultation.join', recordType: 'consultation', recordId: c.id });
      }
    });
  }

  /**
   * A participant stops taking part while it is open; what they are owed stays owed. This is
   * the way out offered when another organisation comes to know who takes part.
   */
  async leave(actor: Actor, id: string): Promise<void> {
    const me = engagementPolicy.person(actor, 'takePart');
    await this.visible(me, id);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockConsultation(trx, id);
      if (locked?.state !== 'open') throw AppError.field('leave', 'errors.notOpen');
      if (!(await repo.removeParticipant(trx, id, me.id))) throw AppError.notFound();
      await audit(trx, me, { action: 'consultation.leave', recordType: 'consultation', recordId: id });
    });
  }

  /**
   * Hours taken part and the amount agreed: what the lead organisation, which promised the
   * payment, now owes this person. Only its staff record it (never a co-organiser).
   */
  async recordParticipation(actor: Actor, id: string, input: ParticipationInput, chosen: unknown): Promise<void> {
    const { me, c } = await this.leading(actor, id, chosen);
    if (c.state === 'draft') throw AppError.field('person', 'errors.notOpen');
    if (!isCurrency(input.currency)) throw AppError.field('currency', 'errors.currency');
    const minor = toMinor(input.amount, input.currency);
    if (minor === null) throw AppError.field('amount', 'errors.amount');
    const minutes = Math.round(Number(input.hours.replace(',', '.')) * 60);
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.setMinutes(trx, id, input.person, minutes))) throw AppError.field('person', 'errors.notParticipant');
      const paymentId = await this.payments.owe(trx, me, { consultation_id: id }, { organisationId: c.organisation_id, personId: input.person, amountMinor: minor, currency: input.currency });
      await audit(trx, me, { action: 'consultation.participation', recordType: 'payment', recordId: paymentId });
    });
  }

  /** Only the organisation that owes the payment marks it paid. */
  async markPaid(actor: Actor, id: string, paymentId: string, input: PaidInput, chosen: unknown): Promise<void> {
    const me = engagementPolicy.person(actor, 'organise');
    await this.visible(me, id);
    await this.payments.markPaid(me, { consultation_id: id }, paymentId, input, chosen);
  }

  /**
   * "You said, we did": published once, it closes the loop, and every participant is told in
   * their language (by mail where they gave an address; always on the consultation's page).
   */
  async publishFeedback(actor: Actor, id: string, input: FeedbackInput, chosen: unknown): Promise<void> {
    const { me, c } = await this.leading(actor, id, chosen);
    const missing: FieldErrors = {};
    if (blank(input.heard)) missing.heard = { key: 'errors.feedbackHeard' };
    if (blank(input.did)) missing.did = { key: 'errors.feedbackDid' };
    if (blank(input.didNot)) missing.didNot = { key: 'errors.feedbackDidNot' };
    if (Object.keys(missing).length > 0) throw AppError.invalid(missing);
    const heard = (input.heard as string).trim();
    const did = (input.did as string).trim();
    const didNot = (input.didNot as string).trim();
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockConsultation(trx, id);
      if (locked?.state === 'open') throw AppError.field('heard', 'errors.closeFirst');
      if (locked?.state !== 'closed') throw AppError.field('heard', 'errors.loopAlreadyClosed');
      await repo.insertFeedback(trx, id, { heard, did, did_not: didNot }, me.id);
      await repo.setState(trx, id, 'loop_closed');
      const url = new URL(`/consultations/${id}`, this.p.config.publicUrl).href;
      await this.p.mailer.queueInTheirLanguage(trx, await repo.participantContacts(trx, id), (t) => ({
        subject: t('mail.feedback.subject', { title: c.title }),
        text: t('mail.feedback.body', { title: c.title, organisation: c.organisation_name, heard, did, didNot, url }),
      }));
      await audit(trx, me, { action: 'consultation.loopClosed', recordType: 'consultation', recordId: id });
    });
  }

  /** What a participant takes part in, and what they are owed and were paid. */
  async mine(actor: Actor) {
    const me = engagementPolicy.person(actor, 'takePart');
    const [consultations, payments] = await Promise.all([repo.consultationsOf(this.p.db, me.id), this.payments.forPerson(me.id)]);
    return { consultations, payments };
  }

  async trackRecord() {
    const [organisations, totals] = await Promise.all([repo.trackRecord(this.p.db, this.p.config.paymentOverdueDays), this.payments.totalsByOrganisation()]);
    return {
      organisations: organisations.map((o) => ({ ...o, totals: totals.filter((x) => x.organisationId === o.id) })),
      overdueDays: this.p.config.paymentOverdueDays,
    };
  }
}

/** A stored draft in the form's shape, to list what it still needs before opening. */
function draftAsInput(c: ConsultationRow, communityIds: string[]): ConsultationInput {
  return {
    title: c.title,
    format: c.format,
    communities: communityIds,
    ...(c.purpose ? { purpose: c.purpose } : {}),
    ...(c.decision ? { decision: c.decision } : {}),
    ...(c.decision_maker ? { decisionMaker: c.decision_maker } : {}),
    ...(c.can_change ? { canChange: c.can_change } : {}),
    ...(c.cannot_change ? { cannotChange: c.cannot_change } : {}),
    ...(c.missing_who ? { missingWho: c.missing_who } : {}),
    ...(c.missing_why ? { missingWhy: c.missing_why } : {}),
    ...(c.missing_steps ? { missingSteps: c.missing_steps } : {}),
    ...(c.compensation_minor !== null ? { compensationAmount: String(c.compensation_minor) } : {}),
    ...(c.compensation_basis ? { compensationBasis: c.compensation_basis } : {}),
    ...(c.no_compensation_reason ? { noCompensationReason: c.no_compensation_reason } : {}),
    languages: c.languages,
  };
}
