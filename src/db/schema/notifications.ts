import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

// Digests and announcements (migrations 2026-12-03T0300-notifications, 2026-12-07T0100-digest-topics).
export const TOPICS = ['members', 'statements', 'meetings', 'library', 'surveys', 'work', 'announcements'] as const;
export type Topic = (typeof TOPICS)[number];
export const FREQUENCIES = ['immediate', 'daily', 'weekly', 'never'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export type DigestKind = 'daily' | 'weekly';
export type AnnouncementAudience = 'everyone' | 'network' | 'participants';

export interface NotificationPreferencesTable {
  person_id: string;
  topic: Topic;
  frequency: Frequency;
}

export interface DigestStateTable {
  person_id: string;
  keep_when_inactive: Generated<boolean>;
  last_daily_at: Timestamp | null;
  last_weekly_at: Timestamp | null;
}

export interface DigestRunsTable {
  kind: DigestKind;
  period: string;
  started_at: Generated<Timestamp>;
  people: number | null;
}

export interface AnnouncementsTable {
  id: Generated<string>;
  title: string;
  body: string;
  audience: AnnouncementAudience;
  created_by: string | null;
  created_at: CreatedAt;
  fanned_out_to: string | null;
  fanned_out_at: Timestamp | null;
}

export interface NotificationsTables {
  notification_preferences: NotificationPreferencesTable;
  digest_state: DigestStateTable;
  digest_runs: DigestRunsTable;
  announcements: AnnouncementsTable;
}

// The same migration gives bulk mail its one-click unsubscribe (platform/mail/mail.ts).
declare module '../schema.ts' {
  interface MailMessagesTable {
    unsubscribe_url: Generated<string | null>;
  }
}
