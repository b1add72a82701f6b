import type { Kysely } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Meetings (ADR 0020): the goals part. (Being written this session.)
export async function up(_db: Kysely<unknown>): Promise<void> {}
