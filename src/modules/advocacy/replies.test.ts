import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';

/**
 * Issue 13, item 7: replies recorded against recipients, by the owners or by the recipient
 * through the link in the letter; reminders on day 14 (and 28) to the owners of those who have
 * not answered, once; responsiveness computed from the records.
 */
let t: TestApp;
let orgL = '';
let staffEmail = '';
const agents: Record<string, Agent> = {};

const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const page = async (who: string, url: string) => {
  const res = await (agents[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};
const idFrom = (location: unknown) => /\/([0-9a-f-]{36})(\?|$)/.exec(String(location))?.[1] as string;
const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

/** A published statement owned by organisation L, written straight to the tables this part reads. */
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
    .values({ statement_id: id, number: 1, language: 'en', title, body: 'We ask you to **act**.', content_sha256: 'x'.repeat(64), published_at: new Date() })
    .execute();
  await db.insertInto('statement_signatures').values({ statement_id: id, version_number: 1, content_sha256: 'x'.repeat(64), organisation_id: orgL, appears_as: 'organisation' }).execute();
  return id;
}

async function createRecord(kind: 'people' | 'posts' | 'bodies', form: Record<string, string>) {
  const res = await post('staffL', `/recipients/${kind}`, form);
  expect(res.statusCode, text(res.body).slice(text(res.body).indexOf('There is a problem'), text(res.body).indexOf('There is a problem') + 300)).toBe(303);
  if (kind !== 'bodies') return idFrom(res.headers.location);
  return (await t.platform.db.selectFrom('advocacy_bodies').select('id').where('name', '=', form.name as string).executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  t = await buildTestApp();
  orgL = (await createOrganisation(t, 'Lead organisation for replies')).id;
  const orgM = (await createOrganisation(t, 'Other organisation for replies')).id;
  for (const [name, role, org] of [
    ['staffL', 'member', orgL],
    ['staffM', 'member', orgM],
    ['convener', 'convener', undefined],
    ['participant', 'participant', undefined],
  ] as const) {
    const person = await createPerson(t, role, org ? { organisationId: org } : {});
    if (name === 'staffL') staffEmail = person.identifier;
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
  }
  agents.anonymous = new Agent(t);
});
afterAll(async () => t?.close());

/** A form with a file, multipart as a browser sends it, from the owner. */
async function postMultipart(url: string, form: Record<string, string>, file: { name: string; type: string; data: string }) {
  const agent = agents.staffL as Agent;
  const fd = new FormData();
  fd.append('_csrf', await agent.csrf());
  for (const [k, v] of Object.entries(form)) fd.append(k, v);
  fd.append('attachment', new Blob([file.data], { type: file.type }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: fd });
  const payload = Buffer.from(await request.arrayBuffer());
  const cookie = agent.cookieHeader();
  return t.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': request.headers.get('content-type') as string, origin: 'http://localhost:3000', accept: 'text/html', ...(cookie ? { cookie } : {}) },
  });
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('a letter to five recipients, two of whom reply', () => {
  it('reminds the owners on day 14 of the other three, once; responsiveness is 40 %', async () => {
    const people: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) people.push(await createRecord('people', { name: `Recipient Number ${n}`, email: `recipient${n}@gov.example` }));
    const s = await publishedStatement('Letter to five');
    expect((await post('staffL', `/statements/${s}/recipients`, { people, channel: 'email' })).statusCode).toBe(303);
    expect((await post('staffL', `/statements/${s}/send`)).statusCode).toBe(303);
    const rows = await t.platform.db.selectFrom('statement_recipients').selectAll().where('statement_id', '=', s).execute();
    expect(rows).toHaveLength(5);
    const rowOf = (i: number) => rows.find((r) => r.person_id === people[i]) as (typeof rows)[number];

    // Without a mail server the letters wait in the outbox, each with its own reply link.
    const letter = await t.platform.db.selectFrom('mail_messages').select('body_text').where('recipient', '=', 'recipient2@gov.example').executeTakeFirstOrThrow();
    expect(letter.body_text).toContain('We ask you to act.');
    expect(letter.body_text).toContain('Lead organisation for replies');
    const token = /\/replies\/([A-Za-z0-9_-]{40,})/.exec(letter.body_text)?.[1] as string;
    expect(rowOf(1).reply_token_hash).toBe(sha256(token));
    expect(rowOf(1).delivery_note).toBe('outbox');

    // A reply dated before sending, or in the future, is refused and changes nothing.
    const before = await post('staffL', `/statements/${s}/recipients/${rowOf(0).id}/replies`, { kind: 'substantive', body: 'Too early', receivedOn: day(-1) });
    expect(before.statusCode).toBe(400);
    expect(text(before.body)).toContain('a reply cannot have been received before');
    const future = await post('staffL', `/statements/${s}/recipients/${rowOf(0).id}/replies`, { kind: 'substantive', body: 'Too late', receivedOn: day(2) });
    expect(future.statusCode).toBe(400);
    expect(await t.platform.db.selectFrom('statement_replies').select('id').execute()).toHaveLength(0);

    // Recipient 1 answers through the owners, recipient 2 through the link.
    expect((await post('staffL', `/statements/${s}/recipients/${rowOf(0).id}/replies`, { kind: 'substantive', body: 'We will act on the first ask.', receivedOn: day(0), link: 'https://gov.example/reply' })).statusCode).toBe(303);
    const form = await page('anonymous', `/replies/${token}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Letter to five');
    expect(form.body).not.toContain('recipient2@gov.example');
    const own = await post('anonymous', `/replies/${token}`, { body: 'Our answer, in our own words.' });
    expect(own.statusCode).toBe(200);
    // The link may be used again to add to the reply; an unknown token is not found.
    expect((await post('anonymous', `/replies/${token}`, { body: 'And one more thing.' })).statusCode).toBe(200);
    expect((await page('anonymous', `/replies/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await post('anonymous', `/replies/${'A'.repeat(43)}`, { body: 'x' })).statusCode).toBe(404);
    // Recipient 3 only acknowledges: not an answer.
    expect((await post('staffL', `/statements/${s}/recipients/${rowOf(2).id}/replies`, { kind: 'acknowledgement', receivedOn: day(0) })).statusCode).toBe(303);

    const replies = await t.platform.db.selectFrom('statement_replies').selectAll().orderBy('created_at').execute();
    expect(replies.map((r) => [r.kind, r.published])).toEqual([
      ['substantive', false],
      ['substantive', false],
      ['substantive', false],
      ['acknowledgement', false],
    ]);
    // The owners are told of each reply.
    const told = await t.platform.db.selectFrom('mail_messages').select('subject').where('recipient', '=', staffEmail).execute();
    expect(told.filter((m) => m.subject.startsWith('A reply from'))).toHaveLength(4);

    // Day 14: reminders for the three who have not answered; a second run adds none.
    const sentAt = rowOf(0).queued_at as Date;
    const day14 = new Date(sentAt.getTime() + 14 * 86400_000);
    expect(await t.services.recipients.runReplyReminders(new Date(sentAt.getTime() + 13 * 86400_000))).toBe(0);
    expect(await t.services.recipients.runReplyReminders(day14)).toBe(3);
    expect(await t.services.recipients.runReplyReminders(day14)).toBe(0);
    const reminders = await t.platform.db.selectFrom('statement_reply_reminders').selectAll().execute();
    expect(reminders.map((r) => r.day)).toEqual([14, 14, 14]);
    expect(new Set(reminders.map((r) => r.recipient_id))).toEqual(new Set([rowOf(2).id, rowOf(3).id, rowOf(4).id]));
    const reminder = (await t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', staffEmail).execute()).filter((m) => m.subject.includes('not answered'));
    expect(reminder).toHaveLength(1);
    expect(reminder[0]?.body_text).toContain('Recipient Number 3');
    expect(reminder[0]?.body_text).not.toContain('Recipient Number 1');
    // Day 28: again for the same three, once.
    expect(await t.services.recipients.runReplyReminders(new Date(sentAt.getTime() + 28 * 86400_000))).toBe(3);
    expect(await t.services.recipients.runReplyReminders(new Date(sentAt.getTime() + 28 * 86400_000))).toBe(0);

    // Responsiveness: 2 of the 5 answered, on the day of sending. The owners count every
    // answer; the public only those the owners published, so no unpublished reply shows.
    expect((await t.services.recipients.publicSection(s, true)).responsiveness).toEqual({ addressed: 5, replied: 2, share: 0.4, medianDays: 0 });
    expect((await t.services.recipients.publicSection(s, false)).responsiveness.replied).toBe(0);
    await t.platform.db.updateTable('statement_replies').set({ published: true }).where('recipient_id', 'in', [rowOf(0).id, rowOf(1).id]).execute();
    const section = await t.services.recipients.publicSection(s, false);
    expect(section.responsiveness).toEqual({ addressed: 5, replied: 2, share: 0.4, medianDays: 0 });
    expect(await t.services.recipients.responsivenessOfPerson(people[0] as string)).toEqual({ addressed: 1, replied: 1, share: 1, medianDays: 0 });
    expect((await t.services.recipients.responsivenessOfPerson(people[2] as string)).replied).toBe(0);
    await t.platform.db.updateTable('statement_replies').set({ published: false }).where('recipient_id', 'in', [rowOf(0).id, rowOf(1).id]).execute();
    const owners = await page('staffL', `/statements/${s}/recipients`);
    expect(owners.text).toContain('2 of 5 answered (40%)');

    // Nothing is public until the owners publish it.
    expect((await t.services.recipients.publicSection(s, false)).recipients.flatMap((r) => r.replies)).toHaveLength(0);
    const first = replies[0]?.id as string;
    expect((await post('staffM', `/statements/${s}/replies/${first}/publish`)).statusCode).toBe(404);
    expect((await post('staffL', `/statements/${s}/replies/${first}/publish`)).statusCode).toBe(303);
    const published = await t.services.recipients.publicSection(s, false);
    expect(published.recipients.flatMap((r) => r.replies.map((a) => a.body))).toEqual(['We will act on the first ask.']);
    expect(JSON.stringify(published)).not.toContain('@gov.example');
    expect((await t.services.recipients.publicSection(s, true)).recipients.flatMap((r) => r.replies)).toHaveLength(4);
    expect((await post('staffL', `/statements/${s}/replies/${first}/unpublish`)).statusCode).toBe(303);
    expect((await t.services.recipients.publicSection(s, false)).recipients.flatMap((r) => r.replies)).toHaveLength(0);
  });

  it('stores an attachment and serves it only as a sandboxed download, to those who may see the reply', async () => {
    const personId = await createRecord('people', { name: 'Attaching Minister', email: 'attach@gov.example' });
    const s = await publishedStatement('Letter answered with a PDF');
    expect((await post('staffL', `/statements/${s}/recipients`, { people: [personId], channel: 'post' })).statusCode).toBe(303);
    expect((await post('staffL', `/statements/${s}/send`)).statusCode).toBe(303);
    const r = await t.platform.db.selectFrom('statement_recipients').selectAll().where('statement_id', '=', s).executeTakeFirstOrThrow();
    expect(r).toMatchObject({ delivery: 'pending', address: null });
    // Hand and post deliveries are recorded with their date, not before sending.
    expect((await post('staffL', `/statements/${s}/recipients/${r.id}/delivered`, { deliveredOn: day(-3) })).statusCode).toBe(400);
    expect((await post('staffL', `/statements/${s}/recipients/${r.id}/delivered`, { deliveredOn: day(0) })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('statement_recipients').select('delivery').where('id', '=', r.id).executeTakeFirstOrThrow()).delivery).toBe('delivered');

    const exe = await postMultipart(`/statements/${s}/recipients/${r.id}/replies`, { kind: 'substantive', receivedOn: day(0) }, { name: 'reply.pdf', type: 'application/pdf', data: 'MZ not a pdf' });
    expect(exe.statusCode).toBe(400);
    expect(text(exe.body)).toContain('reply.pdf is not a PDF, PNG, JPEG or plain text file');
    const ok = await postMultipart(`/statements/${s}/recipients/${r.id}/replies`, { kind: 'substantive', receivedOn: day(0) }, { name: 'reply.pdf', type: 'application/pdf', data: '%PDF-1.4 the reply' });
    expect(ok.statusCode).toBe(303);
    const reply = await t.platform.db.selectFrom('statement_replies').selectAll().where('recipient_id', '=', r.id).executeTakeFirstOrThrow();
    const url = `/statements/${s}/replies/${reply.id}/attachment`;
    const mine = await (agents.staffL as Agent).get(url);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(String(mine.headers['content-disposition'])).toMatch(/^attachment/);
    expect(mine.body).toContain('%PDF-1.4 the reply');
    // Unpublished: nobody else; published: everyone.
    expect((await (agents.anonymous as Agent).get(url)).statusCode).toBe(404);
    expect((await post('staffL', `/statements/${s}/replies/${reply.id}/publish`)).statusCode).toBe(303);
    expect((await (agents.anonymous as Agent).get(url)).statusCode).toBe(200);
  });
});
