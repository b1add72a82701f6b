import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';
import type { PersonActor } from '../../platform/policy.ts';

/**
 * Issue 13, item 5 and 11: the people and posts statements go to, as records over time (Popolo),
 * a post resolving to its holder on the day of sending, overlapping holders refused, and the
 * addresses of public figures kept from the public and from other organisations' staff.
 */
let t: TestApp;
let orgL = '';
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
  orgL = (await createOrganisation(t, 'Lead organisation for recipients')).id;
  const orgM = (await createOrganisation(t, 'Other organisation for recipients')).id;
  for (const [name, role, org] of [
    ['staffL', 'member', orgL],
    ['staffM', 'member', orgM],
    ['convener', 'convener', undefined],
    ['participant', 'participant', undefined],
  ] as const) {
    const person = await createPerson(t, role, org ? { organisationId: org } : {});
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
  }
  agents.anonymous = new Agent(t);
});
afterAll(async () => t?.close());

describe('posts, people and bodies', () => {
  it('staff and the convener keep the records; the public reads them without any address', async () => {
    const personId = await createRecord('people', { name: 'Amina Hassan', email: 'amina.hassan@parliament.example' });
    const partyId = await createRecord('bodies', { name: 'Labour Party', classification: 'party' });
    const postId = await createRecord('posts', { label: 'Leader of the Labour Party', body: partyId, email: 'leader.office@labour.example' });
    expect((await post('staffL', `/recipients/posts/${postId}/holders`, { person: personId, startDate: '2020-04-04' })).statusCode).toBe(303);
    expect((await post('staffL', `/recipients/people/${personId}/parties`, { party: partyId, startDate: '2010-01-01' })).statusCode).toBe(303);
    // The convener may add records too.
    expect((await post('convener', '/recipients/bodies', { name: 'Foreign Affairs Committee', classification: 'committee' })).statusCode).toBe(303);

    const list = await page('anonymous', '/recipients?q=labour');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Leader of the Labour Party');
    expect(list.text).toContain('Held by Amina Hassan');
    const person = await page('anonymous', `/recipients/people/${personId}`);
    expect(person.text).toContain('Party: Labour Party');
    expect(person.body).toContain(`/commitments?person=${personId}`);
    const postPage = await page('anonymous', `/recipients/posts/${postId}`);
    expect(postPage.text).toContain('Amina Hassan');
    expect(postPage.body).toContain(`/commitments?post=${postId}`);
    for (const [who, p] of [
      ['anonymous', list],
      ['anonymous', person],
      ['anonymous', postPage],
      ['participant', await page('participant', `/recipients/people/${personId}`)],
      ['participant', await page('participant', '/recipients')],
    ] as const) {
      expect(p.body, who).not.toContain('amina.hassan@parliament.example');
      expect(p.body, who).not.toContain('leader.office@labour.example');
    }
    // Staff see where letters go.
    expect((await page('staffL', `/recipients/people/${personId}`)).body).toContain('amina.hassan@parliament.example');
    expect((await page('staffL', `/recipients/posts/${postId}`)).body).toContain('leader.office@labour.example');
  });

  it('refuses forms from anyone but staff and the convener, and bad input with its message', async () => {
    const before = await t.platform.db.selectFrom('advocacy_persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect((await post('participant', '/recipients/people', { name: 'Someone Else' })).statusCode).toBe(404);
    const anon = await post('anonymous', '/recipients/people', { name: 'Someone Else' });
    expect(anon.statusCode).toBe(303);
    expect(String(anon.headers.location)).toContain('/sign-in');
    const bad = await post('staffL', '/recipients/people', { name: 'x', email: 'not-an-address' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Enter an email address');
    const long = await post('staffL', '/recipients/posts', { label: 'L'.repeat(5000) });
    expect(long.statusCode).toBe(400);
    const after = await t.platform.db.selectFrom('advocacy_persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await page('anonymous', '/recipients/posts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('holders of a post over time', () => {
  it('refuses two people holding a post on the same days, naming the dates; adjacent periods are fine', async () => {
    const x = await createRecord('people', { name: 'Xavier Holder' });
    const y = await createRecord('people', { name: 'Yasmin Holder' });
    const postId = await createRecord('posts', { label: 'Minister for Africa' });
    expect((await post('staffL', `/recipients/posts/${postId}/holders`, { person: x, startDate: '2021-01-01', endDate: '2022-06-30' })).statusCode).toBe(303);
    const overlap = await post('staffL', `/recipients/posts/${postId}/holders`, { person: y, startDate: '2022-06-30' });
    expect(overlap.statusCode).toBe(400);
    expect(text(overlap.body)).toContain('Xavier Holder holds this post from 2021-01-01 to 2022-06-30');
    // The form keeps what was typed.
    expect(overlap.body).toContain('value="2022-06-30"');
    const inside = await post('staffL', `/recipients/posts/${postId}/holders`, { person: y, startDate: '2020-01-01', endDate: '2021-01-01' });
    expect(inside.statusCode).toBe(400);
    expect((await post('staffL', `/recipients/posts/${postId}/holders`, { person: y, startDate: '2022-07-01' })).statusCode).toBe(303);
    const reversed = await post('staffL', `/recipients/posts/${postId}/holders`, { person: x, startDate: '2019-05-01', endDate: '2019-04-01' });
    expect(reversed.statusCode).toBe(400);
    expect(text(reversed.body)).toContain('The last day cannot be before the first day');
    const rows = await t.platform.db.selectFrom('advocacy_memberships').select(['person_id', 'start_date', 'end_date']).where('post_id', '=', postId).orderBy('start_date').execute();
    expect(rows).toEqual([
      { person_id: x, start_date: '2021-01-01', end_date: '2022-06-30' },
      { person_id: y, start_date: '2022-07-01', end_date: null },
    ]);
    // Ending X later, into Y's time, is refused too.
    const m = await t.platform.db.selectFrom('advocacy_memberships').select('id').where('post_id', '=', postId).where('person_id', '=', x).executeTakeFirstOrThrow();
    const extend = await post('staffL', `/recipients/memberships/${m.id}/end`, { endDate: '2023-01-01' });
    expect(extend.statusCode).toBe(400);
    expect(text(extend.body)).toContain('Yasmin Holder holds this post from 2022-07-01');
  });

  it('two requests at once for the same days: one holder is recorded, the other refused', async () => {
    const a = await createRecord('people', { name: 'Concurrent A' });
    const b = await createRecord('people', { name: 'Concurrent B' });
    const postId = await createRecord('posts', { label: 'Chair of the Foreign Affairs Committee' });
    const convener = await createPerson(t, 'convener');
    const actor: PersonActor = { kind: 'person', id: convener.id, displayName: 'Convener', networkRole: 'convener', memberships: [], locale: 'en' };
    const results = await Promise.allSettled([
      t.services.recipients.addHolder(actor, postId, { person: a, startDate: '2024-01-01' }),
      t.services.recipients.addHolder(actor, postId, { person: b, startDate: '2024-01-01' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { messageKey: string }).messageKey).toBe('errors.postHeldOverlap');
    expect(await t.platform.db.selectFrom('advocacy_memberships').select('id').where('post_id', '=', postId).execute()).toHaveLength(1);
  });

  it('a statement to a post goes to its holder that day; after a change the next goes to the new holder, the earlier row stays', async () => {
    const x = await createRecord('people', { name: 'Xander First', email: 'xander@gov.example' });
    const y = await createRecord('people', { name: 'Yara Second', email: 'yara@gov.example' });
    const postId = await createRecord('posts', { label: 'Foreign Secretary' });
    expect((await post('staffL', `/recipients/posts/${postId}/holders`, { person: x, startDate: '2019-01-01' })).statusCode).toBe(303);

    const first = await publishedStatement('First letter to the Foreign Secretary');
    expect((await post('staffL', `/statements/${first}/recipients`, { posts: [postId], channel: 'email' })).statusCode).toBe(303);
    expect((await post('staffL', `/statements/${first}/send`)).statusCode).toBe(303);
    const firstRow = await t.platform.db.selectFrom('statement_recipients').selectAll().where('statement_id', '=', first).executeTakeFirstOrThrow();
    expect(firstRow).toMatchObject({ post_id: postId, person_id: x, address: 'xander@gov.example', delivery: 'queued' });
    expect(firstRow.queued_at).not.toBeNull();
    expect((await t.platform.db.selectFrom('statements').select('sent_at').where('id', '=', first).executeTakeFirstOrThrow()).sent_at).not.toBeNull();
    // Once sent, a recipient cannot be removed.
    const remove = await post('staffL', `/statements/${first}/recipients/${firstRow.id}/remove`);
    expect(remove.statusCode).toBe(400);
    expect(text(remove.body)).toContain('the record stays');

    // Y takes over: X's membership ends yesterday, Y's starts today.
    const xm = await t.platform.db.selectFrom('advocacy_memberships').select('id').where('post_id', '=', postId).executeTakeFirstOrThrow();
    expect((await post('staffL', `/recipients/memberships/${xm.id}/end`, { endDate: day(-1) })).statusCode).toBe(303);
    expect((await post('staffL', `/recipients/posts/${postId}/holders`, { person: y, startDate: day(0) })).statusCode).toBe(303);

    const second = await publishedStatement('Second letter to the Foreign Secretary');
    expect((await post('staffL', `/statements/${second}/recipients`, { posts: [postId], channel: 'email' })).statusCode).toBe(303);
    expect((await post('staffL', `/statements/${second}/send`)).statusCode).toBe(303);
    const secondRow = await t.platform.db.selectFrom('statement_recipients').selectAll().where('statement_id', '=', second).executeTakeFirstOrThrow();
    expect(secondRow).toMatchObject({ post_id: postId, person_id: y, address: 'yara@gov.example' });
    const again = await t.platform.db.selectFrom('statement_recipients').selectAll().where('id', '=', firstRow.id).executeTakeFirstOrThrow();
    expect(again).toMatchObject({ person_id: x, address: 'xander@gov.example' });

    // The public pages: X's page lists the first letter, Y's the second; no address anywhere.
    const xPage = await page('anonymous', `/recipients/people/${x}`);
    expect(xPage.text).toContain('First letter to the Foreign Secretary');
    expect(xPage.text).not.toContain('Second letter');
    const postPage = await page('anonymous', `/recipients/posts/${postId}`);
    expect(postPage.text).toContain('First letter to the Foreign Secretary');
    expect(postPage.text).toContain('Second letter to the Foreign Secretary');
    expect(postPage.body).not.toContain('@gov.example');
  });

  it('a post nobody holds that day is refused at sending, naming the post; nothing is sent', async () => {
    const postId = await createRecord('posts', { label: 'Special Envoy for the Horn of Africa' });
    const s = await publishedStatement('Letter to a vacant post');
    expect((await post('staffL', `/statements/${s}/recipients`, { posts: [postId], channel: 'hand' })).statusCode).toBe(303);
    const res = await post('staffL', `/statements/${s}/send`);
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Nobody holds Special Envoy for the Horn of Africa on');
    const row = await t.platform.db.selectFrom('statement_recipients').selectAll().where('statement_id', '=', s).executeTakeFirstOrThrow();
    expect(row.queued_at).toBeNull();
    expect((await t.platform.db.selectFrom('statements').select('sent_at').where('id', '=', s).executeTakeFirstOrThrow()).sent_at).toBeNull();
    // Removing it before sending is allowed.
    expect((await post('staffL', `/statements/${s}/recipients/${row.id}/remove`)).statusCode).toBe(303);
    expect(await t.platform.db.selectFrom('statement_recipients').select('id').where('statement_id', '=', s).execute()).toHaveLength(0);
  });
});

describe('who may see and change a statement’s recipients', () => {
  it('another organisation’s staff, the convener and the anonymous get nothing', async () => {
    const personId = await createRecord('people', { name: 'Private Address', email: 'private.address@gov.example' });
    const s = await publishedStatement('Letter with a private address');
    expect((await post('staffL', `/statements/${s}/recipients`, { people: [personId], channel: 'email' })).statusCode).toBe(303);
    const owners = await page('staffL', `/statements/${s}/recipients`);
    expect(owners.status).toBe(200);
    expect(owners.text).toContain('Private Address');
    for (const who of ['staffM', 'convener', 'participant']) {
      expect((await page(who, `/statements/${s}/recipients`)).status, who).toBe(404);
      expect((await post(who, `/statements/${s}/recipients`, { people: [personId], channel: 'hand' })).statusCode, who).toBe(404);
      expect((await post(who, `/statements/${s}/send`)).statusCode, who).toBe(404);
    }
    const rows = await t.platform.db.selectFrom('statement_recipients').selectAll().where('statement_id', '=', s).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.queued_at).toBeNull();
    const anon = await post('anonymous', `/statements/${s}/recipients/${rows[0]?.id}/replies`, { kind: 'substantive', body: 'Forged', receivedOn: day(0) });
    expect(anon.statusCode).toBe(303);
    expect(String(anon.headers.location)).toContain('/sign-in');
    expect((await post('staffM', `/statements/${s}/recipients/${rows[0]?.id}/replies`, { kind: 'substantive', body: 'Forged', receivedOn: day(0) })).statusCode).toBe(404);
    expect(await t.platform.db.selectFrom('statement_replies').select('id').where('recipient_id', '=', rows[0]?.id as string).execute()).toHaveLength(0);
    // Malformed ids: 400 for the owners' role, never a crash.
    expect((await post('staffL', `/statements/${s}/recipients/not-a-uuid/remove`)).statusCode).toBe(400);
    // The public section: no address, nothing before sending.
    const section = await t.services.recipients.publicSection(s, false);
    expect(section.recipients).toHaveLength(0);
    expect(JSON.stringify(await t.services.recipients.publicSection(s, true))).not.toContain('private.address@gov.example');
  });

  it('a statement not yet published cannot be sent', async () => {
    const s = await publishedStatement('Not yet published');
    await t.platform.db.updateTable('statements').set({ state: 'circulated' }).where('id', '=', s).execute();
    const personId = await createRecord('people', { name: 'Early Recipient', email: 'early@gov.example' });
    expect((await post('staffL', `/statements/${s}/recipients`, { people: [personId], channel: 'email' })).statusCode).toBe(303);
    const res = await post('staffL', `/statements/${s}/send`);
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Publish the statement before sending it');
  });
});
