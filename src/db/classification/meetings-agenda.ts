import type { DataClass } from '../data-classification.ts';

/** Meetings, the agenda part: see data-classification.ts for what each class means. */
export const MEETINGS_AGENDA_CLASSIFICATION: Record<string, DataClass> = {
  'agenda_items.id': 'operational',
  'agenda_items.meeting_id': 'operational',
  'agenda_items.kind': 'operational',
  'agenda_items.alert_id': 'operational',
  'agenda_items.title': 'content',
  'agenda_items.why': 'content',
  'agenda_items.minutes': 'operational',
  'agenda_items.organisation_id': 'operational',
  // who proposed an item: shown to the chairs; a participant may propose without an organisation
  'agenda_items.proposed_by': 'personal',
  'agenda_items.state': 'operational',
  'agenda_items.reason': 'content',
  'agenda_items.position': 'operational',
  'agenda_items.decided_by': 'operational',
  'agenda_items.decided_at': 'operational',
  'agenda_items.created_at': 'operational',
  'agenda_items.updated_at': 'operational',
  'meeting_polls.meeting_id': 'operational',
  'meeting_polls.state': 'operational',
  'meeting_polls.chosen_slot_id': 'operational',
  'meeting_polls.created_by': 'operational',
  'meeting_polls.created_at': 'operational',
  'meeting_polls.closed_at': 'operational',
  'meeting_polls.closed_by': 'operational',
  'meeting_poll_slots.id': 'operational',
  'meeting_poll_slots.meeting_id': 'operational',
  'meeting_poll_slots.starts_at': 'operational',
  'meeting_poll_slots.ends_at': 'operational',
  'meeting_poll_slots.created_at': 'operational',
  'meeting_poll_marks.slot_id': 'operational',
  // when someone can and cannot attend: about a person
  'meeting_poll_marks.person_id': 'personal',
  'meeting_poll_marks.can_make': 'personal',
  'meeting_poll_marks.updated_at': 'operational',
};
