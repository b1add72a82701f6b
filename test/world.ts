import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import * as accountsRepo from '../src/modules/accounts/accounts.repository.ts';
import type { Role } from '../src/platform/policy.ts';
import { Agent, createPerson, postForm, type TestApp, type TestPerson } from './helpers.ts';
import { type AdvocacyWorld, buildAdvocacyWorld } from './world-advocacy.ts';
import { buildLibraryWorld, type LibraryWorld } from './world-library.ts';
import { buildNotificationsWorld, type NotificationsWorld } from './world-notifications.ts';
import { buildSurveysWorld, type SurveysWorld } from './world-surveys.ts';
import { buildMeetingsWorld, type MeetingsWorld } from './world-meetings.ts';

/**
 * A small network with two member organisations, A and B, and records of every kind on each
 * side, made the way people make them (forms), so that access and per-record tests can send
 * real requests: a route is only tested if the request reaches the code that decides.
 *
 * Roles of the access table map onto people of organisation A (member = A's staff, org_admin =
 * A's admin); B and its people are "someone else". Participant P takes part in A's work; Q in B's.
 */
export interface OrgRecords {
  org: { id: string; slug: string; name: string };
  admin: TestPerson;
  staff: TestPerson;
  /** A staff member who can be removed (in per-record and valid-request passes). */
  removable: TestPerson;
  signPublic: string;
  signNetwork: string;
  /** Restricted: this organisation and the spare one read it, nobody else. */
  signRestricted: string;
  /** Proposed by this organisation, confirmed by the other: active and public. */
  alert: string;
  /** Proposed by this organisation, not yet confirmed. */
  alertProposed: string;
  community: string;
  /** Open, with the organisation's participant joined and owed a payment. */
  consultation: string;
  consultationPayment: string;
  /** Closed, feedback not yet published. */
  consultationClosed: string;
  opportunity: string;
  /** Awarded work and the payment it created. */
  opportunityAwarded: string;
  opportunityPayment: string;
  mediaRequest: string;
}

export interface World {
  t: TestApp;
  A: OrgRecords;
  B: OrgRecords;
  convener: TestPerson;
  associate: TestPerson;
  /** P works with A; Q with B. */
  P: TestPerson;
  Q: TestPerson;
  /** The person each role of the access table signs in as. */
  people: Record<Exclude<Role, 'anonymous'>, TestPerson>;
  agents: Record<Role, Agent>;
  /** Records that belong to one person, by person id. */
  sessionOf: Map<string, string>;
  tokenOf: Map<string, string>;
  subscriptionOf: Map<string, string>;
  application: string;
  forecastImport: string;
  mail: string;
  termsVersion: string;
  /** A person the convener may disable or enable. */
  bystander: TestPerson;
  /** An organisation nobody in the access table belongs to (for status changes). */
  spareOrg: { id: string; slug: string; name: string };
  /** Links mailed to their owners: a password reset (bystander's), an invitation, an applicant's answer. */
  resetToken: string;
  invitationToken: string;
  answerToken: string;
  /** B's invitation for A's staff member to join B too (theirs alone to accept). */
  invitationForMember: string;
  /**
   * Pending invitations from B to join its staff, one to accept and one to decline, for each
   * role whose person may hold one (member's `accept` is `invitationForMember`). None for the
   * participant: a pseudonymous account's email is unverified, so no invitation is addressed to it.
   */
  orgInvitations: Partial<Record<Exclude<Role, 'anonymous'>, { accept: string; decline: string }>>;
  /** An admin of the spare organisation, which asks to co-organise A's open consultation too (a request for A to decline). */
  spareAdmin: TestPerson;
  /** A public sign of A with a document. */
  document: { sign: string; id: string };
  /** Statements, signatories and the rest of collective advocacy, for A and B (world-advocacy.ts). */
  advocacy: AdvocacyWorld;
  /** Meetings, their agendas, minutes, actions, goals and AGM business, for A and B (world-meetings.ts). */
  meetings: MeetingsWorld;
  /** Library resources of A and B (world-library.ts). */
  library: LibraryWorld;
  /** Surveys run by A (world-surveys.ts). */
  surveys: SurveysWorld;
  /** The convener's announcement (world-notifications.ts). */
  notifications: NotificationsWorld;
}

