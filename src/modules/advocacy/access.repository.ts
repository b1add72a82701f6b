import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export async function findStatement(db: Q, id: string) {
  return db.selectFrom('statements').selectAll().where('id', '=', id).executeTakeFirst();
}
export type StatementRow = NonNullable<Awaited<ReturnType<typeof findStatement>>>;

/** Locks the statement row for a change that depends on its state (sign, publish, send). */
export async function lockStatement(db: Transaction<DB>, id: string) {
  return db.selectFrom('statements').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function drafters(db: Q, statementId: string) {
  return db
    .selectFrom('statement_drafters as d')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select(['d.organisation_id', 'd.state', 'o.name', 'o.slug', 'd.created_at', 'd.answered_at'])
    .where('d.statement_id', '=', statementId)
    .orderBy('d.created_at')
    .execute();
}

export async function organisationStanding(db: Q, organisationId: string) {
  const row = await db.selectFrom('organisations').select('status').where('id', '=', organisationId).executeTakeFirst();
  return row?.status;
}

export async function acceptedSignatory(db: Q, organisationId: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisation_signatories')
    .select('state')
    .where('organisation_id', '=', organisationId)
    .where('person_id', '=', personId)
    .where('state', '=', 'accepted')
    .executeTakeFirst();
  return row !== undefined;
}
