import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
const statements = [
  // Trigram matching: substring search in any script and tolerance of small misspellings.
  'create extension if not exists pg_trgm',

  `alter table organisations
     add column short_name text,
     add column mission text not null default '',
     add column website text,
     add column year_founded integer,
     add column staff_size text check (staff_size in ('1-5','6-10','11-25','26-100','100+')),
     add column countries text[] not null default '{}',
     add column activities text[] not null default '{}',
     add column stakeholders text[] not null default '{}',
     add column prevention_share text check (prevention_share in ('under-25','25-50','50-75','over-75')),
     add column languages text[] not null default '{}',
     add column diaspora_led boolean,
     add column contact_email text,
     add column members_only text[] not null default '{staffSize,preventionShare}',
     add column status text not null default 'member' check (status in ('member','associate','suspended','left')),
     add column search_name text not null default '',
     add column search_mission text not null default '',
     add column updated_at timestamptz not null default now()`,
  'create index organisations_search_name_idx on organisations using gin (search_name gin_trgm_ops)',
  'create index organisations_search_mission_idx on organisations using gin (search_mission gin_trgm_ops)',
  'create index organisations_countries_idx on organisations using gin (countries)',
  'create index organisations_activities_idx on organisations using gin (activities)',
  'create index organisations_stakeholders_idx on organisations using gin (stakeholders)',
  'create index organisations_status_name_idx on organisations (status, name)',

  // Membership states with their history: who changed what, when and why.
  `create table organisation_status_history (
     id uuid primary key default gen_random_uuid(),
     organisation_id uuid not null references organisations(id) on delete cascade,
     status text not null check (status in ('applicant','member','associate','suspended','left')),
     reason text,
     actor_id uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  'create index organisation_status_history_org_idx on organisation_status_history (organisation_id, created_at)',

  `create table terms_versions (
     version integer primary key,
     body text not null,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,

  `create table applications (
     id uuid primary key default gen_random_uuid(),
     status text not null default 'submitted' check (status in ('submitted','info_requested','approved','declined')),
     profile jsonb not null,
     statement text not null,
     terms_version integer not null references terms_versions(version),
     contact_name text,
     contact_email text,
     locale text not null,
     duplicate_of uuid references organisations(id) on delete set null,
     duplicate_reason text check (duplicate_reason in ('name','website')),
     answer_token_hash text unique,
     answer_expires_at timestamptz,
     organisation_id uuid references organisations(id) on delete set null,
     decision_reason text,
     decided_by uuid references people(id) on delete set null,
     decided_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now())`,
  'create index applications_status_idx on applications (status, created_at)',

  `create table application_events (
     id uuid primary key default gen_random_uuid(),
     application_id uuid not null references applications(id) on delete cascade,
     kind text not null check (kind in ('comment','info_request','answer','approved','declined')),
     body text not null,
     actor_id uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  'create index application_events_app_idx on application_events (application_id, created_at)',

  // Individual experts of the wider network: seen by members only.
  `create table associate_profiles (
     person_id uuid primary key references people(id) on delete cascade,
     expertise text not null,
     countries text[] not null default '{}',
     languages text[] not null default '{}',
     organisation text,
     updated_at timestamptz not null default now())`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
