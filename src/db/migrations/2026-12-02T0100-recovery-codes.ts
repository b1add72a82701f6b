import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Recovery codes for two-step sign-in (ADR 0008): ten per person, each stored as the SHA-256
// of an 80-bit random code and good once (`used_at`). A new set replaces the old one.
// (The sessions' 30-day absolute lifetime needs no column: it is counted from created_at.)
const statements = [
  `create table recovery_codes (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id) on delete cascade,
     code_hash text not null,
     created_at timestamptz not null default now(),
     used_at timestamptz,
     unique (person_id, code_hash))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
