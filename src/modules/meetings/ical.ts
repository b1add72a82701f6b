import { TZDate } from '@date-fns/tz';
import ical, { escape as escapeText, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { tzlib_get_ical_block, tzlib_get_offset } from 'timezones-ical-library';
import { instantToZoned, offsetMinutes } from '../../platform/timezones.ts';
import type { MeetingRow } from './access.repository.ts';

/**
 * iCalendar (RFC 5545) for meetings, written by ical-generator rather than by hand:
 * - every TZID used has its VTIMEZONE, from timezones-ical-library (the current tz database as
 *   VTIMEZONE components; @touch4it/ical-timezones was tried first and still had South Sudan
 *   on +03, which it left in 2021). An alias is written under its canonical name. Where the
 *   library's rules and the runtime's tz database disagree at the meeting's start or end (the
 *   runtime's is what the meeting was entered with), or the zone is unknown to it, the event is
 *   written in UTC instead: a TZID whose VTIMEZONE gives another offset would move the meeting;
 * - times are handed over as `TZDate`s: ical-generator reads a plain Date's wall-clock fields
 *   in the *server's* zone when an event has a TZID, which would be wrong anywhere but UTC;
 * - the UID is the meeting's random `uid` (never its id or number, never changed), SEQUENCE is
 *   `meetings.sequence` (raised by the meetings service on every change of time, place or
 *   status), a cancelled meeting is STATUS:CANCELLED;
 * - no ORGANIZER and no ATTENDEE, so no address or name of a person is ever in a calendar;
 * - lines are folded at 75 octets (ical-generator counts UTF-8 bytes, so Arabic titles fold
 *   between characters, never inside one; ical.test.ts checks that) and end in CRLF.
 */

export const DISCREET_TITLE = 'Northstar meeting';
const PRODID = { company: 'Northstar', product: 'Northstar meetings', language: 'EN' } as const;

interface EventOptions {
  url: string;
  discreet: boolean;
  discreetTitle: string;
  /** Invitations to invitees only: feeds are fetched and kept by third-party servers. */
  withOnlineLink: boolean;
  now: Date;
}

/** Zone name → its VTIMEZONE and canonical TZID, or null (unknown to the library, or UTC). */
const vtimezones = new Map<string, { tzid: string; component: string } | null>();
function vtimezoneOf(zone: string): { tzid: string; component: string } | null {
  let found = vtimezones.get(zone);
  if (found === undefined) {
    const block = zone === 'UTC' || zone === 'Etc/UTC' ? '' : tzlib_get_ical_block(zone);
    found = Array.isArray(block) && typeof block[0] === 'string' && typeof block[1] === 'string' ? { component: block[0], tzid: block[1].replace(/^TZID=/, '') } : null;
    vtimezones.set(zone, found);
    if (found) vtimezones.set(found.tzid, found);
  }
  return found;
}

/** The VTIMEZONE generator ical-generator calls for every TZID it writes. */
function generator(tzid: string): string | null {
  return vtimezoneOf(tzid)?.component ?? null;
}

/** "+0100" → 60 */
function libraryOffset(text: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
}

/** The library's offset for the wall time the runtime gives an instant, against the runtime's. */
function agreesAt(zone: string, instant: Date): boolean {
  const [date, time] = instantToZoned(instant, zone).split('T') as [string, string];
  return libraryOffset(tzlib_get_offset(zone, date, time.slice(0, 5))) === offsetMinutes(instant, zone);
}

const DAY_MS = 86_400_000;
// Asking the library costs about a millisecond, too much for each event of a 500-event feed, so
// a zone is checked once a year at weekly points (cached for the process), which catches any
// disagreement lasting a week or more; an instant within 8 days of one of the runtime's changes
// of offset (where a shorter one could hide) is checked on its own.
const zoneYears = new Map<string, boolean>();
const instants = new Map<string, boolean>();

function zoneYearAgrees(zone: string, year: number): boolean {
  const key = `${zone} ${year}`;
  let ok = zoneYears.get(key);
  if (ok === undefined) {
    ok = true;
    for (let at = Date.UTC(year, 0, 1, 12); ok && at < Date.UTC(year + 1, 0, 1); at += 7 * DAY_MS) ok = agreesAt(zone, new Date(at));
    zoneYears.set(key, ok);
  }
  return ok;
}

function agrees(zone: string, instant: Date): boolean {
  const t = instant.getTime();
  const offset = offsetMinutes(instant, zone);
  const nearChange = offsetMinutes(new Date(t - 8 * DAY_MS), zone) !== offset || offsetMinutes(new Date(t + 8 * DAY_MS), zone) !== offset;
  if (!nearChange) return zoneYearAgrees(zone, instant.getUTCFullYear());
  const key = `${zone} ${t}`;
  let ok = instants.get(key);
  if (ok === undefined) {
    ok = agreesAt(zone, instant);
    if (instants.size > 10_000) instants.clear();
    instants.set(key, ok);
  }
  return ok;
}

/** The TZID to write a meeting's times in, or null for UTC. */
function tzidFor(meeting: MeetingRow): string | null {
  const found = vtimezoneOf(meeting.time_zone);
  if (!found) return null;
  return agrees(found.tzid, meeting.starts_at) && agrees(found.tzid, meeting.ends_at) ? found.tzid : null;
}

function eventOf(meeting: MeetingRow, opts: EventOptions) {
  const zone = tzidFor(meeting);
  const at = (d: Date) => (zone ? new TZDate(d.getTime(), zone) : new Date(d.getTime()));
  const online = opts.withOnlineLink && !opts.discreet ? meeting.online_url : null;
  const location = opts.discreet ? null : (meeting.place ?? online ?? null);
  const description = opts.discreet ? null : [meeting.purpose, online && meeting.place ? online : null].filter(Boolean).join('\n\n') || null;
  return {
    id: meeting.uid,
    sequence: meeting.sequence,
    stamp: opts.now,
    lastModified: meeting.updated_at,
    start: at(meeting.starts_at),
    end: at(meeting.ends_at),
    timezone: zone,
    summary: opts.discreet ? opts.discreetTitle : meeting.title,
    description,
    location,
    url: opts.url,
    status: meeting.state === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
}

/** RFC 5545 ends every content line with CRLF, the last one too (the library stops short). */
function withFinalCrlf(text: string): string {
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/**
 * The .ics attached to an invitation, change or cancellation mail (RFC 5546 iTIP): METHOD:REQUEST,
 * or CANCEL with STATUS:CANCELLED. It carries the online link (the mail goes to an invitee
 * only) unless discreet.
 */
export function invitationIcs(
  meeting: MeetingRow,
  opts: { url: string; method: 'REQUEST' | 'CANCEL'; discreet?: boolean; discreetTitle?: string; now?: Date },
): string {
  const cancel = opts.method === 'CANCEL';
  const event = eventOf(cancel ? { ...meeting, state: 'cancelled' } : meeting, {
    url: opts.url,
    discreet: opts.discreet === true,
    discreetTitle: opts.discreetTitle ?? DISCREET_TITLE,
    withOnlineLink: !cancel,
    now: opts.now ?? new Date(),
  });
  const calendar = ical({
    prodId: PRODID,
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // name null: no TIMEZONE-ID for the calendar, so DTSTAMP stays in UTC as RFC 5545 requires.
    timezone: { name: null, generator },
    events: [event],
  });
  return withFinalCrlf(calendar.toString());
}

export interface FeedOptions {
  name: string;
  /** The meeting page's address, for URL. */
  urlOf: (meeting: MeetingRow) => string;
  discreet?: boolean;
  discreetTitle?: string;
  /** How often clients should fetch it again (REFRESH-INTERVAL, X-PUBLISHED-TTL), in seconds. */
  refreshSeconds?: number;
  now?: Date;
}

/**
 * A subscribed calendar (METHOD:PUBLISH): a personal feed or the public one. Never the online
 * link: a feed is fetched by calendar services and cached far from the person it is for.
 */
export function feedIcs(meetings: readonly MeetingRow[], opts: FeedOptions): string {
  const now = opts.now ?? new Date();
  const calendar = ical({
    prodId: PRODID,
    method: ICalCalendarMethod.PUBLISH,
    // ical-generator writes the calendar's name as given; its events' texts it escapes itself.
    name: escapeText(opts.name, false),
    timezone: { name: null, generator },
    ttl: opts.refreshSeconds ?? 3600,
    events: meetings.map((m) =>
      eventOf(m, { url: opts.urlOf(m), discreet: opts.discreet === true, discreetTitle: opts.discreetTitle ?? DISCREET_TITLE, withOnlineLink: false, now }),
    ),
  });
  return withFinalCrlf(calendar.toString());
}
