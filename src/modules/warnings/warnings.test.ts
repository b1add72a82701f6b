import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, auditCount, buildTestApp, createOrganisation, createPerson, postForm as submitForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';

let t: TestApp;
let orgA: { id: string };
let orgB: { id: string };
let orgC: { id: string };
let staffA: Agent;
let staffB: Agent;
let staffC: Agent;
let convener: Agent;
let participant: Agent;
let personA: TestPerson;
let personB: TestPerson;
const anonymous = () => new Agent(t);

const FORECASTS = readFileSync(new URL('../../../test/fixtures/ewp/final_forecasts_data_3Sep2025.csv', import.meta.url));
const ORIGIN = 'http://localhost:3000';

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

async function headers(agent: Agent, extra: Record<string, string> = {}) {
  const cookie = agent.cookieHeader();
  return { origin: ORIGIN, accept: 'text/html', ...(cookie ? { cookie } : {}), ...extra };
}

function postForm(agent: Agent, url: string, form: Record<string, string | string[]>) {
  return submitForm(t, agent, url, form);
}

/** A form with files, multipart as a browser sends it. */
async function postMultipart(agent: Agent, url: string, form: Record<string, string | string[]>, files: { field: string; name: string; type: string; data: Buffer | string }[]) {
  const fd = new FormData();
  fd.append('_csrf', await agent.csrf());
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) fd.append(k, one);
  for (const f of files) fd.append(f.field, new Blob([typeof f.data === 'string' ? f.data : new Uint8Array(f.data)], { type: f.type }), f.name);
  const request = new Request('http://localhost/', { method: 'POST', body: fd });
  const payload = Buffer.from(await request.arrayBuffer());
  return t.app.inject({ method: 'POST', url, payload, headers: await headers(agent, { 'content-type': request.headers.get('content-type') as string }) });
}

function signForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    country: 'SDN',
    area: 'North Darfur',
    observedOn: daysAgo(3),
    indicators: ['7.4', '9'],
    description: 'Militia checkpoints registering residents by ethnicity on the road to El Fasher.',
    links: 'https://example.org/report-1\nhttps://example.org/report-2',
    confidence: 'medium',
    sensitivity: 'network',
    language: 'en',
    ...overrides,
  };
}

async function record(agent: Agent, overrides: Record<string, string | string[]> = {}): Promise<string> {
  const res = await postForm(agent, '/signs', signForm(overrides));
  expect(res.statusCode, text(res.body).slice(0, 400)).toBe(303);
  return String(res.headers.location).split('?')[0]?.split('/').pop() as string;
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = await createOrganisation(t, 'Darfur Witness Network');
  orgB = await createOrganisation(t, 'Nile Voices');
  orgC = await createOrganisation(t, 'Bystander Project');
  personA = await createPerson(t, 'member', { organisationId: orgA.id });
  personB = await createPerson(t, 'member', { organisationId: orgB.id });
  staffA = new Agent(t);
  await staffA.signIn(personA);
  staffB = new Agent(t);
  await staffB.signIn(personB);
  staffC = new Agent(t);
  await staffC.signIn(await createPerson(t, 'member', { organisationId: orgC.id }));
  convener = new Agent(t);
  await convener.signIn(await createPerson(t, 'convener'));
  participant = new Agent(t);
  await participant.signIn(await createPerson(t, 'participant'));
});
afterAll(async () => t?.close());

