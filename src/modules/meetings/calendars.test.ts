import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import ICAL from 'ical.js';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, auditCount, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, type TestPerson, text } from '../../../test/helpers.ts';
import { insertMeeting } from '../../../test/meetings-fixture.ts';
import { sha256 } from '../../platform/crypto.ts';
import { invitationIcs } from './ical.ts';
import { findMeeting } from './access.repository.ts';
import { discreetAmong } from './calendars.repository.ts';

/**
 * Issue 14, item 10: the personal feed behind a capability URL (made, renewed, revoked,
 * discreet), what it holds for whom, the public feed, and the .ics that mail carries.
 */
let t: TestApp;
const DAY = 86_400_000;
let orgA: string;
let orgB: string;
let memberA: TestPerson;
let memberB: TestPerson;
let agentA: Agent;
const ids: Record<string, string> = {};
const uids: Record<string, string> = {};
const ONLINE = 'https://meet.example.org/room-31337';

async function meetingNamed(name: string, row: Parameters<typeof insertMeeting>[1]) {
  ids[name] = await insertMeeting(t.platform.db, { title: `Meeting ${name}`, online_url: ONLINE, ...row });
  const m = await findMeeting(t.platform.db, ids[name] as string);
  uids[name] = m?.uid as string;
}

function feedUrlIn(html: string): string {
  const url = /<code class="secret" dir="ltr">(http[^<]+\.ics)<\/code>/.exec(html)?.[1];
  expect(url, 'the page shows the feed address').toBeTruthy();
  return new URL(url as string).pathname;
}

async function fetchFeed(path: string) {
  return t.app.inject({ method: 'GET', url: path });
}

function eventsOf(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return cal.getAllSubcomponents('vevent').map((e) => ({ uid: String(e.getFirstPropertyValue('uid')), summary: String(e.getFirstPropertyValue('summary')), status: String(e.getFirstPropertyValue('status')), sequence: Number(e.getFirstPropertyValue('sequence')), component: e }));
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = (await createOrganisation(t)).id;
  orgB = (await createOrganisation(t)).id;
  memberA = await createPerson(t, 'member', { organisationId: orgA });
  memberB = await createPerson(t, 'member', { organisationId: orgB });
  agentA = new Agent(t);
  await agentA.signIn(memberA);
  const soon = (days: number) => new Date(Date.now() + days * DAY);
  const b = { organisation_id: orgB, created_by: memberB.id };
  await meetingNamed('network', { ...b, audience: 'network', starts_at: soon(5), place: 'Friends House, London' });
  await meetingNamed('orgB', { ...b, audience: 'organisations', starts_at: soon(6) });
  await t.platform.db.insertInto('meeting_organisations').values({ meeting_id: ids.orgB as string, organisation_id: orgB }).execute();
  await meetingNamed('draft', { ...b, audience: 'network', state: 'draft', scheduled_at: null, starts_at: soon(7) });
  await meetingNamed('cancelledRecently', { ...b, audience: 'network', state: 'cancelled', cancelled_at: new Date(Date.now() - 5 * DAY), starts_at: soon(8) });
  await meetingNamed('cancelledLongAgo', { ...b, audience: 'network', state: 'cancelled', cancelled_at: new Date(Date.now() - 40 * DAY), starts_at: soon(9) });
  await meetingNamed('public', { ...b, audience: 'organisations', listed_publicly: true, starts_at: soon(10), place: 'Conway Hall' });
  await t.platform.db.insertInto('meeting_organisations').values({ meeting_id: ids.public as string, organisation_id: orgB }).execute();
  await meetingNamed('farAhead', { ...b, audience: 'network', starts_at: soon(400) });
  await meetingNamed('longPast', { ...b, audience: 'network', starts_at: new Date(Date.now() - 45 * DAY) });
  await meetingNamed('arabic', { ...b, audience: 'network', starts_at: soon(12), title: 'اجتماع الأعضاء الفصلي بشأن الإنذار المبكر بالفظائع الجماعية في السودان', time_zone: 'Africa/Khartoum' });
});
afterAll(async () => t.close());

