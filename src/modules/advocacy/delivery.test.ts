import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';

/**
 * Issue 13, item 6: a statement sent by email through the job queue to a real SMTP server on
 * loopback; each recipient's delivery record goes queued → sent with its time, or refused by
 * the server with a short reason and no address in the logs.
 */
interface Received {
  to: string[];
  raw: string;
}
let smtp: SMTPServer;
const received: Received[] = [];
let t: TestApp;
let orgL = '';
let staff: Agent;

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

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A mailbox the server refuses for good.
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused.')) return callback(Object.assign(new Error('No such mailbox refused.minister@gov.example'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString('utf8');
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=') });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  t = await buildTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, JOBS: 'true' });
  orgL = (await createOrganisation(t, 'Sending organisation')).id;
  staff = new Agent(t);
  await staff.signIn(await createPerson(t, 'member', { organisationId: orgL }));
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function publishedStatement(title: string): Promise<string> {
  const db = t.platform.db;
  const { id } = await db
    .insertInto('statements')
    .values({ kind: 'open_letter', state: 'published', organisation_id: orgL, language: 'en', published_at: new Date(), published_version: 1, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('statement_drafters').values({ statement_id: id, organisation_id: orgL, state: 'accepted', answered_at: new Date() }).execute();
  await db
    .insertInto('statement_versions')
    .values({ statement_id: id, number: 1, language: 'en', title, body: '# Protect civilians\n\nOpen the **corridors** now.', content_sha256: 'x'.repeat(64), published_at: new Date() })
    .execute();
  await db.insertInto('statement_signatures').values({ statement_id: id, version_number: 1, content_sha256: 'x'.repeat(64), organisation_id: orgL, appears_as: 'organisation' }).execute();
  return id;
}

describe('delivery by email through the job queue', () => {
  it('moves each delivery record from queued to sent with its time, or to refused with the SMTP code', async () => {
    const person = async (name: string, email: string) => {
      const res = await postForm(t, staff, '/recipients/people', { name, email });
      expect(res.statusCode).toBe(303);
      return /\/recipients\/people\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] as string;
    };
    const good = await person('Accepting Minister', 'accepting.minister@gov.example');
    const bad = await person('Refusing Minister', 'refused.minister@gov.example');
    const s = await publishedStatement('Protect civilians in El Fasher');
    expect((await postForm(t, staff, `/statements/${s}/recipients`, { people: [good, bad], channel: 'email' })).statusCode).toBe(303);
    const before = new Date();
    expect((await postForm(t, staff, `/statements/${s}/send`, {})).statusCode).toBe(303);
    const queued = await t.platform.db.selectFrom('statement_recipients').selectAll().where('statement_id', '=', s).execute();
    expect(queued.every((r) => r.queued_at !== null)).toBe(true);

    const rowOf = async (personId: string) => t.platform.db.selectFrom('statement_recipients').selectAll().where('statement_id', '=', s).where('person_id', '=', personId).executeTakeFirstOrThrow();
    const sent = await waitFor('the sent record', async () => {
      const r = await rowOf(good);
      return r.delivery === 'sent' ? r : undefined;
    });
    expect((sent.sent_at as Date).getTime()).toBeGreaterThanOrEqual((sent.queued_at as Date).getTime());
    expect((sent.sent_at as Date).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    const refused = await waitFor('the refused record', async () => {
      const r = await rowOf(bad);
      return r.delivery === 'refused' ? r : undefined;
    });
    expect(refused.delivery_note).toBe('SMTP 550');
    expect(refused.refused_at).not.toBeNull();
    expect(refused.sent_at).toBeNull();

    // The letter: the published text as plain text, the signatories, the reply link.
    const mail = received.find((m) => m.to.includes('accepting.minister@gov.example')) as Received;
    expect(mail.raw).toContain('Protect civilians in El Fasher');
    expect(mail.raw).toContain('Open the corridors now.');
    expect(mail.raw).not.toContain('**corridors**');
    expect(mail.raw).toContain('Sending organisation');
    const token = /\/replies\/([A-Za-z0-9_-]{40,})/.exec(mail.raw)?.[1] as string;
    expect(createHash('sha256').update(token).digest('hex')).toBe(sent.reply_token_hash);
    const replyPage = await new Agent(t).get(`/replies/${token}`);
    expect(replyPage.statusCode).toBe(200);
    expect(text(replyPage.body)).toContain('Accepting Minister');

    // The owners' page shows each outcome; no log line carries an address.
    const owners = text((await staff.get(`/statements/${s}/recipients`)).body);
    expect(owners).toContain('Sent');
    expect(owners).toContain('Refused by the mail server');
    expect(t.logs.join('\n')).not.toContain('refused.minister@gov.example');
    expect(t.logs.join('\n')).not.toContain('accepting.minister@gov.example');
  });
});
