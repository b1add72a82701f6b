import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from './helpers.ts';

/**
 * Nobody is added to an organisation by someone else: every path that could (an org admin's
 * staff form, an application naming a contact, the convener's invitation) ends in a step only
 * the person themself can take. Each case checks the membership is absent before that step and
 * present after it, and that declining leaves nothing. Then: rights follow the organisation's
 * state at once (issue 12, items 2, 10 and 11).
 */

let t: TestApp;
let convener: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  convener = new Agent(t);
  await convener.signIn(await createPerson(t, 'convener'));
});
afterAll(async () => t?.close());

async function membership(personId: string, organisationId: string) {
  return t.platform.db.selectFrom('memberships').select('role').where('person_id', '=', personId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

async function mailsTo(address: string) {
  return t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', address).orderBy('created_at').execute();
}

async function signedIn(person: TestPerson): Promise<Agent> {
  const agent = new Agent(t);
  await agent.signIn(person);
  return agent;
}

/** An organisation with an admin who is signed in. */
async function organisationWithAdmin(name: string) {
  const org = await createOrganisation(t, name);
  const admin = await createPerson(t, 'org_admin', { organisationId: org.id });
  return { org, adminPerson: admin, admin: await signedIn(admin) };
}

/** The id of the open invitation shown to this person on their invitations page. */
async function invitationOn(agent: Agent, organisationName: string): Promise<string> {
  const page = await agent.get('/invitations/organisation');
  expect(page.statusCode).toBe(200);
  expect(text(page.body)).toContain(organisationName);
  const id = /\/invitations\/organisation\/([0-9a-f-]{36})\/(accept|decline)/.exec(page.body)?.[1];
  expect(id).toBeDefined();
  return id as string;
}

describe('joining an organisation needs the person to accept', () => {
  it('an org admin adding an existing account by email: an invitation, a membership only on accepting', async () => {
    const { org, admin } = await organisationWithAdmin('Lakeside Accountability Forum');
    const other = await createOrganisation(t, 'Highland Witness');
    const victim = await createPerson(t, 'member', { organisationId: other.id });

    const res = await admin.post(`/organisations/${org.id}/staff`, { email: victim.identifier.toUpperCase(), orgRole: 'org_admin' });
    expect(res.statusCode).toBe(303);
    expect(await membership(victim.id, org.id)).toBeUndefined();
    // The victim still acts for their own organisation only: nothing was attached to them.
    const victimAgent = await signedIn(victim);
    expect(text((await victimAgent.get('/signs/new')).body)).toContain('You act for Highland Witness.');
    // They are told, in a mail with no link that would create or join anything by itself.
    const mails = await mailsTo(victim.identifier);
    expect(mails.at(-1)?.subject).toBe('Invitation to join Lakeside Accountability Forum on Northstar');
    expect(mails.at(-1)?.body_text).toContain('/invitations/organisation');
    expect(mails.at(-1)?.body_text).not.toMatch(/\/invitations\/[A-Za-z0-9_-]{30,}/);

    // Someone else cannot answer it for them.
    const bystander = await signedIn(await createPerson(t, 'member'));
    const id = await invitationOn(victimAgent, 'Lakeside Accountability Forum');
    expect(text((await bystander.get('/invitations/organisation')).body)).not.toContain('Lakeside Accountability Forum');
    expect((await bystander.post(`/invitations/organisation/${id}/accept`)).statusCode).toBe(404);
    expect(await membership(victim.id, org.id)).toBeUndefined();

    const accepted = await victimAgent.post(`/invitations/organisation/${id}/accept`);
    expect(accepted.statusCode).toBe(303);
    expect((await membership(victim.id, org.id))?.role).toBe('org_admin');
    // Single use, and now the person chooses which organisation each form acts for.
    expect((await victimAgent.post(`/invitations/organisation/${id}/accept`)).statusCode).toBe(404);
    expect(text((await victimAgent.get('/signs/new')).body)).toContain('Which organisation do you act for?');
  });

  it('declining leaves nothing: no membership, no pending invitation', async () => {
    const { org, admin } = await organisationWithAdmin('Riverbank Monitoring Group');
    const person = await createPerson(t, 'member');
    await t.platform.db.updateTable('people').set({ locale: 'ar' }).where('id', '=', person.id).execute();
    expect((await admin.post(`/organisations/${org.id}/staff`, { email: person.identifier, orgRole: 'staff' })).statusCode).toBe(303);
    // Mailed in their own language, not the admin's.
    expect((await mailsTo(person.identifier)).at(-1)?.subject).toBe('دعوة للانضمام إلى \u2068Riverbank Monitoring Group\u2069 على Northstar');
    expect(text((await admin.get(`/organisations/${org.id}/staff`)).body)).toContain(person.identifier);
    const agent = await signedIn(person);
    const id = await invitationOn(agent, 'Riverbank Monitoring Group');
    expect((await agent.post(`/invitations/organisation/${id}/decline`)).statusCode).toBe(303);
    expect(await membership(person.id, org.id)).toBeUndefined();
    expect(text((await agent.get('/invitations/organisation')).body)).not.toContain('Riverbank Monitoring Group');
    expect(text((await admin.get(`/organisations/${org.id}/staff`)).body)).not.toContain(person.identifier);
    expect((await agent.post(`/invitations/organisation/${id}/accept`)).statusCode).toBe(404);
    expect(await membership(person.id, org.id)).toBeUndefined();
  });

  it('an associate account is asked too, and cannot be made staff even by accepting', async () => {
    const { org, admin } = await organisationWithAdmin('Expert Poaching Org');
    const associate = await createPerson(t, 'associate');
    expect((await admin.post(`/organisations/${org.id}/staff`, { email: associate.identifier, orgRole: 'staff' })).statusCode).toBe(303);
    const agent = await signedIn(associate);
    const id = await invitationOn(agent, 'Expert Poaching Org');
    expect(text((await agent.get('/invitations/organisation')).body)).toContain('it cannot join an organisation');
    const refused = await agent.post(`/invitations/organisation/${id}/accept`);
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('cannot join an organisation');
    expect(await membership(associate.id, org.id)).toBeUndefined();
    expect((await agent.post(`/invitations/organisation/${id}/decline`)).statusCode).toBe(303);
    expect(await membership(associate.id, org.id)).toBeUndefined();
  });

  it('an applicant naming an existing member as its contact: the member is invited, not made admin', async () => {
    const existing = await createPerson(t, 'member', { organisationId: (await createOrganisation(t, 'Old Guard Trust')).id });
    const terms = await convener.post('/terms', { body: 'Members work to prevent mass atrocities and share early warnings.' });
    expect([303, 400]).toContain(terms.statusCode); // published here, or already by another test
    const version = (await t.platform.db.selectFrom('terms_versions').select('version').orderBy('version', 'desc').executeTakeFirstOrThrow()).version;
    const applied = await postForm(t, new Agent(t), '/apply', {
      name: 'Impostor Coalition For Testing',
      mission: 'A mission.',
      countries: ['KEN'],
      activities: ['advocacy'],
      languages: ['en'],
      applicantName: 'Someone Else',
      applicantEmail: existing.identifier,
      statement: 'We prevent violence against civilians.',
      termsVersion: String(version),
      acceptTerms: 'yes',
    });
    expect(applied.statusCode).toBe(303);
    const application = await t.platform.db.selectFrom('applications').select('id').where('contact_email', '=', existing.identifier).executeTakeFirstOrThrow();
    expect((await convener.post(`/applications/${application.id}/decision`, { decision: 'approve', reason: 'Meets the terms.' })).statusCode).toBe(303);
    const org = await t.platform.db.selectFrom('organisations').select('id').where('name', '=', 'Impostor Coalition For Testing').executeTakeFirstOrThrow();
    expect(await membership(existing.id, org.id)).toBeUndefined();

    const agent = await signedIn(existing);
    const id = await invitationOn(agent, 'Impostor Coalition For Testing');
    expect((await agent.post(`/invitations/organisation/${id}/accept`)).statusCode).toBe(303);
    expect((await membership(existing.id, org.id))?.role).toBe('org_admin');
  });

  it("the convener's invitation: an existing account is not attached; a new one joins only by accepting the link", async () => {
    const org = await createOrganisation(t, 'Convened Example Org');
    const existing = await createPerson(t, 'member');
    await convener.post('/people/invitations', { email: existing.identifier, networkRole: 'member', organisationId: org.id, orgRole: 'org_admin' });
    expect(await membership(existing.id, org.id)).toBeUndefined();

    const email = `convened.${Date.now()}@example.org`;
    expect((await convener.post('/people/invitations', { email, networkRole: 'member', organisationId: org.id, orgRole: 'staff' })).statusCode).toBe(303);
    expect(await t.platform.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
    const link = /\/invitations\/[A-Za-z0-9_-]{20,}/.exec((await mailsTo(email)).at(-1)?.body_text ?? '')?.[0] as string;
    const invitee = new Agent(t);
    await invitee.get(link);
    const accepted = await invitee.post(link, { displayName: 'Convened Person', password: 'violet tundra harbour 7319 quince' });
    expect(accepted.statusCode, text(accepted.body).slice(0, 300)).toBe(303);
    const person = await t.platform.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    expect((await membership(person.id, org.id))?.role).toBe('staff');
  });
});

  it('an address typed at registration by someone else does not block its owner’s invitation', async () => {
    const org = await createOrganisation(t, 'Squatted Address Trust');
    const email = `squatted.${Date.now()}@example.org`;
    // Someone registers a pseudonymous account with an address that is not theirs.
    const squatter = await new Agent(t).post('/register', { pseudonym: `Squatter ${Date.now()}`, passphrase: 'acorn-fondling-buzz-uranium-nanny', saved: 'yes', email });
    expect(squatter.statusCode).toBe(303);
    await convener.post('/people/invitations', { email, networkRole: 'member', organisationId: org.id, orgRole: 'staff' });
    const link = /\/invitations\/[A-Za-z0-9_-]{20,}/.exec((await mailsTo(email)).at(-1)?.body_text ?? '')?.[0] as string;
    const invitee = new Agent(t);
    await invitee.get(link);
    const accepted = await invitee.post(link, { displayName: 'Address Owner', password: 'violet tundra harbour 7319 quince' });
    expect(accepted.statusCode, text(accepted.body).slice(0, 300)).toBe(303);
    const owner = await t.platform.db.selectFrom('people').select(['id', 'pseudonym']).where('email', '=', email).executeTakeFirstOrThrow();
    expect(owner.pseudonym).toBeNull();
    expect((await membership(owner.id, org.id))?.role).toBe('staff');
  });

describe('rights follow the organisation, at once', () => {
  it('a suspended organisation’s staff lose network and restricted signs, recording and /network; reinstated, they regain them', async () => {
    const suspended = await createOrganisation(t, 'Soon Suspended Society');
    const other = await createOrganisation(t, 'Steady Member Org');
    const staff = await createPerson(t, 'member', { organisationId: suspended.id });
    const otherStaff = await signedIn(await createPerson(t, 'member', { organisationId: other.id }));
    const agent = await signedIn(staff);
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const sign = async (who: Agent, sensitivity: string, audience: string[] = []) => {
      const res = await postForm(t, who, '/signs', { country: 'SDN', observedOn: day, indicators: ['7'], description: `A ${sensitivity} sign`, links: '', confidence: 'low', sensitivity, audience, language: 'en' });
      expect(res.statusCode, text(res.body).slice(0, 300)).toBe(303);
      return String(res.headers.location).split('?')[0] as string;
    };
    const networkSign = await sign(otherStaff, 'network');
    const restrictedSign = await sign(agent, 'restricted', [other.id]);
    // Subscribed to every alert, to see whether network-only mail still reaches them.
    expect((await postForm(t, agent, '/alerts/subscriptions', { minSeverity: 'moderate' })).statusCode).toBe(303);

    const can = async () => ({
      network: (await agent.get(networkSign)).statusCode,
      restricted: (await agent.get(restrictedSign)).statusCode,
      record: (await agent.get('/signs/new')).statusCode,
      browse: (await agent.get('/network')).statusCode,
    });
    expect(await can()).toEqual({ network: 200, restricted: 200, record: 200, browse: 200 });

    expect((await convener.post(`/organisations/${suspended.id}/status`, { status: 'suspended', reason: 'Breach of the terms' })).statusCode).toBe(303);
    expect(await can()).toEqual({ network: 404, restricted: 404, record: 404, browse: 404 });
    const refused = await postForm(t, agent, '/signs', { country: 'SDN', observedOn: day, indicators: ['7'], description: 'After suspension', links: '', confidence: 'low', sensitivity: 'network', language: 'en' });
    expect(refused.statusCode).toBe(404);
    expect(await t.platform.db.selectFrom('warning_signs').select('id').where('description', '=', 'After suspension').executeTakeFirst()).toBeUndefined();
    // The account remains: they still sign in and reach their account.
    expect((await (await signedIn(staff)).get('/account')).statusCode).toBe(200);

    // A network-only alert goes out now: it is not delivered to them.
    const proposed = await postForm(t, otherStaff, '/alerts', { country: 'SDN', signs: [networkSign.split('/').pop() as string], severity: 'high', summary: 'Network-only alert for the suspension test.', actions: ['briefing'], sensitivity: 'network' });
    const alertId = String(proposed.headers.location).split('?')[0]?.split('/').pop() as string;
    expect((await convener.post(`/alerts/${alertId}/confirm`)).statusCode).toBe(303);
    await t.services.alerts.fanOut(alertId);
    const delivered = await t.platform.db.selectFrom('alert_deliveries').select('person_id').where('alert_id', '=', alertId).execute();
    expect(delivered.map((d) => d.person_id)).not.toContain(staff.id);

    expect((await convener.post(`/organisations/${suspended.id}/status`, { status: 'member', reason: 'Reinstated' })).statusCode).toBe(303);
    expect(await can()).toEqual({ network: 200, restricted: 200, record: 200, browse: 200 });
  });

  it('an associate organisation’s admin is an associate: no network-only signs, no recording, but keeps its own profile', async () => {
    const member = await signedIn(await createPerson(t, 'member'));
    const associateOrg = await createOrganisation(t, 'Associate Example Institute');
    await t.platform.db.updateTable('organisations').set({ status: 'associate' }).where('id', '=', associateOrg.id).execute();
    const admin = await signedIn(await createPerson(t, 'org_admin', { organisationId: associateOrg.id }));
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const res = await postForm(t, member, '/signs', { country: 'MMR', observedOn: day, indicators: ['7'], description: 'Network only, not for associates', links: '', confidence: 'low', sensitivity: 'network', language: 'en' });
    const networkSign = String(res.headers.location).split('?')[0] as string;
    expect((await admin.get(networkSign)).statusCode).toBe(404);
    expect(text((await admin.get('/signs?q=associates')).body)).not.toContain('Network only, not for associates');
    expect((await admin.get('/signs/new')).statusCode).toBe(404);
    expect((await admin.get(`/organisations/${associateOrg.id}/edit`)).statusCode).toBe(200);
    expect((await admin.get(`/organisations/${associateOrg.id}/staff`)).statusCode).toBe(200);
  });

  it('an organisation that becomes an associate no longer reads its own network-only signs, nor the comments on them', async () => {
    const org = await createOrganisation(t, 'Formerly Member Group');
    const staffPerson = await createPerson(t, 'member', { organisationId: org.id });
    const staff = await signedIn(staffPerson);
    const other = await signedIn(await createPerson(t, 'member'));
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const res = await postForm(t, staff, '/signs', { country: 'SDN', observedOn: day, indicators: ['7'], description: 'Our network sign before the change', links: '', confidence: 'low', sensitivity: 'network', language: 'en' });
    expect(res.statusCode).toBe(303);
    const sign = String(res.headers.location).split('?')[0] as string;
    const comment = await postForm(t, other, `${sign}/reviews`, { kind: 'comment', body: 'A member organisation comment, network only' });
    expect(comment.statusCode, text(comment.body).slice(0, 300)).toBe(303);
    expect(text((await staff.get(sign)).body)).toContain('A member organisation comment');
    await t.platform.db.updateTable('organisations').set({ status: 'associate' }).where('id', '=', org.id).execute();
    expect((await staff.get(sign)).statusCode).toBe(404);
    expect(text((await staff.get('/signs/export.csv')).body)).not.toContain('Our network sign before the change');
  });

  it('removing a member of staff ends their rights there, not just the row', async () => {
    const { org, admin } = await organisationWithAdmin('Removal Example Org');
    const colleague = await createPerson(t, 'member', { organisationId: org.id });
    const agent = await signedIn(colleague);
    expect((await agent.get('/signs/new')).statusCode).toBe(200);
    // Another organisation's admin cannot remove them.
    const stranger = (await organisationWithAdmin('Stranger Org')).admin;
    expect((await stranger.post(`/organisations/${org.id}/staff/${colleague.id}/remove`)).statusCode).toBe(404);
    expect(await membership(colleague.id, org.id)).toBeDefined();

    expect((await admin.post(`/organisations/${org.id}/staff/${colleague.id}/remove`)).statusCode).toBe(303);
    expect(await membership(colleague.id, org.id)).toBeUndefined();
    expect((await agent.get('/signs/new')).statusCode).toBe(404);
    expect((await agent.get('/network')).statusCode).toBe(404);
  });
});
