import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Meetings (ADR 0020), the agenda part: items anyone invited proposes and the chairs accept
// (or decline, saying why), order and time-box; and the time poll a meeting may be convened
// with: two to five proposed slots, the slots each invitee can make, the one the chair picked.
const statements = [
  // An item's state is the chairs' answer to its proposer; `reason` says why it was declined.
  // `position` orders the accepted items (null while proposed or declined). An item of kind
  // 'alert' is the alert a meeting was convened from, with its signs, put there at convening.
  `create table agenda_items (
     id uuid primary key default gen_random_uuid(),
     meeting_id uuid not null references meetings(id) on delete cascade,
     kind text not null default 'item' check (kind in ('item','alert')),
     alert_id uuid references alerts(id),
     title text not null,
     why text not null default '',
     minutes integer not null check (minutes between 1 and 600),
     organisation_id uuid references organisations(id),
     proposed_by uuid references people(id) on delete set null,
     state text not null default 'proposed' check (state in ('proposed','accepted','declined')),
     reason text,
     position integer,
     decided_by uuid references people(id) on delete set null,
     decided_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check ((kind = 'alert') = (alert_id is not null)),
     check ((state = 'accepted') = (position is not null)),
     check (state <> 'declined' or reason is not null))`,
  'create index agenda_items_meeting_idx on agenda_items (meeting_id, state, position)',
  'create index agenda_items_proposer_idx on agenda_items (proposed_by)',
  // One poll per meeting. Picking a slot closes it; the meeting then takes that slot's time.
  `create table meeting_polls (
     meeting_id uuid primary key references meetings(id) on delete cascade,
     state text not null default 'open' check (state in ('open','closed')),
     chosen_slot_id uuid,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     closed_at timestamptz,
     closed_by uuid references people(id) on delete set null,
     check ((state = 'closed') = (chosen_slot_id is not null)))`,
  `create table meeting_poll_slots (
     id uuid primary key default gen_random_uuid(),
     meeting_id uuid not null references meeting_polls(meeting_id) on delete cascade,
     starts_at timestamptz not null,
     ends_at timestamptz not null,
     created_at timestamptz not null default now(),
     check (ends_at > starts_at))`,
  'create index meeting_poll_slots_meeting_idx on meeting_poll_slots (meeting_id, starts_at)',
  `alter table meeting_polls add constraint meeting_polls_chosen_fk foreign key (chosen_slot_id) references meeting_poll_slots(id)`,
  // Each invitee's answer for each slot, so that "answered, can make none" is kept too.
  `create table meeting_poll_marks (
     slot_id uuid not null references meeting_poll_slots(id) on delete cascade,
     person_id uuid not null references people(id) on delete cascade,
     can_make boolean not null,
     updated_at timestamptz not null default now(),
     primary key (slot_id, person_id))`,
  'create index meeting_poll_marks_person_idx on meeting_poll_marks (person_id)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
