import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, auditCount, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';
import { insertMeeting } from '../../../test/meetings-fixture.ts';
import * as accountsRepo from '../accounts/accounts.repository.ts';
import type { PersonActor } from '../../platform/policy.ts';

/**
 * Issue 14, item 9: AGM motions with one vote per member organisation, cast by its admin or by
 * the delegate it named who accepted; quorum from the check-in list; secret ballots that record
 * who voted apart from how. Attackers: someone not invited (404, nothing changes), a member of
 * staff who is not the organisation's voter, a second vote, a vote after the close.
 */
let t: TestApp;
const agents: Record<string, Agent> = {};
const people: Record<string, string> = {};
const orgs: Record<string, string> = {};
let agm = '';
const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const get = (who: string, url: string) => (agents[who] as Agent).get(url);

async function checkIn(meetingId: string, personId: string, organisationId: string) {
  await t.platform.db.insertInto('meeting_replies').values({ meeting_id: meetingId, person_id: personId, organisation_id: organisationId, answer: 'yes', checked_in_at: new Date(), updated_at: new Date() }).execute();
}

async function motionIdOf(meetingId: string, text: string) {
  return (await t.platform.db.selectFrom('motions').select('id').where('meeting_id', '=', meetingId).where('text', '=', text).executeTakeFirstOrThrow()).id;
}

async function tallies(motionId: string) {
  const rows = await t.platform.db.selectFrom('motion_tallies').select(['choice', 'count']).where('motion_id', '=', motionId).execute();
  return Object.fromEntries(rows.map((r) => [r.choice, r.count]));
}

async function votersCount(motionId: string) {
  return Number((await t.platform.db.selectFrom('motion_voters').select((eb) => eb.fn.countAll<string>().as('n')).where('motion_id', '=', motionId).executeTakeFirstOrThrow()).n);
}

async function memberOrganisationCount() {
  return Number((await t.platform.db.selectFrom('organisations').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'member').executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  t = await buildTestApp();
  for (const name of ['A', 'B', 'C', 'D', 'E']) orgs[name] = (await createOrganisation(t, `AGM organisation ${name}`)).id;
  const cast: [string, 'org_admin' | 'member', string][] = [
    ['chair', 'org_admin', 'A'],
    ['adminB', 'org_admin', 'B'],
    ['staffB', 'member', 'B'],
    ['adminC', 'org_admin', 'C'],
    ['adminD', 'org_admin', 'D'],
    ['adminE', 'org_admin', 'E'],
  ];
  for (const [name, role, org] of cast) {
    const person = await createPerson(t, role, { organisationId: orgs[org] as string });
    people[name] = person.id;
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
  }
  agm = await insertMeeting(t.platform.db, { organisation_id: orgs.A as string, created_by: people.chair as string, kind: 'agm', title: 'Annual general meeting 2026', audience: 'organisations', quorum_percent: 50 });
  // D is a member organisation not invited to this AGM: it sees nothing of it.
  await t.platform.db
    .insertInto('meeting_organisations')
    .values(['A', 'B', 'C', 'E'].map((o) => ({ meeting_id: agm, organisation_id: orgs[o] as string })))
    .execute();
  await checkIn(agm, people.chair as string, orgs.A as string);
  await checkIn(agm, people.adminB as string, orgs.B as string);
  await checkIn(agm, people.adminE as string, orgs.E as string);
});
afterAll(async () => t?.close());

