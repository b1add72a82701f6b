import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMeeting } from '../../../test/meetings-fixture.ts';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';
import { translator } from '../../platform/i18n.ts';
import { instantToZoned } from '../../platform/timezones.ts';
import { insertAlert, insertAlertSigns } from '../warnings/alerts.repository.ts';

/**
 * Issue 14, items 3 and 4: a co-created agenda (proposed by anyone invited, decided on by the
 * chairs, published a set number of days before), convening an ad hoc meeting from an alert
 * in two requests, and the time poll whose chosen slot moves the meeting and tells everyone.
 */
const en = translator('en');
let t: TestApp;
const org: Record<'conv' | 'sub' | 'dir' | 'other', { id: string; name: string }> = {} as never;
const who: Record<string, { agent: Agent; id: string; email: string }> = {};
let alertId = '';
let convened = '';

const page = async (name: string, url: string) => {
  const res = await (who[name] as { agent: Agent }).agent.get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body), location: res.headers.location };
};
const post = (name: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, (who[name] as { agent: Agent }).agent, url, form);
const id = (name: string) => (who[name] as { id: string }).id;
const db = () => t.platform.db;
const DAY = 86_400_000;
/** A wall-clock time in London, `days` from now, as the form's datetime-local sends it. */
const london = (days: number, hhmm = '10:00') => `${instantToZoned(new Date(Date.now() + days * DAY), 'Europe/London').slice(0, 10)}T${hhmm}`;
const items = (meetingId: string) => db().selectFrom('agenda_items').selectAll().where('meeting_id', '=', meetingId).orderBy('created_at').execute();
const meetingRow = (meetingId: string) => db().selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow();
const meetingCount = async () => Number((await db().selectFrom('meetings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const mailsTo = (email: string) => db().selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', email).execute();

beforeAll(async () => {
  t = await buildTestApp();
  const names = { conv: 'Convening Org', sub: 'Subscribed Org', dir: 'Directory Org', other: 'Unrelated Org' } as const;
  for (const [k, name] of Object.entries(names) as [keyof typeof names, string][]) org[k] = { id: (await createOrganisation(t, name)).id, name };
  await db().updateTable('organisations').set({ countries: ['SDN'] }).where('id', '=', org.dir.id).execute();
  await db().updateTable('organisations').set({ countries: ['KEN'] }).where('id', '=', org.other.id).execute();
  const people: [string, 'org_admin' | 'member' | 'participant' | 'associate', keyof typeof org | undefined][] = [
    ['chair', 'org_admin', 'conv'],
    ['subStaff', 'member', 'sub'],
    ['dirStaff', 'member', 'dir'],
    ['otherStaff', 'member', 'other'],
    ['participant', 'participant', undefined],
    ['associate', 'associate', undefined],
  ];
  for (const [name, role, o] of people) {
    const person = await createPerson(t, role, o ? { organisationId: org[o].id } : {});
    const agent = new Agent(t);
    await agent.signIn(person);
    who[name] = { agent, id: person.id, email: person.identifier };
  }
  // Staff of the subscribed organisation follow alerts on Sudan by name; Unrelated Org's follow Kenya.
  await db().insertInto('alert_subscriptions').values({ person_id: id('subStaff'), countries: ['SDN'], factor_codes: [], min_severity: 'moderate' }).execute();
  await db().insertInto('alert_subscriptions').values({ person_id: id('otherStaff'), countries: ['KEN'], factor_codes: [], min_severity: 'moderate' }).execute();
  const framework = await t.services.signs.currentFramework();
  alertId = await db()
    .transaction()
    .execute(async (trx) => {
      const sign = await trx
        .insertInto('warning_signs')
        .values({
          organisation_id: org.conv.id,
          reported_by: id('chair'),
          country: 'SDN',
          observed_on: '2026-11-20',
          reported_on: '2026-11-21',
          framework_id: framework.id,
          factor_codes: [],
          indicator_codes: [],
          description: 'Militia massing outside the camp',
          confidence: 'high',
          sensitivity: 'network',
          language: 'en',
          updated_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const a = await insertAlert(trx, { organisation_id: org.conv.id, proposed_by: id('chair'), country: 'SDN', severity: 'high', summary: 'Attack on the camp feared', actions: ['ad_hoc_meeting'], deadline: null, sensitivity: 'network' });
      await insertAlertSigns(trx, a, [sign.id]);
      // Confirmed, as a second organisation would: a proposed alert convenes nobody (tested below).
      await trx.updateTable('alerts').set({ status: 'active', confirmed_at: new Date() }).where('id', '=', a).execute();
      await trx.insertInto('meeting_requests').values({ alert_id: a, organisation_id: org.sub.id, requested_by: id('subStaff'), purpose: 'Coordinate a response this week' }).execute();
      return a;
    });
});
afterAll(async () => t?.close());

const conveneForm = (over: Record<string, string | string[]> = {}) => ({
  alert: alertId,
  title: 'Ad hoc: the camp',
  startsAt: london(3, '10:00'),
  endsAt: london(3, '11:30'),
  timeZone: 'Europe/London',
  organisations: [org.sub.id],
  ...over,
});

describe('convening from an alert', () => {
  it('the alert page offers to convene to those who may, and the form is prefilled', async () => {
    const alertPage = await page('chair', `/alerts/${alertId}`);
    expect(alertPage.body).toContain(`/meetings/convene?alert=${alertId}`);
    expect(alertPage.text).toContain(en('agenda.conveneFromAlert'));
    const form = await page('chair', `/meetings/convene?alert=${alertId}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Attack on the camp feared');
    // Subscribed: ticked, and says why; from the directory: offered, not ticked; the rest: absent.
    expect(form.body).toMatch(new RegExp(`value="${org.sub.id}" checked`));
    expect(form.body).toContain(`value="${org.dir.id}"`);
    expect(form.body).not.toMatch(new RegExp(`value="${org.dir.id}" checked`));
    expect(form.body).not.toContain(org.other.id);
    expect(form.text).toContain(`Subscribed Org (${en('agenda.whySubscribed', { country: 'Sudan' })})`);
    expect(form.text).toContain(`Directory Org (${en('agenda.whyDirectory', { country: 'Sudan' })})`);
    // The open request for a meeting shows, and the title comes from the alert.
    expect(form.text).toContain('Coordinate a response this week');
    expect(form.body).toContain('value="Ad hoc meeting on alert');
  });

  it('bad input is refused with its message and creates nothing', async () => {
    const before = await meetingCount();
    const backwards = await post('chair', '/meetings/convene', conveneForm({ endsAt: london(3, '09:00') }));
    expect(backwards.statusCode).toBe(400);
    expect(text(backwards.body)).toContain(en('errors.agendaEndBeforeStart'));
    expect(backwards.body).toContain('value="Ad hoc: the camp"');
    const zone = await post('chair', '/meetings/convene', conveneForm({ timeZone: 'Mars/Olympus_Mons' }));
    expect(zone.statusCode).toBe(400);
    expect(text(zone.body)).toContain(en('errors.agendaTimeZone'));
    const oneSlot = await post('chair', '/meetings/convene', conveneForm({ slots: [london(4)] }));
    expect(oneSlot.statusCode).toBe(400);
    expect(text(oneSlot.body)).toContain(en('errors.pollSlots', { min: 2, max: 5 }));
    // An organisation the form did not offer cannot be slipped in.
    const foreign = await post('chair', '/meetings/convene', conveneForm({ organisations: [org.other.id] }));
    expect(foreign.statusCode).toBe(400);
    expect(await meetingCount()).toBe(before);
  });

  it('an alert the reader may not see, or a reader who may not convene: 404, nothing made', async () => {
    const before = await meetingCount();
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await page('chair', `/meetings/convene?alert=${unknown}`)).status).toBe(404);
    expect((await post('chair', '/meetings/convene', conveneForm({ alert: unknown }))).statusCode).toBe(404);
    for (const name of ['participant', 'associate']) {
      expect((await page(name, `/meetings/convene?alert=${alertId}`)).status).toBe(404);
      expect((await post(name, '/meetings/convene', conveneForm())).statusCode).toBe(404);
    }
    expect(await meetingCount()).toBe(before);
  });

  it('an alert only proposed (not yet confirmed) convenes nobody: no link, a clear refusal, nothing made or mailed', async () => {
    const proposed = await t.platform.db.transaction().execute((trx) =>
      insertAlert(trx, { organisation_id: org.conv.id, proposed_by: id('chair'), country: 'SDN', severity: 'high', summary: 'Unconfirmed report', actions: ['ad_hoc_meeting'], deadline: null, sensitivity: 'network' }),
    );
    const before = { meetings: await meetingCount(), mails: Number((await t.platform.db.selectFrom('mail_messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n) };
    expect((await page('chair', `/alerts/${proposed}`)).body).not.toContain(`/meetings/convene?alert=${proposed}`);
    const form = await page('chair', `/meetings/convene?alert=${proposed}`);
    expect(form.status).toBe(400);
    expect(form.text).toContain(en('errors.agendaAlertUnconfirmed'));
    expect((await post('chair', '/meetings/convene', conveneForm({ alert: proposed, slots: [london(4), london(5)] }))).statusCode).toBe(400);
    expect(await meetingCount()).toBe(before.meetings);
    expect(Number((await t.platform.db.selectFrom('mail_messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before.mails);
  });

  it('from the alert to a draft meeting in two requests: subscribed invited, directory only suggested', async () => {
    const form = await page('chair', `/meetings/convene?alert=${alertId}`);
    expect(form.status).toBe(200);
    const res = await post('chair', '/meetings/convene', conveneForm());
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/meetings\/[0-9a-f-]{36}\?done=agendaConvened$/);
    convened = location.split('?')[0]?.split('/').pop() as string;
    const m = await meetingRow(convened);
    expect(m).toMatchObject({ kind: 'ad_hoc', state: 'draft', audience: 'organisations', alert_id: alertId, organisation_id: org.conv.id, created_by: id('chair'), time_zone: 'Europe/London' });
    expect(instantToZoned(m.starts_at, 'Europe/London')).toBe(london(3, '10:00'));
    const invited = await db().selectFrom('meeting_organisations').select(['organisation_id', 'source']).where('meeting_id', '=', convened).orderBy('organisation_id').execute();
    expect(new Map(invited.map((r) => [r.organisation_id, r.source]))).toEqual(
      new Map([
        [org.conv.id, 'named'],
        [org.sub.id, 'subscribed'],
      ]),
    );
    const chair = await db().selectFrom('meeting_roles').selectAll().where('meeting_id', '=', convened).execute();
    expect(chair).toHaveLength(1);
    expect(chair[0]).toMatchObject({ person_id: id('chair'), role: 'chair', state: 'accepted' });
    const [first, ...rest] = await items(convened);
    expect(rest).toHaveLength(0);
    expect(first).toMatchObject({ kind: 'alert', alert_id: alertId, state: 'accepted', position: 1 });
    const requests = await db().selectFrom('meeting_requests').select('status').where('alert_id', '=', alertId).execute();
    expect(requests.map((r) => r.status)).toEqual(['scheduled']);
    // The agenda shows the alert with the sign the chair may see.
    const agenda = await page('chair', `/meetings/${convened}/agenda`);
    expect(agenda.status).toBe(200);
    expect(agenda.text).toContain(en('agenda.alertItem', { number: (await db().selectFrom('alerts').select('number').where('id', '=', alertId).executeTakeFirstOrThrow()).number }));
    expect(agenda.text).toContain('Militia massing outside the camp');
    // A draft: the invited organisation's staff do not see it yet.
    expect((await page('subStaff', `/meetings/${convened}/agenda`)).status).toBe(404);
  });
});

describe('the co-created agenda', () => {
  let meeting = '';
  beforeAll(async () => {
    // Scheduled, for Convening Org and Subscribed Org, two hours long, a fortnight away; the
    // agenda is published seven days before.
    meeting = await insertMeeting(db(), { organisation_id: org.conv.id, created_by: id('chair'), audience: 'organisations', starts_at: new Date(Date.now() + 14 * DAY), agenda_days: 7 });
    await db()
      .insertInto('meeting_organisations')
      .values([
        { meeting_id: meeting, organisation_id: org.conv.id, source: 'named' },
        { meeting_id: meeting, organisation_id: org.sub.id, source: 'named' },
      ])
      .execute();
  });

  it('anyone invited proposes; before publication they see only their own, and when it comes out', async () => {
    const res = await post('subStaff', `/meetings/${meeting}/agenda/items`, { title: 'Funding for shelters', why: 'Winter is coming', minutes: '20' });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toContain('done=agendaProposed');
    const [item] = await items(meeting);
    expect(item).toMatchObject({ title: 'Funding for shelters', minutes: 20, state: 'proposed', organisation_id: org.sub.id, proposed_by: id('subStaff') });
    const mine = await page('subStaff', `/meetings/${meeting}/agenda`);
    expect(mine.text).toContain('Funding for shelters');
    expect(mine.text).toContain(en('agenda.state.proposed'));
    expect(mine.text).toContain('The agenda will be published on');
    // The chair's own item, accepted, is not shown to invitees before publication.
    await post('chair', `/meetings/${meeting}/agenda/items`, { title: 'Chair’s update', minutes: '10' });
    const chairItem = (await items(meeting)).find((i) => i.title === 'Chair’s update');
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${chairItem?.id}/accept`, {})).statusCode).toBe(303);
    expect((await page('subStaff', `/meetings/${meeting}/agenda`)).text).not.toContain('Chair’s update');
  });

  it('bad proposals are refused with their message and change nothing', async () => {
    const before = (await items(meeting)).length;
    const noMinutes = await post('subStaff', `/meetings/${meeting}/agenda/items`, { title: 'Something', minutes: 'lots' });
    expect(noMinutes.statusCode).toBe(400);
    expect(text(noMinutes.body)).toContain(en('errors.agendaMinutes'));
    expect(noMinutes.body).toContain('value="Something"');
    const tooLong = await post('subStaff', `/meetings/${meeting}/agenda/items`, { title: 'Something', minutes: '900' });
    expect(tooLong.statusCode).toBe(400);
    const noTitle = await post('subStaff', `/meetings/${meeting}/agenda/items`, { minutes: '10' });
    expect(noTitle.statusCode).toBe(400);
    expect((await items(meeting)).length).toBe(before);
  });

  it('someone not invited gets 404 for the agenda and every POST, and nothing changes', async () => {
    const [item] = await items(meeting);
    const before = JSON.stringify(await items(meeting));
    for (const name of ['otherStaff', 'participant', 'associate', 'dirStaff']) {
      expect((await page(name, `/meetings/${meeting}/agenda`)).status, name).toBe(404);
      expect((await post(name, `/meetings/${meeting}/agenda/items`, { title: 'Sneaky', minutes: '5' })).statusCode, name).toBe(404);
      for (const [verb, form] of [
        ['accept', {}],
        ['decline', { reason: 'No' }],
        ['move', { direction: 'up' }],
        ['time', { minutes: '5' }],
      ] as const) {
        expect((await post(name, `/meetings/${meeting}/agenda/items/${item?.id}/${verb}`, form)).statusCode, `${name} ${verb}`).toBe(404);
      }
      expect((await post(name, `/meetings/${meeting}/agenda/publish`)).statusCode, name).toBe(404);
      expect((await page(name, `/meetings/${meeting}/poll`)).status, name).toBe(404);
    }
    expect(JSON.stringify(await items(meeting))).toBe(before);
  });

  it('an invitee who is not a chair cannot accept, decline, order, time-box or publish', async () => {
    const [item] = await items(meeting);
    for (const [verb, form] of [
      ['accept', {}],
      ['decline', { reason: 'No' }],
      ['move', { direction: 'down' }],
      ['time', { minutes: '5' }],
    ] as const) {
      expect((await post('subStaff', `/meetings/${meeting}/agenda/items/${item?.id}/${verb}`, form)).statusCode, verb).toBe(404);
    }
    expect((await post('subStaff', `/meetings/${meeting}/agenda/publish`)).statusCode).toBe(404);
    expect((await items(meeting))[0]).toMatchObject({ state: 'proposed', position: null });
    expect((await meetingRow(meeting)).agenda_published_at).toBeNull();
    // An item of another meeting cannot be reached through this one.
    const elsewhere = (await items(convened))[0];
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${elsewhere?.id}/decline`, { reason: 'x' })).statusCode).toBe(404);
  });

  it('the chair accepts, declines with a reason, orders and time-boxes; the proposer sees the outcome', async () => {
    await post('subStaff', `/meetings/${meeting}/agenda/items`, { title: 'Off-topic idea', minutes: '15' });
    await post('subStaff', `/meetings/${meeting}/agenda/items`, { title: 'Security briefing', minutes: '30' });
    const byTitle = async (title: string) => (await items(meeting)).find((i) => i.title === title);
    const shelters = await byTitle('Funding for shelters');
    const offTopic = await byTitle('Off-topic idea');
    const security = await byTitle('Security briefing');
    // A decline needs its reason.
    const bare = await post('chair', `/meetings/${meeting}/agenda/items/${offTopic?.id}/decline`, {});
    expect(bare.statusCode).toBe(400);
    expect(text(bare.body)).toContain(en('errors.agendaReason'));
    expect((await byTitle('Off-topic idea'))?.state).toBe('proposed');
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${offTopic?.id}/decline`, { reason: 'Better for the AGM' })).statusCode).toBe(303);
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${shelters?.id}/accept`, { minutes: '25' })).statusCode).toBe(303);
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${security?.id}/accept`, {})).statusCode).toBe(303);
    const order = async () => (await items(meeting)).filter((i) => i.state === 'accepted').sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((i) => i.title);
    expect(await order()).toEqual(['Chair’s update', 'Funding for shelters', 'Security briefing']);
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${security?.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect(await order()).toEqual(['Chair’s update', 'Security briefing', 'Funding for shelters']);
    // Moving the first item up changes nothing (and is no error).
    const first = await byTitle('Chair’s update');
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${first?.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect(await order()).toEqual(['Chair’s update', 'Security briefing', 'Funding for shelters']);
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${security?.id}/time`, { minutes: '100' })).statusCode).toBe(303);
    expect((await byTitle('Security briefing'))?.minutes).toBe(100);
    expect((await byTitle('Funding for shelters'))?.minutes).toBe(25);
    // 10 + 100 + 25 = 135 minutes in a 120-minute meeting: the chair is warned.
    const chairView = await page('chair', `/meetings/${meeting}/agenda`);
    expect(chairView.text).toContain(en('agenda.total', { total: 135, length: 120 }));
    expect(chairView.text).toContain(en('agenda.overTime', { over: 15 }));
    // The proposer sees what became of each of theirs, and why one was declined.
    const proposer = await page('subStaff', `/meetings/${meeting}/agenda`);
    expect(proposer.text).toContain(en('agenda.state.declined'));
    expect(proposer.text).toContain('Better for the AGM');
    expect(proposer.text).toContain(en('agenda.state.accepted'));
  });

  it('publishing closes proposals: a late one gets errors.agendaClosed and nothing changes', async () => {
    expect((await post('chair', `/meetings/${meeting}/agenda/publish`)).statusCode).toBe(303);
    expect((await meetingRow(meeting)).agenda_published_at).not.toBeNull();
    const published = await page('subStaff', `/meetings/${meeting}/agenda`);
    expect(published.text).toContain(en('agenda.publishedNote'));
    // Invitees now see the accepted items in order, not the declined one of someone else's.
    expect(published.text.indexOf('Security briefing')).toBeLessThan(published.text.indexOf('Funding for shelters'));
    expect(published.text).toContain('Chair’s update');
    const before = (await items(meeting)).length;
    const late = await post('subStaff', `/meetings/${meeting}/agenda/items`, { title: 'Too late', minutes: '5' });
    expect(late.statusCode).toBe(400);
    expect(text(late.body)).toContain(en('errors.agendaClosed'));
    expect((await items(meeting)).length).toBe(before);
  });

  it('the agenda closes by itself agenda_days before the start', async () => {
    const soon = await insertMeeting(db(), { organisation_id: org.conv.id, created_by: id('chair'), audience: 'network', starts_at: new Date(Date.now() + 3 * DAY), agenda_days: 7 });
    const late = await post('subStaff', `/meetings/${soon}/agenda/items`, { title: 'Too late', minutes: '5' });
    expect(late.statusCode).toBe(400);
    expect(text(late.body)).toContain(en('errors.agendaClosed'));
    expect(await items(soon)).toHaveLength(0);
    // A meeting further off still takes proposals from anyone it invites (here: the network).
    const later = await insertMeeting(db(), { organisation_id: org.conv.id, created_by: id('chair'), audience: 'network', starts_at: new Date(Date.now() + 30 * DAY), agenda_days: 7 });
    expect((await post('associate', `/meetings/${later}/agenda/items`, { title: 'From an associate', minutes: '5' })).statusCode).toBe(303);
    expect((await items(later))[0]).toMatchObject({ organisation_id: null, proposed_by: id('associate') });
  });
});

describe('the time poll', () => {
  it('needs two to five slots: one or six are refused with the message, and nothing is made', async () => {
    const one = await post('chair', `/meetings/${convened}/poll`, { slots: [london(5)] });
    expect(one.statusCode).toBe(400);
    expect(text(one.body)).toContain(en('errors.pollSlots', { min: 2, max: 5 }));
    const six = await post('chair', `/meetings/${convened}/poll`, { slots: [5, 6, 7, 8, 9, 10].map((d) => london(d)) });
    expect(six.statusCode).toBe(400);
    expect(text(six.body)).toContain(en('errors.pollSlots', { min: 2, max: 5 }));
    expect(await db().selectFrom('meeting_polls').selectAll().where('meeting_id', '=', convened).execute()).toHaveLength(0);
    // Only an organiser opens a poll (the invited staff do not even see the draft).
    expect((await post('subStaff', `/meetings/${convened}/poll`, { slots: [london(5), london(6)] })).statusCode).toBe(404);
  });

  it('invitees mark the slots they can make, in the meeting zone and their own; the chair picks one', async () => {
    expect((await post('chair', `/meetings/${convened}/poll`, { slots: [london(5, '10:00'), london(6, '14:00'), london(7, '09:30')] })).statusCode).toBe(303);
    const slots = await db().selectFrom('meeting_poll_slots').selectAll().where('meeting_id', '=', convened).orderBy('starts_at').execute();
    expect(slots).toHaveLength(3);
    // A draft tells nobody of itself, but those it will invite are asked to answer the poll.
    const asked = await mailsTo(who.subStaff?.email as string);
    expect(asked.some((m) => m.body_text.includes(`http://localhost:3000/meetings/${convened}/poll`))).toBe(true);
    expect((await mailsTo(who.otherStaff?.email as string)).some((m) => m.body_text.includes(convened))).toBe(false);
    // Each slot is as long as the meeting (90 minutes).
    expect(slots.every((s) => s.ends_at.getTime() - s.starts_at.getTime() === 90 * 60_000)).toBe(true);
    // The invited organisation's staff see the draft's poll (and only that); others do not.
    await db().insertInto('meeting_preferences').values({ person_id: id('subStaff'), time_zone: 'Africa/Khartoum', updated_at: new Date() }).execute();
    const poll = await page('subStaff', `/meetings/${convened}/poll`);
    expect(poll.status).toBe(200);
    expect(poll.text).toContain('Europe/London');
    expect(poll.text).toContain(en('agenda.pollYourTime', { time: '' }).trim());
    expect((await page('subStaff', `/meetings/${convened}`)).status).toBe(404);
    expect((await page('otherStaff', `/meetings/${convened}/poll`)).status).toBe(404);
    expect((await post('otherStaff', `/meetings/${convened}/poll/marks`, { canMake: [slots[0]?.id as string] })).statusCode).toBe(404);
    expect((await post('subStaff', `/meetings/${convened}/poll/marks`, { canMake: [slots[1]?.id as string, slots[2]?.id as string] })).statusCode).toBe(303);
    const marks = await db().selectFrom('meeting_poll_marks').selectAll().where('person_id', '=', id('subStaff')).execute();
    expect(new Map(marks.map((k) => [k.slot_id, k.can_make]))).toEqual(
      new Map([
        [slots[0]?.id, false],
        [slots[1]?.id, true],
        [slots[2]?.id, true],
      ]),
    );
    // A slot of no poll of this meeting is refused.
    expect((await post('subStaff', `/meetings/${convened}/poll/marks`, { canMake: ['00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(400);
    // Not a chair: cannot pick.
    expect((await post('subStaff', `/meetings/${convened}/poll/pick`, { slot: slots[1]?.id as string, schedule: 'yes' })).statusCode).toBe(404);
    // Convened from an alert, it has no place yet: scheduling it would invite people to nowhere.
    const nowhere = await post('chair', `/meetings/${convened}/poll/pick`, { slot: slots[1]?.id as string, schedule: 'yes' });
    expect(nowhere.statusCode).toBe(400);
    expect(text(nowhere.body)).toContain(en('errors.meetingScheduleWhere'));
    expect((await meetingRow(convened)).state).toBe('draft');
    // The chair gives it a place (the edit form's work, tested in meetings-core.test.ts; a
    // place given when convening is tested below).
    await db().updateTable('meetings').set({ place: 'Room 4, 1 Example Street' }).where('id', '=', convened).execute();
    const before = await meetingRow(convened);
    const mailBefore = (await mailsTo(who.subStaff?.email as string)).length;
    const picked = await post('chair', `/meetings/${convened}/poll/pick`, { slot: slots[1]?.id as string, schedule: 'yes' });
    expect(picked.statusCode).toBe(303);
    const after = await meetingRow(convened);
    expect(after.starts_at.getTime()).toBe(slots[1]?.starts_at.getTime());
    expect(after.ends_at.getTime()).toBe(slots[1]?.ends_at.getTime());
    expect(after.sequence).toBe(before.sequence + 1);
    expect(after.state).toBe('scheduled');
    // Everyone invited is told (part A's notice), the invited organisation's staff included.
    expect((await mailsTo(who.subStaff?.email as string)).length).toBeGreaterThan(mailBefore);
    // The poll is closed: no more answers, no second pick.
    const lateMark = await post('subStaff', `/meetings/${convened}/poll/marks`, { canMake: [slots[0]?.id as string] });
    expect(lateMark.statusCode).toBe(400);
    expect(text(lateMark.body)).toContain(en('errors.pollClosed'));
    expect((await post('chair', `/meetings/${convened}/poll/pick`, { slot: slots[0]?.id as string })).statusCode).toBe(400);
    expect((await meetingRow(convened)).starts_at.getTime()).toBe(slots[1]?.starts_at.getTime());
    // Scheduled now, a day's notice for the agenda: the invited staff see it and may still propose.
    expect(after.agenda_days).toBe(1);
    expect((await page('subStaff', `/meetings/${convened}/agenda`)).status).toBe(200);
    expect((await post('subStaff', `/meetings/${convened}/agenda/items`, { title: 'Evacuation routes', minutes: '15' })).statusCode).toBe(303);
  });

  it('a place or link given when convening is kept, and the pick can schedule at once; a bad link is refused with its message', async () => {
    const bad = await post('chair', '/meetings/convene', conveneForm({ title: 'Convened with a bad link', onlineUrl: 'http://meet.example.org/x', slots: [london(8), london(9)] }));
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain(en('errors.meetingOnlineUrl'));
    expect(bad.body).toContain('value="Convened with a bad link"');
    const res = await post('chair', '/meetings/convene', conveneForm({ title: 'Convened with its room', place: 'Room 9, 1 Example Street', slots: [london(8), london(9)] }));
    expect(res.statusCode).toBe(303);
    const draft = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    expect((await meetingRow(draft)).place).toBe('Room 9, 1 Example Street');
    const slot = (await db().selectFrom('meeting_poll_slots').select('id').where('meeting_id', '=', draft).orderBy('starts_at').executeTakeFirstOrThrow()).id;
    expect((await post('chair', `/meetings/${draft}/poll/pick`, { slot, schedule: 'yes' })).statusCode).toBe(303);
    expect((await meetingRow(draft)).state).toBe('scheduled');
  });

  it('H16: a time picked without scheduling tells those who marked the poll, without a calendar file yet', async () => {
    const res = await post('chair', '/meetings/convene', conveneForm({ title: 'Picked, not yet scheduled', slots: [london(8, '10:00'), london(9, '15:00')] }));
    expect(res.statusCode).toBe(303);
    const draft = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    const slots = await db().selectFrom('meeting_poll_slots').selectAll().where('meeting_id', '=', draft).orderBy('starts_at').execute();
    expect(slots).toHaveLength(2);
    expect((await post('subStaff', `/meetings/${draft}/poll/marks`, { canMake: [slots[1]?.id as string] })).statusCode).toBe(303);
    const subject = en('meetings.mail.timeChosen.subject', { title: 'Picked, not yet scheduled' });
    expect((await post('chair', `/meetings/${draft}/poll/pick`, { slot: slots[1]?.id as string })).statusCode).toBe(303);
    expect((await meetingRow(draft)).state).toBe('draft');
    const told = await db().selectFrom('mail_messages').select(['recipient', 'body_text', 'calendar_method']).where('subject', '=', subject).execute();
    expect(told.map((m) => m.recipient)).toEqual([who.subStaff?.email]);
    expect(told[0]?.calendar_method).toBeNull();
    expect(told[0]?.body_text).toContain('15:00');
    // The poll's address, not the draft's (which a voter cannot open), and nothing of its place.
    expect(told[0]?.body_text).toContain(`/meetings/${draft}/poll`);
    expect(told[0]?.body_text).not.toContain(`/meetings/${draft}\n`);
    // Those who did not take part hear nothing of a draft.
    expect((await mailsTo(who.otherStaff?.email as string)).some((m) => m.subject === subject)).toBe(false);
  });

  it('a poll can be opened only on a draft', async () => {
    const res = await post('chair', `/meetings/${convened}/poll`, { slots: [london(8), london(9)] });
    expect(res.statusCode).toBe(400);
  });

  it('convening with slots opens the poll in the same step', async () => {
    const res = await post('chair', '/meetings/convene', conveneForm({ title: 'With a poll', slots: [london(4, '09:00'), london(4, '15:00')] }));
    expect(res.statusCode).toBe(303);
    const meetingId = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    expect(await db().selectFrom('meeting_poll_slots').selectAll().where('meeting_id', '=', meetingId).execute()).toHaveLength(2);
  });
});

describe('fuzzed input on every route of the agenda part', () => {
  it('odd values, arrays, huge and control characters: never a 500, and nothing changes', async () => {
    const meeting = await insertMeeting(db(), { organisation_id: org.conv.id, created_by: id('chair'), audience: 'network', starts_at: new Date(Date.now() + 30 * DAY), agenda_days: 7 });
    await post('chair', `/meetings/${meeting}/agenda/items`, { title: 'Fuzz target', minutes: '10' });
    const item = (await items(meeting))[0]?.id as string;
    // Accepted already: an empty form (all a fuzzed value may clean down to) accepts nothing more.
    expect((await post('chair', `/meetings/${meeting}/agenda/items/${item}/accept`, {})).statusCode).toBe(303);
    const values = ['', ' ', '-1', '0', '99999999', 'NaN', '1e3', 'x'.repeat(20_000), '\u0000\u0007', '<script>', '2026-02-30T25:61', '../../etc', '00000000-0000-0000-0000-000000000000'];
    const fields = ['title', 'why', 'minutes', 'reason', 'direction', 'slot', 'slots', 'canMake', 'schedule', 'alert', 'startsAt', 'endsAt', 'timeZone', 'organisations', 'actingFor', 'extra'];
    const routes = [
      `/meetings/${meeting}/agenda/items`,
      ...['accept', 'decline', 'move', 'time'].map((v) => `/meetings/${meeting}/agenda/items/${item}/${v}`),
      `/meetings/${meeting}/poll`,
      `/meetings/${meeting}/poll/marks`,
      `/meetings/${meeting}/poll/pick`,
      '/meetings/convene',
    ];
    const snapshot = async () => JSON.stringify([await items(meeting), await meetingRow(meeting), await meetingCount(), await db().selectFrom('meeting_polls').selectAll().execute()]);
    const before = await snapshot();
    let n = 0;
    for (const url of routes) {
      for (const field of fields) {
        // Any reason that is not blank is a reason: that pair is a valid decline, not a fuzz.
        if (url.endsWith('/decline') && field === 'reason') continue;
        for (const value of values.filter((_, i) => (i + n) % 3 === 0)) {
          n++;
          const res = await post('chair', url, { [field]: [value, value] });
          expect(res.statusCode, `${url} ${field}`).toBeLessThan(500);
          const single = await post('chair', url, { [field]: value });
          expect(single.statusCode, `${url} ${field}=${value.slice(0, 20)}`).toBeLessThan(500);
        }
      }
    }
    // Only a valid form changes anything: none of the above was one.
    expect(await snapshot()).toBe(before);
  }, 300_000);
});
