import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Digests and announcements (issue 15, item 4; ADR 0024): what each person hears about and how
// often, when their last digests went, the runs (once per period across every instance), the
// convener's announcements, and the one-click unsubscribe address a bulk message carries.
const statements = [
  `create table notification_preferences (
     person_id uuid not null references people(id) on delete cascade,
     topic text not null check (topic in ('library','surveys','announcements')),
     frequency text not null check (frequency in ('immediate','daily','weekly','never')),
     primary key (person_id, topic))`,
  `create table digest_state (
     person_id uuid primary key references people(id) on delete cascade,
     -- digests go on after 90 days without signing in only if the person asked for it
     keep_when_inactive boolean not null default false,
     last_daily_at timestamptz,
     last_weekly_at timestamptz)`,
  // One row per period and kind: whichever instance starts a run first makes it, the others find it.
  `create table digest_runs (
     kind text not null check (kind in ('daily','weekly')),
     period text not null,
     started_at timestamptz not null default now(),
     people integer,
     primary key (kind, period))`,
  `create table announcements (
     id uuid primary key default gen_random_uuid(),
     title text not null,
     body text not null,
     audience text not null check (audience in ('everyone','network','participants')),
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     -- the fan-out's progress: people are mailed in id order, a batch per transaction
     fanned_out_to uuid,
     fanned_out_at timestamptz)`,
  'create index announcements_created_idx on announcements (created_at desc)',
  // "Signed in within 90 days", read by every digest run from the audit log's session entries.
  "create index audit_log_sign_in_idx on audit_log (actor_id, at) where action = 'session.create'",
  // A bulk message's one-click unsubscribe (RFC 8058), sent as List-Unsubscribe headers.
  'alter table mail_messages add column unsubscribe_url text',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
