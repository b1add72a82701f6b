import { audit } from '../../platform/audit/audit.service.ts';
import { today } from '../../platform/calendar.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type Actor, memberOrganisations, type PersonActor } from '../../platform/policy.ts';
import { actingFor, canActForAny } from '../../platform/acting.ts';
import { actingAsOwner } from './acting.ts';
import { engagementPolicy } from './engagement.policy.ts';
import type { ApplyInput, AwardInput, OpportunityInput, PaidInput, PreferencesInput } from './engagement.schemas.ts';
import { formatMoney, isCurrency, toMinor } from './money.ts';
import * as repo from './opportunities.repository.ts';
import type { OpportunityRow } from './opportunities.repository.ts';
import type { PaymentsService } from './payments.service.ts';

/**
 * The opportunities board: member organisations post paid short-term work for community
 * members, participants apply, the organisation awards it and pays through the same ledger
 * as consultations. Participants who asked are told of new work in their skills and languages.
 */
export class OpportunitiesService {
  constructor(
    private p: Platform,
    private payments: PaymentsService,
  ) {
    // Paid work posted since the last digest and still open, for those who may take it: community participants.
    p.digests.register({
      topic: 'work',
      offeredTo: (reader) => engagementPolicy.can(reader, 'takePart'),
      newFor: async (_reader, since, until, limit) => {
        const { rows, total } = await repo.postedBetween(this.p.db, today(), since, until, limit);
        return { items: rows.map((w) => ({ title: `${w.title} (${w.deadline})`, url: new URL(`/opportunities/${w.id}`, this.p.config.publicUrl).href })), total };
      },
    });
  }

  private isPoster(actor: Actor, w: OpportunityRow): boolean {
    return actor.kind === 'person' && engagementPolicy.can(actor, 'organise') && memberOrganisations(actor).some((m) => m.organisationId === w.organisation_id);
  }

  /** Acting on a posting is done for the organisation that posted it (`chosen`: the form's `actingFor`). */
  private async posting(actor: Actor, id: string, chosen: unknown): Promise<{ me: PersonActor; w: OpportunityRow }> {
    const me = engagementPolicy.person(actor, 'organise');
    const w = await repo.findOpportunity(this.p.db, id);
    if (!w) throw AppError.notFound();
    actingAsOwner(me, chosen, [w.organisation_id]);
    return { me, w };
  }

  async list(actor: Actor) {
    const orgIds = actor.kind === 'person' && engagementPolicy.can(actor, 'organise') ? memberOrganisations(actor).map((m) => m.organisationId) : [];
    return {
      opportunities: await repo.listOpportunities(this.p.db, today(), orgIds),
      canPost: engagementPolicy.can(actor, 'organise') && canActForAny(actor),
      canApply: engagementPolicy.can(actor, 'takePart'),
      today: today(),
    };
  }

