import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';
import { changedTables, snapshot } from '../../../test/world.ts';
import type { PersonActor } from '../../platform/policy.ts';
import { DIGEST_JOB, periodOf } from './notifications.service.ts';

/**
 * Issue 15, item 4: each person chooses what they hear about and how often; a digest holds at
 * most 20 items, is in the person's language, names nothing in its subject or first line, carries
 * a one-click unsubscribe, and goes only to people with something new who signed in within 90 days
 * (unless they asked otherwise); announcements through the same preferences; mail a person waits
 * for goes ahead of bulk mail.
 */
let t: TestApp;
let org = '';
const people: Record<string, TestPerson> = {};
const agents: Record<string, Agent> = {};

const staffActor = (p: TestPerson): PersonActor => ({ kind: 'person', id: p.id, displayName: 'Staff', networkRole: 'member', memberships: [{ organisationId: org, role: 'staff', name: 'Digest Org', standing: 'member' }], locale: null });

async function addResource(title: string, visibility: 'public' | 'network') {
  return t.services.library.add(staffActor(people.staff as TestPerson), {
    kind: 'report',
    title,
    summary: '',
    language: 'en',
    licence: 'CC-BY-4.0',
    link: 'https://example.org/r',
    countries: [],
    activities: [],
    themes: [],
    visibility,
    readers: [],
    authorOrganisations: [],
    authorNames: '',
    contentWarning: '',
  });
}

/** What the queue would do: every digest job of the run, as the worker calls it. */
async function runQueuedDigests() {
  const { rows } = await sql<{ data: { kind: 'weekly'; personIds: string[]; at: string } }>`select data from pgboss.job where name = ${DIGEST_JOB} and state = 'created'`.execute(t.platform.db);
  for (const { data } of rows) await t.services.notifications.digestBatch(data.kind, data.personIds, new Date(data.at));
  await sql`delete from pgboss.job where name = ${DIGEST_JOB}`.execute(t.platform.db);
}

const digestsTo = async (email: string) =>
  t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text', 'unsubscribe_url']).where('recipient', '=', email).where('unsubscribe_url', 'is not', null).execute();

beforeAll(async () => {
  t = await buildTestApp();
  org = (await createOrganisation(t, 'Digest Org')).id;
  people.staff = await createPerson(t, 'member', { organisationId: org });
  people.reader = await createPerson(t, 'member', { organisationId: org });
  people.arabic = await createPerson(t, 'member', { organisationId: org });
  people.participant = await createPerson(t, 'participant');
  people.associate = await createPerson(t, 'associate');
  people.away = await createPerson(t, 'member', { organisationId: org });
  people.awayButKeep = await createPerson(t, 'member', { organisationId: org });
  await t.platform.db.updateTable('people').set({ locale: 'ar' }).where('id', '=', people.arabic.id).execute();
  for (const who of ['reader', 'participant'] as const) {
    agents[who] = new Agent(t);
    await (agents[who] as Agent).signIn(people[who] as TestPerson);
  }
  // Two people last seen 100 days ago; one of them asked to keep getting digests.
  const longAgo = new Date(Date.now() - 100 * 86_400_000);
  for (const who of ['away', 'awayButKeep'] as const) {
    await t.platform.db.updateTable('people').set({ created_at: longAgo } as never).where('id', '=', (people[who] as TestPerson).id).execute();
  }
  await t.platform.db.insertInto('digest_state').values({ person_id: (people.awayButKeep as TestPerson).id, keep_when_inactive: true }).execute();
  // Everyone's sessions made now count as signing in: the two away have none (made by createPerson, not signed in).
  // Everything a digest may carry this week: 25 public resources and a network-only one.
  for (let i = 1; i <= 25; i++) await addResource(`Public report number ${i}`, 'public');
  await addResource('Network-only funding note', 'network');
}, 60_000);
afterAll(async () => t?.close());

