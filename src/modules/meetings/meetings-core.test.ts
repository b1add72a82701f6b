import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';
import type { DB } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import { translator } from '../../platform/i18n.ts';
import type { PersonActor } from '../../platform/policy.ts';
import { ZONED_FIELDS } from '../../views/format.ts';
import type { MeetingsService } from './meetings.service.ts';
import * as repo from './meetings.repository.ts';

/**
 * Issue 14, items 1, 2 and 4 (meetings core): convening with bad input refused, who sees what
 * (the online link, needs), times in two zones across the October clock change, the calendar
 * sequence and uid, consent to a role, capacity, check-in.
 */
const en = translator('en');
let t: TestApp;
const agents: Record<string, Agent> = {};
const people: Record<string, TestPerson> = {};
const orgs: Record<'L' | 'A' | 'B', string> = {} as never;

const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const page = async (who: string, url: string) => {
  const res = await (agents[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};
const meetingRow = (id: string) => t.platform.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const meetingCount = async () => Number((await t.platform.db.selectFrom('meetings').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
/** The calendar part stored with each mail (a column of part E's, not in the Kysely types here). */
const icsOf = async (subject: string) =>
  (await sql<{ calendar_method: string | null; calendar_content: string | null }>`select calendar_method, calendar_content from mail_messages where subject = ${subject}`.execute(t.platform.db)).rows;
const idFrom = (location: unknown) => /\/meetings\/([0-9a-f-]{36})/.exec(String(location))?.[1] as string;
const zoned = (date: Date, timeZone: string) => new Intl.DateTimeFormat('en', { ...ZONED_FIELDS, timeZone }).format(date);
const hourIn = (date: Date, timeZone: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(date);

const year = new Date().getUTCFullYear() + 1;
const form = (over: Record<string, string | string[]> = {}) => ({
  kind: 'ad_hoc',
  title: 'Response to the new visa rules',
  purpose: 'Agree what we say.',
  startsAt: `${year}-03-10T18:00`,
  endsAt: `${year}-03-10T20:00`,
  timeZone: 'Europe/London',
  place: 'Room 2, 1 Example Street',
  onlineUrl: 'https://meet.example.org/secret-room-42',
  audience: 'organisations',
  organisations: [orgs.A],
  agendaDays: '7',
  ...over,
});

beforeAll(async () => {
  t = await buildTestApp();
  for (const k of ['L', 'A', 'B'] as const) orgs[k] = (await createOrganisation(t, `Organisation ${k} for meetings`)).id;
  const cast: [string, 'org_admin' | 'member' | 'participant' | 'associate', keyof typeof orgs | undefined][] = [
    ['lead', 'org_admin', 'L'],
    ['leadColleague', 'member', 'L'],
    ['staffA', 'member', 'A'],
    ['staffA2', 'member', 'A'],
    ['staffB', 'member', 'B'],
    ['participant', 'participant', undefined],
    ['khartoum', 'member', 'A'],
  ];
  for (const [name, role, org] of cast) {
    const person = await createPerson(t, role, org ? { organisationId: orgs[org] } : {});
    people[name] = person;
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
  }
  agents.visitor = new Agent(t);
}, 120_000);
afterAll(async () => t?.close());

const nameOf = async (who: string) => (await t.platform.db.selectFrom('people').select('display_name').where('id', '=', people[who]?.id as string).executeTakeFirstOrThrow()).display_name;

/** As the app builds one from a session: the person's memberships read now. */
async function actorOf(who: string): Promise<PersonActor> {
  const id = people[who]?.id as string;
  const rows = await t.platform.db
    .selectFrom('memberships as ms')
    .innerJoin('organisations as o', 'o.id', 'ms.organisation_id')
    .select(['ms.organisation_id', 'ms.role', 'o.name'])
    .where('ms.person_id', '=', id)
    .execute();
  return { kind: 'person', id, displayName: who, networkRole: 'member', locale: null, memberships: rows.map((m) => ({ organisationId: m.organisation_id, role: m.role, name: m.name, standing: 'member' })) };
}

/** A person on the staff of two organisations, signed in (memberships first, as a session reads them). */
async function twoOrganisations(name: string, first: keyof typeof orgs, second: keyof typeof orgs): Promise<void> {
  const person = await createPerson(t, 'member', { organisationId: orgs[first] });
  await t.platform.db.insertInto('memberships').values({ person_id: person.id, organisation_id: orgs[second], role: 'staff' }).execute();
  people[name] = person;
  agents[name] = new Agent(t);
  await (agents[name] as Agent).signIn(person);
}

async function convene(over: Record<string, string | string[]> = {}): Promise<string> {
  const res = await post('lead', '/meetings', form(over));
  expect(res.statusCode, text(res.body).slice(0, 400)).toBe(303);
  return idFrom(res.headers.location);
}

describe('convening: bad input', () => {
  const cases: [string, Record<string, string | string[]>, string][] = [
    ['end before start', { endsAt: `${year}-03-10T17:00` }, 'errors.meetingEndsBeforeStart'],
    ['end equal to start', { endsAt: `${year}-03-10T18:00` }, 'errors.meetingEndsBeforeStart'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'errors.meetingTimeZone'],
    ['a date that does not exist', { startsAt: `${year}-02-30T18:00` }, 'errors.meetingDateTime'],
    ['a link that is not https', { onlineUrl: 'http://meet.example.org/x' }, 'errors.meetingOnlineUrl'],
    ['a link that is not a link', { onlineUrl: 'javascript:alert(1)' }, 'errors.meetingOnlineUrl'],
    ['neither place nor link', { place: '', onlineUrl: '' }, 'errors.meetingPlaceOrLink'],
    ['named organisations, none named', { organisations: [] }, 'errors.meetingOrganisationsRequired'],
    ['an organisation that does not exist', { organisations: ['00000000-0000-4000-8000-000000000000'] }, 'errors.choice'],
    ['a community audience without a community', { audience: 'community' }, 'errors.meetingCommunityRequired'],
    ['capacity of zero', { capacity: '0' }, 'errors.meetingCapacity'],
    ['agenda 61 days before', { agendaDays: '61' }, 'errors.meetingAgendaDays'],
    ['a series and a new series', { series: '00000000-0000-4000-8000-000000000000', newSeries: 'Quarterly' }, 'errors.meetingSeriesBoth'],
  ];
  for (const [what, over, key] of cases) {
    it(`refuses ${what}: says why, keeps what was typed, saves nothing`, async () => {
      const before = await meetingCount();
      const res = await post('lead', '/meetings', form(over));
      expect(res.statusCode).toBe(400);
      expect(text(res.body)).toContain(en(key));
      expect(res.body).toContain('value="Response to the new visa rules"');
      expect(await meetingCount()).toBe(before);
    });
  }

  it('refuses someone who may not convene (a participant) with 404', async () => {
    const before = await meetingCount();
    expect((await post('participant', '/meetings', form())).statusCode).toBe(404);
    expect(await meetingCount()).toBe(before);
  });
});

describe('one meeting for named organisations', () => {
  let id = '';
  beforeAll(async () => {
    id = await convene();
  });

  it('is a draft whose creator is its first, accepted chair; nobody else sees the draft', async () => {
    const m = await meetingRow(id);
    expect(m.state).toBe('draft');
    expect(m.uid).toMatch(/^[0-9a-f-]{36}$/);
    const roles = await t.platform.db.selectFrom('meeting_roles').selectAll().where('meeting_id', '=', id).execute();
    expect(roles).toEqual([expect.objectContaining({ person_id: people.lead?.id, role: 'chair', state: 'accepted', organisation_id: orgs.L })]);
    expect((await page('staffA', `/meetings/${id}`)).status).toBe(404);
    expect((await page('lead', `/meetings/${id}`)).status).toBe(200);
  });

  it('scheduling invites the named organisations (and the convening one), by mail with an .ics', async () => {
    const uid = (await meetingRow(id)).uid;
    expect((await post('lead', `/meetings/${id}/schedule`)).statusCode).toBe(303);
    const mails = await t.platform.db.selectFrom('mail_messages').select(['recipient', 'subject', 'body_text']).where('subject', '=', en('meetings.mail.invitation.subject', { title: 'Response to the new visa rules' })).execute();
    const to = new Set(mails.map((m) => m.recipient));
    expect(to.has(people.staffA?.identifier as string)).toBe(true);
    expect(to.has(people.leadColleague?.identifier as string)).toBe(true);
    expect(to.has(people.staffB?.identifier as string)).toBe(false);
    // The time in the meeting's own zone, in the reader's language.
    expect(mails[0]?.body_text).toContain('18:00');
    expect(mails[0]?.body_text).toContain(`/meetings/${id}`);
    // Each carries the invitation for calendars (part E's ical.ts), with the meeting's uid.
    const ics = await icsOf(en('meetings.mail.invitation.subject', { title: 'Response to the new visa rules' }));
    expect(ics.length).toBe(mails.length);
    expect(ics.every((m) => m.calendar_method === 'REQUEST' && m.calendar_content?.includes((uid as string).slice(0, 20)))).toBe(true);
  });

  it('shows the online link to invitees only', async () => {
    const invitee = await page('staffA', `/meetings/${id}`);
    expect(invitee.status).toBe(200);
    expect(invitee.body).toContain('https://meet.example.org/secret-room-42');
    for (const who of ['staffB', 'participant', 'visitor']) {
      const res = await page(who, `/meetings/${id}`);
      expect(res.status, who).toBe(404);
      expect(res.body).not.toContain('secret-room-42');
    }
    expect((await page('visitor', '/meetings')).body).not.toContain('Response to the new visa rules');
    expect((await page('staffB', '/meetings')).body).not.toContain('Response to the new visa rules');
    expect((await page('staffA', '/meetings')).body).toContain('Response to the new visa rules');
  });

  it('answers 404 to every write by someone not invited, and changes nothing', async () => {
    const before = await meetingRow(id);
    const routes: [string, Record<string, string | string[]>][] = [
      [`/meetings/${id}/edit`, form({ title: 'Hijacked' })],
      [`/meetings/${id}/schedule`, {}],
      [`/meetings/${id}/cancel`, {}],
      [`/meetings/${id}/roles`, { role: 'chair', candidate: people.staffB?.id as string }],
      [`/meetings/${id}/roles/answer`, { role: 'chair', answer: 'accept' }],
      [`/meetings/${id}/reply`, { answer: 'yes' }],
      [`/meetings/${id}/check-in`, { person: people.staffB?.id as string }],
    ];
    for (const who of ['staffB', 'participant']) {
      for (const [url, body] of routes) expect((await post(who, url, body)).statusCode, `${who} ${url}`).toBe(404);
      for (const url of [`/meetings/${id}/edit`, `/meetings/${id}/check-in`]) expect((await page(who, url)).status, `${who} ${url}`).toBe(404);
    }
    for (const [url, body] of routes) {
      const res = await post('visitor', url, body);
      expect([303, 401, 404]).toContain(res.statusCode);
      if (res.statusCode === 303) expect(String(res.headers.location)).toMatch(/^\/sign-in/);
    }
    const after = await meetingRow(id);
    expect(after).toEqual(before);
    expect(await t.platform.db.selectFrom('meeting_replies').select('person_id').where('meeting_id', '=', id).execute()).toEqual([]);
    expect((await t.platform.db.selectFrom('meeting_roles').select('person_id').where('meeting_id', '=', id).execute()).length).toBe(1);
  });

  it('an invitee who is not an organiser cannot edit, schedule, cancel or check people in (404)', async () => {
    const before = await meetingRow(id);
    for (const url of [`/meetings/${id}/edit`, `/meetings/${id}/cancel`]) expect((await post('staffA', url, form({ title: 'Changed by an invitee' }))).statusCode).toBe(404);
    expect((await post('staffA', `/meetings/${id}/check-in`, { person: people.staffA?.id as string })).statusCode).toBe(404);
    expect((await page('staffA', `/meetings/${id}/check-in`)).status).toBe(404);
    expect(await meetingRow(id)).toEqual(before);
  });

  it('a chair offered is not a chair until they accept; the form warns while all chairs are from one organisation', async () => {
    const organiser = await page('lead', `/meetings/${id}`);
    expect(organiser.text).toContain(en('meetings.sharedFacilitation'));
    // Someone of an organisation that is not invited cannot be offered the role.
    const refused = await post('lead', `/meetings/${id}/roles`, { role: 'chair', candidate: people.staffB?.id as string });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain(en('errors.choice'));

    expect((await post('lead', `/meetings/${id}/roles`, { role: 'chair', candidate: people.staffA?.id as string })).statusCode).toBe(303);
    const offered = await t.platform.db.selectFrom('meeting_roles').selectAll().where('meeting_id', '=', id).where('person_id', '=', people.staffA?.id as string).executeTakeFirstOrThrow();
    expect(offered.state).toBe('invited');
    // H7: who was asked is for the organisers and that person only, until they accept.
    const asked = `${await nameOf('staffA')} · ${en('meetings.roleState.invited')}`;
    expect((await page('lead', `/meetings/${id}`)).text).toContain(asked);
    expect((await page('staffA', `/meetings/${id}`)).text).toContain(asked);
    expect((await page('staffA2', `/meetings/${id}`)).text).not.toContain(await nameOf('staffA'));
    // Offered only: not an organiser yet.
    expect((await page('staffA', `/meetings/${id}/edit`)).status).toBe(404);
    expect((await page('staffA', `/meetings/${id}`)).text).toContain(en('meetings.offered', { role: en('meetings.role.chair') }));

    expect((await post('staffA', `/meetings/${id}/roles/answer`, { role: 'chair', answer: 'accept' })).statusCode).toBe(303);
    expect((await page('staffA', `/meetings/${id}/edit`)).status).toBe(200);
    // Accepted, the chair is shown to every invitee, with the organisation they hold it for.
    expect((await page('staffA2', `/meetings/${id}`)).text).toContain(`${await nameOf('staffA')} (Organisation A for meetings) · ${en('meetings.roleState.accepted')}`);
    // Two organisations chair now: no warning.
    expect((await page('lead', `/meetings/${id}`)).text).not.toContain(en('meetings.sharedFacilitation'));
    // Answering twice is refused, and nothing changes.
    const again = await post('staffA', `/meetings/${id}/roles/answer`, { role: 'chair', answer: 'decline' });
    expect(again.statusCode).toBe(400);
    expect((await t.platform.db.selectFrom('meeting_roles').select('state').where('meeting_id', '=', id).where('person_id', '=', people.staffA?.id as string).executeTakeFirstOrThrow()).state).toBe('accepted');
  });

  it('needs are seen by organisers only, and erased once the meeting is over', async () => {
    const marker = 'NEEDSMARKER step-free access';
    expect((await post('staffA2', `/meetings/${id}/reply`, { answer: 'yes', needs: marker })).statusCode).toBe(303);
    expect((await page('lead', `/meetings/${id}`)).body).toContain(marker);
    // Their own answer is theirs to read and change; other invitees never see it.
    expect((await page('staffA2', `/meetings/${id}`)).body).toContain(marker);
    expect((await page('leadColleague', `/meetings/${id}`)).body).not.toContain(marker);
    // Counts per organisation, for invitees.
    expect((await page('leadColleague', `/meetings/${id}`)).text).toContain('Organisation A for meetings');

    // The meeting is over: the next read sweeps the needs away.
    await t.platform.db
      .updateTable('meetings')
      .set({ starts_at: new Date(Date.now() - 3 * 3_600_000), ends_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', id)
      .execute();
    const after = await page('lead', `/meetings/${id}`);
    expect(after.body).not.toContain(marker);
    expect(after.text).toContain(en('meetings.needsErased'));
    expect((await page('staffA2', `/meetings/${id}`)).body).not.toContain(marker);
    const reply = await t.platform.db.selectFrom('meeting_replies').selectAll().where('meeting_id', '=', id).where('person_id', '=', people.staffA2?.id as string).executeTakeFirstOrThrow();
    expect(reply.needs).toBeNull();
    expect(reply.answer).toBe('yes');
    expect((await meetingRow(id)).needs_erased_at).not.toBeNull();
  });

  it('organisers check in invitees; someone not invited cannot be checked in', async () => {
    expect((await page('lead', `/meetings/${id}/check-in?q=Test`)).status).toBe(200);
    expect((await post('lead', `/meetings/${id}/check-in`, { person: people.staffA2?.id as string })).statusCode).toBe(303);
    const row = await t.platform.db.selectFrom('meeting_replies').selectAll().where('meeting_id', '=', id).where('person_id', '=', people.staffA2?.id as string).executeTakeFirstOrThrow();
    expect(row.checked_in_at).not.toBeNull();
    expect(row.checked_in_by).toBe(people.lead?.id);
    const refused = await post('lead', `/meetings/${id}/check-in`, { person: people.staffB?.id as string });
    expect(refused.statusCode).toBe(400);
    expect(await t.platform.db.selectFrom('meeting_replies').select('person_id').where('meeting_id', '=', id).where('person_id', '=', people.staffB?.id as string).execute()).toEqual([]);
  });

  it('H20: a meeting over and moved later takes needs again, and they are erased after its new end', async () => {
    expect((await meetingRow(id)).needs_erased_at).not.toBeNull();
    expect((await post('lead', `/meetings/${id}/edit`, form({ startsAt: `${year + 1}-03-10T18:00`, endsAt: `${year + 1}-03-10T20:00` }))).statusCode).toBe(303);
    expect((await meetingRow(id)).needs_erased_at).toBeNull();
    const marker = 'NEEDSMARKER2 a hearing loop';
    expect((await post('staffA2', `/meetings/${id}/reply`, { answer: 'yes', needs: marker })).statusCode).toBe(303);
    const lead = await page('lead', `/meetings/${id}`);
    expect(lead.body).toContain(marker);
    expect(lead.text).not.toContain(en('meetings.needsErased'));
  });
});

describe('a publicly listed meeting', () => {
  let id = '';
  beforeAll(async () => {
    id = await convene({ title: 'Open briefing on early warning', kind: 'expert_briefing', audience: 'members', organisations: [], listedPublicly: 'yes' });
    expect((await post('lead', `/meetings/${id}/schedule`)).statusCode).toBe(303);
  });

  it('shows its public details and JSON-LD to a visitor, never the online link', async () => {
    const res = await page('visitor', `/meetings/${id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Open briefing on early warning');
    expect(res.body).toContain('application/ld+json');
    expect(res.body).not.toContain('secret-room-42');
    expect(res.text).toContain(en('meetings.onlineForInvitees'));
    expect((await page('visitor', '/meetings')).text).toContain('Open briefing on early warning');
    // A participant (not a member) likewise reads only the public details.
    const participant = await page('participant', `/meetings/${id}`);
    expect(participant.body).not.toContain('secret-room-42');
    expect((await post('participant', `/meetings/${id}/reply`, { answer: 'yes' })).statusCode).toBe(404);
  });

  it('someone who only reads its public page cannot answer a role offer: 404, as on every inside route', async () => {
    const before = await t.platform.db.selectFrom('meeting_roles').select(['person_id', 'role', 'state']).where('meeting_id', '=', id).execute();
    for (const answer of ['accept', 'decline']) expect((await post('participant', `/meetings/${id}/roles/answer`, { role: 'chair', answer })).statusCode).toBe(404);
    expect(await t.platform.db.selectFrom('meeting_roles').select(['person_id', 'role', 'state']).where('meeting_id', '=', id).execute()).toEqual(before);
  });
});

describe('capacity', () => {
  it('refuses a "yes" beyond capacity with a message, and records nothing', async () => {
    const id = await convene({ title: 'Small workshop', capacity: '1' });
    await post('lead', `/meetings/${id}/schedule`);
    expect((await post('staffA', `/meetings/${id}/reply`, { answer: 'yes' })).statusCode).toBe(303);
    const res = await post('staffA2', `/meetings/${id}/reply`, { answer: 'yes' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain(en('errors.meetingFull'));
    expect(await t.platform.db.selectFrom('meeting_replies').select('person_id').where('meeting_id', '=', id).where('person_id', '=', people.staffA2?.id as string).execute()).toEqual([]);
    // "maybe" is still possible.
    expect((await post('staffA2', `/meetings/${id}/reply`, { answer: 'maybe' })).statusCode).toBe(303);
  });
});

describe('time zones across the October clock change', () => {
  it('a monthly 18:00 London meeting is 18:00 in London both times, and moves by exactly one hour in Khartoum', async () => {
    expect((await post('khartoum', '/meetings/time-zone', { timeZone: 'Atlantis/Nowhere' })).statusCode).toBe(400);
    expect((await post('khartoum', '/meetings/time-zone', { timeZone: 'Africa/Khartoum' })).statusCode).toBe(303);
    const october = await convene({ title: 'Monthly members meeting (October)', startsAt: `${year}-10-20T18:00`, endsAt: `${year}-10-20T19:30`, newSeries: 'Monthly members meeting' });
    const series = (await meetingRow(october)).series_id as string;
    expect(series).toBeTruthy();
    const november = await convene({ title: 'Monthly members meeting (November)', startsAt: `${year}-11-17T18:00`, endsAt: `${year}-11-17T19:30`, series });
    for (const id of [october, november]) await post('lead', `/meetings/${id}/schedule`);
    const oct = await meetingRow(october);
    const nov = await meetingRow(november);
    expect(hourIn(oct.starts_at, 'Europe/London')).toBe('18:00');
    expect(hourIn(nov.starts_at, 'Europe/London')).toBe('18:00');
    // British Summer Time until the last Sunday of October: 17:00 UTC, then 18:00 UTC.
    expect(oct.starts_at.getUTCHours()).toBe(17);
    expect(nov.starts_at.getUTCHours()).toBe(18);
    expect(hourIn(oct.starts_at, 'Africa/Khartoum')).toBe('19:00');
    expect(hourIn(nov.starts_at, 'Africa/Khartoum')).toBe('20:00');

    const octPage = await page('khartoum', `/meetings/${october}`);
    const novPage = await page('khartoum', `/meetings/${november}`);
    expect(octPage.text).toContain(zoned(oct.starts_at, 'Europe/London'));
    expect(octPage.text).toContain(zoned(oct.starts_at, 'Africa/Khartoum'));
    expect(novPage.text).toContain(zoned(nov.starts_at, 'Europe/London'));
    expect(novPage.text).toContain(zoned(nov.starts_at, 'Africa/Khartoum'));
    expect(zoned(oct.starts_at, 'Africa/Khartoum')).toContain('19:00');
    expect(zoned(nov.starts_at, 'Africa/Khartoum')).toContain('20:00');
    // The series links its meetings to each other.
    expect(octPage.body).toContain(`href="/meetings/${november}"`);
    expect(novPage.body).toContain(`href="/meetings/${october}"`);
    // The invitation mail says both times too.
    const mail = await t.platform.db
      .selectFrom('mail_messages')
      .select('body_text')
      .where('recipient', '=', people.khartoum?.identifier as string)
      .where('subject', '=', en('meetings.mail.invitation.subject', { title: 'Monthly members meeting (October)' }))
      .executeTakeFirstOrThrow();
    expect(mail.body_text).toContain('18:00');
    expect(mail.body_text).toContain('(Africa/Khartoum)');
    expect(mail.body_text).toContain('19:00');
    // Someone without a zone of their own sees only the meeting's.
    expect((await page('staffA', `/meetings/${october}`)).text).not.toContain(zoned(oct.starts_at, 'Africa/Khartoum'));
  });
});

describe('calendar sequence and uid', () => {
  it('raises the sequence on each change of time, place or state, not on a title change; the uid never changes', async () => {
    const id = await convene({ title: 'Sequence check' });
    const first = await meetingRow(id);
    expect(first.sequence).toBe(0);
    const edit = async (over: Record<string, string | string[]>) => {
      const res = await post('lead', `/meetings/${id}/edit`, form({ title: 'Sequence check', ...over }));
      expect(res.statusCode, text(res.body).slice(0, 300)).toBe(303);
      return meetingRow(id);
    };
    expect((await edit({ title: 'Sequence check, renamed' })).sequence).toBe(0);
    expect((await edit({ startsAt: `${year}-03-10T17:00` })).sequence).toBe(1);
    expect((await edit({ startsAt: `${year}-03-10T17:00`, place: 'Room 3' })).sequence).toBe(2);
    expect((await edit({ startsAt: `${year}-03-10T17:00`, place: 'Room 3', onlineUrl: 'https://meet.example.org/other' })).sequence).toBe(3);
    await post('lead', `/meetings/${id}/schedule`);
    expect((await meetingRow(id)).sequence).toBe(4);
    // A change to a scheduled meeting tells the invitees.
    await edit({ startsAt: `${year}-03-10T16:00`, place: 'Room 3', onlineUrl: 'https://meet.example.org/other' });
    const changed = await t.platform.db.selectFrom('mail_messages').select('recipient').where('subject', '=', en('meetings.mail.changed.subject', { title: 'Sequence check' })).execute();
    expect(changed.map((m) => m.recipient)).toContain(people.staffA?.identifier);
    expect((await meetingRow(id)).sequence).toBe(5);
    // Bad input on an edit changes nothing.
    const refused = await post('lead', `/meetings/${id}/edit`, form({ title: 'Sequence check', endsAt: `${year}-03-09T10:00` }));
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain(en('errors.meetingEndsBeforeStart'));
    expect((await meetingRow(id)).sequence).toBe(5);
    expect((await post('lead', `/meetings/${id}/cancel`)).statusCode).toBe(303);
    const cancelled = await meetingRow(id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.cancelled_at).not.toBeNull();
    expect(cancelled.sequence).toBe(6);
    expect(cancelled.uid).toBe(first.uid);
    const told = await t.platform.db.selectFrom('mail_messages').select('recipient').where('subject', '=', en('meetings.mail.cancelled.subject', { title: 'Sequence check' })).execute();
    expect(told.map((m) => m.recipient)).toContain(people.staffA?.identifier);
    expect((await icsOf(en('meetings.mail.cancelled.subject', { title: 'Sequence check' }))).every((m) => m.calendar_method === 'CANCEL')).toBe(true);
    // Kept, shown as cancelled.
    expect((await page('staffA', `/meetings/${id}`)).text).toContain(en('meetings.cancelledNotice'));
  });
});

describe('a pseudonymous participant', () => {
  it('is never named in the minutes, whatever the box says', async () => {
    const { id: communityId } = await t.platform.db.insertInto('communities').values({ name: 'Diaspora community for meetings' }).returning('id').executeTakeFirstOrThrow();
    await t.platform.db.insertInto('community_members').values({ community_id: communityId, person_id: people.participant?.id as string }).execute();
    const id = await convene({ title: 'Community listening session', audience: 'community', community: communityId, organisations: [] });
    await post('lead', `/meetings/${id}/schedule`);
    const res = await post('participant', `/meetings/${id}/reply`, { answer: 'yes', named: 'yes' });
    expect(res.statusCode).toBe(303);
    const reply = await t.platform.db.selectFrom('meeting_replies').selectAll().where('meeting_id', '=', id).where('person_id', '=', people.participant?.id as string).executeTakeFirstOrThrow();
    expect(reply.named_in_minutes).toBe(false);
    expect((await page('participant', `/meetings/${id}`)).text).not.toContain(en('meetings.named'));
    // Someone outside the community does not see it.
    expect((await page('staffB', `/meetings/${id}`)).status).toBe(404);
  });
});

describe('the convening form and the needs job', () => {
  it('offers the zones with London first and chosen, in the reader language (Arabic, right to left)', async () => {
    const res = await page('lead', '/meetings/new');
    expect(res.status).toBe(200);
    const zones = [...res.body.matchAll(/<option value="([A-Za-z_/+-]+)"( selected(?:="")?)?>/g)].filter((m) => m[1]?.includes('/') || m[1] === 'UTC');
    expect(zones[0]?.[1]).toBe('Europe/London');
    expect(zones[0]?.[2]).toBeTruthy();
    expect(zones.some((z) => z[1] === 'Africa/Khartoum')).toBe(true);
    const arabic = new Agent(t);
    await arabic.signIn(await createPerson(t, 'member', { organisationId: orgs.B }));
    await arabic.post('/language', { locale: 'ar', next: '/meetings/new' });
    const ar = await arabic.get('/meetings/new');
    expect(ar.body).toContain('dir="rtl"');
    expect(text(ar.body)).toContain(translator('ar')('meetings.newTitle'));
  });

  it('the job at the end of a meeting erases its needs without anyone reading the page', async () => {
    const id = await convene({ title: 'Job erasure check' });
    await post('lead', `/meetings/${id}/schedule`);
    await post('staffA', `/meetings/${id}/reply`, { answer: 'yes', needs: 'JOBMARKER vegetarian' });
    await t.platform.db
      .updateTable('meetings')
      .set({ starts_at: new Date(Date.now() - 7_200_000), ends_at: new Date(Date.now() - 60_000) })
      .where('id', '=', id)
      .execute();
    expect(await t.services.meetings.eraseEndedNeeds()).toBeGreaterThanOrEqual(1);
    const reply = await t.platform.db.selectFrom('meeting_replies').select(['needs', 'answer']).where('meeting_id', '=', id).executeTakeFirstOrThrow();
    expect(reply).toEqual({ needs: null, answer: 'yes' });
    const audit = await t.platform.db.selectFrom('audit_log').selectAll().where('record_id', '=', id).where('action', '=', 'meeting.needs_erased').execute();
    expect(audit.length).toBe(1);
  });
});

describe('review fixes (part I)', () => {
  const roleOf = (id: string, who: string) =>
    t.platform.db.selectFrom('meeting_roles').selectAll().where('meeting_id', '=', id).where('person_id', '=', people[who]?.id as string).where('role', '=', 'chair').executeTakeFirstOrThrow();

  it('H10: an offer names the person only; on accepting they choose the organisation, and the warning reads the accepted rows', async () => {
    await twoOrganisations('twoAL', 'A', 'L');
    await twoOrganisations('twoAB', 'A', 'B');
    const id = await convene({ title: 'Chosen by the chair' });
    expect((await post('lead', `/meetings/${id}/roles`, { role: 'chair', candidate: people.twoAL?.id as string })).statusCode).toBe(303);
    expect((await post('lead', `/meetings/${id}/roles`, { role: 'chair', candidate: people.twoAB?.id as string })).statusCode).toBe(303);
    // The organiser cannot say which organisation: the old "person:organisation" form is refused.
    const named = await post('lead', `/meetings/${id}/roles`, { role: 'minute_taker', candidate: `${people.twoAL?.id}:${orgs.L}` });
    expect(named.statusCode).toBe(400);
    expect((await roleOf(id, 'twoAL')).organisation_id).toBeNull();
    expect((await roleOf(id, 'twoAL')).state).toBe('invited');

    // The accept form asks them; accepting without choosing is refused and changes nothing.
    const offeredPage = await page('twoAL', `/meetings/${id}`);
    expect(offeredPage.text).toContain(en('acting.legend'));
    const unchosen = await post('twoAL', `/meetings/${id}/roles/answer`, { role: 'chair', answer: 'accept' });
    expect(unchosen.statusCode).toBe(400);
    expect(text(unchosen.body)).toContain(en('errors.actingForChoose'));
    expect((await roleOf(id, 'twoAL')).state).toBe('invited');

    // An organisation the meeting does not invite is refused.
    const uninvited = await post('twoAB', `/meetings/${id}/roles/answer`, { role: 'chair', answer: 'accept', actingFor: orgs.B });
    expect(uninvited.statusCode).toBe(400);
    expect(text(uninvited.body)).toContain(en('errors.meetingRoleOrganisation'));
    expect((await roleOf(id, 'twoAB')).state).toBe('invited');

    // They choose L (the convening organisation): every accepted chair is now from L.
    expect((await post('twoAL', `/meetings/${id}/roles/answer`, { role: 'chair', answer: 'accept', actingFor: orgs.L })).statusCode).toBe(303);
    expect(await roleOf(id, 'twoAL')).toEqual(expect.objectContaining({ state: 'accepted', organisation_id: orgs.L }));
    // twoAB's open offer (for no organisation yet) does not lift the warning.
    expect((await page('lead', `/meetings/${id}`)).text).toContain(en('meetings.sharedFacilitation'));
    expect((await post('twoAB', `/meetings/${id}/roles/answer`, { role: 'chair', answer: 'accept', actingFor: orgs.A })).statusCode).toBe(303);
    expect((await roleOf(id, 'twoAB')).organisation_id).toBe(orgs.A);
    expect((await page('lead', `/meetings/${id}`)).text).not.toContain(en('meetings.sharedFacilitation'));
  });

  it('H12: someone in several organisations who chose none in a reply is checked in for none, and counts for no quorum', async () => {
    await twoOrganisations('checkAL', 'A', 'L');
    const id = await convene({ title: 'Check-in for whom' });
    expect((await post('lead', `/meetings/${id}/schedule`)).statusCode).toBe(303);
    // The organiser cannot pick the organisation for them.
    const picked = await post('lead', `/meetings/${id}/check-in`, { person: people.checkAL?.id as string, organisation: orgs.A });
    expect(picked.statusCode).toBe(400);
    expect(await t.platform.db.selectFrom('meeting_replies').select('person_id').where('meeting_id', '=', id).execute()).toEqual([]);
    expect((await page('lead', `/meetings/${id}/check-in?q=${encodeURIComponent(await nameOf('checkAL'))}`)).body).not.toContain('name="organisation"');

    expect((await post('lead', `/meetings/${id}/check-in`, { person: people.checkAL?.id as string })).statusCode).toBe(303);
    const row = await t.platform.db.selectFrom('meeting_replies').selectAll().where('meeting_id', '=', id).where('person_id', '=', people.checkAL?.id as string).executeTakeFirstOrThrow();
    expect(row.checked_in_at).not.toBeNull();
    expect(row.organisation_id).toBeNull();
    expect(await repo.organisationsCheckedIn(t.platform.db, id)).toEqual([]);

    // Their own choice, in their reply, is what counts.
    expect((await post('checkAL', `/meetings/${id}/reply`, { answer: 'yes', organisation: orgs.A })).statusCode).toBe(303);
    expect(await repo.organisationsCheckedIn(t.platform.db, id)).toEqual([orgs.A]);
  });

  /** The service over a database whose transactions first run `before` (what another request does meanwhile). */
  function serviceWith(before: () => Promise<void>): MeetingsService {
    const real = t.platform.db;
    const db = new Proxy(real, {
      get(target, prop) {
        if (prop === 'transaction') {
          return () => ({
            execute: async <T>(fn: Parameters<ReturnType<Kysely<DB>['transaction']>['execute']>[0]) => {
              await before();
              return target.transaction().execute(fn as never) as Promise<T>;
            },
          });
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return Object.create(t.services.meetings, { p: { value: { ...t.platform, db } } }) as MeetingsService;
  }

  it('H22: naming another organisation invites its staff; dropping one tells its staff they are no longer invited', async () => {
    const title = 'Invitations follow the organisations named';
    const id = await convene({ title, organisations: [orgs.A] });
    expect((await post('lead', `/meetings/${id}/schedule`)).statusCode).toBe(303);
    const sequence = (await meetingRow(id)).sequence;
    const mailsTo = async (subject: string) =>
      new Set((await t.platform.db.selectFrom('mail_messages').select('recipient').where('subject', '=', subject).execute()).map((m) => m.recipient));
    expect((await mailsTo(en('meetings.mail.invitation.subject', { title }))).has(people.staffB?.identifier as string)).toBe(false);
    // Only the organisations change: B's staff are invited, A's told they are not any more.
    expect((await post('lead', `/meetings/${id}/edit`, form({ title, organisations: [orgs.B] }))).statusCode).toBe(303);
    const invited = await mailsTo(en('meetings.mail.invitation.subject', { title }));
    expect(invited.has(people.staffB?.identifier as string)).toBe(true);
    const dropped = await mailsTo(en('meetings.mail.uninvited.subject', { title }));
    expect(dropped.has(people.staffA?.identifier as string)).toBe(true);
    expect(dropped.has(people.staffB?.identifier as string)).toBe(false);
    // The convening organisation stays invited: no "changed" or "no longer invited" for it.
    expect(dropped.has(people.leadColleague?.identifier as string)).toBe(false);
    expect((await mailsTo(en('meetings.mail.changed.subject', { title }))).size).toBe(0);
    const ics = await icsOf(en('meetings.mail.uninvited.subject', { title }));
    expect(ics.length).toBeGreaterThan(0);
    expect(ics.every((m) => m.calendar_method === 'CANCEL' && m.calendar_content?.includes(`SEQUENCE:${sequence + 1}`))).toBe(true);
    expect((await meetingRow(id)).sequence).toBe(sequence + 1);
    // The newly invited get a calendar object as new as the cancellation, no older.
    const invitations = await icsOf(en('meetings.mail.invitation.subject', { title }));
    expect(invitations.some((m) => m.calendar_content?.includes(`SEQUENCE:${sequence + 1}`))).toBe(true);
    // Those no longer invited learn nothing new: not the place, not the online link.
    const told = await t.platform.db.selectFrom('mail_messages').select('body_text').where('subject', '=', en('meetings.mail.uninvited.subject', { title })).execute();
    expect(told.length).toBeGreaterThan(0);
    for (const m of told) {
      expect(m.body_text).not.toContain('secret-room-42');
      expect(m.body_text).not.toContain('Room 2');
    }
    // A's staff see no more of it than anyone outside.
    expect((await page('staffA', `/meetings/${id}`)).status).toBe(404);
  });

  it('a draft without a place (as one convened from an alert) saves without one; scheduling asks for it first', async () => {
    const id = await convene({ title: 'Where to, not known yet' });
    await t.platform.db.updateTable('meetings').set({ place: null, online_url: null }).where('id', '=', id).execute();
    expect((await post('lead', `/meetings/${id}/edit`, form({ title: 'Where to, still not known', place: '', onlineUrl: '' }))).statusCode).toBe(303);
    expect((await meetingRow(id)).title).toBe('Where to, still not known');
    const refused = await post('lead', `/meetings/${id}/schedule`);
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain(en('errors.meetingScheduleWhere'));
    expect((await meetingRow(id)).state).toBe('draft');
    expect((await post('lead', `/meetings/${id}/edit`, form({ title: 'Where to, still not known', onlineUrl: '' }))).statusCode).toBe(303);
    expect((await post('lead', `/meetings/${id}/schedule`)).statusCode).toBe(303);
    // Once scheduled, it keeps a place or a link: invitations said where.
    const bare = await post('lead', `/meetings/${id}/edit`, form({ title: 'Where to, still not known', place: '', onlineUrl: '' }));
    expect(bare.statusCode).toBe(400);
    expect(text(bare.body)).toContain(en('errors.meetingPlaceOrLink'));
  });

  it('H21: someone removed from an organisation keeps no hand on the meetings they chaired or convened for it', async () => {
    const chairOf = await createPerson(t, 'member', { organisationId: orgs.L });
    const maker = await createPerson(t, 'member', { organisationId: orgs.L });
    for (const [name, person] of [['leaverChair', chairOf], ['leaverMaker', maker]] as const) {
      people[name] = person;
      agents[name] = new Agent(t);
      await (agents[name] as Agent).signIn(person);
    }
    const chaired = await convene({ title: 'Chaired by someone who leaves' });
    expect((await post('lead', `/meetings/${chaired}/roles`, { role: 'chair', candidate: chairOf.id })).statusCode).toBe(303);
    expect((await post('leaverChair', `/meetings/${chaired}/roles/answer`, { role: 'chair', answer: 'accept' })).statusCode).toBe(303);
    const made = await post('leaverMaker', '/meetings', form({ title: 'Convened by someone who leaves' }));
    expect(made.statusCode).toBe(303);
    const own = idFrom(made.headers.location);
    expect((await page('leaverChair', `/meetings/${chaired}/edit`)).status).toBe(200);
    expect((await page('leaverMaker', `/meetings/${own}/edit`)).status).toBe(200);
    for (const person of [chairOf, maker]) expect((await post('lead', `/organisations/${orgs.L}/staff/${person.id}/remove`)).statusCode).toBe(303);
    for (const [who, id] of [['leaverChair', chaired], ['leaverMaker', own]] as const) {
      const before = await meetingRow(id);
      expect((await page(who, `/meetings/${id}/edit`)).status, who).toBe(404);
      expect((await page(who, `/meetings/${id}/check-in`)).status, who).toBe(404);
      expect((await post(who, `/meetings/${id}/edit`, form({ title: 'Renamed after leaving' }))).statusCode, who).toBe(404);
      expect((await post(who, `/meetings/${id}/schedule`)).statusCode, who).toBe(404);
      expect(await meetingRow(id)).toEqual(before);
    }
    // Nor do the meetings list or the invitations count them any more.
    expect((await page('leaverChair', '/meetings')).text).not.toContain('Chaired by someone who leaves');
    expect((await page('leaverMaker', '/meetings')).text).not.toContain('Convened by someone who leaves');
    expect((await post('lead', `/meetings/${chaired}/schedule`)).statusCode).toBe(303);
    const mailed = await t.platform.db.selectFrom('mail_messages').select('recipient').where('subject', '=', en('meetings.mail.invitation.subject', { title: 'Chaired by someone who leaves' })).execute();
    expect(mailed.map((m) => m.recipient)).not.toContain(chairOf.identifier);
    // The organisation's other organisers carry on.
    expect((await page('lead', `/meetings/${chaired}/edit`)).status).toBe(200);
  });

  it('H15: a chair who stops being one between the check and the write saves nothing (edit, offer)', async () => {
    const id = await convene({ title: 'Chair stepping down' });
    expect((await post('lead', `/meetings/${id}/roles`, { role: 'chair', candidate: people.staffA?.id as string })).statusCode).toBe(303);
    expect((await post('staffA', `/meetings/${id}/roles/answer`, { role: 'chair', answer: 'accept' })).statusCode).toBe(303);
    const staffA = await actorOf('staffA');
    const before = await meetingRow(id);
    const stepDown = (state: 'declined' | 'accepted') => async () => {
      await t.platform.db.updateTable('meeting_roles').set({ state }).where('meeting_id', '=', id).where('person_id', '=', staffA.id).where('role', '=', 'chair').execute();
    };
    const input = {
      kind: 'ad_hoc' as const,
      title: 'Renamed by a former chair',
      startsAt: `${year}-03-11T18:00`,
      endsAt: `${year}-03-11T20:00`,
      timeZone: 'Europe/London',
      place: 'Elsewhere',
      audience: 'organisations' as const,
      organisations: [orgs.A],
      interpretation: [],
      agendaDays: '7',
    };
    await expect(serviceWith(stepDown('declined')).update(staffA, id, input)).rejects.toMatchObject({ status: 404 });
    expect(await meetingRow(id)).toEqual(before);

    await stepDown('accepted')();
    await expect(serviceWith(stepDown('declined')).offerRole(staffA, id, { role: 'minute_taker', candidate: people.staffA2?.id as string })).rejects.toMatchObject({ status: 404 });
    expect(await t.platform.db.selectFrom('meeting_roles').select('person_id').where('meeting_id', '=', id).where('person_id', '=', people.staffA2?.id as string).execute()).toEqual([]);
  });

  // PGlite runs one transaction at a time, so two sweeps cannot overlap there: this race exists on PostgreSQL only.
  it.runIf(!!process.env.TEST_DATABASE_URL)('H13: two sweeps at once erase and audit a meeting once', async () => {
    const id = await convene({ title: 'Two sweeps' });
    await post('lead', `/meetings/${id}/schedule`);
    await post('staffA', `/meetings/${id}/reply`, { answer: 'yes', needs: 'RACEMARKER hearing loop' });
    const now = new Date();
    await t.platform.db
      .updateTable('meetings')
      .set({ starts_at: new Date(now.getTime() - 7_200_000), ends_at: new Date(now.getTime() - 60_000) })
      .where('id', '=', id)
      .execute();
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let claimed = () => {};
    const firstClaimed = new Promise<void>((r) => {
      claimed = r;
    });
    // The first sweep erases and holds its transaction open while the second one runs.
    const first = t.platform.db.transaction().execute(async (trx) => {
      const ids = await repo.eraseEndedNeeds(trx, now);
      for (const m of ids) await audit(trx, null, { action: 'meeting.needs_erased', recordType: 'meeting', recordId: m });
      claimed();
      await gate;
      return ids;
    });
    await firstClaimed;
    const second = t.services.meetings.eraseEndedNeeds(now);
    await new Promise((r) => setTimeout(r, 300));
    release();
    expect(await first).toContain(id);
    await second;
    const audits = await t.platform.db.selectFrom('audit_log').select('seq').where('record_id', '=', id).where('action', '=', 'meeting.needs_erased').execute();
    expect(audits.length).toBe(1);
    expect((await t.platform.db.selectFrom('meeting_replies').select('needs').where('meeting_id', '=', id).executeTakeFirstOrThrow()).needs).toBeNull();
  });
});
