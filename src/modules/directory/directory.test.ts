import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, auditCount, buildTestApp, createPerson, postForm as submitForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';
import * as membershipRepo from './membership.repository.ts';
import type { ProfileInput } from './directory.schemas.ts';

let t: TestApp;
let convener: Agent;
let member: Agent;
const anonymous = () => new Agent(t);

const base: ProfileInput = {
  name: 'Placeholder',
  mission: 'Placeholder mission.',
  countries: ['SDN'],
  activities: ['advocacy'],
  stakeholders: ['media'],
  languages: ['en'],
  membersOnly: [],
};

async function organisation(profile: Partial<ProfileInput> & { name: string }, status: 'member' | 'suspended' = 'member') {
  return t.platform.db.transaction().execute((trx) => t.services.directory.createWithin(trx, null, { ...base, ...profile }, { status, reason: 'test' }));
}

/** The application form as a browser sends it. */
function applicationForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Tana River Listening Project',
    mission: 'We listen to *survivors* and carry their words to decision makers.',
    website: 'tana-river.example.org',
    countries: ['KEN', 'SOM'],
    activities: ['monitoring', 'advocacy'],
    stakeholders: ['survivors', 'policymakers'],
    languages: ['sw', 'so'],
    diasporaLed: 'yes',
    membersOnly: ['staffSize'],
    applicantName: 'Achieng Example',
    applicantEmail: 'achieng@example.org',
    statement: 'Our monitoring work is about preventing violence against civilians.',
    termsVersion: '1',
    acceptTerms: 'yes',
    ...overrides,
  };
}

function postForm(agent: Agent, url: string, form: Record<string, string | string[]>) {
  return submitForm(t, agent, url, form);
}

async function outbox(to: string) {
  return t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', to).orderBy('created_at').execute();
}

let convenerPerson: TestPerson;

beforeAll(async () => {
  t = await buildTestApp();
  convenerPerson = await createPerson(t, 'convener');
  convener = new Agent(t);
  await convener.signIn(convenerPerson);
  member = new Agent(t);
  await member.signIn(await createPerson(t, 'member'));
  await t.platform.db.transaction().execute((trx) => membershipRepo.insertTerms(trx, { version: 1, body: '# Terms\n\nBe kind. <script>alert(1)</script>', created_by: null }));
  await organisation({
    name: 'Salween Documentation Project',
    shortName: 'SDP',
    mission: 'ကျွန်ုပ်တို့သည် မြန်မာနိုင်ငံရှိ လူ့အခွင့်အရေးချိုးဖောက်မှုများကို မှတ်တမ်းတင်ပါသည်။',
    website: 'https://salween.example.org',
    countries: ['MMR', 'THA'],
    activities: ['monitoring', 'research'],
    stakeholders: ['survivors'],
    languages: ['my'],
    diasporaLed: true,
  });
  await organisation({
    name: 'Nile Voices Diaspora Network',
    shortName: 'أصوات النيل',
    mission: 'نعمل مع الجالية السودانية في المهجر من أجل العدالة.',
    countries: ['SDN', 'SSD'],
    activities: ['advocacy', 'education'],
    stakeholders: ['diaspora_communities', 'policymakers'],
    languages: ['ar', 'en'],
    diasporaLed: true,
  });
  await organisation({
    name: 'Quiet Lantern Monitoring Collective',
    mission: 'Secret word: marigoldcipher. We monitor closed countries.',
    countries: ['PRK', 'ERI'],
    activities: ['monitoring'],
    stakeholders: ['media'],
    contactEmail: 'lantern@example.org',
    yearFounded: 2011,
    membersOnly: ['mission', 'countries', 'contactEmail', 'yearFounded'],
    diasporaLed: false,
  });
  await organisation({ name: 'Suspended Example Trust', countries: ['UKR'] }, 'suspended');
});
afterAll(async () => t?.close());

