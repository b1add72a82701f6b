import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, auditCount, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';

/** The opportunities board, media requests, and the invitation mailed when a consultation opens. */
let t: TestApp;
let staffA: Agent;
let staffB: Agent;
let staffAEmail = '';
const people: { person: TestPerson; agent: Agent; email: string }[] = [];
let workId = '';
const anonymous = () => new Agent(t);
const post = (agent: Agent, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agent, url, form);
const idFrom = (location: unknown) => String(location).split('?')[0]?.split('/').pop() as string;
const mailTo = (email: string) => t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', email).orderBy('created_at').execute();
const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const participant = (i: number) => people[i] as { person: TestPerson; agent: Agent; email: string };

const translation = {
  kind: 'translation',
  title: 'Translate our report summary into Arabic',
  description: 'Four pages, plain language, by the end of the month. We send the text by email.',
  rate: '120',
  currency: 'GBP',
  rateBasis: 'task',
  languages: ['ar', 'en'],
  deadline: inFuture(14),
};

beforeAll(async () => {
  t = await buildTestApp();
  const orgA = await createOrganisation(t, 'Darfur Witness Network');
  const orgB = await createOrganisation(t, 'Nile Voices');
  const a = await createPerson(t, 'member', { organisationId: orgA.id });
  staffAEmail = a.identifier;
  staffA = new Agent(t);
  await staffA.signIn(a);
  staffB = new Agent(t);
  await staffB.signIn(await createPerson(t, 'member', { organisationId: orgB.id }));
  for (let i = 0; i < 4; i++) {
    const person = await createPerson(t, 'participant');
    const email = `participant${i}@example.org`;
    await t.platform.db.updateTable('people').set({ email, locale: i === 1 ? 'ar' : 'en' }).where('id', '=', person.id).execute();
    const agent = new Agent(t);
    await agent.signIn(person);
    people.push({ person, agent, email });
  }
});
afterAll(async () => t?.close());

