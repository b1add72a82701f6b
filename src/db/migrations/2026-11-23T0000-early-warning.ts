import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
const statements = [
  // The shared vocabulary as data: a network can adopt a revised framework without a release.
  `create table risk_frameworks (
     id uuid primary key default gen_random_uuid(),
     key text not null,
     version integer not null,
     title jsonb not null,
     source text not null,
     loaded_at timestamptz not null default now(),
     unique (key, version))`,
  `create table risk_factors (
     framework_id uuid not null references risk_frameworks(id),
     code text not null,
     position integer not null,
     kind text not null check (kind in ('common','specific')),
     crime text,
     title jsonb not null,
     gist jsonb not null,
     primary key (framework_id, code))`,
  `create table risk_indicators (
     framework_id uuid not null references risk_frameworks(id),
     code text not null,
     factor_code text not null,
     position integer not null,
     text jsonb not null,
     primary key (framework_id, code),
     foreign key (framework_id, factor_code) references risk_factors(framework_id, code))`,

  // Factor codes are stored beside the indicator codes so the factor × month grid over a
  // million signs is one grouped scan of an index range, without a join.
  `create table warning_signs (
     id uuid primary key default gen_random_uuid(),
     organisation_id uuid not null references organisations(id),
     reported_by uuid references people(id) on delete set null,
     country text not null,
     area text,
     observed_on date not null,
     reported_on date not null,
     framework_id uuid not null references risk_frameworks(id),
     factor_codes text[] not null,
     indicator_codes text[] not null,
     description text not null,
     confidence text not null check (confidence in ('low','medium','high')),
     sensitivity text not null check (sensitivity in ('public','network','restricted')),
     language text not null,
     state text not null default 'unverified' check (state in ('unverified','corroborated','verified','disputed')),
     verified_by uuid references people(id) on delete set null,
     verified_at timestamptz,
     is_demo boolean not null default false,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check (observed_on <= reported_on))`,
  'create index warning_signs_country_observed_idx on warning_signs (country, observed_on desc)',
  'create index warning_signs_observed_idx on warning_signs (observed_on desc)',
  'create index warning_signs_state_observed_idx on warning_signs (state, observed_on desc, country)',
  'create index warning_signs_org_idx on warning_signs (organisation_id)',

  // Who may read a sign marked "named organisations only", besides the reporting one.
  `create table warning_sign_audience (
     sign_id uuid not null references warning_signs(id) on delete cascade,
     organisation_id uuid not null references organisations(id) on delete cascade,
     primary key (sign_id, organisation_id))`,
  'create index warning_sign_audience_org_idx on warning_sign_audience (organisation_id)',

  // Uploaded documents live in the database: one backup, one access check, no stray files.
  `create table documents (
     id uuid primary key default gen_random_uuid(),
     filename text not null,
     media_type text not null,
     size_bytes integer not null,
     sha256 text not null,
     content bytea not null,
     uploaded_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  `create table warning_sign_sources (
     id uuid primary key default gen_random_uuid(),
     sign_id uuid not null references warning_signs(id) on delete cascade,
     position integer not null,
     url text,
     document_id uuid references documents(id),
     check ((url is null) <> (document_id is null)))`,
  'create index warning_sign_sources_sign_idx on warning_sign_sources (sign_id, position)',

  // Corroboration, dispute and comments, one row per statement; an organisation's latest
  // corroborate/dispute is its stance.
  `create table warning_sign_reviews (
     id uuid primary key default gen_random_uuid(),
     sign_id uuid not null references warning_signs(id) on delete cascade,
     organisation_id uuid references organisations(id),
     person_id uuid references people(id) on delete set null,
     kind text not null check (kind in ('corroborate','dispute','comment','verify')),
     body text not null default '',
     created_at timestamptz not null default now())`,
  'create index warning_sign_reviews_sign_idx on warning_sign_reviews (sign_id, created_at)',

  // The Early Warning Project's statistical baseline, per edition (its risk column).
  `create table forecast_imports (
     id uuid primary key default gen_random_uuid(),
     sha256 text not null,
     filename text not null,
     edition text not null,
     first_year integer not null,
     last_year integer not null,
     data_year integer not null,
     rows jsonb not null,
     status text not null default 'preview' check (status in ('preview','committed','discarded')),
     decisions jsonb,
     changed_rows integer,
     imported_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     committed_at timestamptz)`,
  'create index forecast_imports_created_idx on forecast_imports (created_at desc)',
  `create table forecasts (
     edition text not null,
     cow_code integer not null,
     ewp_name text not null,
     country text not null,
     risk double precision not null,
     rank integer,
     first_year integer not null,
     last_year integer not null,
     import_id uuid not null references forecast_imports(id),
     primary key (edition, cow_code))`,
  'create index forecasts_country_idx on forecasts (country, first_year desc)',

  `create table alerts (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     organisation_id uuid not null references organisations(id),
     proposed_by uuid references people(id) on delete set null,
     country text not null,
     severity text not null check (severity in ('moderate','high','critical')),
     summary text not null,
     actions text[] not null,
     deadline date,
     sensitivity text not null check (sensitivity in ('public','network')),
     status text not null default 'proposed' check (status in ('proposed','active','closed')),
     confirmed_by uuid references people(id) on delete set null,
     confirmed_organisation_id uuid references organisations(id),
     confirmed_at timestamptz,
     outcome text,
     closed_by uuid references people(id) on delete set null,
     closed_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now())`,
  'create index alerts_status_idx on alerts (status, created_at desc)',
  `create table alert_signs (
     alert_id uuid not null references alerts(id) on delete cascade,
     sign_id uuid not null references warning_signs(id),
     primary key (alert_id, sign_id))`,
  `create table alert_responses (
     id uuid primary key default gen_random_uuid(),
     alert_id uuid not null references alerts(id) on delete cascade,
     organisation_id uuid references organisations(id),
     person_id uuid references people(id) on delete set null,
     kind text not null check (kind in ('will_act','cannot','comment')),
     body text not null default '',
     created_at timestamptz not null default now())`,
  'create index alert_responses_alert_idx on alert_responses (alert_id, created_at)',

  // Saved filters: an empty list means "any". Delivery mode is per person.
  `create table alert_subscriptions (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id) on delete cascade,
     countries text[] not null default '{}',
     factor_codes text[] not null default '{}',
     min_severity text not null default 'moderate' check (min_severity in ('moderate','high','critical')),
     created_at timestamptz not null default now())`,
  'create index alert_subscriptions_person_idx on alert_subscriptions (person_id)',
  `create table alert_settings (
     person_id uuid primary key references people(id) on delete cascade,
     mode text not null check (mode in ('immediate','digest')),
     updated_at timestamptz not null default now())`,
  // One row per (alert, person): the primary key is what makes delivery at-most-once.
  `create table alert_deliveries (
     alert_id uuid not null references alerts(id) on delete cascade,
     person_id uuid not null references people(id) on delete cascade,
     mode text not null check (mode in ('immediate','digest')),
     mailed_at timestamptz,
     read_at timestamptz,
     created_at timestamptz not null default now(),
     primary key (alert_id, person_id))`,
  'create index alert_deliveries_person_idx on alert_deliveries (person_id, created_at desc)',
  'create index alert_deliveries_digest_idx on alert_deliveries (mode, mailed_at) where mailed_at is null',

  // Picked up by the meetings capability when it exists.
  `create table meeting_requests (
     id uuid primary key default gen_random_uuid(),
     alert_id uuid references alerts(id),
     organisation_id uuid references organisations(id),
     requested_by uuid references people(id) on delete set null,
     purpose text not null,
     status text not null default 'open' check (status in ('open','scheduled','dropped')),
     created_at timestamptz not null default now())`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
