import type { Db } from '../../db/database.ts';

export async function listAssociates(db: Db, limit = 500) {
  return db
    .selectFrom('associate_profiles as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['p.id', 'p.display_name', 'a.expertise', 'a.countries', 'a.languages', 'a.organisation', 'a.updated_at'])
    .where('p.status', '=', 'active')
    .where('p.network_role', '=', 'associate')
    .orderBy('p.display_name')
    .limit(limit)
    .execute();
}

export async function findProfile(db: Db, personId: string) {
  return db.selectFrom('associate_profiles').selectAll().where('person_id', '=', personId).executeTakeFirst();
}

export async function saveProfile(db: Db, p: { person_id: string; expertise: string; countries: string[]; languages: string[]; organisation: string | null }) {
  await db
    .insertInto('associate_profiles')
    .values({ ...p, updated_at: new Date() })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ ...p, updated_at: new Date() }))
    .execute();
}
