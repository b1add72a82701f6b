import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, auditCount, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';

let t: TestApp;
let staffA: Agent;
let staffB: Agent;
let convener: Agent;
const participants: { person: TestPerson; agent: Agent }[] = [];
let communityId = '';
const anonymous = () => new Agent(t);
const post = (agent: Agent, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agent, url, form);
const idFrom = (location: unknown) => String(location).split('?')[0]?.split('/').pop() as string;

const ready = {
  title: 'Priorities for the Sudan advocacy plan',
  format: 'meeting',
  purpose: 'Hear which issues the community wants in our 2027 advocacy plan.',
  decision: 'Which three issues the plan puts first.',
  decisionMaker: 'The board of Darfur Witness Network, in March.',
  canChange: 'The order of the issues, and which ones are in the plan.',
  cannotChange: 'The budget, which is already fixed by our funder.',
  languages: ['ar', 'en'],
  compensationAmount: '25.50',
  compensationCurrency: 'GBP',
  compensationBasis: 'per session of two hours, plus travel',
  missingWho: 'Women from rural Darfur and young people under 25.',
  missingWhy: 'Our meetings were in central London on weekday evenings.',
  missingSteps: 'A Saturday session in Birmingham with childcare and interpretation.',
};

beforeAll(async () => {
  t = await buildTestApp();
  const orgA = await createOrganisation(t, 'Darfur Witness Network');
  const orgB = await createOrganisation(t, 'Nile Voices');
  staffA = new Agent(t);
  await staffA.signIn(await createPerson(t, 'member', { organisationId: orgA.id }));
  staffB = new Agent(t);
  await staffB.signIn(await createPerson(t, 'member', { organisationId: orgB.id }));
  convener = new Agent(t);
  await convener.signIn(await createPerson(t, 'convener'));
  for (let i = 0; i < 7; i++) {
    const person = await createPerson(t, 'participant');
    const agent = new Agent(t);
    await agent.signIn(person);
    participants.push({ person, agent });
  }
});
afterAll(async () => t?.close());

