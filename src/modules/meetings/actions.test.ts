import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMeeting } from '../../../test/meetings-fixture.ts';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';
import { REMINDER_DAYS_BEFORE } from './actions.schemas.ts';

/**
 * Issue 14, item 7: action items owned by an organisation (and a person only once they accept),
 * updated by those it concerns, reminded before the due date and when overdue, once each; the
 * open ones of a series carried to its next meeting's matters arising.
 */
let t: TestApp;
let orgA = '';
let orgC = '';
const people: Record<string, TestPerson> = {};
const agents: Record<string, Agent> = {};

const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const page = async (who: string, url: string) => {
  const res = await (agents[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};
const idOf = (who: string) => (people[who] as TestPerson).id;
const idFrom = (location: unknown) => /\/actions\/([0-9a-f-]{36})/.exec(String(location))?.[1] as string;
const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);
const actionCount = async () => Number((await t.platform.db.selectFrom('actions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const mailsTo = (who: string) =>
  t.platform.db
    .selectFrom('mail_messages')
    .select(['subject', 'body_text'])
    .where('recipient', '=', (people[who] as TestPerson).identifier)
    .execute();

async function createAction(who: string, form: Record<string, string>): Promise<string> {
  const res = await post(who, '/actions', form);
  expect(res.statusCode, text(res.body).slice(0, 600)).toBe(303);
  return idFrom(res.headers.location);
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = (await createOrganisation(t, 'Alpha Monitors')).id;
  orgC = (await createOrganisation(t, 'Gamma Relief')).id;
  for (const [name, role, org] of [
    ['staffA', 'member', orgA],
    ['colleagueA', 'member', orgA],
    ['adminA', 'org_admin', orgA],
    ['staffC', 'member', orgC],
    ['adminC', 'org_admin', orgC],
  ] as const) {
    people[name] = await createPerson(t, role, { organisationId: org });
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(people[name] as TestPerson);
  }
  await t.platform.db.updateTable('people').set({ display_name: 'Colleague Person' }).where('id', '=', idOf('colleagueA')).execute();
  people.participant = await createPerson(t, 'participant');
  agents.participant = new Agent(t);
  await agents.participant.signIn(people.participant);
  agents.anonymous = new Agent(t);
});
afterAll(async () => t?.close());

describe('recording an action', () => {
  it('an action without an owner is refused with its message, what was typed shown again, nothing recorded', async () => {
    const before = await actionCount();
    const res = await post('staffA', '/actions', { title: 'Brief the new minister', dueOn: day(10) });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Choose the organisation that owns the action.');
    expect(res.body).toContain('value="Brief the new minister"');
    expect(await actionCount()).toBe(before);
  });

  it('links are checked: a meeting the creator does not chair, an unknown statement or alert are refused', async () => {
    const meeting = await insertMeeting(t.platform.db, { organisation_id: orgC, created_by: idOf('staffC') });
    const before = await actionCount();
    const random = '00000000-0000-4000-8000-000000000000';
    for (const link of [{ meeting }, { statement: random }, { alert: random }, { decision: random }] as Record<string, string>[]) {
      const res = await post('staffA', '/actions', { title: 'Linked', owner: orgA, ...link });
      expect(res.statusCode).toBe(400);
      expect(text(res.body)).toContain('Choose one of the options.');
    }
    expect(await actionCount()).toBe(before);
  });

  it('the public and participants may not record actions', async () => {
    const before = await actionCount();
    const anonymous = await post('anonymous', '/actions', { title: 'x', owner: orgA });
    expect(String(anonymous.headers.location ?? '')).not.toContain('/actions/');
    expect((await post('participant', '/actions', { title: 'x', owner: orgA })).statusCode).toBe(404);
    expect(await actionCount()).toBe(before);
  });
});

describe('owners and updates', () => {
  it('a person offered an action does not own it until they accept', async () => {
    const id = await createAction('staffA', { title: 'Draft the briefing note', owner: orgA, dueOn: day(20) });
    // A person of another organisation cannot be offered it.
    const wrong = await post('staffA', `/actions/${id}/offer`, { person: idOf('staffC') });
    expect(wrong.statusCode).toBe(400);
    expect((await post('staffA', `/actions/${id}/offer`, { person: idOf('colleagueA') })).statusCode).toBe(303);
    expect((await mailsTo('colleagueA')).map((m) => m.subject)).toContain('An action is offered to you: Draft the briefing note');

    const offered = await page('colleagueA', '/actions/mine');
    const offeredSection = offered.text.slice(offered.text.indexOf('Offered to you'), offered.text.indexOf('Yours'));
    expect(offeredSection).toContain('Draft the briefing note');
    const yours = offered.text.slice(offered.text.indexOf('Yours'), offered.text.indexOf('Your organisations'));
    expect(yours).not.toContain('Draft the briefing note');
    expect((await page('staffA', `/actions/${id}`)).text).toContain('Owner organisation Alpha Monitors Offered to');
    expect((await page('staffA', `/actions/${id}`)).text).not.toContain('Colleague Person (Alpha Monitors)');
    // Nobody else can accept for them.
    expect((await post('staffA', `/actions/${id}/answer`, { answer: 'accepted' })).statusCode).toBe(404);

    expect((await post('colleagueA', `/actions/${id}/answer`, { answer: 'accepted' })).statusCode).toBe(303);
    expect((await page('staffA', `/actions/${id}`)).text).toContain('Colleague Person (Alpha Monitors)');
    const after = await page('colleagueA', '/actions/mine');
    expect(after.text.slice(after.text.indexOf('Yours'), after.text.indexOf('Your organisations'))).toContain('Draft the briefing note');
  });

  it('staff of the owner organisation update it and every update is kept; staff of another organisation get 404', async () => {
    const id = await createAction('staffA', { title: 'Write to the envoy', owner: orgA });
    expect((await post('colleagueA', `/actions/${id}/status`, { status: 'in_progress', note: 'Draft started' })).statusCode).toBe(303);
    // Dropping needs a note saying why.
    const dropped = await post('colleagueA', `/actions/${id}/status`, { status: 'dropped' });
    expect(dropped.statusCode).toBe(400);
    expect(text(dropped.body)).toContain('Write a note saying what changed.');

    const attack = await post('staffC', `/actions/${id}/status`, { status: 'done', note: 'Not ours' });
    expect(attack.statusCode).toBe(404);
    expect((await post('staffC', `/actions/${id}/offer`, { person: idOf('staffC') })).statusCode).toBe(404);
    // An action of no meeting is the network's work: other members read it, without the forms.
    const seen = await page('staffC', `/actions/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.text).not.toContain('Update the action');
    expect((await page('participant', `/actions/${id}`)).status).toBe(404);
    const row = await t.platform.db.selectFrom('actions').select(['status', 'owner_person_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'in_progress', owner_person_id: null });
    const updates = await t.platform.db.selectFrom('action_updates').select(['status', 'note']).where('action_id', '=', id).execute();
    expect(updates).toEqual([{ status: 'in_progress', note: 'Draft started' }]);
    expect((await page('staffA', `/actions/${id}`)).text).toContain('Draft started');
  });

  it("an organisation's actions for its staff only (/actions?org=)", async () => {
    await createAction('staffA', { title: 'Only for Alpha to see', owner: orgA });
    expect((await page('colleagueA', `/actions?org=${orgA}`)).text).toContain('Only for Alpha to see');
    expect((await page('staffC', `/actions?org=${orgA}`)).status).toBe(404);
  });
});

describe('reminders', () => {
  it('one reminder before the due date and one when overdue, however often the sweep runs', async () => {
    const id = await createAction('staffA', { title: 'Submit the report', owner: orgA, dueOn: day(REMINDER_DAYS_BEFORE + 2) });
    const due = day(REMINDER_DAYS_BEFORE + 2);
    const at = (iso: string) => new Date(`${iso}T08:00:00Z`);
    const subjects = async () => (await mailsTo('adminA')).map((m) => m.subject).filter((s) => s.includes('Submit the report'));
    // Too early: nothing.
    await t.services.actions.runReminders(at(day(0)));
    expect(await subjects()).toEqual([]);
    const dayBefore = new Date(Date.parse(`${due}T08:00:00Z`) - REMINDER_DAYS_BEFORE * 86400_000);
    await t.services.actions.runReminders(dayBefore);
    await t.services.actions.runReminders(dayBefore);
    expect(await subjects()).toEqual([`Due on ${due}: Submit the report`]);
    const overdue = new Date(Date.parse(`${due}T08:00:00Z`) + 2 * 86400_000);
    await t.services.actions.runReminders(overdue);
    await t.services.actions.runReminders(overdue);
    expect((await subjects()).sort()).toEqual([`Due on ${due}: Submit the report`, `Overdue since ${due}: Submit the report`].sort());
    // Staff who are not admins are not mailed; a done action is not reminded again.
    expect((await mailsTo('staffA')).filter((m) => m.subject.includes('Submit the report'))).toEqual([]);
    expect((await post('staffA', `/actions/${id}/status`, { status: 'done', note: 'Sent' })).statusCode).toBe(303);
    await t.services.actions.runReminders(new Date(overdue.getTime() + 86400_000));
    expect(await subjects()).toHaveLength(2);
  });

  it('the person who accepted it is reminded instead of the admins', async () => {
    const due = day(REMINDER_DAYS_BEFORE);
    const id = await createAction('staffA', { title: 'Call the embassy', owner: orgA, dueOn: due });
    expect((await post('staffA', `/actions/${id}/offer`, { person: idOf('colleagueA') })).statusCode).toBe(303);
    expect((await post('colleagueA', `/actions/${id}/answer`, { answer: 'accepted' })).statusCode).toBe(303);
    await t.services.actions.runReminders(new Date());
    expect((await mailsTo('colleagueA')).map((m) => m.subject)).toContain(`Due on ${due}: Call the embassy`);
    expect((await mailsTo('adminA')).map((m) => m.subject)).not.toContain(`Due on ${due}: Call the embassy`);
  });
});

describe('matters arising', () => {
  it('three of five actions still open carry over to the next meeting of the series, exactly those', async () => {
    const db = t.platform.db;
    const { id: seriesId } = await db.insertInto('meeting_series').values({ title: 'Quarterly', organisation_id: orgA }).returning('id').executeTakeFirstOrThrow();
    const first = await insertMeeting(db, { organisation_id: orgA, created_by: idOf('staffA'), series_id: seriesId, starts_at: new Date(Date.now() - 30 * 86400_000) });
    const next = await insertMeeting(db, { organisation_id: orgA, created_by: idOf('staffA'), series_id: seriesId, starts_at: new Date(Date.now() + 30 * 86400_000) });
    const elsewhere = await insertMeeting(db, { organisation_id: orgA, created_by: idOf('staffA'), starts_at: new Date(Date.now() - 30 * 86400_000) });
    const ids: string[] = [];
    for (const title of ['One', 'Two', 'Three', 'Four', 'Five']) ids.push(await createAction('staffA', { title: `Carry ${title}`, owner: orgA, meeting: first }));
    expect((await post('staffA', `/actions/${ids[1]}/status`, { status: 'in_progress', note: 'Under way' })).statusCode).toBe(303);
    expect((await post('staffA', `/actions/${ids[3]}/status`, { status: 'done', note: 'Done' })).statusCode).toBe(303);
    expect((await post('staffA', `/actions/${ids[4]}/status`, { status: 'dropped', note: 'No longer needed' })).statusCode).toBe(303);
    // Not carried: an action of the next meeting itself, and one of a meeting of no series.
    await createAction('staffA', { title: 'Of the next meeting', owner: orgA, meeting: next });
    await createAction('staffA', { title: 'Of another meeting', owner: orgA, meeting: elsewhere });

    const actor = { kind: 'person' as const, id: idOf('staffA'), displayName: 'x', networkRole: 'member' as const, memberships: [{ organisationId: orgA, role: 'staff' as const, name: 'Alpha Monitors' }], locale: null };
    const matters = await t.services.actions.mattersArising(actor, next);
    expect(matters.map((m) => m.title).sort()).toEqual(['Carry One', 'Carry Three', 'Carry Two']);
    expect(matters.every((m) => m.meetingId === first && m.ownerName === 'Alpha Monitors')).toBe(true);
    expect(matters.find((m) => m.title === 'Carry Two')?.status).toBe('in_progress');
    // The first meeting of the series has nothing arising.
    expect(await t.services.actions.mattersArising(actor, first)).toEqual([]);
    // Someone who may not see the meeting: as meetingAccess, not found.
    await expect(t.services.actions.mattersArising({ kind: 'anonymous' }, next)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a series that mixes audiences does not show an earlier restricted meeting’s actions to the next one’s wider audience', async () => {
    const db = t.platform.db;
    const { id: seriesId } = await db.insertInto('meeting_series').values({ title: 'Mixed', organisation_id: orgA }).returning('id').executeTakeFirstOrThrow();
    const closed = await insertMeeting(db, { organisation_id: orgA, created_by: idOf('staffA'), series_id: seriesId, audience: 'organisations', title: 'Closed strategy', starts_at: new Date(Date.now() - 20 * 86400_000) });
    await db.insertInto('meeting_organisations').values({ meeting_id: closed, organisation_id: orgA }).execute();
    const open = await insertMeeting(db, { organisation_id: orgA, created_by: idOf('staffA'), series_id: seriesId, audience: 'network', title: 'Open round', starts_at: new Date(Date.now() + 20 * 86400_000) });
    await createAction('staffA', { title: 'Restricted step', owner: orgA, meeting: closed });
    // Alpha's staff see their own action arising; Gamma's, invited to the open round only, do not.
    const asA = { kind: 'person' as const, id: idOf('colleagueA'), displayName: 'x', networkRole: 'member' as const, memberships: [{ organisationId: orgA, role: 'staff' as const, name: 'Alpha Monitors' }], locale: null };
    const asC = { kind: 'person' as const, id: idOf('staffC'), displayName: 'x', networkRole: 'member' as const, memberships: [{ organisationId: orgC, role: 'staff' as const, name: 'Gamma Relief' }], locale: null };
    expect((await t.services.actions.mattersArising(asA, open)).map((m) => m.title)).toEqual(['Restricted step']);
    expect(await t.services.actions.mattersArising(asC, open)).toEqual([]);
    expect((await page('staffC', `/meetings/${open}/agenda`)).body).not.toContain('Restricted step');
  });
});

describe('an action recorded for another organisation', () => {
  it('is only offered until that organisation’s admin accepts: no work on it, no reminders; then it is theirs', async () => {
    const id = await createAction('staffA', { title: 'Brief the committee for Gamma', owner: orgC, dueOn: day(2) });
    const row = async () => t.platform.db.selectFrom('actions').select(['owner_org_state', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ owner_org_state: 'offered', status: 'open' });
    // Gamma's admin is told, and asked.
    expect((await mailsTo('adminC')).some((m) => m.subject.includes('Brief the committee for Gamma'))).toBe(true);
    const seen = await page('adminC', `/actions/${id}`);
    expect(seen.text).toContain('offered, waiting for the organisation to accept');
    expect(seen.text).toContain('Accept for my organisation');
    // Before accepting: Gamma's staff cannot mark progress, and the sweep reminds nobody.
    expect((await post('staffC', `/actions/${id}/status`, { status: 'in_progress', note: 'Starting' })).statusCode).toBe(404);
    expect((await page('staffC', `/actions/${id}`)).text).not.toContain('Accept for my organisation');
    expect((await post('staffC', `/actions/${id}/answer`, { answer: 'accepted' })).statusCode).toBe(404);
    expect(await t.services.actions.runReminders(new Date())).toBe(0);
    expect(await row()).toMatchObject({ owner_org_state: 'offered', status: 'open' });
    // The admin accepts: now it is Gamma's, and its staff work on it.
    expect((await post('adminC', `/actions/${id}/answer`, { answer: 'accepted' })).statusCode).toBe(303);
    expect(await row()).toMatchObject({ owner_org_state: 'accepted' });
    expect((await post('staffC', `/actions/${id}/status`, { status: 'in_progress', note: 'Starting' })).statusCode).toBe(303);
  });

  it('can be declined by that organisation’s admin, and stays declined', async () => {
    const id = await createAction('staffA', { title: 'Not ours to do', owner: orgC });
    expect((await post('adminC', `/actions/${id}/answer`, { answer: 'declined' })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('actions').select('owner_org_state').where('id', '=', id).executeTakeFirstOrThrow()).owner_org_state).toBe('declined');
    expect((await page('staffA', `/actions/${id}`)).text).toContain('declined by the organisation');
    expect((await post('adminC', `/actions/${id}/answer`, { answer: 'accepted' })).statusCode).toBe(404);
  });
});

describe('a chair from another organisation', () => {
  it('updates an action of their meeting in the same transaction (on the embedded database a read beside it would wait for ever)', async () => {
    const meeting = await insertMeeting(t.platform.db, { organisation_id: orgC, created_by: idOf('staffC'), title: 'Gamma-chaired round' });
    const id = await createAction('staffC', { title: 'Alpha maps the routes', owner: orgA, meeting });
    expect((await post('adminA', `/actions/${id}/answer`, { answer: 'accepted' })).statusCode).toBe(303);
    // staffC is not Alpha's staff: only chairing the meeting lets them update it.
    expect((await post('staffC', `/actions/${id}/status`, { status: 'in_progress', note: 'Chair notes progress' })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('actions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('in_progress');
    // And the app still answers afterwards.
    expect((await page('staffA', '/actions/mine')).status).toBe(200);
  }, 30_000);
});

describe('long lists', () => {
  it('"my actions" and the list show 50 at a time, with where one is and links on; a page out of range is refused', async () => {
    for (let i = 0; i < 52; i++) await createAction('adminC', { title: `Paged action ${String(i).padStart(2, '0')}`, owner: orgC, dueOn: day(20 + (i % 7)) });
    const open = await t.platform.db
      .selectFrom('actions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('owner_organisation_id', '=', orgC)
      .where('status', 'in', ['open', 'in_progress'])
      .where((eb) => eb.or([eb('owner_person_id', 'is', null), eb('owner_person_id', '<>', idOf('staffC'))]))
      .executeTakeFirstOrThrow();
    const n = Number(open.n);
    expect(n).toBeGreaterThan(50);
    const first = await page('staffC', '/actions/mine');
    expect(first.text).toContain(`1–50 of ${n}`);
    expect(first.body).toContain('href="/actions/mine?status=open&amp;page=2#orgs"');
    expect(first.body).not.toContain('Previous page');
    const second = await page('staffC', '/actions/mine?status=open&page=2');
    expect(second.text).toContain(`51–${n} of ${n}`);
    expect(second.body).toContain('Previous page');
    expect((second.body.match(/Paged action \d\d/g) ?? []).length).toBeLessThanOrEqual(n - 50);
    const list = await page('staffC', `/actions?org=${orgC}&page=2`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`51–${n} of ${n}`);
    for (const bad of ['0', '-1', 'x', '1e3', '9'.repeat(6), '3']) {
      const res = await page('staffC', `/actions/mine?page=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.text).toContain('There is no such page.');
    }
    const api = await (agents.staffC as Agent).get('/api/v1/actions?page=2', { accept: 'application/json' });
    expect(api.statusCode).toBe(200);
    const json = api.json() as { page: number; pageSize: number; total: number; items: unknown[] };
    expect(json.page).toBe(2);
    expect(json.pageSize).toBe(50);
    expect(json.items.length).toBe(json.total - 50);
  });
});
