import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import type { MeetingRow } from './access.repository.ts';
import { eventJsonLd, isoWithOffset } from './exchange.ts';
import { feedIcs, invitationIcs } from './ical.ts';

/**
 * Issue 14, items 10 and 12: the iCalendar that ical.ts writes, read back by ical.js (a real
 * parser, as calendar clients are), and the schema.org Event read by jsonld.
 */

const ARABIC_TITLE = 'اجتماع الأعضاء الفصلي بشأن الإنذار المبكر بالفظائع الجماعية في السودان وجنوب السودان';

let n = 0;
function meeting(over: Partial<MeetingRow> = {}): MeetingRow {
  n++;
  const starts = new Date(Date.UTC(2026, 9, 20 + n, 17, 0));
  return {
    id: randomUUID(),
    number: n,
    uid: randomUUID(),
    series_id: null,
    kind: 'other',
    state: 'scheduled',
    title: `Members’ meeting ${n}`,
    purpose: 'To agree the response; bring notes, questions and, if you can, a colleague.',
    starts_at: starts,
    ends_at: new Date(starts.getTime() + 2 * 3_600_000),
    time_zone: 'Europe/London',
    place: 'Friends House, 173 Euston Road, London',
    online_url: 'https://meet.example.org/secret-room-4471',
    accessibility: '',
    interpretation: [],
    audience: 'network',
    community_id: null,
    listed_publicly: false,
    chatham_house: false,
    distressing: false,
    capacity: null,
    agenda_days: 7,
    agenda_published_at: null,
    quorum_percent: 50,
    alert_id: null,
    organisation_id: randomUUID(),
    created_by: randomUUID(),
    sequence: 0,
    scheduled_at: new Date(),
    cancelled_at: null,
    needs_erased_at: null,
    created_at: new Date(),
    updated_at: new Date(),
    ...over,
  };
}

const ZONES = ['Europe/London', 'Africa/Khartoum', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Europe/London', 'Africa/Juba', 'UTC', 'Asia/Kolkata', 'Europe/Berlin'];
const urlOf = (m: MeetingRow) => `https://northstar.example/meetings/${m.id}`;

function tenMeetings(): MeetingRow[] {
  return ZONES.map((zone, i) =>
    meeting({
      time_zone: zone,
      title: i % 3 === 0 ? `${ARABIC_TITLE} ${i}` : `Members’ meeting ${i}, with a long enough title to need folding at seventy-five octets`,
      state: i === 4 ? 'cancelled' : 'scheduled',
      cancelled_at: i === 4 ? new Date() : null,
      sequence: i,
    }),
  );
}

/** The raw lines (before unfolding) of an iCalendar text, as bytes. */
function rawLines(ics: string): Buffer[] {
  const bytes = Buffer.from(ics, 'utf8');
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      lines.push(bytes.subarray(start, i));
      start = i + 2;
      i++;
    }
  }
  expect(start, 'the text ends with CRLF').toBe(bytes.length);
  return lines;
}

function parse(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  return cal;
}

