import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, MediaConsent } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * People an organisation already works with: those who took part in its consultations or
 * applied for its work. Only they can be put forward, so staff never browse all participants.
 */
export async function knownPeople(db: Q, organisationIds: readonly string[]) {
  return db
    .selectFrom('people as pe')
    .select(['pe.id', sql<string>`coalesce(pe.pseudonym, pe.display_name)`.as('name')])
    .where('pe.status', '=', 'active')
    .where('pe.network_role', '=', 'participant')
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('consultation_participants as cp')
            .innerJoin('consultations as c', 'c.id', 'cp.consultation_id')
            .select('cp.person_id')
            .whereRef('cp.person_id', '=', 'pe.id')
            .where('c.organisation_id', 'in', [...organisationIds]),
        ),
        eb.exists(
          eb
            .selectFrom('opportunity_applications as a')
            .innerJoin('opportunities as w', 'w.id', 'a.opportunity_id')
            .select('a.person_id')
            .whereRef('a.person_id', '=', 'pe.id')
            .where('w.organisation_id', 'in', [...organisationIds]),
        ),
      ]),
    )
    .orderBy('name')
    .limit(500)
    .execute();
}

export async function insertRequest(
  trx: Transaction<DB>,
  values: { organisation_id: string; person_id: string; outlet: string; topic: string; training_offered: string; support_offered: string; created_by: string },
) {
  const { id } = await trx.insertInto('media_requests').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function requestsOfOrganisation(db: Q, organisationIds: readonly string[]) {
  return db
    .selectFrom('media_requests as r')
    .innerJoin('people as pe', 'pe.id', 'r.person_id')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.outlet', 'r.topic', 'r.training_offered', 'r.support_offered', 'r.consent', 'r.answered_at', 'r.created_at', 'o.name as organisation_name', sql<string>`coalesce(pe.pseudonym, pe.display_name)`.as('name')])
    .where('r.organisation_id', 'in', [...organisationIds])
    .orderBy('r.created_at', 'desc')
    .limit(200)
    .execute();
}

export async function requestsOfPerson(db: Q, personId: string) {
  return db
    .selectFrom('media_requests as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.outlet', 'r.topic', 'r.training_offered', 'r.support_offered', 'r.consent', 'r.answered_at', 'r.created_at', 'o.name as organisation_name'])
    .where('r.person_id', '=', personId)
    .orderBy('r.created_at', 'desc')
    .execute();
}

export async function findRequest(db: Q, id: string) {
  return db
    .selectFrom('media_requests as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.organisation_id', 'r.person_id', 'r.outlet', 'r.topic', 'r.consent', 'o.name as organisation_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
}

/** Moves the consent from one of `from` to `to`; false when it was no longer in `from`. */
export async function setConsent(trx: Transaction<DB>, id: string, personId: string, from: readonly MediaConsent[], to: MediaConsent) {
  const rows = await trx
    .updateTable('media_requests')
    .set({ consent: to, answered_at: new Date() })
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .where('consent', 'in', [...from])
    .returning('id')
    .execute();
  return rows.length > 0;
}

export async function personContact(db: Q, personId: string) {
  return db.selectFrom('people').select(['email', 'locale']).where('id', '=', personId).where('status', '=', 'active').executeTakeFirst();
}
