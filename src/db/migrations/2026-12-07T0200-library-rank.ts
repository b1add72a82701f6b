import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// The library's ranking reads small columns of its own (ADR 0022): the title's and the summary's
// words and stems (weights A and B of the search vector) and the folded title, kept in the row,
// where ranking the whole search vector and the folded text (with the file's text and the
// trigrams, often 15 KB or more, stored apart) cost most of a search for a common word among
// thousands of resources.
const statements = [
  `alter table library_resources add column rank_vector tsvector not null default ''::tsvector`,
  `alter table library_resources add column title_folded text not null default ''`,
  `update library_resources set rank_vector = ts_filter(search_vector, '{a,b}'), title_folded = split_part(search_folded, E'\n', 1) where search_vector <> ''::tsvector`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