describe('the iCalendar feed', () => {
  it('ten meetings in ten zones parse with ical.js, with a VTIMEZONE for every TZID and the right instants', () => {
    const meetings = tenMeetings();
    const ics = feedIcs(meetings, { name: 'Northstar meetings', urlOf, refreshSeconds: 3600 });
    const cal = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(String(cal.getFirstPropertyValue('refresh-interval'))).toBe('PT1H');
    expect(ics).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
    expect(cal.getFirstPropertyValue('x-published-ttl')).toBe('PT1H');
    const events = cal.getAllSubcomponents('vevent');
    expect(events).toHaveLength(10);
    const zonesDefined = new Set(cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')));
    const tzidsUsed = new Set(
      events.flatMap((e) => ['dtstart', 'dtend'].map((p) => e.getFirstProperty(p)?.getParameter('tzid'))).filter((z): z is string => typeof z === 'string'),
    );
    // Every zone but UTC is written with its TZID; UTC as "Z" times, which need no VTIMEZONE.
    expect([...tzidsUsed].sort()).toEqual([...new Set(ZONES.filter((z) => z !== 'UTC'))].sort());
    for (const tzid of tzidsUsed) expect(zonesDefined.has(tzid), `VTIMEZONE for ${tzid}`).toBe(true);
    for (const [i, m] of meetings.entries()) {
      const e = new ICAL.Event(events[i]);
      expect(e.uid).toBe(m.uid);
      expect(e.sequence).toBe(m.sequence);
      expect(e.summary).toBe(m.title);
      expect(e.startDate.toJSDate().getTime(), `start of ${m.time_zone}`).toBe(m.starts_at.getTime());
      expect(e.endDate.toJSDate().getTime()).toBe(m.ends_at.getTime());
      expect(events[i]?.getFirstPropertyValue('url')).toBe(urlOf(m));
      expect(events[i]?.getFirstPropertyValue('status')).toBe(m.state === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
      expect(String(events[i]?.getFirstPropertyValue('dtstamp'))).toMatch(/Z$/);
      expect(e.location).toBe(m.place);
    }
  });

  it('writes wall-clock times in the meeting’s zone, whatever the server’s zone', () => {
    // 18:00 in London in summer (BST) and in winter (GMT): the same wall time on both sides.
    const summer = meeting({ starts_at: new Date('2026-10-22T17:00:00Z'), ends_at: new Date('2026-10-22T19:00:00Z') });
    const winter = meeting({ starts_at: new Date('2026-10-29T18:00:00Z'), ends_at: new Date('2026-10-29T20:00:00Z') });
    const khartoum = meeting({ time_zone: 'Africa/Khartoum', starts_at: new Date('2026-10-29T18:00:00Z'), ends_at: new Date('2026-10-29T20:00:00Z') });
    const ics = feedIcs([summer, winter, khartoum], { name: 'x', urlOf });
    expect(ics).toContain('DTSTART;TZID=Europe/London:20261022T180000\r\n');
    expect(ics).toContain('DTSTART;TZID=Europe/London:20261029T180000\r\n');
    expect(ics).toContain('DTSTART;TZID=Africa/Khartoum:20261029T200000\r\n');
  });

  it('writes an alias zone under its canonical TZID, with that VTIMEZONE', () => {
    const m = meeting({ time_zone: 'Asia/Calcutta', starts_at: new Date('2026-10-29T12:30:00Z'), ends_at: new Date('2026-10-29T13:30:00Z') });
    const ics = feedIcs([m], { name: 'x', urlOf });
    expect(ics).toContain('DTSTART;TZID=Asia/Kolkata:20261029T180000\r\n');
    expect(ics).toContain('TZID:Asia/Kolkata\r\n');
    expect(new ICAL.Event(parse(ics).getFirstSubcomponent('vevent') as ICAL.Component).startDate.toJSDate().getTime()).toBe(m.starts_at.getTime());
  });

  it('folds every line at 75 octets with CRLF, between characters, Arabic included', () => {
    const meetings = tenMeetings();
    const ics = feedIcs(meetings, { name: 'Northstar meetings', urlOf });
    expect(ics).not.toMatch(/[^\r]\n/);
    expect(ics).not.toMatch(/\r[^\n]/);
    const lines = rawLines(ics);
    let folded = 0;
    for (const line of lines) {
      expect(line.length, line.toString('utf8')).toBeLessThanOrEqual(75);
      // A fold inside a multi-byte character would leave bytes that are not UTF-8.
      expect(Buffer.from(line.toString('utf8'), 'utf8').equals(line), `whole characters: ${line.toString('utf8')}`).toBe(true);
      if (line[0] === 0x20) folded++;
    }
    expect(folded).toBeGreaterThan(10);
    // The Arabic title needed several folds, by octets (a 2-byte letter each): more lines than a
    // fold by characters would have made.
    const arabicLines = ics.split('\r\n').filter((l, i, all) => l.startsWith('SUMMARY:اجتماع') || (l.startsWith(' ') && all.slice(0, i).reverse().find((p) => !p.startsWith(' '))?.startsWith('SUMMARY:اجتماع')));
    const octets = Buffer.byteLength(`SUMMARY:${ARABIC_TITLE} 0`, 'utf8');
    expect(arabicLines.length).toBeGreaterThanOrEqual(Math.ceil(octets / 75));
    // Unfolded, the title is whole again.
    expect(new ICAL.Event(parse(ics).getAllSubcomponents('vevent')[0]).summary).toBe(`${ARABIC_TITLE} 0`);
  });

  it('names no one: no ATTENDEE, no ORGANIZER, no address, and feeds never carry the online link', () => {
    const ics = feedIcs(tenMeetings(), { name: 'Northstar meetings', urlOf });
    expect(ics).not.toMatch(/^(ATTENDEE|ORGANIZER)/m);
    expect(ics).not.toContain('meet.example.org');
    // The UID is a bare random UUID: no line at all holds an "@".
    expect(ics.replace(/\r\n /g, '')).not.toContain('@');
  });

  it('a discreet feed has generic titles and no place, description or link', () => {
    const meetings = tenMeetings();
    const ics = feedIcs(meetings, { name: 'Northstar meetings', urlOf, discreet: true, discreetTitle: 'Northstar meeting' });
    const events = parse(ics).getAllSubcomponents('vevent');
    expect(events).toHaveLength(10);
    for (const e of events) {
      expect(e.getFirstPropertyValue('summary')).toBe('Northstar meeting');
      expect(e.getFirstProperty('location')).toBeNull();
      expect(e.getFirstProperty('description')).toBeNull();
    }
    for (const m of meetings) {
      expect(ics).not.toContain(m.title.slice(0, 20));
      expect(ics).not.toContain('Friends House');
    }
  });

  it('ten edits keep the UID and raise SEQUENCE', () => {
    let m = meeting();
    const seen: number[] = [];
    for (let edit = 1; edit <= 10; edit++) {
      const starts = new Date(m.starts_at.getTime() + 3_600_000);
      m = { ...m, starts_at: starts, ends_at: new Date(starts.getTime() + 3_600_000), sequence: m.sequence + 1 };
      const e = new ICAL.Event(parse(feedIcs([m], { name: 'x', urlOf })).getFirstSubcomponent('vevent') as ICAL.Component);
      expect(e.uid).toBe(m.uid);
      expect(e.startDate.toJSDate().getTime()).toBe(starts.getTime());
      seen.push(e.sequence);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('the invitation .ics', () => {
  it('is METHOD:REQUEST with the online link, and CANCEL with STATUS:CANCELLED, naming no one', () => {
    const m = meeting({ sequence: 3 });
    const request = invitationIcs(m, { url: urlOf(m), method: 'REQUEST' });
    const cal = parse(request);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    const e = cal.getFirstSubcomponent('vevent') as ICAL.Component;
    expect(e.getFirstPropertyValue('uid')).toBe(m.uid);
    expect(e.getFirstPropertyValue('sequence')).toBe(3);
    expect(e.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(String(e.getFirstPropertyValue('description'))).toContain('https://meet.example.org/secret-room-4471');
    const cancel = parse(invitationIcs(m, { url: urlOf(m), method: 'CANCEL' }));
    expect(cancel.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancel.getFirstSubcomponent('vevent')?.getFirstPropertyValue('status')).toBe('CANCELLED');
    for (const ics of [request, invitationIcs(m, { url: urlOf(m), method: 'CANCEL' })]) expect(ics).not.toMatch(/^(ATTENDEE|ORGANIZER)/m);
    const discreet = invitationIcs(m, { url: urlOf(m), method: 'REQUEST', discreet: true });
    expect(discreet).not.toContain('meet.example.org');
    expect(discreet).toContain('SUMMARY:Northstar meeting\r\n');
  });
});

/** The schema.org context, served locally (no network in tests), as advocacy's tests do. */
const documentLoader = async (url: string) => {
  if (url.replace(/\/$/, '') === 'https://schema.org' || url.startsWith('https://schema.org/'))
    return { contextUrl: undefined, documentUrl: url, document: { '@context': { '@vocab': 'https://schema.org/', id: '@id', type: '@type' } } };
  throw new Error(`no network in tests: ${url}`);
};
const S = 'https://schema.org/';

describe('schema.org Event JSON-LD', () => {
  it('expands to an Event with its status, attendance mode, offset dates and organiser, without the online link', async () => {
    const m = meeting({ starts_at: new Date('2026-10-29T18:00:00Z'), ends_at: new Date('2026-10-29T20:00:00Z'), time_zone: 'Africa/Khartoum' });
    const text = eventJsonLd(m, { url: urlOf(m), organiserName: 'Protection Approaches' });
    expect(text).not.toContain('meet.example.org');
    expect(text).not.toContain('</');
    const [event] = (await jsonld.expand(JSON.parse(text), { documentLoader: documentLoader as never })) as Record<string, { '@value'?: unknown; '@id'?: string }[]>[];
    expect(event?.['@type']).toEqual([`${S}Event`]);
    expect(event?.[`${S}eventStatus`]?.[0]?.['@value'] ?? event?.[`${S}eventStatus`]?.[0]?.['@id']).toBe(`${S}EventScheduled`);
    expect(event?.[`${S}eventAttendanceMode`]?.[0]?.['@value'] ?? event?.[`${S}eventAttendanceMode`]?.[0]?.['@id']).toBe(`${S}MixedEventAttendanceMode`);
    expect(event?.[`${S}startDate`]?.[0]?.['@value']).toBe('2026-10-29T20:00:00+02:00');
    const organizer = event?.[`${S}organizer`]?.[0] as unknown as Record<string, { '@value': string }[]>;
    expect(organizer[`${S}name`]?.[0]?.['@value']).toBe('Protection Approaches');
    const locations = event?.[`${S}location`] as unknown as Record<string, unknown>[];
    expect(locations.map((l) => l['@type'])).toEqual([[`${S}Place`], [`${S}VirtualLocation`]]);
    for (const l of locations) expect(l[`${S}url`]).toBeUndefined();

    const cancelledOnline = meeting({ state: 'cancelled', place: null });
    const data = JSON.parse(eventJsonLd(cancelledOnline, { url: urlOf(cancelledOnline), organiserName: 'X' }));
    expect(data.eventStatus).toBe(`${S}EventCancelled`);
    expect(data.eventAttendanceMode).toBe(`${S}OnlineEventAttendanceMode`);
    expect(data.location).toEqual({ '@type': 'VirtualLocation' });
    const inPerson = JSON.parse(eventJsonLd(meeting({ online_url: null }), { url: 'https://x/', organiserName: 'X' }));
    expect(inPerson.eventAttendanceMode).toBe(`${S}OfflineEventAttendanceMode`);
  });

  it('gives London times with +01:00 in summer and +00:00 in winter', () => {
    expect(isoWithOffset(new Date('2026-10-22T17:00:00Z'), 'Europe/London')).toBe('2026-10-22T18:00:00+01:00');
    expect(isoWithOffset(new Date('2026-10-29T18:00:00Z'), 'Europe/London')).toBe('2026-10-29T18:00:00+00:00');
    expect(isoWithOffset(new Date('2026-10-29T18:00:00Z'), 'America/New_York')).toBe('2026-10-29T14:00:00-04:00');
  });
});
