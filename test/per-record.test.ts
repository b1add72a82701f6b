import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formsIn } from './forms.ts';
import { Agent, buildTestApp, postForm, type TestApp, text } from './helpers.ts';
import { buildWorld, changedTables, consultationForm, snapshot, today, type World } from './world.ts';

/**
 * Per-record rules: a person allowed to use a route acts only on their own records. The same
 * well-formed request that works on one's own record, sent with the id of a record of ANOTHER
 * organisation or person, answers 404 and changes nothing (every table compared, the audit log
 * included). The requests are well formed, so that the only reason to refuse is whose record it is.
 */
let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildWorld(t);
}, 180_000);
afterAll(async () => t?.close());

type Who = 'member' | 'org_admin' | 'participant';
interface Attempt {
  name: string;
  who: Who[];
  method?: 'GET' | 'POST' | 'DELETE';
  url: () => string;
  form?: () => Record<string, string | string[]>;
}

async function send(agent: Agent, method: string, url: string, form: Record<string, string | string[]> = {}) {
  if (method === 'GET') return agent.get(url, url.startsWith('/api/') ? { accept: 'application/json' } : {});
  if (method === 'POST') return postForm(t, agent, url, form);
  const cookie = agent.cookieHeader();
  return t.app.inject({ method: method as 'DELETE', url, headers: { 'x-csrf-token': await agent.csrf(), origin: 'http://localhost:3000', accept: 'application/json', ...(cookie ? { cookie } : {}) } });
}

/** A's own profile form, as its admin sees it: posted to B's address. */
async function profileForm(): Promise<Record<string, string | string[]>> {
  const page = await w.agents.org_admin.get(`/organisations/${w.A.org.id}/edit`);
  const form = formsIn(page.body, `/organisations/${w.A.org.id}/edit`).find((f) => f.method === 'POST' && f.action.endsWith('/edit'));
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of form?.fields ?? []) out[k] = form?.multi.has(k) ? v : (v[0] ?? '');
  return { ...out, name: 'Taken over by A', mission: 'Rewritten by another organisation.' };
}

