import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

// Meetings, the calendars part (migration 2026-12-02T0740-meetings-calendars).

export interface CalendarFeedsTable {
  person_id: string;
  /** SHA-256 (hex) of the feed's token; the token itself is shown once and never stored. */
  token_hash: string;
  /** Generic titles, no place, description or link: the details are behind sign-in. */
  discreet: Generated<boolean>;
  created_at: CreatedAt;
  renewed_at: Timestamp;
}

export interface MeetingsCalendarsTables {
  calendar_feeds: CalendarFeedsTable;
}

// The same migration gives mail an optional text/calendar part (platform/mail/mail.ts).
declare module '../schema.ts' {
  interface MailMessagesTable {
    calendar_method: 'REQUEST' | 'CANCEL' | null;
    calendar_content: string | null;
  }
}
