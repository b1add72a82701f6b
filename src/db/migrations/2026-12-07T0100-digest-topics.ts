import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Digests hear of more (issue 15, item 4; ADR 0024): new member organisations, statements open
// for signing, meetings and actions due, and paid work, beside the library, surveys and
// announcements. The topic's check names every topic a preference may be for.
//
// Someone who already chose how often they hear of the library (or, failing that, of surveys)
// hears of the new topics as often: in particular, whoever stopped their digests with one click
// (every digest topic "never") does not start getting them again because topics were added.
/** The new topics' rows from each person's earlier choice (a test runs it again: it adds only rows that are missing). */
export const CARRY_OVER = `insert into notification_preferences (person_id, topic, frequency)
     select c.person_id, t.topic, c.frequency
     from (select person_id,
                  coalesce(max(frequency) filter (where topic = 'library'), max(frequency) filter (where topic = 'surveys')) as frequency
           from notification_preferences where topic in ('library', 'surveys') group by person_id) c
     cross join unnest(array['members', 'statements', 'meetings', 'work']) as t(topic)
     on conflict do nothing`;

const statements = [
  'alter table notification_preferences drop constraint notification_preferences_topic_check',
  `alter table notification_preferences add constraint notification_preferences_topic_check
     check (topic in ('members','statements','meetings','library','surveys','work','announcements'))`,
  CARRY_OVER,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