describe('opportunities board', () => {
  it('lets participants opt in to hear of work by skill and language; ticking nothing is refused', async () => {
    const before = await auditCount(t);
    const bad = await post(participant(0).agent, '/opportunities/preferences', { notify: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Tick at least one kind of work');
    expect(await auditCount(t)).toBe(before);
    // 0: translation in Arabic; 1: translation, any language (reads Arabic); 2: catering only; 3: translation in French.
    expect((await post(participant(0).agent, '/opportunities/preferences', { notify: 'yes', skills: ['translation', 'interpreting'], languages: ['ar'] })).statusCode).toBe(303);
    expect((await post(participant(1).agent, '/opportunities/preferences', { notify: 'yes', skills: ['translation'] })).statusCode).toBe(303);
    expect((await post(participant(2).agent, '/opportunities/preferences', { notify: 'yes', skills: ['catering'] })).statusCode).toBe(303);
    expect((await post(participant(3).agent, '/opportunities/preferences', { notify: 'yes', skills: ['translation'], languages: ['fr'] })).statusCode).toBe(303);
    const page = (await participant(0).agent.get('/opportunities/preferences')).body;
    expect(page).toMatch(/value="translation" checked/);
    expect(page).toMatch(/value="catering"(?! checked)/);
  });

  it('refuses a posting without pay, with a negative rate or a past deadline, keeping the form', async () => {
    const before = await auditCount(t);
    const negative = await post(staffA, '/opportunities', { ...translation, rate: '-5' });
    expect(negative.statusCode).toBe(400);
    expect(text(negative.body)).toContain(translation.description); // the form is kept
    const past = await post(staffA, '/opportunities', { ...translation, deadline: '2020-01-01' });
    expect(text(past.body)).toContain('The deadline cannot be in the past.');
    const noCurrency = await post(staffA, '/opportunities', { ...translation, currency: 'XXX' });
    expect(noCurrency.statusCode).toBe(400);
    expect(await auditCount(t)).toBe(before);
    expect(await t.platform.db.selectFrom('opportunities').select('id').execute()).toHaveLength(0);
    // Participants cannot post.
    expect((await post(participant(0).agent, '/opportunities', translation)).statusCode).toBe(404);
  });

  it('posts the work and mails only those who asked for that skill in one of its languages, in their language', async () => {
    const ok = await post(staffA, '/opportunities', translation);
    expect(ok.statusCode).toBe(303);
    workId = idFrom(ok.headers.location);
    const [m0] = await mailTo(participant(0).email);
    expect(m0?.subject).toBe('Paid work: Translation — “Translate our report summary into Arabic”');
    expect(m0?.body_text).toContain('Pay: £120.00 for the whole job');
    expect(m0?.body_text).toContain('/opportunities/preferences');
    const [m1] = await mailTo(participant(1).email);
    expect(m1?.subject).toMatch(/[\u0600-\u06FF]/); // in Arabic
    expect(await mailTo(participant(2).email)).toHaveLength(0); // catering only
    expect(await mailTo(participant(3).email)).toHaveLength(0); // French only

    const board = text((await anonymous().get('/opportunities')).body);
    expect(board).toContain('Translate our report summary into Arabic');
    expect(board).toContain('£120.00 for the whole job');
    const publicPage = text((await anonymous().get(`/opportunities/${workId}`)).body);
    expect(publicPage).toContain('Four pages, plain language');
    expect(publicPage).not.toContain('Applicants');
    expect(publicPage).toContain('To apply, sign in with your community member account, or join');
  });

  it('takes applications; only the posting organisation sees who applied', async () => {
    expect((await post(participant(0).agent, `/opportunities/${workId}/apply`, { note: 'Free most evenings.' })).statusCode).toBe(303);
    expect((await post(participant(0).agent, `/opportunities/${workId}/apply`, { note: 'again' })).statusCode).toBe(303); // once only
    // Participant 2 applies and thinks better of it: the application is gone.
    expect((await post(participant(2).agent, `/opportunities/${workId}/apply`)).statusCode).toBe(303);
    expect(text((await participant(2).agent.get(`/opportunities/${workId}`)).body)).toContain('Withdraw my application');
    expect((await post(participant(2).agent, `/opportunities/${workId}/unapply`)).statusCode).toBe(303);
    expect(await t.platform.db.selectFrom('opportunity_applications').select('person_id').where('person_id', '=', participant(2).person.id).execute()).toHaveLength(0);
    expect((await post(participant(1).agent, `/opportunities/${workId}/apply`)).statusCode).toBe(303);
    const mine = text((await participant(0).agent.get(`/opportunities/${workId}`)).body);
    expect(mine).toContain('You applied.');
    expect(mine).not.toContain(participant(1).person.identifier);
    const staff = text((await staffA.get(`/opportunities/${workId}`)).body);
    expect(staff).toContain(participant(0).person.identifier);
    expect(staff).toContain('Free most evenings.');
    expect(staff).not.toContain('again');
    expect(text((await staffB.get(`/opportunities/${workId}`)).body)).not.toContain(participant(0).person.identifier);
  });

  it('awards the work into the same payments ledger and tells every applicant', async () => {
    expect((await post(staffB, `/opportunities/${workId}/award`, { person: participant(0).person.id, amount: '120', currency: 'GBP' })).statusCode).toBe(404);
    const before = await auditCount(t);
    const stranger = await post(staffA, `/opportunities/${workId}/award`, { person: participant(2).person.id, amount: '120', currency: 'GBP' });
    expect(stranger.statusCode).toBe(400);
    expect(text(stranger.body)).toContain('Choose someone who applied for this work.');
    const negative = await post(staffA, `/opportunities/${workId}/award`, { person: participant(0).person.id, amount: '-120', currency: 'GBP' });
    expect(negative.statusCode).toBe(400);
    // 9,999,999 Kuwaiti dinars is 9,999,999,000 fils: more than the ledger holds, so refused, not a crash.
    const huge = await post(staffA, `/opportunities/${workId}/award`, { person: participant(0).person.id, amount: '9999999', currency: 'KWD' });
    expect(huge.statusCode).toBe(400);
    expect(await auditCount(t)).toBe(before);

    expect((await post(staffA, `/opportunities/${workId}/award`, { person: participant(0).person.id, amount: '120', currency: 'GBP' })).statusCode).toBe(303);
    const payment = await t.platform.db.selectFrom('payments').selectAll().where('opportunity_id', '=', workId).executeTakeFirstOrThrow();
    expect(payment).toMatchObject({ person_id: participant(0).person.id, amount_minor: 12000, currency: 'GBP', status: 'owed', consultation_id: null });
    expect((await mailTo(participant(0).email)).map((m) => m.subject)).toContain('You got the work: “Translate our report summary into Arabic”');
    expect((await mailTo(participant(1).email)).at(-1)?.subject).toMatch(/[\u0600-\u06FF]/);
    expect(text((await participant(1).agent.get(`/opportunities/${workId}`)).body)).toContain('اختير شخص آخر'); // someone else was chosen, in Arabic
    expect(text((await participant(0).agent.get(`/opportunities/${workId}`)).body)).toContain('You got this work.');
    const again = await post(staffA, `/opportunities/${workId}/award`, { person: participant(1).person.id, amount: '1', currency: 'GBP' });
    expect(text(again.body)).toContain('already given');
    expect((await post(participant(2).agent, `/opportunities/${workId}/apply`)).statusCode).toBe(400);
    const decided = await post(participant(0).agent, `/opportunities/${workId}/unapply`);
    expect(decided.statusCode).toBe(400);
    expect(text(decided.body)).toContain('can no longer be withdrawn');

    // Still owed when it falls due: staff are reminded, with a link to the work.
    await t.services.payments.remindIfOwed(payment.id);
    const [reminder] = await mailTo(staffAEmail);
    expect(reminder?.body_text).toContain(`/opportunities/${workId}#payments`);

    const yearZero = await post(staffA, `/opportunities/${workId}/payments/${payment.id}/paid`, { paidOn: '0000-01-01', method: 'bank transfer' });
    expect(text(yearZero.body)).toContain('Enter a date as year-month-day');
    const future = await post(staffA, `/opportunities/${workId}/payments/${payment.id}/paid`, { paidOn: inFuture(3), method: 'bank transfer' });
    expect(text(future.body)).toContain('cannot be in the future');
    expect((await post(staffA, `/opportunities/${workId}/payments/${payment.id}/paid`, { paidOn: new Date().toISOString().slice(0, 10), method: 'bank transfer' })).statusCode).toBe(303);
    const mine = text((await participant(0).agent.get('/consultations/mine')).body);
    expect(mine).toContain('Translate our report summary into Arabic');
    expect(mine).toContain('You got this work.');
    expect(mine).toMatch(/£120\.00 paid on/);
    const track = text((await anonymous().get('/consultations/track-record')).body);
    expect(track).toContain('£120.00 paid, £0.00 owed');
  });

  it('can be taken down, after which nobody can apply', async () => {
    const ok = await post(staffA, '/opportunities', { ...translation, kind: 'catering', title: 'Lunch for thirty at the community meeting', rateBasis: 'day', languages: [] });
    const id = idFrom(ok.headers.location);
    expect((await mailTo(participant(2).email)).map((m) => m.subject)).toEqual(['Paid work: Catering — “Lunch for thirty at the community meeting”']);
    expect((await post(staffB, `/opportunities/${id}/withdraw`)).statusCode).toBe(404);
    expect((await post(staffA, `/opportunities/${id}/withdraw`)).statusCode).toBe(303);
    expect(text((await anonymous().get('/opportunities')).body)).not.toContain('Lunch for thirty');
    const late = await post(participant(2).agent, `/opportunities/${id}/apply`);
    expect(late.statusCode).toBe(400);
    expect(text(late.body)).toContain('This work no longer takes applications.');
  });
});

describe('media requests', () => {
  let requestId = '';

  it('require training and support offered, and a member the organisation works with', async () => {
    const page = text((await staffA.get('/media-requests')).body);
    expect(page).toContain(participant(0).person.identifier); // applied for its work
    expect(page).not.toContain(participant(3).person.identifier); // never worked with them
    const before = await auditCount(t);
    const bare = await post(staffA, '/media-requests', { person: participant(0).person.id, outlet: 'BBC Arabic', topic: 'Life in the diaspora after the war' });
    expect(bare.statusCode).toBe(400);
    expect(text(bare.body)).toContain('Say what media training you offered.');
    expect(text(bare.body)).toContain('Say what support you offered.');
    expect(bare.body).toContain('Life in the diaspora after the war');
    const stranger = await post(staffA, '/media-requests', { person: participant(3).person.id, outlet: 'BBC Arabic', topic: 'x y z', trainingOffered: 'a', supportOffered: 'b' });
    expect(text(stranger.body)).toContain('Choose someone who took part in your consultations or applied for your work.');
    expect(await auditCount(t)).toBe(before);
  });

  it('is answered by the member alone; the mail does not name the journalist', async () => {
    const ok = await post(staffA, '/media-requests', {
      person: participant(0).person.id,
      outlet: 'BBC Arabic',
      topic: 'Life in the diaspora after the war',
      trainingOffered: 'A practice interview with our press officer.',
      supportOffered: 'Someone with you at the interview; travel paid.',
    });
    expect(ok.statusCode).toBe(303);
    requestId = (await t.platform.db.selectFrom('media_requests').select('id').executeTakeFirstOrThrow()).id;
    const mail = (await mailTo(participant(0).email)).at(-1);
    expect(mail?.subject).toBe('A request for you in Northstar');
    expect(mail?.body_text).not.toContain('BBC');
    const mine = text((await participant(0).agent.get('/consultations/mine')).body);
    expect(mine).toContain('Darfur Witness Network asks if you would speak to BBC Arabic');
    expect(mine).toContain('A practice interview with our press officer.');
    // Nobody else can answer for them; the other organisation does not see it.
    expect((await post(participant(1).agent, `/media-requests/${requestId}/answer`, { answer: 'given' })).statusCode).toBe(404);
    expect((await post(staffA, `/media-requests/${requestId}/answer`, { answer: 'given' })).statusCode).toBe(404);
    expect(text((await staffB.get('/media-requests')).body)).not.toContain('BBC Arabic');
    expect(text((await staffA.get('/media-requests')).body)).toContain('Waiting for their answer');

    expect((await post(participant(0).agent, `/media-requests/${requestId}/answer`, { answer: 'given' })).statusCode).toBe(303);
    expect(text((await staffA.get('/media-requests')).body)).toContain('Agreed');
    const twice = await post(participant(0).agent, `/media-requests/${requestId}/answer`, { answer: 'refused' });
    expect(twice.statusCode).toBe(400);
    expect(text(twice.body)).toContain('You already answered this request.');
  });

  it('lets a member turn a no into a yes', async () => {
    await post(staffA, '/media-requests', { person: participant(1).person.id, outlet: 'Radio Dabanga', topic: 'Aid that does not arrive', trainingOffered: 'A practice interview.', supportOffered: 'Travel paid.' });
    const id = (await t.platform.db.selectFrom('media_requests').select('id').where('outlet', '=', 'Radio Dabanga').executeTakeFirstOrThrow()).id;
    expect((await post(participant(1).agent, `/media-requests/${id}/answer`, { answer: 'refused' })).statusCode).toBe(303);
    expect((await post(participant(1).agent, `/media-requests/${id}/answer`, { answer: 'given' })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('media_requests').select('consent').where('id', '=', id).executeTakeFirstOrThrow()).consent).toBe('given');
  });

  it('can be withdrawn by the member, and the organisation is told at once', async () => {
    expect((await post(participant(0).agent, `/media-requests/${requestId}/withdraw`)).statusCode).toBe(303);
    expect(text((await staffA.get('/media-requests')).body)).toContain('Took their agreement back');
    const told = (await mailTo(staffAEmail)).at(-1);
    expect(told?.subject).toBe('Consent withdrawn: BBC Arabic');
    expect(told?.body_text).toContain('do not pass on their details');
    const again = await post(participant(0).agent, `/media-requests/${requestId}/withdraw`);
    expect(text(again.body)).toContain('There is no yes to take back.');
  });
});

describe('a consultation opening', () => {
  it('invites the members of its communities by mail, in their language', async () => {
    const created = await post(staffA, '/communities', { name: 'Eritrean diaspora in Leeds', dimensions: 'Age band: under 30, 30 and over' });
    const communityId = idFrom(created.headers.location);
    expect((await post(participant(1).agent, `/communities/${communityId}/join`)).statusCode).toBe(303);
    expect((await post(participant(2).agent, `/communities/${communityId}/join`)).statusCode).toBe(303);
    const before = (await mailTo(participant(2).email)).length;
    const draft = await post(staffA, '/consultations', { title: 'Housing advice needs', format: 'meeting', communities: [communityId], intent: 'save' });
    expect(draft.statusCode).toBe(303);
    expect(await mailTo(participant(2).email)).toHaveLength(before); // a draft tells nobody
    const id = idFrom(draft.headers.location);
    const opened = await post(staffA, `/consultations/${id}`, {
      title: 'Housing advice needs',
      format: 'meeting',
      communities: [communityId],
      purpose: 'Learn what housing advice people lack.',
      decision: 'What our advice line covers next year.',
      decisionMaker: 'Our trustees.',
      canChange: 'The topics the advice line covers.',
      cannotChange: 'Its opening hours.',
      languages: ['ti', 'en'],
      noCompensationReason: 'A 30-minute online survey; we cannot pay for it this year.',
      missingWho: 'People outside Leeds.',
      missingWhy: 'We only work in Leeds.',
      missingSteps: 'We share it with a Bradford group.',
      intent: 'open',
    });
    expect(opened.statusCode).toBe(303);
    const invite = (await mailTo(participant(2).email)).at(-1);
    expect(invite?.subject).toBe('You are invited: “Housing advice needs”');
    expect(invite?.body_text).toContain('The topics the advice line covers.');
    expect((await mailTo(participant(1).email)).at(-1)?.subject).toMatch(/[\u0600-\u06FF]/);
    expect((await mailTo(participant(3).email)).some((m) => m.subject.includes('Housing advice needs'))).toBe(false); // not a member
  });
});

describe('the JSON API', () => {
  it('shows open work, public consultations and the track record with exact amounts', async () => {
    await post(staffA, '/opportunities', { ...translation, title: 'Interpret at the Leeds meeting', kind: 'interpreting', rate: '18.50', rateBasis: 'hour' });
    const work = (await anonymous().get('/api/v1/opportunities')).body;
    const items = JSON.parse(work) as { title: string; pay: { amount: string; currency: string }; per: string; state: string }[];
    expect(items.map((w) => w.title)).toEqual(['Interpret at the Leeds meeting']); // awarded and withdrawn ones are not listed
    expect(items[0]).toMatchObject({ pay: { amount: '18.50', currency: 'GBP' }, per: 'hour', state: 'open' });
    const consultations = JSON.parse((await anonymous().get('/api/v1/consultations')).body) as { title: string; state: string }[];
    expect(consultations).toEqual([expect.objectContaining({ title: 'Housing advice needs', state: 'open' })]);
    const track = JSON.parse((await anonymous().get('/api/v1/consultations/track-record')).body) as { organisations: { organisation: string; totals: unknown[]; consultationsRun: number }[] };
    expect(track.organisations).toEqual([expect.objectContaining({ organisation: 'Darfur Witness Network', consultationsRun: 1, totals: [{ currency: 'GBP', paid: '120.00', owed: '0.00' }] })]);
    // Its link, and the page's, lead to the organisation's profile (once a 404).
    const { url } = track.organisations[0] as unknown as { url: string };
    expect((await anonymous().get(new URL(url).pathname)).statusCode).toBe(200);
    const page = (await anonymous().get('/consultations/track-record')).body;
    const href = /<th scope="row"><a href="([^"]+)">Darfur Witness Network/.exec(page)?.[1] ?? '';
    expect(href).toMatch(/^\/directory\//);
    expect((await anonymous().get(href)).statusCode).toBe(200);
  });
});
