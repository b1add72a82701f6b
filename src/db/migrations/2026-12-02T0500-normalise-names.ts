import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Names are now stored as typed, less bidirectional overrides and in NFC (ADR 0017); this
// brings names stored before that into the same form, so a pseudonym typed either way
// still signs in. A pseudonym whose normal form another account already holds is left as it
// is, and so are two that would become the same (both people keep signing in as before),
// rather than failing the upgrade.
export async function up(db: Kysely<unknown>): Promise<void> {
  const clean = (column: string) => sql.raw(`normalize(regexp_replace(${column}, '[\\u202A-\\u202E\\u2066-\\u2069]', '', 'g'), NFC)`);
  await sql`update people set display_name = ${clean('display_name')} where display_name <> ${clean('display_name')}`.execute(db);
  await sql`update organisations set name = ${clean('name')} where name <> ${clean('name')}`.execute(db);
  await sql`update people set pseudonym = ${clean('people.pseudonym')}
    where pseudonym is not null and pseudonym <> ${clean('people.pseudonym')}
      and not exists (select 1 from people other where other.id <> people.id and lower(${clean('other.pseudonym')}) = lower(${clean('people.pseudonym')}))`.execute(db);
}
