import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { adminUrl, makeTemplate } from './template.ts';

export default async function setup(project: TestProject) {
  // Every temporary file of the run (test apps' data folders, the template, browser profiles,
  // the servers the tests start) in one folder of its own, removed at the end: a run used to
  // leave about 125 MB behind. The test workers and their child processes inherit TMPDIR.
  const runDir = mkdtempSync(join(tmpdir(), 'northstar-run-'));
  process.env.TMPDIR = runDir;
  const template = await makeTemplate();
  if (template.kind === 'pglite') {
    const file = join(tmpdir(), `northstar-template-${process.pid}.tar`);
    writeFileSync(file, Buffer.from(await template.dump.arrayBuffer()));
    project.provide('template', { kind: 'pglite', file });
  } else {
    project.provide('template', { kind: 'postgres', name: template.name });
  }
  return async () => {
    try {
      await dropDatabases();
    } finally {
      try {
        rmSync(runDir, { recursive: true, force: true, maxRetries: 5 });
      } catch (err) {
        console.warn(`could not remove ${runDir}: ${(err as Error).message}`);
      }
    }
  };
  async function dropDatabases() {
    if (template.kind === 'postgres' && adminUrl) {
      // Drop every database this run made.
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${template.name}%`]);
      for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`).catch(() => {});
      await admin.end();
    }
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    template: { kind: 'pglite'; file: string } | { kind: 'postgres'; name: string };
  }
}
