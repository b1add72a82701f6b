import type { Transaction } from 'kysely';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { DB, NetworkRole, OrgRole } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { ClientContext, Platform } from '../../platform/context.ts';

export type { ClientContext };
import { hmac, newRecoveryCode, newToken, normaliseRecoveryCode, seal, sha256, unseal } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { isSupportedLocale, translator } from '../../platform/i18n.ts';
import { type Actor, type PersonActor, rolesOf } from '../../platform/policy.ts';
import * as repo from './accounts.repository.ts';
import type {
  AcceptInvitation,
  ConvenerCommand,
  ChangePassword,
  CreateApiToken,
  DisableTotp,
  EnableTotp,
  ForgotPassword,
  NewRecoveryCodes,
  Register,
  ResetPassword,
  SignIn,
} from './accounts.schemas.ts';
import { hashPassword, verifyPassword, weakPasswordReason } from './passwords.ts';

/** Sign-in, sessions, credentials and invitations. No HTTP types: pages, API and CLI share it. */

export const THROTTLE_WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_ATTEMPTS = 5; // the 6th failure in the window is refused
export const IP_ATTEMPTS = 50; // shared addresses (a community centre, a mobile carrier) need room
// Registration: room for a community centre signing up a group, but not for probing
// pseudonyms or mailing one address over and over.
export const REGISTER_IP_ATTEMPTS = 20;
export const REGISTER_EMAIL_ATTEMPTS = 3;
const SESSION_IDLE_MS = 14 * 24 * 3600 * 1000;
/** However active, a session ends 30 days after sign-in: a stolen cookie does not live for ever. */
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600 * 1000;
export const RECOVERY_CODE_COUNT = 10;
/**
 * "Forgot password" answers no sooner than this, with or without an account: the link, its
 * mail and the audit entry are written only for a known address, and without a floor the
 * reply would be measurably slower for one.
 */
export const RESET_REQUEST_FLOOR_MS = 250;
const SESSION_TOUCH_MS = 10 * 60 * 1000;
const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
const RESET_TTL_MS = 60 * 60 * 1000;
const TOTP_PURPOSE = 'totp-secret';

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

/** Runs `work`, then waits until at least `ms` have passed since it began, whatever happened. */
async function noSoonerThan<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = ms - (performance.now() - started);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }
}

/** Sessions created before this instant are over, whatever their idle expiry says. */
function sessionsBornAfter(): Date {
  return new Date(Date.now() - SESSION_ABSOLUTE_MS);
}

/** A refused new password, on the field it was typed in, with the reason in the person's language. */
async function requireStrong(field: string, password: string, personal: (string | null | undefined)[]): Promise<void> {
  const reason = await weakPasswordReason(password, personal);
  if (reason) throw AppError.field(field, reason);
}

