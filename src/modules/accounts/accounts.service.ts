import type { Transaction } from 'kysely';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { DB, NetworkRole, OrgRole } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { hmac, newToken, seal, sha256, unseal } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { isSupportedLocale, translator } from '../../platform/i18n.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import * as repo from './accounts.repository.ts';
import type {
  AcceptInvitation,
  ChangePassword,
  CreateApiToken,
  DisableTotp,
  EnableTotp,
  ForgotPassword,
  Register,
  ResetPassword,
  SignIn,
} from './accounts.schemas.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

/** Sign-in, sessions, credentials and invitations. No HTTP types: pages, API and CLI share it. */

export const THROTTLE_WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_ATTEMPTS = 5; // the 6th failure in the window is refused
export const IP_ATTEMPTS = 50; // shared addresses (a community centre, a mobile carrier) need room
const SESSION_IDLE_MS = 14 * 24 * 3600 * 1000;
const SESSION_TOUCH_MS = 10 * 60 * 1000;
const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
const RESET_TTL_MS = 60 * 60 * 1000;
const TOTP_PURPOSE = 'totp-secret';

export interface ClientContext {
  /** Only ever used through an HMAC; the address itself is never stored. */
  ip: string;
  device: string;
}

export interface NewSession {
  token: string;
  personId: string;
  locale: string | null;
}

/** The TOTP time step a valid code belongs to (otplib types it on the TOTP variant only). */
function timeStep(result: object): number {
  return (result as { timeStep: number }).timeStep;
}

function requirePerson(actor: Actor): PersonActor {
  if (actor.kind !== 'person') throw new AppError('unauthenticated', 'errors.signInRequired');
  return actor;
}

export class AccountsService {
  constructor(private p: Platform) {}

  /**
   * A per-address limit for public forms other than sign-in (applications): counts this use
   * and refuses beyond `max` in the window. The address is kept only as a keyed hash.
   */
  async limitByAddress(purpose: string, client: ClientContext, max: number, windowSeconds: number, messageKey: string): Promise<void> {
    const bucket = `${purpose}:${hmac(this.p.config.secretKey, `${purpose}:${client.ip}`)}`;
    if ((await repo.countAttempt(this.p.db, bucket, windowSeconds)) > max) throw AppError.throttled(windowSeconds, messageKey);
  }

  private bucket(kind: 'a' | 'i', value: string) {
    return `${kind}:${hmac(this.p.config.secretKey, `${kind}:${value.toLowerCase()}`)}`;
  }

  private async createSession(db: Platform['db'], personId: string, device: string): Promise<string> {
    const token = newToken();
    await repo.insertSession(db, {
      token_hash: sha256(token),
      person_id: personId,
      device,
      expires_at: new Date(Date.now() + SESSION_IDLE_MS),
    });
    return token;
  }

  async signIn(input: SignIn, client: ClientContext): Promise<NewSession> {
    const { db } = this.p;
    const accountBucket = this.bucket('a', input.identifier);
    const ipBucket = this.bucket('i', client.ip);
    // Count first, check after: parallel guesses cannot slip past the limit.
    const [accountCount, ipCount] = [
      await repo.countAttempt(db, accountBucket, THROTTLE_WINDOW_SECONDS),
      await repo.countAttempt(db, ipBucket, THROTTLE_WINDOW_SECONDS),
    ];
    if (accountCount > ACCOUNT_ATTEMPTS || ipCount > IP_ATTEMPTS) throw AppError.throttled(THROTTLE_WINDOW_SECONDS);

    const person = await repo.findPersonBySignInName(db, input.identifier);
    const passwordOk = await verifyPassword(person?.password_hash, input.password);
    if (!person || !passwordOk || person.status !== 'active') {
      throw AppError.invalid({ identifier: { key: 'errors.signInFailed' } }, 'errors.signInFailed');
    }
    if (person.totp_secret) {
      if (!input.code || !/^[0-9]{6}$/.test(input.code)) throw AppError.field('code', 'errors.totpRequired');
      const secret = unseal(this.p.config.secretKey, TOTP_PURPOSE, person.totp_secret);
      const result = await verifyTotp({ secret, token: input.code, epochTolerance: 30 });
      // A code is good once: the step is claimed atomically, so a replay (even a parallel one) fails.
      if (!result.valid || !(await repo.claimTotpStep(db, person.id, timeStep(result)))) {
        throw AppError.field('code', 'errors.totpWrong');
      }
    }
    await repo.clearBucket(db, accountBucket);
    await repo.forgiveAttempt(db, ipBucket);
    let token = '';
    await db.transaction().execute(async (trx) => {
      token = await this.createSession(trx, person.id, client.device);
      await audit(trx, person.id, { action: 'session.create', recordType: 'person', recordId: person.id });
    });
    if (Math.random() < 0.05) await repo.pruneBuckets(db, THROTTLE_WINDOW_SECONDS);
    return { token, personId: person.id, locale: person.locale };
  }

