import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

/** Every signature given to a statement (all versions, withdrawn ones too), oldest first. */
export async function signatureRows(db: Q, statementIds: readonly string[]) {
  if (statementIds.length === 0) return [];
  return db
    .selectFrom('statement_signatures as s')
    .leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .select([
      's.id',
      's.statement_id',
      's.version_number',
      's.content_sha256',
      's.organisation_id',
      'o.name as organisation_name',
      'o.slug as organisation_slug',
      's.appears_as',
      's.display_name',
      's.display_role',
      's.signed_at',
      's.withdrawn_at',
    ])
    .where('s.statement_id', 'in', statementIds)
    .orderBy('s.signed_at')
    .orderBy('s.id')
    .execute();
}
export type SignatureRow = Awaited<ReturnType<typeof signatureRows>>[number];
