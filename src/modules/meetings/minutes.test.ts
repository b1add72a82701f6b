import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMeeting } from '../../../test/meetings-fixture.ts';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';

/**
 * Issue 14, items 5 and 6: minutes drafted by the minute-taker, every version kept, circulated to
 * those who attended for corrections, approved by a chair or at the next meeting of the series;
 * attendance naming only those who agreed and never a pseudonym; the decisions register.
 */
let t: TestApp;
let orgA = '';
let orgB = '';
let orgC = '';
const people: Record<string, TestPerson> = {};
const agents: Record<string, Agent> = {};

const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const page = async (who: string, url: string) => {
  const res = await (agents[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};
const idOf = (who: string) => (people[who] as TestPerson).id;

/** A meeting held yesterday, chaired by chairA, minutes taken by takerB; who came is written as check-ins. */
async function heldMeeting(opts: { chatham?: boolean; seriesId?: string; startsAt?: Date } = {}) {
  const db = t.platform.db;
  const id = await insertMeeting(db, {
    organisation_id: orgA,
    created_by: idOf('chairA'),
    starts_at: opts.startsAt ?? new Date(Date.now() - 86400_000),
    chatham_house: opts.chatham ?? false,
    series_id: opts.seriesId ?? null,
    title: 'Quarterly members’ meeting',
  });
  await db.insertInto('meeting_roles').values({ meeting_id: id, person_id: idOf('takerB'), role: 'minute_taker', organisation_id: orgB, state: 'accepted', answered_at: new Date() }).execute();
  const now = new Date();
  const replies = [
    { person: 'takerB', org: orgB, named: false },
    { person: 'namedA', org: orgA, named: true },
    { person: 'quietA', org: orgA, named: false },
    // Agreed to be named, but takes part under a pseudonym: counted, never named.
    { person: 'pseudoB', org: orgB, named: true },
  ];
  for (const r of replies) {
    await db
      .insertInto('meeting_replies')
      .values({ meeting_id: id, person_id: idOf(r.person), answer: 'yes', organisation_id: r.org, named_in_minutes: r.named, checked_in_at: now, updated_at: now })
      .execute();
  }
  // Replied yes but was not checked in: once there is a check-in list, not an attendee.
  await db.insertInto('meeting_replies').values({ meeting_id: id, person_id: idOf('inviteeC'), answer: 'yes', organisation_id: orgC, updated_at: now }).execute();
  return id;
}

const versionCount = async (id: string) => Number((await t.platform.db.selectFrom('minute_versions').select((eb) => eb.fn.countAll().as('n')).where('meeting_id', '=', id).executeTakeFirstOrThrow()).n);
const minutesState = async (id: string) => (await t.platform.db.selectFrom('meeting_minutes').select(['state', 'approved_at_meeting_id']).where('meeting_id', '=', id).executeTakeFirst()) ?? null;

beforeAll(async () => {
  t = await buildTestApp();
  orgA = (await createOrganisation(t, 'Alpha Monitors')).id;
  orgB = (await createOrganisation(t, 'Beta Watch')).id;
  orgC = (await createOrganisation(t, 'Gamma Relief')).id;
  for (const [name, role, org] of [
    ['chairA', 'member', orgA],
    ['namedA', 'member', orgA],
    ['quietA', 'member', orgA],
    ['takerB', 'member', orgB],
    ['pseudoB', 'member', orgB],
    ['inviteeC', 'member', orgC],
    ['nextChair', 'member', orgC],
  ] as const) {
    people[name] = await createPerson(t, role, { organisationId: org });
  }
  for (const name of Object.keys(people)) {
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(people[name] as TestPerson);
  }
  // Someone who takes part under a pseudonym (their real name is on the account, never shown).
  await t.platform.db.updateTable('people').set({ pseudonym: 'Kestrel', display_name: 'Secret Realname' }).where('id', '=', idOf('pseudoB')).execute();
  await t.platform.db.updateTable('people').set({ display_name: 'Quiet Person' }).where('id', '=', idOf('quietA')).execute();
  await t.platform.db.updateTable('people').set({ display_name: 'Named Person' }).where('id', '=', idOf('namedA')).execute();
  agents.anonymous = new Agent(t);
});
afterAll(async () => t?.close());

describe('writing and keeping the minutes', () => {
  it('every save is a new version, and the database refuses rewriting or deleting one', async () => {
    const id = await heldMeeting();
    expect((await post('takerB', `/meetings/${id}/minutes`, { body: 'First draft of the **minutes**.' })).statusCode).toBe(303);
    expect((await post('takerB', `/meetings/${id}/minutes`, { body: 'Second draft of the minutes.' })).statusCode).toBe(303);
    expect(await versionCount(id)).toBe(2);
    const mine = await page('takerB', `/meetings/${id}/minutes`);
    expect(mine.text).toContain('Second draft of the minutes.');
    expect(mine.text).toContain('Version 1');
    await expect(sql`update minute_versions set body = 'rewritten' where meeting_id = ${id} and number = 1`.execute(t.platform.db)).rejects.toThrow(/cannot be rewritten/);
    await expect(sql`delete from minute_versions where meeting_id = ${id}`.execute(t.platform.db)).rejects.toThrow(/cannot be deleted/);
    const kept = await t.platform.db.selectFrom('minute_versions').select('body').where('meeting_id', '=', id).orderBy('number').execute();
    expect(kept.map((v) => v.body)).toEqual(['First draft of the **minutes**.', 'Second draft of the minutes.']);
  });

  it('an empty text is refused with its message and saves nothing; someone who is not the writer gets 404', async () => {
    const id = await heldMeeting();
    const res = await post('takerB', `/meetings/${id}/minutes`, { body: '   ' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Fill in this field.');
    expect((await post('namedA', `/meetings/${id}/minutes`, { body: 'Not mine to write' })).statusCode).toBe(404);
    expect((await post('inviteeC', `/meetings/${id}/minutes/circulate`)).statusCode).toBe(404);
    expect(await versionCount(id)).toBe(0);
  });

  it('under the Chatham House rule the form says the minutes may not attribute what was said', async () => {
    const id = await heldMeeting({ chatham: true });
    const form = await page('takerB', `/meetings/${id}/minutes`);
    expect(form.text).toContain('Chatham House rule: do not attribute anything said to a person or to an organisation.');
    // In Arabic, right to left, the same warning in the reader's language.
    const arabic = new Agent(t);
    await arabic.signIn(people.takerB as TestPerson);
    await postForm(t, arabic, '/language', { locale: 'ar', next: '/' });
    const ar = await arabic.get(`/meetings/${id}/minutes`);
    expect(ar.body).toContain('dir="rtl"');
    expect(text(ar.body)).toContain('قاعدة تشاتام هاوس: لا تنسب أي قول إلى شخص أو إلى منظمة.');
    // The choice is kept on the account: back to English for the tests that follow.
    await postForm(t, arabic, '/language', { locale: 'en', next: '/' });
    const plain = await page('takerB', `/meetings/${await heldMeeting()}/minutes`);
    expect(plain.text).not.toContain('Chatham House rule');
  });
});

describe('circulation, attendance, corrections and approval', () => {
  let id = '';
  beforeAll(async () => {
    id = await heldMeeting();
    expect((await post('takerB', `/meetings/${id}/minutes`, { body: 'We agreed to meet the minister.' })).statusCode).toBe(303);
  });

  it('while drafting, attendees do not read the draft; once circulated they do, with the attendance', async () => {
    expect((await page('namedA', `/meetings/${id}/minutes`)).text).not.toContain('We agreed to meet the minister.');
    expect((await post('takerB', `/meetings/${id}/minutes/circulate`)).statusCode).toBe(303);
    const mail = await t.platform.db.selectFrom('mail_messages').select('subject').where('recipient', '=', people.namedA?.identifier as string).execute();
    expect(mail.map((m) => m.subject)).toContain('Minutes for your corrections: Quarterly members’ meeting');
    const read = await page('namedA', `/meetings/${id}/minutes`);
    expect(read.status).toBe(200);
    expect(read.text).toContain('We agreed to meet the minister.');
    const attendance = read.text.slice(read.text.indexOf('Attendance'), read.text.indexOf('Decisions'));
    expect(attendance).toContain('Alpha Monitors');
    expect(attendance).toContain('Beta Watch');
    // Replied yes but was not checked in: their organisation was not present.
    expect(attendance).not.toContain('Gamma Relief');
    expect(attendance).toContain('Named Person');
    expect(attendance).not.toContain('Quiet Person');
    expect(attendance).not.toContain('Kestrel');
    expect(attendance).not.toContain('Secret Realname');
    expect(attendance).toContain('and 3 other people');
  });

  it('an invitee who did not attend cannot read circulated minutes, the public never', async () => {
    const other = await page('inviteeC', `/meetings/${id}/minutes`);
    expect(other.status).toBe(200);
    expect(other.text).not.toContain('We agreed to meet the minister.');
    expect(other.text).toContain('Every invitee can read them once they are approved.');
    const anonymous = await page('anonymous', `/meetings/${id}/minutes`);
    expect(anonymous.status).not.toBe(200);
    expect(anonymous.text).not.toContain('We agreed to meet the minister.');
    expect((await post('inviteeC', `/meetings/${id}/minutes/corrections`, { body: 'I was not there' })).statusCode).toBe(404);
  });

  it('an attendee sends a correction; a new version answers it; after approval corrections are refused', async () => {
    expect((await post('namedA', `/meetings/${id}/minutes/corrections`, { body: 'It was the deputy minister.' })).statusCode).toBe(303);
    const taker = await page('takerB', `/meetings/${id}/minutes`);
    expect(taker.text).toContain('It was the deputy minister.');
    expect((await post('takerB', `/meetings/${id}/minutes`, { body: 'We agreed to meet the deputy minister.' })).statusCode).toBe(303);
    expect((await page('takerB', `/meetings/${id}/minutes`)).text).toContain('answered in version 2');
    // Approving is a chair's: the minute-taker is not one.
    expect((await post('takerB', `/meetings/${id}/minutes/approve`, { at: 'chair' })).statusCode).toBe(404);
    expect((await post('chairA', `/meetings/${id}/minutes/approve`, { at: 'chair' })).statusCode).toBe(303);
    expect((await minutesState(id))?.state).toBe('approved');
    const before = await t.platform.db.selectFrom('minute_corrections').select('id').where('meeting_id', '=', id).execute();
    const refused = await post('namedA', `/meetings/${id}/minutes/corrections`, { body: 'One more thing' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('The minutes are approved: they can no longer be changed or corrected.');
    expect(await t.platform.db.selectFrom('minute_corrections').select('id').where('meeting_id', '=', id).execute()).toHaveLength(before.length);
    expect((await post('takerB', `/meetings/${id}/minutes`, { body: 'Rewriting history' })).statusCode).toBe(400);
    expect(await versionCount(id)).toBe(2);
  });

  it('once approved, every invitee reads them', async () => {
    const other = await page('inviteeC', `/meetings/${id}/minutes`);
    expect(other.text).toContain('We agreed to meet the deputy minister.');
    expect(other.text).toContain('Approved by a chair');
  });
});

describe('approval at the next meeting of the series', () => {
  it('a chair of the next meeting approves; the approval names that meeting', async () => {
    const db = t.platform.db;
    const { id: seriesId } = await db.insertInto('meeting_series').values({ title: 'Quarterly', organisation_id: orgA }).returning('id').executeTakeFirstOrThrow();
    const first = await heldMeeting({ seriesId, startsAt: new Date(Date.now() - 90 * 86400_000) });
    const next = await insertMeeting(db, { organisation_id: orgC, created_by: idOf('nextChair'), series_id: seriesId, starts_at: new Date(Date.now() - 86400_000), title: 'Next quarterly' });
    expect((await post('takerB', `/meetings/${first}/minutes`, { body: 'Minutes of the first quarter.' })).statusCode).toBe(303);
    // Not circulated yet: nothing to approve.
    expect((await post('nextChair', `/meetings/${first}/minutes/approve`, { at: 'next' })).statusCode).toBe(400);
    expect((await post('takerB', `/meetings/${first}/minutes/circulate`)).statusCode).toBe(303);
    // Someone who chairs neither meeting may not.
    expect((await post('inviteeC', `/meetings/${first}/minutes/approve`, { at: 'next' })).statusCode).toBe(404);
    expect((await post('nextChair', `/meetings/${first}/minutes/approve`, { at: 'next' })).statusCode).toBe(303);
    expect(await minutesState(first)).toEqual({ state: 'approved', approved_at_meeting_id: next });
    expect((await page('namedA', `/meetings/${first}/minutes`)).text).toContain('Approved at the next meeting of the series: Next quarterly');
  });
});

describe('decisions register', () => {
  it('decisions are recorded from the minutes page, listed there, searchable, and only where the minutes may be read', async () => {
    const id = await heldMeeting();
    const empty = await post('takerB', `/meetings/${id}/decisions`, { text: '' });
    expect(empty.statusCode).toBe(400);
    expect(await t.platform.db.selectFrom('decisions').select('id').where('meeting_id', '=', id).execute()).toHaveLength(0);
    expect((await post('namedA', `/meetings/${id}/decisions`, { text: 'An attendee is not a chair' })).statusCode).toBe(404);
    expect((await post('takerB', `/meetings/${id}/decisions`, { text: 'Adopt the Khartoum response protocol' })).statusCode).toBe(303);
    expect((await page('takerB', `/meetings/${id}/minutes`)).text).toContain('Adopt the Khartoum response protocol');
    // The search folds case (and accents): "khartoum" finds "Khartoum".
    const found = await page('takerB', '/decisions?q=khartoum');
    expect(found.text).toContain('Adopt the Khartoum response protocol');
    expect(found.body).toContain(`/meetings/${id}/minutes#decision-`);
    expect((await page('takerB', '/decisions?q=nothing-like-it')).text).not.toContain('Khartoum response');
    // Drafting: an invitee who did not attend does not find it; once approved they do.
    expect((await page('inviteeC', '/decisions?q=khartoum')).text).not.toContain('Khartoum response');
    expect((await post('takerB', `/meetings/${id}/minutes`, { body: 'Minutes.' })).statusCode).toBe(303);
    expect((await post('takerB', `/meetings/${id}/minutes/circulate`)).statusCode).toBe(303);
    expect((await post('chairA', `/meetings/${id}/minutes/approve`, { at: 'chair' })).statusCode).toBe(303);
    expect((await page('inviteeC', '/decisions?q=khartoum')).text).toContain('Adopt the Khartoum response protocol');
  });

  it('a meeting of named organisations: staff of another organisation never find its decisions', async () => {
    const db = t.platform.db;
    const id = await insertMeeting(db, { organisation_id: orgA, created_by: idOf('chairA'), audience: 'organisations', title: 'Closed meeting' });
    await db.insertInto('meeting_organisations').values({ meeting_id: id, organisation_id: orgA }).execute();
    expect((await post('chairA', `/meetings/${id}/decisions`, { text: 'A confidential Darfur decision' })).statusCode).toBe(303);
    expect((await post('chairA', `/meetings/${id}/minutes`, { body: 'Closed minutes.' })).statusCode).toBe(303);
    expect((await post('chairA', `/meetings/${id}/minutes/circulate`)).statusCode).toBe(303);
    expect((await post('chairA', `/meetings/${id}/minutes/approve`, { at: 'chair' })).statusCode).toBe(303);
    expect((await page('chairA', '/decisions?q=darfur')).text).toContain('A confidential Darfur decision');
    expect((await page('inviteeC', '/decisions?q=darfur')).text).not.toContain('Darfur decision');
    expect((await page('inviteeC', `/meetings/${id}/minutes`)).status).toBe(404);
    expect((await post('inviteeC', `/meetings/${id}/decisions`, { text: 'Intruding' })).statusCode).toBe(404);
  });
});
