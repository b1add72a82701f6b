import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

/**
 * The one ledger of what organisations owe community members, for consultations and for
 * work from the opportunities board alike: a payment belongs to one or the other.
 */
export type LedgerOf = { consultation_id: string } | { opportunity_id: string };

const ofColumn = (of: LedgerOf) => ('consultation_id' in of ? ({ column: 'consultation_id', id: of.consultation_id } as const) : ({ column: 'opportunity_id', id: of.opportunity_id } as const));

/** What this organisation still owes this person here: another organisation's debt is never corrected. */
export async function owedPayment(trx: Transaction<DB>, of: LedgerOf, organisationId: string, personId: string) {
  const { column, id } = ofColumn(of);
  return trx.selectFrom('payments').select(['id']).where(column, '=', id).where('organisation_id', '=', organisationId).where('person_id', '=', personId).where('status', '=', 'owed').executeTakeFirst();
}

/** The organisation that owes this payment of this consultation or work, if it is one. */
export async function owingOrganisation(db: Q, of: LedgerOf, paymentId: string): Promise<string | undefined> {
  const { column, id } = ofColumn(of);
  return (await db.selectFrom('payments').select('organisation_id').where('id', '=', paymentId).where(column, '=', id).executeTakeFirst())?.organisation_id;
}

export async function insertPayment(trx: Transaction<DB>, of: LedgerOf, p: { organisation_id: string; person_id: string; amount_minor: number; currency: string; created_by: string }) {
  const { id } = await trx
    .insertInto('payments')
    .values({ ...p, ...of })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateOwed(trx: Transaction<DB>, id: string, amount_minor: number, currency: string) {
  await trx.updateTable('payments').set({ amount_minor, currency }).where('id', '=', id).where('status', '=', 'owed').execute();
}

/** Only the organisation that owes it marks it paid. */
export async function markPaid(trx: Transaction<DB>, of: LedgerOf, paymentId: string, organisationId: string, paidOn: string, method: string) {
  const { column, id } = ofColumn(of);
  const rows = await trx
    .updateTable('payments')
    .set({ status: 'paid', paid_on: paidOn, method })
    .where('id', '=', paymentId)
    .where(column, '=', id)
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'owed')
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** A consultation's or an opportunity's payments, for its organisers. */
export async function paymentsOf(db: Q, of: LedgerOf) {
  const { column, id } = ofColumn(of);
  return db
    .selectFrom('payments as p')
    .leftJoin('people as pe', 'pe.id', 'p.person_id')
    .select(['p.id', 'p.person_id', 'p.amount_minor', 'p.currency', 'p.status', 'p.paid_on', 'p.method', 'p.created_at', sql<string | null>`coalesce(pe.pseudonym, pe.display_name)`.as('name')])
    .where(`p.${column}`, '=', id)
    .orderBy('p.created_at')
    .execute();
}
export type PaymentRow = Awaited<ReturnType<typeof paymentsOf>>[number];

export async function paymentsOfPerson(db: Q, personId: string) {
  return db
    .selectFrom('payments as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .leftJoin('consultations as c', 'c.id', 'p.consultation_id')
    .leftJoin('opportunities as w', 'w.id', 'p.opportunity_id')
    .select([
      'p.id',
      'p.amount_minor',
      'p.currency',
      'p.status',
      'p.paid_on',
      'p.created_at',
      'o.name as organisation_name',
      'c.title as consultation_title',
      'c.id as consultation_id',
      'w.title as opportunity_title',
      'w.id as opportunity_id',
    ])
    .where('p.person_id', '=', personId)
    .orderBy('p.created_at', 'desc')
    .execute();
}

/** Paid and owed per organisation and currency, for the public track record. */
export async function totalsByOrganisation(db: Q) {
  const rows = await db
    .selectFrom('payments')
    .select(['organisation_id', 'currency', sql<string>`coalesce(sum(amount_minor) filter (where status = 'paid'), 0)`.as('paid'), sql<string>`coalesce(sum(amount_minor) filter (where status = 'owed'), 0)`.as('owed')])
    .groupBy(['organisation_id', 'currency'])
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, currency: r.currency, paid: Number(r.paid), owed: Number(r.owed) }));
}

export async function findPayment(db: Q, id: string) {
  return db
    .selectFrom('payments as p')
    .leftJoin('consultations as c', 'c.id', 'p.consultation_id')
    .leftJoin('opportunities as w', 'w.id', 'p.opportunity_id')
    .select(['p.id', 'p.organisation_id', 'p.status', 'p.amount_minor', 'p.currency', 'p.reminded_at', 'p.consultation_id', 'p.opportunity_id', 'c.title as consultation_title', 'w.title as opportunity_title'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export async function markReminded(trx: Transaction<DB>, id: string): Promise<boolean> {
  const rows = await trx.updateTable('payments').set({ reminded_at: new Date() }).where('id', '=', id).where('status', '=', 'owed').where('reminded_at', 'is', null).returning('id').execute();
  return rows.length > 0;
}

/** Staff of an organisation who can be told by mail (payments due, consent withdrawn). */
export async function organisationContacts(db: Q, organisationId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('people as pe', 'pe.id', 'm.person_id')
    .select(['pe.email', 'pe.locale'])
    .where('m.organisation_id', '=', organisationId)
    .where('pe.status', '=', 'active')
    .where('pe.email', 'is not', null)
    .execute();
}
