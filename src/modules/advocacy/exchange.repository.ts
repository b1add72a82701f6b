import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Published statements only, as anyone may read them: the feed, the API and the JSON-LD are
 * built from these queries and nothing else, so no draft, comment or decline reason can reach them.
 */
function published(db: Q) {
  return db
    .selectFrom('statements as s')
    .innerJoin('statement_versions as v', (j) => j.onRef('v.statement_id', '=', 's.id').onRef('v.number', '=', 's.published_version'))
    .where('s.state', '=', 'published');
}

const COLUMNS = [
  's.id',
  's.number',
  's.kind',
  's.countries',
  's.published_at',
  's.published_version',
  's.sent_at',
  'v.language',
  'v.title',
  'v.summary',
  'v.body',
  'v.asks',
  'v.content_sha256',
  'v.note',
  'v.published_at as version_published_at',
] as const;

export async function publishedStatements(db: Q, limit: number, offset: number) {
  return published(db).select(COLUMNS).orderBy('s.published_at', 'desc').orderBy('s.number', 'desc').limit(limit).offset(offset).execute();
}
export type PublishedStatement = Awaited<ReturnType<typeof publishedStatements>>[number];

export async function countPublished(db: Q): Promise<number> {
  const row = await published(db).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function publishedStatement(db: Q, id: string) {
  return published(db).select(COLUMNS).where('s.id', '=', id).executeTakeFirst();
}

/** Every published version of a statement (earlier ones, corrections and translations). */
export async function publishedVersions(db: Q, statementId: string) {
  return db
    .selectFrom('statement_versions')
    .select(['number', 'language', 'title', 'summary', 'body', 'asks', 'content_sha256', 'note', 'translation_of', 'published_at'])
    .where('statement_id', '=', statementId)
    .where('published_at', 'is not', null)
    .orderBy('number')
    .execute();
}

/** Who a statement went to: the post and the person it reached. Never an address. */
export async function sentRecipients(db: Q, statementId: string) {
  return db
    .selectFrom('statement_recipients as rc')
    .leftJoin('advocacy_posts as p', 'p.id', 'rc.post_id')
    .leftJoin('advocacy_persons as pe', 'pe.id', 'rc.person_id')
    .select(['rc.id', 'rc.post_id', 'p.label as post_label', 'rc.person_id', 'pe.name as person_name', 'rc.channel', 'rc.sent_at', 'rc.delivered_at'])
    .where('rc.statement_id', '=', statementId)
    .where((eb) => eb.or([eb('rc.sent_at', 'is not', null), eb('rc.delivered_at', 'is not', null)]))
    .orderBy('p.label')
    .orderBy('pe.name')
    .execute();
}

export async function publishedReplies(db: Q, statementId: string) {
  return db
    .selectFrom('statement_replies as r')
    .innerJoin('statement_recipients as rc', 'rc.id', 'r.recipient_id')
    .select(['r.id', 'r.recipient_id', 'r.kind', 'r.body', 'r.received_on', 'r.link'])
    .where('rc.statement_id', '=', statementId)
    .where('r.published', '=', true)
    .orderBy('r.received_on')
    .execute();
}
