import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Confidence, DB, ReviewKind, Sensitivity, SignState } from '../../db/schema.ts';
import { likeEscape } from '../../platform/search-text.ts';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Who is reading. `network`: staff of member organisations and the convener. Restricted
 * signs are read by the reporting organisation and the organisations it named, nobody else
 * (the convener included, unless their organisation was named).
 */
export interface Reader {
  network: boolean;
  organisationIds: readonly string[];
}

/** The one visibility rule, as SQL, for every path: pages, API, exports, feeds, counts, mail. */
export function visibleTo(reader: Reader, alias = 'warning_signs'): RawBuilder<boolean> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const parts: RawBuilder<unknown>[] = [sql`${col('sensitivity')} = 'public'`];
  if (reader.network) parts.push(sql`${col('sensitivity')} = 'network'`);
  if (reader.organisationIds.length > 0) {
    const ids = sql.join(reader.organisationIds.map((id) => sql`${id}::uuid`));
    parts.push(sql`${col('organisation_id')} in (${ids})`);
    parts.push(
      sql`(${col('sensitivity')} = 'restricted' and exists (select 1 from warning_sign_audience wsa where wsa.sign_id = ${col('id')} and wsa.organisation_id in (${ids})))`,
    );
  }
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}

export interface SignFilters {
  country?: string | undefined;
  factor?: string | undefined;
  state?: SignState | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

const SIGN_COLUMNS = [
  'warning_signs.id',
  'warning_signs.organisation_id',
  'warning_signs.country',
  'warning_signs.area',
  'warning_signs.observed_on',
  'warning_signs.reported_on',
  'warning_signs.framework_id',
  'warning_signs.factor_codes',
  'warning_signs.indicator_codes',
  'warning_signs.description',
  'warning_signs.confidence',
  'warning_signs.sensitivity',
  'warning_signs.language',
  'warning_signs.state',
  'warning_signs.verified_at',
  'warning_signs.created_at',
  'organisations.name as organisation_name',
  'organisations.slug as organisation_slug',
] as const;

function filtered(db: Q, reader: Reader, f: SignFilters) {
  let q = db.selectFrom('warning_signs').innerJoin('organisations', 'organisations.id', 'warning_signs.organisation_id').where(visibleTo(reader));
  if (f.country) q = q.where('warning_signs.country', '=', f.country);
  if (f.factor) q = q.where(sql<boolean>`${f.factor} = any(warning_signs.factor_codes)`);
  if (f.state) q = q.where('warning_signs.state', '=', f.state);
  if (f.from) q = q.where('warning_signs.observed_on', '>=', f.from);
  if (f.to) q = q.where('warning_signs.observed_on', '<=', f.to);
  if (f.q) q = q.where('warning_signs.description', 'ilike', `%${likeEscape(f.q)}%`);
  return q;
}

export type SignRow = Awaited<ReturnType<typeof listSigns>>[number];

export async function listSigns(db: Q, reader: Reader, f: SignFilters, limit: number, offset = 0) {
  return filtered(db, reader, f)
    .select([...SIGN_COLUMNS])
    .orderBy('warning_signs.observed_on', 'desc')
    .orderBy('warning_signs.created_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countSigns(db: Q, reader: Reader, f: SignFilters): Promise<number> {
  const row = await filtered(db, reader, f).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findSign(db: Q, reader: Reader, id: string) {
  return db
    .selectFrom('warning_signs')
    .innerJoin('organisations', 'organisations.id', 'warning_signs.organisation_id')
    .select([...SIGN_COLUMNS])
    .where('warning_signs.id', '=', id)
    .where(visibleTo(reader))
    .executeTakeFirst();
}

export async function signSources(db: Q, signId: string) {
  return db
    .selectFrom('warning_sign_sources')
    .leftJoin('documents', 'documents.id', 'warning_sign_sources.document_id')
    .select(['warning_sign_sources.url', 'warning_sign_sources.document_id', 'documents.filename', 'documents.size_bytes', 'documents.media_type'])
    .where('warning_sign_sources.sign_id', '=', signId)
    .orderBy('warning_sign_sources.position')
    .execute();
}

export async function signAudience(db: Q, signId: string) {
  return db
    .selectFrom('warning_sign_audience')
    .innerJoin('organisations', 'organisations.id', 'warning_sign_audience.organisation_id')
    .select(['organisations.id', 'organisations.name'])
    .where('warning_sign_audience.sign_id', '=', signId)
    .orderBy('organisations.name')
    .execute();
}

export async function signReviews(db: Q, signId: string) {
  return db
    .selectFrom('warning_sign_reviews')
    .leftJoin('organisations', 'organisations.id', 'warning_sign_reviews.organisation_id')
    .select([
      'warning_sign_reviews.id',
      'warning_sign_reviews.kind',
      'warning_sign_reviews.body',
      'warning_sign_reviews.organisation_id',
      'warning_sign_reviews.created_at',
      'organisations.name as organisation_name',
    ])
    .where('warning_sign_reviews.sign_id', '=', signId)
    .orderBy('warning_sign_reviews.created_at')
    .execute();
}

export async function findDocument(db: Q, signId: string, documentId: string) {
  return db
    .selectFrom('warning_sign_sources')
    .innerJoin('documents', 'documents.id', 'warning_sign_sources.document_id')
    .select(['documents.filename', 'documents.media_type', 'documents.content', 'documents.sha256'])
    .where('warning_sign_sources.sign_id', '=', signId)
    .where('documents.id', '=', documentId)
    .executeTakeFirst();
}

export interface NewSign {
  organisation_id: string;
  reported_by: string | null;
  country: string;
  area: string | null;
  observed_on: string;
  reported_on: string;
  framework_id: string;
  factor_codes: string[];
  indicator_codes: string[];
  description: string;
  confidence: Confidence;
  sensitivity: Sensitivity;
  language: string;
  is_demo?: boolean;
  state?: SignState;
}

export async function insertSign(trx: Transaction<DB>, sign: NewSign): Promise<string> {
  const { id } = await trx
    .insertInto('warning_signs')
    .values({ ...sign, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertAudience(trx: Transaction<DB>, signId: string, organisationIds: readonly string[]): Promise<void> {
  if (organisationIds.length === 0) return;
  await trx
    .insertInto('warning_sign_audience')
    .values(organisationIds.map((organisation_id) => ({ sign_id: signId, organisation_id })))
    .execute();
}

export async function insertDocument(
  trx: Transaction<DB>,
  doc: { filename: string; media_type: string; size_bytes: number; sha256: string; content: Buffer; uploaded_by: string | null },
): Promise<string> {
  const { id } = await trx.insertInto('documents').values(doc).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertSources(trx: Transaction<DB>, signId: string, sources: { url?: string; documentId?: string }[]): Promise<void> {
  if (sources.length === 0) return;
  await trx
    .insertInto('warning_sign_sources')
    .values(sources.map((s, position) => ({ sign_id: signId, position, url: s.url ?? null, document_id: s.documentId ?? null })))
    .execute();
}

export async function insertReview(
  trx: Transaction<DB>,
  review: { sign_id: string; organisation_id: string | null; person_id: string | null; kind: ReviewKind; body: string },
): Promise<void> {
  await trx.insertInto('warning_sign_reviews').values(review).execute();
}

/** Each organisation's latest stance (corroborate or dispute) on a sign, besides the reporter's. */
export async function stances(trx: Transaction<DB>, signId: string) {
  return trx
    .selectFrom('warning_sign_reviews')
    .select(['organisation_id', 'kind'])
    .distinctOn('organisation_id')
    .where('sign_id', '=', signId)
    .where('kind', 'in', ['corroborate', 'dispute'])
    .where('organisation_id', 'is not', null)
    .orderBy('organisation_id')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function lockSign(trx: Transaction<DB>, signId: string) {
  return trx.selectFrom('warning_signs').select(['id', 'organisation_id', 'state', 'verified_at']).where('id', '=', signId).forUpdate().executeTakeFirst();
}

export async function setState(trx: Transaction<DB>, signId: string, state: SignState, verifiedBy?: string): Promise<void> {
  await trx
    .updateTable('warning_signs')
    .set({ state, updated_at: new Date(), ...(verifiedBy ? { verified_by: verifiedBy, verified_at: new Date() } : {}) })
    .where('id', '=', signId)
    .execute();
}

/** Organisations a restricted sign may be shared with: current members and associates. */
export async function shareableOrganisations(db: Q) {
  return db.selectFrom('organisations').select(['id', 'name']).where('status', 'in', ['member', 'associate']).orderBy('name').execute();
}

export async function existingOrganisations(db: Q, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('organisations').select('id').where('id', 'in', ids).where('status', 'in', ['member', 'associate']).execute();
  return rows.map((r) => r.id);
}

/** Source links of many signs at once, for exports. */
export async function sourceLinks(db: Q, signIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < signIds.length; i += 1000) {
    const rows = await db
      .selectFrom('warning_sign_sources')
      .select(['sign_id', 'url'])
      .where('sign_id', 'in', signIds.slice(i, i + 1000))
      .where('url', 'is not', null)
      .orderBy('sign_id')
      .orderBy('position')
      .execute();
    for (const r of rows) out.set(r.sign_id, [...(out.get(r.sign_id) ?? []), r.url as string]);
  }
  return out;
}

/** Of these signs, those the reader may see, newest first (cited by statements, ADR 0019). */
export async function visibleSigns(db: Q, reader: Reader, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('warning_signs')
    .select(['id', 'observed_on', 'description', 'country'])
    .where('id', 'in', ids)
    .where(visibleTo(reader))
    .orderBy('observed_on', 'desc')
    .execute();
}
