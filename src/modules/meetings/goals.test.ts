import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, auditCount, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';
import { insertMeeting } from '../../../test/meetings-fixture.ts';

/**
 * Issue 14, items 8 and 11: the network's goals, whose lead organisations lead only once their
 * admin accepts; progress read from real actions, updates, decisions, statements and their
 * commitments; the printable annual page; and the support page the convener keeps, versioned.
 */
let t: TestApp;
const agents: Record<string, Agent> = {};
const people: Record<string, string> = {};
const orgs: Record<string, string> = {};
const year = new Date().getUTCFullYear();
const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const get = (who: string, url: string) => (agents[who] as Agent).get(url);
let goalId = '';

async function goalCount() {
  return Number((await t.platform.db.selectFrom('goals').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
}

async function leadStates() {
  const rows = await t.platform.db.selectFrom('goal_leads').select(['organisation_id', 'state']).where('goal_id', '=', goalId).execute();
  return Object.fromEntries(rows.map((r) => [r.organisation_id === orgs.A ? 'A' : r.organisation_id === orgs.B ? 'B' : r.organisation_id, r.state]));
}

beforeAll(async () => {
  t = await buildTestApp();
  orgs.A = (await createOrganisation(t, 'Goal organisation A')).id;
  orgs.B = (await createOrganisation(t, 'Goal organisation B')).id;
  orgs.C = (await createOrganisation(t, 'Goal organisation C')).id;
  const cast: [string, 'org_admin' | 'member' | 'associate' | 'participant' | 'convener', string | undefined][] = [
    ['adminA', 'org_admin', 'A'],
    ['staffA', 'member', 'A'],
    ['adminB', 'org_admin', 'B'],
    ['staffC', 'member', 'C'],
    ['associate', 'associate', undefined],
    ['participant', 'participant', undefined],
    ['convener', 'convener', undefined],
  ];
  for (const [name, role, org] of cast) {
    const person = await createPerson(t, role, org ? { organisationId: orgs[org] as string } : {});
    people[name] = person.id;
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
  }
  agents.anonymous = new Agent(t);
});
afterAll(async () => t?.close());

describe('setting a goal', () => {
  it('refuses bad input with a message, the form again with what was typed, and keeps nothing', async () => {
    const before = await goalCount();
    const res = await post('staffA', '/goals', { year: 'next', title: 'Atrocity prevention envoy', success: 'An envoy is appointed.', leads: [orgs.A as string] });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Enter a year such as 2027.');
    expect(res.body).toContain('value="Atrocity prevention envoy"');
    const unknown = await post('staffA', '/goals', { year: String(year), title: 'Atrocity prevention envoy', success: 'An envoy is appointed.', leads: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.statusCode).toBe(400);
    expect(text(unknown.body)).toContain('Choose lead organisations from the list of member organisations.');
    expect(await goalCount()).toBe(before);
  });

  it('names lead organisations who are only invited until their admin accepts', async () => {
    const res = await post('staffA', '/goals', { year: String(year), title: 'A UK special envoy for atrocity prevention', success: 'An envoy is appointed with a budget.', leads: [orgs.A as string, orgs.B as string] });
    expect(res.statusCode, text(res.body).slice(0, 300)).toBe(303);
    goalId = String(res.headers.location).match(/\/goals\/([0-9a-f-]{36})/)?.[1] as string;
    expect(await leadStates()).toEqual({ A: 'invited', B: 'invited' });
    const page = text((await get('staffC', `/goals/${goalId}`)).body);
    expect(page).toContain('Goal organisation A (invited, not yet accepted)');
    // The printed page names accepted leads only: none yet.
    const annual = text((await get('staffC', `/goals/print?year=${year}`)).body);
    expect(annual).toContain('A UK special envoy for atrocity prevention');
    expect(annual).toContain('Lead organisations: No lead organisation yet');
  });

  it('lets only the named organisation’s admin answer, for that organisation', async () => {
    const before = await auditCount(t);
    expect((await post('staffA', `/goals/${goalId}/leads`, { organisation: orgs.A as string, answer: 'accept' })).statusCode).toBe(404);
    expect((await post('adminB', `/goals/${goalId}/leads`, { organisation: orgs.A as string, answer: 'accept' })).statusCode).toBe(404);
    expect((await post('staffC', `/goals/${goalId}/leads`, { organisation: orgs.C as string, answer: 'accept' })).statusCode).toBe(404);
    expect(await leadStates()).toEqual({ A: 'invited', B: 'invited' });
    expect(await auditCount(t)).toBe(before);
    expect((await post('adminA', `/goals/${goalId}/leads`, { organisation: orgs.A as string, answer: 'accept' })).statusCode).toBe(303);
    expect((await post('adminB', `/goals/${goalId}/leads`, { organisation: orgs.B as string, answer: 'decline' })).statusCode).toBe(303);
    expect(await leadStates()).toEqual({ A: 'accepted', B: 'declined' });
    const page = text((await get('staffC', `/goals/${goalId}`)).body);
    expect(page).toContain('Lead organisations Goal organisation A');
    expect(page).not.toContain('Goal organisation B');
    expect(text((await get('staffC', `/goals/print?year=${year}`)).body)).toContain('Lead organisations: Goal organisation A');
  });

  it('takes updates from staff of an accepted lead only', async () => {
    const refused = await post('staffC', `/goals/${goalId}/updates`, { body: 'We met the minister.' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('Only staff of an organisation that accepted to lead this goal can post updates.');
    expect((await post('adminB', `/goals/${goalId}/updates`, { body: 'We met the minister.' })).statusCode).toBe(400);
    expect(await t.platform.db.selectFrom('goal_updates').select('id').execute()).toHaveLength(0);
    expect((await post('staffA', `/goals/${goalId}/updates`, { body: 'Briefing sent to the Foreign Affairs Committee.' })).statusCode).toBe(303);
    expect(text((await get('associate', `/goals/${goalId}`)).body)).toContain('Briefing sent to the Foreign Affairs Committee.');
  });

  it('is read by members, associates and the convener; not by participants or visitors', async () => {
    expect((await get('associate', '/goals')).statusCode).toBe(200);
    expect((await get('convener', `/goals/${goalId}`)).statusCode).toBe(200);
    expect((await get('participant', '/goals')).statusCode).toBe(404);
    expect((await get('participant', `/goals/${goalId}`)).statusCode).toBe(404);
    expect((await get('participant', '/goals/print')).statusCode).toBe(404);
    const anon = await get('anonymous', `/goals/${goalId}`);
    expect(anon.statusCode).toBe(303);
    expect(String(anon.headers.location)).toMatch(/^\/sign-in/);
    // Associates read but do not set goals.
    expect((await post('associate', '/goals', { year: String(year), title: 'x', success: 'y', leads: [] })).statusCode).toBe(404);
  });

  it('offers goals of this and last year to the other parts’ selects', async () => {
    await t.platform.db.insertInto('goals').values({ year: year - 3, title: 'An old goal', updated_at: new Date() }).execute();
    await t.platform.db.insertInto('goals').values({ year: year - 1, title: 'Last year’s goal', updated_at: new Date() }).execute();
    const titles = (await t.services.goals.options()).map((g) => g.title);
    expect(titles).toContain('A UK special envoy for atrocity prevention');
    expect(titles).toContain('Last year’s goal');
    expect(titles).not.toContain('An old goal');
  });
});

describe('progress', () => {
  it('counts actions done of all, from the actions that serve the goal', async () => {
    const meeting = await insertMeeting(t.platform.db, { organisation_id: orgs.A as string, created_by: people.adminA as string, title: 'Goal-setting workshop', kind: 'goal_setting', audience: 'members' });
    const statuses = ['done', 'done', 'open', 'in_progress', 'dropped'] as const;
    const ids: string[] = [];
    for (const [i, status] of statuses.entries()) {
      const { id } = await t.platform.db
        .insertInto('actions')
        .values({ title: `Envoy action ${i + 1}`, owner_organisation_id: orgs.A as string, organisation_id: orgs.A as string, status, goal_id: goalId, meeting_id: meeting, created_by: people.adminA as string })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(id);
    }
    // An action serving another goal is not counted here.
    await t.platform.db.insertInto('actions').values({ title: 'Unrelated action', owner_organisation_id: orgs.A as string, organisation_id: orgs.A as string, status: 'done' }).execute();
    await t.platform.db.insertInto('action_updates').values({ action_id: ids[0] as string, status: 'done', note: 'Letter delivered to the Foreign Secretary.', person_id: people.adminA as string, organisation_id: orgs.A as string }).execute();
    await t.platform.db.insertInto('decisions').values({ meeting_id: meeting, text: 'The network asks for an envoy by March.', goal_id: goalId, search_text: 'the network asks for an envoy by march' }).execute();
    // A decision, and the updates of a meeting's actions, are read once the minutes may be.
    expect(text((await get('staffC', `/goals/${goalId}`)).body)).not.toContain('The network asks for an envoy by March.');
    await t.platform.db.insertInto('meeting_minutes').values({ meeting_id: meeting, state: 'approved', approved_at: new Date(), approved_by: people.adminA as string }).execute();
    const page = text((await get('staffC', `/goals/${goalId}`)).body);
    expect(page).toContain('2 of 5 actions done');
    expect(page).toContain('Open: 1');
    expect(page).toContain('In progress: 1');
    expect(page).toContain('Dropped: 1');
    expect(page).toContain('Letter delivered to the Foreign Secretary.');
    expect(page).toContain('The network asks for an envoy by March.');
    expect(text((await get('staffC', `/goals?year=${year}`)).body)).toContain('2 of 5 actions done');
  });

  it('hides updates and decisions of a meeting the reader may not see', async () => {
    const secret = await insertMeeting(t.platform.db, { organisation_id: orgs.A as string, created_by: people.adminA as string, title: 'Closed meeting of A', audience: 'organisations' });
    await t.platform.db.insertInto('meeting_organisations').values({ meeting_id: secret, organisation_id: orgs.A as string }).execute();
    const { id } = await t.platform.db
      .insertInto('actions')
      .values({ title: 'Action of a closed meeting', owner_organisation_id: orgs.A as string, organisation_id: orgs.A as string, goal_id: goalId, meeting_id: secret })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.platform.db.insertInto('action_updates').values({ action_id: id, status: 'in_progress', note: 'Confidential step taken.', organisation_id: orgs.A as string }).execute();
    await t.platform.db.insertInto('decisions').values({ meeting_id: secret, text: 'A confidential decision.', goal_id: goalId, search_text: 'a confidential decision' }).execute();
    await t.platform.db.insertInto('meeting_minutes').values({ meeting_id: secret, state: 'approved', approved_at: new Date(), approved_by: people.adminA as string }).execute();
    const outsider = text((await get('staffC', `/goals/${goalId}`)).body);
    expect(outsider).not.toContain('Confidential step taken.');
    expect(outsider).not.toContain('A confidential decision.');
    const insider = text((await get('staffA', `/goals/${goalId}`)).body);
    expect(insider).toContain('Confidential step taken.');
    expect(insider).toContain('A confidential decision.');
    expect(insider).toContain('2 of 6 actions done');
  });

  it('lists linked published statements with the commitments taken from their replies', async () => {
    const { id: statementId } = await t.platform.db
      .insertInto('statements')
      .values({ kind: 'open_letter', state: 'published', organisation_id: orgs.A as string, language: 'en', published_version: 1, published_at: new Date(), updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.platform.db.insertInto('statement_versions').values({ statement_id: statementId, number: 1, language: 'en', title: 'Letter on a special envoy', body: 'We ask for an envoy.', content_sha256: 'x'.repeat(64), published_at: new Date() }).execute();
    const { id: personId } = await t.platform.db.insertInto('advocacy_persons').values({ name: 'A minister' }).returning('id').executeTakeFirstOrThrow();
    const { id: recipientId } = await t.platform.db.insertInto('statement_recipients').values({ statement_id: statementId, person_id: personId }).returning('id').executeTakeFirstOrThrow();
    const { id: replyId } = await t.platform.db
      .insertInto('statement_replies')
      .values({ recipient_id: recipientId, kind: 'substantive', body: 'We will appoint an envoy.', received_on: '2026-01-10', published: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.platform.db.insertInto('commitments').values({ reply_id: replyId, quote: 'We will appoint an envoy.', summary: 'Appoint an envoy', person_id: personId, organisation_id: orgs.A as string }).execute();
    // A draft statement cannot be linked.
    const { id: draftId } = await t.platform.db.insertInto('statements').values({ kind: 'open_letter', organisation_id: orgs.A as string, language: 'en', updated_at: new Date() }).returning('id').executeTakeFirstOrThrow();
    const draft = await post('staffC', `/goals/${goalId}/links`, { statement: draftId });
    expect(draft.statusCode).toBe(400);
    expect(text(draft.body)).toContain('Choose a published statement from the list.');
    expect(await t.platform.db.selectFrom('goal_statements').select('statement_id').execute()).toHaveLength(0);
    expect((await post('staffC', `/goals/${goalId}/links`, { statement: statementId })).statusCode).toBe(303);
    const page = text((await get('associate', `/goals/${goalId}`)).body);
    expect(page).toContain('Letter on a special envoy');
    expect(page).toContain('Appoint an envoy · Not yet rated');
  });
});

describe('in Arabic', () => {
  it('shows the support page right to left, from the Arabic catalog', async () => {
    const reader = new Agent(t, { 'accept-language': 'ar' });
    const res = await reader.get('/support');
    expect(res.body).toMatch(/<html[^>]*dir="rtl"/);
    expect(text(res.body)).toContain('الرعاية الذاتية والدعم المتبادل');
  });
});

describe('the support page', () => {
  const v1 = 'If a meeting was hard, you are not alone.\n\n- Talk to the convener\n- Take time off';
  const v2 = `${v1}\n\nA peer-support circle meets every first Monday.`;

  it('is kept by the convener only', async () => {
    const before = await auditCount(t);
    expect((await get('adminA', '/support/edit')).statusCode).toBe(404);
    expect((await post('adminA', '/support', { body: v1 })).statusCode).toBe(404);
    expect((await post('associate', '/support', { body: v1 })).statusCode).toBe(404);
    expect(await t.platform.db.selectFrom('support_versions').select('version').execute()).toHaveLength(0);
    expect(await auditCount(t)).toBe(before);
    expect(text((await get('anonymous', '/support')).body)).toContain('The support page has not been written yet.');
  });

  it('keeps every version, and anyone reads the latest', async () => {
    expect((await get('convener', '/support/edit')).statusCode).toBe(200);
    expect((await post('convener', '/support', { body: v1 })).statusCode).toBe(303);
    const same = await post('convener', '/support', { body: v1 });
    expect(same.statusCode).toBe(400);
    expect(text(same.body)).toContain('This is the text of the current version.');
    const short = await post('convener', '/support', { body: 'Too short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Too short');
    expect((await post('convener', '/support', { body: v2 })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('support_versions').select('version').orderBy('version').execute()).map((r) => r.version)).toEqual([1, 2]);
    const latest = await get('anonymous', '/support');
    expect(latest.statusCode).toBe(200);
    expect(text(latest.body)).toContain('A peer-support circle meets every first Monday.');
    expect(text(latest.body)).toContain('Version 2');
    const first = text((await get('anonymous', '/support/1')).body);
    expect(first).toContain('This is not the current version.');
    expect(first).not.toContain('peer-support circle');
    expect((await get('anonymous', '/support/9')).statusCode).toBe(404);
  });

  it('is linked from the footer of every page', async () => {
    expect((await get('anonymous', '/')).body).toMatch(/<footer>[\s\S]*href="\/support"/);
  });
});