describe('public directory', () => {
  it('finds a misspelt name, an Arabic short name and words of a Burmese mission', async () => {
    const misspelt = await anonymous().get('/directory?q=Salwen');
    expect(text(misspelt.body)).toContain('Salween Documentation Project');
    const arabic = await anonymous().get(`/directory?q=${encodeURIComponent('اصوات')}`); // typed without the hamza
    expect(text(arabic.body)).toContain('Nile Voices Diaspora Network');
    const burmese = await anonymous().get(`/directory?q=${encodeURIComponent('မှတ်တမ်းတင်')}`);
    expect(text(burmese.body)).toContain('Salween Documentation Project');
    expect(text(burmese.body)).not.toContain('Nile Voices');
  });

  it('combines filters and shows how many each choice would give', async () => {
    const res = await anonymous().get('/directory?activity=monitoring&diasporaLed=yes');
    const page = text(res.body);
    expect(page).toContain('1 organisation');
    expect(page).toContain('Salween Documentation Project');
    expect(page).not.toContain('Quiet Lantern');
    // With "monitoring" chosen, "diaspora-led: no" would give Quiet Lantern (its answer is public).
    expect(res.body).toMatch(/<option value="no"[^>]*>No \(1\)<\/option>/);
    // Suspended organisations are not listed.
    expect(text((await anonymous().get('/directory')).body)).not.toContain('Suspended Example Trust');
  });

  it('refuses an unknown filter with a message, and still shows the directory', async () => {
    const res = await anonymous().get('/directory?activity=juggling&country=XX1');
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Choose one of the options');
    expect(text(res.body)).toContain('Salween Documentation Project');
  });

  it('never shows or matches members-only fields for the public, in page, search, API, CSV or map', async () => {
    const pub = await anonymous().get('/directory/quiet-lantern-monitoring-collective');
    expect(pub.statusCode).toBe(200);
    for (const secret of ['marigoldcipher', 'lantern@example.org', '2011', 'Eritrea', 'North Korea']) expect(pub.body).not.toContain(secret);
    const members = await member.get('/directory/quiet-lantern-monitoring-collective');
    expect(members.body).toContain('marigoldcipher');
    expect(members.body).toContain('lantern@example.org');
    expect(text(members.body)).toContain('Members only');

    expect(text((await anonymous().get('/directory?q=marigoldcipher')).body)).toContain('No organisations');
    expect(text((await member.get('/directory?q=marigoldcipher')).body)).toContain('Quiet Lantern');
    expect(text((await anonymous().get('/directory?country=PRK')).body)).toContain('No organisations');

    const api = await t.app.inject({ method: 'GET', url: '/api/v1/organisations?q=lantern' });
    const item = api.json().items[0];
    expect(item.name).toBe('Quiet Lantern Monitoring Collective');
    expect(item).toMatchObject({ mission: null, countries: [], contactEmail: null, yearFounded: null, membersOnly: [] });
    expect(api.body).not.toContain('marigoldcipher');

    const csv = await anonymous().get('/directory/export.csv');
    expect(csv.body).not.toContain('marigoldcipher');
    expect(csv.body).not.toContain('PRK');

    await organisation({ name: 'Hidden Acronym Example', shortName: 'Zephyrquill', membersOnly: ['shortName'] });
    expect(text((await anonymous().get('/directory?q=zephyrquill')).body)).toContain('No organisations');
    expect((await anonymous().get('/directory/hidden-acronym-example')).body).not.toContain('Zephyrquill');

    const map = await anonymous().get('/map');
    expect(map.body).not.toContain('/directory?country=PRK');
    expect((await member.get('/map')).body).toContain('/directory?country=PRK');
  });

  it('exports CSV with an HXL hashtag row', async () => {
    const res = await anonymous().get('/directory/export.csv?activity=monitoring');
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toMatch(/^name,short_name,/);
    expect(lines[1]).toMatch(/^#org\+name,#org\+acronym,/);
    expect(lines.filter((l) => l.startsWith('Salween'))).toHaveLength(1);
  });

  it('gives each profile schema.org JSON-LD and the organisations working on the same things', async () => {
    const res = await anonymous().get('/directory/salween-documentation-project');
    const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(res.body)?.[1];
    const ld = JSON.parse(json ?? '{}');
    expect(ld).toMatchObject({ '@type': 'Organization', name: 'Salween Documentation Project', alternateName: 'SDP', url: 'https://salween.example.org' });
    // Quiet Lantern shares "monitoring" (its countries are hidden from the public).
    expect(text(res.body)).toMatch(/Who else works on this.*Quiet Lantern Monitoring Collective/);
    expect((await anonymous().get('/directory/suspended-example-trust')).statusCode).toBe(404);
    expect((await anonymous().get('/directory/no-such-organisation')).statusCode).toBe(404);
  });

  it('draws the matrix and the map with links to the filtered directory, and tables with the same numbers', async () => {
    const res = await anonymous().get('/map');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/directory?activity=monitoring&amp;stakeholder=survivors"');
    expect(res.body).toContain('href="/directory?country=MMR"');
    expect(res.body).toMatch(/<table/);
    const ar = await anonymous().get('/map', { 'accept-language': 'ar' });
    expect(ar.body).toContain('dir="rtl"');
  });
});

describe('applying to join', () => {
  it('keeps every answer and names each problem when the form is wrong, and writes nothing', async () => {
    const before = await auditCount(t);
    const res = await postForm(anonymous(), '/apply', applicationForm({ countries: ['XXX'], website: 'javascript:alert(1)', mission: '', activities: [] }));
    expect(res.statusCode).toBe(400);
    const page = text(res.body);
    expect(page).toContain('XXX is not a country code we know');
    expect(page).toContain('starts with https://');
    expect(page).toContain('Choose at least one activity');
    expect(res.body).toContain('value="Tana River Listening Project"');
    expect(res.body).toContain('value="achieng@example.org"');
    expect(await auditCount(t)).toBe(before);
  });

  it('asks to accept the terms again when they changed while filling in the form', async () => {
    const res = await postForm(anonymous(), '/apply', applicationForm({ termsVersion: '0', acceptTerms: '' }));
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Tick the box to accept the terms of reference');
  });

  it('flags a name or website already in the network to the applicant, then to the convener', async () => {
    const dup = await postForm(anonymous(), '/apply', applicationForm({ name: 'Salween Documentation Project', applicantEmail: 'dup@example.org' }));
    expect(dup.statusCode).toBe(400);
    expect(text(dup.body)).toContain('An organisation called “Salween Documentation Project” is already in the network');
    const site = await postForm(anonymous(), '/apply', applicationForm({ name: 'Another Name Entirely', website: 'https://www.salween.example.org/about', applicantEmail: 'dup@example.org' }));
    expect(text(site.body)).toContain('has the same website');
    const sent = await postForm(anonymous(), '/apply', applicationForm({ name: 'Salween Documentation Project', applicantEmail: 'dup@example.org', notDuplicate: 'yes' }));
    expect(sent.statusCode).toBe(303);
    const queue = await convener.get('/applications');
    expect(text(queue.body)).toContain('Same name as Salween Documentation Project');
  });

  it('goes from application to question, answer, approval and invitation', async () => {
    const email = 'contact.tana@example.org';
    const sent = await postForm(anonymous(), '/apply', applicationForm({ applicantEmail: email, yearFounded: '2009', staffSize: '6-10', contactEmail: 'info@tana-river.example.org' }));
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/apply/sent');
    expect((await outbox(email))[0]?.subject).toContain('We received your application');

    const application = await t.platform.db.selectFrom('applications').select('id').where('contact_email', '=', email).executeTakeFirstOrThrow();
    const empty = await convener.post(`/applications/${application.id}/request-info`, { body: '' });
    expect(empty.statusCode).toBe(400);
    expect((await convener.post(`/applications/${application.id}/request-info`, { body: 'Who funds your work?' })).statusCode).toBe(303);
    const question = (await outbox(email))[1]!;
    expect(question.body_text).toContain('Who funds your work?');
    const link = /\/apply\/answer\/[A-Za-z0-9_-]+/.exec(question.body_text)![0];

    const applicant = anonymous();
    expect(text((await applicant.get(link)).body)).toContain('Who funds your work?');
    expect((await applicant.post(link, { body: '' })).statusCode).toBe(400);
    expect((await applicant.post(link, { body: 'Small grants from two foundations.' })).statusCode).toBe(303);
    expect((await applicant.get(link)).statusCode).toBe(404); // the link is used up

    await convener.post(`/applications/${application.id}/comment`, { body: 'Internal: looks fine.' });
    const review = await convener.get(`/applications/${application.id}`);
    expect(text(review.body)).toContain('Small grants from two foundations.');
    expect(text(review.body)).toContain('Internal: looks fine.');
    // Every answer the applicant gave is in front of the convener (five were left out).
    expect(text(review.body)).toMatch(/Working languages\s*Swahili and Somali\s*Year founded\s*2009\s*Number of staff\s*6 to 10 people\s*Led by members of a diaspora community\?\s*Yes\s*Public contact address\s*info@tana-river\.example\.org/);

    const noReason = await convener.post(`/applications/${application.id}/decision`, { decision: 'approve', status: 'member', reason: '' });
    expect(noReason.statusCode).toBe(400);
    const approved = await convener.post(`/applications/${application.id}/decision`, { decision: 'approve', status: 'member', reason: 'Welcome to the network.' });
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toMatch(/^\/directory\/tana-river-listening-project\?done=approved$/);

    const mails = await outbox(email);
    expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining(['You are invited to Northstar', 'Tana River Listening Project is now a member of the network']));
    // The contact's details leave the application with the decision.
    const after = await t.platform.db.selectFrom('applications').select(['contact_email', 'contact_name', 'status']).where('id', '=', application.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ contact_email: null, contact_name: null, status: 'approved' });

    const profile = await convener.get('/directory/tana-river-listening-project');
    expect(text(profile.body)).toMatch(/Applied.*Member.*Welcome to the network/);
    expect(text((await anonymous().get('/directory?q=tana')).body)).toContain('Tana River Listening Project');

    const again = await convener.post(`/applications/${application.id}/decision`, { decision: 'decline', reason: 'No.' });
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain('already been decided');
  });

  it('declines with a reason sent to the applicant', async () => {
    const email = 'decline.me@example.org';
    await postForm(anonymous(), '/apply', applicationForm({ name: 'Declined Example Group', website: 'declined.example.org', applicantEmail: email }));
    const { id } = await t.platform.db.selectFrom('applications').select('id').where('contact_email', '=', email).executeTakeFirstOrThrow();
    expect((await convener.post(`/applications/${id}/decision`, { decision: 'decline', reason: 'Outside the scope of the network.' })).statusCode).toBe(303);
    const mail = (await outbox(email)).at(-1)!;
    expect(mail.body_text).toContain('Outside the scope of the network.');
    expect((await anonymous().get('/directory?q=declined')).body).not.toContain('Declined Example Group');
  });

  it('publishes new versions of the terms, keeps the old ones, and renders Markdown without raw HTML', async () => {
    const page = await anonymous().get('/terms');
    expect(page.body).toContain('<h1>Terms</h1>');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('&lt;script&gt;');
    expect((await convener.post('/terms', { body: 'too short' })).statusCode).toBe(400);
    expect((await member.post('/terms', { body: 'A member may not publish terms of reference.' })).statusCode).toBe(404);
    expect((await convener.post('/terms', { body: '# Terms v2\n\nBe kind, and share what you know.' })).statusCode).toBe(303);
    expect(text((await anonymous().get('/terms')).body)).toContain('Version 2');
    expect(text((await anonymous().get('/terms/1')).body)).toContain('earlier version');
    const stale = await postForm(anonymous(), '/apply', applicationForm({ name: 'Late Applicant Org', website: 'late.example.org', applicantEmail: 'late@example.org' }));
    expect(stale.statusCode).toBe(400);
    expect(text(stale.body)).toContain('The terms of reference changed');
    await t.platform.db.deleteFrom('terms_versions').where('version', '=', 2).execute().catch(() => {});
  });
});

