import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

// Meetings, the minutes part (migration 2026-12-02T0720-meetings-minutes).
export type MinutesState = 'drafting' | 'circulated' | 'approved';
export type ActionStatus = 'open' | 'in_progress' | 'done' | 'dropped';
export type ActionOwnerState = 'offered' | 'accepted' | 'declined';

export interface MeetingMinutesTable {
  meeting_id: string;
  state: Generated<MinutesState>;
  circulated_at: Timestamp | null;
  approved_at: Timestamp | null;
  approved_by: string | null;
  approved_at_meeting_id: string | null;
  approved_version: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MinuteVersionsTable {
  meeting_id: string;
  number: number;
  body: string;
  author_id: string | null;
  created_at: CreatedAt;
}

export interface MinuteCorrectionsTable {
  id: Generated<string>;
  meeting_id: string;
  version_number: number;
  person_id: string | null;
  body: string;
  answered_in: number | null;
  created_at: CreatedAt;
}

export interface DecisionsTable {
  id: Generated<string>;
  number: Generated<number>;
  meeting_id: string;
  text: string;
  goal_id: string | null;
  search_text: string;
  organisation_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ActionsTable {
  id: Generated<string>;
  number: Generated<number>;
  title: string;
  owner_organisation_id: string;
  owner_person_id: string | null;
  owner_state: ActionOwnerState | null;
  owner_org_state: Generated<ActionOwnerState>;
  owner_org_answered_by: string | null;
  /** A calendar date, YYYY-MM-DD (the driver keeps dates as text). */
  due_on: string | null;
  status: Generated<ActionStatus>;
  meeting_id: string | null;
  decision_id: string | null;
  goal_id: string | null;
  alert_id: string | null;
  statement_id: string | null;
  organisation_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ActionUpdatesTable {
  id: Generated<string>;
  action_id: string;
  status: ActionStatus;
  note: Generated<string>;
  person_id: string | null;
  organisation_id: string | null;
  created_at: CreatedAt;
}

export interface ActionRemindersTable {
  action_id: string;
  kind: 'before' | 'overdue';
  due_on: string;
  sent_at: Generated<Date>;
}

export interface MeetingsMinutesTables {
  meeting_minutes: MeetingMinutesTable;
  minute_versions: MinuteVersionsTable;
  minute_corrections: MinuteCorrectionsTable;
  decisions: DecisionsTable;
  actions: ActionsTable;
  action_updates: ActionUpdatesTable;
  action_reminders: ActionRemindersTable;
}
