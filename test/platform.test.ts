import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { IntlMessageFormat } from 'intl-messageformat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { CLASSIFICATION, FORBIDDEN_COLUMN } from '../src/db/data-classification.ts';
import { verifyChain } from '../src/platform/audit/audit.service.ts';
import { catalogs, translator } from '../src/platform/i18n.ts';
import { markdownToText } from '../src/platform/markdown.ts';
import { Agent, buildTestApp, createPerson, TEST_SECRET, type TestApp, text } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('audit log', () => {
  it('chains every write and the database refuses to change or delete entries', async () => {
    const agent = new Agent(t);
    const member = await createPerson(t, 'member');
    await agent.signIn(member);
    await agent.post('/account/tokens', { name: 'script', tokenPassword: member.password });
    const rows = await t.platform.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['session.create', 'apiToken.create']));
    expect(rows.every((r) => r.record_type && r.hash.length === 64)).toBe(true);
    expect((await verifyChain(t.platform.db, TEST_SECRET)).ok).toBe(true);
    // the triggers refuse (embedded, one role), or the application role has no such right (server)
    await expect(sql`update audit_log set action = 'x'`.execute(t.platform.db)).rejects.toThrow(/append-only|permission denied/);
    await expect(sql`delete from audit_log`.execute(t.platform.db)).rejects.toThrow(/append-only|permission denied/);
    await expect(sql`truncate audit_log`.execute(t.platform.db)).rejects.toThrow(/append-only|permission denied/);
  });
  // Tampering, a cut tail, a rewrite and the exit codes of npm run audit:verify: test/audit.test.ts.
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

