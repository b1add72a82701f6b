import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Diaspora engagement (ADR 0016). Money is kept in minor units (cents, pence) as integers, so
// both databases return plain numbers and no sum is ever off by a rounding.
const statements = [
  `create table communities (
     id uuid primary key default gen_random_uuid(),
     name text not null,
     description text not null default '',
     languages text[] not null default '{}',
     created_by_org uuid references organisations(id) on delete set null,
     created_at timestamptz not null default now())`,
  'create unique index communities_name_key on communities (lower(name))',
  // Dimensions the organisers define (region of origin, age band, …) and, in each, the groups
  // the community wants heard.
  `create table community_dimensions (
     id uuid primary key default gen_random_uuid(),
     community_id uuid not null references communities(id) on delete cascade,
     label text not null,
     position integer not null,
     unique (community_id, position))`,
  `create table community_groups (
     id uuid primary key default gen_random_uuid(),
     dimension_id uuid not null references community_dimensions(id) on delete cascade,
     label text not null,
     position integer not null,
     unique (dimension_id, position))`,
  `create table community_members (
     community_id uuid not null references communities(id) on delete cascade,
     person_id uuid not null references people(id) on delete cascade,
     created_at timestamptz not null default now(),
     primary key (community_id, person_id))`,
  'create index community_members_person_idx on community_members (person_id)',
  // Voluntary: no row means "not answered"; a row without a group means "prefer not to say".
  `create table self_descriptions (
     community_id uuid not null,
     person_id uuid not null,
     dimension_id uuid not null references community_dimensions(id) on delete cascade,
     group_id uuid references community_groups(id) on delete cascade,
     updated_at timestamptz not null default now(),
     primary key (person_id, dimension_id),
     foreign key (community_id, person_id) references community_members(community_id, person_id) on delete cascade)`,

  `create table consultations (
     id uuid primary key default gen_random_uuid(),
     organisation_id uuid not null references organisations(id),
     title text not null,
     purpose text,
     decision text,
     decision_maker text,
     can_change text,
     cannot_change text,
     format text not null check (format in ('meeting','online','survey','interview')),
     starts_on date,
     ends_on date,
     languages text[] not null default '{}',
     interpretation text,
     accessibility text,
     compensation_minor integer check (compensation_minor >= 0),
     compensation_currency text check (compensation_currency ~ '^[A-Z]{3}$'),
     compensation_basis text,
     no_compensation_reason text,
     missing_who text,
     missing_why text,
     missing_steps text,
     state text not null default 'draft' check (state in ('draft','open','closed','loop_closed')),
     opened_at timestamptz,
     closed_at timestamptz,
     loop_closed_at timestamptz,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now())`,
  'create index consultations_state_idx on consultations (state, opened_at desc)',
  'create index consultations_org_idx on consultations (organisation_id)',
  `create table consultation_communities (
     consultation_id uuid not null references consultations(id) on delete cascade,
     community_id uuid not null references communities(id) on delete cascade,
     primary key (consultation_id, community_id))`,
  'create index consultation_communities_community_idx on consultation_communities (community_id)',
  // Organisations that joined forces with the lead organisation instead of asking again.
  `create table consultation_organisers (
     consultation_id uuid not null references consultations(id) on delete cascade,
     organisation_id uuid not null references organisations(id) on delete cascade,
     created_at timestamptz not null default now(),
     primary key (consultation_id, organisation_id))`,
  `create table consultation_participants (
     consultation_id uuid not null references consultations(id) on delete cascade,
     person_id uuid not null references people(id) on delete cascade,
     visible boolean not null default false,
     minutes integer check (minutes >= 0),
     created_at timestamptz not null default now(),
     primary key (consultation_id, person_id))`,
  'create index consultation_participants_person_idx on consultation_participants (person_id)',
  // "You said, we did": published once, then the loop is closed.
  `create table consultation_feedback (
     consultation_id uuid primary key references consultations(id) on delete cascade,
     heard text not null,
     did text not null,
     did_not text not null,
     published_by uuid references people(id) on delete set null,
     published_at timestamptz not null default now())`,

  // The ledger: what is owed to whom and when it was paid; never bank details.
  `create table payments (
     id uuid primary key default gen_random_uuid(),
     organisation_id uuid not null references organisations(id),
     person_id uuid references people(id) on delete set null,
     consultation_id uuid references consultations(id) on delete set null,
     amount_minor integer not null check (amount_minor >= 0),
     currency text not null check (currency ~ '^[A-Z]{3}$'),
     status text not null default 'owed' check (status in ('owed','paid')),
     paid_on date,
     method text,
     reminded_at timestamptz,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     check ((status = 'paid') = (paid_on is not null)))`,
  'create index payments_person_idx on payments (person_id)',
  'create index payments_consultation_idx on payments (consultation_id)',
  'create index payments_owed_idx on payments (created_at) where status = \'owed\'',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
