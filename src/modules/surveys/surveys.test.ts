import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';
import { changedTables, snapshot } from '../../../test/world.ts';
import type { PersonActor } from '../../platform/policy.ts';
import { CLOSE_JOB } from './surveys.service.ts';

/**
 * Issue 15, item 3: anonymous by construction. A survey built through its forms, answered by
 * eleven people of the network, read only once closed and never with a figure below k; who
 * answered kept where it cannot be joined to what they answered; free text published one by one.
 */
let t: TestApp;
let orgA = '';
let orgB = '';
const agents: Record<string, Agent> = {};
const people: TestPerson[] = [];
let surveyId = '';
const qid: Record<string, string> = {};

const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const page = async (who: string, url: string) => {
  const res = await (agents[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const actorOf = (p: TestPerson, org: string): PersonActor => ({ kind: 'person', id: p.id, displayName: 'x', networkRole: 'member', memberships: [{ organisationId: org, role: 'staff', name: 'Org', standing: 'member' }], locale: null });

async function must(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) {
  expect(res.statusCode, `${what}: ${text(res.body).slice(text(res.body).indexOf('There is a problem'), text(res.body).indexOf('There is a problem') + 300)}`).toBe(303);
  return res;
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = (await createOrganisation(t, 'Survey Organisers')).id;
  orgB = (await createOrganisation(t, 'Survey Respondents')).id;
  const organiser = await createPerson(t, 'member', { organisationId: orgA });
  agents.organiser = new Agent(t);
  await (agents.organiser as Agent).signIn(organiser);
  for (let i = 0; i < 12; i++) people.push(await createPerson(t, 'member', { organisationId: orgB }));
  agents.first = new Agent(t);
  await (agents.first as Agent).signIn(people[0] as TestPerson);
  agents.participant = new Agent(t);
  await (agents.participant as Agent).signIn(await createPerson(t, 'participant'));
  agents.visitor = new Agent(t);
}, 60_000);
afterAll(async () => t?.close());

describe('building and answering', () => {
  it('is built through its forms and opened; nobody else sees a draft', async () => {
    const created = await must(await post('organiser', '/surveys', { title: 'How the network works together', intro: 'Ten minutes.', language: 'en', audience: 'network', closesOn: day(7), minGroup: '5' }), 'survey');
    surveyId = String(created.headers.location).split('?')[0]?.split('/').pop() as string;
    expect((await page('first', `/surveys/${surveyId}`)).status).toBe(404);
    await must(await post('organiser', `/surveys/${surveyId}/sections`, { sectionTitle: 'About you' }), 'section');
    const section = (await t.platform.db.selectFrom('survey_sections').select('id').where('survey_id', '=', surveyId).executeTakeFirstOrThrow()).id;
    await must(await post('organiser', `/surveys/${surveyId}/questions`, { kind: 'single', text: 'Where do you work?', options: 'North\nSouth\nAbroad', section }), 'single');
    await must(await post('organiser', `/surveys/${surveyId}/questions`, { kind: 'multiple', text: 'What do you share?', options: 'Reports\nData\nContacts' }), 'multiple');
    await must(await post('organiser', `/surveys/${surveyId}/questions`, { kind: 'scale', text: 'How useful is the network?', scaleMin: '1', scaleMax: '5', scaleMinLabel: 'Not at all', scaleMaxLabel: 'Very' }), 'scale');
    await must(await post('organiser', `/surveys/${surveyId}/questions`, { kind: 'long', text: 'What should change?', optional: 'yes' }), 'long');
    for (const q of await t.platform.db.selectFrom('survey_questions').select(['id', 'kind']).where('survey_id', '=', surveyId).execute()) qid[q.kind] = q.id;
    // A question of the draft is edited on its own page: the form shows it as it is; a refusal keeps what was typed and changes nothing.
    const editing = await page('organiser', `/surveys/${surveyId}/questions/${qid.long}`);
    expect(editing.status).toBe(200);
    expect(editing.body).toContain('value="What should change?"');
    expect(editing.body).toMatch(/name="optional" value="yes"[^>]*checked/);
    expect((await page('first', `/surveys/${surveyId}/questions/${qid.long}`)).status).toBe(404);
    const unchanged = await snapshot(t);
    const badEdit = await post('organiser', `/surveys/${surveyId}/questions/${qid.long}`, { kind: 'single', text: 'What should change first?', options: 'Alone', optional: 'yes' });
    expect(badEdit.statusCode).toBe(400);
    expect(text(badEdit.body)).toContain('Give at least two different choices');
    expect(badEdit.body).toContain('value="What should change first?"');
    expect(changedTables(unchanged, await snapshot(t))).toEqual([]);
    await must(await post('organiser', `/surveys/${surveyId}/questions/${qid.long}`, { kind: 'long', text: 'What should the network change?', optional: 'yes' }), 'edit');
    const builder = await page('organiser', `/surveys/${surveyId}?done=surveyQuestionSaved`);
    expect(builder.text).toContain('The question is saved.');
    expect(builder.text).toContain('What should the network change?');
    expect(builder.text).not.toContain('What should change?');
    // A choice question needs two choices.
    const refused = await post('organiser', `/surveys/${surveyId}/questions`, { kind: 'single', text: 'One option only', options: 'Alone' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('Give at least two different choices');
    await must(await post('organiser', `/surveys/${surveyId}/open`), 'open');
    // Once open, the questions stay as the respondents see them.
    const late = await post('organiser', `/surveys/${surveyId}/questions`, { kind: 'short', text: 'Added late' });
    expect(late.statusCode).toBe(400);
    expect(text(late.body)).toContain('can no longer change');
    const lateEdit = await post('organiser', `/surveys/${surveyId}/questions/${qid.long}`, { kind: 'long', text: 'Changed after opening', optional: 'yes' });
    expect(lateEdit.statusCode).toBe(400);
    expect(text(lateEdit.body)).toContain('can no longer change');
    expect((await page('organiser', `/surveys/${surveyId}/questions/${qid.long}`)).text).toContain('can no longer change');
  });

  it('is answered once each; a missing answer says which question; the participant, outside the audience, cannot', async () => {
    const form = await page('first', `/surveys/${surveyId}`);
    expect(form.text).toContain('Nobody, not even the organisers, can tell which answers are yours');
    const missing = await post('first', `/surveys/${surveyId}/answers`, { [`q_${qid.single}`]: '0' });
    expect(missing.statusCode).toBe(400);
    expect(text(missing.body)).toContain('Answer this question.');
    expect(missing.body).toContain('value="0" checked');
    const bad = await post('first', `/surveys/${surveyId}/answers`, { [`q_${qid.single}`]: '7', [`q_${qid.multiple}`]: '0', [`q_${qid.scale}`]: '3' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Choose one of the answers given.');
    const answer = { [`q_${qid.single}`]: '0', [`q_${qid.multiple}`]: ['0', '1'], [`q_${qid.scale}`]: '4', [`q_${qid.long}`]: 'More shared training.' };
    await must(await post('first', `/surveys/${surveyId}/answers`, answer), 'answer');
    const before = await snapshot(t);
    const again = await post('first', `/surveys/${surveyId}/answers`, answer);
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain('You have already answered this survey');
    expect(changedTables(before, await snapshot(t))).toEqual([]);
    expect((await page('participant', `/surveys/${surveyId}`)).status).toBe(404);
    expect((await post('participant', `/surveys/${surveyId}/answers`, answer)).statusCode).toBe(404);
    // Ten more: six North in all, five South; scale 4 for six, 2 for five; texts from all.
    for (let i = 1; i <= 10; i++) {
      await t.services.surveys.answer(actorOf(people[i] as TestPerson, orgB), surveyId, {
        [`q_${qid.single}`]: i <= 5 ? '0' : '1',
        [`q_${qid.multiple}`]: i % 2 === 0 ? ['0'] : ['0', '2'],
        [`q_${qid.scale}`]: i <= 5 ? '4' : '2',
        [`q_${qid.long}`]: `Answer number ${i}.`,
      });
    }
  });

  it('shows no results while open, and the organisers only how many answered', async () => {
    expect((await page('first', `/surveys/${surveyId}/results`)).text).toContain('Results are shown once the survey has closed');
    const organiser = await page('organiser', `/surveys/${surveyId}`);
    expect(organiser.text).toContain('11 people have answered.');
    expect(organiser.text).not.toContain('More shared training');
    expect((await page('organiser', `/surveys/${surveyId}/texts`)).status).toBe(400);
  });
});

describe('anonymity', () => {
  it('keeps no column that joins an answer to a person, and only the day', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = current_schema() and table_name in ('survey_responses', 'survey_answers')`.execute(t.platform.db);
    expect(rows.length).toBeGreaterThan(5);
    for (const c of rows) {
      expect(c.column_name, `${c.table_name}.${c.column_name}`).not.toMatch(/person|people|session|token|ip|address|hash|agent|email|user|device|created|updated|time|_at$/);
      if (/date|time/.test(c.data_type)) expect(c.data_type, `${c.table_name}.${c.column_name}`).toBe('date');
    }
    const { rows: keys } = await sql<{ table_name: string; foreign: string }>`
      select tc.table_name, ccu.table_name as foreign from information_schema.table_constraints tc
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_name in ('survey_responses', 'survey_answers')`.execute(t.platform.db);
    for (const k of keys) expect(['surveys', 'survey_responses', 'survey_questions']).toContain(k.foreign);
  });

  it('gives a reader who knows a person’s id nothing that says which answer is theirs', async () => {
    const person = (people[0] as TestPerson).id;
    // The person appears only in the set of respondents, which is kept sorted (no order of answering).
    const set = (await t.platform.db.selectFrom('survey_respondents').select('people').where('survey_id', '=', surveyId).executeTakeFirstOrThrow()).people;
    expect(set).toContain(person);
    expect(set).toEqual([...set].sort());
    const { rows: mentions } = await sql<{ n: number }>`
      select count(*) as n from survey_responses r join survey_answers a on a.response_id = r.id
      where r::text like ${`%${person}%`} or a::text like ${`%${person}%`}`.execute(t.platform.db);
    expect(Number(mentions[0]?.n)).toBe(0);
    // The audit log says a survey was answered, never by whom.
    const audited = await t.platform.db.selectFrom('audit_log').select(['actor_id']).where('action', '=', 'survey.answer').execute();
    expect(audited).toHaveLength(11);
    expect(audited.every((a) => a.actor_id === null)).toBe(true);
    const days = await t.platform.db.selectFrom('survey_responses').select('answered_on').where('survey_id', '=', surveyId).execute();
    expect(days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(String(d.answered_on)))).toBe(true);
  });
});

describe('results', () => {
  it('are shown once closed, with no figure below k and none that could be worked out', async () => {
    await must(await post('organiser', `/surveys/${surveyId}/close`), 'close');
    // Closing wrote every answer again, shuffled, in one transaction: none shares a transaction
    // with its audit entry or a version of the set of respondents, and nothing orders them.
    const { rows } = await sql<{ n: number }>`select count(distinct xmin::text) as n from survey_responses where survey_id = ${surveyId}`.execute(t.platform.db);
    expect(Number(rows[0]?.n)).toBe(1);
    const { rows: shared } = await sql<{ n: number }>`select count(*) as n from survey_responses r join audit_log a on a.xmin = r.xmin where r.survey_id = ${surveyId} and a.action = 'survey.answer'`.execute(t.platform.db);
    expect(Number(shared[0]?.n)).toBe(0);
    // Both boxes of the first answer's multiple choice were kept.
    const { rows: both } = await sql<{ n: number }>`select count(*) as n from survey_answers where question_id = ${qid.multiple} and choices = '{0,1}'`.execute(t.platform.db);
    expect(Number(both[0]?.n)).toBe(1);
    const after = await post('first', `/surveys/${surveyId}/answers`, { [`q_${qid.single}`]: '0' });
    expect(after.statusCode).toBe(400);
    expect(text(after.body)).toContain('This survey has closed');
    const results = await page('first', `/surveys/${surveyId}/results`);
    expect(results.status).toBe(200);
    expect(results.text).toContain('11 people answered.');
    // Where do you work: North 6 shown; South 5 and Abroad 0 hidden together (0 alone would be worked out).
    const single = /Where do you work\?(.*?)What do you share\?/s.exec(results.text)?.[1] ?? '';
    expect(single).toMatch(/North 6/);
    expect(single).toMatch(/South not shown/);
    expect(single).toMatch(/Abroad not shown/);
    expect(results.body).toContain('<svg class="chart"');
    // Free text is not shown before an organiser has read it.
    expect(results.text).toContain('No written answer has been published.');
  });

  it('publishes free text one by one, as an organiser decides', async () => {
    const first = await page('organiser', `/surveys/${surveyId}/texts`);
    expect(first.text).toContain('11 written answers are left to read.');
    for (let i = 0; i < 11; i++) {
      const next = await page('organiser', `/surveys/${surveyId}/texts`);
      const action = /action="(\/surveys\/[^"]+\/texts\/[^"]+)"/.exec(next.body)?.[1] as string;
      const withhold = /Answer number 3\./.test(next.text);
      const res = await post('organiser', action, { decision: withhold ? 'withhold' : 'publish' });
      expect(res.statusCode).toBe(303);
    }
    expect((await page('organiser', `/surveys/${surveyId}/texts`)).text).toContain('Every written answer has been read.');
    const results = await page('first', `/surveys/${surveyId}/results`);
    expect(results.text).toContain('More shared training.');
    expect(results.text).not.toContain('Answer number 3.');
    // Another organisation's staff cannot read them.
    expect((await page('first', `/surveys/${surveyId}/texts`)).status).toBe(404);
  });

  it('cross-tabulates two questions without a small cell, and refuses a text question', async () => {
    const res = await page('first', `/surveys/${surveyId}/results?rows=${qid.single}&columns=${qid.scale}`);
    expect(res.status).toBe(200);
    // North × 4 is 6, South × 2 is 5; the rest 0: everything of size below 5 is hidden, and more besides.
    expect(res.text).toContain('Some groups in this table are smaller than 5');
    const table = /North by How useful|Where do you work\? by How useful is the network\?(.*)/s.exec(res.text)?.[1] ?? '';
    for (const n of table.match(/\b\d+\b/g) ?? []) if (!['1', '2', '3', '4', '5'].includes(n)) expect(Number(n)).toBeGreaterThanOrEqual(5);
    const refused = await page('first', `/surveys/${surveyId}/results?rows=${qid.single}&columns=${qid.long}`);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Choose a question with one choice or a scale.');
  });

  it('gives the same figures as CSV and in the API', async () => {
    const csv = await (agents.first as Agent).get(`/surveys/${surveyId}/results.csv`);
    expect(csv.body).toContain('Where do you work?,North,6,11');
    expect(csv.body).toContain('Where do you work?,South,not shown,11');
    const api = (await (agents.first as Agent).get(`/api/v1/surveys/${surveyId}/results`, { accept: 'application/json' })).json() as { status: string; questions: { kind: string; options: { label: string; count: number | null }[] }[] };
    expect(api.status).toBe('shown');
    expect(api.questions.find((q) => q.kind === 'single')?.options).toEqual([
      { label: 'North', count: 6 },
      { label: 'South', count: null },
      { label: 'Abroad', count: null },
    ]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${surveyId}/results` })).statusCode).toBe(404);
  });
});

describe('anyone with the link, and reminders', () => {
  it('takes answers from people not signed in, known by no name, and shows nothing for fewer than k', async () => {
    const created = await must(await post('organiser', '/surveys', { title: 'Open call for feedback', language: 'en', audience: 'link', closesOn: day(3), minGroup: '5' }), 'link survey');
    const id = String(created.headers.location).split('?')[0]?.split('/').pop() as string;
    await must(await post('organiser', `/surveys/${id}/questions`, { kind: 'short', text: 'One word for the network' }), 'question');
    await must(await post('organiser', `/surveys/${id}/open`), 'open');
    const organiser = await page('organiser', `/surveys/${id}`);
    const link = /\/s\/[A-Za-z0-9_-]{20,}/.exec(organiser.text)?.[0] as string;
    expect(link).toBeDefined();
    const q = (await t.platform.db.selectFrom('survey_questions').select('id').where('survey_id', '=', id).executeTakeFirstOrThrow()).id;
    expect((await page('visitor', `/surveys/${id}`)).status).toBe(404);
    expect((await page('visitor', link)).text).toContain('One word for the network');
    const answered = await (agents.visitor as Agent).post(link, { [`q_${q}`]: 'Solidarity' });
    expect(answered.statusCode).toBe(200);
    expect(text(answered.body)).toContain('Thank you');
    const again = await (agents.visitor as Agent).post(link, { [`q_${q}`]: 'Again' });
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain('You have already answered');
    expect((await page('visitor', '/s/not-a-real-token-at-all-000000')).status).toBe(404);
    await must(await post('organiser', `/surveys/${id}/close`), 'close');
    expect((await page('visitor', `/surveys/${id}/results`)).text).toContain('Fewer than 5 people answered: no results are shown');
  });

  it('closes on time by its own job, which does nothing early or for a survey closed already', async () => {
    const created = await must(await post('organiser', '/surveys', { title: 'Closes by itself', language: 'en', audience: 'link', closesOn: day(2), minGroup: '5' }), 'survey');
    const id = String(created.headers.location).split('?')[0]?.split('/').pop() as string;
    await must(await post('organiser', `/surveys/${id}/questions`, { kind: 'short', text: 'Anything else?' }), 'question');
    await must(await post('organiser', `/surveys/${id}/open`), 'open');
    const survey = await t.platform.db.selectFrom('surveys').select(['closes_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const { rows } = await sql<{ start_after: Date }>`select start_after from pgboss.job where name = ${CLOSE_JOB} and data->>'id' = ${id}`.execute(t.platform.db);
    expect(rows.map((r) => new Date(r.start_after).getTime())).toEqual([new Date(survey.closes_at).getTime()]);
    expect(await t.services.surveys.closeIfDue(id)).toBe(false);
    expect((await t.platform.db.selectFrom('surveys').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state).toBe('open');
    const after = new Date(new Date(survey.closes_at).getTime() + 1000);
    expect(await t.services.surveys.closeIfDue(id, after)).toBe(true);
    const closed = await t.platform.db.selectFrom('surveys').select(['state', 'closed_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(closed.state).toBe('closed');
    expect(await t.services.surveys.closeIfDue(id, after)).toBe(false);
    const entry = await t.platform.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'survey.close').where('record_id', '=', id).execute();
    expect(entry).toEqual([{ actor_id: null }]);
  });

  it('reminds those who have not answered, once, in a mail that names no survey in its subject', async () => {
    const created = await must(await post('organiser', '/surveys', { title: 'Staff wellbeing check', language: 'en', audience: 'organisations', organisations: [orgB], closesOn: day(5), minGroup: '5' }), 'org survey');
    const id = String(created.headers.location).split('?')[0]?.split('/').pop() as string;
    await must(await post('organiser', `/surveys/${id}/questions`, { kind: 'scale', text: 'How are you?', scaleMin: '1', scaleMax: '5' }), 'question');
    await must(await post('organiser', `/surveys/${id}/open`), 'open');
    await t.services.surveys.answer(actorOf(people[0] as TestPerson, orgB), id, { [`q_${(await t.platform.db.selectFrom('survey_questions').select('id').where('survey_id', '=', id).executeTakeFirstOrThrow()).id}`]: '3' });
    const mailsBefore = await t.platform.db.selectFrom('mail_messages').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    await must(await post('organiser', `/surveys/${id}/reminders`), 'remind');
    const mails = await t.platform.db.selectFrom('mail_messages').select(['recipient', 'subject', 'body_text']).orderBy('created_at', 'desc').limit(20).execute();
    const reminders = mails.filter((m) => m.subject === 'A survey is waiting for your answer');
    expect(reminders).toHaveLength(11);
    expect(reminders.map((m) => m.recipient)).not.toContain((people[0] as TestPerson).identifier);
    expect(reminders[0]?.body_text).toContain('Staff wellbeing check');
    expect(Number((await t.platform.db.selectFrom('mail_messages').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n) - Number(mailsBefore.n)).toBe(11);
    const twice = await post('organiser', `/surveys/${id}/reminders`);
    expect(twice.statusCode).toBe(400);
    expect(text(twice.body)).toContain('A reminder has already been sent');
  });
});
