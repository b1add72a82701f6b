import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * Two roles on a PostgreSQL server (ADR 0009, docs/operations.md): an owner role runs the
 * migrations and owns every table; the application works as a role that owns nothing and holds
 * only what it needs. Above all it may only add to and read the audit log: it cannot update,
 * delete or truncate entries, and, not being the owner, cannot ALTER the table (disable its
 * triggers) or DROP them.
 */

/** The role a connection works as. */
export async function currentRole(db: Db): Promise<string> {
  const { rows } = await sql<{ role: string }>`select current_user as role`.execute(db);
  return rows[0]!.role;
}

/**
 * Run as the owner after migrations (and again once the job queue's schema exists): grants the
 * application role what it needs on everything there now, and on what the owner creates later
 * (default privileges), so that a queue table pg-boss adds is usable at once. Idempotent.
 */
export async function grantApplicationRole(db: Db, appRole: string): Promise<void> {
  // One transaction: instances already running never see the audit log's rights between the
  // revoke and the grant; the lock keeps two instances starting at once from granting side by
  // side (PostgreSQL answers concurrent GRANTs on one object with "tuple concurrently updated").
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${GRANT_LOCK})`.execute(trx);
    await grantAll(trx, appRole);
  });
}

const GRANT_LOCK = 7300002;

async function grantAll(db: Db, appRole: string): Promise<void> {
  const app = sql.id(appRole);
  const statements = [
    sql`grant usage on schema public to ${app}`,
    sql`grant select, insert, update, delete on all tables in schema public to ${app}`,
    sql`grant usage, select on all sequences in schema public to ${app}`,
    sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${app}`,
    sql`alter default privileges in schema public grant usage, select on sequences to ${app}`,
    // The audit log: add and read, nothing else. The migrations' own bookkeeping: read only.
    sql`revoke all on audit_log from ${app}`,
    sql`grant select, insert on audit_log to ${app}`,
    sql`revoke insert, update, delete, truncate on kysely_migration, kysely_migration_lock from ${app}`,
  ];
  for (const statement of statements) await statement.execute(db);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = 'pgboss'`.execute(db);
  if (rows[0]?.n) {
    // pg-boss: the owner creates its schema and one table per queue; the application only
    // moves jobs through them (insert, fetch, complete, archive, delete old ones).
    for (const statement of [
      sql`grant usage on schema pgboss to ${app}`,
      sql`grant select, insert, update, delete on all tables in schema pgboss to ${app}`,
      sql`grant usage, select on all sequences in schema pgboss to ${app}`,
      sql`grant execute on all functions in schema pgboss to ${app}`,
      sql`alter default privileges in schema pgboss grant select, insert, update, delete on tables to ${app}`,
      sql`alter default privileges in schema pgboss grant usage, select on sequences to ${app}`,
    ]) {
      await statement.execute(db);
    }
  }
}
