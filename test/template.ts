import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.tsx';
import { loadConfig } from '../src/config.ts';
import { type Database, PGLITE_OPTIONS, pgliteDatabase, postgresDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { Jobs } from '../src/platform/jobs/jobs.ts';
import { MAIL_JOB } from '../src/platform/mail/mail.ts';

/**
 * The same suite runs on the embedded database and on a PostgreSQL server. A migrated
 * template, job queue included, is made once per run; every test app gets its own copy
 * (CREATE DATABASE … TEMPLATE …), so tests never see each other's data.
 *
 * On a server, either one role does everything (TEST_DATABASE_URL, a role that may create
 * databases: the set-up of a developer machine), or, as in production and in CI, two:
 * TEST_DATABASE_MIGRATION_URL is the owner role (CREATEDB), which makes the databases, runs the
 * migrations and owns every table; TEST_DATABASE_URL is the application role, which owns
 * nothing and is what the test apps work as.
 */
export const serverUrl = process.env.TEST_DATABASE_URL;
/** The owner role's URL when the roles are split. */
export const ownerUrl = process.env.TEST_DATABASE_MIGRATION_URL || undefined;
/** The connection that creates and drops the test databases. */
export const adminUrl = ownerUrl ?? serverUrl;

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
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    if (ownerUrl) {
      // The production path: the owner migrates, creates the queues and grants; the
      // application role connects and owns nothing.
      const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'northstar-tpl-')), SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789', JOBS: 'false', LOG_LEVEL: 'silent' });
      const { app } = await buildApp({
        config,
        database: postgresDatabase(withDatabase(serverUrl, name), 2),
        migrationDatabase: postgresDatabase(withDatabase(ownerUrl, name), 2),
      });
      await app.close();
      return { kind: 'postgres', name };
    }
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