describe('risk framework', () => {
  it('is loaded as data: 14 factors with numbered indicators, in both languages', async () => {
    const framework = await t.services.signs.currentFramework();
    expect(framework.factors.map((f) => f.code)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14']);
    expect(framework.factorByCode.get('8')?.indicators).toHaveLength(12);
    expect(framework.factorByCode.get('9')?.indicators).toHaveLength(6);
    expect(framework.isKnown('7.4')).toBe(true);
    expect(framework.isKnown('99.1')).toBe(false);
    expect(framework.label('8', 'ar')).not.toBe(framework.label('8', 'en'));
  });
});

describe('warning signs', () => {
  it('records a sign with links and a document, which a member can download', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% test document\n');
    const res = await postMultipart(staffA, '/signs', signForm({ description: 'Burning of a market in Tawila.' }), [{ field: 'documents', name: 'witness-notes.pdf', type: 'application/pdf', data: pdf }]);
    expect(res.statusCode, text(res.body).slice(0, 300)).toBe(303);
    const page = await staffB.get(String(res.headers.location));
    expect(text(page.body)).toContain('Burning of a market in Tawila.');
    expect(text(page.body)).toContain('https://example.org/report-1');
    const link = /href="(\/signs\/[^"]+\/documents\/[^"]+)"/.exec(page.body)?.[1] as string;
    const doc = await staffB.get(link);
    expect(doc.statusCode).toBe(200);
    expect(doc.headers['content-disposition']).toContain('attachment');
    expect(doc.rawPayload.equals(pdf)).toBe(true);
    // A network sign: the public neither sees it nor its document.
    expect((await anonymous().get(String(res.headers.location))).statusCode).toBe(404);
    expect((await anonymous().get(link)).statusCode).toBe(404);
  });

  it('refuses a future date, an unknown indicator, a bad file; keeps the form; writes nothing', async () => {
    const before = await auditCount(t);
    const future = await postForm(staffA, '/signs', signForm({ observedOn: '2999-01-01', description: 'Kept description 1' }));
    expect(future.statusCode).toBe(400);
    expect(text(future.body)).toContain('The date observed cannot be in the future.');
    expect(text(future.body)).toContain('Kept description 1');
    const unknown = await postForm(staffA, '/signs', signForm({ indicators: ['99.1'] }));
    expect(unknown.statusCode).toBe(400);
    expect(text(unknown.body)).toContain('99.1 is not a risk factor or indicator of the framework.');
    const none = await postForm(staffA, '/signs', signForm({ indicators: [] }));
    expect(text(none.body)).toContain('Choose at least one risk factor or indicator.');
    const exe = await postMultipart(staffA, '/signs', signForm(), [{ field: 'documents', name: 'report.pdf', type: 'application/pdf', data: 'MZ not a pdf' }]);
    expect(exe.statusCode).toBe(400);
    expect(text(exe.body)).toContain('report.pdf is not a PDF, PNG, JPEG or plain text file.');
    const big = await postMultipart(staffA, '/signs', signForm(), [{ field: 'documents', name: 'huge.txt', type: 'text/plain', data: Buffer.alloc(5 * 1024 * 1024 + 10, 'a') }]);
    expect(big.statusCode).toBe(400);
    expect(text(big.body)).toContain('huge.txt is larger than 5 MB.');
    // A good file sent with a form that has another problem is not kept: the page says so.
    const dropped = await postMultipart(staffA, '/signs', signForm({ indicators: [] }), [{ field: 'documents', name: 'notes.txt', type: 'text/plain', data: 'Seen at dawn.' }]);
    expect(dropped.statusCode).toBe(400);
    expect(text(dropped.body)).toContain('If you chose a file, choose it again');
    const restrictedNoOne = await postForm(staffA, '/signs', signForm({ sensitivity: 'restricted' }));
    expect(text(restrictedNoOne.body)).toContain('Name at least one organisation that may read a restricted sign.');
    expect(await auditCount(t)).toBe(before);
  });

  it('is corroborated by a second organisation, disputed, and verified by the convener', async () => {
    const id = await record(staffA, { description: 'Convoy of armed men seen near Kutum.' });
    const own = await postForm(staffA, `/signs/${id}/reviews`, { kind: 'corroborate', body: 'We saw it ourselves.' });
    expect(own.statusCode).toBe(400);
    expect(text(own.body)).toContain('Your organisation reported this sign');
    expect((await postForm(staffB, `/signs/${id}/reviews`, { kind: 'corroborate', body: '' })).statusCode).toBe(400);
    expect((await postForm(staffB, `/signs/${id}/reviews`, { kind: 'corroborate', body: 'Our monitors confirm the convoy.' })).statusCode).toBe(303);
    expect(text((await staffA.get(`/signs/${id}`)).body)).toContain('Corroborated');
    expect((await postForm(staffC, `/signs/${id}/reviews`, { kind: 'dispute', body: 'Those were police, not militia.' })).statusCode).toBe(303);
    expect(text((await staffA.get(`/signs/${id}`)).body)).toContain('Disputed');
    expect((await postForm(convener, `/signs/${id}/verify`, { body: 'Checked with two sources.' })).statusCode).toBe(303);
    const page = text((await staffC.get(`/signs/${id}`)).body);
    expect(page).toContain('Verified');
    expect(page).toContain('Those were police, not militia.');
  });
});

