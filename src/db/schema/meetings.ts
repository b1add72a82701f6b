import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

// Meetings, the core (migration 2026-12-02T0700-meetings).
export type MeetingKind = 'agm' | 'goal_setting' | 'ad_hoc' | 'expert_briefing' | 'social' | 'other';
export type MeetingState = 'draft' | 'scheduled' | 'cancelled';
export type MeetingAudience = 'network' | 'members' | 'organisations' | 'associates' | 'community';
export type ReplyAnswer = 'yes' | 'no' | 'maybe';
export type RoleState = 'invited' | 'accepted' | 'declined';

export interface MeetingSeriesTable {
  id: Generated<string>;
  title: string;
  organisation_id: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface MeetingsTable {
  id: Generated<string>;
  number: Generated<number>;
  uid: string;
  series_id: string | null;
  kind: MeetingKind;
  state: Generated<MeetingState>;
  title: string;
  purpose: Generated<string>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  time_zone: Generated<string>;
  place: string | null;
  online_url: string | null;
  accessibility: Generated<string>;
  interpretation: Generated<string[]>;
  audience: MeetingAudience;
  community_id: string | null;
  listed_publicly: Generated<boolean>;
  chatham_house: Generated<boolean>;
  distressing: Generated<boolean>;
  capacity: number | null;
  agenda_days: Generated<number>;
  agenda_published_at: Timestamp | null;
  quorum_percent: Generated<number>;
  alert_id: string | null;
  organisation_id: string;
  created_by: string | null;
  sequence: Generated<number>;
  scheduled_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  needs_erased_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MeetingOrganisationsTable {
  meeting_id: string;
  organisation_id: string;
  source: Generated<'named' | 'subscribed' | 'suggested'>;
  invited_by: string | null;
  created_at: CreatedAt;
}

export interface MeetingRolesTable {
  meeting_id: string;
  person_id: string;
  role: 'chair' | 'minute_taker';
  organisation_id: string | null;
  state: Generated<RoleState>;
  invited_by: string | null;
  created_at: CreatedAt;
  answered_at: Timestamp | null;
}

export interface MeetingRepliesTable {
  meeting_id: string;
  person_id: string;
  answer: ReplyAnswer | null;
  organisation_id: string | null;
  needs: string | null;
  named_in_minutes: Generated<boolean>;
  checked_in_at: Timestamp | null;
  checked_in_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MeetingPreferencesTable {
  person_id: string;
  time_zone: string;
  updated_at: Timestamp;
}

export interface MeetingsTables {
  meeting_series: MeetingSeriesTable;
  meetings: MeetingsTable;
  meeting_organisations: MeetingOrganisationsTable;
  meeting_roles: MeetingRolesTable;
  meeting_replies: MeetingRepliesTable;
  meeting_preferences: MeetingPreferencesTable;
}
