import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as accountsRepo from '../src/modules/accounts/accounts.repository.ts';
import type { Role } from '../src/platform/policy.ts';
import { type Agent, createPerson, postForm, type TestApp, type TestPerson, text, totpNow } from './helpers.ts';
import { consultationForm, opportunityForm, signForm, today, type World } from './world.ts';
import { circulateForm, makeStatement, statementForm } from './world-advocacy.ts';
import { resourceForm } from './world-library.ts';
import { makeSurvey, surveyForm } from './world-surveys.ts';
import { chairs, convened, localTime, makeMeeting, meetingForm, proposeItem } from './world-meetings.ts';

/**
 * Well-formed requests for the access table's "allow" cells (see access-table.ts): the body a
 * real person would send, on records the role may act on (world.ts `realUrl`), and what must
 * change when it works. access.test.ts sends each one and asserts the effect; a route without
 * an entry here is counted as not reached. Add an entry with each new route.
 */
export interface Ctx {
  t: TestApp;
  w: World;
  role: Role;
  person: TestPerson | undefined;
  agent: Agent;
  url: string | undefined;
}
type Form = Record<string, string | string[]>;
export interface ValidRequest {
  /** Another URL than `realUrl` (a record of its own, so that an earlier cell does not use it up). */
  url?: string;
  form?: Form;
  json?: Record<string, unknown>;
  files?: { field: string; name: string; type: string; data: Buffer }[];
  /** Tables whose rows must change (besides the audit log). */
  changes?: string[];
  /** A redirect that means done, where a redirect to sign-in would otherwise mean refused. */
  redirect?: RegExp;
  /** A write that is not audited, and why. */
  noAudit?: string;
  /**
   * The cell's valid request is refused by design: the route lets the role in (so the access
   * table says allow, and a malformed id answers 400, not 404), but the service always refuses
   * this role, with this status and message, and nothing changes. Asserted as such, and counted
   * apart in the printed figure.
   */
  refused?: { status: number; says: string; why: string };
  check?: () => Promise<void>;
}

const fresh = () => randomBytes(3).toString('hex');
const NEW_PASSWORD = 'a brand new passphrase for the valid pass';
const FORECASTS = () => readFileSync(new URL('./fixtures/ewp/final_forecasts_data_3Sep2025.csv', import.meta.url));

async function expectRow<T>(what: string, get: () => Promise<T>, ok: (row: T) => boolean) {
  const row = await get();
  if (!ok(row)) throw new Error(`${what}: ${JSON.stringify(row)}`);
}

async function spareSession(c: Ctx) {
  const { id } = await accountsRepo.insertSession(c.t.platform.db, { token_hash: randomBytes(32).toString('hex'), person_id: c.person?.id as string, device: 'Spare', expires_at: new Date(Date.now() + 86_400_000) });
  return id;
}
async function spareToken(c: Ctx) {
  return (await accountsRepo.insertApiToken(c.t.platform.db, { person_id: c.person?.id as string, name: 'Spare', token_hash: randomBytes(32).toString('hex') })).id;
}

/**
 * GET cells refused by design, per record: the route lets the role in (a malformed id answers
 * 400, not 404), but no record of the world is one this role may open, because the service
 * decides per record (a meeting's organisers, an action's readers). The page must answer 404,
 * the not-found page; the cell is counted as reached and listed apart with its reason.
 */
export const REFUSED_GET: Record<string, Partial<Record<Role, string>>> = {
  'GET /meetings/:id/edit': {
    convener: 'organisers only: the convener, in no organisation, convenes and chairs nothing',
    participant: 'organisers only: the participant holds no role in its community meeting',
  },
  'GET /meetings/:id/check-in': {
    convener: 'organisers only: the convener, in no organisation, convenes and chairs nothing',
    participant: 'organisers only: the participant holds no role in its community meeting',
  },
  'GET /library/:id/edit': { convener: 'the adding organisation edits: the convener is on no staff' },
  'GET /surveys/:id': { participant: 'a survey of the network: participants are not its audience', anonymous: 'a survey of the network: visitors are not its audience' },
  'GET /surveys/:id/results': { participant: 'the results of a survey of the network are for the network', anonymous: 'the results of a survey of the network are for the network' },
  'GET /surveys/:id/results.csv': { participant: 'the results of a survey of the network are for the network', anonymous: 'the results of a survey of the network are for the network' },
  'GET /api/v1/surveys/:id/results': { participant: 'the results of a survey of the network are for the network', anonymous: 'the results of a survey of the network are for the network' },
  'GET /surveys/:id/texts': { convener: "A's organisers read the written answers of A's survey: the convener is not on A's staff" },
  'GET /surveys/:id/questions/:questionId': { convener: "a draft's questions are edited by its organisers, the running organisation's staff: the convener is not on A's" },
  'GET /actions/:id': {
    convener: "an action of a held meeting is read by whoever may read its minutes: circulated minutes go to attendees, and the convener did not attend",
    participant: "A's action is A's and its meeting's: the participant is neither",
  },
};