export const today = () => new Date().toISOString().slice(0, 10);
const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const idFrom = (location: unknown) => String(location).split('?')[0]?.split('#')[0]?.split('/').pop() as string;

async function must(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) {
  if (res.statusCode !== 303 || String(res.headers.location).startsWith('/sign-in')) throw new Error(`world: ${what} answered ${res.statusCode} ${String(res.headers.location ?? '')}: ${res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`);
  return res;
}

export const consultationForm = (community: string, title: string) => ({
  title,
  format: 'meeting',
  purpose: 'Hear which issues the community wants in the advocacy plan.',
  decision: 'Which three issues the plan puts first.',
  decisionMaker: 'The board, in March.',
  canChange: 'The order of the issues.',
  cannotChange: 'The budget.',
  languages: ['ar', 'en'],
  compensationAmount: '25.50',
  compensationCurrency: 'GBP',
  compensationBasis: 'per session',
  missingWho: 'Women from rural areas.',
  missingWhy: 'Meetings were on weekday evenings.',
  missingSteps: 'A Saturday session with childcare.',
  communities: community,
  intent: 'open',
});

export const signForm = (sensitivity: 'public' | 'network', description: string) => ({
  country: 'SDN',
  area: 'North Darfur',
  observedOn: daysFromNow(-3),
  indicators: ['7.4'],
  description,
  links: 'https://example.org/report-1',
  confidence: 'medium',
  sensitivity,
  language: 'en',
});

export const opportunityForm = (title: string) => ({
  kind: 'translation',
  title,
  description: 'Four pages, plain language, by the end of the month.',
  rate: '120',
  currency: 'GBP',
  rateBasis: 'task',
  languages: ['ar'],
  deadline: daysFromNow(14),
});

async function signedIn(t: TestApp, person: TestPerson): Promise<Agent> {
  const agent = new Agent(t);
  const res = await agent.signIn(person);
  if (String(res.headers.location).startsWith('/sign-in')) throw new Error(`world: sign-in of ${person.identifier} refused: ${res.headers.location}`);
  return agent;
}

async function organisation(t: TestApp, name: string) {
  const profile = { name, mission: `${name} documents violence against civilians.`, countries: ['SDN'], activities: ['advocacy'], stakeholders: ['media'], languages: ['en'], membersOnly: [] };
  const { id, slug } = await t.platform.db.transaction().execute((trx) => t.services.directory.createWithin(trx, null, profile as never, { status: 'member', reason: 'test world' }));
  return { id, slug, name };
}

