import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Meetings (ADR 0020), the minutes part: minutes kept version by version, corrections from the
// attendees, approval; the decisions register; action items with their owners (an organisation,
// and a person only once they accept), their updates and the reminders sent.
// goal_id columns have no foreign key here: the goals table comes in the later migration
// (T0730), which adds those keys.
const statements = [
  // One row per meeting whose minutes were begun: the state of the minutes as a whole.
  `create table meeting_minutes (
     meeting_id uuid primary key references meetings(id),
     state text not null default 'drafting' check (state in ('drafting','circulated','approved')),
     circulated_at timestamptz,
     approved_at timestamptz,
     approved_by uuid references people(id) on delete set null,
     -- Approved "at the next meeting of the series": the meeting that approved them.
     approved_at_meeting_id uuid references meetings(id),
     approved_version integer,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check ((state = 'approved') = (approved_at is not null)))`,
  // Every save is a new version; none is ever rewritten or removed (trigger below).
  `create table minute_versions (
     meeting_id uuid not null references meeting_minutes(meeting_id),
     number integer not null check (number > 0),
     body text not null,
     author_id uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     primary key (meeting_id, number))`,
  // Whoever writes: a version stays as saved. Only its author reference may be cleared, when an
  // account is erased (the foreign key's "set null").
  `create function minute_versions_keep() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' then
       raise exception 'minute versions cannot be deleted' using errcode = 'insufficient_privilege';
     end if;
     if (new.meeting_id, new.number, new.body, new.created_at) is distinct from (old.meeting_id, old.number, old.body, old.created_at)
        or (new.author_id is not null and new.author_id is distinct from old.author_id) then
       raise exception 'minute version % cannot be rewritten', old.number using errcode = 'insufficient_privilege';
     end if;
     return new;
   end $$`,
  `create trigger minute_versions_keep before update or delete on minute_versions
     for each row execute function minute_versions_keep()`,
  // An attendee's correction of one version; answered by the version that took it into account.
  `create table minute_corrections (
     id uuid primary key default gen_random_uuid(),
     meeting_id uuid not null references meeting_minutes(meeting_id),
     version_number integer not null,
     person_id uuid references people(id) on delete set null,
     body text not null,
     answered_in integer,
     created_at timestamptz not null default now(),
     foreign key (meeting_id, version_number) references minute_versions(meeting_id, number))`,
  'create index minute_corrections_meeting_idx on minute_corrections (meeting_id, created_at)',
  `create table decisions (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     meeting_id uuid not null references meetings(id),
     text text not null,
     goal_id uuid,
     -- the text folded for search (platform/search-text.ts), never shown
     search_text text not null,
     organisation_id uuid references organisations(id),
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  'create index decisions_meeting_idx on decisions (meeting_id, number)',
  'create index decisions_goal_idx on decisions (goal_id)',
  `create table actions (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     title text not null,
     owner_organisation_id uuid not null references organisations(id),
     -- Offered to a person of the owner organisation; they own it only once they accept.
     owner_person_id uuid references people(id) on delete set null,
     owner_state text check (owner_state in ('offered','accepted','declined')),
     -- Recorded as owed by another organisation, it owes it only once that organisation's admin
     -- accepts; an action the creator's own organisation owns is accepted by making it.
     owner_org_state text not null default 'accepted' check (owner_org_state in ('offered','accepted','declined')),
     owner_org_answered_by uuid references people(id) on delete set null,
     due_on date,
     status text not null default 'open' check (status in ('open','in_progress','done','dropped')),
     meeting_id uuid references meetings(id),
     decision_id uuid references decisions(id),
     goal_id uuid,
     alert_id uuid references alerts(id),
     statement_id uuid references statements(id),
     -- the organisation its creator acted for (none for a convener who belongs to none)
     organisation_id uuid references organisations(id),
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now())`,
  'create index actions_owner_org_idx on actions (owner_organisation_id, status)',
  'create index actions_owner_person_idx on actions (owner_person_id, status)',
  'create index actions_meeting_idx on actions (meeting_id, status)',
  'create index actions_goal_idx on actions (goal_id)',
  'create index actions_due_idx on actions (due_on) where status in (\'open\',\'in_progress\')',
  // Every change of status, with its note: kept, never edited.
  `create table action_updates (
     id uuid primary key default gen_random_uuid(),
     action_id uuid not null references actions(id),
     status text not null check (status in ('open','in_progress','done','dropped')),
     note text not null default '',
     person_id uuid references people(id) on delete set null,
     organisation_id uuid references organisations(id),
     created_at timestamptz not null default now())`,
  'create index action_updates_action_idx on action_updates (action_id, created_at)',
  // Reminders sent: one per action, kind and due date, so a sweep run twice mails nobody twice
  // and a new due date is reminded afresh.
  `create table action_reminders (
     action_id uuid not null references actions(id),
     kind text not null check (kind in ('before','overdue')),
     due_on date not null,
     sent_at timestamptz not null default now(),
     primary key (action_id, kind, due_on))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