describe('a secret ballot', () => {
  let motion = '';

  it('is proposed by an organiser only', async () => {
    const before = await auditCount(t);
    const refused = await post('adminB', `/meetings/${agm}/motions`, { text: 'Motion from someone not organising', ballot: 'secret' });
    expect(refused.statusCode).toBe(404);
    expect(await auditCount(t)).toBe(before);
    const res = await post('chair', `/meetings/${agm}/motions`, { text: 'To adopt the revised terms of reference', ballot: 'secret' });
    expect(res.statusCode, text(res.body).slice(0, 300)).toBe(303);
    motion = await motionIdOf(agm, 'To adopt the revised terms of reference');
    expect(await tallies(motion)).toEqual({ for: 0, against: 0, abstain: 0 });
  });

  it('refuses bad input with a message and keeps nothing', async () => {
    const res = await post('chair', `/meetings/${agm}/motions`, { text: '', ballot: 'sealed' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Choose one of the options.');
    expect(await t.platform.db.selectFrom('motions').select('id').where('meeting_id', '=', agm).execute()).toHaveLength(1);
  });

  it('takes no vote before a chair opens it', async () => {
    const res = await post('adminB', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'for' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('This ballot is not open for votes.');
    expect(await votersCount(motion)).toBe(0);
  });

  it('opens with the quorum read from the check-in list', async () => {
    const res = await post('chair', `/meetings/${agm}/motions/${motion}/open`);
    expect(res.statusCode).toBe(303);
    const row = await t.platform.db.selectFrom('motions').select(['state', 'quorum_at_open', 'present_at_open', 'eligible_at_open']).where('id', '=', motion).executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'open', quorum_at_open: true, present_at_open: 3, eligible_at_open: await memberOrganisationCount() });
  });

  it('refuses the vote of staff who are not the organisation’s voter, and changes nothing', async () => {
    const before = await auditCount(t);
    const res = await post('staffB', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'for' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('You cannot cast this organisation’s vote');
    // Naming another organisation outright is refused the same way.
    const foreign = await post('adminC', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'for', actingFor: orgs.B as string });
    expect(foreign.statusCode).toBe(400);
    expect(text(foreign.body)).toContain('You cannot cast this organisation’s vote');
    expect(await votersCount(motion)).toBe(0);
    expect(await tallies(motion)).toEqual({ for: 0, against: 0, abstain: 0 });
    expect(await auditCount(t)).toBe(before);
  });

  it('lets a delegate vote only once they accept', async () => {
    expect((await post('adminB', `/meetings/${agm}/delegates`, { organisation: orgs.B as string, person: people.staffB as string })).statusCode).toBe(303);
    const early = await post('staffB', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'for' });
    expect(early.statusCode).toBe(400);
    expect(await votersCount(motion)).toBe(0);
    expect(text((await get('staffB', `/meetings/${agm}/motions`)).body)).toContain('Your admin asks you to cast the vote of AGM organisation B');
    expect((await post('staffB', `/meetings/${agm}/delegates/answer`, { organisation: orgs.B as string, answer: 'accept' })).statusCode).toBe(303);
    expect((await post('staffB', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'for' })).statusCode).toBe(303);
    expect(await votersCount(motion)).toBe(1);
  });

  it('takes one vote per organisation: its admin cannot vote again after the delegate', async () => {
    const res = await post('adminB', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'against' });
    expect(res.statusCode).toBe(400);
    expect(await votersCount(motion)).toBe(1);
    expect(await tallies(motion)).toEqual({ for: 1, against: 0, abstain: 0 });
  });

  it('is 404 in every part for a member organisation not invited', async () => {
    const before = await auditCount(t);
    expect((await get('adminD', `/meetings/${agm}/motions`)).statusCode).toBe(404);
    expect((await post('adminD', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'against' })).statusCode).toBe(404);
    expect((await post('adminD', `/meetings/${agm}/motions/${motion}/close`)).statusCode).toBe(404);
    expect((await post('adminD', `/meetings/${agm}/motions`, { text: 'Intruder motion', ballot: 'open' })).statusCode).toBe(404);
    expect(await votersCount(motion)).toBe(1);
    expect(await auditCount(t)).toBe(before);
  });

  it('shows no counts while open, records the voter apart from the choice, and never the choice in the audit', async () => {
    expect((await post('chair', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'against' })).statusCode).toBe(303);
    expect((await post('adminE', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'for' })).statusCode).toBe(303);
    const page = text((await get('adminC', `/meetings/${agm}/motions`)).body);
    expect(page).not.toMatch(/For \d+, against/);
    expect(await t.platform.db.selectFrom('motion_open_votes').select('organisation_id').where('motion_id', '=', motion).execute()).toHaveLength(0);
    const entries = await t.platform.db.selectFrom('audit_log').select(['action', 'record_type']).where('action', 'like', 'motion.vote%').execute();
    expect(entries.length).toBe(3);
    for (const e of entries) expect(e).toEqual({ action: 'motion.vote', record_type: 'motion_voter' });
    // Only a chair closes.
    expect((await post('adminC', `/meetings/${agm}/motions/${motion}/close`)).statusCode).toBe(404);
  });

  it('closes with a result that matches the votes cast', async () => {
    expect((await post('chair', `/meetings/${agm}/motions/${motion}/close`)).statusCode).toBe(303);
    const [result] = (await t.services.ballots.resultsFor(await actorOf('adminC'), agm)).filter((m) => m.id === motion);
    expect(result).toMatchObject({ state: 'closed', ballot: 'secret', for: 2, against: 1, abstain: 0, eligible: await memberOrganisationCount(), quorumMet: true, carried: true });
    const page = text((await get('adminC', `/meetings/${agm}/motions`)).body);
    expect(page).toContain('Carried');
    expect(page).toContain('For 2, against 1, abstaining 0');
  });

  it('refuses a vote after the close, and changes nothing', async () => {
    const res = await post('adminC', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'against' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('This ballot is closed: no more votes can be cast.');
    expect(await votersCount(motion)).toBe(3);
    expect(await tallies(motion)).toEqual({ for: 2, against: 1, abstain: 0 });
  });

  it('cannot hold an open-ballot record for a secret motion, whatever the code does', async () => {
    await expect(t.platform.db.insertInto('motion_open_votes').values({ motion_id: motion, organisation_id: orgs.A as string, choice: 'for' }).execute()).rejects.toThrow();
  });
});

