import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export interface StoredImportRows {
  rows: { line: number; ewpName: string; cowCode: number; iso3: string | null; risk: number; rank: number | null }[];
  /** Best guess by name for each row whose COW code has no ISO mapping. */
  suggestions: Record<string, string | null>;
}

export async function insertImport(
  trx: Transaction<DB>,
  values: { sha256: string; filename: string; edition: string; first_year: number; last_year: number; data_year: number; rows: StoredImportRows; imported_by: string },
): Promise<string> {
  const { id } = await trx
    .insertInto('forecast_imports')
    .values({ ...values, rows: JSON.stringify(values.rows) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function findImport(db: Q, id: string) {
  const row = await db.selectFrom('forecast_imports').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { ...row, rows: row.rows as StoredImportRows, decisions: row.decisions as Record<string, string> | null } : undefined;
}

export async function lockImport(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('forecast_imports').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function listImports(db: Q) {
  return db
    .selectFrom('forecast_imports')
    .select(['id', 'filename', 'edition', 'first_year', 'last_year', 'status', 'changed_rows', 'created_at', 'committed_at'])
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
}

/** The decisions taken the last time this edition was committed, to offer them again. */
export async function previousDecisions(db: Q, edition: string): Promise<Record<string, string>> {
  const row = await db
    .selectFrom('forecast_imports')
    .select('decisions')
    .where('edition', '=', edition)
    .where('status', '=', 'committed')
    .orderBy('committed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (row?.decisions as Record<string, string> | null) ?? {};
}

export async function committedWithHash(db: Q, sha256: string) {
  return db
    .selectFrom('forecast_imports')
    .select(['id', 'committed_at'])
    .where('sha256', '=', sha256)
    .where('status', '=', 'committed')
    .orderBy('committed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function storedEdition(db: Q, edition: string) {
  return db.selectFrom('forecasts').select(['cow_code', 'ewp_name', 'country', 'risk', 'rank']).where('edition', '=', edition).execute();
}

export interface ForecastValues {
  edition: string;
  cow_code: number;
  ewp_name: string;
  country: string;
  risk: number;
  rank: number | null;
  first_year: number;
  last_year: number;
  import_id: string;
}

/**
 * Inserts new rows and updates those whose values differ; an identical row is left alone,
 * so importing the same file again changes nothing. Returns how many rows changed.
 */
export async function upsertForecasts(trx: Transaction<DB>, rows: ForecastValues[]): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const result = await trx
      .insertInto('forecasts')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) =>
        oc.columns(['edition', 'cow_code']).doUpdateSet({
          ewp_name: (eb) => eb.ref('excluded.ewp_name'),
          country: (eb) => eb.ref('excluded.country'),
          risk: (eb) => eb.ref('excluded.risk'),
          rank: (eb) => eb.ref('excluded.rank'),
          import_id: (eb) => eb.ref('excluded.import_id'),
        }).where(sql<boolean>`(forecasts.ewp_name, forecasts.country, forecasts.risk, forecasts.rank) is distinct from (excluded.ewp_name, excluded.country, excluded.risk, excluded.rank)`),
      )
      .executeTakeFirst();
    changed += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return changed;
}

/** Rows of an edition the new file no longer has (or the convener now leaves out). */
export async function deleteOthers(trx: Transaction<DB>, edition: string, keep: number[]): Promise<number> {
  let q = trx.deleteFrom('forecasts').where('edition', '=', edition);
  if (keep.length > 0) q = q.where('cow_code', 'not in', keep);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function markImport(trx: Transaction<DB>, id: string, values: { status: 'committed' | 'discarded'; decisions?: Record<string, string>; changed_rows?: number }) {
  await trx
    .updateTable('forecast_imports')
    .set({
      status: values.status,
      ...(values.decisions ? { decisions: JSON.stringify(values.decisions) } : {}),
      ...(values.changed_rows !== undefined ? { changed_rows: values.changed_rows, committed_at: new Date() } : {}),
    })
    .where('id', '=', id)
    .execute();
}