  async register(input: Register, locale: string, client: ClientContext): Promise<NewSession> {
    const { db } = this.p;
    if (await repo.pseudonymTaken(db, input.pseudonym)) throw AppError.field('pseudonym', 'errors.pseudonymTaken');
    if (input.email && (await repo.findPersonByEmail(db, input.email))) throw AppError.field('email', 'errors.emailTaken');
    const passwordHash = await hashPassword(input.passphrase);
    return db.transaction().execute(async (trx) => {
      const { id } = await repo.insertPerson(trx, {
        display_name: input.pseudonym,
        pseudonym: input.pseudonym,
        email: input.email ?? null,
        network_role: 'participant',
        password_hash: passwordHash,
        locale,
      });
      await audit(trx, id, { action: 'person.register', recordType: 'person', recordId: id });
      const token = await this.createSession(trx, id, client.device);
      await audit(trx, id, { action: 'session.create', recordType: 'person', recordId: id });
      return { token, personId: id, locale };
    });
  }

  private async actorFor(
    row: { id: string; display_name: string; network_role: PersonActor['networkRole']; locale: string | null },
    via: { sessionId: string } | { tokenId: string },
  ): Promise<PersonActor> {
    const memberships = await repo.membershipsOf(this.p.db, row.id);
    return {
      kind: 'person',
      id: row.id,
      displayName: row.display_name,
      networkRole: row.network_role,
      locale: row.locale,
      memberships: memberships.map((m) => ({ organisationId: m.organisationId, role: m.role, name: m.name })),
      ...via,
    };
  }

  /** Who is this cookie? Touches the session at most every ten minutes, not on every request. */
  async resolveSession(token: string): Promise<PersonActor | undefined> {
    const { db } = this.p;
    const row = await repo.findSession(db, sha256(token));
    if (row?.status !== 'active') return undefined;
    if (Date.now() - row.last_seen_at.getTime() > SESSION_TOUCH_MS) {
      await repo.touchSession(db, row.sessionId, new Date(Date.now() + SESSION_IDLE_MS));
    }
    return this.actorFor(row, { sessionId: row.sessionId });
  }

