import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export async function listCommunities(db: Q) {
  return db
    .selectFrom('communities')
    .select(['id', 'name', 'description', 'languages'])
    .select((eb) => eb.selectFrom('community_members').select(eb.fn.countAll<number>().as('n')).whereRef('community_members.community_id', '=', 'communities.id').as('members'))
    .orderBy('name')
    .execute();
}

export async function findCommunity(db: Q, id: string) {
  return db.selectFrom('communities').select(['id', 'name', 'description', 'languages', 'created_by_org', 'created_at']).where('id', '=', id).executeTakeFirst();
}

export async function communitiesByIds(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('communities').select(['id', 'name']).where('id', 'in', [...ids]).orderBy('name').execute();
}

export async function nameTaken(db: Q, name: string): Promise<boolean> {
  const row = await db.selectFrom('communities').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase()).executeTakeFirst();
  return !!row;
}

export async function insertCommunity(
  trx: Transaction<DB>,
  c: { name: string; description: string; languages: string[]; created_by_org: string | null },
  dimensions: { label: string; groups: string[] }[],
): Promise<string> {
  const { id } = await trx.insertInto('communities').values(c).returning('id').executeTakeFirstOrThrow();
  for (const [i, d] of dimensions.entries()) {
    const dim = await trx.insertInto('community_dimensions').values({ community_id: id, label: d.label, position: i }).returning('id').executeTakeFirstOrThrow();
    await trx
      .insertInto('community_groups')
      .values(d.groups.map((label, position) => ({ dimension_id: dim.id, label, position })))
      .execute();
  }
  return id;
}

/** The community's dimensions, each with its groups, in the organisers' order. */
export async function dimensions(db: Q, communityIds: readonly string[]) {
  if (communityIds.length === 0) return [];
  const rows = await db
    .selectFrom('community_dimensions as d')
    .innerJoin('community_groups as g', 'g.dimension_id', 'd.id')
    .select(['d.id as dimension_id', 'd.community_id', 'd.label as dimension_label', 'd.position as dimension_position', 'g.id as group_id', 'g.label as group_label'])
    .where('d.community_id', 'in', [...communityIds])
    .orderBy('d.community_id')
    .orderBy('d.position')
    .orderBy('g.position')
    .execute();
  const out: { id: string; communityId: string; label: string; groups: { id: string; label: string }[] }[] = [];
  for (const r of rows) {
    let d = out.find((x) => x.id === r.dimension_id);
    if (!d) {
      d = { id: r.dimension_id, communityId: r.community_id, label: r.dimension_label, groups: [] };
      out.push(d);
    }
    d.groups.push({ id: r.group_id, label: r.group_label });
  }
  return out;
}

export async function isMember(db: Q, communityId: string, personId: string): Promise<boolean> {
  return !!(await db.selectFrom('community_members').select('person_id').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst());
}

export async function addMember(trx: Transaction<DB>, communityId: string, personId: string): Promise<boolean> {
  const rows = await trx.insertInto('community_members').values({ community_id: communityId, person_id: personId }).onConflict((oc) => oc.doNothing()).returning('person_id').execute();
  return rows.length > 0;
}

/** Leaving takes the self-descriptions with it (cascade): nothing stays behind. */
export async function removeMember(trx: Transaction<DB>, communityId: string, personId: string): Promise<boolean> {
  const rows = await trx.deleteFrom('community_members').where('community_id', '=', communityId).where('person_id', '=', personId).returning('person_id').execute();
  return rows.length > 0;
}

export async function ownAnswers(db: Q, communityId: string, personId: string) {
  const rows = await db.selectFrom('self_descriptions').select(['dimension_id', 'group_id']).where('community_id', '=', communityId).where('person_id', '=', personId).execute();
  return new Map(rows.map((r) => [r.dimension_id, r.group_id]));
}

export async function replaceAnswers(trx: Transaction<DB>, communityId: string, personId: string, answers: { dimension_id: string; group_id: string | null }[]) {
  await trx.deleteFrom('self_descriptions').where('community_id', '=', communityId).where('person_id', '=', personId).execute();
  if (answers.length === 0) return;
  await trx
    .insertInto('self_descriptions')
    .values(answers.map((a) => ({ ...a, community_id: communityId, person_id: personId })))
    .execute();
}

/** Answers of a consultation's participants who belong to the community, per person. */
export async function participantAnswers(db: Q, consultationId: string, communityId: string) {
  const rows = await db
    .selectFrom('consultation_participants as p')
    .innerJoin('community_members as m', (j) => j.onRef('m.person_id', '=', 'p.person_id').on('m.community_id', '=', communityId))
    .leftJoin('self_descriptions as s', (j) => j.onRef('s.person_id', '=', 'p.person_id').on('s.community_id', '=', communityId))
    .select(['p.person_id', 's.dimension_id', 's.group_id'])
    .where('p.consultation_id', '=', consultationId)
    .execute();
  const people = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const answers = people.get(r.person_id) ?? new Map<string, string>();
    if (r.dimension_id) answers.set(r.dimension_id, r.group_id ?? 'prefer_not');
    people.set(r.person_id, answers);
  }
  return [...people.values()];
}

/**
 * The fatigue view: consultations that asked this community to take part (opened), from a
 * moment on, with their organisations and how fast each closed its loop.
 */
export async function askedSince(db: Q, communityId: string, since: Date) {
  return db
    .selectFrom('consultations as c')
    .innerJoin('consultation_communities as cc', 'cc.consultation_id', 'c.id')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select(['c.id', 'c.title', 'c.state', 'c.opened_at', 'c.closed_at', 'c.loop_closed_at', 'o.name as organisation_name', 'o.slug as organisation_slug'])
    .where('cc.community_id', '=', communityId)
    .where('c.opened_at', 'is not', null)
    .where('c.opened_at', '>=', since)
    .orderBy('c.opened_at', 'desc')
    .execute();
}
