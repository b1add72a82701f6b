import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { IntlMessageFormat } from 'intl-messageformat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFICATION, FORBIDDEN_COLUMN } from '../src/db/data-classification.ts';
import { verifyChain } from '../src/platform/audit/audit.service.ts';
import { catalogs } from '../src/platform/i18n.ts';
import { Agent, buildTestApp, createPerson, type TestApp, text } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('audit log', () => {
  it('chains every write and the database refuses to change or delete entries', async () => {
    const agent = new Agent(t);
    await agent.signIn(await createPerson(t, 'member'));
    await agent.post('/account/tokens', { name: 'script' });
    const rows = await t.platform.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['session.create', 'apiToken.create']));
    expect(rows.every((r) => r.record_type && r.hash.length === 64)).toBe(true);
    expect((await verifyChain(t.platform.db)).ok).toBe(true);
    await expect(sql`update audit_log set action = 'x'`.execute(t.platform.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.platform.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.platform.db)).rejects.toThrow(/append-only/);
  });

  it('names the first broken entry after tampering', async () => {
    const tamper = await buildTestApp();
    try {
      const agent = new Agent(tamper);
      for (let i = 0; i < 3; i++) await agent.signIn(await createPerson(tamper, 'participant'));
      const rows = await tamper.platform.db.selectFrom('audit_log').select(['seq']).orderBy('seq').execute();
      const target = rows[1]!.seq;
      // Only someone able to switch off the database's own protection could do this.
      await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(tamper.platform.db);
      await sql`update audit_log set action = 'person.nothingToSeeHere' where seq = ${target}`.execute(tamper.platform.db);
      await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(tamper.platform.db);
      expect(await verifyChain(tamper.platform.db)).toEqual({ ok: false, checked: 1, firstBroken: { seq: Number(target), reason: 'hash' } });
    } finally {
      await tamper.close();
    }
  });

  it('npm run audit:verify checks a data folder and says so', async () => {
    const { stdout } = await promisify(execFile)('node', ['--import', 'tsx', 'scripts/audit-verify.ts'], {
      env: { ...process.env, DATA_DIR: join(t.platform.config.dataDir, 'verify'), DATABASE_URL: '', SECRET_KEY: 'x'.repeat(40) },
    });
    expect(stdout).toMatch(/Audit log intact: 0 entries verified/);
  }, 60_000);
});

describe('message catalogs', () => {
  const en = catalogs.get('en')!;
  it('every language has every key English has, and no others', () => {
    for (const [locale, catalog] of catalogs) {
      expect(Object.keys(en).filter((k) => !(k in catalog)), `${locale} lacks`).toEqual([]);
      expect(Object.keys(catalog).filter((k) => !(k in en)), `${locale} has extra`).toEqual([]);
    }
    expect([...catalogs.keys()].sort()).toEqual(['ar', 'en']);
  });

  it('every message is valid ICU in its language', () => {
    for (const [locale, catalog] of catalogs) {
      for (const [key, message] of Object.entries(catalog)) {
        expect(() => new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }), `${locale} ${key}`).not.toThrow();
      }
    }
  });

  it('every key the code asks for exists in English', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !f.endsWith('.test.ts')) files.push(p);
      }
    };
    walk('src');
    const used = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      for (const m of readFileSync(f, 'utf8').matchAll(/'((?:errors|notice)\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});

describe('data minimisation', () => {
  it('every column is classified, and none holds immigration status, location or IP address', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' order by table_name, column_name`.execute(t.platform.db);
    const columns = rows.map((r) => `${r.table_name}.${r.column_name}`);
    expect(columns.length).toBeGreaterThan(50);
    expect(columns.filter((c) => !(c in CLASSIFICATION)), 'unclassified columns').toEqual([]);
    expect(Object.keys(CLASSIFICATION).filter((c) => !columns.includes(c)), 'classified but missing').toEqual([]);
    expect(rows.filter((r) => FORBIDDEN_COLUMN.test(r.column_name)).map((r) => r.column_name)).toEqual([]);
    // the job queue's tables hold ids only: mail jobs carry a message id, never an address
    const jobs = await sql<{ data: unknown }>`select data from pgboss.job`.execute(t.platform.db);
    expect(JSON.stringify(jobs.rows)).not.toMatch(/@/);
  });
});

describe('web safety', () => {
  it('sends the security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).not.toMatch(/<script/i);
  });

  it('refuses a POST without a CSRF token, or from another origin, and changes nothing', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    await agent.signIn(person);
    const noToken = await agent.post('/account/tokens', { name: 'x' }, { csrf: false });
    expect(noToken.statusCode).toBe(403);
    expect(text(noToken.body)).toContain('This form has expired');
    const foreign = await agent.post('/account/tokens', { name: 'x' }, { headers: { origin: 'https://evil.example' } });
    expect(foreign.statusCode).toBe(403);
    const nullCrossSite = await agent.post('/account/tokens', { name: 'x' }, { headers: { origin: 'null', 'sec-fetch-site': 'cross-site' } });
    expect(nullCrossSite.statusCode).toBe(403);
    // our own form under Referrer-Policy no-referrer: Origin null, Sec-Fetch-Site same-origin
    const own = await agent.post('/account/tokens', { name: 'mine' }, { headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(own.statusCode).toBe(200);
    const tokens = await t.platform.db.selectFrom('api_tokens').select('name').where('person_id', '=', person.id).execute();
    expect(tokens.map((x) => x.name)).toEqual(['mine']);
  });

  it('uses __Host- cookies with Secure over HTTPS', async () => {
    const https = await buildTestApp({ PUBLIC_URL: 'https://northstar.example' });
    try {
      const res = await https.app.inject({ method: 'GET', url: '/sign-in' });
      expect(String(res.headers['set-cookie'])).toMatch(/__Host-ns_csrf=.*Secure/);
    } finally {
      await https.close();
    }
  });

  it('shows 404 in the reader language', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nothing-here', headers: { 'accept-language': 'ar', accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('dir="rtl"');
    expect(res.body).toContain('lang="ar"');
  });

  it('keeps personal data, tokens and passwords out of the logs', async () => {
    const marker = `MARKER${Date.now()}`;
    const agent = new Agent(t);
    await agent.post('/register', { pseudonym: `${marker}name`, passphrase: `${marker}-pass-phrase-words`, saved: 'yes', email: `${marker}@example.org` });
    await agent.post('/sign-in', { identifier: `${marker}name`, password: `${marker}-wrong` });
    await agent.post('/password/forgot', { email: `${marker}@example.org` });
    const mail = await t.platform.db.selectFrom('mail_messages').select('body_text').where('recipient', '=', `${marker}@example.org`).executeTakeFirstOrThrow();
    const link = /\/password\/reset\/[A-Za-z0-9_-]+/.exec(mail.body_text)![0];
    await agent.get(link);
    await agent.post(link, { password: `${marker}-new-password` });
    const logs = t.logs.join('');
    expect(logs).toContain('"route":"/password/reset/:token"');
    expect(logs).not.toContain(marker);
    expect(logs).not.toContain(link.split('/').pop());
    expect(logs).not.toMatch(/127\.0\.0\.1|remoteAddress/);
  });
});
