import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ResourceKind, ResourceVisibility, TextState } from '../../db/schema/library.ts';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Who is reading, as the database needs it: whether they are of the network (members and the
 * convener read network-only resources) and the organisations they are staff of (a resource
 * kept to named organisations, and the adding organisation's own).
 */
export interface Reader {
  network: boolean;
  organisations: readonly string[];
}

const orgArray = (ids: readonly string[]) => sql`${[...ids]}::uuid[]`;

/** The one rule of who reads a resource, in SQL (the service's `canRead` is the same rule). */
export function visibleTo(reader: Reader, alias = 'r'): RawBuilder<boolean> {
  const r = (column: string) => sql.ref(`${alias}.${column}`);
  const orgs = orgArray(reader.organisations);
  return sql<boolean>`(${r('visibility')} = 'public'
    ${reader.network ? sql`or ${r('visibility')} = 'network'` : sql``}
    or ${r('organisation_id')} = any(${orgs})
    or (${r('visibility')} = 'organisations' and exists (select 1 from library_resource_readers x where x.resource_id = ${r('id')} and x.organisation_id = any(${orgs}))))`;
}

// ---- writing ------------------------------------------------------------------------------------

export interface ResourceRow {
  kind: ResourceKind;
  title: string;
  summary: string;
  issued_on: string | null;
  language: string;
  licence: string;
  link: string | null;
  countries: string[];
  activities: string[];
  themes: string[];
  visibility: ResourceVisibility;
  content_warning: string | null;
}

export async function insertResource(trx: Transaction<DB>, row: ResourceRow & { organisation_id: string; created_by: string; work_id?: string | undefined }) {
  const { work_id, ...rest } = row;
  return trx
    .insertInto('library_resources')
    .values({ ...rest, ...(work_id ? { work_id } : {}), updated_at: new Date() })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
}

export async function updateResource(trx: Transaction<DB>, id: string, row: ResourceRow & { work_id?: string | undefined }) {
  const { work_id, ...rest } = row;
  await trx
    .updateTable('library_resources')
    .set({ ...rest, ...(work_id ? { work_id } : {}), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** A resource alone again: it leaves the work it was a translation in. */
export async function ownWork(trx: Transaction<DB>, id: string) {
  await trx.updateTable('library_resources').set({ work_id: sql`gen_random_uuid()` }).where('id', '=', id).execute();
}

export async function replaceAuthors(trx: Transaction<DB>, resourceId: string, authors: readonly ({ organisation_id: string; name: null } | { organisation_id: null; name: string })[]) {
  await trx.deleteFrom('library_authors').where('resource_id', '=', resourceId).execute();
  if (authors.length === 0) return;
  await trx
    .insertInto('library_authors')
    .values(authors.map((a, position) => ({ resource_id: resourceId, position, organisation_id: a.organisation_id, name: a.name })))
    .execute();
}

export async function replaceReaders(trx: Transaction<DB>, resourceId: string, organisationIds: readonly string[]) {
  await trx.deleteFrom('library_resource_readers').where('resource_id', '=', resourceId).execute();
  if (organisationIds.length === 0) return;
  await trx
    .insertInto('library_resource_readers')
    .values(organisationIds.map((organisation_id) => ({ resource_id: resourceId, organisation_id })))
    .execute();
}

export async function insertFile(trx: Transaction<DB>, row: { resource_id: string; filename: string; media_type: string; size: number; sha256: string; content: Buffer }) {
  await trx.deleteFrom('library_files').where('resource_id', '=', row.resource_id).execute();
  return (await trx.insertInto('library_files').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteFile(trx: Transaction<DB>, resourceId: string) {
  await trx.deleteFrom('library_files').where('resource_id', '=', resourceId).execute();
}

export async function setTextState(db: Q, resourceId: string, state: TextState) {
  await db.updateTable('library_resources').set({ text_state: state }).where('id', '=', resourceId).execute();
}

export async function setExtractedText(trx: Transaction<DB>, fileId: string, text: string | null) {
  await trx.updateTable('library_files').set({ extracted_text: text }).where('id', '=', fileId).execute();
}

/**
 * The search columns from the folded text (search.ts): stemmed words where the language has a
 * stemmer, then the words and trigrams made in JavaScript (a tsvector literal).
 */
export async function setSearch(
  db: Q,
  id: string,
  s: { folded: string; vector: string; stemmer: string | undefined; title: string; body: string; text: string },
) {
  const stemmed = s.stemmer
    ? sql`setweight(to_tsvector(${s.stemmer}::regconfig, ${s.title}), 'A') || setweight(to_tsvector(${s.stemmer}::regconfig, ${s.body}), 'B') || setweight(to_tsvector(${s.stemmer}::regconfig, ${s.text}), 'C')`
    : sql`''::tsvector`;
  // The rank vector is the title's and summary's part of it, small enough to stay in the row.
  await sql`update library_resources r set search_folded = ${s.folded}, search_vector = v.v, rank_vector = ts_filter(v.v, '{a,b}'), title_folded = ${s.title}
    from (select ${s.vector}::tsvector || ${stemmed} as v) v where r.id = ${id}`.execute(db);
}

export async function setFeatured(trx: Transaction<DB>, id: string, personId: string | null) {
  await trx
    .updateTable('library_resources')
    .set(personId ? { featured_at: new Date(), featured_by: personId } : { featured_at: null, featured_by: null })
    .where('id', '=', id)
    .execute();
}

export async function lockResource(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('library_resources').select(['id', 'organisation_id', 'featured_at', 'work_id', 'visibility']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function lockFile(trx: Transaction<DB>, fileId: string) {
  return trx.selectFrom('library_files').select('id').where('id', '=', fileId).forUpdate().executeTakeFirst();
}

export async function readersOf(db: Q, resourceId: string): Promise<string[]> {
  return (await db.selectFrom('library_resource_readers').select('organisation_id').where('resource_id', '=', resourceId).execute()).map((r) => r.organisation_id);
}

// ---- reading ------------------------------------------------------------------------------------

const RESOURCE_COLUMNS = [
  'r.id',
  'r.number',
  'r.kind',
  'r.title',
  'r.summary',
  'r.issued_on',
  'r.language',
  'r.work_id',
  'r.licence',
  'r.link',
  'r.countries',
  'r.activities',
  'r.themes',
  'r.visibility',
  'r.content_warning',
  'r.organisation_id',
  'r.featured_at',
  'r.text_state',
  'r.created_at',
  'r.updated_at',
  'o.name as organisation_name',
  'o.slug as organisation_slug',
] as const;

export async function findResource(db: Q, id: string) {
  return db
    .selectFrom('library_resources as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(RESOURCE_COLUMNS)
    .where('r.id', '=', id)
    .executeTakeFirst();
}
export type Resource = NonNullable<Awaited<ReturnType<typeof findResource>>>;

export async function findByNumber(db: Q, number: number) {
  return db.selectFrom('library_resources as r').select(['r.id', 'r.work_id', 'r.visibility', 'r.organisation_id']).where('r.number', '=', number).executeTakeFirst();
}

export async function resourceDetails(db: Q, id: string) {
  const [authors, readers, file] = await Promise.all([
    db
      .selectFrom('library_authors as a')
      .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['a.position', 'a.organisation_id', 'a.name', 'o.name as organisation_name', 'o.slug as organisation_slug'])
      .where('a.resource_id', '=', id)
      .orderBy('a.position')
      .execute(),
    db
      .selectFrom('library_resource_readers as x')
      .innerJoin('organisations as o', 'o.id', 'x.organisation_id')
      .select(['x.organisation_id', 'o.name'])
      .where('x.resource_id', '=', id)
      .orderBy('o.name')
      .execute(),
    db.selectFrom('library_files').select(['id', 'filename', 'media_type', 'size', 'sha256', 'created_at']).where('resource_id', '=', id).executeTakeFirst(),
  ]);
  return { authors, readers, file };
}

/** The other translations of a work that this reader may see. */
export async function translations(db: Q, workId: string, exceptId: string, reader: Reader) {
  return db
    .selectFrom('library_resources as r')
    .select(['r.id', 'r.number', 'r.title', 'r.language', 'r.visibility'])
    .where('r.work_id', '=', workId)
    .where('r.id', '<>', exceptId)
    .where(visibleTo(reader))
    .orderBy('r.language')
    .execute();
}

/** The names authors are searched by: organisations' names and the names as printed. */
export async function authorNames(db: Q, resourceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('library_authors as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(sql<string>`coalesce(a.name, o.name)`.as('name'))
    .where('a.resource_id', '=', resourceId)
    .orderBy('a.position')
    .execute();
  return rows.map((r) => r.name);
}

export async function fileContent(db: Q, resourceId: string) {
  return db.selectFrom('library_files').select(['id', 'filename', 'media_type', 'content']).where('resource_id', '=', resourceId).executeTakeFirst();
}

export async function fileForExtraction(db: Q, fileId: string) {
  return db.selectFrom('library_files').select(['id', 'resource_id', 'media_type', 'content']).where('id', '=', fileId).executeTakeFirst();
}

/** What the search columns are made from: the resource's own text and its file's. */
export async function searchSource(db: Q, resourceId: string) {
  return db
    .selectFrom('library_resources as r')
    .leftJoin('library_files as f', 'f.resource_id', 'r.id')
    .select(['r.title', 'r.summary', 'r.language', 'f.extracted_text'])
    .where('r.id', '=', resourceId)
    .executeTakeFirst();
}

/** Resource ids in id order after `after`: the index is rebuilt in batches. */
export async function resourceIdsAfter(db: Q, after: string | undefined, limit: number): Promise<string[]> {
  let q = db.selectFrom('library_resources').select('id').orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return (await q.execute()).map((r) => r.id);
}

/** Organisations that may be named as authors or readers: those listed in the directory. */
export async function organisationOptions(db: Q) {
  return db.selectFrom('organisations').select(['id', 'name']).where('status', 'in', ['member', 'associate']).orderBy('name').execute();
}

export async function knownOrganisations(db: Q, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('organisations').select('id').where('id', 'in', [...ids]).where('status', 'in', ['member', 'associate']).execute()).map((r) => r.id);
}

// ---- search -------------------------------------------------------------------------------------

export interface Filters {
  kind?: string | undefined;
  language?: string | undefined;
  country?: string | undefined;
  activity?: string | undefined;
  theme?: string | undefined;
  /** Added since the first of this month. */
  recent?: boolean | undefined;
}
export type Dimension = 'kind' | 'language' | 'country' | 'activity' | 'theme' | 'recent';

/**
 * A query made ready for SQL by the service: the full tsquery (every word, each by any of its
 * forms), and per word that may match through trigrams alone the literal of its other forms
 * and the folded word, so such a match is confirmed on the text.
 */
export interface TextMatch {
  query: string;
  confirm: { word: string; exact: string }[];
  /** Words ranked higher when in the title. */
  words: string[];
}

/**
 * The text match: the index finds every resource whose vector has each word by one of its forms
 * or by its trigrams; a resource found by a word's trigrams alone is kept only if the folded
 * word is in its folded text. Whether a resource has one of the word's forms is read from the
 * index too (a join on the ids the index gives for the forms), so the folded text, stored apart
 * and two kilobytes or more, is read only for resources that the forms did not find: for a
 * common word in a stemmed language, none of its thousands.
 */
function textMatch(m: TextMatch | undefined, alias = 'r'): { joins: RawBuilder<unknown>; conds: RawBuilder<boolean>[] } {
  if (!m) return { joins: sql``, conds: [] };
  const id = sql.ref(`${alias}.id`);
  const folded = sql.ref(`${alias}.search_folded`);
  const joins = m.confirm.map((c, i) => {
    const e = sql.raw(`exact_${i}`);
    return sql`left join (select x.id from library_resources x where x.search_vector @@ ${c.exact}::tsquery) ${e} on ${e}.id = ${id}`;
  });
  return {
    joins: sql.join(joins, sql` `),
    conds: [
      sql<boolean>`${sql.ref(`${alias}.search_vector`)} @@ ${m.query}::tsquery`,
      ...m.confirm.map((c, i) => sql<boolean>`(${sql.raw(`exact_${i}`)}.id is not null or strpos(${folded}, ${c.word}) > 0)`),
    ],
  };
}

/**
 * A text search runs with two planner settings of its own. The planner does not count reading a
 * vector stored apart (12 KB on average in the benchmark's library), so for a common word it
 * chose to read every row's vector (a sequential scan, ~0.5 s for 50,000 resources) over the
 * index; and its cost estimates then passed the threshold for compiling the query (JIT), which
 * took 45 to 60 ms of every such search and saved nothing. Both are set for the transaction only.
 */
async function withTextSettings<T>(db: Q, m: TextMatch | undefined, run: (q: Q) => Promise<T>): Promise<T> {
  if (!m) return run(db);
  const settings = async (trx: Transaction<DB>) => {
    await sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(trx);
    return run(trx);
  };
  // Inside a caller's transaction the settings would outlast the search: it runs as planned by default.
  return db.isTransaction ? run(db) : db.transaction().execute(settings);
}

function filterConditions(f: Filters, except?: Dimension, alias = 'r'): RawBuilder<boolean>[] {
  const r = (column: string) => sql.ref(`${alias}.${column}`);
  const c: RawBuilder<boolean>[] = [];
  if (f.kind && except !== 'kind') c.push(sql<boolean>`${r('kind')} = ${f.kind}`);
  if (f.language && except !== 'language') c.push(sql<boolean>`${r('language')} = ${f.language}`);
  if (f.country && except !== 'country') c.push(sql<boolean>`${r('countries')} @> array[${f.country}]::text[]`);
  if (f.activity && except !== 'activity') c.push(sql<boolean>`${r('activities')} @> array[${f.activity}]::text[]`);
  if (f.theme && except !== 'theme') c.push(sql<boolean>`${r('themes')} @> array[${f.theme}]::text[]`);
  if (f.recent && except !== 'recent') c.push(sql<boolean>`${r('created_at')} >= date_trunc('month', now())`);
  return c;
}

const and = (conds: RawBuilder<boolean>[]) => (conds.length === 0 ? sql<boolean>`true` : sql.join(conds, sql` and `));

/** Each word's stemmed forms in each configuration, as tsquery literals (one round trip). */
export async function stemmedForms(db: Q, words: readonly string[], configs: readonly string[]): Promise<string[][]> {
  if (words.length === 0) return [];
  const { rows } = await sql<{ i: number; q: string }>`
    select w.i, string_agg(distinct '(' || nullif(plainto_tsquery(c::regconfig, w.word)::text, '') || ')', ' | ') as q
    from unnest(${[...words]}::text[]) with ordinality as w(word, i), unnest(${[...configs]}::text[]) as c
    group by w.i`.execute(db);
  return words.map((_, i) => {
    const q = rows.find((r) => Number(r.i) === i + 1)?.q;
    return q ? [q] : [];
  });
}

export interface ResultRow {
  id: string;
  number: number;
  kind: ResourceKind;
  title: string;
  summary: string;
  issued_on: string | null;
  language: string;
  countries: string[];
  visibility: ResourceVisibility;
  content_warning: string | null;
  featured_at: Date | null;
  created_at: Date;
  organisation_name: string;
}

export async function search(db: Q, reader: Reader, m: TextMatch | undefined, f: Filters, limit: number, offset: number): Promise<{ total: number; rows: ResultRow[] }> {
  const text = textMatch(m);
  const conds = and([visibleTo(reader), ...text.conds, ...filterConditions(f)]);
  const titleBonus = m
    ? sql.join(
        m.words.map((w) => sql`(strpos(r.title_folded, ${w}) > 0)::int * 0.5`),
        sql` + `,
      )
    : sql`0`;
  // Ranked by the title's and summary's words (and a title containing the words), then the newest:
  // a word found only in a file's text ranks below one in a title or summary.
  // Ranked and counted on narrow rows (id, rank, date), and only the page's rows joined for what
  // the list shows: the window and the sort then never carry titles, summaries or vectors.
  return withTextSettings(db, m, async (q) => {
    const { rows } = await sql<ResultRow & { total: string | number }>`
      select r.id, r.number, r.kind, r.title, r.summary, r.issued_on, r.language, r.countries, r.visibility, r.content_warning, r.featured_at, r.created_at,
        o.name as organisation_name, c.total
      from (
        select m.id, m.rank, m.created_at, count(*) over () as total
        from (select r.id, r.created_at, ${m ? sql`ts_rank(r.rank_vector, ${m.query}::tsquery) + ${titleBonus}` : sql`0`} as rank from library_resources r ${text.joins} where ${conds}) m
        order by m.rank desc, m.created_at desc, m.id
        limit ${limit} offset ${offset}) c
      join library_resources r on r.id = c.id join organisations o on o.id = r.organisation_id
      order by c.rank desc, c.created_at desc, c.id`.execute(q);
    if (rows.length === 0 && offset > 0) {
      const { rows: count } = await sql<{ n: string }>`select count(*) as n from library_resources r ${text.joins} where ${conds}`.execute(q);
      return { total: Number(count[0]?.n ?? 0), rows: [] };
    }
    return { total: Number(rows[0]?.total ?? 0), rows: rows.map(({ total: _t, ...row }) => row) };
  });
}

/**
 * Where the passage of each result is looked for: its summary, and the part of its file's text
 * around the first place the first word appears (or the text's start).
 */
export async function passageSources(db: Q, ids: readonly string[], word: string | undefined): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  // Where the word is in the folded text (what matched), mapped by proportion onto the file's text:
  // folding changes lengths a little, so the window is wide and the passage is found in it.
  const at = word
    ? sql`case when strpos(r.search_folded, ${word}) > 0 then (strpos(r.search_folded, ${word})::float8 / greatest(length(r.search_folded), 1) * length(f.extracted_text))::int else 0 end`
    : sql`0`;
  const { rows } = await sql<{ id: string; summary: string; around: string | null }>`
    select r.id, r.summary,
      case when x.p > 0 then substring(f.extracted_text from greatest(1, x.p - 1500) for 3000) else left(f.extracted_text, 3000) end as around
    from library_resources r
    left join library_files f on f.resource_id = r.id
    cross join lateral (select coalesce(${at}, 0) as p) x
    where r.id = any(${[...ids]}::uuid[])`.execute(db);
  return new Map(rows.map((r) => [r.id, [r.summary, r.around ?? ''].filter(Boolean).join('\n')]));
}

export async function facets(db: Q, reader: Reader, m: TextMatch | undefined, f: Filters): Promise<{ dimension: Dimension; value: string; n: number }[]> {
  const text = textMatch(m);
  const base = and([visibleTo(reader), ...text.conds]);
  const rest = (except: Dimension) => and(filterConditions(f, except, 'b'));
  const { rows } = await withTextSettings(db, m, (q) => sql<{ dimension: Dimension; value: string; n: string }>`
    with base as materialized (select r.kind, r.language, r.countries, r.activities, r.themes, r.created_at from library_resources r ${text.joins} where ${base})
    select 'kind'::text as dimension, b.kind as value, count(*) as n from base b where ${rest('kind')} group by 2
    union all select 'language', b.language, count(*) from base b where ${rest('language')} group by 2
    union all select 'country', v, count(*) from base b, unnest(b.countries) v where ${rest('country')} group by 2
    union all select 'activity', v, count(*) from base b, unnest(b.activities) v where ${rest('activity')} group by 2
    union all select 'theme', v, count(*) from base b, unnest(b.themes) v where ${rest('theme')} group by 2
    union all select 'recent', 'month', count(*) from base b where ${rest('recent')} and b.created_at >= date_trunc('month', now())`.execute(q));
  return rows.map((r) => ({ dimension: r.dimension, value: r.value, n: Number(r.n) })).filter((r) => r.n > 0);
}

/** Featured resources this reader may see, newest featured first. */
export async function featured(db: Q, reader: Reader, limit: number) {
  return db
    .selectFrom('library_resources as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.number', 'r.kind', 'r.title', 'r.language', 'r.content_warning', 'o.name as organisation_name'])
    .where('r.featured_at', 'is not', null)
    .where(visibleTo(reader))
    .orderBy('r.featured_at', 'desc')
    .limit(limit)
    .execute();
}

/** The newest public resources, for the feed (nobody signed in reads it). */
export async function newestPublic(db: Q, limit: number) {
  return db
    .selectFrom('library_resources as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.number', 'r.kind', 'r.title', 'r.summary', 'r.language', 'r.countries', 'r.content_warning', 'r.created_at', 'r.updated_at', 'o.name as organisation_name', 'o.slug as organisation_slug'])
    .where('r.visibility', '=', 'public')
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function authorsOf(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('library_authors as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.resource_id', 'a.position', sql<string>`coalesce(a.name, o.name)`.as('name'), 'a.organisation_id', 'o.slug as organisation_slug'])
    .where('a.resource_id', 'in', [...ids])
    .orderBy('a.resource_id')
    .orderBy('a.position')
    .execute();
}

/** Resources added since a time that this reader may see, newest first, and how many in all. */
export async function newSince(db: Q, reader: Reader, since: Date, until: Date, limit: number) {
  const rows = await db
    .selectFrom('library_resources as r')
    .select(['r.id', 'r.title', 'r.language', 'r.content_warning', sql<number>`count(*) over ()`.as('total')])
    .where('r.created_at', '>', since)
    .where('r.created_at', '<=', until)
    .where(visibleTo(reader))
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute();
  return { rows, total: Number(rows[0]?.total ?? 0) };
}
