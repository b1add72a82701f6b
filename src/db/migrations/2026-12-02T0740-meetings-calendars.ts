import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Meetings (ADR 0020): the calendars part.
// A person's calendar feed is reached by a capability URL: only the SHA-256 of its 256-bit
// random token is kept, so a copy of the database opens no one's calendar. One feed per person;
// renewing replaces the hash (the old address stops at once), revoking deletes the row.
// Mail gains an optional text/calendar part (an invitation's .ics): its iTIP method and content,
// kept with the message until it is sent, then cleared with the body.
const statements = [
  `create table calendar_feeds (
     person_id uuid primary key references people(id) on delete cascade,
     token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
     discreet boolean not null default false,
     created_at timestamptz not null default now(),
     renewed_at timestamptz not null default now())`,
  `alter table mail_messages add column calendar_method text check (calendar_method in ('REQUEST','CANCEL'))`,
  'alter table mail_messages add column calendar_content text',
  `alter table mail_messages add constraint mail_messages_calendar_check check ((calendar_method is null) = (calendar_content is null))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
