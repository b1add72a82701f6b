import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Built } from '../src/app.tsx';
import { loadConfig } from '../src/config.ts';
import { type Db, openEmbedded, postgresDatabase } from '../src/db/database.ts';
import { auditKey, digest, GENESIS, sealUnkeyedEntries, verifyChain } from '../src/platform/audit/audit.service.ts';
import { Agent, buildTestApp, createPerson, TEST_SECRET, type TestApp } from './helpers.ts';
import { ownerUrl, serverUrl, withDatabase } from './template.ts';

/**
 * The audit log as an attacker with database rights would meet it: `npm run audit:verify` is
 * run as a subprocess, as an operator runs it, on a real data folder (embedded) or database
 * (server), after the log was changed behind the application's back. Tampering uses the
 * database's owner (embedded: its only role, a superuser), which the application role is not.
 */

interface Target {
  /** The environment audit:verify runs with. */
  env: Record<string, string>;
  headFile: string;
  /** Changes the log as its owner would, with the application stopped where it must be. */
  tamper(change: (db: Db) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

async function writeEntries(built: Built): Promise<void> {
  for (let i = 0; i < 4; i++) await new Agent(built).signIn(await createPerson(built, 'member'));
}

/** The owner's change with the append-only triggers switched off, as only an owner can. */
async function withTriggersOff(db: Db, change: (db: Db) => Promise<void>): Promise<void> {
  await sql`alter table audit_log disable trigger user`.execute(db);
  try {
    await change(db);
  } finally {
    await sql`alter table audit_log enable trigger user`.execute(db);
  }
}

async function entries(db: Db) {
  return db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
}

async function runVerify(target: Target): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['--import', 'tsx', 'scripts/audit-verify.ts'], {
      env: { ...process.env, NODE_ENV: '', SECRET_KEY: TEST_SECRET, DATABASE_MIGRATION_URL: '', ...target.env, AUDIT_HEAD_FILE: target.headFile },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Embedded: one data folder with entries, made once by the real start-up path and copied for
// each test (the folder is closed, so a copy is consistent).
let pristine = '';
const cleanup: string[] = [];

async function embeddedTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'northstar-audit-'));
  cleanup.push(dir);
  cpSync(pristine, dir, { recursive: true });
  return {
    env: { DATA_DIR: dir, DATABASE_URL: '' },
    headFile: join(dir, 'audit-head.json'),
    async tamper(change) {
      const database = await openEmbedded(dir);
      try {
        await change(database.db);
      } finally {
        await database.close();
      }
    },
    close: async () => {},
  };
}

async function serverTarget(): Promise<Target> {
  const t: TestApp = await buildTestApp();
  await writeEntries(t);
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.platform.db);
  const name = rows[0]!.name;
  const dir = mkdtempSync(join(tmpdir(), 'northstar-audit-'));
  cleanup.push(dir);
  return {
    env: {
      DATA_DIR: dir,
      DATABASE_URL: withDatabase(serverUrl!, name),
      DATABASE_MIGRATION_URL: ownerUrl ? withDatabase(ownerUrl, name) : '',
    },
    headFile: join(dir, 'audit-head.json'),
    async tamper(change) {
      const owner = postgresDatabase(withDatabase(ownerUrl ?? serverUrl!, name), 1);
      try {
        await change(owner.db);
      } finally {
        await owner.close();
      }
    },
    close: () => t.close(),
  };
}

const newTarget = () => (serverUrl ? serverTarget() : embeddedTarget());