describe('preferences', () => {
  it('are each person’s own, and say what is wrong with a choice that cannot be', async () => {
    const page = await (agents.reader as Agent).get('/notifications');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('In a weekly digest');
    const before = await snapshot(t);
    const atOnce = await postForm(t, agents.reader as Agent, '/notifications', { library: 'immediate', surveys: 'weekly', announcements: 'immediate' });
    expect(atOnce.statusCode).toBe(400);
    expect(text(atOnce.body)).toContain('This comes in a digest or not at all');
    const odd = await postForm(t, agents.reader as Agent, '/notifications', { library: 'hourly', surveys: 'weekly', announcements: 'immediate' });
    expect(odd.statusCode).toBe(400);
    expect(text(odd.body)).toContain('Choose how often.');
    expect(changedTables(before, await snapshot(t))).toEqual([]);
    expect((await new Agent(t).get('/notifications')).statusCode).toBe(303);
  });
});

describe('weekly digest', () => {
  it('goes to those with something new, at most 20 items, in their language, with nothing in its subject', async () => {
    const queued = await t.services.notifications.runDigests('weekly');
    // Not the one away for 100 days; the participant is asked, and has only public news.
    expect(queued).toBeGreaterThanOrEqual(4);
    await runQueuedDigests();
    const reader = await digestsTo((people.reader as TestPerson).identifier);
    expect(reader).toHaveLength(1);
    const mail = reader[0] as { subject: string; body_text: string; unsubscribe_url: string | null };
    expect(mail.subject).toBe('Your weekly Northstar digest');
    expect(mail.body_text.split('\n')[0]).toMatch(/^Here is what is new for you on Northstar since /);
    expect(mail.body_text.match(/^- /gm)).toHaveLength(20);
    expect(mail.body_text).toContain('and 6 more');
    expect(mail.body_text).toContain('Network-only funding note');
    expect(mail.unsubscribe_url).toMatch(/\/notifications\/unsubscribe\/weekly\./);
    const arabic = await digestsTo((people.arabic as TestPerson).identifier);
    expect(arabic[0]?.subject).toBe('ملخّصك الأسبوعي من نورث ستار');
    expect(arabic[0]?.body_text).toContain('جديد المكتبة');
    // An associate may not read the network-only note: their digest does not carry it.
    const associate = await digestsTo((people.associate as TestPerson).identifier);
    expect(associate).toHaveLength(1);
    expect(associate[0]?.body_text).not.toContain('Network-only funding note');
    // A pseudonymous participant has no address: nothing is queued for them.
    expect(await digestsTo((people.participant as TestPerson).identifier)).toHaveLength(0);
    expect(await digestsTo((people.away as TestPerson).identifier)).toHaveLength(0);
    expect(await digestsTo((people.awayButKeep as TestPerson).identifier)).toHaveLength(1);
  });

  it('sends a retried batch once', async () => {
    const reader = people.reader as TestPerson;
    const before = (await digestsTo(reader.identifier)).length;
    const state = await t.platform.db.selectFrom('digest_state').select('last_weekly_at').where('person_id', '=', reader.id).executeTakeFirstOrThrow();
    expect(await t.services.notifications.digestBatch('weekly', [reader.id], new Date(state.last_weekly_at as Date))).toBe(0);
    expect((await digestsTo(reader.identifier)).length).toBe(before);
  });

  it('runs once a week, whichever instance starts it; and nothing new means no mail', async () => {
    expect(await t.services.notifications.runDigests('weekly')).toBe(0);
    const run = await t.platform.db.selectFrom('digest_runs').select(['period', 'people']).where('kind', '=', 'weekly').execute();
    expect(run).toEqual([{ period: periodOf('weekly', new Date()), people: expect.any(Number) }]);
    // A new week with nothing new since the last digest: no mail for anyone.
    const before = (await t.platform.db.selectFrom('mail_messages').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    const nextWeek = new Date(Date.now() + 7 * 86_400_000);
    await t.services.notifications.runDigests('weekly', nextWeek);
    const { rows } = await sql<{ data: { personIds: string[] } }>`select data from pgboss.job where name = ${DIGEST_JOB}`.execute(t.platform.db);
    for (const { data } of rows) await t.services.notifications.digestBatch('weekly', data.personIds, nextWeek);
    await sql`delete from pgboss.job where name = ${DIGEST_JOB}`.execute(t.platform.db);
    const after = (await t.platform.db.selectFrom('mail_messages').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    expect(Number(after)).toBe(Number(before));
  });

  it('stops with one click from the mail program: no session, no form token', async () => {
    const reader = people.reader as TestPerson;
    const url = new URL(String((await digestsTo(reader.identifier))[0]?.unsubscribe_url));
    const page = await t.app.inject({ method: 'GET', url: url.pathname });
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Stop them');
    const oneClick = await t.app.inject({ method: 'POST', url: url.pathname, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(oneClick.statusCode).toBe(200);
    const prefs = await t.platform.db.selectFrom('notification_preferences').select(['topic', 'frequency']).where('person_id', '=', reader.id).orderBy('topic').execute();
    expect(prefs).toEqual([
      { topic: 'library', frequency: 'never' },
      { topic: 'surveys', frequency: 'never' },
    ]);
    const forged = await t.app.inject({ method: 'POST', url: url.pathname.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')), payload: '' });
    expect(forged.statusCode).toBe(404);
    // A file sent to the address is refused, whoever sends it.
    const boundary = 'x1';
    const upload = await t.app.inject({ method: 'POST', url: url.pathname, payload: `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.pdf"\r\n\r\n${'a'.repeat(2000)}\r\n--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(upload.statusCode).toBeGreaterThanOrEqual(400);
    expect(upload.statusCode).toBeLessThan(500);
  });
});

describe('announcements', () => {
  it('reach at once those who want them so, through the same preferences', async () => {
    const convener = await createPerson(t, 'convener');
    const agent = new Agent(t);
    await agent.signIn(convener);
    await postForm(t, agents.participant as Agent, '/notifications', { library: 'weekly', surveys: 'weekly', announcements: 'never' });
    const refused = await postForm(t, agent, '/announcements', { title: ' ', body: 'Hello', audience: 'everyone' });
    expect(refused.statusCode).toBe(400);
    const res = await postForm(t, agent, '/announcements', { title: 'General assembly on 12 March', body: 'Please hold the date.', audience: 'everyone' });
    expect(res.statusCode).toBe(303);
    // The queue's job mails it, batch by batch; run again (a retry), it mails nobody twice.
    const id = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    expect(await t.services.notifications.fanOut(id)).toBeGreaterThan(3);
    expect(await t.services.notifications.fanOut(id)).toBe(0);
    expect((await agent.get(`/announcements/${id}`)).statusCode).toBe(200);
    const sent = await t.platform.db.selectFrom('mail_messages').select(['recipient', 'subject']).where('subject', '=', 'An announcement from the network').execute();
    const to = sent.map((m) => m.recipient);
    expect(to).toContain((people.staff as TestPerson).identifier);
    expect(to).not.toContain((people.participant as TestPerson).identifier);
    expect((await (agents.participant as Agent).post('/announcements', { title: 'x', body: 'y', audience: 'everyone' })).statusCode).toBe(404);
  });
});

describe('mail a person waits for goes first', () => {
  let sending: TestApp;
  beforeAll(async () => {
    // An SMTP address makes the mailer enqueue its jobs (nothing is sent: the queue does not run here).
    sending = await buildTestApp({ SMTP_URL: 'smtp://127.0.0.1:1' });
  }, 60_000);
  afterAll(async () => sending?.close());

  it('is fetched from the queue before 10,000 digests queued ahead of it', async () => {
    const bulk = Array.from({ length: 10_000 }, (_, i) => ({ to: `person${i}@example.org`, subject: 'Your weekly Northstar digest', text: 'Digest' }));
    await sending.platform.db.transaction().execute((trx) => sending.platform.mailer.queueMany(trx, bulk, { bulk: true }));
    await sending.platform.db.transaction().execute((trx) => sending.platform.mailer.queue(trx, { to: 'waiting@example.org', subject: 'Your sign-in link', text: 'Sign in' }));
    const [first] = await sending.platform.jobs.boss.fetch('mail.send', { batchSize: 1 });
    const ids = (first?.data as { ids: string[] } | undefined)?.ids ?? [];
    const message = await sending.platform.db.selectFrom('mail_messages').select('recipient').where('id', '=', ids[0] as string).executeTakeFirstOrThrow();
    expect(message.recipient).toBe('waiting@example.org');
    // Bulk mail goes in small jobs, so that the one being sent when it arrives is soon done.
    const { rows } = await sql<{ n: number }>`select count(*) as n from pgboss.job where name = 'mail.send'`.execute(sending.platform.db);
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(400);
  });
});
