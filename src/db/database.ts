import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { setImmediate as nextTurn } from 'node:timers/promises';
import pg from 'pg';
import { lockDataDir } from './lock.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;

/** Contrib modules the schema uses: PGlite loads them at construction, a server has them installed. */
export const PGLITE_EXTENSIONS = { pg_trgm };

// Calendar dates (observed on, deadline) stay 'YYYY-MM-DD' strings: as a JavaScript Date they
// would be midnight in the server's time zone and could shift a day.
const DATE_OID = 1082;
export const PGLITE_OPTIONS = { extensions: PGLITE_EXTENSIONS, parsers: { [DATE_OID]: (v: string) => v } };

export interface SqlResult {
  rows: Record<string, unknown>[];
}

/** Run raw SQL (pg-boss needs this); on PGlite it waits its turn on the single session. */
export type ExecuteSql = (text: string, values?: unknown[]) => Promise<SqlResult>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  executeSql: ExecuteSql;
  close(): Promise<void>;
}

// int8 (bigint, count(*)) as JavaScript numbers: our counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(DATE_OID, (v) => v);

export function postgresDatabase(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    executeSql: async (text, values) => {
      const res = await pool.query(text, values as unknown[] | undefined);
      // a multi-statement text answers with one result per statement: pg-boss wants the last
      const last = Array.isArray(res) ? res[res.length - 1] : res;
      return { rows: last?.rows ?? [] };
    },
    close: () => db.destroy(),
  };
}

/**
 * PGlite runs in this process and answers without ever giving the event loop a turn: a job that
 * runs thousands of queries in a row (a weekly digest, an alert's fan-out) held every request,
 * timer and socket until it was done; the server stopped answering for minutes and mail sat
 * unsent. Each answer therefore waits one turn of the loop (setImmediate) before it is handed
 * back, so requests and sockets are served between one query and the next.
 */
function yieldingClient(pglite: PGlite): PGlite {
  const client = {
    query: async (text: string, params?: unknown[]) => {
      try {
        return await pglite.query(text, params);
      } finally {
        await nextTurn();
      }
    },
    close: () => pglite.close(),
  };
  // kysely-pglite-dialect (pinned in package.json) calls only query() and close().
  return client as unknown as PGlite;
}

export function pgliteDatabase(pglite: PGlite, release: () => void = () => {}): Database {
  const db = new Kysely<DB>({ dialect: new PGliteDialect(yieldingClient(pglite)) });
  return {
    db,
    kind: 'pglite',
    // Borrow Kysely's single connection so raw SQL never lands inside someone else's transaction.
    executeSql: (text, values) =>
      db.connection().execute(async () => {
        try {
          if (values && values.length > 0) {
            const r = await pglite.query<Record<string, unknown>>(text, values);
            return { rows: r.rows };
          }
          const results = await pglite.exec(text);
          return { rows: (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[] };
        } finally {
          await nextTurn();
        }
      }),
    close: async () => {
      // PGlite's runtime exits with status 0 when it closes, which sets process.exitCode: a
      // script that had already decided to exit 1 (audit:verify on a broken log) exited 0.
      const exitCode = process.exitCode;
      try {
        await db.destroy(); // closes the PGlite instance too
      } finally {
        process.exitCode = exitCode;
        release();
      }
    },
  };
}

export async function openEmbedded(dataDir: string): Promise<Database> {
  const release = lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(`${dataDir}/pgdata`, PGLITE_OPTIONS);
    return pgliteDatabase(pglite, release);
  } catch (err) {
    release();
    throw err;
  }
}

export async function openDatabase(config: {
  databaseUrl: string | undefined;
  dataDir: string;
  databasePoolSize: number;
}): Promise<Database> {
  if (config.databaseUrl) return postgresDatabase(config.databaseUrl, config.databasePoolSize);
  return openEmbedded(config.dataDir);
}

/** Executor for pg-boss inside a Kysely transaction, so a job commits with the write. */
export function transactionSql(trx: Db): ExecuteSql {
  return async (text, values) => {
    const r = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
    return { rows: r.rows as Record<string, unknown>[] };
  };
}