describe('org admins', () => {
  it('edit their own profile, not another', async () => {
    const { id } = await organisation({ name: 'Admin Edit Example', countries: ['LKA'] });
    const other = await organisation({ name: 'Someone Else Example' });
    const adminPerson = await createPerson(t, 'org_admin', { organisationId: id });
    const admin = new Agent(t);
    await admin.signIn(adminPerson);
    const form = { name: 'Admin Edit Example', mission: 'New *mission* text.', countries: ['LKA', 'IND'], activities: ['education'], stakeholders: [], languages: ['ta'], membersOnly: [] };
    const bad = await postForm(admin, `/organisations/${id}/edit`, { ...form, countries: ['ZZZ'], yearFounded: '3000' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('ZZZ is not a country code');
    const ok = await postForm(admin, `/organisations/${id}/edit`, form);
    expect(ok.statusCode).toBe(303);
    expect((await anonymous().get('/directory/admin-edit-example')).body).toContain('<em>mission</em>');
    expect((await admin.get(`/organisations/${other.id}/edit`)).statusCode).toBe(404);
    expect((await postForm(admin, `/organisations/${other.id}/edit`, form)).statusCode).toBe(404);
  });

  it('invite and remove staff, keep the last admin, and can leave the network', async () => {
    const { id } = await organisation({ name: 'Leaving Example Org' });
    const adminPerson = await createPerson(t, 'org_admin', { organisationId: id });
    const colleague = await createPerson(t, 'member', { organisationId: id });
    const admin = new Agent(t);
    await admin.signIn(adminPerson);
    expect((await admin.post(`/organisations/${id}/staff`, { email: 'not an email', orgRole: 'staff' })).statusCode).toBe(400);
    expect((await admin.post(`/organisations/${id}/staff`, { email: 'new.colleague@example.org', orgRole: 'staff' })).statusCode).toBe(303);
    expect((await outbox('new.colleague@example.org'))[0]?.subject).toBe('You are invited to Northstar');
    const last = await admin.post(`/organisations/${id}/staff/${adminPerson.id}/remove`);
    expect(last.statusCode).toBe(400);
    expect(text(last.body)).toContain('at least one admin');
    expect((await admin.post(`/organisations/${id}/staff/${colleague.id}/remove`)).statusCode).toBe(303);

    const unconfirmed = await admin.post(`/organisations/${id}/leave`, { reason: 'Closing down' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(text(unconfirmed.body)).toContain('Tick the box');
    expect((await admin.post(`/organisations/${id}/leave`, { reason: 'Closing down', confirm: 'yes' })).statusCode).toBe(303);
    expect((await anonymous().get('/directory/leaving-example-org')).statusCode).toBe(404);
    expect(text((await convener.get('/directory/leaving-example-org')).body)).toMatch(/Left the network.*Closing down/);
  });

  it('lets the convener suspend a member with a reason, recorded in the history', async () => {
    const { id } = await organisation({ name: 'Status Example Org' });
    expect((await convener.post(`/organisations/${id}/status`, { status: 'suspended', reason: '' })).statusCode).toBe(400);
    expect((await convener.post(`/organisations/${id}/status`, { status: 'suspended', reason: 'Dues unpaid for two years' })).statusCode).toBe(303);
    expect((await anonymous().get('/directory/status-example-org')).statusCode).toBe(404);
    expect(text((await convener.get('/directory/status-example-org')).body)).toMatch(/Suspended.*Dues unpaid for two years/);
  });
});

describe('the wider network', () => {
  it('shows associates to members only, and lets associates write their profile', async () => {
    const associate = new Agent(t);
    await associate.signIn(await createPerson(t, 'associate'));
    const bad = await postForm(associate, '/network/profile', { expertise: 'Forensic archives', countries: ['QQQ'], languages: ['en'] });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('QQQ is not a country code');
    expect((await postForm(associate, '/network/profile', { expertise: 'Forensic archives and evidence handling', countries: ['BIH'], languages: ['en'] })).statusCode).toBe(303);
    expect(text((await member.get('/network')).body)).toContain('Forensic archives and evidence handling');
    const participant = new Agent(t);
    await participant.signIn(await createPerson(t, 'participant'));
    expect((await participant.get('/network')).statusCode).toBe(404);
    const anon = await anonymous().get('/network');
    expect(anon.statusCode).toBe(303);
    expect((await member.get('/network/profile')).statusCode).toBe(404);
  });
});

describe('spam', () => {
  it('limits applications from one address, with a clear message', async () => {
    const spammer = new Agent(t);
    let last = 0;
    for (let i = 0; i < 12; i++) {
      const res = await postForm(spammer, '/apply', applicationForm({ name: `Spam Org Number ${i} Example`, website: `spam${i}.example.org`, applicantEmail: `spam${i}@example.org` }));
      last = res.statusCode;
      if (last === 429) {
        expect(res.body).toContain('value="Spam Org Number');
        expect(res.headers['retry-after']).toBe('3600');
        expect(text(res.body)).toContain('Many applications were sent from this connection');
        break;
      }
    }
    expect(last).toBe(429);
  });
});
