import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Platform } from '../../platform/context.ts';
import { DEFAULT_LOCALE, isSupportedLocale, translator } from '../../platform/i18n.ts';
import type { OutgoingMail } from '../../platform/mail/mail.ts';
import { zonedDateTime } from '../../views/format.ts';
import { lockMeeting, type MeetingRow } from './access.repository.ts';
import { discreetAmong } from './calendars.repository.ts';
import { invitationIcs } from './ical.ts';
import { inviteesOf, timeZonesOf } from './meetings.repository.ts';

/**
 * `uninvited`: the meeting goes on, but no longer for them (an organisation or audience changed):
 * they are told what they knew of it (`as`: the meeting before the change) and nothing new, not
 * its place, link or new time.
 */
export type MeetingNoticeKind = 'invitation' | 'changed' | 'cancelled' | 'uninvited';

/** A time as a mail says it: in the reader's language, in one zone, weekday and month spelt out. */
export function mailTime(locale: string, date: Date, timeZone: string): string {
  return zonedDateTime(locale, date, timeZone, true);
}

/**
 * Tells everyone a meeting invites that it was scheduled, changed or cancelled, each in their
 * language and with its time in the meeting's zone and their own (if they set one that
 * differs), and an .ics for their calendar: subscribed feeds refresh only every 12–24 hours,
 * so the mail is how a change reaches them in time. A draft tells nobody. Call inside the
 * transaction of the write that causes it (the mails leave only if it commits).
 */
export async function queueMeetingNotice(
  p: Platform,
  trx: Transaction<DB>,
  meetingId: string,
  kind: MeetingNoticeKind,
  /** Tell these people only (an edit that invites some and no longer others); `uninvited` needs it. */
  only?: { id: string; email: string | null; locale: string | null }[],
  /** The meeting as the people told knew it (`uninvited`), with the sequence of the change. */
  as?: MeetingRow,
): Promise<void> {
  const current = await lockMeeting(trx, meetingId);
  if (!current || current.state === 'draft') return;
  if (kind === 'uninvited' && (!only || !as)) return;
  const meeting = kind === 'uninvited' && as ? as : current;
  const people = (only ?? (await inviteesOf(trx, meeting))).filter((x) => x.email);
  if (people.length === 0) return;
  const zones = await timeZonesOf(
    trx,
    people.map((x) => x.id),
  );
  const url = new URL(`/meetings/${meeting.id}`, p.config.publicUrl).href;
  // For someone no longer invited the meeting is, in their calendar, as good as cancelled.
  const method = kind === 'cancelled' || kind === 'uninvited' ? 'CANCEL' : 'REQUEST';
  // One calendar object for everyone: it names no one (RFC 5545 done right, part E). Those who
  // chose a discreet calendar get the discreet one, as in their feed: mail clients put the .ics
  // into the same calendar that others may see on their phone.
  const calendar = { method, content: invitationIcs(meeting, { url, method }) } as const;
  const discreet = await discreetAmong(
    trx,
    people.map((x) => x.id),
  );
  const discreetCalendars = new Map<string, { method: typeof method; content: string }>();
  const discreetCalendar = (locale: string, title: string) => {
    let found = discreetCalendars.get(locale);
    if (!found) {
      found = { method, content: invitationIcs(meeting, { url, method, discreet: true, discreetTitle: title }) };
      discreetCalendars.set(locale, found);
    }
    return found;
  };
  const mails: OutgoingMail[] = people.map((person) => {
    const locale = isSupportedLocale(person.locale) ? person.locale : DEFAULT_LOCALE;
    const t = translator(locale);
    const own = zones.get(person.id);
    const values = {
      title: meeting.title,
      starts: mailTime(locale, meeting.starts_at, meeting.time_zone),
      ends: mailTime(locale, meeting.ends_at, meeting.time_zone),
      url,
    };
    // Someone no longer invited learns nothing new: no place, no link, no time in their zone.
    const told = kind !== 'uninvited';
    const yours = told && own && own !== meeting.time_zone ? `\n${t('meetings.mail.yourTime', { starts: mailTime(locale, meeting.starts_at, own), zone: own })}` : '';
    const where = told
      ? [meeting.place ? t('meetings.mail.place', { place: meeting.place }) : '', meeting.online_url ? t('meetings.mail.online', { link: meeting.online_url }) : ''].filter(Boolean).join('\n')
      : '';
    return {
      to: person.email as string,
      subject: t(`meetings.mail.${kind}.subject`, values),
      text: `${t(`meetings.mail.${kind}.body`, values)}${yours}${where ? `\n${where}` : ''}\n\n${t(kind === 'uninvited' ? 'meetings.mail.footerUninvited' : 'meetings.mail.footer', { url })}`,
      calendar: discreet.has(person.id) ? discreetCalendar(locale, t('calendars.discreetTitle')) : calendar,
    };
  });
  await p.mailer.queueMany(trx, mails);
}