function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { codes, hashes: codes.map((c) => sha256(normaliseRecoveryCode(c)!)) };
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

  private bucket(kind: 'a' | 'i' | 'r' | 'p', value: string) {
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
    // A missing or wrong second factor answers exactly like a wrong password: the reply must
    // not tell someone who guessed the password right that only the code stands in the way.
    const recoveryCodeId = person.totp_secret ? await this.secondFactor(person.id, person.totp_secret, input.code) : null;
    if (recoveryCodeId === false) throw AppError.invalid({ identifier: { key: 'errors.signInFailed' } }, 'errors.signInFailed');
    await repo.clearBucket(db, accountBucket);
    await repo.forgiveAttempt(db, ipBucket);
    let token = '';
    await db.transaction().execute(async (trx) => {
      token = await this.createSession(trx, person.id, client.device);
      if (recoveryCodeId) await audit(trx, person.id, { action: 'recoveryCode.use', recordType: 'recovery_code', recordId: recoveryCodeId });
      await audit(trx, person.id, { action: 'session.create', recordType: 'person', recordId: person.id });
    });
    if (Math.random() < 0.05) await repo.pruneBuckets(db, THROTTLE_WINDOW_SECONDS);
    return { token, personId: person.id, locale: person.locale };
  }

  /**
   * A TOTP code or a recovery code, each good once. Answers null (TOTP), the recovery code's id,
   * or false. Called only after the password was right, so a guess never uses up a code.
   */
  private async secondFactor(personId: string, sealedSecret: string, typed: string | undefined): Promise<string | null | false> {
    const code = (typed ?? '').trim();
    if (/^[0-9]{6}$/.test(code)) {
      const secret = unseal(this.p.config.secretKey, TOTP_PURPOSE, sealedSecret);
      const result = await verifyTotp({ secret, token: code, epochTolerance: 30 });
      // A code is good once: the step is claimed atomically, so a replay (even a parallel one) fails.
      return result.valid && (await repo.claimTotpStep(this.p.db, personId, timeStep(result))) ? null : false;
    }
    const recovery = normaliseRecoveryCode(code);
    if (!recovery) return false;
    return (await repo.consumeRecoveryCode(this.p.db, personId, sha256(recovery))) ?? false;
  }

  /** Counted per client address and per email given, whether or not the email has an account. */
  private async limitRegistration(input: Register, client: ClientContext): Promise<void> {
    const { db } = this.p;
    const byAddress = await repo.countAttempt(db, this.bucket('r', client.ip), THROTTLE_WINDOW_SECONDS);
    const byEmail = input.email ? await repo.countAttempt(db, this.bucket('r', `email:${input.email}`), THROTTLE_WINDOW_SECONDS) : 0;
    if (byAddress > REGISTER_IP_ATTEMPTS || byEmail > REGISTER_EMAIL_ATTEMPTS) throw AppError.throttled(THROTTLE_WINDOW_SECONDS, 'errors.registerThrottled');
  }

  /**
   * A new community account, signed in. When the email already belongs to someone, the answer
   * is the same as for a new address (same page, same work: the passphrase is hashed either
   * way): the account is made without the email, and the address's owner is mailed instead.
   * Nothing later tells the two apart either: an account with a pseudonym signs in with the
   * pseudonym only, and its email is shown nowhere to its holder. The pseudonym, chosen by the
   * person and not an identifier of anyone real, may still be "taken": sign-in names must be
   * unique. Probing them is limited by the per-address throttle.
   */
  async register(input: Register, locale: string, client: ClientContext): Promise<NewSession> {
    const { db, config } = this.p;
    await this.limitRegistration(input, client);
    if (await repo.pseudonymTaken(db, input.pseudonym)) throw AppError.field('pseudonym', 'errors.pseudonymTaken');
    await requireStrong('passphrase', input.passphrase, [input.pseudonym, input.email]);
    const passwordHash = await hashPassword(input.passphrase);
    return db.transaction().execute(async (trx) => {
      const row = { display_name: input.pseudonym, pseudonym: input.pseudonym, network_role: 'participant' as const, password_hash: passwordHash, locale };
      let owner = input.email ? await repo.findPersonByEmail(trx, input.email) : undefined;
      let id = await repo.insertPersonIfFree(trx, { ...row, email: owner ? null : (input.email ?? null) });
      if (!id && input.email && !owner) {
        // Lost a race for the email: the same as finding it taken.
        owner = await repo.findPersonByEmail(trx, input.email);
        if (owner) id = await repo.insertPersonIfFree(trx, { ...row, email: null });
      }
      if (!id) throw AppError.field('pseudonym', 'errors.pseudonymTaken');
      if (owner?.email) {
        const t = translator(owner.locale ?? locale);
        await this.p.mailer.queue(trx, {
          to: owner.email,
          subject: t('mail.registerTaken.subject'),
          text: t('mail.registerTaken.body', {
            signIn: new URL('/sign-in', config.publicUrl).href,
            forgot: new URL('/password/forgot', config.publicUrl).href,
          }),
        });
      }
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
      // Organisations in good standing only (the repository filters); the standing decides
      // which network role the membership gives (rolesOf, ADR 0014).
      memberships: memberships.map((m) => ({ organisationId: m.organisationId, role: m.role, name: m.name, standing: m.status === 'associate' ? 'associate' : 'member' })),
      ...via,
    };
  }

  /** Who is this cookie? Touches the session at most every ten minutes, not on every request. */
  async resolveSession(token: string): Promise<PersonActor | undefined> {
    const { db } = this.p;
    const row = await repo.findSession(db, sha256(token), sessionsBornAfter());
    if (row?.status !== 'active') return undefined;
    if (Date.now() - row.last_seen_at.getTime() > SESSION_TOUCH_MS) {
      const idle = Date.now() + SESSION_IDLE_MS;
      await repo.touchSession(db, row.sessionId, new Date(Math.min(idle, row.created_at.getTime() + SESSION_ABSOLUTE_MS)));
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
      recoveryCodesLeft: person.totp_secret ? await repo.countRecoveryCodes(db, me.id) : 0,
      memberships: await repo.membershipsOf(db, me.id),
      sessions: (await repo.listSessions(db, me.id, sessionsBornAfter())).map((s) => ({ ...s, current: s.id === me.sessionId })),
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

  /**
   * The password again before a change of credentials: someone holding a session (a borrowed
   * laptop, a stolen cookie) cannot lock the owner out. Throttled like sign-in, per person.
   */
  private async confirmPassword(me: PersonActor, field: string, password: string) {
    const { db } = this.p;
    const bucket = this.bucket('p', me.id);
    if ((await repo.countAttempt(db, bucket, THROTTLE_WINDOW_SECONDS)) > ACCOUNT_ATTEMPTS) {
      throw new AppError('throttled', 'errors.throttled', { retryAfterSeconds: THROTTLE_WINDOW_SECONDS, fields: { [field]: { key: 'errors.throttled' } } });
    }
    const person = await repo.findPersonById(db, me.id);
    if (!person || !(await verifyPassword(person.password_hash, password))) throw AppError.field(field, 'errors.currentPasswordWrong');
    await repo.clearBucket(db, bucket);
    return person;
  }

  /** Every session and every personal access token ends, this session included; the caller gets a fresh one back. */
  async changePassword(actor: Actor, input: ChangePassword, client: ClientContext): Promise<string> {
    const me = requirePerson(actor);
    const { db } = this.p;
    const person = await this.confirmPassword(me, 'current', input.current);
    await requireStrong('password', input.password, [person.display_name, person.pseudonym, person.email]);
    const passwordHash = await hashPassword(input.password);
    return db.transaction().execute(async (trx) => {
      await repo.setPassword(trx, me.id, passwordHash);
      await repo.deleteSessionsOf(trx, me.id);
      await repo.revokeApiTokensOf(trx, me.id);
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

  /** Ends every session and token; answers the new session and the ten recovery codes, shown once. */
  async enableTotp(actor: Actor, input: EnableTotp, client: ClientContext): Promise<{ token: string; codes: string[] }> {
    const me = requirePerson(actor);
    await this.confirmPassword(me, 'current', input.current);
    const result = await verifyTotp({ secret: input.secret, token: input.code, epochTolerance: 30 }).catch(() => ({ valid: false as const }));
    if (!result.valid) throw AppError.field('code', 'errors.totpWrong');
    const { codes, hashes } = newRecoveryCodes();
    return this.p.db.transaction().execute(async (trx) => {
      await repo.setTotp(trx, me.id, seal(this.p.config.secretKey, TOTP_PURPOSE, input.secret));
      await repo.claimTotpStep(trx, me.id, timeStep(result));
      await repo.replaceRecoveryCodes(trx, me.id, hashes);
      await repo.deleteSessionsOf(trx, me.id);
      await repo.revokeApiTokensOf(trx, me.id);
      await audit(trx, me, { action: 'person.enableTotp', recordType: 'person', recordId: me.id });
      return { token: await this.createSession(trx, me.id, client.device), codes };
    });
  }

  /** A fresh set of ten recovery codes; the old ones stop working. */
  async renewRecoveryCodes(actor: Actor, input: NewRecoveryCodes): Promise<string[]> {
    const me = requirePerson(actor);
    const person = await this.confirmPassword(me, 'recoveryPassword', input.recoveryPassword);
    if (!person.totp_secret) throw AppError.field('recoveryPassword', 'errors.totpOff');
    const { codes, hashes } = newRecoveryCodes();
    await this.p.db.transaction().execute(async (trx) => {
      await repo.replaceRecoveryCodes(trx, me.id, hashes);
      await audit(trx, me, { action: 'person.renewRecoveryCodes', recordType: 'person', recordId: me.id });
    });
    return codes;
  }

  async disableTotp(actor: Actor, input: DisableTotp, client: ClientContext): Promise<string> {
    const me = requirePerson(actor);
    const { db } = this.p;
    await this.confirmPassword(me, 'totpPassword', input.totpPassword);
    return db.transaction().execute(async (trx) => {
      await repo.setTotp(trx, me.id, null);
      await repo.deleteRecoveryCodes(trx, me.id);
      await repo.deleteSessionsOf(trx, me.id);
      await repo.revokeApiTokensOf(trx, me.id);
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

  /**
   * Only from a signed-in session, with the password again: a token cannot mint tokens (one
   * leaked token would otherwise be a way to keep access after it is revoked).
   */
  async createApiToken(actor: Actor, input: CreateApiToken): Promise<{ id: string; token: string }> {
    const me = requirePerson(actor);
    if (!me.sessionId) throw new AppError('forbidden', 'errors.tokenNeedsSession');
    await this.confirmPassword(me, 'tokenPassword', input.tokenPassword);
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
    return (await repo.listSessions(this.p.db, me.id, sessionsBornAfter())).map((s) => ({ ...s, current: s.id === me.sessionId }));
  }

  async revokeApiToken(actor: Actor, id: string): Promise<void> {
    const me = requirePerson(actor);
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.revokeApiToken(trx, me.id, id))) throw AppError.notFound();
      await audit(trx, me, { action: 'apiToken.revoke', recordType: 'api_token', recordId: id });
    });
  }

  // ---- password reset by emailed link --------------------------------------------------------

  /** Same answer, in the same time, whether or not the address has an account. */
  async requestPasswordReset(input: ForgotPassword, locale: string): Promise<void> {
    await noSoonerThan(RESET_REQUEST_FLOOR_MS, () => this.sendResetLink(input, locale));
  }

  private async sendResetLink(input: ForgotPassword, locale: string): Promise<void> {
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
        holdsSecret: true, // the outbox shows that it exists, never its link (ADR 0010)
      });
      await audit(trx, null, { action: 'passwordReset.request', recordType: 'person', recordId: person.id });
    });
  }

  /**
   * `npm run convener`: a one-time link (60 minutes) to choose a convener's password, given to
   * whoever runs the command on the server, not mailed. The way to make the first convener of a
   * new server, and back in for a convener whose password is lost (the demo convener's is shown
   * only once, and reset mail goes to an outbox only a convener reads). `create` makes the
   * account (a convener with no password until the link is used); `reset` is for a convener's
   * existing account. Earlier links stop working once this one is used, as with any reset.
   */
  async convenerLink(mode: 'create' | 'reset', input: ConvenerCommand): Promise<{ link: string; personId: string }> {
    const { db, config } = this.p;
    const existing = await repo.findPersonByEmail(db, input.email);
    // An account that signs in with this address is someone's: never taken over. One with a
    // pseudonym only typed it at registration, unverified (anyone may have typed it to block its
    // owner): it gives way, as it does to an invitation, and keeps signing in by its pseudonym.
    if (mode === 'create' && existing && existing.pseudonym === null) {
      throw AppError.field('email', existing.network_role === 'convener' ? 'errors.convenerExists' : 'errors.convenerNotConvener');
    }
    if (mode === 'reset' && (existing?.network_role !== 'convener' || existing.status !== 'active')) {
      throw AppError.field('email', !existing || existing.pseudonym !== null ? 'errors.convenerUnknown' : existing.network_role === 'convener' ? 'errors.convenerDisabled' : 'errors.convenerNotConvener');
    }
    const token = newToken();
    try {
      const personId = await db.transaction().execute(async (trx) => {
        let id = existing?.id ?? '';
        if (mode === 'create') {
          if (existing) {
            await repo.releaseEmail(trx, existing.id);
            await audit(trx, null, { action: 'person.emailReleased', recordType: 'person', recordId: existing.id });
          }
          id = (await repo.insertPerson(trx, { display_name: input.displayName ?? 'Convener', email: input.email, network_role: 'convener', password_hash: null })).id;
          await audit(trx, null, { action: 'person.create.convener', recordType: 'person', recordId: id });
        }
        await repo.insertPasswordReset(trx, { token_hash: sha256(token), person_id: id, expires_at: new Date(Date.now() + RESET_TTL_MS) });
        await audit(trx, null, { action: 'passwordReset.command', recordType: 'person', recordId: id });
        return id;
      });
      return { link: new URL(`/password/reset/${token}`, config.publicUrl).href, personId };
    } catch (err) {
      // The address taken meanwhile (an invitation accepted, a registration).
      if ((err as { code?: string }).code === '23505') throw AppError.field('email', 'errors.convenerExists');
      throw err;
    }
  }

  async checkResetToken(token: string): Promise<boolean> {
    return Boolean(await repo.findOpenPasswordReset(this.p.db, sha256(token)));
  }

  async resetPassword(token: string, input: ResetPassword): Promise<void> {
    const { db } = this.p;
    const reset = await repo.findOpenPasswordReset(db, sha256(token));
    if (!reset) throw new AppError('not_found', 'errors.linkExpired');
    const person = await repo.findPersonById(db, reset.person_id);
    await requireStrong('password', input.password, [person?.display_name, person?.pseudonym, person?.email]);
    const passwordHash = await hashPassword(input.password);
    await db.transaction().execute(async (trx) => {
      if (!(await repo.consumePasswordReset(trx, reset.token_hash))) throw new AppError('not_found', 'errors.linkExpired');
      await repo.setPassword(trx, reset.person_id, passwordHash);
      // Every other link sent to this person stops working, and so does every way in.
      await repo.closePasswordResetsOf(trx, reset.person_id);
      await repo.deleteSessionsOf(trx, reset.person_id);
      await repo.revokeApiTokensOf(trx, reset.person_id);
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
    // Only an account that signs in with this address holds it; an address typed at
    // registration is unverified and gives way to the invitation (acceptInvitation).
    const holder = await repo.findPersonByEmail(db, input.email);
    if (holder && holder.pseudonym === null) throw AppError.field('email', 'errors.emailTaken');
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
      // An org admin's invitation makes its holder staff of that organisation: in outbox mode
      // the convener must not be able to follow it into another organisation's restricted
      // signs (ADR 0010). The convener's own invitations are theirs to pass on, and audited.
      holdsSecret: !rolesOf(actor).has('convener'),
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
    const holder = await repo.findPersonByEmail(db, invitation.email);
    // An account that signs in with this email already exists: it was never theirs to accept.
    if (holder && holder.pseudonym === null) throw new AppError('not_found', 'errors.linkExpired');
    await requireStrong('password', input.password, [input.displayName, invitation.email]);
    const passwordHash = await hashPassword(input.password);
    const accept = db.transaction().execute(async (trx) => {
      if (!(await repo.consumeInvitation(trx, invitation.id))) throw new AppError('not_found', 'errors.linkExpired');
      // An email typed at registration is unverified: anyone may have typed this one to block
      // its owner. The invitation link reached the mailbox, so the address goes with it; the
      // pseudonymous account keeps everything else and still signs in by its pseudonym.
      if (holder) {
        await repo.releaseEmail(trx, holder.id);
        await audit(trx, null, { action: 'person.emailReleased', recordType: 'person', recordId: holder.id });
      }
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
    // Two links to one address accepted at once, or an account made with it meanwhile: the
    // unique address decides, and the slower one is told its link no longer works.
    return accept.catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw new AppError('not_found', 'errors.linkExpired');
      throw err;
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