const ATTEMPTS: Attempt[] = [
  // Warning signs restricted to another organisation
  { name: "reads a sign restricted to another organisation", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/signs/${w.B.signRestricted}` },
  { name: "reads a sign restricted to another organisation (API)", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/api/v1/signs/${w.B.signRestricted}` },
  { name: "reviews a sign restricted to another organisation", who: ['member', 'org_admin'], url: () => `/signs/${w.B.signRestricted}/reviews`, form: () => ({ kind: 'corroborate', body: 'We saw it too.' }) },
  // Consultations and their ledger
  { name: "closes another organisation's consultation", who: ['member', 'org_admin'], url: () => `/consultations/${w.B.consultation}/close` },
  {
    name: "publishes feedback on another organisation's consultation",
    who: ['member', 'org_admin'],
    url: () => `/consultations/${w.B.consultationClosed}/feedback`,
    form: () => ({ heard: 'Housing came first.', did: 'We changed the plan.', didNot: 'No campaign on remittances.' }),
  },
  { name: "edits another organisation's consultation", who: ['member', 'org_admin'], url: () => `/consultations/${w.B.consultation}`, form: () => consultationForm(w.B.community, 'Rewritten by A') },
  { name: "opens the edit form of another organisation's consultation", who: ['member', 'org_admin'], method: 'GET', url: () => `/consultations/${w.B.consultation}/edit` },
  {
    name: "records a debt in another organisation's name",
    who: ['member', 'org_admin'],
    url: () => `/consultations/${w.B.consultation}/participation`,
    form: () => ({ person: w.Q.id, hours: '2', amount: '9999999', currency: 'USD' }),
  },
  { name: "marks another organisation's consultation payment paid", who: ['member', 'org_admin'], url: () => `/consultations/${w.B.consultation}/payments/${w.B.consultationPayment}/paid`, form: () => ({ paidOn: today(), method: 'bank transfer' }) },
  { name: "marks another organisation's payment paid through its own consultation", who: ['member', 'org_admin'], url: () => `/consultations/${w.A.consultation}/payments/${w.B.consultationPayment}/paid`, form: () => ({ paidOn: today(), method: 'bank transfer' }) },
  // Paid work
  { name: "awards another organisation's paid work", who: ['member', 'org_admin'], url: () => `/opportunities/${w.B.opportunity}/award`, form: () => ({ person: w.Q.id, amount: '120', currency: 'GBP' }) },
  { name: "withdraws another organisation's paid work", who: ['member', 'org_admin'], url: () => `/opportunities/${w.B.opportunity}/withdraw` },
  { name: "marks another organisation's work payment paid", who: ['member', 'org_admin'], url: () => `/opportunities/${w.B.opportunityAwarded}/payments/${w.B.opportunityPayment}/paid`, form: () => ({ paidOn: today(), method: 'bank transfer' }) },
  { name: "marks another organisation's work payment paid through its own work", who: ['member', 'org_admin'], url: () => `/opportunities/${w.A.opportunityAwarded}/payments/${w.B.opportunityPayment}/paid`, form: () => ({ paidOn: today(), method: 'bank transfer' }) },
  // Alerts
  { name: "closes another organisation's alert", who: ['member', 'org_admin'], url: () => `/alerts/${w.B.alert}/close`, form: () => ({ outcome: 'Closed by someone else.' }) },
  // Organisations and their staff
  { name: "opens another organisation's profile form", who: ['org_admin'], method: 'GET', url: () => `/organisations/${w.B.org.id}/edit` },
  { name: "edits another organisation's profile", who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/edit`, form: () => ({}) },
  { name: "lists another organisation's staff", who: ['org_admin'], method: 'GET', url: () => `/organisations/${w.B.org.id}/staff` },
  { name: "adds staff to another organisation", who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/staff`, form: () => ({ email: 'planted@example.org', orgRole: 'org_admin' }) },
  { name: "removes another organisation's staff", who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/staff/${w.B.removable.id}/remove` },
  { name: "removes another organisation's staff through its own organisation", who: ['org_admin'], url: () => `/organisations/${w.A.org.id}/staff/${w.B.removable.id}/remove` },
  { name: 'takes another organisation out of the network', who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/leave` },
  // A person's own things
  { name: "revokes another person's session", who: ['participant', 'member'], url: () => `/account/sessions/${w.sessionOf.get(other())}/revoke` },
  { name: "revokes another person's session (API)", who: ['participant', 'member'], method: 'DELETE', url: () => `/api/v1/me/sessions/${w.sessionOf.get(other())}` },
  { name: "revokes another person's API token", who: ['participant', 'member'], url: () => `/account/tokens/${w.tokenOf.get(other())}/revoke` },
  { name: "revokes another person's API token (API)", who: ['participant', 'member'], method: 'DELETE', url: () => `/api/v1/me/tokens/${w.tokenOf.get(other())}` },
  { name: "deletes another person's alert subscription", who: ['participant', 'member'], url: () => `/alerts/subscriptions/${w.subscriptionOf.get(other())}/delete` },
  { name: "answers another person's media request", who: ['participant'], url: () => `/media-requests/${w.B.mediaRequest}/answer`, form: () => ({ answer: 'given' }) },
  { name: "withdraws another person's media request answer", who: ['participant'], url: () => `/media-requests/${w.B.mediaRequest}/withdraw` },
  { name: "accepts another person's invitation to join an organisation", who: ['participant', 'org_admin'], url: () => `/invitations/organisation/${w.invitationForMember}/accept` },
  { name: "declines another person's invitation to join an organisation", who: ['participant', 'org_admin'], url: () => `/invitations/organisation/${w.invitationForMember}/decline` },
  { name: 'answers a media request for the participant it was sent to', who: ['member', 'org_admin'], url: () => `/media-requests/${w.A.mediaRequest}/answer`, form: () => ({ answer: 'given' }) },
];

// The person whose records "another person's" means, for the one acting now.
let acting: Who = 'participant';
const other = () => (acting === 'participant' ? w.Q.id : w.B.staff.id);

describe("someone else's record answers 404 and changes nothing", () => {
  for (const attempt of ATTEMPTS) {
    for (const who of attempt.who) {
      it(`${who} ${attempt.name}`, async () => {
        acting = who;
        const agent = w.agents[who];
        const method = attempt.method ?? 'POST';
        const url = attempt.url();
        const form = attempt.name === "edits another organisation's profile" ? await profileForm() : (attempt.form?.() ?? {});
        const before = await snapshot(t);
        const res = await send(agent, method, url, form);
        const after = await snapshot(t);
        expect({ status: res.statusCode, changed: changedTables(before, after) }, `${method} ${url} as ${who}: ${text(res.body).slice(0, 200)}`).toEqual({ status: 404, changed: [] });
      });
    }
  }
});

describe('a sign restricted to another organisation is on none of the lists', () => {
  it('not in pages, exports, the API or the feed, for A or for a participant', async () => {
    const marker = 'Testimony held by B alone.';
    for (const who of ['member', 'org_admin', 'participant', 'anonymous'] as const) {
      for (const url of ['/signs', '/signs/export.csv', '/signs/export.json', '/api/v1/signs', '/countries/SDN', '/api/v1/countries/SDN', '/alerts/feed.atom', '/map']) {
        const res = await w.agents[who].get(url, url.startsWith('/api/') ? { accept: 'application/json' } : {});
        expect(res.statusCode, `${url} as ${who}`).toBe(200);
        expect(res.body.includes(marker) || res.body.includes(w.B.signRestricted), `${url} as ${who} shows B's restricted sign`).toBe(false);
      }
    }
    // B itself reads it: the marker is the right one.
    const b = new Agent(t);
    await b.signIn(w.B.staff);
    expect(text((await b.get(`/signs/${w.B.signRestricted}`)).body)).toContain(marker);
  });
});