  /** Posts the work and tells those who asked for it, by skill and language. */
  async create(actor: Actor, input: OpportunityInput, chosen: unknown): Promise<string> {
    const me = engagementPolicy.person(actor, 'organise');
    const organisationId = actingFor(me, chosen);
    if (!isCurrency(input.currency)) throw AppError.field('currency', 'errors.currency');
    const rate = toMinor(input.rate, input.currency);
    if (rate === null) throw AppError.field('rate', 'errors.amount');
    if (input.deadline < today()) throw AppError.field('deadline', 'errors.deadlinePast');
    const languages = input.languages ?? [];
    return this.p.db.transaction().execute(async (trx) => {
      const values = {
        organisation_id: organisationId,
        kind: input.kind,
        title: input.title.trim(),
        description: input.description.trim(),
        rate_minor: rate,
        currency: input.currency,
        rate_basis: input.rateBasis,
        languages,
        deadline: input.deadline,
        created_by: me.id,
      };
      const id = await repo.insertOpportunity(trx, values);
      const w = (await repo.findOpportunity(trx, id)) as OpportunityRow;
      const url = new URL(`/opportunities/${id}`, this.p.config.publicUrl).href;
      await this.p.mailer.queueInTheirLanguage(trx, await repo.interested(trx, input.kind, languages), (t, locale) => ({
        subject: t('mail.opportunity.subject', { kind: t(`opportunities.kind.${w.kind}`), title: w.title }),
        text: t('mail.opportunity.body', {
          title: w.title,
          organisation: w.organisation_name,
          rate: t(`opportunities.rate.${w.rate_basis}`, { amount: formatMoney(locale, w.rate_minor, w.currency) }),
          deadline: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(w.deadline)),
          url,
          preferences: new URL('/opportunities/preferences', this.p.config.publicUrl).href,
        }),
      }));
      await audit(trx, me, { action: 'opportunity.create', recordType: 'opportunity', recordId: id });
      return id;
    });
  }

  async opportunity(actor: Actor, id: string) {
    const w = await repo.findOpportunity(this.p.db, id);
    if (!w) throw AppError.notFound();
    const poster = this.isPoster(actor, w);
    const applicant = actor.kind === 'person' && engagementPolicy.can(actor, 'takePart');
    const mine = applicant && actor.kind === 'person' ? await repo.application(this.p.db, id, actor.id) : undefined;
    const myPayments = mine && actor.kind === 'person' ? (await this.payments.forPerson(actor.id)).filter((x) => x.opportunity_id === id) : [];
    const open = w.state === 'open' && w.deadline >= today();
    return {
      opportunity: w,
      open,
      canApply: applicant && !mine && open,
      canUnapply: mine?.state === 'applied' && w.state === 'open',
      application: mine,
      myPayments,
      posting: poster ? { applications: await repo.applications(this.p.db, id), ...(await this.payments.ledger({ opportunity_id: id })) } : undefined,
    };
  }

  async apply(actor: Actor, id: string, input: ApplyInput): Promise<void> {
    const me = engagementPolicy.person(actor, 'takePart');
    if (!(await repo.findOpportunity(this.p.db, id))) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockOpportunity(trx, id);
      if (locked?.state !== 'open' || locked.deadline < today()) throw AppError.field('note', 'errors.opportunityClosed');
      if (await repo.addApplication(trx, id, me.id, (input.note ?? '').trim())) {
        await audit(trx, me, { action: 'opportunity.apply', recordType: 'opportunity', recordId: id });
      }
    });
  }

  /** The applicant changes their mind before the work is given. */
  async unapply(actor: Actor, id: string): Promise<void> {
    const me = engagementPolicy.person(actor, 'takePart');
    if (!(await repo.findOpportunity(this.p.db, id))) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockOpportunity(trx, id);
      if (locked?.state !== 'open' || !(await repo.removeApplication(trx, id, me.id))) throw AppError.field('unapply', 'errors.applicationDecided');
      await audit(trx, me, { action: 'opportunity.unapply', recordType: 'opportunity', recordId: id });
    });
  }

  /** Gives the work to one applicant, records what is owed, and tells every applicant. */
  async award(actor: Actor, id: string, input: AwardInput, chosen: unknown): Promise<void> {
    const { me, w } = await this.posting(actor, id, chosen);
    if (!isCurrency(input.currency)) throw AppError.field('currency', 'errors.currency');
    const minor = toMinor(input.amount, input.currency);
    if (minor === null) throw AppError.field('amount', 'errors.amount');
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockOpportunity(trx, id);
      if (locked?.state !== 'open') throw AppError.field('person', 'errors.opportunityAwarded');
      if (!(await repo.application(trx, id, input.person))) throw AppError.field('person', 'errors.notApplicant');
      await repo.award(trx, id, input.person);
      await repo.setState(trx, id, 'awarded');
      const paymentId = await this.payments.owe(trx, me, { opportunity_id: id }, { organisationId: w.organisation_id, personId: input.person, amountMinor: minor, currency: input.currency });
      const url = new URL(`/opportunities/${id}`, this.p.config.publicUrl).href;
      const applicants = await repo.applicantContacts(trx, id);
      const chosen = applicants.filter((a) => a.id === input.person);
      await this.p.mailer.queueInTheirLanguage(trx, chosen, (t, locale) => ({
        subject: t('mail.awarded.subject', { title: w.title }),
        text: t('mail.awarded.body', { title: w.title, organisation: w.organisation_name, amount: formatMoney(locale, minor, input.currency), url }),
      }));
      await this.p.mailer.queueInTheirLanguage(
        trx,
        applicants.filter((a) => a.id !== input.person),
        (t) => ({ subject: t('mail.notChosen.subject', { title: w.title }), text: t('mail.notChosen.body', { title: w.title, organisation: w.organisation_name }) }),
      );
      await audit(trx, me, { action: 'opportunity.award', recordType: 'opportunity', recordId: id });
      await audit(trx, me, { action: 'payment.owed', recordType: 'payment', recordId: paymentId });
    });
  }

  /** Takes an open posting down (filled elsewhere, cancelled). */
  async withdraw(actor: Actor, id: string, chosen: unknown): Promise<void> {
    const { me } = await this.posting(actor, id, chosen);
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockOpportunity(trx, id);
      if (locked?.state !== 'open') throw AppError.field('withdraw', 'errors.opportunityNotOpen');
      await repo.setState(trx, id, 'withdrawn');
      await audit(trx, me, { action: 'opportunity.withdraw', recordType: 'opportunity', recordId: id });
    });
  }

  /** Only the organisation that owes the payment (the one that posted the work) marks it paid. */
  async markPaid(actor: Actor, id: string, paymentId: string, input: PaidInput, chosen: unknown): Promise<void> {
    const me = engagementPolicy.person(actor, 'organise');
    if (!(await repo.findOpportunity(this.p.db, id))) throw AppError.notFound();
    await this.payments.markPaid(me, { opportunity_id: id }, paymentId, input, chosen);
  }

  async preferences(actor: Actor) {
    const me = engagementPolicy.person(actor, 'takePart');
    return (await repo.preferences(this.p.db, me.id)) ?? { notify: false, skills: [], languages: [] };
  }

  async savePreferences(actor: Actor, input: PreferencesInput): Promise<void> {
    const me = engagementPolicy.person(actor, 'takePart');
    const notify = input.notify === 'yes';
    const skills = [...new Set(input.skills ?? [])];
    if (notify && skills.length === 0) throw AppError.field('skills', 'errors.skillsRequired');
    await this.p.db.transaction().execute(async (trx) => {
      await repo.savePreferences(trx, me.id, { notify, skills, languages: [...new Set(input.languages ?? [])] });
      await audit(trx, me, { action: 'opportunity.preferences', recordType: 'person', recordId: me.id });
    });
  }

  applicationsOf(personId: string) {
    return repo.applicationsOf(this.p.db, personId);
  }
}