describe('behind a reverse proxy (TRUST_PROXY)', () => {
  /** A failed sign-in as it reaches Northstar from `peer`, carrying `forwarded` as X-Forwarded-For. */
  async function attempt(app: TestApp, agent: Agent, i: number, peer: string, forwarded?: string) {
    const csrf = await agent.csrf();
    const cookie = agent.cookieHeader();
    const res = await app.app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress: peer,
      payload: new URLSearchParams({ identifier: `nobody.${i}.${Date.now()}@example.org`, password: 'not the password', _csrf: csrf }).toString(),
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:3000',
        ...(cookie ? { cookie } : {}),
        ...(forwarded ? { 'x-forwarded-for': forwarded } : {}),
      },
    });
    return res.statusCode;
  }

  it('with one hop, a client-supplied X-Forwarded-For does not change the address that is throttled', async () => {
    const app = await buildTestApp({ TRUST_PROXY: '1' });
    try {
      const agent = new Agent(app);
      // nginx with $proxy_add_x_forwarded_for appends the real client to whatever it sent
      const codes: number[] = [];
      for (let i = 0; i < 51; i++) codes.push(await attempt(app, agent, i, '10.0.0.1', `203.0.113.${i}, 198.51.100.7`));
      expect(codes.slice(0, 50).every((c) => c === 400)).toBe(true);
      expect(codes[50]).toBe(429);
      // another real client behind the same proxy is not held back
      expect(await attempt(app, agent, 99, '10.0.0.1', '198.51.100.8')).toBe(400);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('with a list of addresses, only the listed proxy is believed', async () => {
    const app = await buildTestApp({ TRUST_PROXY: '10.0.0.1, 192.0.2.0/24' });
    try {
      const agent = new Agent(app);
      // A client that reaches the port itself sends its own, ever-changing X-Forwarded-For: ignored.
      const codes: number[] = [];
      for (let i = 0; i < 51; i++) codes.push(await attempt(app, agent, i, '10.0.0.2', `203.0.113.${i}`));
      expect(codes[49]).toBe(400);
      expect(codes[50]).toBe(429);
      // The listed proxy is believed: it names that same client, who is held back; another is not.
      expect(await attempt(app, agent, 100, '10.0.0.1', '10.0.0.2')).toBe(429);
      expect(await attempt(app, agent, 101, '10.0.0.1', '198.51.100.9')).toBe(400);
      expect(await attempt(app, agent, 102, '192.0.2.44', '198.51.100.10')).toBe(400);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('TRUST_PROXY=true is refused at start-up with what to set instead', () => {
    const boot = (value: string) => () => loadConfig({ TRUST_PROXY: value, SECRET_KEY: TEST_SECRET, DATA_DIR: t.platform.config.dataDir });
    expect(boot('true')).toThrow(/TRUST_PROXY=true would trust every proxy hop.*TRUST_PROXY=1.*TRUST_PROXY=127\.0\.0\.1/);
    expect(boot('10.0.0.1, not-an-address')).toThrow(/not an address: not-an-address/);
    expect(loadConfig({ TRUST_PROXY: '2', SECRET_KEY: TEST_SECRET, DATA_DIR: t.platform.config.dataDir }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'false', SECRET_KEY: TEST_SECRET, DATA_DIR: t.platform.config.dataDir }).trustProxy).toBe(false);
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
    const noToken = await agent.post('/account/tokens', { name: 'x', tokenPassword: person.password }, { csrf: false });
    expect(noToken.statusCode).toBe(403);
    expect(text(noToken.body)).toContain('This form has expired');
    const foreign = await agent.post('/account/tokens', { name: 'x', tokenPassword: person.password }, { headers: { origin: 'https://evil.example' } });
    expect(foreign.statusCode).toBe(403);
    const nullCrossSite = await agent.post('/account/tokens', { name: 'x', tokenPassword: person.password }, { headers: { origin: 'null', 'sec-fetch-site': 'cross-site' } });
    expect(nullCrossSite.statusCode).toBe(403);
    // our own form under Referrer-Policy no-referrer: Origin null, Sec-Fetch-Site same-origin
    const own = await agent.post('/account/tokens', { name: 'mine', tokenPassword: person.password }, { headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
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

  it('opens a link with ?lang= in that language: kept for a visitor who chose nothing, never over anyone\'s choice', async () => {
    const visitor = new Agent(t);
    const first = await visitor.get('/consultations?lang=ar');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('lang="ar" dir="rtl"');
    expect(visitor.cookies.get('ns_lang')).toBe('ar');
    expect((await visitor.get('/consultations')).body, 'the next page too').toContain('lang="ar"');
    // One who chose English keeps English after a link in Arabic.
    const chose = new Agent(t);
    await chose.get('/');
    await chose.post('/language', { locale: 'en', next: '/' });
    expect((await chose.get('/directory?lang=ar')).body).toContain('lang="ar"');
    expect(chose.cookies.get('ns_lang')).toBe('en');
    expect((await chose.get('/directory')).body).toContain('lang="en"');
    // A signed-in person's language is theirs: the link shows one page in Arabic and changes nothing.
    const person = new Agent(t);
    await person.signIn(await createPerson(t, 'member'));
    expect((await person.get('/account?lang=ar')).body).toContain('lang="ar"');
    expect(person.cookies.has('ns_lang')).toBe(false);
    expect((await person.get('/account')).body).toContain('lang="en"');
    // Not a language Northstar has, or sent twice: ignored, never an error, and no route sees it.
    for (const url of ['/directory?lang=xx', '/directory?lang=ar&lang=en', `/directory?lang=${'a'.repeat(5000)}`, '/directory?lang=%00']) {
      const res = await new Agent(t).get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).toContain('<html lang="en"');
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

describe('a long job beside the pages', () => {
  it('a page answers while a job runs thousands of queries in a row (the embedded database gives the server its turns)', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    let jobDone = 0;
    // As a weekly digest or an alert's fan-out does: one query after another, never waiting on anything else.
    const job = (async () => {
      for (let i = 0; i < 3000; i++) await sql`select ${i}::int as n`.execute(t.platform.db);
      jobDone = performance.now();
    })();
    const res = await fetch(`http://127.0.0.1:${port}/library`);
    const answered = performance.now();
    await job;
    expect(res.status).toBe(200);
    expect(jobDone).toBeGreaterThan(0);
    expect(answered).toBeLessThan(jobDone);
  });
});

describe('health checks for a load balancer', () => {
  it('says alive without reading anything, and ready only while the database and the job queue answer', async () => {
    const alive = await t.app.inject({ url: '/healthz' });
    expect(alive.statusCode).toBe(200);
    expect(alive.json()).toEqual({ status: 'alive' });
    expect(alive.headers['cache-control']).toBe('no-store');
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', jobQueue: 'ok' });
    // A server whose database has gone away is taken out of rotation, and says which part failed, not why.
    const lost = await buildTestApp();
    try {
      await lost.platform.database.close();
      const res = await lost.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'not ready', database: 'unreachable', jobQueue: 'unreachable' });
      expect((await lost.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await lost.app.close().catch(() => {});
    }
  });
});

describe('Markdown as plain text', () => {
  it('takes away what markdown-it reads as markup and keeps the rest as typed', () => {
    expect(markdownToText('Use `snake_case` and snake_case names')).toBe('Use snake_case and snake_case names');
    expect(markdownToText('See [the report](https://example.org/a_(b)) now.')).toBe('See the report now.');
    expect(markdownToText('# Title\n\n- one **bold**\n- two _soft_\n\n> quoted')).toBe('Title one bold two soft quoted');
    expect(markdownToText('2 * 3 * 4 = 24')).toBe('2 * 3 * 4 = 24');
  });
});

describe('messages', () => {
  it('count numbers, and refuse under test a number passed already formatted ("1,000" counted as NaN)', () => {
    const t = translator('en');
    expect(t('communities.memberCount', { count: 1000 })).not.toContain('NaN');
    expect(() => t('communities.memberCount', { count: '1,000' })).toThrow(/pass \{count\} as a number/);
  });

  it('isolate each text value inside Arabic, but not the values a message chooses by', () => {
    const ar = translator('ar');
    expect(ar('mail.orgInvite.subject', { organisation: 'Riverbank' })).toContain('\u2068Riverbank\u2069');
    expect(translator('en')('mail.orgInvite.subject', { organisation: 'Riverbank' })).not.toContain('\u2068');
    // A web address stays as it is: a mail program would take the invisible end into the link.
    expect(ar('mail.reset.body', { link: 'https://northstar.example/password/reset/abc', minutes: 60 })).toContain('https://northstar.example/password/reset/abc\n');
  });
});