describe('the same requests on one’s own records work (so the 404s above are about whose record it is)', () => {
  it("an org admin removes their own staff member: the membership ends and the person's rights with it", async () => {
    const removed = new Agent(t);
    await removed.signIn(w.A.removable);
    expect((await removed.get('/signs/new')).statusCode).toBe(200);
    const res = await postForm(t, w.agents.org_admin, `/organisations/${w.A.org.id}/staff/${w.A.removable.id}/remove`, {});
    expect(res.statusCode).toBe(303);
    const memberships = await t.platform.db.selectFrom('memberships').select('organisation_id').where('person_id', '=', w.A.removable.id).execute();
    expect(memberships).toEqual([]);
    expect((await removed.get('/signs/new')).statusCode).toBe(404);
    expect(text((await w.agents.org_admin.get(`/organisations/${w.A.org.id}/staff`)).body)).not.toContain(w.A.removable.identifier);
    // The account remains.
    expect(await t.platform.db.selectFrom('people').select('id').where('id', '=', w.A.removable.id).executeTakeFirst()).toBeTruthy();
  });

  it("a participant revokes their own spare session and token; another person's stay", async () => {
    const mySession = w.sessionOf.get(w.P.id) as string;
    const myToken = w.tokenOf.get(w.P.id) as string;
    expect((await postForm(t, w.agents.participant, `/account/sessions/${mySession}/revoke`, {})).statusCode).toBe(303);
    expect(await t.platform.db.selectFrom('sessions').select('id').where('id', '=', mySession).executeTakeFirst()).toBeUndefined();
    expect((await postForm(t, w.agents.participant, `/account/tokens/${myToken}/revoke`, {})).statusCode).toBe(303);
    const token = await t.platform.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', myToken).executeTakeFirst();
    expect(token === undefined || token.revoked_at !== null).toBe(true);
    expect(await t.platform.db.selectFrom('sessions').select('id').where('id', '=', w.sessionOf.get(w.Q.id) as string).executeTakeFirst()).toBeTruthy();
  });

  it('A closes its own alert and marks its own payment paid', async () => {
    expect((await postForm(t, w.agents.member, `/alerts/${w.A.alert}/close`, { outcome: 'Joint statement issued.' })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('alerts').select('status').where('id', '=', w.A.alert).executeTakeFirstOrThrow()).status).toBe('closed');
    expect((await postForm(t, w.agents.member, `/consultations/${w.A.consultation}/payments/${w.A.consultationPayment}/paid`, { paidOn: today(), method: 'bank transfer' })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('payments').select('status').where('id', '=', w.A.consultationPayment).executeTakeFirstOrThrow()).status).toBe('paid');
  });
});

describe('asking to co-organise gives no rights until the lead organisation accepts', () => {
  it("A asks to co-organise B's consultation: A sees no hidden participant, and cannot edit, close or pay", async () => {
    const res = await postForm(t, w.agents.member, `/consultations/${w.B.consultation}/co-organise`, {});
    expect(res.statusCode, text(res.body).slice(0, 200)).toBeLessThan(500);
    // A request may be stored; an organiser A is not, until B accepts.
    const organisers = await t.platform.db.selectFrom('consultation_organisers').selectAll().where('consultation_id', '=', w.B.consultation).execute();
    expect(organisers.filter((o) => o.organisation_id === w.A.org.id && o.state !== 'requested')).toEqual([]);
    // Q joined B's consultation without choosing to be seen.
    expect(text((await w.agents.member.get(`/consultations/${w.B.consultation}`)).body)).not.toContain(w.Q.identifier);
    const before = await snapshot(t);
    for (const [url, form] of [
      [`/consultations/${w.B.consultation}/close`, {}],
      [`/consultations/${w.B.consultation}/participation`, { person: w.Q.id, hours: '1', amount: '9999999', currency: 'USD' }],
      [`/consultations/${w.B.consultation}/payments/${w.B.consultationPayment}/paid`, { paidOn: today(), method: 'bank transfer' }],
      [`/consultations/${w.B.consultation}`, consultationForm(w.B.community, 'Rewritten by A')],
      // Nor can A answer its own request in B's place.
      [`/consultations/${w.B.consultation}/co-organisers/${w.A.org.id}/accept`, {}],
    ] as [string, Record<string, string | string[]>][]) {
      expect((await postForm(t, w.agents.member, url, form)).statusCode, url).toBe(404);
    }
    expect(changedTables(before, await snapshot(t))).toEqual([]);
  });
});