describe('a sign marked "named organisations only"', () => {
  const MARKER = 'RESTRICTED-MARKER-Zalingei-7731';
  let id: string;

  beforeAll(async () => {
    id = await record(staffA, { sensitivity: 'restricted', audience: [orgB.id], description: `${MARKER} informant report`, country: 'SDN', observedOn: daysAgo(2) });
    // Corroborated by the named organisation, so it would count on the map if it leaked.
    expect((await postForm(staffB, `/signs/${id}/reviews`, { kind: 'corroborate', body: 'Confirmed.' })).statusCode).toBe(303);
  });

  const outsiders = () => [
    ['anonymous', anonymous()],
    ['participant', participant],
    ['another member organisation', staffC],
    ['the convener', convener],
  ] as const;

  it('is read by the reporting and the named organisation', async () => {
    expect(text((await staffA.get(`/signs/${id}`)).body)).toContain(MARKER);
    expect(text((await staffB.get(`/signs/${id}`)).body)).toContain(MARKER);
  });

  it('page: 404 for everyone else', async () => {
    for (const [who, agent] of outsiders()) expect((await agent.get(`/signs/${id}`)).statusCode, who).toBe(404);
  });

  it('list and search: absent', async () => {
    for (const [who, agent] of outsiders()) {
      expect((await agent.get('/signs')).body, who).not.toContain(MARKER);
      // The search box keeps what was typed; the results must be empty.
      expect(text((await agent.get(`/signs?q=${MARKER}`)).body), who).toContain('No warning signs');
    }
    expect(text((await staffB.get(`/signs?q=${MARKER}`)).body)).toContain('1 warning sign');
  });

  it('API list and detail: absent and 404', async () => {
    for (const [who, agent] of outsiders()) {
      expect((await agent.get('/api/v1/signs', { accept: 'application/json' })).body, who).not.toContain(MARKER);
      expect((await agent.get(`/api/v1/signs/${id}`, { accept: 'application/json' })).statusCode, who).toBe(404);
    }
    expect((await staffB.get('/api/v1/signs', { accept: 'application/json' })).body).toContain(MARKER);
  });

  it('CSV and JSON exports: absent', async () => {
    for (const [who, agent] of outsiders()) {
      expect((await agent.get('/signs/export.csv')).body, who).not.toContain(MARKER);
      expect((await agent.get('/signs/export.json')).body, who).not.toContain(MARKER);
    }
    expect((await staffB.get('/signs/export.csv')).body).toContain(MARKER);
  });

  it('country page, heat grid and world map: not counted', async () => {
    const count = async (agent: Agent) => {
      const api = (await agent.get('/api/v1/countries/SDN', { accept: 'application/json' })).json() as { totalSigns: number };
      return api.totalSigns;
    };
    expect(await count(staffB)).toBe((await count(staffC)) + 1);
    for (const [who, agent] of outsiders()) expect((await agent.get('/countries/SDN')).body, who).not.toContain(MARKER);
    const staffOf = (organisationId: string) => ({ kind: 'person' as const, id: personB.id, displayName: 'x', networkRole: 'member' as const, memberships: [{ organisationId, role: 'staff' as const, name: 'x' }], locale: null });
    const onMap = async (organisationId: string) => (await t.services.picture.overview(staffOf(organisationId))).counts.get('SDN') ?? 0;
    expect(await onMap(orgB.id)).toBe((await onMap(orgC.id)) + 1);
  });

  it('alerts, feed and mail: cannot be cited, so never sent', async () => {
    const res = await postForm(staffB, '/alerts', { country: 'SDN', signs: [id], severity: 'high', summary: 'Check', actions: ['briefing'], sensitivity: 'network' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('restricted or unknown signs cannot be cited');
    expect((await anonymous().get('/alerts/feed.atom')).body).not.toContain(MARKER);
    const mails = await t.platform.db.selectFrom('mail_messages').select('body_text').execute();
    expect(mails.some((m) => m.body_text.includes(MARKER))).toBe(false);
  });
});

describe('import of the statistical baseline', () => {
  it('imports the 2025 forecasts: 168 rows, Serbia and Kosovo reported for a decision, a second import changes nothing', async () => {
    const upload = await postMultipart(convener, '/forecasts/imports', {}, [{ field: 'file', name: 'final_forecasts_data_3Sep2025.csv', type: 'text/csv', data: FORECASTS }]);
    expect(upload.statusCode, text(upload.body).slice(0, 300)).toBe(303);
    const previewUrl = String(upload.headers.location);
    const preview = text((await convener.get(previewUrl)).body);
    expect(preview).toContain('Step 2 of 3');
    expect(preview).toContain('168');
    expect(preview).toContain('2 country codes have no mapping');
    expect(preview).toContain('Serbia (Correlates of War 345');
    expect(preview).toContain('Kosovo (Correlates of War 347');

    const before = await auditCount(t);
    const undecided = await postForm(convener, `${previewUrl}/commit`, {});
    expect(undecided.statusCode).toBe(400);
    expect(text(undecided.body)).toContain('Decide for Serbia (345)');
    expect(text(undecided.body)).toContain('Decide for Kosovo (347)');
    expect(await auditCount(t)).toBe(before);
    const none = await t.platform.db.selectFrom('forecasts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(none.n)).toBe(0);

    expect((await postForm(convener, `${previewUrl}/commit`, { 'match-345': 'SRB', 'match-347': 'skip' })).statusCode).toBe(303);
    const stored = await t.platform.db.selectFrom('forecasts').selectAll().orderBy('cow_code').execute();
    expect(stored).toHaveLength(167);
    expect(stored.find((r) => r.cow_code === 345)?.country).toBe('SRB');
    expect(stored.find((r) => r.cow_code === 347)).toBeUndefined();
    expect(stored.find((r) => r.country === 'MMR')).toMatchObject({ rank: 1, risk: 0.1041, edition: 'risk.2025and2026.from2024' });
    const done = text((await convener.get(previewUrl)).body);
    expect(done).toContain('Step 3 of 3');
    expect(done).toContain('matched to Serbia');
    expect(done).toContain('left out');

    // Again: the same file; the earlier decisions are offered, and nothing changes.
    const again = await postMultipart(convener, '/forecasts/imports', {}, [{ field: 'file', name: 'final_forecasts_data_3Sep2025.csv', type: 'text/csv', data: FORECASTS }]);
    const againUrl = String(again.headers.location);
    const againPage = await convener.get(againUrl);
    expect(text(againPage.body)).toContain('This exact file was already imported');
    expect(text(againPage.body)).toContain('No new rows, none changed, 166 unchanged');
    expect((await postForm(convener, `${againUrl}/commit`, { 'match-345': 'SRB', 'match-347': 'skip' })).statusCode).toBe(303);
    expect(await t.platform.db.selectFrom('forecasts').selectAll().orderBy('cow_code').execute()).toEqual(stored);
    expect(text((await convener.get(againUrl)).body)).toContain('nothing changed');

    // The forecast is shown beside members' signs, labelled as outside context.
    const country = text((await anonymous().get('/countries/MMR')).body);
    expect(country).toContain('Statistical forecast (outside context)');
    expect(country).toContain('Rank 1 of 167 countries');
    expect(country).toContain('not a judgement of this network');
    expect(country, 'current while its window lasts').not.toContain('out of date');
    // Once its window has passed, it says how old it is rather than pass for today's risk.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2029-06-01T12:00:00Z') });
    try {
      const later = text((await anonymous().get('/countries/MMR')).body);
      expect(later).toMatch(/This forecast was for 2025–2026, which has passed: it is 3 years out of date\./);
      expect(text((await anonymous().get('/countries')).body)).toContain('3 years out of date');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses what is not a forecasts file, a file too large and a malformed row, storing nothing', async () => {
    const before = await auditCount(t);
    const imports = async () => Number((await t.platform.db.selectFrom('forecast_imports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const count = await imports();
    const directory = await postMultipart(convener, '/forecasts/imports', {}, [{ field: 'file', name: 'directory.csv', type: 'text/csv', data: 'name,mission\nA,B\n' }]);
    expect(directory.statusCode).toBe(400);
    expect(text(directory.body)).toContain('This is not an Early Warning Project forecasts file');
    const image = await postMultipart(convener, '/forecasts/imports', {}, [{ field: 'file', name: 'photo.csv', type: 'text/csv', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) }]);
    expect(text(image.body)).toContain('This is not an Early Warning Project forecasts file');
    const large = await postMultipart(convener, '/forecasts/imports', {}, [{ field: 'file', name: 'big.csv', type: 'text/csv', data: Buffer.alloc(2 * 1024 * 1024, 'a') }]);
    expect(large.statusCode).toBe(400);
    expect(text(large.body)).toContain('The file is larger than 1 MB');
    const lines = FORECASTS.toString('utf8').split('\n');
    lines[3] = (lines[3] as string).replace(/,0\.08096,/, ',abc,');
    const malformed = await postMultipart(convener, '/forecasts/imports', {}, [{ field: 'file', name: 'bad.csv', type: 'text/csv', data: lines.join('\n') }]);
    expect(malformed.statusCode).toBe(400);
    expect(text(malformed.body)).toContain('Line 4: the risk abc is not a number between 0 and 1.');
    const missing = await postMultipart(convener, '/forecasts/imports', {}, []);
    expect(text(missing.body)).toContain('Choose a file to upload.');
    expect(await imports()).toBe(count);
    expect(await auditCount(t)).toBe(before);
  });
});

describe('alerts and coordinated action', () => {
  it('needs a second organisation, reaches subscribers once each, takes responses and closes with an outcome', async () => {
    const sign = await record(staffA, { country: 'TCD', description: 'Arrests of community leaders in Abéché.', sensitivity: 'public' });
    // Subscribers: one immediate (country filter), one digest, one who filters another country.
    const subscriber = await createPerson(t, 'member', { organisationId: orgC.id });
    const digest = await createPerson(t, 'member', { organisationId: orgC.id });
    const elsewhere = await createPerson(t, 'member', { organisationId: orgC.id });
    for (const [person, countries, mode] of [
      [subscriber, ['TCD'], 'immediate'],
      [digest, [], 'digest'],
      [elsewhere, ['MMR'], 'immediate'],
    ] as const) {
      const agent = new Agent(t);
      await agent.signIn(person);
      expect((await postForm(agent, '/alerts/subscriptions', { countries: [...countries], minSeverity: 'moderate' })).statusCode).toBe(303);
      expect((await postForm(agent, '/alerts/subscriptions/mode', { mode })).statusCode).toBe(303);
    }

    const bad = await postForm(staffA, '/alerts', { country: 'TCD', signs: [sign], severity: 'high', summary: 'Kept summary', actions: [], deadline: '2000-01-01', sensitivity: 'public' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Choose at least one proposed action.');
    expect(text(bad.body)).toContain('Kept summary');

    const proposed = await postForm(staffA, '/alerts', {
      country: 'TCD',
      signs: [sign],
      severity: 'high',
      summary: 'Leaders arrested; risk of reprisals.',
      actions: ['joint_statement', 'ad_hoc_meeting'],
      deadline: daysAgo(-7),
      sensitivity: 'public',
    });
    expect(proposed.statusCode).toBe(303);
    const alertUrl = String(proposed.headers.location).split('?')[0] as string;
    const alertId = alertUrl.split('/').pop() as string;
    // Not out yet: the public does not see it; the proposer's organisation cannot confirm it.
    expect((await anonymous().get(alertUrl)).statusCode).toBe(404);
    const own = await postForm(staffA, `${alertUrl}/confirm`, {});
    expect(own.statusCode).toBe(400);
    expect(text(own.body)).toContain('another organisation or the convener must confirm it');
    expect(await t.platform.db.selectFrom('alert_deliveries').selectAll().where('alert_id', '=', alertId).execute()).toHaveLength(0);

    expect((await postForm(staffB, `${alertUrl}/confirm`, {})).statusCode).toBe(303);
    expect(await t.services.alerts.fanOut(alertId)).toBe(2);
    expect(await t.services.alerts.fanOut(alertId)).toBe(0); // a retried fan-out adds nobody
    const deliveries = await t.platform.db.selectFrom('alert_deliveries').select(['person_id', 'mode']).where('alert_id', '=', alertId).execute();
    expect(deliveries.map((d) => d.person_id).sort()).toEqual([subscriber.id, digest.id].sort());

    await t.services.alerts.mailBatch(alertId, [subscriber.id, digest.id, elsewhere.id]);
    await t.services.alerts.mailBatch(alertId, [subscriber.id]); // a retried batch mails nobody twice
    const mailsTo = async (p: TestPerson) => t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', p.identifier).execute();
    const immediate = await mailsTo(subscriber);
    expect(immediate).toHaveLength(1);
    expect(immediate[0]?.subject).toContain('Northstar alert');
    expect(immediate[0]?.body_text).toContain('Leaders arrested; risk of reprisals.');
    expect(await mailsTo(digest)).toHaveLength(0);
    expect(await mailsTo(elsewhere)).toHaveLength(0);
    await t.services.alerts.sendDigest(digest.id);
    await t.services.alerts.sendDigest(digest.id);
    const digests = await mailsTo(digest);
    expect(digests).toHaveLength(1);
    expect(digests[0]?.subject).toContain('1 alert today');

    // In the app too, and public now: in the Atom feed.
    const inbox = new Agent(t);
    await inbox.signIn(subscriber);
    expect(text((await inbox.get('/alerts/subscriptions')).body)).toContain('Alert');
    const feedRes = await anonymous().get('/alerts/feed.atom');
    expect(feedRes.headers.vary).toBe('Accept-Language, Cookie');
    const feed = feedRes.body;
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed).toContain('Leaders arrested; risk of reprisals.');

    const noWhat = await postForm(staffC, `${alertUrl}/responses`, { kind: 'will_act', body: '' });
    expect(noWhat.statusCode).toBe(400);
    expect(text(noWhat.body)).toContain('Say what your organisation will do.');
    expect((await postForm(staffC, `${alertUrl}/responses`, { kind: 'will_act', body: 'We will brief the UN Special Adviser.' })).statusCode).toBe(303);
    expect((await postForm(staffB, `${alertUrl}/responses`, { kind: 'cannot' })).statusCode).toBe(303);
    expect((await postForm(staffB, `${alertUrl}/meeting`, { purpose: 'Agree a joint statement text.' })).statusCode).toBe(303);
    // Responses are the network's unless the responding organisation ticks "public".
    expect((await postForm(staffB, `${alertUrl}/responses`, { kind: 'comment', body: 'We back a joint statement.', public: 'yes' })).statusCode).toBe(303);
    const page = text((await staffA.get(alertUrl)).body);
    expect(page).toContain('1 organisation will act; 1 can\'t this time.');
    expect(page).toContain('We will brief the UN Special Adviser.');
    expect(page).toContain('Nile Voices asked for an ad hoc meeting');
    const meeting = await t.platform.db.selectFrom('meeting_requests').selectAll().where('alert_id', '=', alertId).execute();
    expect(meeting).toHaveLength(1);

    expect((await postForm(staffA, `${alertUrl}/close`, { outcome: '' })).statusCode).toBe(400);
    expect((await postForm(staffA, `${alertUrl}/close`, { outcome: 'Joint statement issued; leaders released.' })).statusCode).toBe(303);
    const closed = text((await anonymous().get(alertUrl)).body);
    expect(closed).toContain('Closed');
    expect(closed).toContain('Joint statement issued; leaders released.');

    // The public alert page, its API and a participant show only the response made public.
    const participantPage = text((await participant.get(alertUrl)).body);
    const api = (await anonymous().get(`/api/v1/alerts/${alertId}`, { accept: 'application/json' })).json() as { responses: { body: string; public: boolean }[] };
    for (const shown of [closed, participantPage, JSON.stringify(api)]) {
      expect(shown).toContain('We back a joint statement.');
      expect(shown).not.toContain('We will brief the UN Special Adviser.');
    }
    expect(api.responses).toEqual([expect.objectContaining({ body: 'We back a joint statement.', public: true })]);
    expect(closed).toContain("No organisation will act yet; none has said it can't.");
    expect(closed, 'counted in words, not "1 responses"').toContain('1 response so far.');
    const network = text((await staffC.get(alertUrl)).body);
    expect(network).toContain('We will brief the UN Special Adviser.');
    expect(network).toContain('We back a joint statement.');
  });
});

describe('acting for an organisation', () => {
  it('asks someone in two organisations which one they act for, and files the sign under it', async () => {
    const both = await createPerson(t, 'member', { organisationId: orgA.id });
    await t.platform.db.insertInto('memberships').values({ person_id: both.id, organisation_id: orgB.id, role: 'staff' }).execute();
    const agent = new Agent(t);
    await agent.signIn(both);
    const form = (await agent.get('/signs/new')).body;
    expect(text(form)).toContain('Which organisation do you act for?');
    expect(form).toContain(`value="${orgA.id}"`);
    expect(form).toContain(`value="${orgB.id}"`);
    expect(form).not.toMatch(/name="actingFor"[^>]*checked/);

    const description = 'Two-hat report: which organisation files it must be chosen.';
    const count = async () => (await t.platform.db.selectFrom('warning_signs').select('id').where('description', '=', description).execute()).length;
    const unchosen = await postForm(agent, '/signs', signForm({ description, sensitivity: 'restricted', audience: [orgC.id] }));
    expect(unchosen.statusCode).toBe(400);
    expect(text(unchosen.body)).toContain('Choose which organisation you act for.');
    expect(text(unchosen.body)).toContain(description);
    const foreign = await postForm(agent, '/signs', signForm({ description, actingFor: orgC.id }));
    expect(foreign.statusCode).toBe(400);
    expect(await count()).toBe(0);

    const id = await record(agent, { description, sensitivity: 'restricted', audience: [orgC.id], actingFor: orgB.id });
    const row = await t.platform.db.selectFrom('warning_signs').select('organisation_id').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.organisation_id).toBe(orgB.id);
    // Filed under Nile Voices and named Bystander Project: the other organisation does not read it.
    expect((await staffB.get(`/signs/${id}`)).statusCode).toBe(200);
    expect((await staffC.get(`/signs/${id}`)).statusCode).toBe(200);
    expect((await staffA.get(`/signs/${id}`)).statusCode).toBe(404);

    // The API asks the same: `actingFor` in the body.
    const cookie = agent.cookieHeader() ?? '';
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signs',
      headers: { cookie, origin: ORIGIN, 'x-csrf-token': await agent.csrf() },
      payload: { country: 'SDN', observedOn: daysAgo(2), indicators: ['7'], description: 'API two hats', links: [], confidence: 'low', sensitivity: 'network', audience: [], language: 'en' },
    });
    expect(api.statusCode).toBe(400);
    expect(api.json().error.fields).toHaveProperty('actingFor');

    // Someone in one organisation is told which, and is not asked.
    expect(text((await staffA.get('/signs/new')).body)).toContain('You act for Darfur Witness Network.');
  });

  it('asks for the organisation on reviews and on confirming an alert, and records the one chosen', async () => {
    const both = await createPerson(t, 'member', { organisationId: orgB.id });
    await t.platform.db.insertInto('memberships').values({ person_id: both.id, organisation_id: orgC.id, role: 'staff' }).execute();
    const agent = new Agent(t);
    await agent.signIn(both);
    const sign = await record(staffA, { country: 'ETH', description: 'Roadblocks around Gondar.', sensitivity: 'network' });
    const unchosen = await postForm(agent, `/signs/${sign}/reviews`, { kind: 'corroborate', body: 'We saw the same.' });
    expect(unchosen.statusCode).toBe(400);
    expect(text(unchosen.body)).toContain('Choose which organisation you act for.');
    expect((await postForm(agent, `/signs/${sign}/reviews`, { kind: 'corroborate', body: 'We saw the same.', actingFor: orgC.id })).statusCode).toBe(303);
    const review = await t.platform.db.selectFrom('warning_sign_reviews').select('organisation_id').where('sign_id', '=', sign).executeTakeFirstOrThrow();
    expect(review.organisation_id).toBe(orgC.id);

    const proposed = await postForm(staffA, '/alerts', { country: 'ETH', signs: [sign], severity: 'moderate', summary: 'Roadblocks.', actions: ['briefing'], sensitivity: 'network' });
    const alertUrl = String(proposed.headers.location).split('?')[0] as string;
    expect(text((await agent.get(alertUrl)).body)).toContain('Which organisation do you act for?');
    expect((await postForm(agent, `${alertUrl}/confirm`, {})).statusCode).toBe(400);
    expect((await postForm(agent, `${alertUrl}/confirm`, { actingFor: orgB.id })).statusCode).toBe(303);
    const alert = await t.platform.db.selectFrom('alerts').select('confirmed_organisation_id').where('id', '=', alertUrl.split('/').pop() as string).executeTakeFirstOrThrow();
    expect(alert.confirmed_organisation_id).toBe(orgB.id);
  });
});
