import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';

/**
 * The second reader's findings on statements, each as the move that exposed it: a registered
 * account reading the network's comments and an unpublished correction, a signature landing on
 * text the signer never saw, a decliner shown publicly as a signatory of a draft, and any staff
 * member publishing in every signatory's name.
 */
let t: TestApp;
const agents: Record<string, Agent> = {};
const future = (n: number) => new Date(Date.now() + n * 86400_000).toISOString().slice(0, 10);
const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const get = async (who: string, url: string) => {
  const res = await (agents[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};
const draft = {
  kind: 'joint_statement',
  language: 'en',
  title: 'Stop the transfers of weapons',
  summary: 'Organisations call for an end to arms transfers.',
  asks: 'Suspend export licences',
  body: 'We call for the suspension of all export licences.',
  countries: ['SDN'],
  alerts: [],
  allowIndividuals: 'yes',
};
let orgD = '';

beforeAll(async () => {
  t = await buildTestApp();
  const lead = await createOrganisation(t, 'Review Lead Organisation');
  const b = await createOrganisation(t, 'Review Second Organisation');
  const d = await createOrganisation(t, 'Review Declining Organisation');
  orgD = d.id;
  for (const [name, role, org] of [
    ['lead', 'org_admin', lead.id],
    ['leadStaff', 'member', lead.id],
    ['adminB', 'org_admin', b.id],
    ['adminD', 'org_admin', d.id],
    ['participant', 'participant', undefined],
  ] as const) {
    const person = await createPerson(t, role, org ? { organisationId: org } : {});
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
  }
  agents.anonymous = new Agent(t);
});
afterAll(async () => t?.close());

async function circulated(): Promise<string> {
  const res = await post('lead', '/statements', draft);
  expect(res.statusCode).toBe(303);
  const id = String(res.headers.location).match(/\/statements\/([0-9a-f-]{36})/)?.[1] as string;
  expect((await post('lead', `/statements/${id}/circulate`, { deadline: future(10) })).statusCode).toBe(303);
  return id;
}

describe('what an individual who may co-sign reads', () => {
  it('the text only: no comments, no draft history, no unpublished correction', async () => {
    const id = await circulated();
    expect((await post('adminB', `/statements/${id}/comments`, { body: 'Comment for the network only.' })).statusCode).toBe(303);
    expect((await get('adminB', `/statements/${id}`)).text).toContain('Comment for the network only.');
    const reader = await get('participant', `/statements/${id}`);
    expect(reader.status).toBe(200);
    expect(reader.text).toContain('We call for the suspension of all export licences.');
    expect(reader.text).not.toContain('Comment for the network only.');

    expect((await post('lead', `/statements/${id}/sign`)).statusCode).toBe(303);
    expect((await post('lead', `/statements/${id}/publish`)).statusCode).toBe(303);
    const correction = await post('lead', `/statements/${id}/correction`, { title: draft.title, summary: draft.summary, asks: draft.asks, body: 'Unpublished corrected text.', note: 'A fix' });
    expect(correction.statusCode).toBe(303);
    for (const who of ['participant', 'anonymous']) {
      const page = await get(who, `/statements/${id}`);
      expect(page.text, who).toContain('We call for the suspension of all export licences.');
      expect(page.text, who).not.toContain('Unpublished corrected text.');
      expect(page.text, who).not.toContain('Comment for the network only.');
    }
    expect((await get('participant', `/statements/${id}/versions/2`)).status).toBe(404);
  });
});

describe('a signature binds the text the signer read', () => {
  it('if a new version is saved after the page was read, nothing is signed and the new text is shown', async () => {
    const id = await circulated();
    const page = await get('adminB', `/statements/${id}`);
    const seen = page.body.match(/name="sha256" value="([0-9a-f]{64})"/)?.[1] as string;
    expect(seen).toMatch(/^[0-9a-f]{64}$/);
    expect((await post('lead', `/statements/${id}/edit`, { ...draft, body: 'A different text, saved in the meantime.' })).statusCode).toBe(303);
    const stale = await post('adminB', `/statements/${id}/sign`, { sha256: seen });
    expect(stale.statusCode).toBe(400);
    expect(text(stale.body)).toContain('The text changed while you were reading it');
    expect(text(stale.body)).toContain('A different text, saved in the meantime.');
    expect(await t.platform.db.selectFrom('statement_signatures').selectAll().where('statement_id', '=', id).execute()).toEqual([]);
    const fresh = (await get('adminB', `/statements/${id}`)).body.match(/name="sha256" value="([0-9a-f]{64})"/)?.[1] as string;
    expect((await post('adminB', `/statements/${id}/sign`, { sha256: fresh })).statusCode).toBe(303);
    const rows = await t.platform.db.selectFrom('statement_signatures').select(['version_number', 'content_sha256']).where('statement_id', '=', id).execute();
    expect(rows).toEqual([{ version_number: 2, content_sha256: fresh }]);
  });
});

describe('publishing and declining', () => {
  it('a staff member who is not a signatory cannot publish in everyone’s name', async () => {
    const id = await circulated();
    expect((await post('lead', `/statements/${id}/sign`)).statusCode).toBe(303);
    const res = await post('leadStaff', `/statements/${id}/publish`);
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Only an organisation admin, or a staff member named to sign');
    expect((await t.platform.db.selectFrom('statements').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBe('circulated');
  });

  it('an organisation that signed a draft and declined the final text is not shown to the public as a signatory', async () => {
    const id = await circulated();
    expect((await post('adminD', `/statements/${id}/sign`)).statusCode).toBe(303);
    expect((await post('lead', `/statements/${id}/edit`, { ...draft, body: 'The final text, which D will not sign.' })).statusCode).toBe(303);
    expect((await post('adminD', `/statements/${id}/decline`, { reason: 'Private reason of D' })).statusCode).toBe(303);
    expect((await post('lead', `/statements/${id}/sign`)).statusCode).toBe(303);
    expect((await post('lead', `/statements/${id}/publish`)).statusCode).toBe(303);
    const page = await get('anonymous', `/statements/${id}`);
    expect(page.text).toContain('Review Lead Organisation');
    expect(page.text).not.toContain('Review Declining Organisation');
    expect(page.text).not.toContain('Private reason of D');
    expect(orgD).toBeTruthy();
  });
});