  async resolveApiToken(token: string): Promise<PersonActor | undefined> {
    const { db } = this.p;
    const row = await repo.findApiToken(db, sha256(token));
    if (row?.status !== 'active') return undefined;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > SESSION_TOUCH_MS) await repo.touchApiToken(db, row.tokenId);
    return this.actorFor(row, { tokenId: row.tokenId });
  }

  async signOut(actor: Actor): Promise<void> {
    if (actor.kind !== 'person' || !actor.sessionId) return;
    const sessionId = actor.sessionId;
    await this.p.db.transaction().execute(async (trx) => {
      await repo.deleteSession(trx, actor.id, sessionId);
      await audit(trx, actor, { action: 'session.revoke', recordType: 'session', recordId: sessionId });
    });
  }

  async account(actor: Actor) {
    const me = requirePerson(actor);
    const { db } = this.p;
    const person = await repo.findPersonById(db, me.id);
    if (!person) throw AppError.notFound();
    return {
      id: person.id,
      displayName: person.display_name,
      pseudonym: person.pseudonym,
      email: person.email,
      networkRole: person.network_role,
      locale: person.locale,
      totpEnabled: Boolean(person.totp_secret),
      memberships: await repo.membershipsOf(db, me.id),
      sessions: (await repo.listSessions(db, me.id)).map((s) => ({ ...s, current: s.id === me.sessionId })),
      tokens: await repo.listApiTokens(db, me.id),
    };
  }

  async setLocale(actor: Actor, locale: string): Promise<void> {
    const me = requirePerson(actor);
    if (!isSupportedLocale(locale)) throw AppError.field('locale', 'errors.choice');
    await this.p.db.transaction().execute(async (trx) => {
      await repo.setLocale(trx, me.id, locale);
      await audit(trx, me, { action: 'person.setLocale', recordType: 'person', recordId: me.id });
    });
  }

  /** Every session ends, this one included; the caller gets a fresh one back. */
  async changePassword(actor: Actor, input: ChangePassword, client: ClientContext): Promise<string> {
    const me = requirePerson(actor);
    const { db } = this.p;
    const person = await repo.findPersonById(db, me.id);
    if (!person || !(await verifyPassword(person.password_hash, input.current))) throw AppError.field('current', 'errors.currentPasswordWrong');
    const passwordHash = await hashPassword(input.password);
    return db.transaction().execute(async (trx) => {
      await repo.setPassword(trx, me.id, passwordHash);
      await repo.deleteSessionsOf(trx, me.id);
      await audit(trx, me, { action: 'person.changePassword', recordType: 'person', recordId: me.id });
      return this.createSession(trx, me.id, client.device);
    });
  }

  /** A fresh secret, or the one being set up again after a mistyped code. */
  totpSetup(actor: Actor, existing?: string) {
    const me = requirePerson(actor);
    const secret = existing ?? generateSecret();
    return { secret, uri: generateURI({ issuer: 'Northstar', label: me.displayName, secret }) };
  }

  async enableTotp(actor: Actor, input: EnableTotp, client: ClientContext): Promise<string> {
    const me = requirePerson(actor);
    const result = await verifyTotp({ secret: input.secret, token: input.code, epochTolerance: 30 }).catch(() => ({ valid: false as const }));
    if (!result.valid) throw AppError.field('code', 'errors.totpWrong');
    return this.p.db.transaction().execute(async (trx) => {
      await repo.setTotp(trx, me.id, seal(this.p.config.secretKey, TOTP_PURPOSE, input.secret));
      await repo.claimTotpStep(trx, me.id, timeStep(result));
      await repo.deleteSessionsOf(trx, me.id);
      await audit(trx, me, { action: 'person.enableTotp', recordType: 'person', recordId: me.id });
      return this.createSession(trx, me.id, client.device);
    });
  }

  async disableTotp(actor: Actor, input: DisableTotp, client: ClientContext): Promise<string> {
    const me = requirePerson(actor);
    const { db } = this.p;
    const person = await repo.findPersonById(db, me.id);
    if (!person || !(await verifyPassword(person.password_hash, input.totpPassword))) throw AppError.field('totpPassword', 'errors.currentPasswordWrong');
    return db.transaction().execute(async (trx) => {
      await repo.setTotp(trx, me.id, null);
      await repo.deleteSessionsOf(trx, me.id);
      await audit(trx, me, { action: 'person.disableTotp', recordType: 'person', recordId: me.id });
      return this.createSession(trx, me.id, client.device);
    });
  }

  async revokeSession(actor: Actor, sessionId: string): Promise<void> {
    const me = requirePerson(actor);
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteSession(trx, me.id, sessionId))) throw AppError.notFound();
      await audit(trx, me, { action: 'session.revoke', recordType: 'session', recordId: sessionId });
    });
  }

  async revokeOtherSessions(actor: Actor): Promise<number> {
    const me = requirePerson(actor);
    return this.p.db.transaction().execute(async (trx) => {
      const n = await repo.deleteSessionsOf(trx, me.id, me.sessionId);
      await audit(trx, me, { action: 'session.revokeOthers', recordType: 'person', recordId: me.id });
      return n;
    });
  }

  async createApiToken(actor: Actor, input: CreateApiToken): Promise<{ id: string; token: string }> {
    const me = requirePerson(actor);
    const token = `ns_${newToken()}`;
    return this.p.db.transaction().execute(async (trx) => {
      const { id } = await repo.insertApiToken(trx, { person_id: me.id, name: input.name, token_hash: sha256(token) });
      await audit(trx, me, { action: 'apiToken.create', recordType: 'api_token', recordId: id });
      return { id, token };
    });
  }

  async listApiTokens(actor: Actor) {
    return repo.listApiTokens(this.p.db, requirePerson(actor).id);
  }

  async listSessions(actor: Actor) {
    const me = requirePerson(actor);
    return (await repo.listSessions(this.p.db, me.id)).map((s) => ({ ...s, current: s.id === me.sessionId }));
  }

  async revokeApiToken(actor: Actor, id: string): Promise<void> {
    const me = requirePerson(actor);
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.revokeApiToken(trx, me.id, id))) throw AppError.notFound();
      await audit(trx, me, { action: 'apiToken.revoke', recordType: 'api_token', recordId: id });
    });
  }

  // ---- password reset by emailed link --------------------------------------------------------

  /** Same answer whether or not the address has an account. */
  async requestPasswordReset(input: ForgotPassword, locale: string): Promise<void> {
    const { db, config } = this.p;
    const person = await repo.findPersonByEmail(db, input.email);
    if (person?.status !== 'active' || !person.email) return;
    const token = newToken();
    const email = person.email;
    const t = translator(person.locale ?? locale);
    await db.transaction().execute(async (trx) => {
      await repo.insertPasswordReset(trx, { token_hash: sha256(token), person_id: person.id, expires_at: new Date(Date.now() + RESET_TTL_MS) });
      await this.p.mailer.queue(trx, {
        to: email,
        subject: t('mail.reset.subject'),
        text: t('mail.reset.body', { link: new URL(`/password/reset/${token}`, config.publicUrl).href, minutes: 60 }),
      });
      await audit(trx, null, { action: 'passwordReset.request', recordType: 'person', recordId: person.id });
    });
  }

  async checkResetToken(token: string): Promise<boolean> {
    return Boolean(await repo.findOpenPasswordReset(this.p.db, sha256(token)));
  }

  async resetPassword(token: string, input: ResetPassword): Promise<void> {
    const { db } = this.p;
    const reset = await repo.findOpenPasswordReset(db, sha256(token));
    if (!reset) throw new AppError('not_found', 'errors.linkExpired');
    const passwordHash = await hashPassword(input.password);
    await db.transaction().execute(async (trx) => {
      if (!(await repo.consumePasswordReset(trx, reset.token_hash))) throw new AppError('not_found', 'errors.linkExpired');
      await repo.setPassword(trx, reset.person_id, passwordHash);
      await repo.deleteSessionsOf(trx, reset.person_id);
      await audit(trx, reset.person_id, { action: 'person.resetPassword', recordType: 'person', recordId: reset.person_id });
    });
  }

  // ---- invitations -----------------------------------------------------------------------

  async invite(
    actor: PersonActor,
    input: { email: string; networkRole: NetworkRole; organisationId?: string | undefined; orgRole?: OrgRole | undefined },
    locale: string,
  ): Promise<void> {
    const { db } = this.p;
    if (await repo.findPersonByEmail(db, input.email)) throw AppError.field('email', 'errors.emailTaken');
    let organisationName: string | undefined;
    if (input.organisationId) {
      const org = await repo.findOrganisation(db, input.organisationId);
      if (!org) throw AppError.field('organisationId', 'errors.choice');
      organisationName = org.name;
    }
    await db.transaction().execute((trx) => this.inviteWithin(trx, actor, { ...input, organisationName }, locale));
  }

  /** An invitation (and its mail) inside the caller's transaction: it commits with their write. */
  async inviteWithin(
    trx: Transaction<DB>,
    actor: PersonActor,
    input: { email: string; networkRole: NetworkRole; organisationId?: string | undefined; orgRole?: OrgRole | undefined; organisationName?: string | undefined },
    locale: string,
  ): Promise<void> {
    const token = newToken();
    const t = translator(locale);
    const { id } = await repo.insertInvitation(trx, {
      token_hash: sha256(token),
      email: input.email,
      network_role: input.networkRole,
      organisation_id: input.organisationId ?? null,
      org_role: input.organisationId ? (input.orgRole ?? 'staff') : null,
      invited_by: actor.id,
      expires_at: new Date(Date.now() + INVITATION_TTL_MS),
    });
    await this.p.mailer.queue(trx, {
      to: input.email,
      subject: t('mail.invite.subject'),
      text: t('mail.invite.body', {
        inviter: actor.displayName,
        organisation: input.organisationName ?? '-',
        link: new URL(`/invitations/${token}`, this.p.config.publicUrl).href,
        days: 7,
      }),
    });
    await audit(trx, actor, { action: 'invitation.create', recordType: 'invitation', recordId: id });
  }

  async findInvitation(token: string) {
    return repo.findOpenInvitation(this.p.db, sha256(token));
  }

  async acceptInvitation(token: string, input: AcceptInvitation, client: ClientContext, locale: string): Promise<NewSession> {
    const { db } = this.p;
    const invitation = await repo.findOpenInvitation(db, sha256(token));
    if (!invitation) throw new AppError('not_found', 'errors.linkExpired');
    if (await repo.findPersonByEmail(db, invitation.email)) throw new AppError('not_found', 'errors.linkExpired');
    const passwordHash = await hashPassword(input.password);
    return db.transaction().execute(async (trx) => {
      if (!(await repo.consumeInvitation(trx, invitation.id))) throw new AppError('not_found', 'errors.linkExpired');
      const { id } = await repo.insertPerson(trx, {
        display_name: input.displayName,
        email: invitation.email,
        network_role: invitation.network_role,
        password_hash: passwordHash,
        locale,
      });
      if (invitation.organisation_id) {
        await repo.insertMembership(trx, { person_id: id, organisation_id: invitation.organisation_id, role: invitation.org_role ?? 'staff' });
      }
      await audit(trx, id, { action: 'invitation.accept', recordType: 'invitation', recordId: invitation.id });
      const sessionToken = await this.createSession(trx, id, client.device);
      await audit(trx, id, { action: 'session.create', recordType: 'person', recordId: id });
      return { token: sessionToken, personId: id, locale };
    });
  }

  async setStatus(actor: PersonActor, personId: string, status: 'active' | 'disabled'): Promise<void> {
    const { db } = this.p;
    if (personId === actor.id) throw AppError.field('person', 'errors.notYourself');
    const person = await repo.findPersonById(db, personId);
    if (!person) throw AppError.notFound();
    await db.transaction().execute(async (trx) => {
      await repo.setStatus(trx, personId, status);
      if (status === 'disabled') {
        await repo.deleteSessionsOf(trx, personId);
        await repo.revokeApiTokensOf(trx, personId);
      }
      await audit(trx, actor, { action: status === 'disabled' ? 'person.disable' : 'person.enable', recordType: 'person', recordId: personId });
    });
  }
}
