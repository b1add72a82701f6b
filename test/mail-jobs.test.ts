import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, text } from './helpers.ts';

/** A real SMTP server on loopback: what Northstar sends is what arrives. */
interface Received {
  to: string[];
  raw: string;
}
let smtp: SMTPServer;
let smtpPort: number;
const received: Received[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A mailbox the server refuses for good: the rest of a batch must still go, once each.
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused.')) return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString('utf8');
      });
      stream.on('end', () => {
        // undo quoted-printable soft line breaks so long links read whole
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=') });
        callback();
      });
    },
  });
  smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
});
afterAll(async () => new Promise<void>((resolve) => smtp.close(() => resolve())));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('mail through SMTP and the job queue', () => {
  it('delivers an invitation to a real SMTP server once, then forgets the address', async () => {
    const t = await buildTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, JOBS: 'true' });
    try {
      const agent = new Agent(t);
      await agent.signIn(await createPerson(t, 'convener'));
      const to = `invitee.${Date.now()}@example.org`;
      expect((await agent.post('/people/invitations', { email: to, networkRole: 'associate' })).statusCode).toBe(303);
      const mail = await waitFor('the invitation', () => received.find((m) => m.to.includes(to)));
      expect(mail.raw).toMatch(/\/invitations\/[A-Za-z0-9_-]{40,}/);
      expect(mail.raw).toContain('Subject: You are invited to Northstar');
      const row = await waitFor('the message marked sent', async () =>
        t.platform.db.selectFrom('mail_messages').selectAll().where('status', '=', 'sent').executeTakeFirst(),
      );
      expect(row.recipient).toBe('');
      expect(row.body_text).toBe('');
      await new Promise((r) => setTimeout(r, 1500));
      expect(received.filter((m) => m.to.includes(to))).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
  it('sends a batch side by side: each accepted message once, a refused one stays queued for the retry', async () => {
    const t = await buildTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, JOBS: 'true' });
    try {
      const tag = Date.now();
      const to = [`a.${tag}@example.org`, `refused.${tag}@example.org`, `b.${tag}@example.org`, `c.${tag}@example.org`];
      await t.platform.db.transaction().execute((trx) => t.platform.mailer.queueMany(trx, to.map((address) => ({ to: address, subject: 'Batch', text: 'One of four' }))));
      const statuses = await waitFor('three sent, one still queued', async () => {
        const rows = await t.platform.db.selectFrom('mail_messages').select(['status']).where('subject', '=', 'Batch').execute();
        const sent = rows.filter((r) => r.status === 'sent').length;
        return sent === 3 ? rows.map((r) => r.status).sort() : undefined;
      });
      expect(statuses).toEqual(['queued', 'sent', 'sent', 'sent']);
      await new Promise((r) => setTimeout(r, 1500));
      for (const address of [to[0], to[2], to[3]]) expect(received.filter((m) => m.to.includes(address as string))).toHaveLength(1);
      expect(received.some((m) => m.to.includes(to[1] as string))).toBe(false);
    } finally {
      await t.close();
    }
  });
});

