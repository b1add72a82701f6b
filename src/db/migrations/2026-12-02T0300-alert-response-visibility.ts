import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// An organisation's response to an alert ("we will brief the Foreign Office on Friday") is
// read by the network only, unless the organisation marks it public (ADR 0015). Every
// response recorded before this is network-only: nobody chose to publish it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table alert_responses add column public boolean not null default false`.execute(db);
}
