import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import pg from 'pg';
import { inject } from 'vitest';
import { type Built, buildApp } from '../src/app.tsx';
import { loadConfig } from '../src/config.ts';
import { type Database, PGLITE_OPTIONS, pgliteDatabase, postgresDatabase } from '../src/db/database.ts';
import type { NetworkRole, OrgRole } from '../src/db/schema.ts';
import * as accountsRepo from '../src/modules/accounts/accounts.repository.ts';
import { hashPassword } from '../src/modules/accounts/passwords.ts';
import { seal } from '../src/platform/crypto.ts';
import { adminUrl, serverUrl, withDatabase } from './template.ts';

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-0123456789';

/** A fresh copy of the migrated template database, on PGlite or on the PostgreSQL server. */
export async function testDatabase(): Promise<Database> {
  const template = inject('template');
  if (template.kind === 'pglite') {
    const blob = new Blob([readFileSync(template.file)]);
    const pglite = await PGlite.create({ loadDataDir: blob, ...PGLITE_OPTIONS });
    return pgliteDatabase(pglite);
  }
  const name = `${template.name}_c${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // Copies from one template must not overlap: retry while another copy holds it.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template.name}`);
      break;
    } catch (err) {
      if (attempt > 40 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  return postgresDatabase(withDatabase(serverUrl!, name), 4);
}

export interface TestApp extends Built {
  logs: string[];
  close(): Promise<void>;
}

export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'northstar-test-')),
    SECRET_KEY: TEST_SECRET,
    LOG_LEVEL: 'info',
    JOBS: 'false',
    JOB_POLLING_SECONDS: '1',
    PUBLIC_URL: 'http://localhost:3000',
    ...env,
  });
  const built = await buildApp({ config, database: await testDatabase(), logStream });
  return { ...built, logs, close: () => built.app.close() };
}

// ---- people ---------------------------------------------------------------------------------

export type TestRole = 'participant' | 'associate' | 'member' | 'org_admin' | 'convener';

export interface TestPerson {
  id: string;
  identifier: string;
  password: string;
  totpSecret?: string;
}

let counter = 0;

export async function createOrganisation(t: Built, name = `Test organisation ${++counter}`) {
  return accountsRepo.insertOrganisation(t.platform.db, { name, slug: `test-org-${counter}-${randomBytes(3).toString('hex')}` });
}

export async function createPerson(t: Built, role: TestRole, opts: { totpSecret?: string; organisationId?: string } = {}): Promise<TestPerson> {
  const n = ++counter;
  const password = `correct horse battery ${n}`;
  const networkRole: NetworkRole = role === 'org_admin' ? 'member' : role;
  const participant = role === 'participant';
  const identifier = participant ? `Pseudonym${n}${randomBytes(2).toString('hex')}` : `person${n}.${randomBytes(3).toString('hex')}@example.org`;
  const { id } = await accountsRepo.insertPerson(t.platform.db, {
    display_name: participant ? identifier : `Test Person ${n}`,
    pseudonym: participant ? identifier : null,
    email: participant ? null : identifier,
    network_role: networkRole,
    password_hash: await hashPassword(password),
  });
  if (role === 'member' || role === 'org_admin') {
    const orgId = opts.organisationId ?? (await createOrganisation(t)).id;
    const orgRole: OrgRole = role === 'org_admin' ? 'org_admin' : 'staff';
    await accountsRepo.insertMembership(t.platform.db, { person_id: id, organisation_id: orgId, role: orgRole });
  }
  if (opts.totpSecret) await accountsRepo.setTotp(t.platform.db, id, seal(TEST_SECRET, 'totp-secret', opts.totpSecret));
  return { id, identifier, password, ...(opts.totpSecret ? { totpSecret: opts.totpSecret } : {}) };
}

export function totpNow(secret: string): Promise<string> {
  return generate({ secret });
}

// ---- a browser-like client over app.inject ----------------------------------------------------

export class Agent {
  cookies = new Map<string, string>();
  private csrfToken: string | undefined;
  constructor(
    private t: Built,
    private headers: Record<string, string> = {},
  ) {}

  cookieHeader(): string | undefined {
    return this.cookies.size ? [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrfToken = token;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const cookie = this.cookieHeader();
    const res = await this.t.app.inject({
      method: 'GET',
      url,
      headers: { accept: 'text/html', ...this.headers, ...(cookie ? { cookie } : {}), ...headers },
    });
    this.remember(res);
    return res;
  }

  async csrf(): Promise<string> {
    if (!this.csrfToken) await this.get('/');
    return this.csrfToken!;
  }

  async post(url: string, form: Record<string, string> = {}, opts: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    const body = new URLSearchParams(form);
    if (opts.csrf !== false) body.set('_csrf', await this.csrf());
    const cookie = this.cookieHeader();
    const res = await this.t.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:3000',
        ...this.headers,
        ...(cookie ? { cookie } : {}),
        ...(opts.headers ?? {}),
      },
    });
    this.remember(res);
    return res;
  }

  /** A form with files, as a browser sends it (multipart/form-data), with the CSRF token. */
  async postMultipart(url: string, form: Record<string, string>, files: { name: string; filename: string; content: Buffer; type: string }[]) {
    const boundary = `----northstar${Date.now().toString(16)}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries({ ...form, _csrf: await this.csrf() })) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    for (const f of files) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.content, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const cookie = this.cookieHeader();
    const res = await this.t.app.inject({
      method: 'POST',
      url,
      payload: Buffer.concat(parts),
      headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}`, origin: 'http://localhost:3000', ...this.headers, ...(cookie ? { cookie } : {}) },
    });
    this.remember(res);
    return res;
  }

  async signIn(person: TestPerson, code?: string) {
    const res = await this.post('/sign-in', { identifier: person.identifier, password: person.password, ...(code ? { code } : {}) });
    if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`);
    return res;
  }
}

export async function auditCount(t: Built): Promise<number> {
  const row = await t.platform.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Text of a page without tags, for assertions about what a person reads. */
export function text(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** A form as a browser sends it (repeated keys for boxes and multiple selects), urlencoded. */
export async function postForm(t: Built, agent: Agent, url: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
  body.set('_csrf', await agent.csrf());
  const cookie = agent.cookieHeader();
  return t.app.inject({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: { origin: 'http://localhost:3000', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  });
}
