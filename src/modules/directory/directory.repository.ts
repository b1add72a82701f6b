import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { OrganisationStatus, OrgRole } from '../../db/schema.ts';
import { likeEscape } from '../../platform/search-text.ts';

/**
 * Who is reading decides what the database may match on: for the public, a field its
 * organisation marked members-only is treated as empty — in search, filters, counts and the
 * map alike — so nothing hidden can be inferred from what a query returns.
 */
export type Audience = 'public' | 'members';

export const LISTED_STATUSES: readonly OrganisationStatus[] = ['member', 'associate'];

export type ListField = 'countries' | 'activities' | 'stakeholders' | 'languages';
const FIELD_NAME: Record<ListField, string> = { countries: 'countries', activities: 'activities', stakeholders: 'stakeholders', languages: 'languages' };

export interface Filters {
  /** Already folded with foldForSearch. */
  q?: string | undefined;
  activity?: string | undefined;
  stakeholder?: string | undefined;
  country?: string | undefined;
  language?: string | undefined;
  diasporaLed?: boolean | undefined;
}
export type Dimension = 'activity' | 'stakeholder' | 'country' | 'language' | 'diasporaLed';

const hidden = (field: string) => sql<boolean>`(o.members_only @> array[${field}]::text[])`;

/** The list column as this audience may see it. */
function visibleList(audience: Audience, column: ListField): RawBuilder<string[]> {
  const ref = sql.ref(`o.${column}`);
  return audience === 'members' ? sql<string[]>`${ref}` : sql<string[]>`(case when ${hidden(FIELD_NAME[column])} then '{}'::text[] else ${ref} end)`;
}

function hasValue(audience: Audience, column: ListField, value: string): RawBuilder<boolean> {
  const contains = sql<boolean>`${sql.ref(`o.${column}`)} @> array[${value}]::text[]`;
  return audience === 'members' ? contains : sql<boolean>`(${contains} and not ${hidden(FIELD_NAME[column])})`;
}

function conditions(audience: Audience, f: Filters, except?: Dimension): RawBuilder<boolean>[] {
  const c: RawBuilder<boolean>[] = [sql<boolean>`o.status in ('member', 'associate')`];
  if (f.q) {
    const like = `%${likeEscape(f.q)}%`;
    const missionVisible = audience === 'members' ? sql<boolean>`true` : sql<boolean>`not ${hidden('mission')}`;
    // Substring in any script (Burmese has no spaces between words), trigram similarity for
    // misspelt names, and the mission where the reader may see it.
    c.push(sql<boolean>`(o.search_name ilike ${like} or ${f.q} <% o.search_name or (${missionVisible} and o.search_mission ilike ${like}))`);
  }
  if (f.activity && except !== 'activity') c.push(hasValue(audience, 'activities', f.activity));
  if (f.stakeholder && except !== 'stakeholder') c.push(hasValue(audience, 'stakeholders', f.stakeholder));
  if (f.country && except !== 'country') c.push(hasValue(audience, 'countries', f.country));
  if (f.language && except !== 'language') c.push(hasValue(audience, 'languages', f.language));
  if (f.diasporaLed !== undefined && except !== 'diasporaLed') {
    c.push(sql<boolean>`o.diaspora_led = ${f.diasporaLed}`);
    if (audience === 'public') c.push(sql<boolean>`not ${hidden('diasporaLed')}`);
  }
  return c;
}

const where = (conds: RawBuilder<boolean>[]) => sql.join(conds, sql` and `);

export interface OrganisationRow {
  id: string;
  slug: string;
  name: string;
  short_name: string | null;
  mission: string;
  website: string | null;
  year_founded: number | null;
  staff_size: string | null;
  countries: string[];
  activities: string[];
  stakeholders: string[];
  prevention_share: string | null;
  languages: string[];
  diaspora_led: boolean | null;
  contact_email: string | null;
  members_only: string[];
  status: OrganisationStatus;
  is_demo: boolean;
  created_at: Date;
  updated_at: Date;
}

const ORG_COLUMNS = sql.raw(
  'o.id, o.slug, o.name, o.short_name, o.mission, o.website, o.year_founded, o.staff_size, o.countries, o.activities, o.stakeholders, o.prevention_share, o.languages, o.diaspora_led, o.contact_email, o.members_only, o.status, o.is_demo, o.created_at, o.updated_at',
);

