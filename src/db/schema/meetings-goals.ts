import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

// Meetings, the goals part (migration 2026-12-02T0730-meetings-goals).
export type LeadState = 'invited' | 'accepted' | 'declined';
export type BallotKind = 'open' | 'secret';
export type MotionState = 'draft' | 'open' | 'closed';
export type VoteChoice = 'for' | 'against' | 'abstain';

export interface GoalsTable {
  id: Generated<string>;
  number: Generated<number>;
  year: number;
  title: string;
  success: Generated<string>;
  meeting_id: string | null;
  organisation_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface GoalLeadsTable {
  goal_id: string;
  organisation_id: string;
  state: Generated<LeadState>;
  invited_by: string | null;
  answered_by: string | null;
  created_at: CreatedAt;
  answered_at: Timestamp | null;
}

export interface GoalUpdatesTable {
  id: Generated<string>;
  goal_id: string;
  organisation_id: string;
  author_id: string | null;
  body: string;
  created_at: CreatedAt;
}

export interface GoalMeetingsTable {
  goal_id: string;
  meeting_id: string;
  linked_by: string | null;
  created_at: CreatedAt;
}

export interface GoalStatementsTable {
  goal_id: string;
  statement_id: string;
  linked_by: string | null;
  created_at: CreatedAt;
}

export interface MotionsTable {
  id: Generated<string>;
  number: Generated<number>;
  meeting_id: string;
  text: string;
  ballot: BallotKind;
  state: Generated<MotionState>;
  organisation_id: string | null;
  proposed_by: string | null;
  opened_at: Timestamp | null;
  opened_by: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  eligible_at_open: number | null;
  present_at_open: number | null;
  quorum_at_open: boolean | null;
  eligible: number | null;
  present: number | null;
  quorum_met: boolean | null;
  carried: boolean | null;
  created_at: CreatedAt;
}

export interface MotionVotersTable {
  id: Generated<string>;
  motion_id: string;
  organisation_id: string;
  person_id: string | null;
  voted_at: Generated<Timestamp>;
}

export interface MotionTalliesTable {
  motion_id: string;
  choice: VoteChoice;
  count: Generated<number>;
}

export interface MotionOpenVotesTable {
  motion_id: string;
  ballot: Generated<'open'>;
  organisation_id: string;
  choice: VoteChoice;
}

export interface MeetingDelegatesTable {
  meeting_id: string;
  organisation_id: string;
  person_id: string;
  state: Generated<LeadState>;
  named_by: string | null;
  created_at: CreatedAt;
  answered_at: Timestamp | null;
}

export interface SupportVersionsTable {
  version: number;
  body: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface MeetingsGoalsTables {
  goals: GoalsTable;
  goal_leads: GoalLeadsTable;
  goal_updates: GoalUpdatesTable;
  goal_meetings: GoalMeetingsTable;
  goal_statements: GoalStatementsTable;
  motions: MotionsTable;
  motion_voters: MotionVotersTable;
  motion_tallies: MotionTalliesTable;
  motion_open_votes: MotionOpenVotesTable;
  meeting_delegates: MeetingDelegatesTable;
  support_versions: SupportVersionsTable;
}
