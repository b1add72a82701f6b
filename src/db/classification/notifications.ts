import type { DataClass } from '../data-classification.ts';

/** Digests and announcements: see data-classification.ts for what each class means. */
export const NOTIFICATIONS_CLASSIFICATION: Record<string, DataClass> = {
  'notification_preferences.person_id': 'operational',
  // what a person chose to hear about
  'notification_preferences.topic': 'personal',
  'notification_preferences.frequency': 'personal',
  'digest_state.person_id': 'operational',
  'digest_state.keep_when_inactive': 'personal',
  'digest_state.last_daily_at': 'operational',
  'digest_state.last_weekly_at': 'operational',
  'digest_runs.kind': 'operational',
  'digest_runs.period': 'operational',
  'digest_runs.started_at': 'operational',
  'digest_runs.people': 'operational',
  'announcements.id': 'operational',
  'announcements.title': 'content',
  'announcements.body': 'content',
  'announcements.audience': 'operational',
  'announcements.created_by': 'operational',
  'announcements.created_at': 'operational',
  'announcements.fanned_out_to': 'operational',
  'announcements.fanned_out_at': 'operational',
  // a capability URL for one person's one-click unsubscribe
  'mail_messages.unsubscribe_url': 'secret',
};
