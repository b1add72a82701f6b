import type { DataClass } from '../data-classification.ts';

/** Meetings, the calendars part: see data-classification.ts for what each class means. */
export const MEETINGS_CALENDARS_CLASSIFICATION: Record<string, DataClass> = {
  'calendar_feeds.person_id': 'operational',
  // A hash of a capability: whoever could reverse it could read a person's meetings.
  'calendar_feeds.token_hash': 'secret',
  'calendar_feeds.discreet': 'operational',
  'calendar_feeds.created_at': 'operational',
  'calendar_feeds.renewed_at': 'operational',
  // An invitation's .ics: the meeting's details (and online link) for its recipient, like the body.
  'mail_messages.calendar_method': 'operational',
  'mail_messages.calendar_content': 'secret',
};
