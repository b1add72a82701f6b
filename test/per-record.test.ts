import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formsIn } from './forms.ts';
import { Agent, buildTestApp, postForm, type TestApp, text } from './helpers.ts';
import { buildWorld, changedTables, consultationForm, snapshot, today, type World } from './world.ts';
import { circulateForm, statementForm } from './world-advocacy.ts';
import { resourceForm } from './world-library.ts';
import { meetingForm } from './world-meetings.ts';

/**
 * Per-record rules: a person allowed to use a route acts only on their own records. The same
 * well-formed request that works on one's own record, sent with the id of a record of ANOTHER
 * organisation or person, answers 404 and changes nothing (every table compared, the audit log
 * included). The requests are well formed, so that the only reason to refuse is whose record it is.
 */
let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildWorld(t);
}, 180_000);
afterAll(async () => t?.close());

type Who = 'member' | 'org_admin' | 'participant';
interface Attempt {
  name: string;
  who: Who[];
  method?: 'GET' | 'POST' | 'DELETE';
  url: () => string;
  form?: () => Record<string, string | string[]>;
}

async function send(agent: Agent, method: string, url: string, form: Record<string, string | string[]> = {}) {
  if (method === 'GET') return agent.get(url, url.startsWith('/api/') ? { accept: 'application/json' } : {});
  if (method === 'POST') return postForm(t, agent, url, form);
  const cookie = agent.cookieHeader();
  return t.app.inject({ method: method as 'DELETE', url, headers: { 'x-csrf-token': await agent.csrf(), origin: 'http://localhost:3000', accept: 'application/json', ...(cookie ? { cookie } : {}) } });
}

/** A's own profile form, as its admin sees it: posted to B's address. */
async function profileForm(): Promise<Record<string, string | string[]>> {
  const page = await w.agents.org_admin.get(`/organisations/${w.A.org.id}/edit`);
  const form = formsIn(page.body, `/organisations/${w.A.org.id}/edit`).find((f) => f.method === 'POST' && f.action.endsWith('/edit'));
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of form?.fields ?? []) out[k] = form?.multi.has(k) ? v : (v[0] ?? '');
  return { ...out, name: 'Taken over by A', mission: 'Rewritten by another organisation.' };
}

