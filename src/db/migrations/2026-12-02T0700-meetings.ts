import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Meetings (ADR 0020), the core: series, meetings with their time zone and audience, the
// organisations named or invited, chairs and minute-takers (who accept the role), and the
// replies of the people invited (with needs seen by organisers only, erased after the meeting).
// The agenda, minutes, actions, goals, AGM business and calendars have their own migrations.
const statements = [
  `create table meeting_series (
     id uuid primary key default gen_random_uuid(),
     title text not null,
     organisation_id uuid not null references organisations(id),
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  `create table meetings (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     uid text not null unique,
     series_id uuid references meeting_series(id),
     kind text not null check (kind in ('agm','goal_setting','ad_hoc','expert_briefing','social','other')),
     state text not null default 'draft' check (state in ('draft','scheduled','cancelled')),
     title text not null,
     purpose text not null default '',
     starts_at timestamptz not null,
     ends_at timestamptz not null,
     time_zone text not null default 'Europe/London',
     place text,
     online_url text,
     accessibility text not null default '',
     interpretation text[] not null default '{}',
     audience text not null check (audience in ('network','members','organisations','associates','community')),
     community_id uuid references communities(id),
     listed_publicly boolean not null default false,
     chatham_house boolean not null default false,
     distressing boolean not null default false,
     capacity integer check (capacity is null or capacity > 0),
     agenda_days integer not null default 7 check (agenda_days between 0 and 60),
     agenda_published_at timestamptz,
     quorum_percent integer not null default 50 check (quorum_percent between 1 and 100),
     alert_id uuid references alerts(id),
     organisation_id uuid not null references organisations(id),
     created_by uuid references people(id) on delete set null,
     sequence integer not null default 0,
     scheduled_at timestamptz,
     cancelled_at timestamptz,
     needs_erased_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check (ends_at > starts_at),
     check ((audience = 'community') = (community_id is not null)))`,
  'create index meetings_starts_idx on meetings (starts_at)',
  'create index meetings_series_idx on meetings (series_id, starts_at)',
  'create index meetings_alert_idx on meetings (alert_id)',
  // The organisations a meeting is for when its audience is "named organisations", and those
  // invited from an alert (subscribed to its country); `source` says why each is here.
  `create table meeting_organisations (
     meeting_id uuid not null references meetings(id) on delete cascade,
     organisation_id uuid not null references organisations(id),
     source text not null default 'named' check (source in ('named','subscribed','suggested')),
     invited_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     primary key (meeting_id, organisation_id))`,
  'create index meeting_organisations_org_idx on meeting_organisations (organisation_id)',
  // Shared facilitation: chairs (from their organisations) and the minute-taker, each named by
  // an organiser and in the role only once they accept it.
  `create table meeting_roles (
     meeting_id uuid not null references meetings(id) on delete cascade,
     person_id uuid not null references people(id) on delete cascade,
     role text not null check (role in ('chair','minute_taker')),
     organisation_id uuid references organisations(id),
     state text not null default 'invited' check (state in ('invited','accepted','declined')),
     invited_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     answered_at timestamptz,
     primary key (meeting_id, person_id, role))`,
  'create index meeting_roles_person_idx on meeting_roles (person_id)',
  // One reply per person invited; a row with no answer is someone checked in on the day who
  // had not replied. Needs are for the organisers only and erased once the meeting is over.
  `create table meeting_replies (
     meeting_id uuid not null references meetings(id) on delete cascade,
     person_id uuid not null references people(id) on delete cascade,
     answer text check (answer in ('yes','no','maybe')),
     organisation_id uuid references organisations(id),
     needs text,
     named_in_minutes boolean not null default false,
     checked_in_at timestamptz,
     checked_in_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     primary key (meeting_id, person_id))`,
  'create index meeting_replies_person_idx on meeting_replies (person_id)',
  // Each reader's own time zone, to show a meeting in theirs beside its own.
  `create table meeting_preferences (
     person_id uuid primary key references people(id) on delete cascade,
     time_zone text not null,
     updated_at timestamptz not null default now())`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
