import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';
import { insertMeeting } from '../../../test/meetings-fixture.ts';
import { makeStatement } from '../../../test/world-advocacy.ts';
import { changedTables, snapshot } from '../../../test/world.ts';
import type { PersonActor } from '../../platform/policy.ts';
import * as digestTopics from '../../db/migrations/2026-12-07T0100-digest-topics.ts';
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
    // Every topic that came weekly (all but announcements, which came at once) is stopped; nothing else.
    expect(prefs).toEqual(['library', 'meetings', 'members', 'statements', 'surveys', 'work'].map((topic) => ({ topic, frequency: 'never' })));
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

describe('what else a digest tells', () => {
  it('names statements open for signing, meetings and actions coming up and new members, before the library, each only to those it is for', async () => {
    const db = t.platform.db;
    const drafting = (await createOrganisation(t, 'Drafting Org')).id;
    const drafter = new Agent(t);
    await drafter.signIn(await createPerson(t, 'org_admin', { organisationId: drafting }));
    await makeStatement(t, drafter, 'Joint letter on the protection of civilians', { circulate: true });
    await makeStatement(t, drafter, 'A draft still in the drafting room');
    const newcomer = await createPerson(t, 'member', { organisationId: org });
    const soon = new Date(Date.now() + 3 * 86_400_000);
    await insertMeeting(db, { organisation_id: org, created_by: (people.staff as TestPerson).id, title: 'Working group on Sudan', starts_at: soon, time_zone: 'Africa/Khartoum' });
    await insertMeeting(db, { organisation_id: org, created_by: (people.staff as TestPerson).id, title: 'A meeting called off', starts_at: soon, state: 'cancelled' });
    await insertMeeting(db, { organisation_id: org, created_by: (people.staff as TestPerson).id, title: 'A meeting next month', starts_at: new Date(Date.now() + 30 * 86_400_000) });
    const due = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const action = { owner_organisation_id: org, organisation_id: org, created_by: (people.staff as TestPerson).id };
    await db
      .insertInto('actions')
      .values([
        { ...action, title: 'Draft the briefing for the committee', owner_person_id: newcomer.id, owner_state: 'accepted', due_on: due(2) },
        { ...action, title: 'An action only offered', owner_person_id: newcomer.id, owner_state: 'offered', due_on: due(2) },
        { ...action, title: 'An action already done', owner_person_id: newcomer.id, owner_state: 'accepted', due_on: due(2), status: 'done' },
        { ...action, title: 'Someone else’s action', owner_person_id: (people.staff as TestPerson).id, owner_state: 'accepted', due_on: due(2) },
      ])
      .execute();
    const joined = await createOrganisation(t, 'Newly Joined Org');
    await db.insertInto('organisation_status_history').values({ organisation_id: joined.id, status: 'member', reason: null, actor_id: null }).execute();
    const returning = await createOrganisation(t, 'Member Since Long Ago');
    await db.insertInto('organisation_status_history').values({ organisation_id: returning.id, status: 'member', reason: null, actor_id: null, created_at: new Date(Date.now() - 400 * 86_400_000) }).execute();
    await db.insertInto('organisation_status_history').values({ organisation_id: returning.id, status: 'associate', reason: null, actor_id: null }).execute();

    // Paid work posted this week: for participants, never in staff's digest.
    await db
      .insertInto('opportunities')
      .values({ organisation_id: org, kind: 'translation', title: 'Translate the consultation report into Tigrinya', description: 'Ten pages.', rate_minor: 3000, currency: 'GBP', rate_basis: 'hour', languages: ['ti'], deadline: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10) })
      .execute();
    expect(await t.services.notifications.digestBatch('weekly', [newcomer.id], new Date())).toBe(1);
    const [mail] = await digestsTo(newcomer.identifier);
    const body = String(mail?.body_text);
    expect(body).toContain('Statements open for signing');
    expect(body).toMatch(/- Open for signing: Joint letter on the protection of civilians \(\d{4}-\d{2}-\d{2}\)/);
    expect(body).not.toContain('drafting room');
    expect(body).toMatch(/- Meeting: Working group on Sudan \(/);
    expect(body).toContain(`- Your action falls due: Draft the briefing for the committee (${due(2)})`);
    for (const absent of ['called off', 'next month', 'only offered', 'already done', 'Someone else']) expect(body).not.toContain(absent);
    expect(body).toContain('- Joined as a member: Newly Joined Org');
    expect(body).not.toContain('Member Since Long Ago');
    // Twenty items in all, in the order of what cannot wait; the library's rest as "and N more".
    expect(body.match(/^- /gm)).toHaveLength(20);
    const at = (s: string) => body.indexOf(s);
    expect(at('Statements open for signing')).toBeLessThan(at('Meetings and actions coming up'));
    expect(at('Meetings and actions coming up')).toBeLessThan(at('New members'));
    expect(at('New members')).toBeLessThan(at('New in the library'));
    expect(body).toMatch(/and \d+ more: http:\/\/[^/]+\/library/);
    expect(body).not.toContain('Paid work');
    expect(body).not.toContain('Tigrinya');
  });

  it('offers paid work to community participants only, and refuses the choice to anyone else, changing nothing', async () => {
    const db = t.platform.db;
    const work = t.platform.digests.get('work');
    const participant: PersonActor = { kind: 'person', id: (people.participant as TestPerson).id, displayName: 'P', networkRole: 'participant', memberships: [], locale: null };
    expect(work?.offeredTo?.(participant)).toBe(true);
    expect(work?.offeredTo?.(staffActor(people.reader as TestPerson))).toBe(false);
    const news = await work?.newFor(participant, new Date(Date.now() - 86_400_000), new Date(), 20, 'weekly');
    expect(news?.items.map((i) => i.title)).toEqual([expect.stringMatching(/^Translate the consultation report into Tigrinya \(\d{4}-\d{2}-\d{2}\)$/)]);
    // The topic's own hint, not the navigation's "Paid work" link.
    expect(text((await (agents.participant as Agent).get('/notifications')).body)).toContain('Paid work for community participants');
    const page = text((await (agents.reader as Agent).get('/notifications')).body);
    expect(page).not.toContain('Paid work for community participants');
    expect(page).toContain('Statements open for signing');
    const before = await snapshot(t);
    const refused = await postForm(t, agents.reader as Agent, '/notifications', { work: 'weekly', library: 'weekly' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('This is not offered to your account');
    expect(changedTables(before, await snapshot(t))).toEqual([]);
    // A choice of only some topics keeps the others as they were.
    expect((await postForm(t, agents.participant as Agent, '/notifications', { work: 'daily' })).statusCode).toBe(303);
    const prefs = await db.selectFrom('notification_preferences').select(['topic', 'frequency']).where('person_id', '=', participant.id).orderBy('topic').execute();
    expect(prefs).toContainEqual({ topic: 'work', frequency: 'daily' });
    expect(prefs).toContainEqual({ topic: 'announcements', frequency: 'never' });
  });
});

describe('topics added later', () => {
  it('do not start digests again for someone who stopped them before the topics existed', async () => {
    const db = t.platform.db;
    const stopped = await createPerson(t, 'member', { organisationId: org });
    const daily = await createPerson(t, 'member', { organisationId: org });
    // As a one-click unsubscribe, or a form, left them before the new topics: library and surveys only.
    await db.insertInto('notification_preferences').values([
      { person_id: stopped.id, topic: 'library', frequency: 'never' },
      { person_id: stopped.id, topic: 'surveys', frequency: 'never' },
      { person_id: daily.id, topic: 'library', frequency: 'daily' },
      { person_id: daily.id, topic: 'surveys', frequency: 'weekly' },
    ]).execute();
    // The migration's rows again, as the application's role may write them (the table's owner alone changes its constraint).
    await sql.raw(digestTopics.CARRY_OVER).execute(db);
    const prefs = async (id: string) => (await db.selectFrom('notification_preferences').select(['topic', 'frequency']).where('person_id', '=', id).orderBy('topic').execute()).map((r) => `${r.topic}:${r.frequency}`);
    expect(await prefs(stopped.id)).toEqual(['library:never', 'meetings:never', 'members:never', 'statements:never', 'surveys:never', 'work:never']);
    expect(await prefs(daily.id)).toEqual(['library:daily', 'meetings:daily', 'members:daily', 'statements:daily', 'surveys:weekly', 'work:daily']);
    await db.deleteFrom('digest_runs').execute();
    await t.services.notifications.runDigests('weekly', new Date(Date.now() + 14 * 86_400_000));
    const { rows } = await sql<{ data: { personIds: string[] } }>`select data from pgboss.job where name = ${DIGEST_JOB}`.execute(db);
    const queued = rows.flatMap((r) => r.data.personIds);
    expect(queued).not.toContain(stopped.id);
    expect(queued).toContain(daily.id);
    await sql`delete from pgboss.job where name = ${DIGEST_JOB}`.execute(db);
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
