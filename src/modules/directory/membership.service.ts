import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { newToken, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { translator } from '../../platform/i18n.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import { parse } from '../../platform/validation.ts';
import * as accountsRepo from '../accounts/accounts.repository.ts';
import type { AccountsService, ClientContext } from '../accounts/accounts.service.ts';
import * as directoryRepo from './directory.repository.ts';
import { ProfileInput } from './directory.schemas.ts';
import { type DirectoryService, profileValues, websiteHost } from './directory.service.ts';
import { membershipPolicy } from './directory.policy.ts';
import * as repo from './membership.repository.ts';
import type { Answer, ApplicationNote, Apply, Decision, TermsEdit } from './membership.schemas.ts';

const ANSWER_TTL_MS = 30 * 24 * 3600 * 1000;
/** Applications from one address per hour: room for a community centre, not for a spammer. */
const APPLICATIONS_PER_HOUR = 10;
const OPEN = ['submitted', 'info_requested'] as const;

/** The profile part of an application, as the directory will hold it. */
function profileOf(input: Apply): ProfileInput {
  const { applicantName: _n, applicantEmail: _e, statement: _s, termsVersion: _v, acceptTerms: _a, notDuplicate: _d, ...profile } = input;
  return profile;
}

/**
 * Joining the network: the terms of reference applicants accept, the application form, and
 * the convener's review queue. Approval creates the organisation and invites its contact.
 */
export class MembershipService {
  constructor(
    private p: Platform,
    private accounts: AccountsService,
    private directory: DirectoryService,
  ) {}

  private reviewer(actor: Actor, action: 'review' | 'editTerms'): PersonActor {
    if (actor.kind !== 'person' || !membershipPolicy.can(actor, action)) throw AppError.notFound();
    return actor;
  }

  // ---- terms of reference --------------------------------------------------------------------

  async terms(version?: number) {
    const [terms, versions] = await Promise.all([version ? repo.termsVersion(this.p.db, version) : repo.currentTerms(this.p.db), repo.listTerms(this.p.db)]);
    if (version && !terms) throw AppError.notFound();
    return { terms, versions, current: versions[0]?.version };
  }

  async publishTerms(actor: Actor, input: TermsEdit): Promise<number> {
    const me = this.reviewer(actor, 'editTerms');
    const current = await repo.currentTerms(this.p.db);
    if (current && current.body.trim() === input.body.trim()) throw AppError.field('body', 'errors.termsUnchanged');
    const version = (current?.version ?? 0) + 1;
    try {
      await this.p.db.transaction().execute(async (trx) => {
        await repo.insertTerms(trx, { version, body: input.body, created_by: me.id });
        await audit(trx, me, { action: 'terms.publish', recordType: 'terms', recordId: String(version) });
      });
    } catch (err) {
      // Two conveners publishing at once: the second is told, nothing is overwritten.
      if ((err as { code?: string }).code === '23505') throw AppError.field('body', 'errors.termsConflict');
      throw err;
    }
    return version;
  }

  // ---- applying ------------------------------------------------------------------------------

  async apply(input: Apply, locale: string, client: ClientContext): Promise<void> {
    const { db } = this.p;
    const terms = await repo.currentTerms(db);
    if (!terms) throw AppError.invalid({}, 'errors.noTerms');
    if (input.termsVersion !== terms.version) throw AppError.field('acceptTerms', 'errors.termsChanged', { version: terms.version });
    const profile = profileOf(input);
    profileValues(profile); // countries and languages that exist
    const similar = await directoryRepo.findSimilar(db, profile.name, websiteHost(profile.website));
    if (similar && input.notDuplicate !== 'yes') {
      throw AppError.field('notDuplicate', similar.reason === 'name' ? 'errors.duplicateName' : 'errors.duplicateWebsite', { name: similar.name });
    }
    if (!similar && input.notDuplicate !== 'yes' && (await repo.pendingWithName(db, profile.name))) {
      throw AppError.field('notDuplicate', 'errors.duplicatePending');
    }
    await this.accounts.limitByAddress('apply', client, APPLICATIONS_PER_HOUR, 3600, 'errors.applyThrottled');
    const t = translator(locale);
    await db.transaction().execute(async (trx) => {
      const { id } = await repo.insertApplication(trx, {
        profile: JSON.stringify(profile),
        statement: input.statement,
        terms_version: terms.version,
        contact_name: input.applicantName,
        contact_email: input.applicantEmail,
        locale,
        duplicate_of: similar?.id ?? null,
        duplicate_reason: similar?.reason ?? null,
      });
      await this.p.mailer.queue(trx, {
        to: input.applicantEmail,
        subject: t('mail.applicationReceived.subject'),
        text: t('mail.applicationReceived.body', { name: input.applicantName, organisation: profile.name }),
      });
      await audit(trx, null, { action: 'application.create', recordType: 'application', recordId: id });
    });
  }

  // ---- the review queue ----------------------------------------------------------------------

  async queue(actor: Actor) {
    this.reviewer(actor, 'review');
    const [open, decided] = await Promise.all([repo.listApplications(this.p.db, OPEN), repo.listApplications(this.p.db, ['approved', 'declined'], 20)]);
    const name = (a: { profile: unknown }) => (a.profile as ProfileInput).name;
    return { open: open.map((a) => ({ ...a, name: name(a) })), decided: decided.map((a) => ({ ...a, name: name(a) })) };
  }

  async application(actor: Actor, id: string) {
    this.reviewer(actor, 'review');
    const application = await repo.findApplication(this.p.db, id);
    if (!application) throw AppError.notFound();
    const events = await repo.eventsOf(this.p.db, id);
    return { application: { ...application, profile: application.profile as ProfileInput }, events };
  }

  private async openApplication(id: string) {
    const application = await repo.findApplication(this.p.db, id);
    if (!application) throw AppError.notFound();
    if (!(OPEN as readonly string[]).includes(application.status)) throw AppError.field('body', 'errors.alreadyDecided');
    return application;
  }

  async comment(actor: Actor, id: string, input: ApplicationNote): Promise<void> {
    const me = this.reviewer(actor, 'review');
    const application = await repo.findApplication(this.p.db, id);
    if (!application) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      await repo.insertEvent(trx, { application_id: id, kind: 'comment', body: input.body, actor_id: me.id });
      await audit(trx, me, { action: 'application.comment', recordType: 'application', recordId: id });
    });
  }

  async requestInfo(actor: Actor, id: string, input: ApplicationNote): Promise<void> {
    const me = this.reviewer(actor, 'review');
    const application = await this.openApplication(id);
    if (!application.contact_email) throw AppError.field('body', 'errors.alreadyDecided');
    const token = newToken();
    const t = translator(application.locale);
    const name = (application.profile as ProfileInput).name;
    await this.p.db.transaction().execute(async (trx) => {
      await repo.updateApplication(trx, id, { status: 'info_requested', answer_token_hash: sha256(token), answer_expires_at: new Date(Date.now() + ANSWER_TTL_MS) });
      await repo.insertEvent(trx, { application_id: id, kind: 'info_request', body: input.body, actor_id: me.id });
      await this.p.mailer.queue(trx, {
        to: application.contact_email!,
        subject: t('mail.infoRequest.subject', { organisation: name }),
        text: t('mail.infoRequest.body', {
          name: application.contact_name ?? '',
          organisation: name,
          question: input.body,
          link: new URL(`/apply/answer/${token}`, this.p.config.publicUrl).href,
          days: 30,
        }),
      });
      await audit(trx, me, { action: 'application.request_info', recordType: 'application', recordId: id });
    });
  }

  /** The applicant's side of a request for information, reached by the link in the mail. */
  async findByAnswerToken(token: string) {
    const application = await repo.findByAnswerToken(this.p.db, sha256(token));
    if (!application) throw new AppError('not_found', 'errors.linkExpired');
    const events = (await repo.eventsOf(this.p.db, application.id)).filter((e) => e.kind === 'info_request' || e.kind === 'answer');
    // The applicant sees the questions and their own answers, never the convener's internal notes or names.
    return { name: (application.profile as ProfileInput).name, events: events.map(({ kind, body, created_at }) => ({ kind, body, created_at })) };
  }

  async answer(token: string, input: Answer): Promise<void> {
    const application = await repo.findByAnswerToken(this.p.db, sha256(token));
    if (!application) throw new AppError('not_found', 'errors.linkExpired');
    await this.p.db.transaction().execute(async (trx) => {
      const updated = await repo.updateApplication(trx, application.id, { status: 'submitted', answer_token_hash: null, answer_expires_at: null }, ['info_requested']);
      if (!updated) throw new AppError('not_found', 'errors.linkExpired');
      await repo.insertEvent(trx, { application_id: application.id, kind: 'answer', body: input.body, actor_id: null });
      await audit(trx, null, { action: 'application.answer', recordType: 'application', recordId: application.id });
    });
  }

  async decide(actor: Actor, id: string, input: Decision): Promise<{ slug?: string }> {
    const me = this.reviewer(actor, 'review');
    const application = await this.openApplication(id);
    const email = application.contact_email;
    if (!email) throw AppError.field('decision', 'errors.alreadyDecided');
    const t = translator(application.locale);
    // Stored when it was valid; checked again in case the vocabulary has moved on since.
    const profile = parse(ProfileInput, application.profile);
    // An account that signs in with the contact's address; a pseudonymous account's email is
    // unverified and never counts (the contact then gets an invitation by link).
    const holder = await this.directory.accountHolder(email);
    const existing = holder ? await accountsRepo.findPersonById(this.p.db, holder.id) : undefined;
    if (input.decision === 'approve' && existing && existing.network_role !== 'member' && existing.network_role !== 'convener') {
      throw AppError.field('decision', 'errors.contactRoleConflict');
    }
    return this.p.db.transaction().execute(async (trx) => {
      // The contact's details are erased with the decision: the invitation carries the address from here.
      const decided = {
        decision_reason: input.reason,
        decided_by: me.id,
        decided_at: new Date(),
        contact_name: null,
        contact_email: null,
        answer_token_hash: null,
        answer_expires_at: null,
      };
      if (input.decision === 'decline') {
        if (!(await repo.updateApplication(trx, id, { ...decided, status: 'declined' }, OPEN))) throw AppError.field('decision', 'errors.alreadyDecided');
        await repo.insertEvent(trx, { application_id: id, kind: 'declined', body: input.reason, actor_id: me.id });
        await this.p.mailer.queue(trx, {
          to: email,
          subject: t('mail.applicationDeclined.subject', { organisation: profile.name }),
          text: t('mail.applicationDeclined.body', { name: application.contact_name ?? '', organisation: profile.name, reason: input.reason }),
        });
        await audit(trx, me, { action: 'application.decline', recordType: 'application', recordId: id });
        return {};
      }
      const status = input.status ?? 'member';
      const org = await this.directory.createWithin(trx, me, profile, { status, reason: input.reason, appliedAt: application.created_at });
      if (!(await repo.updateApplication(trx, id, { ...decided, status: 'approved', organisation_id: org.id }, OPEN))) {
        throw AppError.field('decision', 'errors.alreadyDecided');
      }
      await repo.insertEvent(trx, { application_id: id, kind: 'approved', body: input.reason, actor_id: me.id });
      await this.inviteAdmin(trx, me, holder, email, { id: org.id, name: profile.name }, application.locale);
      await this.p.mailer.queue(trx, {
        to: email,
        subject: t('mail.applicationApproved.subject', { organisation: profile.name }),
        text: t('mail.applicationApproved.body', {
          name: application.contact_name ?? '',
          organisation: profile.name,
          reason: input.reason,
          hasAccount: existing ? 'yes' : 'no',
          link: new URL(`/directory/${org.slug}`, this.p.config.publicUrl).href,
        }),
      });
      await audit(trx, me, { action: 'application.approve', recordType: 'application', recordId: id });
      return { slug: org.slug };
    });
  }

  /**
   * The contact is invited to administer the new organisation; they become its admin only by
   * accepting. Someone who named another person's address (a member of another organisation,
   * say) gains nothing: that person is asked, and may decline.
   */
  private async inviteAdmin(
    trx: Transaction<DB>,
    me: PersonActor,
    holder: Awaited<ReturnType<DirectoryService['accountHolder']>>,
    email: string,
    organisation: { id: string; name: string },
    locale: string,
  ) {
    if (holder) {
      await this.directory.inviteAccountHolderWithin(trx, me, holder, organisation, 'org_admin', locale);
      return;
    }
    await this.accounts.inviteWithin(trx, me, { email, networkRole: 'member', organisationId: organisation.id, orgRole: 'org_admin', organisationName: organisation.name }, locale);
  }
}
