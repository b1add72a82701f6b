import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// "What changed in the last 7 and 30 days" on a country page counts signs by when they were
// recorded; without this index that is a scan of every sign the country ever had.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index warning_signs_country_created_idx on warning_signs (country, created_at desc)`.execute(db);
}
