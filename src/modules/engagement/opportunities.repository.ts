import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, OpportunityKind, OpportunityState, RateBasis } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

const COLUMNS = [
  'w.id', 'w.organisation_id', 'w.kind', 'w.title', 'w.description', 'w.rate_minor', 'w.currency', 'w.rate_basis', 'w.languages', 'w.deadline', 'w.state', 'w.created_at',
] as const;

export async function findOpportunity(db: Q, id: string) {
  return db
    .selectFrom('opportunities as w')
    .innerJoin('organisations as o', 'o.id', 'w.organisation_id')
    .select([...COLUMNS, 'o.name as organisation_name'])
    .where('w.id', '=', id)
    .executeTakeFirst();
}
export type OpportunityRow = NonNullable<Awaited<ReturnType<typeof findOpportunity>>>;

export async function lockOpportunity(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('opportunities').select(['id', 'state', 'deadline']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Open postings whose deadline has not passed, and every posting of the reader's organisations. */
export async function listOpportunities(db: Q, today: string, organisationIds: readonly string[]) {
  return db
    .selectFrom('opportunities as w')
    .innerJoin('organisations as o', 'o.id', 'w.organisation_id')
    .select([...COLUMNS, 'o.name as organisation_name'])
    .where((eb) => {
      const open = eb.and([eb('w.state', '=', 'open'), eb('w.deadline', '>=', today)]);
      return organisationIds.length > 0 ? eb.or([open, eb('w.organisation_id', 'in', [...organisationIds])]) : open;
    })
    .orderBy(sql`case when w.state = 'open' and w.deadline >= ${today} then 0 else 1 end`)
    .orderBy('w.deadline')
    .limit(200)
    .execute();
}

/** Work posted in (since, until] and still open to applications, newest first, with how many in all: for a digest. */
export async function postedBetween(db: Q, today: string, since: Date, until: Date, limit: number) {
  const rows = await db
    .selectFrom('opportunities as w')
    .select(['w.id', 'w.title', 'w.deadline', sql<number>`count(*) over ()`.as('total')])
    .where('w.state', '=', 'open')
    .where('w.deadline', '>=', today)
    .where('w.created_at', '>', since)
    .where('w.created_at', '<=', until)
    .orderBy('w.created_at', 'desc')
    .limit(limit)
    .execute();
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

export async function insertOpportunity(
  trx: Transaction<DB>,
  values: { organisation_id: string; kind: OpportunityKind; title: string; description: string; rate_minor: number; currency: string; rate_basis: RateBasis; languages: string[]; deadline: string; created_by: string },
) {
  const { id } = await trx.insertInto('opportunities').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function setState(trx: Transaction<DB>, id: string, state: OpportunityState) {
  await trx.updateTable('opportunities').set({ state }).where('id', '=', id).execute();
}

// ---- applications -----------------------------------------------------------------------

export async function addApplication(trx: Transaction<DB>, id: string, personId: string, note: string) {
  const rows = await trx.insertInto('opportunity_applications').values({ opportunity_id: id, person_id: personId, note }).onConflict((oc) => oc.doNothing()).returning('person_id').execute();
  return rows.length > 0;
}

/** Only while still undecided: once the work is given, the application is part of its record. */
export async function removeApplication(trx: Transaction<DB>, id: string, personId: string) {
  const rows = await trx.deleteFrom('opportunity_applications').where('opportunity_id', '=', id).where('person_id', '=', personId).where('state', '=', 'applied').returning('person_id').execute();
  return rows.length > 0;
}

export async function application(db: Q, id: string, personId: string) {
  return db.selectFrom('opportunity_applications').select(['state', 'note', 'created_at']).where('opportunity_id', '=', id).where('person_id', '=', personId).executeTakeFirst();
}

/** Applicants, for the organisation that posted the work. */
export async function applications(db: Q, id: string) {
  return db
    .selectFrom('opportunity_applications as a')
    .innerJoin('people as pe', 'pe.id', 'a.person_id')
    .select(['a.person_id', 'a.note', 'a.state', 'a.created_at', sql<string>`coalesce(pe.pseudonym, pe.display_name)`.as('name')])
    .where('a.opportunity_id', '=', id)
    .orderBy('a.created_at')
    .execute();
}

/** The chosen applicant is awarded the work; everyone else learns they were not chosen. */
export async function award(trx: Transaction<DB>, id: string, personId: string) {
  await trx
    .updateTable('opportunity_applications')
    .set({ state: sql`case when person_id = ${personId} then 'awarded' else 'not_chosen' end` })
    .where('opportunity_id', '=', id)
    .execute();
}

export async function applicantContacts(db: Q, id: string) {
  return db
    .selectFrom('opportunity_applications as a')
    .innerJoin('people as pe', 'pe.id', 'a.person_id')
    .select(['pe.id', 'pe.email', 'pe.locale', 'a.state'])
    .where('a.opportunity_id', '=', id)
    .where('pe.status', '=', 'active')
    .execute();
}

export async function applicationsOf(db: Q, personId: string) {
  return db
    .selectFrom('opportunity_applications as a')
    .innerJoin('opportunities as w', 'w.id', 'a.opportunity_id')
    .innerJoin('organisations as o', 'o.id', 'w.organisation_id')
    .select(['w.id', 'w.title', 'w.deadline', 'a.state', 'o.name as organisation_name'])
    .where('a.person_id', '=', personId)
    .orderBy('a.created_at', 'desc')
    .execute();
}

// ---- who wants to hear of new work ------------------------------------------------------

export async function preferences(db: Q, personId: string) {
  return db.selectFrom('work_preferences').select(['notify', 'skills', 'languages']).where('person_id', '=', personId).executeTakeFirst();
}

export async function savePreferences(trx: Transaction<DB>, personId: string, p: { notify: boolean; skills: string[]; languages: string[] }) {
  await trx
    .insertInto('work_preferences')
    .values({ person_id: personId, ...p, updated_at: new Date() })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ ...p, updated_at: new Date() }))
    .execute();
}

/**
 * Participants who asked to hear of this kind of work, in one of its languages (any language
 * when the posting names none, or when they named none).
 */
export async function interested(db: Q, kind: OpportunityKind, languages: readonly string[]) {
  return db
    .selectFrom('work_preferences as w')
    .innerJoin('people as pe', 'pe.id', 'w.person_id')
    .select(['pe.email', 'pe.locale'])
    .where('w.notify', '=', true)
    .where('pe.status', '=', 'active')
    .where('pe.network_role', '=', 'participant')
    .where('pe.email', 'is not', null)
    .where(sql<boolean>`${kind} = any(w.skills)`)
    .where((eb) =>
      languages.length === 0
        ? eb.val(true)
        : eb.or([eb(sql`cardinality(w.languages)`, '=', 0), eb(sql`w.languages`, '&&', sql`${sql.val([...languages])}::text[]`)]),
    )
    .execute();
}
