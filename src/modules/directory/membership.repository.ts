import type { Db } from '../../db/database.ts';
import type { ApplicationStatus, ApplicationsTable } from '../../db/schema.ts';
import { type Insertable, sql, type Updateable } from 'kysely';

// ---- terms of reference --------------------------------------------------------------------

export async function currentTerms(db: Db) {
  return db.selectFrom('terms_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function termsVersion(db: Db, version: number) {
  return db.selectFrom('terms_versions').selectAll().where('version', '=', version).executeTakeFirst();
}

export async function listTerms(db: Db) {
  return db.selectFrom('terms_versions').select(['version', 'created_at']).orderBy('version', 'desc').execute();
}

export async function insertTerms(db: Db, t: { version: number; body: string; created_by: string | null }) {
  await db.insertInto('terms_versions').values(t).execute();
}

// ---- applications --------------------------------------------------------------------------

export async function insertApplication(db: Db, a: Insertable<ApplicationsTable>) {
  return db.insertInto('applications').values(a).returning('id').executeTakeFirstOrThrow();
}

const APPLICATION_COLUMNS = [
  'a.id',
  'a.status',
  'a.profile',
  'a.statement',
  'a.terms_version',
  'a.contact_name',
  'a.contact_email',
  'a.locale',
  'a.duplicate_of',
  'a.duplicate_reason',
  'a.organisation_id',
  'a.decision_reason',
  'a.decided_at',
  'a.created_at',
  'a.updated_at',
] as const;

export async function findApplication(db: Db, id: string) {
  return db
    .selectFrom('applications as a')
    .leftJoin('organisations as d', 'd.id', 'a.duplicate_of')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([...APPLICATION_COLUMNS, 'd.name as duplicate_name', 'd.slug as duplicate_slug', 'o.slug as organisation_slug'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export async function findByAnswerToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('applications as a')
    .select(APPLICATION_COLUMNS)
    .where('a.answer_token_hash', '=', tokenHash)
    .where('a.answer_expires_at', '>', new Date())
    .where('a.status', '=', 'info_requested')
    .executeTakeFirst();
}

export async function listApplications(db: Db, statuses: readonly ApplicationStatus[], limit = 200) {
  return db
    .selectFrom('applications as a')
    .leftJoin('organisations as d', 'd.id', 'a.duplicate_of')
    .select(['a.id', 'a.status', 'a.profile', 'a.created_at', 'a.updated_at', 'a.duplicate_reason', 'd.name as duplicate_name'])
    .where('a.status', 'in', statuses)
    .orderBy('a.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function updateApplication(
  db: Db,
  id: string,
  set: Omit<Updateable<ApplicationsTable>, 'id' | 'profile' | 'created_at'>,
  onlyIfStatus?: readonly ApplicationStatus[],
): Promise<boolean> {
  let q = db.updateTable('applications').set({ ...set, updated_at: new Date() }).where('id', '=', id);
  if (onlyIfStatus) q = q.where('status', 'in', onlyIfStatus);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertEvent(db: Db, e: { application_id: string; kind: 'comment' | 'info_request' | 'answer' | 'approved' | 'declined'; body: string; actor_id: string | null }) {
  await db.insertInto('application_events').values(e).execute();
}

export async function eventsOf(db: Db, applicationId: string) {
  return db
    .selectFrom('application_events as e')
    .leftJoin('people as p', 'p.id', 'e.actor_id')
    .select(['e.id', 'e.kind', 'e.body', 'e.created_at', 'p.display_name as actor_name'])
    .where('e.application_id', '=', applicationId)
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();
}

/** Pending applications under (almost) the same name: two people from one organisation applying. */
export async function pendingWithName(db: Db, name: string) {
  return db
    .selectFrom('applications')
    .select(['id'])
    .where('status', 'in', ['submitted', 'info_requested'])
    .where(sql<boolean>`lower(profile->>'name') = ${name.toLowerCase()}`)
    .executeTakeFirst();
}

// ---- invitations to join an organisation, for people who already have an account ----------
// They are rows of the same `invitations` table as invitations by link, so that the org
// admin's list of pending invitations looks the same whether or not the address has an account.

/** Open invitations to organisations in good standing addressed to this email. */
export async function openOrganisationInvitations(db: Db, email: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .leftJoin('people as p', 'p.id', 'i.invited_by')
    .select(['i.id', 'i.org_role', 'i.expires_at', 'i.created_at', 'o.id as organisation_id', 'o.name as organisation_name', 'o.slug as organisation_slug', 'p.display_name as inviter_name'])
    .where(sql<boolean>`lower(i.email) = ${email.toLowerCase()}`)
    .where('i.accepted_at', 'is', null)
    .where('i.expires_at', '>', new Date())
    .where('o.status', 'in', ['member', 'associate'])
    .orderBy('i.created_at', 'desc')
    .execute();
}

export async function findOpenOrganisationInvitation(db: Db, id: string, email: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select(['i.id', 'i.org_role', 'o.id as organisation_id', 'o.name as organisation_name', 'o.status as organisation_status'])
    .where('i.id', '=', id)
    .where(sql<boolean>`lower(i.email) = ${email.toLowerCase()}`)
    .where('i.accepted_at', 'is', null)
    .where('i.expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Declining leaves nothing behind but the audit entry. */
export async function deleteOpenInvitation(db: Db, id: string, email: string): Promise<boolean> {
  const r = await db
    .deleteFrom('invitations')
    .where('id', '=', id)
    .where(sql<boolean>`lower(email) = ${email.toLowerCase()}`)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
