import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
const statements = [
  `create table organisations (
     id uuid primary key default gen_random_uuid(),
     name text not null,
     slug text not null unique,
     is_demo boolean not null default false,
     created_at timestamptz not null default now())`,
  `create table people (
     id uuid primary key default gen_random_uuid(),
     display_name text not null,
     pseudonym text,
     email text,
     network_role text not null check (network_role in ('convener','member','associate','participant')),
     status text not null default 'active' check (status in ('active','disabled')),
     password_hash text,
     totp_secret text,
     totp_last_step bigint,
     locale text,
     is_demo boolean not null default false,
     created_at timestamptz not null default now(),
     credentials_changed_at timestamptz not null default now(),
     check (pseudonym is not null or email is not null))`,
  'create unique index people_email_key on people (lower(email))',
  'create unique index people_pseudonym_key on people (lower(pseudonym))',
  `create table memberships (
     person_id uuid not null references people(id) on delete cascade,
     organisation_id uuid not null references organisations(id) on delete cascade,
     role text not null check (role in ('org_admin','staff')),
     created_at timestamptz not null default now(),
     primary key (person_id, organisation_id))`,
  `create table sessions (
     id uuid primary key default gen_random_uuid(),
     token_hash text not null unique,
     person_id uuid not null references people(id) on delete cascade,
     device text not null default '',
     created_at timestamptz not null default now(),
     last_seen_at timestamptz not null default now(),
     expires_at timestamptz not null)`,
  'create index sessions_person_idx on sessions (person_id)',
  `create table api_tokens (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references people(id) on delete cascade,
     name text not null,
     token_hash text not null unique,
     created_at timestamptz not null default now(),
     last_used_at timestamptz,
     revoked_at timestamptz)`,
  `create table invitations (
     id uuid primary key default gen_random_uuid(),
     token_hash text not null unique,
     email text not null,
     network_role text not null check (network_role in ('convener','member','associate','participant')),
     organisation_id uuid references organisations(id) on delete cascade,
     org_role text check (org_role in ('org_admin','staff')),
     invited_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     expires_at timestamptz not null,
     accepted_at timestamptz)`,
  `create table password_resets (
     token_hash text primary key,
     person_id uuid not null references people(id) on delete cascade,
     created_at timestamptz not null default now(),
     expires_at timestamptz not null,
     used_at timestamptz)`,
  `create table auth_throttle (
     bucket text primary key,
     failures integer not null,
     window_started_at timestamptz not null)`,
  `create table mail_messages (
     id uuid primary key default gen_random_uuid(),
     recipient text not null,
     subject text not null,
     body_text text not null,
     status text not null check (status in ('outbox','queued','sent','failed')),
     created_at timestamptz not null default now(),
     sent_at timestamptz)`,
  `create table audit_log (
     seq bigint generated always as identity primary key,
     at timestamptz not null,
     actor_id uuid,
     action text not null,
     record_type text not null,
     record_id text,
     prev_hash text not null,
     hash text not null unique)`,
  // The record of who did what must not be rewritten: the database itself refuses.
  `create function audit_log_refuse_change() returns trigger language plpgsql as $$
   begin
     raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
   end $$`,
  `create trigger audit_log_no_update_delete before update or delete on audit_log
     for each row execute function audit_log_refuse_change()`,
  `create trigger audit_log_no_truncate before truncate on audit_log
     for each statement execute function audit_log_refuse_change()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