export const VALID: Record<string, (c: Ctx) => Promise<ValidRequest | undefined> | ValidRequest | undefined> = {
  'POST /sign-in': (c) => ({ form: { identifier: c.w.bystander.identifier, password: c.w.bystander.password }, changes: ['sessions'] }),
  'POST /sign-out': () => ({ changes: ['sessions'], redirect: /^\/(sign-in)?$/ }),
  // The handler does not look at who is signed in (accounts.pages.tsx): a signed-in person who
  // registers gets a new, separate community account and is signed in as it (the cookie is
  // replaced; the old account and its other sessions are untouched). Sent by a throw-away account.
  'POST /register': (c) => {
    const pseudonym = `Fresh${fresh()}`;
    return {
      form: { pseudonym, passphrase: 'correct horse battery staple river', saved: 'yes' },
      changes: ['people', 'sessions'],
      redirect: /^\/account\?done=registered$/,
      check: async () => {
        const row = await c.t.platform.db.selectFrom('people').select(['id', 'network_role']).where('pseudonym', '=', pseudonym).executeTakeFirst();
        if (row?.network_role !== 'participant') throw new Error(`no new community account: ${JSON.stringify(row)}`);
        // The session the answer's cookie carries is the new account's.
        await expectRow('signed in as the new account', () => c.t.platform.db.selectFrom('sessions').select('id').where('person_id', '=', row.id).execute(), (r) => r.length === 1);
        if (c.person) await expectRow('the old account keeps its session', () => c.t.platform.db.selectFrom('sessions').select('id').where('person_id', '=', c.person?.id as string).execute(), (r) => r.length >= 1);
      },
    };
  },
  'POST /language': () => ({ form: { locale: 'en' }, noAudit: 'a preference, kept in a cookie or on the account' }),
  'POST /account/password': (c) => ({ form: { current: c.person?.password as string, password: NEW_PASSWORD }, changes: ['people'] }),
  'POST /account/totp': async (c) => {
    const page = await c.agent.get('/account/totp');
    const secret = /name="secret" value="([A-Z2-7]+)"/.exec(page.body)?.[1] ?? '';
    return { form: { secret, code: await totpNow(secret), current: c.person?.password as string }, changes: ['people'] };
  },
  'POST /account/totp/disable': (c) => ({ form: { totpPassword: c.person?.password as string }, changes: ['people'] }),
  'POST /account/recovery-codes': (c) => ({ form: { recoveryPassword: c.person?.password as string } }),
  'POST /account/sessions/:id/revoke': async (c) => {
    const id = await spareSession(c);
    return { url: `/account/sessions/${id}/revoke`, changes: ['sessions'], check: () => expectRow('session ended', () => c.t.platform.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst(), (r) => r === undefined) };
  },
  'POST /account/sessions/revoke-others': async (c) => {
    await spareSession(c);
    return { changes: ['sessions'] };
  },
  'POST /account/tokens': (c) => ({ form: { name: 'Reporting script', tokenPassword: c.person?.password as string }, changes: ['api_tokens'] }),
  'POST /account/tokens/:id/revoke': async (c) => {
    const id = await spareToken(c);
    return {
      url: `/account/tokens/${id}/revoke`,
      changes: ['api_tokens'],
      check: () => expectRow('token revoked', () => c.t.platform.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', id).executeTakeFirst(), (r) => r === undefined || r.revoked_at !== null),
    };
  },
  'POST /password/forgot': (c) => ({ form: { email: c.w.bystander.identifier }, changes: ['password_resets'] }),
  'POST /password/reset/:token': () => ({ form: { password: NEW_PASSWORD }, changes: ['people', 'password_resets'], redirect: /^\/sign-in\?done=/ }),
  'POST /invitations/:token': () => ({ form: { displayName: 'Invited Associate', password: NEW_PASSWORD }, changes: ['people', 'invitations'] }),
  // Accepting makes the caller one of B's staff too (then every form asks whom they act for): late.
  // An associate's account cannot join an organisation's staff (directory.service.ts): it may only
  // decline (views/invitations.tsx shows no accept button), and accepting answers 400.
  'POST /invitations/organisation/:id/accept': (c) =>
    c.role === 'associate'
      ? { refused: { status: 400, says: "This is a community or associate account, which cannot join an organisation's staff.", why: 'associate accounts may only decline' } }
      : {
          changes: ['memberships', 'invitations'],
          check: () =>
            expectRow('joined B', () => c.t.platform.db.selectFrom('memberships').select('role').where('person_id', '=', c.person?.id as string).where('organisation_id', '=', c.w.B.org.id).executeTakeFirst(), (r) => r !== undefined),
        },
  // Declining deletes the invitation (nothing else: the caller joins nothing).
  'POST /invitations/organisation/:id/decline': (c) => {
    const id = c.url?.split('/')[3] as string;
    return {
      changes: ['invitations'],
      redirect: /^\/invitations\/organisation\?done=invitationDeclined$/,
      check: async () => {
        await expectRow('invitation gone', () => c.t.platform.db.selectFrom('invitations').select('id').where('id', '=', id).executeTakeFirst(), (r) => r === undefined);
        await expectRow('joined nothing', () => c.t.platform.db.selectFrom('memberships').select('role').where('person_id', '=', c.person?.id as string).where('organisation_id', '=', c.w.B.org.id).executeTakeFirst(), (r) => r === undefined);
      },
    };
  },
  'POST /people/invitations': () => ({ form: { email: `invitee.${fresh()}@example.org`, networkRole: 'associate' }, changes: ['invitations'] }),
  'POST /people/:id/disable': (c) => ({
    changes: ['people'],
    check: () => expectRow('disabled', () => c.t.platform.db.selectFrom('people').select('status').where('id', '=', c.w.bystander.id).executeTakeFirstOrThrow(), (r) => r.status === 'disabled'),
  }),
  'POST /people/:id/enable': (c) => ({
    changes: ['people'],
    check: () => expectRow('enabled', () => c.t.platform.db.selectFrom('people').select('status').where('id', '=', c.w.bystander.id).executeTakeFirstOrThrow(), (r) => r.status === 'active'),
  }),
  'PATCH /api/v1/me': () => ({ json: { locale: 'en' }, noAudit: 'a preference' }),
  'DELETE /api/v1/me/sessions/:id': async (c) => ({ url: `/api/v1/me/sessions/${await spareSession(c)}`, changes: ['sessions'] }),
  'POST /api/v1/me/tokens': (c) => ({ json: { name: 'Script', tokenPassword: c.person?.password }, changes: ['api_tokens'] }),
  'DELETE /api/v1/me/tokens/:id': async (c) => ({ url: `/api/v1/me/tokens/${await spareToken(c)}`, changes: ['api_tokens'] }),
  'POST /api/v1/invitations': () => ({ json: { email: `api.invitee.${fresh()}@example.org`, networkRole: 'associate' }, changes: ['invitations'] }),

  'POST /organisations/:id/edit': async (c) => {
    const { formsIn } = await import('./forms.ts');
    const page = await c.agent.get(c.url as string);
    const form = formsIn(page.body, c.url as string).find((f) => f.method === 'POST' && f.action.endsWith('/edit'));
    const out: Form = {};
    for (const [k, v] of form?.fields ?? []) out[k] = form?.multi.has(k) ? v.slice(0, 1) : (v[0] ?? '');
    const mission = `Mission rewritten by ${c.role} ${fresh()}.`;
    return {
      form: { ...out, mission },
      changes: ['organisations'],
      check: () => expectRow('mission changed', () => c.t.platform.db.selectFrom('organisations').select('mission').where('id', '=', c.w.A.org.id).executeTakeFirstOrThrow(), (r) => r.mission === mission),
    };
  },
  'POST /organisations/:id/staff': () => ({ form: { email: `colleague.${fresh()}@example.org`, orgRole: 'staff' } }),
  'POST /organisations/:id/staff/:personId/remove': (c) => ({
    changes: ['memberships'],
    check: () =>
      expectRow('membership ended', () => c.t.platform.db.selectFrom('memberships').select('person_id').where('person_id', '=', c.w.A.removable.id).where('organisation_id', '=', c.w.A.org.id).executeTakeFirst(), (r) => r === undefined),
  }),
  'POST /organisations/:id/leave': () => ({ form: { confirm: 'yes', reason: 'We are closing down.' }, changes: ['organisations'] }),
  'POST /organisations/:id/status': (c) => ({
    form: { status: 'suspended', reason: 'Unpaid dues, by decision of the assembly.' },
    changes: ['organisations'],
    check: () => expectRow('suspended', () => c.t.platform.db.selectFrom('organisations').select('status').where('id', '=', c.w.spareOrg.id).executeTakeFirstOrThrow(), (r) => r.status === 'suspended'),
  }),
  'POST /terms': () => ({ form: { body: `# Terms ${fresh()}\n\nMembers share what they know and protect those who tell them.` }, changes: ['terms_versions'] }),
  'POST /apply': async (c) => ({
    form: {
      name: `Applicant Organisation ${fresh()}`,
      mission: 'We listen to survivors.',
      countries: ['KEN'],
      activities: ['monitoring'],
      stakeholders: ['survivors'],
      languages: ['sw'],
      applicantName: 'Achieng Example',
      applicantEmail: `applicant.${fresh()}@example.org`,
      statement: 'Our monitoring work is about preventing violence against civilians.',
      termsVersion: String((await c.t.platform.db.selectFrom('terms_versions').select('version').orderBy('version', 'desc').executeTakeFirstOrThrow()).version),
      acceptTerms: 'yes',
    },
    changes: ['applications'],
  }),
  'POST /apply/answer/:token': () => ({ form: { body: 'We work in Kenya and Somalia.' }, changes: ['application_events'] }),
  'POST /applications/:id/comment': () => ({ form: { body: 'Known to two members.' }, changes: ['application_events'] }),
  'POST /applications/:id/request-info': () => ({ form: { body: 'Which countries do you work in?' }, changes: ['application_events'] }),
  'POST /applications/:id/decision': () => ({ form: { decision: 'approve', status: 'member', reason: 'Meets the terms.' }, changes: ['applications', 'organisations'] }),
  'POST /network/profile': () => ({ form: { expertise: 'Forensic documentation.', countries: ['SDN'], languages: ['en'] }, changes: ['associate_profiles'] }),

  'POST /signs': () => ({ form: signForm('network', `Sign recorded in the valid pass ${fresh()}.`), changes: ['warning_signs'] }),
  'POST /signs/:id/reviews': () => ({ form: { kind: 'comment', body: 'We heard the same from our contacts.' }, changes: ['warning_sign_reviews'] }),
  'POST /signs/:id/verify': () => ({ form: { body: 'Verified with two sources.' }, changes: ['warning_signs'] }),
  'POST /forecasts/imports': () => ({ files: [{ field: 'file', name: 'final_forecasts_data_3Sep2025.csv', type: 'text/csv', data: FORECASTS() }], changes: ['forecast_imports'] }),
  'POST /forecasts/imports/:id/commit': () => ({ form: { 'match-345': 'SRB', 'match-347': 'skip' }, changes: ['forecasts'] }),
  'POST /forecasts/imports/:id/discard': async (c) => {
    const fd = new FormData();
    fd.append('_csrf', await c.agent.csrf());
    fd.append('file', new Blob([new Uint8Array(FORECASTS())], { type: 'text/csv' }), 'again.csv');
    const request = new Request('http://localhost/', { method: 'POST', body: fd });
    const res = await c.t.app.inject({
      method: 'POST',
      url: '/forecasts/imports',
      payload: Buffer.from(await request.arrayBuffer()),
      headers: { origin: 'http://localhost:3000', cookie: c.agent.cookieHeader() ?? '', 'content-type': request.headers.get('content-type') as string },
    });
    const id = String(res.headers.location).split('/').pop();
    return { url: `/forecasts/imports/${id}/discard`, changes: ['forecast_imports'] };
  },
  'POST /alerts': (c) => ({
    form: { country: 'SDN', signs: [c.w.A.signPublic], severity: 'high', summary: 'Proposed in the valid pass.', actions: ['joint_statement'], deadline: today(), sensitivity: 'public' },
    changes: ['alerts'],
  }),
  'POST /alerts/subscriptions': () => ({ form: { countries: ['SDN', 'TCD'], minSeverity: 'high' }, changes: ['alert_subscriptions'] }),
  'POST /alerts/subscriptions/mode': () => ({ form: { mode: 'digest' }, changes: ['alert_settings'] }),
  'POST /alerts/subscriptions/:id/delete': () => ({ changes: ['alert_subscriptions'] }),
  'POST /alerts/:id/confirm': (c) => ({
    changes: ['alerts'],
    check: () => expectRow('confirmed', () => c.t.platform.db.selectFrom('alerts').select('status').where('id', '=', c.w.B.alertProposed).executeTakeFirstOrThrow(), (r) => r.status === 'active'),
  }),
  'POST /alerts/:id/responses': () => ({ form: { kind: 'comment', body: 'We will brief the desk officer.' }, changes: ['alert_responses'] }),
  'POST /alerts/:id/meeting': () => ({ form: { purpose: 'Agree a joint statement.' }, changes: ['meeting_requests'] }),
  'POST /alerts/:id/close': (c) => ({
    form: { outcome: 'Joint statement issued.' },
    changes: ['alerts'],
    check: () => expectRow('closed', () => c.t.platform.db.selectFrom('alerts').select('status').where('id', '=', c.w.A.alert).executeTakeFirstOrThrow(), (r) => r.status === 'closed'),
  }),
  'POST /api/v1/signs': () => ({ json: { ...signForm('network', `Sign through the API ${fresh()}.`), audience: [] }, changes: ['warning_signs'] }),

  'POST /communities': () => ({ form: { name: `Community ${fresh()}`, languages: ['ar'], dimensions: 'Age band: 18-29, 30-49' }, changes: ['communities'] }),
  'POST /communities/:id/join': () => ({ changes: ['community_members'] }),
  'POST /communities/:id/describe': async (c) => {
    const groups = await c.t.platform.db
      .selectFrom('community_dimensions')
      .innerJoin('community_groups', 'community_groups.dimension_id', 'community_dimensions.id')
      .select(['community_dimensions.id as d', 'community_groups.id as g'])
      .where('community_id', '=', c.w.A.community)
      .execute();
    return { form: { [`d_${groups[0]?.d}`]: groups[0]?.g as string }, changes: ['self_descriptions'] };
  },
  'POST /communities/:id/leave': () => ({ changes: ['community_members'] }),
  'POST /consultations': (c) => ({ form: consultationForm(c.w.A.community, `New consultation ${fresh()}`), changes: ['consultations'] }),
  'POST /consultations/:id': (c) => ({ form: consultationForm(c.w.A.community, 'Consultation of A, renamed'), changes: ['consultations'] }),
  'POST /consultations/:id/close': (c) => ({
    changes: ['consultations'],
    check: () => expectRow('closed', () => c.t.platform.db.selectFrom('consultations').select('state').where('id', '=', c.w.A.consultation).executeTakeFirstOrThrow(), (r) => r.state === 'closed'),
  }),
  'POST /consultations/:id/co-organise': () => ({}),
  // P has joined A's consultation already: B's is the one to join.
  'POST /consultations/:id/join': (c) => ({ url: `/consultations/${c.w.B.consultation}/join`, changes: ['consultation_participants'] }),
  'POST /consultations/:id/co-organisers/:organisationId/accept': () => ({ changes: ['consultation_organisers'] }),
  // B's request is accepted above: the spare organisation's (world.ts) is the one to decline.
  'POST /consultations/:id/co-organisers/:organisationId/decline': (c) => ({
    url: `/consultations/${c.w.A.consultation}/co-organisers/${c.w.spareOrg.id}/decline`,
    changes: ['consultation_organisers'],
    check: () =>
      expectRow(
        'declined',
        () => c.t.platform.db.selectFrom('consultation_organisers').select('state').where('consultation_id', '=', c.w.A.consultation).where('organisation_id', '=', c.w.spareOrg.id).executeTakeFirst(),
        (r) => r?.state === 'declined',
      ),
  }),
  'POST /consultations/:id/leave': () => ({ changes: ['consultation_participants'] }),
  'POST /consultations/:id/participation': (c) => ({ form: { person: c.w.P.id, hours: '1', amount: '10', currency: 'GBP' }, changes: ['payments'] }),
  'POST /consultations/:id/feedback': () => ({ form: { heard: 'Housing came first.', did: 'The plan leads with housing.', didNot: 'No campaign on remittances.' }, changes: ['consultation_feedback'] }),
  'POST /consultations/:id/payments/:paymentId/paid': (c) => ({
    form: { paidOn: today(), method: 'bank transfer' },
    changes: ['payments'],
    check: () => expectRow('paid', () => c.t.platform.db.selectFrom('payments').select('status').where('id', '=', c.w.A.consultationPayment).executeTakeFirstOrThrow(), (r) => r.status === 'paid'),
  }),
  'POST /opportunities': () => ({ form: opportunityForm(`Work posted in the valid pass ${fresh()}`), changes: ['opportunities'] }),
  'POST /opportunities/preferences': () => ({ form: { notify: 'yes', skills: ['translation'], languages: ['ar'] }, changes: ['work_preferences'] }),
  // P applied to A's open work already (world.ts): new work of A to apply for.
  'POST /opportunities/:id/apply': async (c) => {
    const res = await postForm(c.t, c.w.agents.member, '/opportunities', opportunityForm(`Work to apply for ${fresh()}`));
    const id = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    return { url: `/opportunities/${id}/apply`, form: { note: 'Free most evenings.' }, changes: ['opportunity_applications'] };
  },
  'POST /opportunities/:id/unapply': () => ({ changes: ['opportunity_applications'] }),
  'POST /opportunities/:id/award': (c) => ({
    form: { person: c.w.P.id, amount: '120', currency: 'GBP' },
    changes: ['opportunities', 'payments'],
    check: () => expectRow('awarded', () => c.t.platform.db.selectFrom('opportunities').select('state').where('id', '=', c.w.A.opportunity).executeTakeFirstOrThrow(), (r) => r.state === 'awarded'),
  }),
  'POST /opportunities/:id/withdraw': async (c) => {
    const res = await postForm(c.t, c.agent, '/opportunities', opportunityForm(`Work to withdraw ${fresh()}`));
    const id = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    return {
      url: `/opportunities/${id}/withdraw`,
      changes: ['opportunities'],
      check: () => expectRow('withdrawn', () => c.t.platform.db.selectFrom('opportunities').select('state').where('id', '=', id).executeTakeFirstOrThrow(), (r) => r.state === 'withdrawn'),
    };
  },
  'POST /opportunities/:id/payments/:paymentId/paid': (c) => ({
    form: { paidOn: today(), method: 'cash at the meeting' },
    changes: ['payments'],
    check: () => expectRow('paid', () => c.t.platform.db.selectFrom('payments').select('status').where('id', '=', c.w.A.opportunityPayment).executeTakeFirstOrThrow(), (r) => r.status === 'paid'),
  }),
  'POST /media-requests': (c) => ({
    form: { person: c.w.P.id, outlet: 'Al Jazeera', topic: 'Life after the war', trainingOffered: 'A practice interview.', supportOffered: 'Travel paid.' },
    changes: ['media_requests'],
  }),
  'POST /media-requests/:id/answer': () => ({ form: { answer: 'given' }, changes: ['media_requests'] }),
  'POST /media-requests/:id/withdraw': () => ({ changes: ['media_requests'] }),

  // ---- collective advocacy: statements (world-advocacy.ts) ----
  'POST /statements': () => ({ form: statementForm(`Statement of the valid pass ${fresh()}`), changes: ['statements', 'statement_versions', 'statement_drafters'] }),
  'POST /statements/:id/edit': (c) => ({
    form: statementForm('Draft of A, reworded'),
    changes: ['statement_versions'],
    check: () => expectRow('reworded', () => c.t.platform.db.selectFrom('statement_versions').select('title').where('statement_id', '=', c.w.advocacy.A.draft).execute(), (r) => r.length === 1 && r[0]?.title === 'Draft of A, reworded'),
  }),
  'POST /statements/:id/correction': (c) => {
    const { title, summary, asks, body } = statementForm('Published by A: end the siege (corrected)');
    return {
      form: { title, summary, asks, body, note: 'The second ask named the wrong mission.' } as Form,
      changes: ['statement_versions'],
      // A new version; the published one stays as it was.
      check: () =>
        expectRow('a second version, the first still published', () => c.t.platform.db.selectFrom('statement_versions').select(['number', 'published_at', 'note']).where('statement_id', '=', c.w.advocacy.A.published).orderBy('number').execute(), (r) =>
          r.length === 2 && r[0]?.published_at !== null && r[1]?.published_at === null && r[1]?.note === 'The second ask named the wrong mission.'),
    };
  },
  'POST /statements/:id/drafters': (c) => ({
    form: { organisation: c.w.spareOrg.id },
    changes: ['statement_drafters'],
    check: () =>
      expectRow('invited, not drafting', () => c.t.platform.db.selectFrom('statement_drafters').select('state').where('statement_id', '=', c.w.advocacy.A.draft).where('organisation_id', '=', c.w.spareOrg.id).executeTakeFirst(), (r) => r?.state === 'invited'),
  }),
  'POST /statements/:id/drafters/:organisationId/accept': (c) => ({
    changes: ['statement_drafters'],
    check: () =>
      expectRow('A drafts B’s statement', () => c.t.platform.db.selectFrom('statement_drafters').select('state').where('statement_id', '=', c.w.advocacy.A.invitedToDraft.accept).where('organisation_id', '=', c.w.A.org.id).executeTakeFirst(), (r) => r?.state === 'accepted'),
  }),
  'POST /statements/:id/drafters/:organisationId/decline': (c) => ({
    changes: ['statement_drafters'],
    redirect: /^\/statements\?done=statementDraftingDeclined$/,
    check: () =>
      expectRow('declined', () => c.t.platform.db.selectFrom('statement_drafters').select('state').where('statement_id', '=', c.w.advocacy.A.invitedToDraft.decline).where('organisation_id', '=', c.w.A.org.id).executeTakeFirst(), (r) => r?.state === 'declined'),
  }),
  'POST /statements/:id/translations': () => ({
    form: { language: 'ar', title: 'مسودة: حماية المدنيين', summary: 'تدعو المنظمات الأعضاء إلى حماية المدنيين.', asks: 'فتح الممرات الإنسانية', body: 'طال الحصار **أشهراً**.' },
    changes: ['statement_versions'],
  }),
  'POST /statements/:id/comments': () => ({ form: { body: 'The second ask needs a date.' }, changes: ['statement_comments'] }),
  // A draft of the caller's own, so that the world's draft stays a draft for the other cells.
  'POST /statements/:id/circulate': async (c) => {
    const id = await makeStatement(c.t, c.agent, `To circulate ${fresh()}`);
    return {
      url: `/statements/${id}/circulate`,
      form: circulateForm(),
      changes: ['statements'],
      check: () => expectRow('circulated', () => c.t.platform.db.selectFrom('statements').select(['state', 'deadline']).where('id', '=', id).executeTakeFirstOrThrow(), (r) => r.state === 'circulated' && r.deadline === circulateForm().deadline),
    };
  },
  // Publishing needs an organisation's signature on the current version: A's admin gives it.
  'POST /statements/:id/publish': async (c) => {
    const id = await makeStatement(c.t, c.agent, `To publish ${fresh()}`, { circulate: true, signers: [c.w.agents.org_admin] });
    return {
      url: `/statements/${id}/publish`,
      changes: ['statements', 'statement_versions'],
      check: () => expectRow('published', () => c.t.platform.db.selectFrom('statements').select(['state', 'published_version']).where('id', '=', id).executeTakeFirstOrThrow(), (r) => r.state === 'published' && r.published_version === 1),
    };
  },
  // An associate account belongs to no organisation, so it signs for none: always 404 (see report).
  'POST /statements/:id/sign': (c) =>
    c.role === 'associate'
      ? { refused: NO_ORGANISATION }
      : {
          changes: ['statement_signatures'],
          check: () =>
            expectRow('A signed version 1', () => c.t.platform.db.selectFrom('statement_signatures').select(['version_number', 'withdrawn_at']).where('statement_id', '=', c.w.advocacy.A.circulated).where('organisation_id', '=', c.w.A.org.id).execute(), (r) =>
              r.length === 1 && r[0]?.version_number === 1 && r[0]?.withdrawn_at === null),
        },
  'POST /statements/:id/decline': (c) => (c.role === 'associate' ? { refused: NO_ORGANISATION } : { form: { reason: 'Our board has not met.' }, changes: ['statement_declines'] }),
  'POST /statements/:id/withdraw': (c) =>
    c.role === 'associate'
      ? { refused: NO_ORGANISATION }
      : {
          changes: ['statement_signatures'],
          check: () =>
            expectRow('withdrawn, dated', () => c.t.platform.db.selectFrom('statement_signatures').select('withdrawn_at').where('statement_id', '=', c.w.advocacy.A.circulated).where('organisation_id', '=', c.w.A.org.id).execute(), (r) =>
              r.length === 1 && r[0]?.withdrawn_at !== null),
        },
  'POST /statements/:id/cosign': (c) => ({
    form: { appearsAs: 'role', displayRole: 'A member of the Sudanese diaspora in the UK' },
    changes: ['statement_signatures'],
    check: () =>
      expectRow('appears by role only', () => c.t.platform.db.selectFrom('statement_signatures').select(['appears_as', 'display_name', 'display_role']).where('statement_id', '=', c.w.advocacy.A.circulated).where('person_id', '=', c.person?.id as string).execute(), (r) =>
        r.length === 1 && r[0]?.appears_as === 'role' && r[0]?.display_name === null),
  }),
  'POST /statements/:id/cosign/withdraw': () => ({ changes: ['statement_signatures'] }),
  // A staff member of A who has not been named yet (the world's are named already).
  'POST /organisations/:id/signatories': async (c) => {
    const colleague = await createPerson(c.t, 'member', { organisationId: c.w.A.org.id });
    return {
      form: { person: colleague.id },
      changes: ['organisation_signatories'],
      check: () =>
        expectRow('named, not yet signing', () => c.t.platform.db.selectFrom('organisation_signatories').select('state').where('organisation_id', '=', c.w.A.org.id).where('person_id', '=', colleague.id).executeTakeFirst(), (r) => r?.state === 'invited'),
    };
  },
  'POST /organisations/:id/signatories/:personId/remove': (c) => ({
    changes: ['organisation_signatories'],
    check: () =>
      expectRow('no longer signs', () => c.t.platform.db.selectFrom('organisation_signatories').select('state').where('organisation_id', '=', c.w.A.org.id).where('person_id', '=', c.w.A.staff.id).executeTakeFirst(), (r) => r === undefined),
  }),
  // The caller's own naming, made fresh by A's admin (the world's staff member accepted theirs,
  // and an admin may name themself).
  'POST /signatories/:organisationId/accept': async (c) => {
    await nameAgain(c);
    return { changes: ['organisation_signatories'], check: () => expectNaming(c, 'accepted') };
  },
  'POST /signatories/:organisationId/decline': async (c) => {
    await nameAgain(c);
    return {
      changes: ['organisation_signatories'],
      check: async () => {
        await expectNaming(c, 'declined');
        // The member signs for A in later cells (withdrawing its signature): named and accepting again.
        await nameAgain(c);
        await postForm(c.t, c.agent, `/signatories/${c.w.A.org.id}/accept`, {});
        await expectNaming(c, 'accepted');
      },
    };
  },

  // ---- collective advocacy: recipients, delivery, replies (world-advocacy.ts) ----
  'POST /recipients/people': () => ({ form: { name: `Yusuf Chair ${fresh()}`, email: `chair.${fresh()}@example.org` }, changes: ['advocacy_persons'] }),
  'POST /recipients/bodies': () => ({ form: { name: `Foreign Affairs Committee ${fresh()}`, classification: 'committee' }, changes: ['advocacy_bodies'] }),
  'POST /recipients/posts': () => ({ form: { label: `Chair of the Foreign Affairs Committee ${fresh()}` }, changes: ['advocacy_posts'] }),
  // A vacant post of the caller's own: the world's is held (two holders never share a day).
  'POST /recipients/posts/:id/holders': async (c) => {
    const res = await postForm(c.t, c.agent, '/recipients/posts', { label: `Leader of the Opposition ${fresh()}` });
    const id = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    return { url: `/recipients/posts/${id}/holders`, form: { person: c.w.advocacy.A.person, startDate: today() }, changes: ['advocacy_memberships'] };
  },
  'POST /recipients/memberships/:id/end': (c) => ({
    form: { endDate: today() },
    changes: ['advocacy_memberships'],
    check: () => expectRow('ended today', () => c.t.platform.db.selectFrom('advocacy_memberships').select('end_date').where('id', '=', c.w.advocacy.A.partyMembership).executeTakeFirstOrThrow(), (r) => r.end_date === today()),
  }),
  'POST /recipients/people/:id/parties': (c) => ({ form: { party: c.w.advocacy.A.party, startDate: today() }, changes: ['advocacy_memberships'] }),
  'POST /statements/:id/recipients': (c) => ({ form: { people: [c.w.advocacy.A.person], channel: 'post' }, changes: ['statement_recipients'] }),
  // A recipient not sent yet, to remove (a sent one is a record of what was sent).
  'POST /statements/:id/recipients/:recipientId/remove': async (c) => {
    const statement = c.w.advocacy.A.published;
    const before = new Set((await c.t.platform.db.selectFrom('statement_recipients').select('id').where('statement_id', '=', statement).execute()).map((r) => r.id));
    await postForm(c.t, c.agent, `/statements/${statement}/recipients`, { people: [c.w.advocacy.B.person], channel: 'hand' });
    const added = (await c.t.platform.db.selectFrom('statement_recipients').select('id').where('statement_id', '=', statement).execute()).find((r) => !before.has(r.id))?.id;
    return added ? { url: `/statements/${statement}/recipients/${added}/remove`, changes: ['statement_recipients'] } : undefined;
  },
  'POST /statements/:id/recipients/:recipientId/delivered': (c) => ({
    form: { deliveredOn: today() },
    changes: ['statement_recipients'],
    check: () => expectRow('delivered by hand', () => c.t.platform.db.selectFrom('statement_recipients').select('delivery').where('id', '=', c.w.advocacy.A.byHand).executeTakeFirstOrThrow(), (r) => r.delivery === 'delivered'),
  }),
  'POST /statements/:id/recipients/:recipientId/replies': () => ({ form: { kind: 'acknowledgement', receivedOn: today() }, changes: ['statement_replies'] }),
  // A statement of the caller's organisation, published and addressed, not sent yet. A's admin
  // drafts, signs and publishes it (publishing is for those who sign for A, which the staff
  // member may not be at this point: bad-input.test.ts calls the signatory cells' setup too).
  'POST /statements/:id/send': async (c) => {
    const admin = c.w.agents.org_admin;
    const id = await makeStatement(c.t, admin, `To send ${fresh()}`, { publish: true, signers: [admin] });
    await postForm(c.t, c.agent, `/statements/${id}/recipients`, { posts: [c.w.advocacy.A.post], channel: 'email' });
    return {
      url: `/statements/${id}/send`,
      changes: ['statement_recipients', 'statements', 'mail_messages'],
      // The post resolves to its holder on the day, with the holder's address.
      check: () =>
        expectRow('sent to the holder', () => c.t.platform.db.selectFrom('statement_recipients').select(['person_id', 'delivery']).where('statement_id', '=', id).execute(), (r) =>
          r.length === 1 && r[0]?.person_id === c.w.advocacy.A.person && r[0]?.delivery === 'queued'),
    };
  },
  'POST /statements/:id/replies/:replyId/publish': (c) => ({
    changes: ['statement_replies'],
    check: () => expectRow('published', () => c.t.platform.db.selectFrom('statement_replies').select('published').where('id', '=', c.w.advocacy.A.replyUnpublished).executeTakeFirstOrThrow(), (r) => r.published === true),
  }),
  'POST /statements/:id/replies/:replyId/unpublish': (c) => ({
    changes: ['statement_replies'],
    check: () => expectRow('unpublished', () => c.t.platform.db.selectFrom('statement_replies').select('published').where('id', '=', c.w.advocacy.A.replyUnpublished).executeTakeFirstOrThrow(), (r) => r.published === false),
  }),
  'POST /replies/:token': () => ({ form: { body: 'The minister will answer in writing next week.' }, changes: ['statement_replies'] }),

  // ---- collective advocacy: commitments (world-advocacy.ts) ----
  'POST /statements/:id/replies/:replyId/commitments': () => ({
    form: { quote: 'raise it with the government', summary: 'Raise the siege with the government', countries: ['SDN'] },
    changes: ['commitments'],
  }),
  'POST /commitments/:id/ratings': (c) => ({
    form: { rating: 'stalled', ratedOn: today(), evidenceUrl: 'https://example.org/hansard/question-12', note: 'No answer to the question.' },
    changes: ['commitment_ratings'],
    check: () =>
      expectRow('rated again, the history kept', () => c.t.platform.db.selectFrom('commitment_ratings').select('rating').where('commitment_id', '=', c.w.advocacy.A.commitment).execute(), (r) =>
        r.length === 2 && r.some((x) => x.rating === 'stalled') && r.some((x) => x.rating === 'in_the_works')),
  }),
  // ---- meetings, goals and actions (world-meetings.ts) ----
  // The world's meetings of A are convened by A's staff member (the member), with A's admin and
  // the associate as chairs who accepted; the convener is invited to every scheduled meeting but
  // holds no role (it belongs to no organisation, so it is no candidate: meetings.repository
  // roleCandidates); the participant is invited through a community (its own meetings, realUrl).
  'POST /meetings': (c) =>
    c.role === 'convener'
      ? { form: meetingForm('Convened by the convener', [c.w.A.org.id]), refused: NO_MEMBER_ORGANISATION }
      : { form: meetingForm(`Meeting of the valid pass ${fresh()}`, [c.w.A.org.id]), changes: ['meetings', 'meeting_roles', 'meeting_organisations'] },
  'POST /meetings/time-zone': (c) => ({
    form: { timeZone: 'Africa/Khartoum' },
    changes: ['meeting_preferences'],
    check: () => expectRow('zone kept', () => c.t.platform.db.selectFrom('meeting_preferences').select('time_zone').where('person_id', '=', c.person?.id as string).executeTakeFirst(), (r) => r?.time_zone === 'Africa/Khartoum'),
  }),
  'POST /meetings/:id/edit': (c) => {
    if (!organiserRole(c)) return { form: meetingForm('Taken over', [c.w.A.org.id]), refused: NOT_ORGANISER };
    const title = `Members' meeting of A, renamed by ${c.role}`;
    return {
      form: meetingForm(title, [c.w.A.org.id]),
      changes: ['meetings'],
      check: () => expectRow('renamed', () => c.t.platform.db.selectFrom('meetings').select('title').where('id', '=', c.w.meetings.A.meeting).executeTakeFirstOrThrow(), (r) => r.title === title),
    };
  },
  'POST /meetings/:id/schedule': async (c) => {
    if (!organiserRole(c)) return { refused: NOT_ORGANISER };
    const id = await organised(c, meetingForm(`To schedule ${fresh()}`, [c.w.A.org.id]), { schedule: false });
    return { url: `/meetings/${id}/schedule`, changes: ['meetings'], check: () => expectMeeting(c, id, 'scheduled') };
  },
  'POST /meetings/:id/cancel': async (c) => {
    if (!organiserRole(c)) return { refused: NOT_ORGANISER };
    const id = await organised(c, meetingForm(`To cancel ${fresh()}`, [c.w.A.org.id]));
    return { url: `/meetings/${id}/cancel`, changes: ['meetings'], check: () => expectMeeting(c, id, 'cancelled') };
  },
  // Offered, not holding it: the removable staff member of A has not answered.
  'POST /meetings/:id/roles': (c) =>
    organiserRole(c)
      ? {
          form: { role: 'minute_taker', candidate: c.w.A.removable.id },
          changes: ['meeting_roles'],
          check: () =>
            expectRow('offered', () => c.t.platform.db.selectFrom('meeting_roles').select('state').where('meeting_id', '=', c.w.meetings.A.meeting).where('person_id', '=', c.w.A.removable.id).executeTakeFirst(), (r) => r?.state === 'invited'),
        }
      : { form: { role: 'minute_taker', candidate: c.w.A.removable.id }, refused: NOT_ORGANISER },
  // The caller is offered the minute-taking by A's staff member, and accepts.
  'POST /meetings/:id/roles/answer': async (c) => {
    if (!organiserRole(c)) return { form: { role: 'chair', answer: 'accept' }, refused: NO_OFFER };
    const id = await organised(c, meetingForm(`Minutes wanted ${fresh()}`, [c.w.A.org.id]));
    await mustDo(await postForm(c.t, c.w.agents.member, `/meetings/${id}/roles`, { role: 'minute_taker', candidate: c.person?.id as string }), 'minute-taking offered');
    return {
      url: `/meetings/${id}/roles/answer`,
      form: { role: 'minute_taker', answer: 'accept' },
      changes: ['meeting_roles'],
      check: () =>
        expectRow('takes the minutes', () => c.t.platform.db.selectFrom('meeting_roles').select('state').where('meeting_id', '=', id).where('person_id', '=', c.person?.id as string).where('role', '=', 'minute_taker').executeTakeFirst(), (r) =>
          r?.state === 'accepted'),
    };
  },
  'POST /meetings/:id/reply': (c) => ({
    form: { answer: 'maybe', needs: 'Arabic interpretation, please.' },
    changes: ['meeting_replies'],
    check: () => expectRow('replied', () => c.t.platform.db.selectFrom('meeting_replies').select('answer').where('person_id', '=', c.person?.id as string).where('meeting_id', '=', meetingIdOf(c)).executeTakeFirst(), (r) => r?.answer === 'maybe'),
  }),
  // A's staff member replied yes in the world: checked in on the day.
  'POST /meetings/:id/check-in': (c) =>
    organiserRole(c)
      ? {
          form: { person: c.w.A.staff.id },
          changes: ['meeting_replies'],
          check: () =>
            expectRow('checked in', () => c.t.platform.db.selectFrom('meeting_replies').select('checked_in_at').where('person_id', '=', c.w.A.staff.id).where('meeting_id', '=', c.w.meetings.A.meeting).executeTakeFirst(), (r) =>
              !!r?.checked_in_at),
        }
      : { form: { person: c.w.A.staff.id }, refused: NOT_ORGANISER },

  'POST /meetings/:id/agenda/items': (c) => ({ form: { title: `Proposed by the ${c.role} ${fresh()}`, why: 'The situation changed.', minutes: '10' }, changes: ['agenda_items'] }),
  // The chairs decide on an item proposed (fresh, by A's staff member) for each cell.
  'POST /meetings/:id/agenda/items/:itemId/accept': async (c) => {
    if (!organiserRole(c)) return { refused: NOT_ORGANISER };
    const item = await proposeItem(c.t, c.w.agents.member, c.w.meetings.A.meeting, `To accept ${fresh()}`);
    return { url: `/meetings/${c.w.meetings.A.meeting}/agenda/items/${item}/accept`, form: { minutes: '25' }, changes: ['agenda_items'], check: () => expectItem(c, item, 'accepted') };
  },
  'POST /meetings/:id/agenda/items/:itemId/decline': async (c) => {
    if (!organiserRole(c)) return { form: { reason: 'Better at the AGM.' }, refused: NOT_ORGANISER };
    const item = await proposeItem(c.t, c.w.agents.member, c.w.meetings.A.meeting, `To decline ${fresh()}`);
    return { url: `/meetings/${c.w.meetings.A.meeting}/agenda/items/${item}/decline`, form: { reason: 'Better at the AGM.' }, changes: ['agenda_items'], check: () => expectItem(c, item, 'declined') };
  },
  // Accepted after the world's accepted item, so that it can move up.
  'POST /meetings/:id/agenda/items/:itemId/move': async (c) => {
    if (!organiserRole(c)) return { form: { direction: 'up' }, refused: NOT_ORGANISER };
    const meeting = c.w.meetings.A.meeting;
    const item = await proposeItem(c.t, c.w.agents.member, meeting, `To move ${fresh()}`);
    await mustDo(await postForm(c.t, c.w.agents.member, `/meetings/${meeting}/agenda/items/${item}/accept`, {}), 'item accepted');
    const before = (await c.t.platform.db.selectFrom('agenda_items').select('position').where('id', '=', item).executeTakeFirstOrThrow()).position as number;
    return {
      url: `/meetings/${meeting}/agenda/items/${item}/move`,
      form: { direction: 'up' },
      changes: ['agenda_items'],
      check: () => expectRow('moved up', () => c.t.platform.db.selectFrom('agenda_items').select('position').where('id', '=', item).executeTakeFirstOrThrow(), (r) => (r.position as number) < before),
    };
  },
  'POST /meetings/:id/agenda/items/:itemId/time': (c) =>
    organiserRole(c)
      ? {
          form: { minutes: '45' },
          changes: ['agenda_items'],
          check: () => expectRow('time-boxed', () => c.t.platform.db.selectFrom('agenda_items').select('minutes').where('id', '=', c.w.meetings.A.accepted).executeTakeFirstOrThrow(), (r) => r.minutes === 45),
        }
      : { form: { minutes: '45' }, refused: NOT_ORGANISER },
  // Publishing closes proposals: on a meeting of its own.
  'POST /meetings/:id/agenda/publish': async (c) => {
    if (!organiserRole(c)) return { refused: NOT_ORGANISER };
    const id = await organised(c, meetingForm(`Agenda to publish ${fresh()}`, [c.w.A.org.id]));
    return {
      url: `/meetings/${id}/agenda/publish`,
      changes: ['meetings'],
      check: () => expectRow('published', () => c.t.platform.db.selectFrom('meetings').select('agenda_published_at').where('id', '=', id).executeTakeFirstOrThrow(), (r) => r.agenda_published_at !== null),
    };
  },
  'POST /meetings/convene': (c) => ({
    form: {
      alert: c.w.A.alert,
      title: `Ad hoc meeting of the valid pass ${fresh()}`,
      purpose: 'Agree a response.',
      startsAt: localTime(12, '09:00'),
      endsAt: localTime(12, '10:30'),
      timeZone: 'Africa/Khartoum',
      organisations: [c.w.A.org.id],
      slots: [],
    },
    ...(c.role === 'convener' ? { refused: NO_MEMBER_ORGANISATION } : { changes: ['meetings', 'agenda_items'] }),
  }),
  // Opened on a draft of its own (the world's draft has its poll).
  'POST /meetings/:id/poll': async (c) => {
    if (!organiserRole(c)) return { form: { slots: [localTime(20), localTime(21)] }, refused: NOT_ORGANISER };
    const id = await organised(c, meetingForm(`Draft to poll ${fresh()}`, [c.w.A.org.id]), { schedule: false });
    return { url: `/meetings/${id}/poll`, form: { slots: [localTime(20, '09:00'), localTime(21, '14:00'), localTime(22, '11:00')] }, changes: ['meeting_polls', 'meeting_poll_slots'] };
  },
  'POST /meetings/:id/poll/marks': (c) => {
    const slots = c.role === 'participant' ? c.w.meetings.A.communitySlots : c.w.meetings.A.slots;
    return {
      form: { canMake: [slots[0] as string] },
      changes: ['meeting_poll_marks'],
      check: () => expectRow('marked', () => c.t.platform.db.selectFrom('meeting_poll_marks').select(['slot_id', 'can_make']).where('person_id', '=', c.person?.id as string).execute(), (r) => r.some((m) => m.slot_id === slots[0] && m.can_make)),
    };
  },
  // A draft convened of its own with a poll: the time picked, and scheduled.
  'POST /meetings/:id/poll/pick': async (c): Promise<ValidRequest> => {
    if (!organiserRole(c)) return { form: { slot: c.w.meetings.A.slots[0] as string }, refused: NOT_ORGANISER };
    const draft = await convened(c.t, c.w.agents.member, c.w.A.alert, c.w.A.org.id, `To pick a time ${fresh()}`);
    if (c.role !== 'member') await chairs(c.t, c.w.agents.member, draft.id, [{ person: c.person as TestPerson, agent: c.agent }]);
    return {
      url: `/meetings/${draft.id}/poll/pick`,
      form: { slot: draft.slots[1] as string, schedule: 'yes' },
      changes: ['meeting_polls', 'meetings'],
      check: () => expectMeeting(c, draft.id, 'scheduled'),
    };
  },

  // Minutes of the held meeting (circulated in the world); its chairs write them (no minute-taker).
  'POST /meetings/:id/minutes': (c) =>
    organiserRole(c)
      ? { form: { body: `Present: the members of A.\n\nRevised by the ${c.role}.` }, changes: ['minute_versions'] }
      : { form: { body: 'Written by someone else.' }, refused: NOT_ORGANISER },
  'POST /meetings/:id/minutes/circulate': async (c) => {
    if (!organiserRole(c)) return { refused: NOT_ORGANISER };
    const id = await organised(c, meetingForm(`Held, minutes to circulate ${fresh()}`, [c.w.A.org.id], { days: -1 }));
    await mustDo(await postForm(c.t, c.agent, `/meetings/${id}/minutes`, { body: 'Present: the members of A.\n\nAgreed: a joint statement.' }), 'minutes saved');
    return {
      url: `/meetings/${id}/minutes/circulate`,
      changes: ['meeting_minutes'],
      check: () => expectRow('circulated', () => c.t.platform.db.selectFrom('meeting_minutes').select('state').where('meeting_id', '=', id).executeTakeFirstOrThrow(), (r) => r.state === 'circulated'),
    };
  },
  // Those checked in at the held meeting (A's staff member, its admin, the associate) correct
  // the circulated minutes. The convener and the participant attended no meeting of the world.
  // Corrections come from those who attended (checked in): the convener and the participant did not.
  'POST /meetings/:id/minutes/corrections': (c) =>
    organiserRole(c)
      ? { form: { body: 'Amina of A was present too.' }, changes: ['minute_corrections'] }
      : { form: { body: 'I was not there.' }, refused: { ...NOT_ORGANISER, why: 'minutes are corrected by attendees: the convener and the participant were not checked in' } },
  'POST /meetings/:id/minutes/approve': (c) =>
    organiserRole(c)
      ? {
          form: { at: 'chair' },
          changes: ['meeting_minutes'],
          check: () => expectRow('approved', () => c.t.platform.db.selectFrom('meeting_minutes').select('state').where('meeting_id', '=', c.w.meetings.A.held).executeTakeFirstOrThrow(), (r) => r.state === 'approved'),
        }
      : { form: { at: 'chair' }, refused: NOT_ORGANISER },
  'POST /meetings/:id/decisions': (c): ValidRequest =>
    organiserRole(c)
      ? { form: { text: `Write to the minister (${c.role}).`, goal: c.w.meetings.A.goal }, changes: ['decisions'] }
      : { form: { text: 'Decided by someone else.' }, refused: NOT_ORGANISER },

  'POST /actions': (c) => ({ form: { title: `Action of the valid pass ${fresh()}`, owner: c.w.A.org.id, dueOn: localTime(10).slice(0, 10), goal: c.w.meetings.A.goal }, changes: ['actions'] }),
  // Updated by the owner organisation's staff, and by the chairs of its meeting (the associate is
  // one: who may update is decided inside the write's transaction, actions.service mayUpdate).
  'POST /actions/:id/status': (c): ValidRequest | undefined =>
    organiserRole(c)
      ? {
          form: { status: 'in_progress', note: 'A first draft is with the desk officer.' },
          changes: ['actions', 'action_updates'],
          check: () => expectRow('in progress', () => c.t.platform.db.selectFrom('actions').select('status').where('id', '=', c.w.meetings.A.action).executeTakeFirstOrThrow(), (r) => r.status === 'in_progress'),
        }
      : { form: { status: 'in_progress' }, refused: NOT_ORGANISER },
  'POST /actions/:id/offer': (c) =>
    organiserRole(c)
      ? {
          form: { person: c.w.A.staff.id },
          changes: ['actions'],
          check: () => expectRow('offered', () => c.t.platform.db.selectFrom('actions').select(['owner_person_id', 'owner_state']).where('id', '=', c.w.meetings.A.action).executeTakeFirstOrThrow(), (r) => r.owner_person_id === c.w.A.staff.id && r.owner_state === 'offered'),
        }
      : { form: { person: c.w.A.staff.id }, refused: NOT_ORGANISER },
  // An action is offered only to the owner organisation's staff: A's staff member and admin.
  'POST /actions/:id/answer': async (c) => {
    if (c.role !== 'member' && c.role !== 'org_admin') return { form: { answer: 'accepted' }, refused: { ...NOT_ORGANISER, why: 'an action is offered only to staff of its owner organisation' } };
    const res = await postForm(c.t, c.w.agents.member, '/actions', { title: `For the ${c.role} ${fresh()}`, owner: c.w.A.org.id });
    const id = String(mustLocation(res, 'action')).split('?')[0]?.split('/').pop() as string;
    await mustDo(await postForm(c.t, c.w.agents.member, `/actions/${id}/offer`, { person: c.person?.id as string }), 'action offered');
    return {
      url: `/actions/${id}/answer`,
      form: { answer: 'accepted' },
      changes: ['actions'],
      check: () => expectRow('owned', () => c.t.platform.db.selectFrom('actions').select(['owner_person_id', 'owner_state']).where('id', '=', id).executeTakeFirstOrThrow(), (r) => r.owner_person_id === c.person?.id && r.owner_state === 'accepted'),
    };
  },

  'POST /goals': () => ({ form: { year: String(new Date().getUTCFullYear()), title: `Goal of the valid pass ${fresh()}`, success: 'A statement answered.', leads: [] }, changes: ['goals'] }),
  // Only an organisation's admin answers for it (goals.service answerLead).
  'POST /goals/:id/leads': (c) =>
    c.role === 'org_admin'
      ? {
          form: { organisation: c.w.A.org.id, answer: 'accept' },
          changes: ['goal_leads'],
          check: () => expectRow('leads', () => c.t.platform.db.selectFrom('goal_leads').select('state').where('goal_id', '=', c.w.meetings.A.goalInvited).where('organisation_id', '=', c.w.A.org.id).executeTakeFirstOrThrow(), (r) => r.state === 'accepted'),
        }
      : { form: { organisation: c.w.A.org.id, answer: 'accept' }, refused: { ...NOT_ORGANISER, why: "only the organisation's admin answers for it" } },
  'POST /goals/:id/updates': (c) =>
    c.role === 'convener'
      ? { form: { body: 'An update.' }, refused: { ...NO_MEMBER_ORGANISATION, why: 'the convener belongs to no organisation, so to no lead' } }
      : { form: { body: 'The first statement was answered.' }, changes: ['goal_updates'] },
  // ---- the library (world-library.ts) ----
  'POST /library': (c) =>
    c.role === 'convener'
      ? { form: resourceForm('Added by the convener'), refused: NO_MEMBER_ORGANISATION }
      : { form: resourceForm(`Resource of the valid pass ${fresh()}`, { authorNames: 'Amal Hassan' }), changes: ['library_resources', 'library_authors'] },
  'POST /api/v1/library': (c) => {
    const json = { kind: 'toolkit', title: `Toolkit of the valid pass ${fresh()}`, summary: '', language: 'fr', licence: 'CC0-1.0', link: 'https://example.org/toolkit', countries: ['SDN'], activities: [], themes: [], visibility: 'network', readers: [], authorOrganisations: [], authorNames: '', contentWarning: '' };
    return c.role === 'convener' ? { json, refused: NO_MEMBER_ORGANISATION } : { json, changes: ['library_resources'] };
  },
  // The adding organisation edits: the convener is on no staff.
  'POST /library/:id': (c) =>
    c.role === 'convener'
      ? { form: resourceForm('Taken over by the convener'), refused: { status: 404, says: 'We cannot find this page.', why: 'the adding organisation edits: the convener is on no staff' } }
      : { form: resourceForm(`Report on displacement, edited ${fresh()}`), changes: ['library_resources'] },
  'POST /library/:id/feature': () => ({ form: { featured: 'yes' }, changes: ['library_resources'] }),
  // ---- digests and announcements ----
  'POST /notifications': () => ({ form: { library: 'daily', surveys: 'weekly', announcements: 'immediate' }, changes: ['notification_preferences', 'digest_state'] }),
  'POST /notifications/unsubscribe/:token': () => ({ changes: ['notification_preferences'] }),
  'POST /announcements': () => ({ form: { title: `Announcement of the valid pass ${fresh()}`, body: 'Please read.', audience: 'network' }, changes: ['announcements'] }),
  // ---- surveys (world-surveys.ts): A's, run by its staff ----
  'POST /surveys': () => ({ form: surveyForm(`Survey of the valid pass ${fresh()}`), changes: ['surveys', 'survey_respondents'] }),
  'POST /surveys/:id': (c) => (c.role === 'convener' ? { form: surveyForm('Taken over'), refused: NOT_SURVEY_ORGANISER } : { form: surveyForm(`Draft renamed ${fresh()}`), changes: ['surveys'] }),
  'POST /surveys/:id/sections': (c) => (c.role === 'convener' ? { form: { sectionTitle: 'A section' }, refused: NOT_SURVEY_ORGANISER } : { form: { sectionTitle: `Section ${fresh()}` }, changes: ['survey_sections'] }),
  'POST /surveys/:id/questions': (c) =>
    c.role === 'convener' ? { form: { kind: 'short', text: 'Planted', options: '' }, refused: NOT_SURVEY_ORGANISER } : { form: { kind: 'single', text: `Question ${fresh()}`, options: 'Yes\nNo' }, changes: ['survey_questions'] },
  'POST /surveys/:id/questions/:questionId': (c) =>
    c.role === 'convener'
      ? { form: { kind: 'short', text: 'Taken over', options: '' }, refused: NOT_SURVEY_ORGANISER }
      : { form: { kind: 'single', text: `Edited question ${fresh()}`, options: 'Often\nSometimes\nNever' }, changes: ['survey_questions'] },
  'POST /surveys/:id/questions/:questionId/remove': async (c) => {
    if (c.role === 'convener') return { refused: NOT_SURVEY_ORGANISER };
    await postForm(c.t, c.w.agents.member, `/surveys/${c.w.surveys.draft}/questions`, { kind: 'short', text: `To remove ${fresh()}` });
    const q = await c.t.platform.db.selectFrom('survey_questions').select('id').where('survey_id', '=', c.w.surveys.draft).orderBy('position', 'desc').executeTakeFirstOrThrow();
    return { url: `/surveys/${c.w.surveys.draft}/questions/${q.id}/remove`, changes: ['survey_questions'] };
  },
  'POST /surveys/:id/open': async (c) => {
    if (c.role === 'convener') return { refused: NOT_SURVEY_ORGANISER };
    const { id } = await makeSurvey(c.t, c.w.agents.member, `To open ${fresh()}`, { open: false });
    return { url: `/surveys/${id}/open`, changes: ['surveys'] };
  },
  'POST /surveys/:id/close': async (c) => {
    if (c.role === 'convener') return { refused: NOT_SURVEY_ORGANISER };
    const { id } = await makeSurvey(c.t, c.w.agents.member, `To close ${fresh()}`);
    return { url: `/surveys/${id}/close`, changes: ['surveys'] };
  },
  'POST /surveys/:id/reminders': async (c) => {
    if (c.role === 'convener') return { refused: NOT_SURVEY_ORGANISER };
    const { id } = await makeSurvey(c.t, c.w.agents.member, `To remind ${fresh()}`);
    return { url: `/surveys/${id}/reminders`, changes: ['surveys', 'mail_messages'] };
  },
  // The network answers A's open survey, once each; those outside it are not asked.
  'POST /surveys/:id/answers': async (c) => {
    const q = await c.t.platform.db.selectFrom('survey_questions').select('id').where('survey_id', '=', c.w.surveys.open).executeTakeFirstOrThrow();
    const form = { [`q_${q.id}`]: '0' };
    return c.role === 'participant' || c.role === 'anonymous'
      ? { form, refused: { status: 404, says: 'We cannot find this page.', why: 'a survey of the network: participants and visitors are not its audience' } }
      : { form, changes: ['survey_responses', 'survey_answers', 'survey_respondents'] };
  },
  // Those with the link are known by no name: nothing but the answer is kept.
  'POST /s/:token': async (c) => {
    const q = await c.t.platform.db.selectFrom('survey_questions').select('id').where('survey_id', '=', c.w.surveys.link).executeTakeFirstOrThrow();
    return { form: { [`q_${q.id}`]: `Word ${fresh()}` }, changes: ['survey_responses', 'survey_answers'] };
  },
  'POST /surveys/:id/texts/:handle': async (c) => {
    // The next text to read, as A's staff member's review page gives its address (handles are opaque).
    const page = await c.w.agents.member.get(`/surveys/${c.w.surveys.closed}/texts`);
    const url = /action="(\/surveys\/[^"]+\/texts\/[^"]+)"/.exec(page.body)?.[1];
    if (!url) return undefined;
    return c.role === 'convener' ? { url, form: { decision: 'publish' }, refused: NOT_SURVEY_ORGANISER } : { url, form: { decision: 'publish' }, changes: ['survey_answers'] };
  },
  'POST /goals/:id/links': (c) => ({ form: { meeting: c.w.meetings.A.meeting }, changes: ['goal_meetings'] }),
  'POST /support': () => ({ form: { body: `Look after yourself and each other (${fresh()}): talk to someone you trust.` }, changes: ['support_versions'] }),

  // AGM business (the world's AGM of A, its motion open).
  'POST /meetings/:id/motions': (c) =>
    organiserRole(c) ? { form: { text: `Amend the rules (${c.role}).`, ballot: 'secret' }, changes: ['motions'] } : { form: { text: 'A motion.', ballot: 'open' }, refused: NOT_ORGANISER },
  'POST /meetings/:id/motions/:motionId/open': async (c) => {
    if (!organiserRole(c)) return { refused: NOT_ORGANISER };
    const motion = await proposeMotion(c);
    return { url: `/meetings/${c.w.meetings.A.agm}/motions/${motion}/open`, changes: ['motions'], check: () => expectMotion(c, motion, 'open') };
  },
  'POST /meetings/:id/motions/:motionId/close': async (c) => {
    if (!organiserRole(c)) return { refused: NOT_ORGANISER };
    const motion = await proposeMotion(c);
    await mustDo(await postForm(c.t, c.w.agents.member, `/meetings/${c.w.meetings.A.agm}/motions/${motion}/open`, {}), 'motion opened');
    return { url: `/meetings/${c.w.meetings.A.agm}/motions/${motion}/close`, changes: ['motions'], check: () => expectMotion(c, motion, 'closed') };
  },
  // A's admin votes for A; its staff member only once A's admin named them delegate and they accepted.
  'POST /meetings/:id/motions/:motionId/vote': async (c) => {
    if (c.role === 'member') await delegate(c, true);
    return { form: { choice: 'for' }, changes: ['motion_voters', 'motion_tallies'] };
  },
  'POST /meetings/:id/delegates': (c) =>
    c.role === 'org_admin'
      ? { form: { organisation: c.w.A.org.id, person: c.w.A.removable.id }, changes: ['meeting_delegates'] }
      : { form: { organisation: c.w.A.org.id, person: c.w.A.removable.id }, refused: { status: 400, says: 'Only the organisation’s admin can name its delegate.', why: 'only an admin names its delegate' } },
  'POST /meetings/:id/delegates/answer': async (c) => {
    await delegate(c, false);
    return {
      form: { organisation: c.w.A.org.id, answer: 'accept' },
      changes: ['meeting_delegates'],
      check: () =>
        expectRow('delegate', () => c.t.platform.db.selectFrom('meeting_delegates').select(['person_id', 'state']).where('meeting_id', '=', c.w.meetings.A.agm).where('organisation_id', '=', c.w.A.org.id).executeTakeFirst(), (r) =>
          r?.person_id === c.person?.id && r?.state === 'accepted'),
    };
  },

  'POST /calendar/feed': () => ({ changes: ['calendar_feeds'] }),
  'POST /calendar/feed/discreet': async (c) => {
    await c.agent.post('/calendar/feed', {});
    return {
      form: { discreet: 'yes' },
      changes: ['calendar_feeds'],
      check: () => expectRow('discreet', () => c.t.platform.db.selectFrom('calendar_feeds').select('discreet').where('person_id', '=', c.person?.id as string).executeTakeFirstOrThrow(), (r) => r.discreet === true),
    };
  },
  'POST /calendar/feed/revoke': async (c) => {
    await c.agent.post('/calendar/feed', {});
    return {
      changes: ['calendar_feeds'],
      check: () => expectRow('revoked', () => c.t.platform.db.selectFrom('calendar_feeds').select('person_id').where('person_id', '=', c.person?.id as string).executeTakeFirst(), (r) => r === undefined),
    };
  },
};

// ---- meetings (world-meetings.ts) ---------------------------------------------------------------

/** Organisers of A's meetings in the world: its staff member (who made them), its admin and the associate (chairs). */
const organiserRole = (c: Ctx) => c.role === 'member' || c.role === 'org_admin' || c.role === 'associate';
/** What anyone else who may try is answered (meetings access.ts assertOrganiser). */
const NOT_ORGANISER = { status: 404, says: 'We cannot find this page.', why: 'organisers only: the convener holds no role (no organisation, no candidate), the participant none either' };
const NOT_SURVEY_ORGANISER = { status: 404, says: 'We cannot find this page.', why: "a survey's organisers are the running organisation's staff: the convener is not on A's" };
/** A meeting, a goal's update, are in a member organisation's name (platform/acting.ts actingFor). */
const NO_MEMBER_ORGANISATION = { status: 400, says: 'You need to belong to a member organisation to do this.', why: 'in a member organisation\'s name: the convener belongs to none' };
const NO_OFFER = { status: 400, says: 'You have not been asked to take that role', why: 'roles are offered to staff of organisations and associates only' };
/** The meeting of A the caller's cells act on (realUrl: the participant's is its community's). */
const meetingIdOf = (c: Ctx) => (c.url?.split('/')[2] ?? '') as string;

function mustLocation(res: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string): string {
  if (res.statusCode !== 303) throw new Error(`${what} answered ${res.statusCode}: ${text(res.body).slice(0, 300)}`);
  return String(res.headers.location);
}
async function mustDo(res: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) {
  mustLocation(res, what);
}
/** A meeting of A made fresh by A's staff member, with the caller as a chair who accepted (if they are not its maker). */
async function organised(c: Ctx, form: Record<string, string | string[]>, steps: { schedule?: boolean } = {}): Promise<string> {
  const others = c.role === 'member' ? [] : [{ person: c.person as TestPerson, agent: c.agent }];
  return makeMeeting(c.t, c.w.agents.member, form, { ...steps, chairs: others });
}
const expectMeeting = (c: Ctx, id: string, state: string) => expectRow(`meeting ${state}`, () => c.t.platform.db.selectFrom('meetings').select('state').where('id', '=', id).executeTakeFirstOrThrow(), (r) => r.state === state);
const expectItem = (c: Ctx, id: string, state: string) => expectRow(`item ${state}`, () => c.t.platform.db.selectFrom('agenda_items').select('state').where('id', '=', id).executeTakeFirstOrThrow(), (r) => r.state === state);
const expectMotion = (c: Ctx, id: string, state: string) => expectRow(`motion ${state}`, () => c.t.platform.db.selectFrom('motions').select('state').where('id', '=', id).executeTakeFirstOrThrow(), (r) => r.state === state);
/** A motion proposed at A's AGM by A's staff member (a draft); its id. */
async function proposeMotion(c: Ctx): Promise<string> {
  const text = `Motion of the valid pass ${fresh()}`;
  await mustDo(await postForm(c.t, c.w.agents.member, `/meetings/${c.w.meetings.A.agm}/motions`, { text, ballot: 'open' }), 'motion proposed');
  return (await c.t.platform.db.selectFrom('motions').select('id').where('meeting_id', '=', c.w.meetings.A.agm).where('text', '=', text).executeTakeFirstOrThrow()).id;
}
/** A's admin names the caller A's delegate at its AGM; `accept`: and the caller accepts. */
async function delegate(c: Ctx, accept: boolean) {
  const agm = c.w.meetings.A.agm;
  await mustDo(await postForm(c.t, c.w.agents.org_admin, `/meetings/${agm}/delegates`, { organisation: c.w.A.org.id, person: c.person?.id as string }), 'delegate named');
  if (accept) await mustDo(await postForm(c.t, c.agent, `/meetings/${agm}/delegates/answer`, { organisation: c.w.A.org.id, answer: 'accept' }), 'delegate accepted');
}

/** What an associate account is answered when it signs for an organisation: it belongs to none. */
const NO_ORGANISATION = { status: 404, says: 'We cannot find this page.', why: 'an associate account belongs to no organisation, so it signs for none' };

/** A's admin ends the caller's naming as signatory of A, if any, and names them again: an invitation to answer. */
async function nameAgain(c: Ctx) {
  const admin = c.w.agents.org_admin;
  const person = c.person?.id as string;
  await postForm(c.t, admin, `/organisations/${c.w.A.org.id}/signatories/${person}/remove`, {});
  const res = await postForm(c.t, admin, `/organisations/${c.w.A.org.id}/signatories`, { person });
  if (res.statusCode !== 303) throw new Error(`naming ${c.role} signatory answered ${res.statusCode}`);
}
const expectNaming = (c: Ctx, state: string) =>
  expectRow(`naming ${state}`, () => c.t.platform.db.selectFrom('organisation_signatories').select('state').where('organisation_id', '=', c.w.A.org.id).where('person_id', '=', c.person?.id as string).executeTakeFirst(), (r) => r?.state === state);

/**
 * Cells sent by a throw-away identity of the role (a new account, signed in for the one
 * request): they end or change the caller's own session or credentials, or sign in as another.
 */
export const THROWAWAY = /^POST \/(sign-in|sign-out|register|invitations\/:token|password\/reset|apply\/answer|account\/(password|totp|recovery)|organisations\/:id\/leave)/;

/** Order of the write cells: ones that end a record or the caller's own session come last. */
export function writeRank(route: string): number {
  if (route === 'POST /sign-out') return 6;
  if (route === 'POST /organisations/:id/leave' || route === 'POST /invitations/organisation/:id/accept') return 5;
  if (route === 'POST /account/password') return 4;
  if (/\/account\/(totp|recovery)/.test(route)) return 3;
  if (route === 'POST /people/:id/enable') return 2;
  if (/\/(leave|withdraw|unapply|close|discard|remove|revoke|revoke-others|delete|disable|decision|award|commit)$|DELETE /.test(route)) return 1;
  return 0;
}
