import { type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditLogTable, DB } from '../../db/schema.ts';

const AUDIT_LOCK = 7300001; // serialises appends so the chain never forks

export async function lastHash(trx: Transaction<DB>): Promise<string | undefined> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const row = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row?.hash;
}

export async function insert(
  trx: Transaction<DB>,
  row: Omit<Selectable<AuditLogTable>, 'seq'>,
): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
}

/** True when the newest entry is unkeyed: entries from before the chain was keyed, not yet sealed. */
export async function hasUnkeyedTail(trx: Transaction<DB>): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const row = await trx.selectFrom('audit_log').select('key_version').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row !== undefined && Number(row.key_version) === 0;
}

export async function page(db: Db, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function recent(db: Db, limit: number) {
  return db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit).execute();
}
