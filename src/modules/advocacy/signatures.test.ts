import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';
import { translator } from '../../platform/i18n.ts';

/**
 * Issue 13, item 3: who signs for an organisation, individuals appearing exactly as they
 * chose, the deadline, declines kept private, and reminders only to those who have not answered.
 */
const en = translator('en');
let t: TestApp;
const org: Record<string, string> = {};
const agent: Record<string, Agent> = {};
const emailOf: Record<string, string> = {};
const idOf: Record<string, string> = {};
let id = '';

const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agent[who] as Agent, url, form);
const get = async (who: string, url: string) => {
  const res = await (agent[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};
const future = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
const signatures = () => t.platform.db.selectFrom('statement_signatures').selectAll().where('statement_id', '=', id).orderBy('signed_at').execute();
const mails = (who: string) => t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', emailOf[who] as string).execute();

beforeAll(async () => {
  t = await buildTestApp();
  for (const k of ['L', 'A', 'B', 'C', 'D']) org[k] = (await createOrganisation(t, `Signing organisation ${k}`)).id;
  const people: [string, 'org_admin' | 'member' | 'participant', string | undefined][] = [
    ['lead', 'org_admin', 'L'],
    ['adminA', 'org_admin', 'A'],
    ['staffA', 'member', 'A'],
    ['adminB', 'org_admin', 'B'],
    ['adminC', 'org_admin', 'C'],
    ['staffD', 'member', 'D'],
    ['p1', 'participant', undefined],
    ['p2', 'participant', undefined],
    ['p3', 'participant', undefined],
  ];
  for (const [name, role, o] of people) {
    const person = await createPerson(t, role, o ? { organisationId: org[o] as string } : {});
    agent[name] = new Agent(t);
    await (agent[name] as Agent).signIn(person);
    emailOf[name] = person.identifier;
    idOf[name] = person.id;
  }
  agent.anonymous = new Agent(t);
  const res = await post('lead', '/statements', {
    kind: 'open_letter',
    language: 'en',
    title: 'An open letter to every party leader',
    body: 'Set out your commitments on atrocity prevention.',
    allowIndividuals: 'yes',
  });
  id = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
});
afterAll(async () => t?.close());

describe('before circulation', () => {
  it('nobody outside the drafters can sign, co-sign or read it', async () => {
    expect((await get('anonymous', `/statements/${id}`)).status).toBe(404);
    expect((await get('p1', `/statements/${id}`)).status).toBe(404);
    expect((await post('adminA', `/statements/${id}/sign`)).statusCode).toBe(404);
    expect((await post('p1', `/statements/${id}/cosign`, { appearsAs: 'counted' })).statusCode).toBe(404);
    expect(await signatures()).toHaveLength(0);
    expect((await post('lead', `/statements/${id}/circulate`, { deadline: future(10) })).statusCode).toBe(303);
  });
});

describe('named signatories', () => {
  it('a staff member signs only once named by the admin and after accepting', async () => {
    expect((await post('staffA', `/statements/${id}/sign`)).statusCode).toBe(404);
    const pageA = await get('adminA', '/organisations/signatories');
    expect(pageA.status).toBe(200);
    expect(pageA.body).toContain(`/organisations/${org.A}/signatories`);
    // Another organisation's admin cannot name A's staff.
    expect((await post('adminB', `/organisations/${org.A}/signatories`, { person: idOf.staffA as string })).statusCode).toBe(404);
    // Someone not on A's staff cannot be named by A.
    const notStaff = await post('adminA', `/organisations/${org.A}/signatories`, { person: idOf.staffD as string });
    expect(notStaff.statusCode).toBe(400);
    expect(text(notStaff.body)).toContain(en('errors.choice'));
    expect((await post('adminA', `/organisations/${org.A}/signatories`, { person: idOf.staffA as string })).statusCode).toBe(303);
    expect((await mails('staffA')).some((m) => m.subject === en('signatories.mail.named.subject', { organisation: 'Signing organisation A' }))).toBe(true);
    // Named but not yet accepted: still nothing.
    expect((await post('staffA', `/statements/${id}/sign`)).statusCode).toBe(404);
    // Only the named person answers, and only for that organisation.
    expect((await post('staffD', `/signatories/${org.A}/accept`)).statusCode).toBe(404);
    expect((await get('staffA', '/organisations/signatories')).body).toContain(`/signatories/${org.A}/accept`);
    expect((await post('staffA', `/signatories/${org.A}/accept`)).statusCode).toBe(303);
    expect((await post('staffA', `/statements/${id}/sign`)).statusCode).toBe(303);
    const sigs = await signatures();
    expect(sigs).toHaveLength(1);
    expect(sigs[0]?.organisation_id).toBe(org.A);
    expect(sigs[0]?.signer_id).toBe(idOf.staffA);
    // Removed: they no longer sign (withdrawal is the organisation's act; here it tries again).
    expect((await post('adminA', `/organisations/${org.A}/signatories/${idOf.staffA}/remove`)).statusCode).toBe(303);
    expect((await post('staffA', `/statements/${id}/withdraw`)).statusCode).toBe(404);
  });
});

describe('co-signatories appear exactly as each chose', () => {
  it('by name, by role, or counted only with no name anywhere', async () => {
    // Choosing "by name" without one is refused with its own message.
    const bad = await post('p3', `/statements/${id}/cosign`, { appearsAs: 'name' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain(en('errors.statementDisplayName'));
    expect((await post('p1', `/statements/${id}/cosign`, { appearsAs: 'name', displayName: 'Amal Haddad' })).statusCode).toBe(303);
    expect((await post('p2', `/statements/${id}/cosign`, { appearsAs: 'role', displayRole: 'a member of the Sudanese diaspora in the UK' })).statusCode).toBe(303);
    // Counted only: a name typed anyway is not kept.
    expect((await post('p3', `/statements/${id}/cosign`, { appearsAs: 'counted', displayName: 'Secret Person' })).statusCode).toBe(303);
    const rows = (await signatures()).filter((s) => s.organisation_id === null);
    expect(rows.map((r) => [r.appears_as, r.display_name, r.display_role])).toEqual([
      ['name', 'Amal Haddad', null],
      ['role', null, 'a member of the Sudanese diaspora in the UK'],
      ['counted', null, null],
    ]);
    expect((await post('adminB', `/statements/${id}/sign`)).statusCode).toBe(303);
    expect((await post('lead', `/statements/${id}/publish`)).statusCode).toBe(303);
    const pub = await get('anonymous', `/statements/${id}`);
    expect(pub.text).toContain('Amal Haddad');
    expect(pub.text).toContain('a member of the Sudanese diaspora in the UK');
    expect(pub.text).not.toContain('Secret Person');
    expect(pub.text).toContain(en('statements.signatoryCount', { organisations: 2, individuals: 3, version: 1 }));
    // Nothing about the participants' accounts reaches the page.
    for (const who of ['p1', 'p2', 'p3']) expect(pub.body).not.toContain(emailOf[who] as string);
  });
});

describe('attacks and the deadline', () => {
  it('a second signature attempt answers as the first and adds nothing; so does a co-sign twice', async () => {
    const before = await signatures();
    const again = await post('adminB', `/statements/${id}/sign`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/statements/${id}?done=statementSigned#sign`);
    const cosignAgain = await post('p1', `/statements/${id}/cosign`, { appearsAs: 'counted' });
    expect(cosignAgain.headers.location).toBe(`/statements/${id}?done=statementCosigned#sign`);
    const after = await signatures();
    expect(after).toEqual(before);
  });

  it('a decline stays private to the drafters', async () => {
    expect((await post('adminC', `/statements/${id}/decline`, { reason: 'Our board has not met.' })).statusCode).toBe(303);
    expect((await get('lead', `/statements/${id}`)).text).toContain('Our board has not met.');
    for (const who of ['anonymous', 'adminB', 'staffD', 'adminC']) expect((await get(who, `/statements/${id}`)).text).not.toContain('Our board has not met.');
  });

  it('after the deadline signing is refused with its message, and nothing is recorded', async () => {
    await t.platform.db.updateTable('statements').set({ deadline: '2020-01-01' }).where('id', '=', id).execute();
    const before = await signatures();
    const res = await post('staffD', `/statements/${id}/sign`);
    expect(res.statusCode).toBe(404); // staff, neither admin nor named: 404 whatever the deadline
    const late = await post('adminC', `/statements/${id}/sign`);
    expect(late.statusCode).toBe(400);
    expect(text(late.body)).toContain(en('errors.statementDeadlinePassed'));
    expect(await signatures()).toEqual(before);
  });
});

describe('deadline reminders', () => {
  it('go only to organisations that have neither signed nor declined, once', async () => {
    const res = await post('lead', '/statements', { kind: 'joint_statement', language: 'en', title: 'Reminder statement', body: 'Text.' });
    const rid = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    const deadline = future(5);
    expect((await post('lead', `/statements/${rid}/circulate`, { deadline })).statusCode).toBe(303);
    expect((await post('adminA', `/statements/${rid}/sign`)).statusCode).toBe(303);
    expect((await post('adminB', `/statements/${rid}/decline`, {})).statusCode).toBe(303);
    // Too early: three days before the deadline is not yet "two days before".
    const dayBefore = (n: number) => new Date(Date.parse(`${deadline}T00:00:00Z`) - n * 86400_000).toISOString().slice(0, 10);
    expect(await t.services.statements.sendDeadlineReminder(rid, dayBefore(3))).toBe(0);
    const subject = en('statements.mail.reminder.subject', { title: 'Reminder statement', deadline });
    const reminded = async (who: string) => (await mails(who)).some((m) => m.subject === subject);
    // L (the lead has not signed), C and D have not answered; A signed, B declined.
    expect(await t.services.statements.sendDeadlineReminder(rid, dayBefore(2))).toBe(3);
    expect(await reminded('adminC')).toBe(true);
    expect(await reminded('staffD')).toBe(true);
    expect(await reminded('lead')).toBe(true);
    expect(await reminded('adminA')).toBe(false);
    expect(await reminded('staffA')).toBe(false);
    expect(await reminded('adminB')).toBe(false);
    // Once only.
    expect(await t.services.statements.sendDeadlineReminder(rid, dayBefore(1))).toBe(0);
    expect((await mails('adminC')).filter((m) => m.subject === subject)).toHaveLength(1);
  });
});
