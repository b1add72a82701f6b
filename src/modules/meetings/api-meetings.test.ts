import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, type TestApp, type TestPerson } from '../../../test/helpers.ts';
import { insertMeeting } from '../../../test/meetings-fixture.ts';

/**
 * Issue 14, item 12: the meetings API answers each caller only what they may see (an API token
 * carries its person), and its routes are in the OpenAPI document.
 */
let t: TestApp;
let orgA: string;
let orgB: string;
let memberA: TestPerson;
let memberB: TestPerson;
let participant: TestPerson;
let tokenA = '';
const ids: Record<string, string> = {};
const ONLINE = 'https://meet.example.org/api-room-8080';
const DAY = 86_400_000;

async function tokenFor(person: TestPerson): Promise<string> {
  const agent = new Agent(t);
  await agent.signIn(person);
  const res = await agent.post('/account/tokens', { name: 'calendar tests', tokenPassword: person.password });
  const token = /<code class="secret" dir="ltr">([^<]+)<\/code>/.exec(res.body)?.[1];
  expect(token, 'a token was made').toBeTruthy();
  return token as string;
}

async function api(url: string, token?: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { items?: Record<string, unknown>[] } };
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = (await createOrganisation(t)).id;
  orgB = (await createOrganisation(t)).id;
  memberA = await createPerson(t, 'member', { organisationId: orgA });
  memberB = await createPerson(t, 'member', { organisationId: orgB });
  participant = await createPerson(t, 'participant');
  const db = t.platform.db;
  const b = { organisation_id: orgB, created_by: memberB.id, online_url: ONLINE };
  const soon = (d: number) => new Date(Date.now() + d * DAY);
  ids.network = await insertMeeting(db, { ...b, title: 'Network meeting', audience: 'network', starts_at: soon(3), agenda_published_at: new Date() });
  ids.orgB = await insertMeeting(db, { ...b, title: 'Only organisation B', audience: 'organisations', starts_at: soon(4) });
  ids.public = await insertMeeting(db, { ...b, title: 'Public briefing', audience: 'organisations', listed_publicly: true, starts_at: soon(5), place: 'Conway Hall' });
  ids.draft = await insertMeeting(db, { ...b, title: 'Draft of B', audience: 'network', state: 'draft', starts_at: soon(6) });
  for (const m of [ids.orgB, ids.public]) await db.insertInto('meeting_organisations').values({ meeting_id: m as string, organisation_id: orgB }).execute();
  await db
    .insertInto('agenda_items')
    .values([
      { meeting_id: ids.network, title: 'Accepted item', minutes: 20, state: 'accepted', position: 1, organisation_id: orgA, proposed_by: memberA.id },
      { meeting_id: ids.network, title: 'Still proposed item', minutes: 10, state: 'proposed', proposed_by: memberA.id },
    ])
    .execute();
  // The decisions register shows approved minutes' decisions (the minutes part's rule).
  for (const m of [ids.network, ids.orgB]) await db.insertInto('meeting_minutes').values({ meeting_id: m as string, state: 'approved', approved_at: new Date() }).execute();
  await db
    .insertInto('decisions')
    .values([
      { meeting_id: ids.network, text: 'Decision of the network meeting', search_text: 'decision of the network meeting' },
      { meeting_id: ids.orgB, text: 'Decision only B may read', search_text: 'decision only b may read' },
    ])
    .execute();
  await db
    .insertInto('actions')
    .values([
      { title: 'Action of the network meeting', owner_organisation_id: orgB, meeting_id: ids.network },
      { title: 'Action of the B meeting', owner_organisation_id: orgB, meeting_id: ids.orgB },
      { title: 'Action of no meeting', owner_organisation_id: orgB },
    ])
    .execute();
  await db.insertInto('goals').values({ year: new Date().getUTCFullYear(), title: 'Atrocity prevention strategy adopted', success: 'Published by the government' }).execute();
  tokenA = await tokenFor(memberA);
});
afterAll(async () => t.close());

