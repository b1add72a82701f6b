import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, PGLITE_OPTIONS, pgliteDatabase, postgresDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { Jobs } from '../src/platform/jobs/jobs.ts';
import { MAIL_JOB } from '../src/platform/mail/mail.ts';

/**
 * The same suite runs on the embedded database and on a PostgreSQL server
 * (TEST_DATABASE_URL, an admin connection). A migrated template, job queue included, is made
 * once per run; every test app gets its own copy, so tests never see each other's data.
 */
export const serverUrl = process.env.TEST_DATABASE_URL;

async function prepare(database: Database): Promise<void> {
  await migrate(database.db);
  const jobs = new Jobs(database, { work: false, pollingSeconds: 1, onError: () => {} });
  jobs.define(MAIL_JOB, async () => {});
  await jobs.start();
  await jobs.stop();
}

export async function makeTemplate(): Promise<{ kind: 'pglite'; dump: Blob } | { kind: 'postgres'; name: string }> {
  if (serverUrl) {
    const name = `northstar_tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const database = postgresDatabase(withDatabase(serverUrl, name), 2);
    await prepare(database);
    await database.close();
    return { kind: 'postgres', name };
  }
  const pglite = await PGlite.create(PGLITE_OPTIONS);
  const database = pgliteDatabase(pglite);
  await prepare(database);
  const dump = await pglite.dumpDataDir('none');
  await database.close();
  return { kind: 'pglite', dump };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.href;
}
