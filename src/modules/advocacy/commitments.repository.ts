import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AnyRating, Rating } from './commitments.schemas.ts';

type Q = Kysely<DB> | Transaction<DB>;

/** A reply of one statement, with whom it came from: what a commitment is extracted from. */
export async function replyOf(db: Q, statementId: string, replyId: string) {
  return db
    .selectFrom('statement_replies as r')
    .innerJoin('statement_recipients as rc', 'rc.id', 'r.recipient_id')
    .leftJoin('advocacy_posts as p', 'p.id', 'rc.post_id')
    .leftJoin('advocacy_persons as pe', 'pe.id', 'rc.person_id')
    .select(['r.id', 'r.kind', 'r.body', 'r.received_on', 'r.published', 'rc.statement_id', 'rc.post_id', 'rc.person_id', 'p.label as post_label', 'pe.name as person_name'])
    .where('r.id', '=', replyId)
    .where('rc.statement_id', '=', statementId)
    .executeTakeFirst();
}
export type ReplyForCommitment = NonNullable<Awaited<ReturnType<typeof replyOf>>>;

/** The party a person belonged to on a day (a membership of a body classified as a party). */
export async function partyOn(db: Q, personId: string, day: string) {
  return db
    .selectFrom('advocacy_memberships as m')
    .innerJoin('advocacy_bodies as b', 'b.id', 'm.body_id')
    .select(['b.id', 'b.name'])
    .where('m.person_id', '=', personId)
    .where('m.post_id', 'is', null)
    .where('b.classification', '=', 'party')
    .where('m.start_date', '<=', day)
    .where((eb) => eb.or([eb('m.end_date', 'is', null), eb('m.end_date', '>=', day)]))
    .orderBy('m.start_date', 'desc')
    .executeTakeFirst();
}

export async function commitmentsOfReply(db: Q, replyId: string) {
  return db.selectFrom('commitments').select(['id', 'number', 'summary', 'rating']).where('reply_id', '=', replyId).orderBy('number').execute();
}

export async function insertCommitment(
  trx: Transaction<DB>,
  row: { reply_id: string; quote: string; summary: string; post_id: string | null; person_id: string | null; party_id: string | null; countries: string[]; organisation_id: string; created_by: string },
) {
  return trx.insertInto('commitments').values(row).returning(['id', 'number']).executeTakeFirstOrThrow();
}