const ATTEMPTS: Attempt[] = [
  // Warning signs restricted to another organisation
  { name: "reads a sign restricted to another organisation", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/signs/${w.B.signRestricted}` },
  { name: "reads a sign restricted to another organisation (API)", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/api/v1/signs/${w.B.signRestricted}` },
  { name: "reviews a sign restricted to another organisation", who: ['member', 'org_admin'], url: () => `/signs/${w.B.signRestricted}/reviews`, form: () => ({ kind: 'corroborate', body: 'We saw it too.' }) },
  // Consultations and their ledger
  { name: "closes another organisation's consultation", who: ['member', 'org_admin'], url: () => `/consultations/${w.B.consultation}/close` },
  {
    name: "publishes feedback on another organisation's consultation",
    who: ['member', 'org_admin'],
    url: () => `/consultations/${w.B.consultationClosed}/feedback`,
    form: () => ({ heard: 'Housing came first.', did: 'We changed the plan.', didNot: 'No campaign on remittances.' }),
  },
  { name: "edits another organisation's consultation", who: ['member', 'org_admin'], url: () => `/consultations/${w.B.consultation}`, form: () => consultationForm(w.B.community, 'Rewritten by A') },
  { name: "opens the edit form of another organisation's consultation", who: ['member', 'org_admin'], method: 'GET', url: () => `/consultations/${w.B.consultation}/edit` },
  {
    name: "records a debt in another organisation's name",
    who: ['member', 'org_admin'],
    url: () => `/consultations/${w.B.consultation}/participation`,
    form: () => ({ person: w.Q.id, hours: '2', amount: '9999999', currency: 'USD' }),
  },
  { name: "marks another organisation's consultation payment paid", who: ['member', 'org_admin'], url: () => `/consultations/${w.B.consultation}/payments/${w.B.consultationPayment}/paid`, form: () => ({ paidOn: today(), method: 'bank transfer' }) },
  { name: "marks another organisation's payment paid through its own consultation", who: ['member', 'org_admin'], url: () => `/consultations/${w.A.consultation}/payments/${w.B.consultationPayment}/paid`, form: () => ({ paidOn: today(), method: 'bank transfer' }) },
  // Paid work
  { name: "awards another organisation's paid work", who: ['member', 'org_admin'], url: () => `/opportunities/${w.B.opportunity}/award`, form: () => ({ person: w.Q.id, amount: '120', currency: 'GBP' }) },
  { name: "withdraws another organisation's paid work", who: ['member', 'org_admin'], url: () => `/opportunities/${w.B.opportunity}/withdraw` },
  { name: "marks another organisation's work payment paid", who: ['member', 'org_admin'], url: () => `/opportunities/${w.B.opportunityAwarded}/payments/${w.B.opportunityPayment}/paid`, form: () => ({ paidOn: today(), method: 'bank transfer' }) },
  { name: "marks another organisation's work payment paid through its own work", who: ['member', 'org_admin'], url: () => `/opportunities/${w.A.opportunityAwarded}/payments/${w.B.opportunityPayment}/paid`, form: () => ({ paidOn: today(), method: 'bank transfer' }) },
  // Alerts
  { name: "closes another organisation's alert", who: ['member', 'org_admin'], url: () => `/alerts/${w.B.alert}/close`, form: () => ({ outcome: 'Closed by someone else.' }) },
  // Organisations and their staff
  { name: "opens another organisation's profile form", who: ['org_admin'], method: 'GET', url: () => `/organisations/${w.B.org.id}/edit` },
  { name: "edits another organisation's profile", who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/edit`, form: () => ({}) },
  { name: "lists another organisation's staff", who: ['org_admin'], method: 'GET', url: () => `/organisations/${w.B.org.id}/staff` },
  { name: "adds staff to another organisation", who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/staff`, form: () => ({ email: 'planted@example.org', orgRole: 'org_admin' }) },
  { name: "removes another organisation's staff", who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/staff/${w.B.removable.id}/remove` },
  { name: "removes another organisation's staff through its own organisation", who: ['org_admin'], url: () => `/organisations/${w.A.org.id}/staff/${w.B.removable.id}/remove` },
  { name: 'takes another organisation out of the network', who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/leave` },
  // A person's own things
  { name: "revokes another person's session", who: ['participant', 'member'], url: () => `/account/sessions/${w.sessionOf.get(other())}/revoke` },
  { name: "revokes another person's session (API)", who: ['participant', 'member'], method: 'DELETE', url: () => `/api/v1/me/sessions/${w.sessionOf.get(other())}` },
  { name: "revokes another person's API token", who: ['participant', 'member'], url: () => `/account/tokens/${w.tokenOf.get(other())}/revoke` },
  { name: "revokes another person's API token (API)", who: ['participant', 'member'], method: 'DELETE', url: () => `/api/v1/me/tokens/${w.tokenOf.get(other())}` },
  { name: "deletes another person's alert subscription", who: ['participant', 'member'], url: () => `/alerts/subscriptions/${w.subscriptionOf.get(other())}/delete` },
  { name: "answers another person's media request", who: ['participant'], url: () => `/media-requests/${w.B.mediaRequest}/answer`, form: () => ({ answer: 'given' }) },
  { name: "withdraws another person's media request answer", who: ['participant'], url: () => `/media-requests/${w.B.mediaRequest}/withdraw` },
  { name: "accepts another person's invitation to join an organisation", who: ['participant', 'org_admin'], url: () => `/invitations/organisation/${w.invitationForMember}/accept` },
  { name: "declines another person's invitation to join an organisation", who: ['participant', 'org_admin'], url: () => `/invitations/organisation/${w.invitationForMember}/decline` },
  { name: 'answers a media request for the participant it was sent to', who: ['member', 'org_admin'], url: () => `/media-requests/${w.A.mediaRequest}/answer`, form: () => ({ answer: 'given' }) },
  // Statements: another organisation's draft is not there at all; its owners' steps are theirs.
  { name: "reads another organisation's draft statement", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/statements/${w.advocacy.B.draft}` },
  { name: "reads a version of another organisation's draft statement", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/statements/${w.advocacy.B.draft}/versions/1` },
  { name: "opens the edit form of another organisation's draft statement", who: ['member', 'org_admin'], method: 'GET', url: () => `/statements/${w.advocacy.B.draft}/edit` },
  { name: "opens the edit form of another organisation's circulated statement", who: ['member', 'org_admin'], method: 'GET', url: () => `/statements/${w.advocacy.B.circulated}/edit` },
  { name: "edits another organisation's draft statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.draft}/edit`, form: () => statementForm('Rewritten by A') },
  { name: "edits another organisation's circulated statement (a new version in its name)", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.circulated}/edit`, form: () => statementForm('Rewritten by A', { allowIndividuals: true }) },
  {
    name: "corrects another organisation's published statement",
    who: ['member', 'org_admin'],
    url: () => `/statements/${w.advocacy.B.published}/correction`,
    form: () => ({ title: 'Corrected by A', body: 'Another text.', note: 'We changed our mind.' }),
  },
  { name: "translates another organisation's draft statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.draft}/translations`, form: () => ({ language: 'ar', title: 'ترجمة من أ', body: 'نص آخر.' }) },
  { name: "invites a co-drafter onto another organisation's draft", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.draft}/drafters`, form: () => ({ organisation: w.spareOrg.id }) },
  { name: "circulates another organisation's draft", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.draft}/circulate`, form: circulateForm },
  { name: "publishes another organisation's circulated statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.circulated}/publish` },
  { name: "comments on another organisation's draft", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.draft}/comments`, form: () => ({ body: 'Seen before circulation.' }) },
  { name: "co-signs another organisation's draft", who: ['member', 'participant'], url: () => `/statements/${w.advocacy.B.draft}/cosign`, form: () => ({ appearsAs: 'counted' }) },
  // The invitation to co-draft A's statement is B's to answer, even for A's own staff.
  { name: "accepts, on its own statement, the invitation to co-draft addressed to another organisation", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.invitedToDraft.accept}/drafters/${w.B.org.id}/accept` },
  { name: "declines, on its own statement, the invitation to co-draft addressed to another organisation", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.invitedToDraft.decline}/drafters/${w.B.org.id}/decline` },
  // Signing in another organisation's name (A's circulated statement, acting for B).
  { name: 'signs a statement for another organisation', who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.A.circulated}/sign`, form: () => ({ actingFor: w.B.org.id }) },
  { name: 'declines a statement for another organisation', who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.A.circulated}/decline`, form: () => ({ actingFor: w.B.org.id, reason: 'Declined in their name.' }) },
  { name: "withdraws another organisation's signature", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.published}/withdraw`, form: () => ({ actingFor: w.B.org.id }) },
  { name: 'signs for an organisation as a participant', who: ['participant'], url: () => `/statements/${w.advocacy.A.circulated}/sign`, form: () => ({ actingFor: w.A.org.id }) },
  // Naming who signs is each organisation's admin's, and each named person's answer their own.
  { name: 'names a signatory for another organisation', who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/signatories`, form: () => ({ person: w.B.staff.id }) },
  { name: "removes another organisation's signatory", who: ['org_admin'], url: () => `/organisations/${w.B.org.id}/signatories/${w.B.staff.id}/remove` },
  { name: "removes another organisation's signatory through its own organisation", who: ['org_admin'], url: () => `/organisations/${w.A.org.id}/signatories/${w.B.staff.id}/remove` },
  { name: "accepts a naming as another organisation's signatory", who: ['member', 'org_admin'], url: () => `/signatories/${w.B.org.id}/accept` },
  { name: "declines a naming as another organisation's signatory", who: ['member', 'org_admin'], url: () => `/signatories/${w.B.org.id}/decline` },
  // A statement's recipients, sending, replies and the commitments in them: its owners' alone.
  { name: "opens the recipients page of another organisation's statement", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/statements/${w.advocacy.B.published}/recipients` },
  { name: "addresses another organisation's statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.published}/recipients`, form: () => ({ people: [w.advocacy.A.person], channel: 'post' }) },
  { name: "sends another organisation's statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.published}/send` },
  { name: "removes a recipient of another organisation's statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.published}/recipients/${w.advocacy.B.byHand}/remove` },
  { name: "marks delivered a letter of another organisation's statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.published}/recipients/${w.advocacy.B.byHand}/delivered`, form: () => ({ deliveredOn: today() }) },
  { name: "records a reply to another organisation's statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.published}/recipients/${w.advocacy.B.emailed}/replies`, form: () => ({ kind: 'acknowledgement', receivedOn: today() }) },
  { name: "records a reply for another organisation's recipient through its own statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.A.published}/recipients/${w.advocacy.B.emailed}/replies`, form: () => ({ kind: 'acknowledgement', receivedOn: today() }) },
  { name: "publishes a reply to another organisation's statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.published}/replies/${w.advocacy.B.replyUnpublished}/publish` },
  { name: "publishes another organisation's reply through its own statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.A.published}/replies/${w.advocacy.B.replyUnpublished}/publish` },
  { name: "unpublishes a reply to another organisation's statement", who: ['member', 'org_admin'], url: () => `/statements/${w.advocacy.B.published}/replies/${w.advocacy.B.reply}/unpublish` },
  { name: "opens the form to extract a commitment from another organisation's reply", who: ['member', 'org_admin'], method: 'GET', url: () => `/statements/${w.advocacy.B.published}/replies/${w.advocacy.B.reply}/commitments/new` },
  {
    name: "extracts a commitment from another organisation's reply",
    who: ['member', 'org_admin'],
    url: () => `/statements/${w.advocacy.B.published}/replies/${w.advocacy.B.reply}/commitments`,
    form: () => ({ quote: 'We will raise it with the government.', summary: 'Planted by A', countries: ['SDN'] }),
  },
  {
    name: "extracts a commitment from another organisation's reply through its own statement",
    who: ['member', 'org_admin'],
    url: () => `/statements/${w.advocacy.A.published}/replies/${w.advocacy.B.reply}/commitments`,
    form: () => ({ quote: 'We will raise it with the government.', summary: 'Planted by A', countries: ['SDN'] }),
  },
  { name: "reads the evidence of a rating through another commitment", who: ['member', 'participant'], method: 'GET', url: () => `/commitments/${w.advocacy.A.commitment}/ratings/${w.advocacy.B.rating}/evidence` },
  // ---- meetings, goals and actions (world-meetings.ts): B's meetings name B alone ----
  { name: "opens a draft of another organisation's", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/meetings/${w.meetings.B.draft}` },
  { name: "reads a draft of another organisation's (API)", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/api/v1/meetings/${w.meetings.B.draft}` },
  { name: "opens another community's meeting", who: ['participant'], method: 'GET', url: () => `/meetings/${w.meetings.B.communityMeeting}` },
  { name: "replies to another community's meeting", who: ['participant'], url: () => `/meetings/${w.meetings.B.communityMeeting}/reply`, form: () => ({ answer: 'yes' }) },
  { name: "opens the agenda of a meeting of another organisation's", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/meetings/${w.meetings.B.meeting}/agenda` },
  { name: "opens the minutes of a meeting of another organisation's", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/meetings/${w.meetings.B.held}/minutes` },
  { name: "opens the motions of another organisation's AGM", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/meetings/${w.meetings.B.agm}/motions` },
  { name: "opens the poll of another organisation's draft", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/meetings/${w.meetings.B.draft}/poll` },
  { name: "opens the edit form of another organisation's meeting", who: ['member', 'org_admin'], method: 'GET', url: () => `/meetings/${w.meetings.B.meeting}/edit` },
  { name: "opens the check-in list of another organisation's meeting", who: ['member', 'org_admin'], method: 'GET', url: () => `/meetings/${w.meetings.B.meeting}/check-in` },
  { name: "edits another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.meeting}/edit`, form: () => meetingForm('Taken over by A', [w.A.org.id]) },
  { name: "schedules another organisation's draft", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.draft}/schedule` },
  { name: "cancels another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.meeting}/cancel` },
  { name: "offers itself the chair of another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.meeting}/roles`, form: () => ({ role: 'chair', candidate: acting === 'member' ? w.A.staff.id : w.A.admin.id }) },
  { name: "replies to another organisation's meeting", who: ['member', 'org_admin', 'participant'], url: () => `/meetings/${w.meetings.B.meeting}/reply`, form: () => ({ answer: 'yes', needs: 'A seat.' }) },
  { name: "checks someone in at another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.meeting}/check-in`, form: () => ({ person: w.B.staff.id }) },
  { name: "proposes an item for another organisation's meeting", who: ['member', 'org_admin', 'participant'], url: () => `/meetings/${w.meetings.B.meeting}/agenda/items`, form: () => ({ title: 'Planted by A', minutes: '10' }) },
  { name: "accepts an item of another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.meeting}/agenda/items/${w.meetings.B.item}/accept`, form: () => ({ minutes: '10' }) },
  { name: "accepts an item of another organisation's meeting through its own", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.A.meeting}/agenda/items/${w.meetings.B.item}/accept`, form: () => ({ minutes: '10' }) },
  { name: "declines an item of another organisation's meeting through its own", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.A.meeting}/agenda/items/${w.meetings.B.item}/decline`, form: () => ({ reason: 'Not ours.' }) },
  { name: "time-boxes an item of another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.meeting}/agenda/items/${w.meetings.B.accepted}/time`, form: () => ({ minutes: '5' }) },
  { name: "moves an item of another organisation's meeting through its own", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.A.meeting}/agenda/items/${w.meetings.B.accepted}/move`, form: () => ({ direction: 'up' }) },
  { name: "publishes the agenda of another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.meeting}/agenda/publish` },
  { name: "marks times in another organisation's poll", who: ['member', 'org_admin', 'participant'], url: () => `/meetings/${w.meetings.B.draft}/poll/marks`, form: () => ({ canMake: [w.meetings.B.slots[0] as string] }) },
  { name: "picks the time of another organisation's poll", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.draft}/poll/pick`, form: () => ({ slot: w.meetings.B.slots[0] as string, schedule: 'yes' }) },
  { name: "writes the minutes of another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.held}/minutes`, form: () => ({ body: 'Rewritten by A.' }) },
  { name: "corrects the minutes of another organisation's meeting", who: ['member', 'org_admin', 'participant'], url: () => `/meetings/${w.meetings.B.held}/minutes/corrections`, form: () => ({ body: 'Planted by A.' }) },
  { name: "approves the minutes of another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.held}/minutes/approve`, form: () => ({ at: 'chair' }) },
  { name: "records a decision at another organisation's meeting", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.held}/decisions`, form: () => ({ text: 'Decided by A.' }) },
  { name: "proposes a motion at another organisation's AGM", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.B.agm}/motions`, form: () => ({ text: 'Planted by A.', ballot: 'open' }) },
  { name: "closes a motion of another organisation's AGM through its own", who: ['member', 'org_admin'], url: () => `/meetings/${w.meetings.A.agm}/motions/${w.meetings.B.motion}/close` },
  { name: "votes at another organisation's AGM", who: ['org_admin'], url: () => `/meetings/${w.meetings.B.agm}/motions/${w.meetings.B.motion}/vote`, form: () => ({ choice: 'against' }) },
  { name: "votes on another organisation's motion through its own AGM", who: ['org_admin'], url: () => `/meetings/${w.meetings.A.agm}/motions/${w.meetings.B.motion}/vote`, form: () => ({ choice: 'against' }) },
  { name: "names a delegate at another organisation's AGM", who: ['org_admin'], url: () => `/meetings/${w.meetings.B.agm}/delegates`, form: () => ({ organisation: w.A.org.id, person: w.A.staff.id }) },
  { name: "answers a chair offered to someone else at another organisation's meeting", who: ['member', 'org_admin', 'participant'], url: () => `/meetings/${w.meetings.B.meeting}/roles/answer`, form: () => ({ role: 'chair', answer: 'accept' }) },
  { name: "sets the status of another organisation's action", who: ['member', 'org_admin', 'participant'], url: () => `/actions/${w.meetings.B.action}/status`, form: () => ({ status: 'done', note: 'Done by A.' }) },
  { name: "offers another organisation's action to itself", who: ['member', 'org_admin'], url: () => `/actions/${w.meetings.B.action}/offer`, form: () => ({ person: acting === 'member' ? w.A.staff.id : w.A.admin.id }) },
  { name: "accepts an action offered to someone else", who: ['member', 'org_admin', 'participant'], url: () => `/actions/${w.meetings.B.action}/answer`, form: () => ({ answer: 'accepted' }) },
  { name: "answers for another organisation as lead of a goal", who: ['member', 'org_admin'], url: () => `/goals/${w.meetings.B.goalInvited}/leads`, form: () => ({ organisation: w.B.org.id, answer: 'accept' }) },
  // Surveys: another organisation's are built and read by its own staff; one for its staff only is answered by them only.
  { name: "adds a question to another organisation's draft survey", who: ['member', 'org_admin'], url: () => `/surveys/${w.surveys.otherDraft}/questions`, form: () => ({ kind: 'short', text: 'Planted by A' }) },
  { name: "edits a question of another organisation's draft survey", who: ['member', 'org_admin'], url: () => `/surveys/${w.surveys.otherDraft}/questions/${w.surveys.otherDraftQuestion}`, form: () => ({ kind: 'short', text: 'Rewritten by A' }) },
  { name: "opens the edit page of a question of another organisation's draft survey", who: ['member', 'org_admin'], method: 'GET', url: () => `/surveys/${w.surveys.otherDraft}/questions/${w.surveys.otherDraftQuestion}` },
  { name: "edits B's question through A's own draft survey (a question id of another survey)", who: ['member', 'org_admin'], url: () => `/surveys/${w.surveys.draft}/questions/${w.surveys.otherDraftQuestion}`, form: () => ({ kind: 'short', text: 'Moved by A' }) },
  { name: "opens another organisation's draft survey", who: ['member', 'org_admin'], url: () => `/surveys/${w.surveys.otherDraft}/open` },
  { name: "reads another organisation's draft survey", who: ['member', 'org_admin', 'participant'], method: 'GET', url: () => `/surveys/${w.surveys.otherDraft}` },
  { name: "answers a survey for another organisation's staff", who: ['member', 'org_admin', 'participant'], url: () => `/surveys/${w.surveys.otherOnly}/answers`, form: () => ({ [`q_${w.surveys.otherOnlyQuestion}`]: '0' }) },
  { name: "closes another organisation's survey", who: ['member', 'org_admin'], url: () => `/surveys/${w.surveys.otherOnly}/close` },
  // The library: the adding organisation edits; network-only resources are not for participants.
  { name: "opens the edit form of another organisation's resource", who: ['member', 'org_admin'], method: 'GET', url: () => `/library/${w.library.B.resource}/edit` },
  { name: "edits another organisation's resource", who: ['member', 'org_admin'], url: () => `/library/${w.library.B.resource}`, form: () => resourceForm('Taken over by A') },
  { name: 'reads a network-only resource as a participant', who: ['participant'], method: 'GET', url: () => `/library/${w.library.B.network}` },
  { name: 'reads a network-only resource as a participant (API)', who: ['participant'], method: 'GET', url: () => `/api/v1/library/${w.library.B.network}` },
];

// The person whose records "another person's" means, for the one acting now.
let acting: Who = 'participant';
const other = () => (acting === 'participant' ? w.Q.id : w.B.staff.id);

describe("someone else's record answers 404 and changes nothing", () => {
  for (const attempt of ATTEMPTS) {
    for (const who of attempt.who) {
      it(`${who} ${attempt.name}`, async () => {
        acting = who;
        const agent = w.agents[who];
        const method = attempt.method ?? 'POST';
        const url = attempt.url();
        const form = attempt.name === "edits another organisation's profile" ? await profileForm() : (attempt.form?.() ?? {});
        const before = await snapshot(t);
        const res = await send(agent, method, url, form);
        const after = await snapshot(t);
        expect({ status: res.statusCode, changed: changedTables(before, after) }, `${method} ${url} as ${who}: ${text(res.body).slice(0, 200)}`).toEqual({ status: 404, changed: [] });
      });
    }
  }
});

describe('a sign restricted to another organisation is on none of the lists', () => {
  it('not in pages, exports, the API or the feed, for A or for a participant', async () => {
    const marker = 'Testimony held by B alone.';
    for (const who of ['member', 'org_admin', 'participant', 'anonymous'] as const) {
      for (const url of ['/signs', '/signs/export.csv', '/signs/export.json', '/api/v1/signs', '/countries/SDN', '/api/v1/countries/SDN', '/alerts/feed.atom', '/map']) {
        const res = await w.agents[who].get(url, url.startsWith('/api/') ? { accept: 'application/json' } : {});
        expect(res.statusCode, `${url} as ${who}`).toBe(200);
        expect(res.body.includes(marker) || res.body.includes(w.B.signRestricted), `${url} as ${who} shows B's restricted sign`).toBe(false);
      }
    }
    // B itself reads it: the marker is the right one.
    const b = new Agent(t);
    await b.signIn(w.B.staff);
    expect(text((await b.get(`/signs/${w.B.signRestricted}`)).body)).toContain(marker);
  });
});

describe('statements before publication are on no list and no page for those they are not circulated to', () => {
  it('an anonymous reader sees only published statements', async () => {
    const anonymous = w.agents.anonymous;
    for (const id of [w.advocacy.A.draft, w.advocacy.A.circulated, w.advocacy.B.draft, w.advocacy.B.circulated, w.advocacy.B.invitedToDraft.accept]) {
      for (const url of [`/statements/${id}`, `/statements/${id}/versions/1`]) expect((await anonymous.get(url)).statusCode, url).toBe(404);
    }
    const published = await anonymous.get(`/statements/${w.advocacy.A.published}`);
    expect(published.statusCode).toBe(200);
    expect(text(published.body)).toContain('Published by A: end the siege');
    expect((await anonymous.get(`/statements/${w.advocacy.A.published}/versions/1`)).statusCode).toBe(200);
    const list = text((await anonymous.get('/statements')).body);
    expect(list).toContain('Published by A: end the siege');
    expect(list).toContain('Published by B: end the siege');
    for (const title of ['Draft of A', 'Draft of B', 'Circulated by A', 'Circulated by B']) expect(list, `the public list shows "${title}"`).not.toContain(title);
  });

  it("another organisation's draft is on nobody else's list; a draft B invited A to co-draft is A's to read", async () => {
    for (const who of ['member', 'org_admin', 'participant', 'associate'] as const) {
      const list = text((await w.agents[who].get('/statements')).body);
      expect(list, `${who} lists B's draft`).not.toContain('Draft of B: protect civilians');
    }
    const forA = text((await w.agents.member.get('/statements')).body);
    expect(forA).toContain('Draft of A: protect civilians');
    // Invited, A may read the draft to decide (consent): nobody else outside B may.
    expect((await w.agents.member.get(`/statements/${w.advocacy.A.invitedToDraft.accept}`)).statusCode).toBe(200);
    expect((await w.agents.participant.get(`/statements/${w.advocacy.A.invitedToDraft.accept}`)).statusCode).toBe(404);
  });
});

describe('a person of another organisation is not among the choices', () => {
  it("A's admin naming B's staff member signatory of A is refused as a choice not offered, and changes nothing", async () => {
    const before = await snapshot(t);
    const res = await postForm(t, w.agents.org_admin, `/organisations/${w.A.org.id}/signatories`, { person: w.B.staff.id });
    expect({ status: res.statusCode, changed: changedTables(before, await snapshot(t)) }).toEqual({ status: 400, changed: [] });
    // The form is shown again with A's own staff to choose from, and nobody of B.
    expect(text(res.body)).toContain('There is a problem');
    expect(res.body).not.toContain(w.B.staff.id);
  });
});

describe('the same requests on one’s own records work (so the 404s above are about whose record it is)', () => {
  it("an org admin removes their own staff member: the membership ends and the person's rights with it", async () => {
    const removed = new Agent(t);
    await removed.signIn(w.A.removable);
    expect((await removed.get('/signs/new')).statusCode).toBe(200);
    const res = await postForm(t, w.agents.org_admin, `/organisations/${w.A.org.id}/staff/${w.A.removable.id}/remove`, {});
    expect(res.statusCode).toBe(303);
    const memberships = await t.platform.db.selectFrom('memberships').select('organisation_id').where('person_id', '=', w.A.removable.id).execute();
    expect(memberships).toEqual([]);
    expect((await removed.get('/signs/new')).statusCode).toBe(404);
    expect(text((await w.agents.org_admin.get(`/organisations/${w.A.org.id}/staff`)).body)).not.toContain(w.A.removable.identifier);
    // The account remains.
    expect(await t.platform.db.selectFrom('people').select('id').where('id', '=', w.A.removable.id).executeTakeFirst()).toBeTruthy();
  });

  it("a participant revokes their own spare session and token; another person's stay", async () => {
    const mySession = w.sessionOf.get(w.P.id) as string;
    const myToken = w.tokenOf.get(w.P.id) as string;
    expect((await postForm(t, w.agents.participant, `/account/sessions/${mySession}/revoke`, {})).statusCode).toBe(303);
    expect(await t.platform.db.selectFrom('sessions').select('id').where('id', '=', mySession).executeTakeFirst()).toBeUndefined();
    expect((await postForm(t, w.agents.participant, `/account/tokens/${myToken}/revoke`, {})).statusCode).toBe(303);
    const token = await t.platform.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', myToken).executeTakeFirst();
    expect(token === undefined || token.revoked_at !== null).toBe(true);
    expect(await t.platform.db.selectFrom('sessions').select('id').where('id', '=', w.sessionOf.get(w.Q.id) as string).executeTakeFirst()).toBeTruthy();
  });

  it('A closes its own alert and marks its own payment paid', async () => {
    expect((await postForm(t, w.agents.member, `/alerts/${w.A.alert}/close`, { outcome: 'Joint statement issued.' })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('alerts').select('status').where('id', '=', w.A.alert).executeTakeFirstOrThrow()).status).toBe('closed');
    expect((await postForm(t, w.agents.member, `/consultations/${w.A.consultation}/payments/${w.A.consultationPayment}/paid`, { paidOn: today(), method: 'bank transfer' })).statusCode).toBe(303);
    expect((await t.platform.db.selectFrom('payments').select('status').where('id', '=', w.A.consultationPayment).executeTakeFirstOrThrow()).status).toBe('paid');
  });
});

describe('asking to co-organise gives no rights until the lead organisation accepts', () => {
  it("A asks to co-organise B's consultation: A sees no hidden participant, and cannot edit, close or pay", async () => {
    const res = await postForm(t, w.agents.member, `/consultations/${w.B.consultation}/co-organise`, {});
    expect(res.statusCode, text(res.body).slice(0, 200)).toBeLessThan(500);
    // A request may be stored; an organiser A is not, until B accepts.
    const organisers = await t.platform.db.selectFrom('consultation_organisers').selectAll().where('consultation_id', '=', w.B.consultation).execute();
    expect(organisers.filter((o) => o.organisation_id === w.A.org.id && o.state !== 'requested')).toEqual([]);
    // Q joined B's consultation without choosing to be seen.
    expect(text((await w.agents.member.get(`/consultations/${w.B.consultation}`)).body)).not.toContain(w.Q.identifier);
    const before = await snapshot(t);
    for (const [url, form] of [
      [`/consultations/${w.B.consultation}/close`, {}],
      [`/consultations/${w.B.consultation}/participation`, { person: w.Q.id, hours: '1', amount: '9999999', currency: 'USD' }],
      [`/consultations/${w.B.consultation}/payments/${w.B.consultationPayment}/paid`, { paidOn: today(), method: 'bank transfer' }],
      [`/consultations/${w.B.consultation}`, consultationForm(w.B.community, 'Rewritten by A')],
      // Nor can A answer its own request in B's place.
      [`/consultations/${w.B.consultation}/co-organisers/${w.A.org.id}/accept`, {}],
    ] as [string, Record<string, string | string[]>][]) {
      expect((await postForm(t, w.agents.member, url, form)).statusCode, url).toBe(404);
    }
    expect(changedTables(before, await snapshot(t))).toEqual([]);
  });
});