describe('the outbox (no SMTP_URL)', () => {
  it('shows that a password reset was asked for, never to whom or its link, on the list or the message page', async () => {
    const t = await buildTestApp();
    try {
      const person = await createPerson(t, 'member');
      expect((await new Agent(t).post('/password/forgot', { email: person.identifier })).statusCode).toBe(303);
      const row = await t.platform.db.selectFrom('mail_messages').selectAll().where('recipient', '=', person.identifier).executeTakeFirstOrThrow();
      expect(row.holds_secret).toBe(true);
      const token = /\/password\/reset\/([A-Za-z0-9_-]+)/.exec(row.body_text)![1]!;

      const convener = new Agent(t);
      await convener.signIn(await createPerson(t, 'convener'));
      const list = await convener.get('/outbox');
      expect(list.statusCode).toBe(200);
      expect(text(list.body)).toContain('Choose a new Northstar password');
      expect(text(list.body)).toContain('(withheld)');
      expect(list.body).not.toContain(person.identifier);
      expect(list.body).not.toContain(`/outbox/${row.id}`); // nothing to open
      const page = await convener.get(`/outbox/${row.id}`);
      expect(page.statusCode).toBe(200);
      expect(text(page.body)).toContain('cannot be passed on');
      for (const body of [list.body, page.body]) {
        expect(body).not.toContain(token);
        expect(body).not.toContain('/password/reset/');
        expect(body).not.toContain(person.identifier);
      }
    } finally {
      await t.close();
    }
  });

  it('records in the audit log who opened which message that holds a link (an invitation)', async () => {
    const t = await buildTestApp();
    try {
      const person = await createPerson(t, 'convener');
      const convener = new Agent(t);
      await convener.signIn(person);
      const to = `invitee.${Date.now()}@example.org`;
      expect((await convener.post('/people/invitations', { email: to, networkRole: 'associate' })).statusCode).toBe(303);
      const row = await t.platform.db.selectFrom('mail_messages').select(['id', 'holds_secret']).where('recipient', '=', to).executeTakeFirstOrThrow();
      expect(row.holds_secret).toBe(false);
      const reads = () => t.platform.db.selectFrom('audit_log').select(['actor_id', 'record_id']).where('action', '=', 'mail.read').execute();
      expect(await reads()).toEqual([]);
      expect((await convener.get('/outbox')).statusCode).toBe(200); // the list shows no body: not a read
      expect(await reads()).toEqual([]);
      const page = await convener.get(`/outbox/${row.id}`);
      expect(page.body).toMatch(/\/invitations\/[A-Za-z0-9_-]{40,}/);
      expect(await reads()).toEqual([{ actor_id: person.id, record_id: row.id }]);
    } finally {
      await t.close();
    }
  });

  it("withholds an org admin's staff invitation from the convener: its link would make them that organisation's staff", async () => {
    const t = await buildTestApp();
    try {
      const org = await createOrganisation(t, 'Withheld Invitations Org');
      const admin = new Agent(t);
      await admin.signIn(await createPerson(t, 'org_admin', { organisationId: org.id }));
      const to = `new.staff.${Date.now()}@example.org`;
      expect((await admin.post(`/organisations/${org.id}/staff`, { email: to, orgRole: 'staff' })).statusCode).toBe(303);
      const row = await t.platform.db.selectFrom('mail_messages').select(['id', 'holds_secret']).where('recipient', '=', to).executeTakeFirstOrThrow();
      expect(row.holds_secret).toBe(true);
      const convener = new Agent(t);
      await convener.signIn(await createPerson(t, 'convener'));
      for (const res of [await convener.get('/outbox'), await convener.get(`/outbox/${row.id}`)]) {
        expect(res.body).not.toMatch(/\/invitations\/[A-Za-z0-9_-]{40,}/);
        expect(res.body).not.toContain(to);
      }
    } finally {
      await t.close();
    }
  });

  it('in production, without SMTP_URL, Northstar refuses to start unless the outbox is chosen with MAIL_OUTBOX=true', async () => {
    const refused = await promisify(execFile)('node', ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, NODE_ENV: 'production', SMTP_URL: '', MAIL_OUTBOX: '', DATABASE_URL: '', DATA_DIR: mkdtempSync(join(tmpdir(), 'northstar-prod-')), PORT: String(await freePort()) },
    }).catch((err: { code: number; stderr: string }) => err);
    expect((refused as { code: number }).code).toBe(1);
    expect((refused as { stderr: string }).stderr).toMatch(/SMTP_URL is required in production.*conveners read invitation links.*MAIL_OUTBOX=true/);
    // Chosen knowingly: it starts, and reset mail is withheld as above.
    const t = await buildTestApp({ NODE_ENV: 'production', MAIL_OUTBOX: 'true' });
    try {
      expect(t.platform.mailer.usesOutbox).toBe(true);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('starting on a port another program holds', () => {
  it('says which port and how to choose another, without a stack trace, and leaves the data folder free', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const address = holder.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const dataDir = mkdtempSync(join(tmpdir(), 'northstar-port-'));
    try {
      const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', LOG_LEVEL: 'warn' };
      const refused = await promisify(execFile)('node', ['--import', 'tsx', 'src/server.ts'], { env }).catch((err: { code: number; stderr: string; stdout: string }) => err);
      expect((refused as { code: number }).code).toBe(1);
      const stderr = (refused as { stderr: string }).stderr;
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use by another program`);
      expect(stderr).toMatch(/start on another port: PORT=\d+ npm start/);
      expect(stderr).not.toMatch(/\n\s+at /);
      // Nothing printed as if it had started, and no demo password spent on a server that never ran.
      expect((refused as { stdout: string }).stdout).not.toContain('password:');
      expect(existsSync(join(dataDir, 'northstar.lock'))).toBe(false);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 60_000);
});

describe('npm start and the signals a supervisor sends', () => {
  it('SIGTERM to npm stops the server itself: it finishes, lets the data folder go and frees the port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'northstar-signal-'));
    const port = await freePort();
    const npm = spawn('npm', ['start'], { env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', DEMO_DATA: 'false', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    npm.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    npm.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    try {
      await waitFor('the server to start', () => out.includes('Northstar is running') || npm.exitCode !== null, 60_000);
      expect(existsSync(join(dataDir, 'northstar.lock'))).toBe(true);
      npm.kill('SIGTERM');
      await waitFor('npm to exit', () => npm.exitCode !== null || npm.signalCode !== null, 20_000);
      // The server heard it (it did not stay behind holding the lock, as it did under a shell that kept the signal).
      await waitFor('the server to let the data folder go', () => !existsSync(join(dataDir, 'northstar.lock')), 20_000);
      expect(out).toContain('"signal":"SIGTERM"');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      // Its whole group: after a failure the server, not npm, may be the one still running.
      try {
        if (npm.pid) process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 120_000);
});

describe('a process killed right after answering loses nothing', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'northstar-kill-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  async function start(port: number, env: Record<string, string>) {
    const child = spawn('node', ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    await waitFor('the server to start', () => out.includes('Northstar is running') || child.exitCode !== null, 60_000);
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    return { child, output: () => out };
  }

  it('kill -9 after acknowledged reset requests: every mail is delivered after restart', async () => {
    const port1 = await freePort();
    // First life: jobs are queued but not worked, as if the worker had no time before the crash.
    const first = await start(port1, { JOBS: 'false', SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
    const base = `http://127.0.0.1:${port1}`;
    const page = await fetch(`${base}/password/forgot`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    let acknowledged = 0;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${base}/password/forgot`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: base },
        body: new URLSearchParams({ email: 'convener@demo.northstar.invalid', _csrf: csrf }).toString(),
      });
      if (res.status === 303) acknowledged++;
    }
    expect(acknowledged).toBe(5);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    // Second life: the stale lock of the dead process is taken over and the queue is worked.
    const port2 = await freePort();
    const second = await start(port2, { JOBS: 'true', JOB_POLLING_SECONDS: '1', SMTP_URL: `smtp://127.0.0.1:${smtpPort}` });
    const delivered = await waitFor(
      'five reset mails',
      () => {
        // Reset mails only: the demo data also mails the convener (a statement circulated to them).
        const n = received.filter((m) => m.to.includes('convener@demo.northstar.invalid') && m.raw.includes('Choose a new Northstar password')).length;
        return n >= 5 ? n : undefined;
      },
      60_000,
    );
    expect(delivered).toBe(5); // acknowledged-then-lost: 0, and no duplicates

    // A third process on the same data folder refuses to start, and says why.
    const third = await promisify(execFile)('node', ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(await freePort()), DATABASE_URL: '' },
    }).catch((err: { code: number; stderr: string }) => err);
    expect((third as { code: number }).code).toBe(1);
    expect((third as { stderr: string }).stderr).toMatch(/in use by another Northstar process/);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 180_000);
});