beforeAll(async () => {
  if (serverUrl) return;
  pristine = mkdtempSync(join(tmpdir(), 'northstar-audit-pristine-'));
  cleanup.push(pristine);
  const config = loadConfig({ DATA_DIR: pristine, SECRET_KEY: TEST_SECRET, JOBS: 'false', LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
  const built = await buildApp({ config });
  await writeEntries(built);
  await built.app.close();
}, 120_000);
afterAll(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

describe(`npm run audit:verify on ${serverUrl ? 'a PostgreSQL server' : 'an embedded data folder'}`, () => {
  it('exits 0 and records the head outside the database when intact; exits 1 and says BROKEN when an entry was changed', async () => {
    const target = await newTarget();
    try {
      const intact = await runVerify(target);
      expect(intact.stdout).toMatch(/Audit log intact: \d+ entries verified/);
      expect(intact.code).toBe(0);
      const head = JSON.parse(readFileSync(target.headFile, 'utf8'));
      const count = Number(/intact: (\d+) entries/.exec(intact.stdout)![1]);
      expect(count).toBeGreaterThanOrEqual(4);
      expect(head.count).toBe(count);

      let changed = 0;
      await target.tamper((db) =>
        withTriggersOff(db, async (db) => {
          changed = Number((await entries(db))[2]!.seq);
          await sql`update audit_log set action = 'person.nothingToSeeHere' where seq = ${changed}`.execute(db);
        }),
      );
      const broken = await runVerify(target);
      expect(broken.stdout).toContain(`Audit log BROKEN at entry ${changed}: its content does not match its hash`);
      expect(broken.code).toBe(1);
    } finally {
      await target.close();
    }
  }, 120_000);

  it('detects a consistent rewrite made without the key (the chain recomputed with plain hashes), even with no head recorded', async () => {
    const target = await newTarget();
    try {
      await target.tamper((db) =>
        withTriggersOff(db, async (db) => {
          let prev = GENESIS;
          for (const [i, row] of (await entries(db)).entries()) {
            const action = i === 1 ? 'person.nothingToSeeHere' : row.action;
            const hash = digest(0, undefined, prev, { ...row, action, at: new Date(row.at) });
            await sql`update audit_log set action = ${action}, key_version = 0, prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`.execute(db);
            prev = hash;
          }
        }),
      );
      expect(existsSync(target.headFile)).toBe(false);
      const broken = await runVerify(target);
      expect(broken.stdout).toMatch(/Audit log BROKEN at entry \d+: it is not keyed/);
      expect(broken.code).toBe(1);
    } finally {
      await target.close();
    }
  }, 120_000);

  it('detects a cut tail against the head of the previous verification, though the rest of the chain is consistent', async () => {
    const target = await newTarget();
    try {
      expect((await runVerify(target)).code).toBe(0);
      await target.tamper(async (db) => {
        await withTriggersOff(db, async (db) => {
          const last = (await entries(db)).slice(-2).map((r) => r.seq);
          await sql`delete from audit_log where seq in (${sql.join(last)})`.execute(db);
        });
        expect((await verifyChain(db, TEST_SECRET)).ok).toBe(true); // consistent without the head
      });
      const broken = await runVerify(target);
      expect(broken.stdout).toMatch(/Audit log BROKEN at entry \d+: the log ends before it/);
      expect(broken.code).toBe(1);
    } finally {
      await target.close();
    }
  }, 120_000);

  it('detects a rewrite by someone holding the key against the head of the previous verification', async () => {
    const target = await newTarget();
    try {
      expect((await runVerify(target)).code).toBe(0);
      await target.tamper((db) =>
        withTriggersOff(db, async (db) => {
          const last = (await entries(db)).at(-1)!;
          const hash = digest(1, auditKey(TEST_SECRET), last.prev_hash, { ...last, action: 'person.nothingToSeeHere', at: new Date(last.at) });
          await sql`update audit_log set action = 'person.nothingToSeeHere', hash = ${hash} where seq = ${last.seq}`.execute(db);
        }),
      );
      const broken = await runVerify(target);
      expect(broken.stdout).toMatch(/Audit log BROKEN at entry \d+: its hash differs from the one an earlier verification recorded/);
      expect(broken.code).toBe(1);
    } finally {
      await target.close();
    }
  }, 120_000);
});

describe('entries from before the chain was keyed', () => {
  it('verify as a prefix once a keyed entry seals them; an unkeyed entry after a keyed one is a forgery', async () => {
    const t = await buildTestApp();
    try {
      // Two entries as the unkeyed code wrote them before the upgrade.
      let prev = GENESIS;
      for (const action of ['person.create', 'session.create']) {
        const row = { at: new Date(), actor_id: null, action, record_type: 'person', record_id: null };
        const hash = digest(0, undefined, prev, row);
        await t.platform.db.insertInto('audit_log').values({ ...row, prev_hash: prev, hash, key_version: 0 }).execute();
        prev = hash;
      }
      expect(await verifyChain(t.platform.db, TEST_SECRET)).toMatchObject({ ok: false, firstBroken: { reason: 'unkeyed' } });
      await sealUnkeyedEntries(t.platform.db);
      const rows = await entries(t.platform.db);
      expect(rows.map((r) => [r.action, r.key_version])).toEqual([
        ['person.create', 0],
        ['session.create', 0],
        ['audit.keyed', 1],
      ]);
      expect(await verifyChain(t.platform.db, TEST_SECRET)).toMatchObject({ ok: true, checked: 3 });
      // Sealing again adds nothing: the tail is keyed.
      await sealUnkeyedEntries(t.platform.db);
      expect(await entries(t.platform.db)).toHaveLength(3);

      const last = rows.at(-1)!;
      const forged = { at: new Date(), actor_id: null, action: 'person.nothingToSeeHere', record_type: 'person', record_id: null };
      await t.platform.db
        .insertInto('audit_log')
        .values({ ...forged, prev_hash: last.hash, hash: digest(0, undefined, last.hash, forged), key_version: 0 })
        .execute();
      expect(await verifyChain(t.platform.db, TEST_SECRET)).toMatchObject({ ok: false, checked: 3, firstBroken: { reason: 'unkeyed' } });
      // and under another SECRET_KEY nothing keyed verifies
      expect(await verifyChain(t.platform.db, 'another-secret-key-of-enough-length-000')).toMatchObject({ ok: false, firstBroken: { reason: 'hash' } });
    } finally {
      await t.close();
    }
  });
});

describe('one database role for everything', () => {
  it('is accepted, with a warning in production that names DATABASE_MIGRATION_URL', () => {
    const env = { DATABASE_URL: 'postgres://northstar@db.example/northstar', SECRET_KEY: TEST_SECRET, SMTP_URL: 'smtp://mail.example' };
    expect(loadConfig(env).warnings).toEqual([]);
    expect(loadConfig({ ...env, NODE_ENV: 'production' }).warnings).toEqual([expect.stringMatching(/DATABASE_MIGRATION_URL is not set.*could alter or drop it/)]);
    expect(loadConfig({ ...env, NODE_ENV: 'production', DATABASE_MIGRATION_URL: 'postgres://owner@db.example/northstar' }).warnings).toEqual([]);
    expect(() => loadConfig({ DATABASE_MIGRATION_URL: 'postgres://owner@db.example/northstar', SECRET_KEY: TEST_SECRET })).toThrow(/DATABASE_MIGRATION_URL needs DATABASE_URL/);
  });
});

describe.skipIf(!ownerUrl)('the application role on a PostgreSQL server (two roles)', () => {
  it('owns nothing, and cannot disable or drop the audit triggers, nor change, delete or truncate entries', async () => {
    const t = await buildTestApp();
    try {
      await writeEntries(t);
      const db = t.platform.db;
      const before = await entries(db);
      const owned = await sql<{ n: number }>`
        select (select count(*) from pg_class where relowner = (select oid from pg_roles where rolname = current_user))
             + (select count(*) from pg_namespace where nspowner = (select oid from pg_roles where rolname = current_user))
             + (select count(*) from pg_proc where proowner = (select oid from pg_roles where rolname = current_user)) as n`.execute(db);
      expect(Number(owned.rows[0]!.n)).toBe(0);
      await expect(sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db)).rejects.toThrow(/must be owner/);
      await expect(sql`alter table audit_log disable trigger user`.execute(db)).rejects.toThrow(/must be owner/);
      await expect(sql`drop trigger audit_log_no_update_delete on audit_log`.execute(db)).rejects.toThrow(/must be owner/);
      await expect(sql`drop trigger audit_log_no_truncate on audit_log`.execute(db)).rejects.toThrow(/must be owner/);
      await expect(sql`drop function audit_log_refuse_change() cascade`.execute(db)).rejects.toThrow(/must be owner/);
      await expect(sql`drop table audit_log`.execute(db)).rejects.toThrow(/must be owner/);
      await expect(sql`update audit_log set action = 'x'`.execute(db)).rejects.toThrow(/permission denied/);
      await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/permission denied/);
      await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/permission denied/);
      await expect(sql`create table public.audit_shadow (x int)`.execute(db)).rejects.toThrow(/permission denied/);
      expect(await entries(db)).toEqual(before);
      expect(await verifyChain(db, TEST_SECRET)).toMatchObject({ ok: true, checked: before.length });
    } finally {
      await t.close();
    }
  });
});