describe('the meetings API', () => {
  it('lists for a token’s person what they may see; the public details of listed ones without the online link', async () => {
    const { status, body } = await api('/api/v1/meetings', tokenA);
    expect(status).toBe(200);
    const byTitle = new Map((body.items ?? []).map((m) => [m.title, m]));
    expect(byTitle.get('Network meeting')?.invited).toBe(true);
    expect(byTitle.get('Network meeting')?.onlineUrl).toBe(ONLINE);
    expect(byTitle.get('Public briefing')?.invited).toBe(false);
    expect(byTitle.get('Public briefing')?.onlineUrl).toBeNull();
    expect(byTitle.has('Only organisation B')).toBe(false);
    expect(byTitle.has('Draft of B')).toBe(false);
    expect(byTitle.get('Network meeting')?.uid).toMatch(/\S/);
  });

  it('gives visitors publicly listed meetings only', async () => {
    const { status, body } = await api('/api/v1/meetings');
    expect(status).toBe(200);
    expect((body.items ?? []).map((m) => m.title)).toEqual(['Public briefing']);
    expect(JSON.stringify(body)).not.toContain(ONLINE);
  });

  it('gives one meeting with its accepted agenda, and 404 to anyone who may not see it', async () => {
    const { status, body } = await api(`/api/v1/meetings/${ids.network}`, tokenA);
    expect(status).toBe(200);
    const agenda = body.agenda as { title: string; organisation: string | null }[];
    expect(agenda.map((a) => a.title)).toEqual(['Accepted item']);
    expect(agenda[0]?.organisation).toMatch(/Test organisation/);
    expect((await api(`/api/v1/meetings/${ids.orgB}`, tokenA)).status).toBe(404);
    expect((await api(`/api/v1/meetings/${ids.draft}`, tokenA)).status).toBe(404);
    expect((await api(`/api/v1/meetings/${ids.network}`)).status).toBe(404);
    const pub = await api(`/api/v1/meetings/${ids.public}`);
    expect(pub.status).toBe(200);
    expect((pub.body.meeting as Record<string, unknown>).onlineUrl).toBeNull();
    expect(pub.body.agenda).toEqual([]);
    expect((await api('/api/v1/meetings/not-a-uuid', tokenA)).status).toBeLessThan(500);
  });

  it('lists decisions and actions only of meetings the caller is invited to (and the network’s own)', async () => {
    const decisions = await api('/api/v1/decisions', tokenA);
    expect(decisions.status).toBe(200);
    expect((decisions.body.items ?? []).map((d) => d.text)).toEqual(['Decision of the network meeting']);
    const actions = await api('/api/v1/actions', tokenA);
    expect(actions.status).toBe(200);
    expect((actions.body.items ?? []).map((a) => a.title).sort()).toEqual(['Action of no meeting', 'Action of the network meeting']);
    // A community participant is in no meeting here and not in the network.
    const tokenP = await tokenFor(participant);
    expect((await api('/api/v1/decisions', tokenP)).body.items).toEqual([]);
    expect((await api('/api/v1/actions', tokenP)).body.items).toEqual([]);
    // Goals are the network's: a participant is told nothing exists.
    expect((await api('/api/v1/goals', tokenP)).status).toBe(404);
    // Visitors are not let in at all.
    expect((await api('/api/v1/decisions')).status).toBe(401);
  });

  it('lists the network’s goals of this year for its members', async () => {
    const { status, body } = await api('/api/v1/goals', tokenA);
    expect(status).toBe(200);
    expect((body.items ?? []).map((g) => g.title)).toEqual(['Atrocity prevention strategy adopted']);
    expect(body.year).toBe(new Date().getUTCFullYear());
    expect((await api('/api/v1/goals?year=1999', tokenA)).status).toBe(400);
  });

  it('searches the decisions register', async () => {
    expect(((await api('/api/v1/decisions?q=network', tokenA)).body.items ?? []).length).toBe(1);
    expect(((await api('/api/v1/decisions?q=nothing-like-this', tokenA)).body.items ?? []).length).toBe(0);
  });

  it('keeps decisions of minutes not yet approved out of the register', async () => {
    const draft = await insertMeeting(t.platform.db, { organisation_id: orgB, created_by: memberB.id, title: 'Minutes in draft', audience: 'network', starts_at: new Date(Date.now() - DAY) });
    await t.platform.db.insertInto('decisions').values({ meeting_id: draft, text: 'Not approved yet', search_text: 'not approved yet' }).execute();
    expect(((await api('/api/v1/decisions', tokenA)).body.items ?? []).map((d) => d.text)).not.toContain('Not approved yet');
  });

  it('refuses a bad page number with a field message, not a 500', async () => {
    for (const page of ['0', '-1', 'abc', '99999999']) {
      const res = await api(`/api/v1/meetings?page=${page}`, tokenA);
      expect(res.status, page).toBe(400);
      expect(JSON.stringify(res.body)).toContain('There is no such page.');
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/meetings', '/api/v1/meetings/{id}', '/api/v1/decisions', '/api/v1/actions', '/api/v1/goals']) expect(doc.paths[path], path).toBeDefined();
  });
});
