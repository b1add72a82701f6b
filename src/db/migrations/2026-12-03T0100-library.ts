import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// The library (issue 15, ADR 0022): resources of ten kinds with their authors, translations
// (resources sharing a work_id), countries, activity types and themes, a link and/or one
// uploaded file whose text is extracted by a job, and a search vector built from folded text
// (stemmed where PostgreSQL has a stemmer for the language, whole words always, character
// trigrams for languages and scripts without one).
const statements = [
  `create table library_resources (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     kind text not null check (kind in ('report','briefing','podcast','video','writing','toolkit','case_study','training','funding','self_care')),
     title text not null,
     summary text not null default '',
     -- the resource's own date (of publication), not when it was added
     issued_on date,
     language text not null,
     -- translations of one work share it; a resource alone is its own work
     work_id uuid not null default gen_random_uuid(),
     licence text not null,
     link text,
     countries text[] not null default '{}',
     activities text[] not null default '{}',
     themes text[] not null default '{}',
     visibility text not null check (visibility in ('public','network','organisations')),
     -- shown before the resource, which stays folded until the reader opens it
     content_warning text,
     organisation_id uuid not null references organisations(id),
     created_by uuid references people(id) on delete set null,
     featured_at timestamptz,
     featured_by uuid references people(id) on delete set null,
     -- what search reads: folded text, and its vector (never shown)
     search_folded text not null default '',
     search_vector tsvector not null default ''::tsvector,
     text_state text not null default 'none' check (text_state in ('none','pending','done','failed')),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now())`,
  'create index library_resources_vector_idx on library_resources using gin (search_vector)',
  'create index library_resources_created_idx on library_resources (created_at desc)',
  'create index library_resources_work_idx on library_resources (work_id)',
  'create index library_resources_org_idx on library_resources (organisation_id)',
  'create index library_resources_featured_idx on library_resources (featured_at desc) where featured_at is not null',
  // Who may read a resource kept to named organisations (visibility 'organisations').
  `create table library_resource_readers (
     resource_id uuid not null references library_resources(id) on delete cascade,
     organisation_id uuid not null references organisations(id),
     primary key (resource_id, organisation_id))`,
  'create index library_resource_readers_org_idx on library_resource_readers (organisation_id)',
  // Authors in the order the work gives them: an organisation of the directory, or a name as
  // printed on the work (naming someone as an author links no account to it).
  `create table library_authors (
     resource_id uuid not null references library_resources(id) on delete cascade,
     position integer not null check (position >= 0),
     organisation_id uuid references organisations(id),
     name text,
     check ((organisation_id is null) <> (name is null)),
     primary key (resource_id, position))`,
  'create index library_authors_org_idx on library_authors (organisation_id) where organisation_id is not null',
  // One uploaded file per resource; images are stored without their metadata (EXIF, GPS).
  `create table library_files (
     id uuid primary key default gen_random_uuid(),
     resource_id uuid not null unique references library_resources(id) on delete cascade,
     filename text not null,
     media_type text not null,
     size integer not null check (size > 0),
     sha256 text not null,
     content bytea not null,
     extracted_text text,
     created_at timestamptz not null default now())`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
