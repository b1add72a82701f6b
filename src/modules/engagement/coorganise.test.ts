import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, auditCount, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';
import { insertMembership } from '../accounts/accounts.repository.ts';

/**
 * Issue 12, item 1: co-organising is a request the lead organisation answers; until it
 * accepts, nothing changes. Only the organisation that owes a payment records or settles
 * it. Item 2, for engagement: a person in several organisations says which one they act
 * for on every form that acts in an organisation's name; nothing is guessed.
 */
let t: TestApp;
let leadOrg = '';
let coOrg = '';
let thirdOrg = '';
let lead: Agent;
let leadPerson: TestPerson;
let co: Agent;
let coPerson: TestPerson;
let third: Agent;
let thirdPerson: TestPerson;
let both: Agent; // staff of the lead organisation and of the co-organiser
let communityId = '';
let id = '';
let paymentId = '';
const participants: { person: TestPerson; agent: Agent }[] = [];
const post = (agent: Agent, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agent, url, form);
const idFrom = (location: unknown) => String(location).split('?')[0]?.split('/').pop() as string;
const today = () => new Date().toISOString().slice(0, 10);

const ready = {
  title: 'Safe routes to family reunion',
  format: 'meeting',
  purpose: 'Hear what stops families from being reunited.',
  decision: 'What our briefing to the Home Office asks for.',
  decisionMaker: 'Our board, in April.',
  canChange: 'The asks and their order.',
  cannotChange: 'The date of the briefing.',
  languages: ['ar', 'en'],
  compensationAmount: '30',
  compensationCurrency: 'GBP',
  compensationBasis: 'per session',
  missingWho: 'People outside London.',
  missingWhy: 'Our meetings were in London.',
  missingSteps: 'An online session in Arabic.',
};

/** Everything a co-organiser's staff could change or learn by acting early. */
async function snapshot() {
  const db = t.platform.db;
  return {
    consultation: await db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    participants: await db.selectFrom('consultation_participants').selectAll().where('consultation_id', '=', id).orderBy('person_id').execute(),
    payments: await db.selectFrom('payments').selectAll().where('consultation_id', '=', id).orderBy('id').execute(),
    feedback: await db.selectFrom('consultation_feedback').selectAll().where('consultation_id', '=', id).execute(),
    audit: await auditCount(t),
  };
}