export async function buildWorld(t: TestApp): Promise<World> {
  const post = (agent: Agent, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agent, url, form);
  const suffix = randomBytes(2).toString('hex');
  const orgA = await organisation(t, `Darfur Witness Network ${suffix}`);
  const orgB = await organisation(t, `Nile Voices ${suffix}`);
  const spareOrg = await organisation(t, `Spare Organisation ${suffix}`);
  const convener = await createPerson(t, 'convener');
  const associate = await createPerson(t, 'associate');
  const P = await createPerson(t, 'participant');
  const Q = await createPerson(t, 'participant');
  const bystander = await createPerson(t, 'member');
  const convenerAgent = await signedIn(t, convener);
  const pAgent = await signedIn(t, P);
  const qAgent = await signedIn(t, Q);

  const side = async (org: typeof orgA) => ({
    org,
    admin: await createPerson(t, 'org_admin', { organisationId: org.id }),
    staff: await createPerson(t, 'member', { organisationId: org.id }),
    removable: await createPerson(t, 'member', { organisationId: org.id }),
  });
  const a = await side(orgA);
  const b = await side(orgB);
  const staffAgent = { A: await signedIn(t, a.staff), B: await signedIn(t, b.staff) };

  const records = async (key: 'A' | 'B', people: typeof a, other: Agent, participant: Agent, participantPerson: TestPerson): Promise<OrgRecords> => {
    const me = staffAgent[key];
    const signPublic = idFrom((await must(await post(me, '/signs', signForm('public', `Checkpoints seen by ${key}.`)), `${key} public sign`)).headers.location);
    const signNetwork = idFrom((await must(await post(me, '/signs', signForm('network', `Arrests seen by ${key}.`)), `${key} network sign`)).headers.location);
    const signRestricted = idFrom(
      (await must(await post(me, '/signs', { ...signForm('network', `Testimony held by ${key} alone.`), sensitivity: 'restricted', audience: [spareOrg.id] }), `${key} restricted sign`)).headers.location,
    );
    const alertForm = { country: 'SDN', signs: [signPublic], severity: 'high', summary: `Alert of ${key}: risk of reprisals.`, actions: ['joint_statement'], deadline: daysFromNow(7), sensitivity: 'public' };
    const alert = idFrom((await must(await post(me, '/alerts', alertForm), `${key} alert`)).headers.location);
    await must(await post(other, `/alerts/${alert}/confirm`), `${key} alert confirmed`);
    const alertProposed = idFrom((await must(await post(me, '/alerts', { ...alertForm, summary: `Proposed by ${key}.` }), `${key} proposed alert`)).headers.location);
    const community = idFrom((await must(await post(me, '/communities', { name: `Community of ${key} ${suffix}`, languages: ['ar'], dimensions: 'Region of origin: Darfur, Khartoum' }), `${key} community`)).headers.location);
    const consultation = idFrom((await must(await post(me, '/consultations', consultationForm(community, `Consultation of ${key}`)), `${key} consultation`)).headers.location);
    await must(await post(participant, `/consultations/${consultation}/join`), `${key} consultation joined`);
    await must(await post(me, `/consultations/${consultation}/participation`, { person: participantPerson.id, hours: '2', amount: '25.50', currency: 'GBP' }), `${key} participation`);
    const consultationPayment = (
      await t.platform.db.selectFrom('payments').select('id').where('consultation_id', '=', consultation).executeTakeFirstOrThrow()
    ).id;
    const consultationClosed = idFrom((await must(await post(me, '/consultations', consultationForm(community, `Closed consultation of ${key}`)), `${key} second consultation`)).headers.location);
    await must(await post(me, `/consultations/${consultationClosed}/close`), `${key} consultation closed`);
    const opportunity = idFrom((await must(await post(me, '/opportunities', opportunityForm(`Open work of ${key}`)), `${key} opportunity`)).headers.location);
    await must(await post(participant, `/opportunities/${opportunity}/apply`, { note: 'Free most evenings.' }), `${key} applied`);
    const opportunityAwarded = idFrom((await must(await post(me, '/opportunities', opportunityForm(`Awarded work of ${key}`)), `${key} second opportunity`)).headers.location);
    await must(await post(participant, `/opportunities/${opportunityAwarded}/apply`), `${key} applied twice`);
    await must(await post(me, `/opportunities/${opportunityAwarded}/award`, { person: participantPerson.id, amount: '120', currency: 'GBP' }), `${key} award`);
    const opportunityPayment = (
      await t.platform.db.selectFrom('payments').select('id').where('opportunity_id', '=', opportunityAwarded).executeTakeFirstOrThrow()
    ).id;
    await must(
      await post(me, '/media-requests', { person: participantPerson.id, outlet: 'BBC Arabic', topic: `Topic of ${key}`, trainingOffered: 'A practice interview.', supportOffered: 'Someone with you.' }),
      `${key} media request`,
    );
    const mediaRequest = (await t.platform.db.selectFrom('media_requests').select('id').where('person_id', '=', participantPerson.id).executeTakeFirstOrThrow()).id;
    return { ...people, signPublic, signNetwork, signRestricted, alert, alertProposed, community, consultation, consultationPayment, consultationClosed, opportunity, opportunityAwarded, opportunityPayment, mediaRequest };
  };
  const A = await records('A', a, staffAgent.B, pAgent, P);
  const B = await records('B', b, staffAgent.A, qAgent, Q);
  // B asks to organise A's open consultation together: a request for A to answer.
  await post(staffAgent.B, `/consultations/${A.consultation}/co-organise`);
  // B's admin invites A's staff member to join B as well: only that person may answer.
  await must(await post(await signedIn(t, b.admin), `/organisations/${orgB.id}/staff`, { email: a.staff.identifier, orgRole: 'staff' }), 'staff invitation');
  // (Where the staff form still attaches at once, there is no invitation, and the cell is not reached.)
  const invitationForMember =
    (await t.platform.db.selectFrom('invitations').select('id').where('email', '=', a.staff.identifier).where('organisation_id', '=', orgB.id).orderBy('created_at', 'desc').executeTakeFirst())?.id ?? '';
  // More invitations from B's admin, as the staff form makes them: for A's admin, the associate
  // and the convener one to accept and one to decline; for A's staff member, one more to decline.
  // (Declining comes before accepting in the valid pass, so each needs its own.)
  const bAdmin = await signedIn(t, b.admin);
  const invitationsOf = async (person: TestPerson, count: number) => {
    for (let i = 0; i < count; i++) await must(await post(bAdmin, `/organisations/${orgB.id}/staff`, { email: person.identifier, orgRole: 'staff' }), `staff invitation for ${person.identifier}`);
    const rows = await t.platform.db.selectFrom('invitations').select('id').where('email', '=', person.identifier).where('organisation_id', '=', orgB.id).where('accepted_at', 'is', null).orderBy('created_at', 'asc').execute();
    return rows.map((r) => r.id);
  };
  const orgInvitations: World['orgInvitations'] = {};
  if (invitationForMember) {
    const [decline = ''] = (await invitationsOf(a.staff, 1)).filter((id) => id !== invitationForMember);
    orgInvitations.member = { accept: invitationForMember, decline };
  }
  for (const [role, person] of [['org_admin', a.admin], ['associate', associate], ['convener', convener]] as const) {
    const [accept = '', decline = ''] = await invitationsOf(person, 2);
    orgInvitations[role] = { accept, decline };
  }
  // A second request to co-organise A's open consultation, from the spare organisation's admin:
  // A accepts B's and declines this one.
  const spareAdmin = await createPerson(t, 'org_admin', { organisationId: spareOrg.id });
  await must(await post(await signedIn(t, spareAdmin), `/consultations/${A.consultation}/co-organise`), 'second co-organise request');

  const people: World['people'] = { participant: P, associate, member: a.staff, org_admin: a.admin, convener };
  const agents = {
    anonymous: new Agent(t),
    participant: pAgent,
    associate: await signedIn(t, associate),
    member: staffAgent.A,
    org_admin: await signedIn(t, a.admin),
    convener: convenerAgent,
  } as World['agents'];
  await agents.anonymous.get('/');

  // Per person: a second session (not the one the agent uses), a token, a subscription.
  const sessionOf = new Map<string, string>();
  const tokenOf = new Map<string, string>();
  const subscriptionOf = new Map<string, string>();
  for (const person of [P, Q, associate, a.staff, a.admin, b.staff, b.admin, convener]) {
    const { id: session } = await accountsRepo.insertSession(t.platform.db, {
      token_hash: randomBytes(32).toString('hex'),
      person_id: person.id,
      device: 'Spare browser',
      expires_at: new Date(Date.now() + 86_400_000),
    });
    sessionOf.set(person.id, session);
    const { id: token } = await accountsRepo.insertApiToken(t.platform.db, { person_id: person.id, name: 'Spare token', token_hash: randomBytes(32).toString('hex') });
    tokenOf.set(person.id, token);
    const agent = await signedIn(t, person);
    await must(await post(agent, '/alerts/subscriptions', { countries: ['SDN'], minSeverity: 'moderate' }), 'subscription');
    const sub = await t.platform.db.selectFrom('alert_subscriptions').select('id').where('person_id', '=', person.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    subscriptionOf.set(person.id, sub.id);
  }

  // Convener's records: an application, a forecast import, a mail in the outbox.
  await must(await post(convenerAgent, '/terms', { body: `# Terms of reference ${suffix}\n\nMembers share what they know, and protect the people who tell them.` }), 'terms');
  const termsVersion = String((await t.platform.db.selectFrom('terms_versions').select('version').orderBy('version', 'desc').executeTakeFirstOrThrow()).version);
  const applicant = new Agent(t);
  await must(
    await post(applicant, '/apply', {
      name: `Tana River Listening Project ${suffix}`,
      mission: 'We listen to survivors.',
      countries: ['KEN'],
      activities: ['monitoring'],
      stakeholders: ['survivors'],
      languages: ['sw'],
      applicantName: 'Achieng Example',
      applicantEmail: `achieng.${suffix}@example.org`,
      statement: 'Our monitoring work is about preventing violence against civilians.',
      termsVersion,
      acceptTerms: 'yes',
    }),
    'application',
  );
  const application = (await t.platform.db.selectFrom('applications').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
  // The real forecasts file (a short one is refused as not the project's format); left at the preview step.
  const real = readFileSync(new URL('./fixtures/ewp/final_forecasts_data_3Sep2025.csv', import.meta.url));
  const fd = new FormData();
  fd.append('_csrf', await convenerAgent.csrf());
  fd.append('file', new Blob([new Uint8Array(real)], { type: 'text/csv' }), 'final_forecasts_data_3Sep2025.csv');
  const request = new Request('http://localhost/', { method: 'POST', body: fd });
  const upload = await t.app.inject({
    method: 'POST',
    url: '/forecasts/imports',
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { origin: 'http://localhost:3000', accept: 'text/html', cookie: convenerAgent.cookieHeader() ?? '', 'content-type': request.headers.get('content-type') as string },
  });
  const forecastImport = idFrom((await must(upload, 'forecast import')).headers.location);
  // Links as their owners receive them (read from the stored mail, as the owner's mailbox would).
  const linkIn = async (recipient: string | null, pattern: RegExp, what: string) => {
    const rows = await t.platform.db.selectFrom('mail_messages').select(['recipient', 'body_text']).orderBy('created_at', 'desc').execute();
    for (const row of rows) {
      if (recipient && row.recipient !== recipient) continue;
      const m = pattern.exec(row.body_text);
      if (m?.[1]) return m[1];
    }
    // Not readable here (a mail that holds a secret may be stored sealed): its cells are not reached.
    console.log(`world: no ${what} link found in the stored mail`);
    return '';
  };
  await post(new Agent(t), '/password/forgot', { email: bystander.identifier });
  const resetToken = await linkIn(bystander.identifier, /\/password\/reset\/([A-Za-z0-9_-]+)/, 'password reset');
  const invitee = `invitee.${suffix}@example.org`;
  await must(await post(convenerAgent, '/people/invitations', { email: invitee, networkRole: 'associate' }), 'invitation');
  const invitationToken = await linkIn(invitee, /\/invitations\/([A-Za-z0-9_-]+)/, 'invitation');
  await must(await post(convenerAgent, `/applications/${application}/request-info`, { body: 'Which countries do you work in?' }), 'request for information');
  const answerToken = await linkIn(null, /\/apply\/answer\/([A-Za-z0-9_-]+)/, 'applicant answer');
  const pdf = new FormData();
  pdf.append('_csrf', await staffAgent.A.csrf());
  for (const [k, v] of Object.entries(signForm('public', 'A sign with witness notes.'))) for (const one of [v].flat()) pdf.append(k, one);
  pdf.append('documents', new Blob(['%PDF-1.4\n% test\n'], { type: 'application/pdf' }), 'notes.pdf');
  const pdfRequest = new Request('http://localhost/', { method: 'POST', body: pdf });
  const withDocument = await t.app.inject({
    method: 'POST',
    url: '/signs',
    payload: Buffer.from(await pdfRequest.arrayBuffer()),
    headers: { origin: 'http://localhost:3000', accept: 'text/html', cookie: staffAgent.A.cookieHeader() ?? '', 'content-type': pdfRequest.headers.get('content-type') as string },
  });
  const documentSign = idFrom((await must(withDocument, 'sign with a document')).headers.location);
  const documentPage = await staffAgent.A.get(`/signs/${documentSign}`);
  const documentId = /href="\/signs\/[^"/]+\/documents\/([^"]+)"/.exec(documentPage.body)?.[1];
  if (!documentId) throw new Error('world: the sign page links no document');
  const mail = (await t.platform.db.selectFrom('mail_messages').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;

  const world: Omit<World, 'advocacy' | 'meetings' | 'library' | 'surveys' | 'notifications'> = { t, A, B, convener, associate, P, Q, people, agents, sessionOf, tokenOf, subscriptionOf, application, forecastImport, mail, bystander, termsVersion, invitationForMember, orgInvitations, spareAdmin, spareOrg, resetToken, invitationToken, answerToken, document: { sign: documentSign, id: documentId } };
  const advocacy = await buildAdvocacyWorld(t, world);
  const meetings = await buildMeetingsWorld(t, world);
  const library = await buildLibraryWorld(t, world);
  const surveys = await buildSurveysWorld(t, world);
  return { ...world, advocacy, meetings, library, surveys, notifications: await buildNotificationsWorld(t, world) };
}

// ---- "changes nothing" ----------------------------------------------------------------------

// Touched by reading (a session seen, a token used) or by the clock, not by what a request decides.
const VOLATILE = new Set(['sessions.last_seen_at', 'sessions.expires_at', 'api_tokens.last_used_at']);
// Counted, not compared: bookkeeping that a refused request may still add to (throttling).
const IGNORED = new Set(['auth_throttle', 'kysely_migration', 'kysely_migration_lock']);

/** The one query of `snapshot`, per app (the tables are the same for the life of its database). */
const snapshotQueries = new WeakMap<TestApp, string>();

/**
 * Every row of every table of the application (found in the catalogue, so a new table is
 * included without anyone remembering to add it), for "the refused request changed nothing".
 * Each table is summed up in the database, in one query for all of them: its row count and the
 * sum of a 64-bit hash of each row's text (volatile columns left out), which moves when any row
 * is added, removed or changed. Reading every row into the test instead cost more than the
 * requests it checked, several times over, as the tables grew.
 */
export async function snapshot(t: TestApp): Promise<Map<string, string>> {
  let query = snapshotQueries.get(t);
  if (!query) {
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(t.platform.db);
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
    query = tables.rows
      .map((r) => r.table_name)
      .filter((table) => !IGNORED.has(table))
      .map((table) => {
        const drop = [...VOLATILE].filter((c) => c.startsWith(`${table}.`)).map((c) => literal(c.slice(table.length + 1)));
        const row = drop.length ? `(to_jsonb(x) - array[${drop.join(', ')}]::text[])::text` : 'x::text';
        return `select ${literal(table)} as t, count(*)::text || ':' || coalesce(sum(hashtextextended(${row}, 0)::numeric), 0)::text as h from ${quote(table)} x`;
      })
      .join('\nunion all\n');
    snapshotQueries.set(t, query);
  }
  const { rows } = await sql<{ t: string; h: string }>`${sql.raw(query)}`.execute(t.platform.db);
  return new Map(rows.map((r) => [r.t, r.h]));
}

/** The tables whose rows differ between two snapshots. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

// ---- real URLs --------------------------------------------------------------------------------

type Person = 'self' | 'other';

/**
 * The URL of a route with the ids of records the role may act on (`own`), or of records of
 * another organisation or person (`other`). Undefined when a parameter has no such record.
 * For the access table, member = A's staff and org_admin = A's admin; "other" is B, or Q for P.
 */
export function realUrl(w: World, route: string, role: Role, whose: 'own' | 'other' = 'own'): string | undefined {
  const [, pattern = ''] = route.split(' ');
  const mine = whose === 'own' ? w.A : w.B;
  const adv = whose === 'own' ? w.advocacy.A : w.advocacy.B;
  const meet = whose === 'own' ? w.meetings.A : w.meetings.B;
  // The participant is invited through a community (world-meetings.ts): its meeting is that one.
  const forParticipant = (id: string) => (role === 'participant' ? meet.communityMeeting : id);
  const me = role === 'anonymous' ? undefined : w.people[role];
  const person = (which: Person) => {
    if (!me) return undefined;
    if (which === 'self') return me.id;
    return me.id === w.P.id ? w.Q.id : w.B.staff.id;
  };
  const self = whose === 'own' ? 'self' : 'other';
  const byPrefix: [RegExp, Record<string, string | undefined>][] = [
    [/^\/(account|api\/v1\/me)\/sessions\//, { id: w.sessionOf.get(person(self) ?? '') }],
    [/^\/(account|api\/v1\/me)\/tokens\//, { id: w.tokenOf.get(person(self) ?? '') }],
    [/^\/alerts\/subscriptions\//, { id: w.subscriptionOf.get(person(self) ?? '') }],
    [/^\/password\/reset\//, { token: w.resetToken }],
    // The caller's own pending invitation (none for the participant: see World.orgInvitations).
    [/^\/invitations\/organisation\//, { id: role === 'anonymous' || whose !== 'own' ? undefined : w.orgInvitations[role]?.[pattern.endsWith('/decline') ? 'decline' : 'accept'] }],
    [/^\/invitations\//, { token: w.invitationToken }],
    [/^\/apply\/answer\//, { token: w.answerToken }],
    [/^\/people\//, { id: w.bystander.id }],
    [/^\/outbox\//, { id: w.mail }],
    [/^\/organisations\/:id\/status/, { id: w.spareOrg.id }],
    // ---- collective advocacy (world-advocacy.ts) ----
    // A's admin ends the naming of A's staff member (accepted in the world).
    [/^\/organisations\/:id\/signatories\/:personId/, { id: mine.org.id, personId: mine.staff.id }],
    [/^\/signatories\//, { organisationId: mine.org.id }],
    // Public figures, and the published statement sent to them (by email to the post, by hand to the person).
    [/^\/recipients\/posts\//, { id: adv.post }],
    [/^\/recipients\/people\//, { id: adv.person }],
    [/^\/recipients\/memberships\//, { id: adv.partyMembership }],
    [/^\/statements\/:id\/recipients\/:recipientId\/replies/, { id: adv.published, recipientId: adv.emailed }],
    [/^\/statements\/:id\/recipients\/:recipientId\//, { id: adv.published, recipientId: adv.byHand }],
    [/^\/statements\/:id\/replies\/:replyId\/(attachment|commitments)/, { id: adv.published, replyId: adv.reply }],
    [/^\/(commitments|api\/v1\/commitments)\//, { id: adv.commitment, ratingId: adv.rating }],
    [/^\/api\/v1\/statements\//, { id: adv.published }],
    [/^\/statements\/:id\/replies\//, { id: adv.published, replyId: adv.replyUnpublished }],
    [/^\/statements\/:id\/(recipients|send)$/, { id: adv.published }],
    [/^\/replies\//, { token: adv.replyToken }],
    // Invitations to co-draft are answered on the other organisation's draft, for one's own organisation.
    [/^\/statements\/:id\/drafters\/:organisationId\//, { id: adv.invitedToDraft[pattern.endsWith('/decline') ? 'decline' : 'accept'], organisationId: mine.org.id }],
    // Owners' steps on a draft; a correction and the versions on the published one.
    [/^\/statements\/:id\/(edit|drafters|translations|circulate)$/, { id: adv.draft }],
    [/^\/statements\/:id\/(correction|versions\/)/, { id: adv.published, version: '1' }],
    // One's own organisation signs its own circulated statement; it declines the other's (one
    // cannot decline what one has signed). Comments and co-signatures on the circulated one.
    [/^\/statements\/:id\/decline$/, { id: (whose === 'own' ? w.advocacy.B : w.advocacy.A).circulated }],
    [/^\/statements\/:id\/(sign|withdraw|comments|cosign|publish)/, { id: adv.circulated }],
    // The statement page: the public reads the published one; A's staff member its draft (the
    // drafters' forms); the others the circulated one (signing, commenting, co-signing).
    [/^\/statements\/:id$/, { id: role === 'anonymous' ? adv.published : role === 'member' ? adv.draft : adv.circulated }],
    // ---- meetings, goals and actions (world-meetings.ts) ----
    // Items: a proposed one to accept or decline, the accepted one to move or time-box.
    [/^\/meetings\/:id\/agenda\/items\/:itemId\/(accept|decline)$/, { id: forParticipant(meet.meeting), itemId: meet.item }],
    [/^\/meetings\/:id\/agenda\/items\/:itemId\//, { id: forParticipant(meet.meeting), itemId: meet.accepted }],
    // The poll is on the draft convened from the alert; minutes and decisions on the held meeting; motions at the AGM.
    [/^\/meetings\/:id\/poll/, { id: role === 'participant' ? meet.communityDraft : meet.draft }],
    [/^\/meetings\/:id\/(minutes|decisions)/, { id: forParticipant(meet.held) }],
    [/^\/meetings\/:id\/(motions|delegates)/, { id: forParticipant(meet.agm), motionId: meet.motion }],
    [/^\/(meetings|api\/v1\/meetings)\/:id/, { id: forParticipant(meet.meeting) }],
    [/^\/goals\/:id\/leads/, { id: meet.goalInvited }],
    [/^\/goals\//, { id: meet.goal }],
    [/^\/actions\//, { id: meet.action }],
    [/^\/support\//, { version: w.meetings.supportVersion }],
    [/^\/calendar\/:token/, { token: meet.feedToken }],
    [/^\/organisations\//, { id: mine.org.id, personId: mine.removable.id }],
    [/^\/(directory|api\/v1\/organisations)\//, { slug: mine.org.slug }],
    [/^\/terms\//, { version: w.termsVersion }],
    [/^\/applications\//, { id: w.application }],
    [/^\/signs\/:id\/documents/, { id: w.document.sign, documentId: w.document.id }],
    // Reviews are of another organisation's sign: one's own cannot be corroborated.
    [/^\/signs\/:id\/reviews/, { id: whose === 'own' ? w.B.signPublic : w.A.signPublic }],
    [/^\/(signs|api\/v1\/signs)\//, { id: mine.signPublic }],
    [/^\/(countries|api\/v1\/countries)\//, { code: 'SDN' }],
    [/^\/forecasts\/imports\//, { id: w.forecastImport }],
    // Confirming is another organisation's step.
    [/^\/alerts\/:id\/confirm/, { id: whose === 'own' ? w.B.alertProposed : w.A.alertProposed }],
    [/^\/(alerts|api\/v1\/alerts)\//, { id: mine.alert }],
    [/^\/communities\//, { id: mine.community }],
    [/^\/consultations\/:id\/feedback/, { id: mine.consultationClosed }],
    // Co-organising is asked of another organisation's consultation.
    // The request B made (world): A answers it on its own consultation.
    [/^\/consultations\/:id\/co-organisers\//, { id: mine.consultation, organisationId: (whose === 'own' ? w.B : w.A).org.id }],
    [/^\/consultations\/:id\/co-organise/, { id: whose === 'own' ? w.B.consultation : w.A.consultation }],
    [/^\/consultations\//, { id: mine.consultation, paymentId: mine.consultationPayment }],
    [/^\/opportunities\/:id\/payments/, { id: mine.opportunityAwarded, paymentId: mine.opportunityPayment }],
    [/^\/opportunities\//, { id: mine.opportunity }],
    [/^\/media-requests\//, { id: mine.mediaRequest }],
    // ---- the library (world-library.ts) ----
    [/^\/(library|api\/v1\/library)\//, { id: (whose === 'own' ? w.library.A : w.library.B).resource }],
    // ---- surveys (world-surveys.ts): A's; the builder's routes act on the draft ----
    [/^\/(api\/v1\/)?surveys\/:id\/(results|texts)/, { id: w.surveys.closed }],
    [/^\/surveys\/:id\/(answers|reminders|close)/, { id: w.surveys.open }],
    [/^\/surveys\/:id\/questions\/:questionId/, { id: w.surveys.draft, questionId: w.surveys.draftQuestion }],
    [/^\/surveys\/:id\/(sections|questions|open)/, { id: w.surveys.draft }],
    [/^\/surveys\/:id$/, { id: route.startsWith('POST') ? w.surveys.draft : w.surveys.open }],
    [/^\/s\/:token/, { token: w.surveys.linkToken }],
    // ---- digests and announcements: the caller's own one-click address (a visitor's: the bystander's) ----
    [/^\/notifications\/unsubscribe\//, { token: w.t.services.notifications.unsubscribeToken(me?.id ?? w.bystander.id, 'weekly') }],
    [/^\/announcements\/:id/, { id: w.notifications.announcement }],
  ];
  const params = byPrefix.find(([re]) => re.test(pattern))?.[1] ?? {};
  let missing = false;
  const url = pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (!value) missing = true;
    return value ?? '';
  });
  if (missing) return undefined;
  // Convening from an alert: the alert is the form's subject (without it, the ordinary form's job).
  if (route === 'GET /meetings/convene') return `${url}?alert=${mine.alert}`;
  return url;
}
