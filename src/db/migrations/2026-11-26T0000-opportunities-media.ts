import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Diaspora engagement, second part (ADR 0016): paid short-term work for community members,
// paid through the same ledger as consultations, and media requests with the member's consent.
const statements = [
  `create table opportunities (
     id uuid primary key default gen_random_uuid(),
     organisation_id uuid not null references organisations(id),
     kind text not null check (kind in ('translation','interpreting','design','catering','facilitation','research')),
     title text not null,
     description text not null,
     rate_minor integer not null check (rate_minor >= 0),
     currency text not null check (currency ~ '^[A-Z]{3}$'),
     rate_basis text not null check (rate_basis in ('hour','day','task')),
     languages text[] not null default '{}',
     deadline date not null,
     state text not null default 'open' check (state in ('open','awarded','withdrawn')),
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  'create index opportunities_state_idx on opportunities (state, deadline)',
  `create table opportunity_applications (
     opportunity_id uuid not null references opportunities(id) on delete cascade,
     person_id uuid not null references people(id) on delete cascade,
     note text not null default '',
     state text not null default 'applied' check (state in ('applied','awarded','not_chosen')),
     created_at timestamptz not null default now(),
     primary key (opportunity_id, person_id))`,
  'create index opportunity_applications_person_idx on opportunity_applications (person_id)',
  // Who wants to hear of new work, for which skills and in which languages. No row: no mail.
  `create table work_preferences (
     person_id uuid primary key references people(id) on delete cascade,
     notify boolean not null default false,
     skills text[] not null default '{}',
     languages text[] not null default '{}',
     updated_at timestamptz not null default now())`,
  'alter table payments add column opportunity_id uuid references opportunities(id) on delete set null',
  'create index payments_opportunity_idx on payments (opportunity_id)',

  // A member put forward to journalists: the request, what was offered, and the member's own
  // answer, which they can take back at any time.
  `create table media_requests (
     id uuid primary key default gen_random_uuid(),
     organisation_id uuid not null references organisations(id),
     person_id uuid not null references people(id) on delete cascade,
     outlet text not null,
     topic text not null,
     training_offered text not null,
     support_offered text not null,
     consent text not null default 'asked' check (consent in ('asked','given','refused','withdrawn')),
     answered_at timestamptz,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  'create index media_requests_person_idx on media_requests (person_id)',
  'create index media_requests_org_idx on media_requests (organisation_id, created_at desc)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