const mailTo = (recipient: string) => t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', recipient).orderBy('created_at').execute();
const coRow = (organisationId: string) =>
  t.platform.db.selectFrom('consultation_organisers').select(['state', 'requested_by', 'answered_by']).where('consultation_id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst();

beforeAll(async () => {
  t = await buildTestApp();
  leadOrg = (await createOrganisation(t, 'Darfur Witness Network')).id;
  coOrg = (await createOrganisation(t, 'Nile Voices')).id;
  thirdOrg = (await createOrganisation(t, 'Kassala Relief')).id;
  leadPerson = await createPerson(t, 'member', { organisationId: leadOrg });
  coPerson = await createPerson(t, 'member', { organisationId: coOrg });
  thirdPerson = await createPerson(t, 'member', { organisationId: thirdOrg });
  const bothPerson = await createPerson(t, 'member', { organisationId: leadOrg });
  await insertMembership(t.platform.db, { person_id: bothPerson.id, organisation_id: coOrg, role: 'staff' });
  lead = new Agent(t);
  await lead.signIn(leadPerson);
  co = new Agent(t);
  await co.signIn(coPerson);
  third = new Agent(t);
  await third.signIn(thirdPerson);
  both = new Agent(t);
  await both.signIn(bothPerson);

  const community = await post(lead, '/communities', { name: 'Sudanese families in Leeds', dimensions: 'Age band: 18–29, 30–49, 50 and over' });
  expect(community.statusCode).toBe(303);
  communityId = idFrom(community.headers.location);
  const opened = await post(lead, '/consultations', { ...ready, communities: communityId, intent: 'open' });
  expect(opened.statusCode).toBe(303);
  id = idFrom(opened.headers.location);
  for (let i = 0; i < 3; i++) {
    const person = await createPerson(t, 'participant');
    // Each participant gave an address; the second reads Arabic.
    await t.platform.db.updateTable('people').set({ email: `participant${i}.${person.id.slice(0, 6)}@example.org`, locale: i === 1 ? 'ar' : 'en' }).where('id', '=', person.id).execute();
    const agent = new Agent(t);
    await agent.signIn(person);
    participants.push({ person, agent });
  }
  // The first and second take part without being seen by other participants; the third chose to be seen.
  for (const [i, p] of participants.entries()) expect((await post(p.agent, `/consultations/${id}/join`, i === 2 ? { visible: 'yes' } : {})).statusCode).toBe(303);
  expect((await post(lead, `/consultations/${id}/participation`, { person: participants[0]?.person.id as string, hours: '2', amount: '30', currency: 'GBP' })).statusCode).toBe(303);
  paymentId = (await t.platform.db.selectFrom('payments').select('id').where('consultation_id', '=', id).executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const hidden = () => [participants[0]?.person.identifier as string, participants[1]?.person.identifier as string];

describe('co-organising a consultation', () => {
  it('is a request that changes nothing until the lead organisation accepts it', async () => {
    const asked = await post(co, `/consultations/${id}/co-organise`);
    expect(asked.statusCode).toBe(303);
    const before = await snapshot();
    const page = text((await co.get(`/consultations/${id}`)).body);
    for (const name of hidden()) expect(page).not.toContain(name);
    expect(page).not.toContain('For the organisers');
    expect(page).toContain('Nile Voices asked to organise this with Darfur Witness Network. Nothing changes until Darfur Witness Network accepts.');
    expect((await co.get(`/consultations/${id}/edit`)).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}`, { ...ready, title: 'Taken over', communities: communityId })).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}/participation`, { person: participants[1]?.person.id as string, hours: '1', amount: '9999999', currency: 'USD' })).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}/payments/${paymentId}/paid`, { paidOn: today(), method: 'cash' })).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}/close`)).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}/feedback`, { heard: 'a', did: 'b', didNot: 'c' })).statusCode).toBe(404);
    // The requester cannot answer its own request.
    expect((await post(co, `/consultations/${id}/co-organisers/${coOrg}/accept`)).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect(await coRow(coOrg)).toEqual({ state: 'requested', requested_by: coPerson.id, answered_by: null });
    // The lead organisation's staff are asked, and see the request on the organiser page.
    expect((await mailTo(leadPerson.identifier)).map((m) => m.subject)).toContain('Nile Voices asks to organise “Safe routes to family reunion” with you');
    const leadPage = text((await lead.get(`/consultations/${id}`)).body);
    expect(leadPage).toContain('Requests to organise this together');
    expect(leadPage).toContain('Nile Voices asks to organise this with you');

    // Asking twice is refused with a message; nothing is added.
    const again = await post(co, `/consultations/${id}/co-organise`);
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain('This organisation has already asked to organise this consultation.');
    // Before anyone accepts, a participant is told that only the lead organisation will know.
    const newcomer = await createPerson(t, 'participant');
    const agent = new Agent(t);
    await agent.signIn(newcomer);
    const join = text((await agent.get(`/consultations/${id}`)).body);
    expect(join).toContain('These organisations will know that you take part, even if other participants do not see your name: Darfur Witness Network.');
  });

  it('declined, leaves nothing: no rights, no participant seen, and the requester is told', async () => {
    expect((await post(third, `/consultations/${id}/co-organise`)).statusCode).toBe(303);
    const before = await snapshot();
    const mailBefore = await Promise.all(participants.map((p) => mailTo(`participant${participants.indexOf(p)}.${p.person.id.slice(0, 6)}@example.org`)));
    const declined = await post(lead, `/consultations/${id}/co-organisers/${thirdOrg}/decline`);
    expect(declined.statusCode).toBe(303);
    expect(await coRow(thirdOrg)).toMatchObject({ state: 'declined', answered_by: leadPerson.id });
    expect((await mailTo(thirdPerson.identifier)).map((m) => m.subject)).toEqual(['Your request to organise “Safe routes to family reunion” was declined']);
    // Participants are not told of a request that changed nothing.
    const mailAfter = await Promise.all(participants.map((p) => mailTo(`participant${participants.indexOf(p)}.${p.person.id.slice(0, 6)}@example.org`)));
    expect(mailAfter).toEqual(mailBefore);
    const page = text((await third.get(`/consultations/${id}`)).body);
    for (const name of hidden()) expect(page).not.toContain(name);
    expect(page).toContain('Darfur Witness Network declined the request from Kassala Relief');
    expect(page).not.toContain('with Kassala Relief');
    expect((await post(third, `/consultations/${id}/participation`, { person: participants[1]?.person.id as string, hours: '1', amount: '5', currency: 'GBP' })).statusCode).toBe(404);
    expect((await post(third, `/consultations/${id}/payments/${paymentId}/paid`, { paidOn: today(), method: 'cash' })).statusCode).toBe(404);
    // There is nothing to answer for an organisation that did not ask.
    expect((await post(lead, `/consultations/${id}/co-organisers/${leadOrg}/accept`)).statusCode).toBe(404);
    // One answer only; a declined organisation cannot ask again.
    expect(text((await post(lead, `/consultations/${id}/co-organisers/${thirdOrg}/accept`)).body)).toContain('This request has already been answered.');
    expect((await post(third, `/consultations/${id}/co-organise`)).statusCode).toBe(400);
    const after = await snapshot();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    expect(after.audit).toBe(before.audit + 1); // the decline itself, nothing else
  });

  it('accepted, lets the co-organiser see what organisers see, tells each participant, and never settles the lead’s debts', async () => {
    // The requester reads Arabic: the answer comes in Arabic.
    await t.platform.db.updateTable('people').set({ locale: 'ar' }).where('id', '=', coPerson.id).execute();
    const accepted = await post(lead, `/consultations/${id}/co-organisers/${coOrg}/accept`);
    expect(accepted.statusCode).toBe(303);
    await t.platform.db.updateTable('people').set({ locale: 'en' }).where('id', '=', coPerson.id).execute();
    expect((await coRow(coOrg))?.state).toBe('accepted');
    // Every participant with an address is told, in their language, with the way to leave.
    const english = await mailTo(`participant0.${participants[0]?.person.id.slice(0, 6)}@example.org`);
    expect(english.map((m) => m.subject)).toContain('Another organisation now knows that you take part in “Safe routes to family reunion”');
    const told = english.find((m) => m.subject.startsWith('Another organisation'))?.body_text ?? '';
    expect(told).toContain('Nile Voices now organises “Safe routes to family reunion” together with Darfur Witness Network.');
    expect(told).toContain(`/consultations/${id}`);
    expect(told).toContain('If you no longer wish to take part, you can stop');
    const arabic = await mailTo(`participant1.${participants[1]?.person.id.slice(0, 6)}@example.org`);
    expect(arabic.some((m) => /[\u0600-\u06FF]/.test(m.subject) && m.body_text.includes('Nile Voices'))).toBe(true);
    // The requester learns the answer in Arabic.
    const answer = await mailTo(coPerson.identifier);
    expect(answer).toHaveLength(1);
    expect(answer[0]?.subject).toMatch(/[\u0600-\u06FF]/);

    // The co-organiser now sees every participant, the hidden ones included.
    const page = text((await co.get(`/consultations/${id}`)).body);
    for (const name of hidden()) expect(page).toContain(name);
    expect(page).toContain('For the organisers');
    expect(page).toContain('Only Darfur Witness Network changes it, records and pays');
    // A participant about to join is told both names.
    const newcomer = await createPerson(t, 'participant');
    const agent = new Agent(t);
    await agent.signIn(newcomer);
    expect(text((await agent.get(`/consultations/${id}`)).body)).toContain(
      'These organisations will know that you take part, even if other participants do not see your name: Darfur Witness Network and Nile Voices.',
    );

    // But it acts for itself, never in the lead's name: the ledger and the promises are the lead's.
    const before = await snapshot();
    expect((await post(co, `/consultations/${id}/payments/${paymentId}/paid`, { paidOn: today(), method: 'cash' })).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}/payments/${paymentId}/paid`, { paidOn: today(), method: 'cash', actingFor: coOrg })).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}/participation`, { person: participants[1]?.person.id as string, hours: '1', amount: '9999999', currency: 'USD' })).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}/participation`, { person: participants[0]?.person.id as string, hours: '9', amount: '9999999', currency: 'USD', actingFor: leadOrg })).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}`, { ...ready, title: 'Taken over', communities: communityId })).statusCode).toBe(404);
    expect((await post(co, `/consultations/${id}/close`)).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect(before.payments.map((p) => [p.organisation_id, p.status, p.amount_minor])).toEqual([[leadOrg, 'owed', 3000]]);
  });

  it('can be left by a participant while it is open; what they are owed stays owed', async () => {
    const first = participants[0] as { person: TestPerson; agent: Agent };
    const page = text((await first.agent.get(`/consultations/${id}`)).body);
    expect(page).toContain('Darfur Witness Network and Nile Voices');
    expect((await post(first.agent, `/consultations/${id}/leave`)).statusCode).toBe(303);
    expect(await t.platform.db.selectFrom('consultation_participants').select('person_id').where('consultation_id', '=', id).where('person_id', '=', first.person.id).executeTakeFirst()).toBeUndefined();
    expect(text((await first.agent.get('/consultations/mine')).body)).toContain('£30.00 owed to you');
  });
});

describe('acting for an organisation', () => {
  it('asks a person in two organisations to choose, refuses a foreign one, and writes nothing until they do', async () => {
    const form = (await both.get('/consultations/new')).body;
    expect(text(form)).toContain('Which organisation do you act for?');
    expect(form).toMatch(/name="actingFor" value="[^"]+"/);
    expect(form).not.toMatch(/name="actingFor" value="[^"]+" checked/);
    const count = async () => Number((await t.platform.db.selectFrom('consultations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = { consultations: await count(), audit: await auditCount(t) };
    const unchosen = await post(both, '/consultations', { ...ready, title: 'Whose is this?', communities: communityId, intent: 'save' });
    expect(unchosen.statusCode).toBe(400);
    expect(text(unchosen.body)).toContain('Choose which organisation you act for.');
    expect(unchosen.body).toContain('Whose is this?'); // the form is kept
    const foreign = await post(both, '/consultations', { ...ready, title: 'Whose is this?', communities: communityId, intent: 'save', actingFor: thirdOrg });
    expect(foreign.statusCode).toBe(400);
    expect(text(foreign.body)).toContain('Choose which organisation you act for.');
    const work = await post(both, '/opportunities', { kind: 'translation', title: 'Translate a leaflet', description: 'Two pages into Arabic, by next week.', rate: '50', currency: 'GBP', rateBasis: 'task', deadline: '2999-01-01' });
    expect(work.statusCode).toBe(400);
    expect(text(work.body)).toContain('Choose which organisation you act for.');
    const community = await post(both, '/communities', { name: 'Sudanese families in Hull', dimensions: 'Age band: young, old' });
    expect(community.statusCode).toBe(400);
    const media = await post(both, '/media-requests', { person: participants[1]?.person.id as string, outlet: 'BBC Arabic', topic: 'Family reunion delays', trainingOffered: 'An hour with our press officer', supportOffered: 'We come along' });
    expect(media.statusCode).toBe(400);
    expect(text(media.body)).toContain('Choose which organisation you act for.');
    expect(await t.platform.db.selectFrom('media_requests').select('id').execute()).toEqual([]);
    expect(await count()).toBe(before.consultations);
    expect(await auditCount(t)).toBe(before.audit);

    const chosen = await post(both, '/consultations', { ...ready, title: 'Whose is this?', communities: communityId, intent: 'save', actingFor: coOrg });
    expect(chosen.statusCode).toBe(303);
    const row = await t.platform.db.selectFrom('consultations').select('organisation_id').where('id', '=', idFrom(chosen.headers.location)).executeTakeFirstOrThrow();
    expect(row.organisation_id).toBe(coOrg);
  });

  it('acts on paid work only for the organisation that posted it, chosen by a person in two', async () => {
    const posted = await post(both, '/opportunities', { kind: 'translation', title: 'Translate a leaflet', description: 'Two pages into Arabic, by next week.', rate: '50', currency: 'GBP', rateBasis: 'task', deadline: '2999-01-01', actingFor: coOrg });
    expect(posted.statusCode).toBe(303);
    const workId = idFrom(posted.headers.location);
    expect((await t.platform.db.selectFrom('opportunities').select('organisation_id').where('id', '=', workId).executeTakeFirstOrThrow()).organisation_id).toBe(coOrg);
    const state = async () => (await t.platform.db.selectFrom('opportunities').select('state').where('id', '=', workId).executeTakeFirstOrThrow()).state;
    expect((await post(lead, `/opportunities/${workId}/withdraw`)).statusCode).toBe(404);
    expect(text((await post(both, `/opportunities/${workId}/withdraw`)).body)).toContain('Choose which organisation you act for.');
    expect(text((await post(both, `/opportunities/${workId}/withdraw`, { actingFor: leadOrg })).body)).toContain('Choose that organisation.');
    expect(await state()).toBe('open');
    expect((await post(both, `/opportunities/${workId}/withdraw`, { actingFor: coOrg })).statusCode).toBe(303);
    expect(await state()).toBe('withdrawn');
  });

  it('marks a payment paid only for the organisation that owes it, chosen by a person in two', async () => {
    const before = await snapshot();
    const unchosen = await post(both, `/consultations/${id}/payments/${paymentId}/paid`, { paidOn: today(), method: 'bank transfer' });
    expect(unchosen.statusCode).toBe(400);
    expect(text(unchosen.body)).toContain('Choose which organisation you act for.');
    const wrong = await post(both, `/consultations/${id}/payments/${paymentId}/paid`, { paidOn: today(), method: 'bank transfer', actingFor: coOrg });
    expect(wrong.statusCode).toBe(400);
    expect(text(wrong.body)).toContain('Choose that organisation.');
    const foreign = await post(both, `/consultations/${id}/payments/${paymentId}/paid`, { paidOn: today(), method: 'bank transfer', actingFor: thirdOrg });
    expect(foreign.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
    const paid = await post(both, `/consultations/${id}/payments/${paymentId}/paid`, { paidOn: today(), method: 'bank transfer', actingFor: leadOrg });
    expect(paid.statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('payments').select('status').where('id', '=', paymentId).executeTakeFirstOrThrow()).status).toBe('paid');
  });

  it('does not ask a person in one organisation, and says whom they act for', async () => {
    const form = (await lead.get('/consultations/new')).body;
    expect(text(form)).toContain('You act for Darfur Witness Network.');
    expect(form).not.toContain('name="actingFor"');
    const page = text((await lead.get(`/consultations/${id}`)).body);
    expect(page).toContain('You act for Darfur Witness Network.');
    const saved = await post(lead, '/consultations', { ...ready, title: 'Second round', communities: communityId, intent: 'save' });
    expect(saved.statusCode).toBe(303);
    const row = await t.platform.db.selectFrom('consultations').select('organisation_id').where('id', '=', idFrom(saved.headers.location)).executeTakeFirstOrThrow();
    expect(row.organisation_id).toBe(leadOrg);
  });
});
