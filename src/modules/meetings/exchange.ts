import { scriptJson } from '../../platform/publishing.ts';
import { offsetMinutes } from '../../platform/timezones.ts';
import type { MeetingRow } from './access.repository.ts';

/**
 * What the meetings module publishes for other software about a publicly listed meeting:
 * schema.org `Event` JSON-LD for the public meeting page. Public details only: the online link
 * is never in it (only invitees see that), nor who comes.
 */

/** An instant as ISO 8601 with the meeting's own offset ("2026-10-29T18:00:00+00:00"). */
export function isoWithOffset(date: Date, timeZone: string): string {
  const offset = offsetMinutes(date, timeZone);
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function eventJsonLdObject(meeting: MeetingRow, opts: { url: string; organiserName: string }): Record<string, unknown> {
  const online = !!meeting.online_url;
  const inPerson = !!meeting.place;
  const mode = online && inPerson ? 'MixedEventAttendanceMode' : online ? 'OnlineEventAttendanceMode' : 'OfflineEventAttendanceMode';
  // The link itself is for invitees: a VirtualLocation says only that the meeting is online.
  const locations = [...(inPerson ? [{ '@type': 'Place', name: meeting.place }] : []), ...(online ? [{ '@type': 'VirtualLocation' }] : [])];
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    '@id': opts.url,
    url: opts.url,
    name: meeting.title,
    ...(meeting.purpose ? { description: meeting.purpose } : {}),
    startDate: isoWithOffset(meeting.starts_at, meeting.time_zone),
    endDate: isoWithOffset(meeting.ends_at, meeting.time_zone),
    eventStatus: `https://schema.org/${meeting.state === 'cancelled' ? 'EventCancelled' : 'EventScheduled'}`,
    eventAttendanceMode: `https://schema.org/${mode}`,
    ...(locations.length === 1 ? { location: locations[0] } : locations.length > 1 ? { location: locations } : {}),
    ...(meeting.capacity ? { maximumAttendeeCapacity: meeting.capacity } : {}),
    organizer: { '@type': 'Organization', name: opts.organiserName },
  };
}


/** The text of a <script type="application/ld+json"> for the public meeting page. */
export function eventJsonLd(meeting: MeetingRow, opts: { url: string; organiserName: string }): string {
  return scriptJson(eventJsonLdObject(meeting, opts));
}