describe('communities', () => {
  it('are defined with the groups they want heard; a malformed line is named and nothing is stored', async () => {
    const before = await auditCount(t);
    const bad = await post(staffA, '/communities', { name: 'Sudanese diaspora in the UK', dimensions: 'Region of origin: Darfur, Khartoum\nAge band 18-29 30-49' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Line 2 needs a name, a colon');
    expect(bad.body).toContain('Age band 18-29 30-49'); // the form is kept
    expect(await auditCount(t)).toBe(before);

    const ok = await post(staffA, '/communities', { name: 'Sudanese diaspora in the UK', languages: ['ar', 'en'], dimensions: 'Region of origin: Darfur, Khartoum, Kordofan\nAge band: 18–29, 30–49, 50 and over' });
    expect(ok.statusCode).toBe(303);
    communityId = idFrom(ok.headers.location);
    const page = text((await anonymous().get(`/communities/${communityId}`)).body);
    expect(page).toMatch(/Region of origin\s*: Darfur, Khartoum, and Kordofan/);
    expect(page).toContain('How often this community was asked');
    const again = await post(staffB, '/communities', { name: 'sudanese diaspora in the uk', dimensions: 'Age: young, old' });
    expect(text(again.body)).toContain('already exists');
  });

  it('lets participants belong and describe themselves voluntarily, "prefer not to say" included', async () => {
    const page = (await participants[0]?.agent.get(`/communities/${communityId}`))?.body ?? '';
    expect(text(page)).toContain('I belong to this community');
    expect(text(page)).not.toMatch(/immigration status\?|address:/i);
    // Five say Darfur, one Khartoum, one prefers not to say; nobody answers the age band.
    const dims = await t.platform.db.selectFrom('community_dimensions').innerJoin('community_groups', 'community_groups.dimension_id', 'community_dimensions.id').select(['community_dimensions.id as d', 'community_groups.id as g', 'community_groups.label']).where('community_id', '=', communityId).execute();
    const region = dims.find((x) => x.label === 'Darfur')?.d as string;
    const group = (label: string) => dims.find((x) => x.label === label)?.g as string;
    for (const [i, p] of participants.entries()) {
      expect((await post(p.agent, `/communities/${communityId}/join`)).statusCode).toBe(303);
      const answer = i < 5 ? group('Darfur') : i === 5 ? group('Khartoum') : 'prefer_not';
      expect((await post(p.agent, `/communities/${communityId}/describe`, { [`d_${region}`]: answer })).statusCode).toBe(303);
    }
    const wrong = await post(participants[0]?.agent as Agent, `/communities/${communityId}/describe`, { [`d_${region}`]: group('18–29') });
    expect(wrong.statusCode).toBe(400);
    expect(text(wrong.body)).toContain('Choose one of the options.');
    // Staff cannot put themselves in a community of participants.
    expect((await post(staffA, `/communities/${communityId}/join`)).statusCode).toBe(404);
  });
});

describe('consultations', () => {
  let id = '';

  it('saves a draft but cannot open it without expectations and "who is missing"; bad amounts are refused', async () => {
    const draft = await post(staffA, '/consultations', { title: ready.title, format: 'meeting', communities: communityId, intent: 'save' });
    expect(draft.statusCode).toBe(303);
    id = idFrom(draft.headers.location);
    // A draft is the organisers' own: nobody else sees it.
    expect((await anonymous().get(`/consultations/${id}`)).statusCode).toBe(404);
    expect((await participants[0]?.agent.get(`/consultations/${id}`))?.statusCode).toBe(404);

    const before = await auditCount(t);
    const refused = await post(staffA, `/consultations/${id}`, { title: ready.title, format: 'meeting', communities: communityId, intent: 'open' });
    expect(refused.statusCode).toBe(400);
    const message = text(refused.body);
    expect(message).toContain('Say what this consultation is for');
    expect(message).toContain('Say what cannot change');
    expect(message).toContain('Say who is missing from this conversation');
    expect(message).toContain('Enter the payment, or say why there is none');
    const negative = await post(staffA, `/consultations/${id}`, { ...ready, compensationAmount: '-5', communities: communityId, intent: 'open' });
    expect(negative.statusCode).toBe(400);
    expect(text(negative.body)).toContain('Enter an amount of zero or more');
    const noCurrency = await post(staffA, `/consultations/${id}`, { ...ready, compensationCurrency: '', communities: communityId, intent: 'open' });
    expect(text(noCurrency.body)).toContain('Choose the currency of the amount');
    expect(await auditCount(t)).toBe(before);
    const row = await t.platform.db.selectFrom('consultations').select(['state', 'purpose']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'draft', purpose: null });

    const opened = await post(staffA, `/consultations/${id}`, { ...ready, communities: communityId, intent: 'open' });
    expect(opened.statusCode).toBe(303);
    const page = text((await anonymous().get(`/consultations/${id}`)).body);
    expect(page).toContain('The budget, which is already fixed by our funder.');
    expect(page).toContain('£25.50');
  });

  it('shows another organisation asking the same community that it can join forces', async () => {
    const other = await post(staffB, '/consultations', { title: 'Mental health services survey', format: 'survey', communities: communityId, intent: 'save' });
    const otherId = idFrom(other.headers.location);
    expect(text((await staffB.get(`/consultations/${otherId}`)).body)).toContain('Priorities for the Sudan advocacy plan');
    expect(text((await staffB.get(`/consultations/${id}`)).body)).toContain('Ask to organise it together');
  });

  it('lets participants join; names are seen only by those who chose to be seen', async () => {
    for (const [i, p] of participants.entries()) {
      expect((await post(p.agent, `/consultations/${id}/join`, i === 0 ? { visible: 'yes' } : {})).statusCode).toBe(303);
    }
    const first = participants[0]?.person.identifier as string;
    const second = participants[1]?.person.identifier as string;
    const asSecond = text((await participants[1]?.agent.get(`/consultations/${id}`))?.body ?? '');
    expect(asSecond).toContain(first);
    expect(asSecond).not.toContain(participants[2]?.person.identifier as string);
    expect(asSecond).toContain('Only the organisers know that you take part.');
    expect(text((await anonymous().get(`/consultations/${id}`)).body)).not.toContain(first);
    // Organisers see everyone: they pay them.
    expect(text((await staffA.get(`/consultations/${id}`)).body)).toContain(second);
  });

  it('shows who was reached without any count below 5', async () => {
    const page = (await staffA.get(`/consultations/${id}`)).body;
    const table = page.slice(page.indexOf('Region of origin</caption>'), page.indexOf('</table>', page.indexOf('Region of origin</caption>')));
    const cells = [...table.matchAll(/<th scope="row">([^<]+)<\/th><td>([^<]+)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(cells).toEqual([
      ['Darfur', 'Not shown, so that small groups stay unknown'],
      ['Khartoum', 'Fewer than 5 reached'],
      ['Kordofan', 'Fewer than 5 reached'],
      ['Prefer not to say', 'Not shown, so that small groups stay unknown'],
      ['No answer', 'Not shown, so that small groups stay unknown'],
    ]);
    expect(text(page)).toContain('7 participants from this community');
  });

  it('records participation and payment; the participant sees what is owed, then paid', async () => {
    const person = participants[0]?.person.id as string;
    const bad = await post(staffA, `/consultations/${id}/participation`, { person, hours: '2', amount: '-3', currency: 'GBP' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Enter an amount of zero or more');
    expect((await post(staffA, `/consultations/${id}/participation`, { person, hours: '2', amount: '25.50', currency: 'GBP' })).statusCode).toBe(303);
    expect(text((await participants[0]?.agent.get('/consultations/mine'))?.body ?? '')).toContain('£25.50 owed to you');
    const payment = await t.platform.db.selectFrom('payments').select('id').where('person_id', '=', person).executeTakeFirstOrThrow();
    const account = await post(staffA, `/consultations/${id}/payments/${payment.id}/paid`, { paidOn: new Date().toISOString().slice(0, 10), method: 'transfer to 12345678' });
    expect(account.statusCode).toBe(400);
    expect(text(account.body)).toContain('without account numbers');
    const future = await post(staffA, `/consultations/${id}/payments/${payment.id}/paid`, { paidOn: '2999-01-01', method: 'bank transfer' });
    expect(text(future.body)).toContain('cannot be in the future');
    expect((await post(staffA, `/consultations/${id}/payments/${payment.id}/paid`, { paidOn: new Date().toISOString().slice(0, 10), method: 'bank transfer' })).statusCode).toBe(303);
    expect(text((await participants[0]?.agent.get('/consultations/mine'))?.body ?? '')).toMatch(/In British Pound: owed to you £0\.00, paid to you £25\.50\./);
    // A payment still owed when it falls due: the organisation's staff are reminded, once.
    const second = participants[3]?.person.id as string;
    expect((await post(staffA, `/consultations/${id}/participation`, { person: second, hours: '1,5', amount: '20', currency: 'GBP' })).statusCode).toBe(303);
    const owed = await t.platform.db.selectFrom('payments').select('id').where('person_id', '=', second).executeTakeFirstOrThrow();
    const reminders = () => t.platform.db.selectFrom('mail_messages').select('body_text').where('subject', 'like', 'A payment is overdue%').execute();
    await t.services.payments.remindIfOwed(owed.id);
    await t.services.payments.remindIfOwed(owed.id);
    expect((await reminders()).map((m) => m.body_text.split('\n')[0])).toEqual(['£20.00 owed to a participant of “Priorities for the Sudan advocacy plan” has not been paid after 30 days.']);
    await t.services.payments.remindIfOwed(payment.id); // already paid: nothing
    expect(await reminders()).toHaveLength(1);
    // Another organisation cannot touch this ledger.
    expect((await post(staffB, `/consultations/${id}/participation`, { person, hours: '1', amount: '5', currency: 'GBP' })).statusCode).toBe(404);
  });

  it('cannot close the loop until feedback is published; every participant is told in their language', async () => {
    const arabic = participants[1]?.person.id as string;
    await t.platform.db.updateTable('people').set({ email: 'reader@example.org', locale: 'ar' }).where('id', '=', arabic).execute();
    const early = await post(staffA, `/consultations/${id}/feedback`, { heard: 'x', did: 'y', didNot: 'z' });
    expect(text(early.body)).toContain('Close the consultation before publishing');
    expect((await post(staffA, `/consultations/${id}/close`)).statusCode).toBe(303);
    const empty = await post(staffA, `/consultations/${id}/feedback`, { heard: 'Housing and asylum delays came first.', did: '', didNot: '' });
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain('Say what you did or decided before closing the loop.');
    expect(empty.body).toContain('Housing and asylum delays came first.');
    expect((await t.platform.db.selectFrom('consultations').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBe('closed');

    const done = await post(staffA, `/consultations/${id}/feedback`, {
      heard: 'Housing and asylum delays came first.',
      did: 'The plan now leads with asylum delays.',
      didNot: 'We did not add a campaign on remittances: no budget this year.',
    });
    expect(done.statusCode).toBe(303);
    const mail = await t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', 'reader@example.org').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.body_text).toContain('The plan now leads with asylum delays.');
    expect(mail[0]?.subject).toMatch(/[\u0600-\u06FF]/); // Arabic
    const page = text((await participants[2]?.agent.get(`/consultations/${id}`))?.body ?? '');
    expect(page).toContain('You said, we did');
    expect(page).toContain('We did not add a campaign on remittances');
    expect((await post(staffA, `/consultations/${id}/feedback`, { heard: 'a', did: 'b', didNot: 'c' })).statusCode).toBe(400);
  });

  it('updates the track record and the fatigue view', async () => {
    const track = text((await anonymous().get('/consultations/track-record')).body);
    expect(track).toMatch(/Darfur Witness Network 1 1 of 1 \(100%\) 0 days 1 of 1 \(100%\)/);
    const fatigue = text((await anonymous().get(`/communities/${communityId}`)).body);
    expect(fatigue).toMatch(/Last 3 months 1 1 of 1 finished 0 days Darfur Witness Network \(1\)/);
  });
});
