import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Collective advocacy (ADR 0019): statements drafted by organisations that accepted to draft,
// versions bound to the signatures given to them, the people and posts they are sent to (the
// Popolo model), deliveries, replies, and the commitments in replies with their rated history.
const statements = [
  // ---- recipients: Popolo Person, Organization, Post, Membership --------------------------
  // Public figures (party leaders, ministers, committee chairs), not users of Northstar.
  `create table advocacy_persons (
     id uuid primary key default gen_random_uuid(),
     name text not null,
     email text,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  // Parties, parliaments, ministries, committees: the bodies posts belong to.
  `create table advocacy_bodies (
     id uuid primary key default gen_random_uuid(),
     name text not null,
     classification text not null check (classification in ('party','legislature','executive','committee','other')),
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  `create table advocacy_posts (
     id uuid primary key default gen_random_uuid(),
     label text not null,
     body_id uuid references advocacy_bodies(id),
     email text,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  // Who held a post (post_id set) or belonged to a party or body (post_id null), from when to
  // when; end_date null means still. Overlapping holders of one post are refused by the service.
  `create table advocacy_memberships (
     id uuid primary key default gen_random_uuid(),
     person_id uuid not null references advocacy_persons(id),
     body_id uuid references advocacy_bodies(id),
     post_id uuid references advocacy_posts(id),
     start_date date not null,
     end_date date,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     check (end_date is null or end_date >= start_date),
     check (body_id is not null or post_id is not null))`,
  'create index advocacy_memberships_post_idx on advocacy_memberships (post_id, start_date)',
  'create index advocacy_memberships_person_idx on advocacy_memberships (person_id, start_date)',

  // ---- statements ---------------------------------------------------------------------------
  `create table statements (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     kind text not null check (kind in ('joint_statement','open_letter','submission','briefing')),
     state text not null default 'drafting' check (state in ('drafting','circulated','published','withdrawn')),
     organisation_id uuid not null references organisations(id),
     created_by uuid references people(id) on delete set null,
     language text not null,
     countries text[] not null default '{}',
     include_associates boolean not null default false,
     allow_individuals boolean not null default false,
     deadline date,
     circulated_at timestamptz,
     published_at timestamptz,
     published_version integer,
     deadline_reminded_at timestamptz,
     sent_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now())`,
  'create index statements_state_idx on statements (state, published_at desc)',
  // The organisations drafting: the lead (accepted at creation) and those invited, who accept.
  `create table statement_drafters (
     statement_id uuid not null references statements(id) on delete cascade,
     organisation_id uuid not null references organisations(id),
     state text not null default 'invited' check (state in ('invited','accepted','declined')),
     invited_by uuid references people(id) on delete set null,
     answered_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     answered_at timestamptz,
     primary key (statement_id, organisation_id))`,
  'create index statement_drafters_org_idx on statement_drafters (organisation_id, state)',
  // Every version is a row that never changes once the statement is circulated; while drafting
  // the single working version is edited in place. A translation is a version in its language.
  `create table statement_versions (
     id uuid primary key default gen_random_uuid(),
     statement_id uuid not null references statements(id) on delete cascade,
     number integer not null,
     language text not null,
     title text not null,
     summary text not null default '',
     body text not null,
     asks text[] not null default '{}',
     content_sha256 text not null,
     note text not null default '',
     translation_of integer,
     author_id uuid references people(id) on delete set null,
     author_organisation_id uuid references organisations(id),
     published_at timestamptz,
     created_at timestamptz not null default now(),
     unique (statement_id, number))`,
  `create table statement_alerts (
     statement_id uuid not null references statements(id) on delete cascade,
     alert_id uuid not null references alerts(id),
     primary key (statement_id, alert_id))`,
  'create index statement_alerts_alert_idx on statement_alerts (alert_id)',
  `create table statement_signs (
     statement_id uuid not null references statements(id) on delete cascade,
     sign_id uuid not null references warning_signs(id),
     primary key (statement_id, sign_id))`,
  `create table statement_comments (
     id uuid primary key default gen_random_uuid(),
     statement_id uuid not null references statements(id) on delete cascade,
     version_number integer not null,
     organisation_id uuid references organisations(id),
     person_id uuid references people(id) on delete set null,
     body text not null,
     created_at timestamptz not null default now())`,
  'create index statement_comments_idx on statement_comments (statement_id, created_at)',
  // Staff an org admin names to sign for the organisation; the person accepts the role.
  `create table organisation_signatories (
     organisation_id uuid not null references organisations(id),
     person_id uuid not null references people(id) on delete cascade,
     state text not null default 'invited' check (state in ('invited','accepted','declined')),
     named_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     answered_at timestamptz,
     primary key (organisation_id, person_id))`,
  // A signature is bound to one version: the SHA-256 of that version's canonical text and
  // language is copied here, so the binding survives anything later done to the versions.
  // Individuals choose how they appear; a withdrawal keeps the row with its date.
  `create table statement_signatures (
     id uuid primary key default gen_random_uuid(),
     statement_id uuid not null references statements(id) on delete cascade,
     version_number integer not null,
     content_sha256 text not null,
     organisation_id uuid references organisations(id),
     person_id uuid references people(id) on delete set null,
     signer_id uuid references people(id) on delete set null,
     appears_as text not null check (appears_as in ('organisation','name','role','counted')),
     display_name text,
     display_role text,
     signed_at timestamptz not null default now(),
     withdrawn_at timestamptz,
     check ((organisation_id is not null) = (appears_as = 'organisation')))`,
  'create index statement_signatures_idx on statement_signatures (statement_id, version_number)',
  'create unique index statement_signatures_org_once on statement_signatures (statement_id, version_number, organisation_id) where organisation_id is not null and withdrawn_at is null',
  'create unique index statement_signatures_person_once on statement_signatures (statement_id, version_number, person_id) where organisation_id is null and withdrawn_at is null',
  // An organisation's "we will not sign"; the reason is read by the statement's drafters only.
  `create table statement_declines (
     statement_id uuid not null references statements(id) on delete cascade,
     organisation_id uuid not null references organisations(id),
     person_id uuid references people(id) on delete set null,
     reason text not null default '',
     created_at timestamptz not null default now(),
     primary key (statement_id, organisation_id))`,

  // ---- delivery and replies -----------------------------------------------------------------
  // One row per addressee: a post (resolved to its holder on the day of sending) or a person.
  `create table statement_recipients (
     id uuid primary key default gen_random_uuid(),
     statement_id uuid not null references statements(id) on delete cascade,
     post_id uuid references advocacy_posts(id),
     person_id uuid references advocacy_persons(id),
     channel text not null default 'email' check (channel in ('email','hand','post')),
     address text,
     delivery text not null default 'pending' check (delivery in ('pending','queued','sent','refused','delivered')),
     delivery_note text not null default '',
     queued_at timestamptz,
     sent_at timestamptz,
     refused_at timestamptz,
     delivered_at timestamptz,
     reply_token_hash text unique,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     check (post_id is not null or person_id is not null))`,
  'create index statement_recipients_idx on statement_recipients (statement_id)',
  'create index statement_recipients_post_idx on statement_recipients (post_id)',
  'create index statement_recipients_person_idx on statement_recipients (person_id)',
  `create table statement_replies (
     id uuid primary key default gen_random_uuid(),
     recipient_id uuid not null references statement_recipients(id) on delete cascade,
     kind text not null check (kind in ('substantive','acknowledgement','declined')),
     body text not null default '',
     received_on date not null,
     link text,
     document_id uuid references documents(id),
     published boolean not null default false,
     recorded_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  'create index statement_replies_recipient_idx on statement_replies (recipient_id)',
  // The owners were reminded, on day 14 and 28 after sending, of a recipient who had not answered.
  `create table statement_reply_reminders (
     recipient_id uuid not null references statement_recipients(id) on delete cascade,
     day integer not null check (day in (14, 28)),
     created_at timestamptz not null default now(),
     primary key (recipient_id, day))`,

  // ---- commitments --------------------------------------------------------------------------
  `create table commitments (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     reply_id uuid not null references statement_replies(id),
     quote text not null,
     summary text not null,
     post_id uuid references advocacy_posts(id),
     person_id uuid references advocacy_persons(id),
     party_id uuid references advocacy_bodies(id),
     countries text[] not null default '{}',
     rating text not null default 'not_rated' check (rating in ('not_rated','in_the_works','stalled','compromise','kept','broken')),
     rated_on date,
     organisation_id uuid not null references organisations(id),
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
  // The tracker lists newest first within a rating (test/bench/advocacy.ts: 16–20 ms → 5 ms).
  'create index commitments_rating_idx on commitments (rating, number desc)',
  'create index commitments_post_idx on commitments (post_id)',
  'create index commitments_person_idx on commitments (person_id)',
  'create index commitments_party_idx on commitments (party_id)',
  'create index commitments_countries_idx on commitments using gin (countries)',
  // Every change of rating, with its evidence and the organisation standing behind it.
  `create table commitment_ratings (
     id uuid primary key default gen_random_uuid(),
     commitment_id uuid not null references commitments(id) on delete cascade,
     rating text not null check (rating in ('in_the_works','stalled','compromise','kept','broken')),
     evidence_url text,
     document_id uuid references documents(id),
     note text not null default '',
     rated_on date not null,
     organisation_id uuid not null references organisations(id),
     rated_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     check (evidence_url is not null or document_id is not null))`,
  'create index commitment_ratings_idx on commitment_ratings (commitment_id, rated_on)',

  // ---- what was signed and published cannot be rewritten, whoever writes ---------------------
  // The services never do it; these refuse it for anything else with write access too. A
  // version's text is fixed once its statement is circulated (only drafting edits in place),
  // a published version entirely (only its author reference may be cleared when an account is
  // erased). A signature keeps what was signed; only its withdrawal date may be set, once.
  `create function statement_versions_keep() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' then
       if old.published_at is not null then
         raise exception 'published statement versions cannot be deleted' using errcode = 'insufficient_privilege';
       end if;
       return old;
     end if;
     if (new.statement_id, new.number, new.language, new.title, new.summary, new.body, new.asks, new.content_sha256, new.note, new.translation_of)
          is distinct from (old.statement_id, old.number, old.language, old.title, old.summary, old.body, old.asks, old.content_sha256, old.note, old.translation_of)
        and (old.published_at is not null or exists (select 1 from statements s where s.id = old.statement_id and s.state <> 'drafting')) then
       raise exception 'statement version % can no longer change', old.number using errcode = 'insufficient_privilege';
     end if;
     if old.published_at is not null and new.published_at is distinct from old.published_at then
       raise exception 'a published statement version stays published' using errcode = 'insufficient_privilege';
     end if;
     return new;
   end $$`,
  `create trigger statement_versions_keep before update or delete on statement_versions
     for each row execute function statement_versions_keep()`,
  `create function statement_signatures_keep() returns trigger language plpgsql as $$
   begin
     if (new.statement_id, new.version_number, new.content_sha256, new.organisation_id, new.appears_as, new.display_name, new.display_role, new.signed_at)
          is distinct from (old.statement_id, old.version_number, old.content_sha256, old.organisation_id, old.appears_as, old.display_name, old.display_role, old.signed_at)
        or (old.withdrawn_at is not null and new.withdrawn_at is distinct from old.withdrawn_at) then
       raise exception 'a signature keeps what was signed; it can only be withdrawn' using errcode = 'insufficient_privilege';
     end if;
     return new;
   end $$`,
  `create trigger statement_signatures_keep before update on statement_signatures
     for each row execute function statement_signatures_keep()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
