import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { NetworkRole, OrgRole } from '../../db/schema.ts';

// ---- people --------------------------------------------------------------------------------

const personColumns = [
  'id',
  'display_name',
  'pseudonym',
  'email',
  'network_role',
  'status',
  'password_hash',
  'totp_secret',
  'totp_last_step',
  'locale',
  'created_at',
] as const;

/**
 * Staff sign in with their email; people who registered with a pseudonym sign in with it only.
 * The email given at registration is unverified, and signing in with it would tell a stranger
 * whether registration attached it (see `AccountsService.register`).
 */
export async function findPersonBySignInName(db: Db, name: string) {
  const lower = name.toLowerCase();
  if (name.includes('@')) {
    return db
      .selectFrom('people')
      .select(personColumns)
      .where(sql`lower(email)`, '=', lower)
      .where('pseudonym', 'is', null)
      .executeTakeFirst();
  }
  return db.selectFrom('people').select(personColumns).where(sql`lower(pseudonym)`, '=', lower).executeTakeFirst();
}

export async function findPersonById(db: Db, id: string) {
  return db.selectFrom('people').select(personColumns).where('id', '=', id).executeTakeFirst();
}

export async function findPersonByEmail(db: Db, email: string) {
  return db.selectFrom('people').select(personColumns).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

/** Detach an (unverified) email from an account, which keeps its pseudonym to sign in with. */
export async function releaseEmail(db: Db, personId: string) {
  await db.updateTable('people').set({ email: null }).where('id', '=', personId).where('pseudonym', 'is not', null).execute();
}

export async function pseudonymTaken(db: Db, pseudonym: string): Promise<boolean> {
  const row = await db.selectFrom('people').select('id').where(sql`lower(pseudonym)`, '=', pseudonym.toLowerCase()).executeTakeFirst();
  return Boolean(row);
}

export async function insertPerson(
  db: Db,
  p: {
    display_name: string;
    pseudonym?: string | null;
    email?: string | null;
    network_role: NetworkRole;
    password_hash: string | null;
    locale?: string | null;
    is_demo?: boolean;
  },
) {
  return db.insertInto('people').values(p).returning('id').executeTakeFirstOrThrow();
}

/** A registration's row, or undefined when the pseudonym or email was taken meanwhile (a race). */
export async function insertPersonIfFree(
  db: Db,
  p: { display_name: string; pseudonym: string; email: string | null; network_role: NetworkRole; password_hash: string; locale: string },
): Promise<string | undefined> {
  const row = await db
    .insertInto('people')
    .values(p)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function setPassword(db: Db, id: string, hash: string) {
  await db.updateTable('people').set({ password_hash: hash, credentials_changed_at: new Date() }).where('id', '=', id).execute();
}

export async function setTotp(db: Db, id: string, sealedSecret: string | null) {
  await db
    .updateTable('people')
    .set({ totp_secret: sealedSecret, totp_last_step: null, credentials_changed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Claims a TOTP time step for this person; false when it (or a later one) was used already. */
export async function claimTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('people')
    .set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}

export async function setLocale(db: Db, id: string, locale: string) {
  await db.updateTable('people').set({ locale }).where('id', '=', id).execute();
}

export async function setStatus(db: Db, id: string, status: 'active' | 'disabled') {
  await db.updateTable('people').set({ status }).where('id', '=', id).execute();
}

/**
 * Memberships that give anything: only in organisations in good standing (member or associate).
 * A suspended or departed organisation's staff keep their accounts, not its rights (ADR 0014).
 */
export async function membershipsOf(db: Db, personId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['memberships.organisation_id as organisationId', 'memberships.role', 'organisations.name', 'organisations.status'])
    .where('memberships.person_id', '=', personId)
    .where('organisations.status', 'in', ['member', 'associate'])
    .orderBy('organisations.name')
    .execute();
}

/**
 * A membership, or a higher role in one already held. Accepting an invitation "as staff" never
 * demotes an admin: that could leave an organisation with nobody to run it.
 */
export async function insertMembership(db: Db, m: { person_id: string; organisation_id: string; role: OrgRole }) {
  await db
    .insertInto('memberships')
    .values(m)
    .onConflict((oc) =>
      oc.columns(['person_id', 'organisation_id']).doUpdateSet({ role: sql<OrgRole>`case when memberships.role = 'org_admin' then 'org_admin' else excluded.role end` }),
    )
    .execute();
}

export async function listPeople(db: Db) {
  return db
    .selectFrom('people')
    .select(['id', 'display_name', 'pseudonym', 'email', 'network_role', 'status', 'created_at', 'is_demo'])
    .orderBy('display_name')
    .limit(500)
    .execute();
}

export async function countPeople(db: Db): Promise<number> {
  const row = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- organisations (the directory module will own these later) -----------------------------

export async function listOrganisations(db: Db) {
  return db.selectFrom('organisations').select(['id', 'name', 'is_demo']).orderBy('name').execute();
}

export async function findOrganisation(db: Db, id: string) {
  return db.selectFrom('organisations').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function insertOrganisation(db: Db, o: { name: string; slug: string; is_demo?: boolean }) {
  return db.insertInto('organisations').values(o).returning('id').executeTakeFirstOrThrow();
}

// ---- sessions ------------------------------------------------------------------------------

export async function insertSession(db: Db, s: { token_hash: string; person_id: string; device: string; expires_at: Date }) {
  return db.insertInto('sessions').values(s).returning('id').executeTakeFirstOrThrow();
}

/** A session counts only while neither its idle expiry nor its absolute limit (`bornAfter`) has passed. */
export async function findSession(db: Db, tokenHash: string, bornAfter: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('people', 'people.id', 'sessions.person_id')
    .select([
      'sessions.id as sessionId',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.created_at',
      'people.id',
      'people.display_name',
      'people.network_role',
      'people.locale',
      'people.status',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .where('sessions.created_at', '>', bornAfter)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, expiresAt: Date) {
  await db.updateTable('sessions').set({ last_seen_at: new Date(), expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function listSessions(db: Db, personId: string, bornAfter: Date) {
  return db
    .selectFrom('sessions')
    .select(['id', 'device', 'created_at', 'last_seen_at'])
    .where('person_id', '=', personId)
    .where('expires_at', '>', new Date())
    .where('created_at', '>', bornAfter)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function deleteSession(db: Db, personId: string, id: string): Promise<boolean> {
  const rows = await db.deleteFrom('sessions').where('id', '=', id).where('person_id', '=', personId).returning('id').execute();
  return rows.length > 0;
}

export async function deleteSessionsOf(db: Db, personId: string, exceptId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('person_id', '=', personId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const rows = await q.returning('id').execute();
  return rows.length;
}

// ---- personal access tokens ----------------------------------------------------------------

export async function insertApiToken(db: Db, t: { person_id: string; name: string; token_hash: string }) {
  return db.insertInto('api_tokens').values(t).returning('id').executeTakeFirstOrThrow();
}

export async function findApiToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('people', 'people.id', 'api_tokens.person_id')
    .select([
      'api_tokens.id as tokenId',
      'api_tokens.last_used_at',
      'people.id',
      'people.display_name',
      'people.network_role',
      'people.locale',
      'people.status',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, id: string) {
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

export async function listApiTokens(db: Db, personId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiToken(db: Db, personId: string, id: string): Promise<boolean> {
  const rows = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

export async function revokeApiTokensOf(db: Db, personId: string) {
  await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('person_id', '=', personId).where('revoked_at', 'is', null).execute();
}

// ---- invitations and password resets -------------------------------------------------------

export async function insertInvitation(
  db: Db,
  i: {
    token_hash: string;
    email: string;
    network_role: NetworkRole;
    organisation_id: string | null;
    org_role: OrgRole | null;
    invited_by: string;
    expires_at: Date;
  },
) {
  return db.insertInto('invitations').values(i).returning('id').executeTakeFirstOrThrow();
}

export async function findOpenInvitation(db: Db, tokenHash: string) {
  return db
    .selectFrom('invitations')
    .leftJoin('organisations', 'organisations.id', 'invitations.organisation_id')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.network_role',
      'invitations.organisation_id',
      'invitations.org_role',
      'organisations.name as organisation_name',
    ])
    .where('invitations.token_hash', '=', tokenHash)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Single use: only the first caller gets the row back. */
export async function consumeInvitation(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .updateTable('invitations')
    .set({ accepted_at: new Date() })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

export async function listOpenInvitations(db: Db) {
  return db
    .selectFrom('invitations')
    .leftJoin('organisations', 'organisations.id', 'invitations.organisation_id')
    .select(['invitations.id', 'invitations.email', 'invitations.network_role', 'invitations.expires_at', 'organisations.name as organisation_name'])
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.expires_at', '>', new Date())
    .orderBy('invitations.created_at', 'desc')
    .execute();
}

export async function insertPasswordReset(db: Db, r: { token_hash: string; person_id: string; expires_at: Date }) {
  await db.insertInto('password_resets').values(r).execute();
}

export async function findOpenPasswordReset(db: Db, tokenHash: string) {
  return db
    .selectFrom('password_resets')
    .select(['token_hash', 'person_id'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

export async function consumePasswordReset(db: Db, tokenHash: string): Promise<boolean> {
  const rows = await db
    .updateTable('password_resets')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('person_id')
    .execute();
  return rows.length > 0;
}

/** After a successful reset, every other open link of that person stops working too. */
export async function closePasswordResetsOf(db: Db, personId: string) {
  await db.updateTable('password_resets').set({ used_at: new Date() }).where('person_id', '=', personId).where('used_at', 'is', null).execute();
}

// ---- recovery codes (two-step sign-in) -----------------------------------------------------

/** A new set replaces the old one: the old codes stop working at once. */
export async function replaceRecoveryCodes(db: Db, personId: string, hashes: string[]) {
  await db.deleteFrom('recovery_codes').where('person_id', '=', personId).execute();
  if (hashes.length > 0) await db.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ person_id: personId, code_hash }))).execute();
}

export async function deleteRecoveryCodes(db: Db, personId: string) {
  await db.deleteFrom('recovery_codes').where('person_id', '=', personId).execute();
}

/** Single use: the conditional UPDATE lets only one of two parallel sign-ins have the code. */
export async function consumeRecoveryCode(db: Db, personId: string, codeHash: string): Promise<string | undefined> {
  const row = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('person_id', '=', personId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function countRecoveryCodes(db: Db, personId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- sign-in throttling --------------------------------------------------------------------

/** Counts an attempt in a bucket (a fixed window), answering the count within the window. */
export async function countAttempt(db: Db, bucket: string, windowSeconds: number): Promise<number> {
  const row = await sql<{ failures: number }>`
    insert into auth_throttle (bucket, failures, window_started_at) values (${bucket}, 1, now())
    on conflict (bucket) do update set
      failures = case when auth_throttle.window_started_at < now() - make_interval(secs => ${windowSeconds})
                      then 1 else auth_throttle.failures + 1 end,
      window_started_at = case when auth_throttle.window_started_at < now() - make_interval(secs => ${windowSeconds})
                      then now() else auth_throttle.window_started_at end
    returning failures`.execute(db);
  return Number(row.rows[0]?.failures ?? 1);
}

export async function clearBucket(db: Db, bucket: string) {
  await db.deleteFrom('auth_throttle').where('bucket', '=', bucket).execute();
}

export async function forgiveAttempt(db: Db, bucket: string) {
  await db
    .updateTable('auth_throttle')
    .set((eb) => ({ failures: sql`greatest(${eb.ref('failures')} - 1, 0)` }))
    .where('bucket', '=', bucket)
    .execute();
}

export async function pruneBuckets(db: Db, windowSeconds: number) {
  await db
    .deleteFrom('auth_throttle')
    .where('window_started_at', '<', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
    .execute();
}