export async function lockCommitment(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('commitments').select(['id', 'rating', 'rated_on', 'created_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertDocument(trx: Transaction<DB>, doc: { filename: string; media_type: string; size_bytes: number; sha256: string; content: Buffer; uploaded_by: string }) {
  return (await trx.insertInto('documents').values(doc).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertRating(
  trx: Transaction<DB>,
  row: { commitment_id: string; rating: Rating; evidence_url: string | null; document_id: string | null; note: string; rated_on: string; organisation_id: string; rated_by: string },
) {
  return (await trx.insertInto('commitment_ratings').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** The latest rating is copied onto the commitment, so the tracker filters on one column. */
export async function setCurrentRating(trx: Transaction<DB>, id: string, rating: AnyRating, ratedOn: string | null) {
  await trx.updateTable('commitments').set({ rating, rated_on: ratedOn }).where('id', '=', id).execute();
}

/** The latest rating by date (then by when it was recorded): ratings may be entered late. */
export async function latestRating(trx: Transaction<DB>, commitmentId: string) {
  return trx
    .selectFrom('commitment_ratings')
    .select(['rating', 'rated_on'])
    .where('commitment_id', '=', commitmentId)
    .orderBy('rated_on', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface CommitmentFilters {
  party?: string | undefined;
  post?: string | undefined;
  person?: string | undefined;
  country?: string | undefined;
  rating?: AnyRating | undefined;
}

/**
 * Only commitments whose reply is published, on a published statement, are ever public: the
 * owners may unpublish a reply, and its commitments leave the tracker with it.
 */
function publicCommitments(db: Q) {
  return db
    .selectFrom('commitments as c')
    .innerJoin('statement_replies as r', 'r.id', 'c.reply_id')
    .innerJoin('statement_recipients as rc', 'rc.id', 'r.recipient_id')
    .innerJoin('statements as s', 's.id', 'rc.statement_id')
    .where('r.published', '=', true)
    .where('s.state', '=', 'published');
}

function filtered(db: Q, f: CommitmentFilters, withRating = true) {
  let q = publicCommitments(db);
  if (f.party) q = q.where('c.party_id', '=', f.party);
  if (f.post) q = q.where('c.post_id', '=', f.post);
  if (f.person) q = q.where('c.person_id', '=', f.person);
  if (f.country) q = q.where(sql<boolean>`c.countries @> array[${f.country}]::text[]`);
  if (withRating && f.rating) q = q.where('c.rating', '=', f.rating);
  return q;
}

export async function listCommitments(db: Q, f: CommitmentFilters, limit: number, offset: number) {
  return filtered(db, f)
    .leftJoin('advocacy_posts as p', 'p.id', 'c.post_id')
    .leftJoin('advocacy_persons as pe', 'pe.id', 'c.person_id')
    .leftJoin('advocacy_bodies as b', 'b.id', 'c.party_id')
    .select([
      'c.id',
      'c.number',
      'c.summary',
      'c.quote',
      'c.countries',
      'c.rating',
      'c.rated_on',
      'c.created_at',
      'c.post_id',
      'p.label as post_label',
      'c.person_id',
      'pe.name as person_name',
      'c.party_id',
      'b.name as party_name',
      'rc.statement_id',
      'r.received_on',
    ])
    .orderBy('c.number', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
export type CommitmentListRow = Awaited<ReturnType<typeof listCommitments>>[number];

/** Counts per rating under every filter but the rating itself, so each count is a way to narrow. */
export async function ratingCounts(db: Q, f: CommitmentFilters): Promise<Map<string, number>> {
  const rows = await filtered(db, f, false)
    .select(['c.rating', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('c.rating')
    .execute();
  return new Map(rows.map((r) => [r.rating, Number(r.n)]));
}

export async function findCommitment(db: Q, id: string) {
  return publicCommitments(db)
    .leftJoin('advocacy_posts as p', 'p.id', 'c.post_id')
    .leftJoin('advocacy_persons as pe', 'pe.id', 'c.person_id')
    .leftJoin('advocacy_bodies as b', 'b.id', 'c.party_id')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select([
      'c.id',
      'c.number',
      'c.summary',
      'c.quote',
      'c.countries',
      'c.rating',
      'c.rated_on',
      'c.created_at',
      'c.post_id',
      'p.label as post_label',
      'c.person_id',
      'pe.name as person_name',
      'c.party_id',
      'b.name as party_name',
      'o.name as organisation_name',
      'o.slug as organisation_slug',
      'rc.statement_id',
      'r.id as reply_id',
      'r.received_on',
      'r.link as reply_link',
    ])
    .where('c.id', '=', id)
    .executeTakeFirst();
}
export type CommitmentRow = NonNullable<Awaited<ReturnType<typeof findCommitment>>>;

export async function ratingsOf(db: Q, commitmentIds: readonly string[]) {
  if (commitmentIds.length === 0) return [];
  return db
    .selectFrom('commitment_ratings as cr')
    .innerJoin('organisations as o', 'o.id', 'cr.organisation_id')
    .leftJoin('documents as d', 'd.id', 'cr.document_id')
    .select([
      'cr.id',
      'cr.commitment_id',
      'cr.rating',
      'cr.evidence_url',
      'cr.document_id',
      'd.filename as document_filename',
      'cr.note',
      'cr.rated_on',
      'cr.created_at',
      'o.name as organisation_name',
      'o.slug as organisation_slug',
    ])
    .where('cr.commitment_id', 'in', commitmentIds)
    .orderBy('cr.rated_on')
    .orderBy('cr.created_at')
    .execute();
}
export type RatingRow = Awaited<ReturnType<typeof ratingsOf>>[number];

export async function evidenceDocument(db: Q, commitmentId: string, ratingId: string) {
  return db
    .selectFrom('commitment_ratings as cr')
    .innerJoin('documents as d', 'd.id', 'cr.document_id')
    .select(['d.filename', 'd.media_type', 'd.content'])
    .where('cr.id', '=', ratingId)
    .where('cr.commitment_id', '=', commitmentId)
    .executeTakeFirst();
}

/** The title of a statement's published version, in its own language. */
export async function statementTitle(db: Q, statementId: string) {
  return db
    .selectFrom('statements as s')
    .innerJoin('statement_versions as v', (j) => j.onRef('v.statement_id', '=', 's.id').onRef('v.number', '=', 's.published_version'))
    .select(['v.title', 'v.language'])
    .where('s.id', '=', statementId)
    .executeTakeFirst();
}

/** What the filters name, to show them: parties with public commitments, and one post or person. */
export async function partiesWithCommitments(db: Q) {
  return publicCommitments(db)
    .innerJoin('advocacy_bodies as b', 'b.id', 'c.party_id')
    .select(['b.id', 'b.name'])
    .distinct()
    .orderBy('b.name')
    .execute();
}

export async function countriesWithCommitments(db: Q): Promise<string[]> {
  const rows = await publicCommitments(db)
    .select(sql<string>`unnest(c.countries)`.as('code'))
    .distinct()
    .execute();
  return rows.map((r) => r.code).sort();
}

export async function postLabel(db: Q, id: string) {
  return (await db.selectFrom('advocacy_posts').select('label').where('id', '=', id).executeTakeFirst())?.label;
}
export async function personName(db: Q, id: string) {
  return (await db.selectFrom('advocacy_persons').select('name').where('id', '=', id).executeTakeFirst())?.name;
}
export async function partyName(db: Q, id: string) {
  return (await db.selectFrom('advocacy_bodies').select('name').where('id', '=', id).executeTakeFirst())?.name;
}
