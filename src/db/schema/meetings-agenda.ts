import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

// Meetings, the agenda part (migration 2026-12-02T0710-meetings-agenda).
export type AgendaItemKind = 'item' | 'alert';
export type AgendaItemState = 'proposed' | 'accepted' | 'declined';

export interface AgendaItemsTable {
  id: Generated<string>;
  meeting_id: string;
  kind: Generated<AgendaItemKind>;
  alert_id: string | null;
  title: string;
  why: Generated<string>;
  minutes: number;
  organisation_id: string | null;
  proposed_by: string | null;
  state: Generated<AgendaItemState>;
  reason: string | null;
  position: number | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MeetingPollsTable {
  meeting_id: string;
  state: Generated<'open' | 'closed'>;
  chosen_slot_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
  closed_by: string | null;
}

export interface MeetingPollSlotsTable {
  id: Generated<string>;
  meeting_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_at: CreatedAt;
}

export interface MeetingPollMarksTable {
  slot_id: string;
  person_id: string;
  can_make: boolean;
  updated_at: Timestamp;
}

export interface MeetingsAgendaTables {
  agenda_items: AgendaItemsTable;
  meeting_polls: MeetingPollsTable;
  meeting_poll_slots: MeetingPollSlotsTable;
  meeting_poll_marks: MeetingPollMarksTable;
}