export async function search(db: Db, audience: Audience, f: Filters, limit: number, offset: number): Promise<{ total: number; rows: OrganisationRow[] }> {
  const order = f.q
    ? sql`(o.search_name ilike ${`${likeEscape(f.q)}%`}) desc, word_similarity(${f.q}, o.search_name) desc, o.name`
    : sql`o.name`;
  const { rows } = await sql<OrganisationRow & { total: number }>`
    select ${ORG_COLUMNS}, count(*) over () as total
    from organisations o
    where ${where(conditions(audience, f))}
    order by ${order}, o.id
    limit ${limit} offset ${offset}`.execute(db);
  if (rows.length === 0 && offset > 0) {
    const { rows: count } = await sql<{ n: number }>`select count(*) as n from organisations o where ${where(conditions(audience, f))}`.execute(db);
    return { total: Number(count[0]?.n ?? 0), rows: [] };
  }
  return { total: Number(rows[0]?.total ?? 0), rows: rows.map(({ total: _t, ...row }) => row) };
}

/**
 * How many organisations each filter value would give, given the other filters (so a reader
 * can see what choosing it would leave). One round trip: the text match is computed once.
 */
export async function facets(db: Db, audience: Audience, f: Filters): Promise<{ dimension: Dimension; value: string; n: number }[]> {
  const base = where(conditions(audience, { q: f.q }));
  const rest = (except: Dimension) => where(conditions(audience, { ...f, q: undefined }, except));
  const list = (dimension: Dimension, column: ListField) =>
    sql`select ${dimension}::text as dimension, v as value, count(*) as n from base o, unnest(${visibleList(audience, column)}) v where ${rest(dimension)} group by v`;
  const diaspora = sql`select 'diasporaLed'::text, case when o.diaspora_led then 'yes' else 'no' end, count(*) from base o
    where o.diaspora_led is not null ${audience === 'public' ? sql`and not ${hidden('diasporaLed')}` : sql``} and ${rest('diasporaLed')} group by 2`;
  const { rows } = await sql<{ dimension: Dimension; value: string; n: number }>`
    with base as materialized (select * from organisations o where ${base})
    ${list('activity', 'activities')}
    union all ${list('stakeholder', 'stakeholders')}
    union all ${list('country', 'countries')}
    union all ${list('language', 'languages')}
    union all ${diaspora}`.execute(db);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export async function findBySlug(db: Db, slug: string): Promise<OrganisationRow | undefined> {
  const { rows } = await sql<OrganisationRow>`select ${ORG_COLUMNS} from organisations o where o.slug = ${slug}`.execute(db);
  return rows[0];
}

export async function findById(db: Db, id: string): Promise<OrganisationRow | undefined> {
  const { rows } = await sql<OrganisationRow>`select ${ORG_COLUMNS} from organisations o where o.id = ${id}`.execute(db);
  return rows[0];
}

/** Organisations sharing countries or activities with this one, most overlap first. */
export async function related(db: Db, audience: Audience, id: string, countries: string[], activities: string[], limit = 5) {
  const c = visibleList(audience, 'countries');
  const a = visibleList(audience, 'activities');
  // The overlaps are computed once per candidate, then ranked.
  const { rows } = await sql<{ slug: string; name: string; shared_countries: string[]; shared_activities: string[] }>`
    select slug, name, shared_countries, shared_activities from (
      select o.slug, o.name,
        array(select unnest(${c}) intersect select unnest(${countries}::text[]) order by 1) as shared_countries,
        array(select unnest(${a}) intersect select unnest(${activities}::text[]) order by 1) as shared_activities
      from organisations o
      where o.status in ('member', 'associate') and o.id <> ${id}
        and (o.countries && ${countries}::text[] or o.activities && ${activities}::text[])
        and (${c} && ${countries}::text[] or ${a} && ${activities}::text[])
    ) overlap
    order by 2 * cardinality(shared_countries) + cardinality(shared_activities) desc, name
    limit ${limit}`.execute(db);
  return rows;
}

/** The activity × stakeholder matrix and the countries of focus, for the sector map. */
export async function matrixCounts(db: Db, audience: Audience) {
  const { rows } = await sql<{ activity: string; stakeholder: string; n: number }>`
    select a as activity, s as stakeholder, count(*) as n
    from organisations o, unnest(${visibleList(audience, 'activities')}) a, unnest(${visibleList(audience, 'stakeholders')}) s
    where o.status in ('member', 'associate') group by a, s`.execute(db);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export async function countryCounts(db: Db, audience: Audience) {
  const { rows } = await sql<{ country: string; n: number }>`
    select c as country, count(*) as n from organisations o, unnest(${visibleList(audience, 'countries')}) c
    where o.status in ('member', 'associate') group by c`.execute(db);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export async function countListed(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from organisations o where o.status in ('member', 'associate')`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

// ---- writes ---------------------------------------------------------------------------------

/** What a profile write stores: the row's profile columns and the folded search copies. */
export type OrganisationValues = Omit<OrganisationRow, 'id' | 'slug' | 'status' | 'is_demo' | 'created_at' | 'updated_at'> & {
  search_name: string;
  search_mission: string;
};

export async function slugTaken(db: Db, slug: string): Promise<boolean> {
  return Boolean(await db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirst());
}

export async function insertOrganisation(db: Db, values: OrganisationValues & { slug: string; status: OrganisationStatus; is_demo?: boolean }) {
  return db.insertInto('organisations').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function updateProfile(db: Db, id: string, values: OrganisationValues) {
  await db
    .updateTable('organisations')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function setStatus(db: Db, id: string, status: OrganisationStatus) {
  await db.updateTable('organisations').set({ status, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function addStatusHistory(
  db: Db,
  entry: { organisation_id: string; status: OrganisationStatus | 'applicant'; reason: string | null; actor_id: string | null; created_at?: Date },
) {
  await db.insertInto('organisation_status_history').values(entry).execute();
}

/**
 * Organisations in the network now whose first admission (as a member or an associate) falls in
 * (since, until], with the standing they were admitted with: a member that becomes an associate,
 * or comes back after leaving, is not new.
 */
export async function joinedBetween(db: Db, since: Date, until: Date, limit: number) {
  const { rows } = await sql<{ name: string; slug: string; status: 'member' | 'associate'; total: number }>`
    select o.name, o.slug, j.status, count(*) over () as total
    from organisations o
    join (select distinct on (organisation_id) organisation_id, status, created_at from organisation_status_history
          where status in ('member', 'associate') order by organisation_id, created_at, id) j on j.organisation_id = o.id
    where o.status in ('member', 'associate') and j.created_at > ${since} and j.created_at <= ${until}
    order by j.created_at desc, o.id
    limit ${limit}`.execute(db);
  return { rows: rows.map(({ total: _t, ...r }) => r), total: Number(rows[0]?.total ?? 0) };
}

export async function statusHistory(db: Db, organisationId: string) {
  return db
    .selectFrom('organisation_status_history as h')
    .leftJoin('people as p', 'p.id', 'h.actor_id')
    .select(['h.status', 'h.reason', 'h.created_at', 'p.display_name as actor_name'])
    .where('h.organisation_id', '=', organisationId)
    .orderBy('h.created_at')
    .orderBy('h.id')
    .execute();
}

/**
 * An organisation already in the network with (almost) the same name, or the same public website
 * (the answer goes to an anonymous applicant: a members-only website is never confirmed).
 */
export async function findSimilar(db: Db, name: string, websiteHost: string | null) {
  const host = sql<string>`lower(substring(o.website from '^https?://(?:www\\.)?([^/:?#]+)'))`;
  const { rows } = await sql<{ id: string; name: string; slug: string; reason: 'name' | 'website' }>`
    select o.id, o.name, o.slug, case when similarity(lower(o.name), lower(${name})) >= 0.8 then 'name' else 'website' end as reason
    from organisations o
    where o.status <> 'left' and (similarity(lower(o.name), lower(${name})) >= 0.8 ${websiteHost ? sql`or (${host} = ${websiteHost} and not ${hidden('website')})` : sql``})
    order by similarity(lower(o.name), lower(${name})) desc
    limit 1`.execute(db);
  return rows[0];
}

// ---- staff ----------------------------------------------------------------------------------

export async function staffOf(db: Db, organisationId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.display_name', 'p.email', 'p.status', 'm.role', 'm.created_at'])
    .where('m.organisation_id', '=', organisationId)
    .orderBy('p.display_name')
    .execute();
}

export async function openInvitationsFor(db: Db, organisationId: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'email', 'org_role', 'expires_at'])
    .where('organisation_id', '=', organisationId)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .execute();
}

export async function membershipRole(db: Db, personId: string, organisationId: string): Promise<OrgRole | undefined> {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('person_id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.role;
}

export async function removeMembership(db: Db, personId: string, organisationId: string): Promise<boolean> {
  const r = await db.deleteFrom('memberships').where('person_id', '=', personId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function countAdmins(db: Db, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'org_admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}


/** Many organisations at once (imports, generated benchmark data): one statement per batch. */
export async function insertOrganisations(db: Db, rows: (OrganisationValues & { slug: string; status: OrganisationStatus; is_demo?: boolean })[]) {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('organisations').values(rows.slice(i, i + 500)).execute();
}
