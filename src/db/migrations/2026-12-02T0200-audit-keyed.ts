import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// The audit chain becomes keyed (ADR 0009): existing entries keep their plain SHA-256 hashes and
// are marked key_version 0; every entry from now on is an HMAC under a key derived from
// SECRET_KEY (key_version 1). Adding a column does not touch existing rows, so the append-only
// triggers are not involved. The keyed entry that seals the old ones is appended by the
// application right after this migration runs (it needs the key, which a migration does not have).
// Outbox mail that holds a secret for its recipient alone (a password-reset link) is flagged, so
// the outbox can show that it exists and never what it says (ADR 0010).
const statements = [
  'alter table audit_log add column key_version smallint not null default 0',
  'alter table audit_log alter column key_version set default 1',
  `alter table audit_log add constraint audit_log_key_version_check check (key_version in (0, 1))`,
  'alter table mail_messages add column holds_secret boolean not null default false',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
