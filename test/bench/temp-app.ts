/** Benchmarks' throw-away apps: a fresh PGlite folder, or a fresh database on a server. */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Built, buildApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';

export const HOST = '127.0.0.1';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** A fresh database on the server (dropped afterwards), or a fresh PGlite folder. */
export async function withBenchApp<T>(adminUrl: string | undefined, extra: Record<string, string>, run: (built: Built) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'northstar-bench-'));
  let dbName: string | undefined;
  let databaseUrl: string | undefined;
  if (adminUrl) {
    dbName = `northstar_bench_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.href;
  }
  const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', JOBS: 'false', HOST, PUBLIC_URL: 'http://127.0.0.1', ...extra, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const built = await buildApp({ config: loadConfig(env) });
  try {
    return await run(built);
  } finally {
    await built.app.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (adminUrl && dbName) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
      await admin.end();
    }
  }
}
