import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Co-organising a consultation is a request the lead organisation accepts or declines
// (issue 12, ADR 0016): until accepted it gives no rights and shows no participant.
// Rows that exist already were added without the lead's consent, so they become requests
// too: the lead organisation answers them like any other.
const statements = [
  `alter table consultation_organisers
     add column state text not null default 'requested' check (state in ('requested','accepted','declined'))`,
  'alter table consultation_organisers add column requested_by uuid references people(id) on delete set null',
  'alter table consultation_organisers add column answered_by uuid references people(id) on delete set null',
  'alter table consultation_organisers add column answered_at timestamptz',
  'create index consultation_organisers_org_idx on consultation_organisers (organisation_id) where state = \'accepted\'',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