describe('a personal calendar feed', () => {
  let feed = '';

  it('is made on the settings page, shown once, and only its SHA-256 is kept', async () => {
    const page = await agentA.get('/calendar');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('You have no calendar feed.');
    const before = await auditCount(t);
    const res = await postForm(t, agentA, '/calendar/feed', {});
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    expect(text(res.body)).toContain('it is shown only once');
    feed = feedUrlIn(res.body);
    const token = /\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(feed)?.[1] as string;
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const row = await t.platform.db.selectFrom('calendar_feeds').selectAll().where('person_id', '=', memberA.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await auditCount(t)).toBe(before + 1);
    // Back on the page later, the address is not shown again.
    const again = await agentA.get('/calendar');
    expect(again.body).not.toContain(token);
    expect(text(again.body)).toContain('Off: titles and places in the feed');
  });

  it('holds what its owner may see, cancelled ones for 30 days, and nothing else', async () => {
    const res = await fetchFeed(feed);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(res.body).toContain('\r\nMETHOD:PUBLISH\r\n');
    const events = eventsOf(res.body);
    const seen = new Set(events.map((e) => e.uid));
    expect(seen.has(uids.network as string)).toBe(true);
    expect(seen.has(uids.arabic as string)).toBe(true);
    expect(events.find((e) => e.uid === uids.cancelledRecently)?.status).toBe('CANCELLED');
    for (const hidden of ['orgB', 'draft', 'cancelledLongAgo', 'public', 'farAhead', 'longPast']) expect(seen.has(uids[hidden] as string), hidden).toBe(false);
    expect(res.body).not.toContain(ONLINE);
    expect(res.body).not.toMatch(/^(ATTENDEE|ORGANIZER)/m);
    expect(res.body).not.toContain(memberB.identifier);
    expect(res.body).not.toContain(memberA.identifier);
    for (const line of res.body.replace(/\r\n /g, '').split('\r\n').filter((l) => !l.startsWith('UID:'))) expect(line).not.toContain('@');
    for (const line of res.body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const network = events.find((e) => e.uid === uids.network);
    expect(network?.component.getFirstPropertyValue('url')).toBe(`http://localhost:3000/meetings/${ids.network}`);
  });

  it('follows its owner’s memberships on every fetch', async () => {
    await t.platform.db.insertInto('memberships').values({ person_id: memberA.id, organisation_id: orgB, role: 'staff' }).execute();
    expect(eventsOf((await fetchFeed(feed)).body).some((e) => e.uid === uids.orgB)).toBe(true);
    await t.platform.db.deleteFrom('memberships').where('person_id', '=', memberA.id).where('organisation_id', '=', orgB).execute();
    expect(eventsOf((await fetchFeed(feed)).body).some((e) => e.uid === uids.orgB)).toBe(false);
  });

  it('keeps the UID and raises SEQUENCE over ten edits', async () => {
    const id = ids.network as string;
    let last = -1;
    for (let edit = 1; edit <= 10; edit++) {
      const m = await findMeeting(t.platform.db, id);
      if (!m) throw new Error('the meeting is gone');
      // Whole minutes, as the meeting form sets them (iCalendar times have no milliseconds).
      const starts = new Date(Math.floor(m.starts_at.getTime() / 60_000) * 60_000 + 30 * 60_000);
      await t.platform.db
        .updateTable('meetings')
        .set({ starts_at: starts, ends_at: new Date(starts.getTime() + 3_600_000), sequence: m.sequence + 1, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
      const e = eventsOf((await fetchFeed(feed)).body).find((x) => x.uid === uids.network);
      expect(e, `edit ${edit}`).toBeDefined();
      expect(e?.sequence).toBeGreaterThan(last);
      expect(new ICAL.Event(e?.component).startDate.toJSDate().getTime()).toBe(starts.getTime());
      last = e?.sequence ?? -1;
    }
    expect(last).toBe(10);
  });

  it('turns discreet: generic titles, no place, description or link, at the same address', async () => {
    const res = await postForm(t, agentA, '/calendar/feed/discreet', { discreet: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/calendar?done=calendarsDiscreetSaved');
    const body = (await fetchFeed(feed)).body;
    const events = eventsOf(body);
    expect(events.length).toBeGreaterThan(1);
    for (const e of events) {
      expect(e.summary).toBe('Northstar meeting');
      expect(e.component.getFirstProperty('location')).toBeNull();
      expect(e.component.getFirstProperty('description')).toBeNull();
    }
    expect(body).not.toContain('Meeting network');
    expect(body).not.toContain('Friends House');
    expect(body).not.toContain('اجتماع الأعضاء');
    expect(text((await agentA.get('/calendar')).body)).toContain('On: generic titles, details behind sign-in');
    // Invitation mails can follow the same choice (meetings.notices.ts).
    expect([...(await discreetAmong(t.platform.db, [memberA.id, memberB.id]))]).toEqual([memberA.id]);
  });

  it('refuses a bad setting with its message, and changes nothing', async () => {
    const before = await t.platform.db.selectFrom('calendar_feeds').selectAll().where('person_id', '=', memberA.id).executeTakeFirstOrThrow();
    const audits = await auditCount(t);
    const res = await postForm(t, agentA, '/calendar/feed/discreet', { discreet: 'maybe' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Choose one of the options.');
    const after = await t.platform.db.selectFrom('calendar_feeds').selectAll().where('person_id', '=', memberA.id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect(await auditCount(t)).toBe(audits);
    // Someone with no feed cannot set one discreet.
    const other = new Agent(t);
    await other.signIn(memberB);
    const none = await postForm(t, other, '/calendar/feed/discreet', { discreet: 'yes' });
    expect(none.statusCode).toBe(400);
    expect(text(none.body)).toContain('You have no calendar feed yet: make one first.');
    expect(await t.platform.db.selectFrom('calendar_feeds').select('person_id').where('person_id', '=', memberB.id).executeTakeFirst()).toBeUndefined();
  });

  it('renewed, the old address answers 404 at once and the new one works', async () => {
    const res = await postForm(t, agentA, '/calendar/feed', { discreet: 'yes' });
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Your feed has a new address.');
    const renewed = feedUrlIn(res.body);
    expect(renewed).not.toBe(feed);
    expect((await fetchFeed(feed)).statusCode).toBe(404);
    expect((await fetchFeed(renewed)).statusCode).toBe(200);
    feed = renewed;
  });

  it('revoked, it answers 404 at once', async () => {
    const audits = await auditCount(t);
    const res = await postForm(t, agentA, '/calendar/feed/revoke', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/calendar?done=calendarsFeedRevoked');
    expect((await fetchFeed(feed)).statusCode).toBe(404);
    expect(await auditCount(t)).toBe(audits + 1);
    expect(text((await agentA.get('/calendar?done=calendarsFeedRevoked')).body)).toContain('Your calendar feed is revoked.');
  });

  it('answers 404 for tokens that open nothing, 400 for what is no token, and 404 for a disabled account', async () => {
    expect((await fetchFeed(`/calendar/${'A'.repeat(43)}.ics`)).statusCode).toBe(404);
    for (const path of ['/calendar/x.ics', `/calendar/${'A'.repeat(200)}.ics`, '/calendar/..%2F..%2Fetc.ics', `/calendar/${'A'.repeat(42)}%00.ics`]) {
      const res = await fetchFeed(path);
      expect([400, 404], path).toContain(res.statusCode);
      expect(res.body, path).not.toContain('BEGIN:VCALENDAR');
    }
    const res = await postForm(t, agentA, '/calendar/feed', {});
    const path = feedUrlIn(res.body);
    expect((await fetchFeed(path)).statusCode).toBe(200);
    await t.platform.db.updateTable('people').set({ status: 'disabled' }).where('id', '=', memberA.id).execute();
    expect((await fetchFeed(path)).statusCode).toBe(404);
    await t.platform.db.updateTable('people').set({ status: 'active' }).where('id', '=', memberA.id).execute();
  });

  it('is for signed-in people: a visitor cannot open the settings or make a feed', async () => {
    const visitor = new Agent(t);
    const page = await visitor.get('/calendar');
    expect(page.statusCode).not.toBe(200);
    const rows = await t.platform.db.selectFrom('calendar_feeds').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await postForm(t, visitor, '/calendar/feed', {});
    // Sent to sign in (303) or refused: never a feed.
    expect([303, 401, 403, 404]).toContain(res.statusCode);
    if (res.statusCode === 303) expect(String(res.headers.location)).toMatch(/^\/sign-in/);
    const after = await t.platform.db.selectFrom('calendar_feeds').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(rows.n));
  });
});

describe('the public feed', () => {
  it('lists publicly listed meetings only, public details only, for anyone', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/meetings/public.ics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toContain('public');
    const events = eventsOf(res.body);
    expect(events.map((e) => e.uid)).toEqual([uids.public]);
    expect(events[0]?.summary).toBe('Meeting public');
    expect(res.body).toContain('Conway Hall');
    expect(res.body).not.toContain(ONLINE);
    expect(res.body).not.toMatch(/^(ATTENDEE|ORGANIZER)/m);
  });
});

// ---- the .ics in mail, through a real SMTP server ----------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('an invitation mail', () => {
  it('reaches the SMTP server with a text/calendar part whose method matches the .ics, then is forgotten', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => {
          raw += c.toString('utf8');
        });
        stream.on('end', () => {
          received.push(raw);
          callback();
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    const app = await buildTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, JOBS: 'true' });
    try {
      const org = (await createOrganisation(app)).id;
      const person = await createPerson(app, 'member', { organisationId: org });
      const id = await insertMeeting(app.platform.db, { organisation_id: org, created_by: person.id, title: 'Invitation test', online_url: ONLINE });
      const meeting = await findMeeting(app.platform.db, id);
      const ics = invitationIcs(meeting as NonNullable<typeof meeting>, { url: `http://localhost:3000/meetings/${id}`, method: 'REQUEST' });
      await app.platform.db.transaction().execute((trx) => app.platform.mailer.queue(trx, { to: 'invitee@example.org', subject: 'Invitation test', text: 'You are invited.', calendar: { method: 'REQUEST', content: ics } }));
      const end = Date.now() + 30_000;
      while (received.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
      const raw = received[0] as string;
      expect(raw, 'the mail arrived').toBeDefined();
      expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
      expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
      // The part's own text (quoted-printable or base64) says METHOD:REQUEST too.
      const part = raw.split(/Content-Type: text\/calendar[^\r\n]*\r\n/i)[1] as string;
      const encoding = /Content-Transfer-Encoding: ([\w-]+)/i.exec(part)?.[1]?.toLowerCase();
      const bodyStart = part.indexOf('\r\n\r\n') + 4;
      const encoded = part.slice(bodyStart).split(/\r\n--/)[0] as string;
      const decoded = encoding === 'base64' ? Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString('utf8') : encoded.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
      expect(decoded).toContain('METHOD:REQUEST');
      expect(decoded).toContain('BEGIN:VEVENT');
      const end2 = Date.now() + 10_000;
      let row = await app.platform.db.selectFrom('mail_messages').selectAll().executeTakeFirstOrThrow();
      while (row.status !== 'sent' && Date.now() < end2) {
        await new Promise((r) => setTimeout(r, 100));
        row = await app.platform.db.selectFrom('mail_messages').selectAll().executeTakeFirstOrThrow();
      }
      expect(row.status).toBe('sent');
      expect(row.calendar_content).toBeNull();
      expect(row.calendar_method).toBeNull();
    } finally {
      await app.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it('is kept with the message in the outbox until sent', async () => {
    const m = await findMeeting(t.platform.db, ids.network as string);
    const ics = invitationIcs(m as NonNullable<typeof m>, { url: 'http://localhost:3000/', method: 'CANCEL' });
    await t.platform.db.transaction().execute((trx) => t.platform.mailer.queue(trx, { to: 'someone@example.org', subject: 'Cancelled', text: 'Off.', calendar: { method: 'CANCEL', content: ics } }));
    const row = await t.platform.db.selectFrom('mail_messages').selectAll().where('subject', '=', 'Cancelled').executeTakeFirstOrThrow();
    expect(row.status).toBe('outbox');
    expect(row.calendar_method).toBe('CANCEL');
    expect(row.calendar_content).toContain('METHOD:CANCEL');
  });
});

describe('review fixes (part I)', () => {
  it('H6: an invitation to someone who chose a discreet calendar carries the discreet .ics; others get the full one', async () => {
    const discreet = await createPerson(t, 'member', { organisationId: orgA });
    const agent = new Agent(t);
    await agent.signIn(discreet);
    expect((await postForm(t, agent, '/calendar/feed', { discreet: 'yes' })).statusCode).toBe(200);
    const organiser = new Agent(t);
    await organiser.signIn(memberB);
    const id = await insertMeeting(t.platform.db, { organisation_id: orgB, created_by: memberB.id, audience: 'network', state: 'draft', scheduled_at: null, title: 'DISCREETMARKER meeting', place: 'A known address', online_url: ONLINE });
    expect((await postForm(t, organiser, `/meetings/${id}/schedule`, {})).statusCode).toBe(303);
    const mailTo = (to: string) => t.platform.db.selectFrom('mail_messages').select(['calendar_content']).where('recipient', '=', to).where('body_text', 'like', `%/meetings/${id}%`).executeTakeFirstOrThrow();
    const hidden = (await mailTo(discreet.identifier)).calendar_content as string;
    expect(eventsOf(hidden)[0]?.summary).toBe('Northstar meeting');
    expect(hidden).not.toContain('DISCREETMARKER');
    expect(hidden).not.toContain('A known address');
    expect(hidden).not.toContain(ONLINE);
    const full = (await mailTo(memberB.identifier)).calendar_content as string;
    expect(eventsOf(full)[0]?.summary).toBe('DISCREETMARKER meeting');
  });

  it('H18: calendars.service.ts keeps no SQL of its own (the feed lock is in the repository)', () => {
    const source = readFileSync(new URL('./calendars.service.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/\.(selectFrom|insertInto|updateTable|deleteFrom|forUpdate)\(/);
  });
});