describe('an open ballot', () => {
  it('shows how each organisation voted once closed', async () => {
    expect((await post('chair', `/meetings/${agm}/motions`, { text: 'To hold the next AGM online', ballot: 'open' })).statusCode).toBe(303);
    const motion = await motionIdOf(agm, 'To hold the next AGM online');
    expect((await post('chair', `/meetings/${agm}/motions/${motion}/open`)).statusCode).toBe(303);
    expect((await post('adminC', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'abstain' })).statusCode).toBe(303);
    expect((await post('chair', `/meetings/${agm}/motions/${motion}/vote`, { choice: 'for' })).statusCode).toBe(303);
    expect((await post('chair', `/meetings/${agm}/motions/${motion}/close`)).statusCode).toBe(303);
    const page = text((await get('adminB', `/meetings/${agm}/motions`)).body);
    expect(page).toContain('AGM organisation A: For');
    expect(page).toContain('AGM organisation C: Abstain');
  });
});

describe('quorum', () => {
  it('not met: a motion with more for than against is not carried', async () => {
    const meeting = await insertMeeting(t.platform.db, { organisation_id: orgs.A as string, created_by: people.chair as string, kind: 'agm', title: 'Extraordinary general meeting', audience: 'members', quorum_percent: 80 });
    await checkIn(meeting, people.chair as string, orgs.A as string);
    expect((await post('chair', `/meetings/${meeting}/motions`, { text: 'To dissolve the working group', ballot: 'secret' })).statusCode).toBe(303);
    const motion = await motionIdOf(meeting, 'To dissolve the working group');
    expect((await post('chair', `/meetings/${meeting}/motions/${motion}/open`)).statusCode).toBe(303);
    expect((await post('chair', `/meetings/${meeting}/motions/${motion}/vote`, { choice: 'for' })).statusCode).toBe(303);
    expect((await post('chair', `/meetings/${meeting}/motions/${motion}/close`)).statusCode).toBe(303);
    const [result] = await t.services.ballots.resultsFor(await actorOf('chair'), meeting);
    expect(result).toMatchObject({ for: 1, against: 0, quorumMet: false, carried: false });
    expect(text((await get('chair', `/meetings/${meeting}/motions`)).body)).toContain('Not carried · there was no quorum');
  });

  it('a cancelled AGM takes no votes, with the reason, and nothing changes', async () => {
    const meeting = await insertMeeting(t.platform.db, { organisation_id: orgs.A as string, created_by: people.chair as string, kind: 'agm', title: 'Cancelled AGM', audience: 'members' });
    expect((await post('chair', `/meetings/${meeting}/motions`, { text: 'To adopt the accounts', ballot: 'secret' })).statusCode).toBe(303);
    const motion = await motionIdOf(meeting, 'To adopt the accounts');
    expect((await post('chair', `/meetings/${meeting}/motions/${motion}/open`)).statusCode).toBe(303);
    await t.platform.db.updateTable('meetings').set({ state: 'cancelled', cancelled_at: new Date() }).where('id', '=', meeting).execute();
    const res = await post('chair', `/meetings/${meeting}/motions/${motion}/vote`, { choice: 'for' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('This meeting was cancelled: its motions take no votes.');
    expect(await votersCount(motion)).toBe(0);
  });

  it('is 404 on a meeting that is not an AGM', async () => {
    const meeting = await insertMeeting(t.platform.db, { organisation_id: orgs.A as string, created_by: people.chair as string, kind: 'social', audience: 'members' });
    expect((await get('chair', `/meetings/${meeting}/motions`)).statusCode).toBe(404);
  });
});

describe('the schema keeps a secret ballot secret', () => {
  const choiceTables = async () =>
    (
      await sql<{ table_name: string }>`
        select distinct cl.relname as table_name from pg_constraint c join pg_class cl on cl.oid = c.conrelid
        where c.contype = 'c' and pg_get_constraintdef(c.oid) like '%against%' and pg_get_constraintdef(c.oid) like '%abstain%'`.execute(t.platform.db)
    ).rows.map((r) => r.table_name);
  const columnsOf = async (table: string) =>
    (await sql<{ column_name: string; data_type: string }>`select column_name, data_type from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(t.platform.db)).rows;

  it('no table sharing a column with the voters table (other than the motion) holds a choice, unless the database confines it to open ballots', async () => {
    const tables = await choiceTables();
    expect(tables.sort()).toEqual(['motion_open_votes', 'motion_tallies']);
    const voters = new Set((await columnsOf('motion_voters')).map((c) => c.column_name));
    voters.delete('motion_id');
    for (const table of tables) {
      const shared = (await columnsOf(table)).map((c) => c.column_name).filter((c) => voters.has(c));
      if (table === 'motion_tallies') expect(shared).toEqual([]);
      else {
        expect(shared).toEqual(['organisation_id']);
        // Confined: a fixed ballot 'open' and a key to the motion's own ballot (tested above to refuse a secret one).
        const defs = (
          await sql<{ def: string }>`select pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_class cl on cl.oid = c.conrelid where cl.relname = ${table}`.execute(t.platform.db)
        ).rows.map((r) => r.def.replace(/\s+/g, ' '));
        expect(defs).toContain("CHECK ((ballot = 'open'::text))");
        expect(defs.some((d) => /^FOREIGN KEY \(motion_id, ballot\) REFERENCES motions\(id, ballot\)/.test(d))).toBe(true);
      }
    }
    // And nothing the voters table points to (organisations, people) holds a choice.
    const targets = (
      await sql<{ target: string }>`select distinct ct.relname as target from pg_constraint c join pg_class cl on cl.oid = c.conrelid join pg_class ct on ct.oid = c.confrelid where c.contype = 'f' and cl.relname = 'motion_voters'`.execute(t.platform.db)
    ).rows.map((r) => r.target);
    expect(targets.sort()).toEqual(['motions', 'organisations', 'people']);
    for (const target of targets) expect(tables).not.toContain(target);
  });

  it('the tally has no time, no person and no row per vote', async () => {
    const columns = await columnsOf('motion_tallies');
    expect(columns.map((c) => c.column_name).sort()).toEqual(['choice', 'count', 'motion_id']);
    for (const c of columns) expect(c.data_type).not.toMatch(/time|date|interval/);
    const fks = (
      await sql<{ target: string }>`select ct.relname as target from pg_constraint c join pg_class cl on cl.oid = c.conrelid join pg_class ct on ct.oid = c.confrelid where c.contype = 'f' and cl.relname = 'motion_tallies'`.execute(t.platform.db)
    ).rows.map((r) => r.target);
    expect(fks).toEqual(['motions']);
    const perMotion = await t.platform.db.selectFrom('motion_tallies').select(['motion_id', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('motion_id').execute();
    for (const r of perMotion) expect(Number(r.n)).toBe(3);
  });
});

/** The signed-in actor of one of the people above, as the pages build it. */
async function actorOf(name: string): Promise<PersonActor> {
  const id = people[name] as string;
  const memberships = await t.platform.db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.organisation_id', 'm.role', 'o.name'])
    .where('m.person_id', '=', id)
    .execute();
  return { kind: 'person', id, displayName: name, networkRole: 'member', locale: null, memberships: memberships.map((m) => ({ organisationId: m.organisation_id, role: m.role, name: m.name, standing: 'member' })) };
}

describe('200 organisations voting on one motion', () => {
  it('gives the right result at close', async () => {
    const voters: PersonActor[] = [];
    for (let i = 0; i < 200; i++) {
      const org = await createOrganisation(t, `Voting organisation ${i}`);
      const { id } = await accountsRepo.insertPerson(t.platform.db, { display_name: `Voter ${i}`, email: `voter${i}@example.org`, network_role: 'member', password_hash: null });
      await accountsRepo.insertMembership(t.platform.db, { person_id: id, organisation_id: org.id, role: 'org_admin' });
      voters.push({ kind: 'person', id, displayName: `Voter ${i}`, networkRole: 'member', locale: null, memberships: [{ organisationId: org.id, role: 'org_admin', name: `Voting organisation ${i}`, standing: 'member' }] });
    }
    const meeting = await insertMeeting(t.platform.db, { organisation_id: orgs.A as string, created_by: people.chair as string, kind: 'agm', title: 'Large AGM', audience: 'members', quorum_percent: 50 });
    for (const v of voters.slice(0, 150)) await checkIn(meeting, v.id, v.memberships[0]?.organisationId as string);
    const chair = await actorOf('chair');
    const motion = await t.services.ballots.propose(chair, meeting, { text: 'To adopt the annual report', ballot: 'secret' });
    await t.services.ballots.open(chair, meeting, motion);
    const choiceOf = (i: number) => (i < 120 ? 'for' : i < 170 ? 'against' : 'abstain');
    // Cast in batches, concurrently: the unique voter key and the locked motion keep the count right.
    for (let i = 0; i < 200; i += 20) {
      await Promise.all(voters.slice(i, i + 20).map((v, j) => t.services.ballots.vote(v, meeting, motion, { choice: choiceOf(i + j) })));
    }
    await expect(t.services.ballots.vote(voters[0] as PersonActor, meeting, motion, { choice: 'against' })).rejects.toThrow();
    await t.services.ballots.close(chair, meeting, motion);
    const [result] = await t.services.ballots.resultsFor(chair, meeting);
    expect(result).toMatchObject({ for: 120, against: 50, abstain: 30, eligible: await memberOrganisationCount(), quorumMet: true, carried: true });
    expect(await votersCount(motion)).toBe(200);
  }, 120_000);
});
