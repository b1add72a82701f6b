import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Anonymous surveys (issue 15, ADR 0023). The answers are kept with no person id, session, token,
// address or hash of any of these, and with the day only; who has answered is kept apart, as one
// sorted list per survey (no row, order or time per person), so the two cannot be joined.
const statements = [
  `create table surveys (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     title text not null,
     intro text not null default '',
     language text not null,
     -- the organisation that runs it; none when the convener runs it for the network
     organisation_id uuid references organisations(id),
     created_by uuid references people(id) on delete set null,
     audience text not null check (audience in ('network','organisations','community','link')),
     community_id uuid references communities(id),
     -- anyone with the link: the SHA-256 of the token the link carries
     link_token_hash text unique,
     state text not null default 'draft' check (state in ('draft','open','closed')),
     opened_at timestamptz,
     closes_at timestamptz not null,
     closed_at timestamptz,
     -- results are shown only where at least this many answered, and no figure below it
     min_group integer not null default 5 check (min_group between 5 and 1000),
     reminded_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check (audience <> 'community' or community_id is not null),
     check (audience <> 'link' or link_token_hash is not null))`,
  'create index surveys_state_idx on surveys (state, closes_at)',
  `create table survey_organisations (
     survey_id uuid not null references surveys(id) on delete cascade,
     organisation_id uuid not null references organisations(id),
     primary key (survey_id, organisation_id))`,
  `create table survey_sections (
     id uuid primary key default gen_random_uuid(),
     survey_id uuid not null references surveys(id) on delete cascade,
     position integer not null,
     title text not null,
     unique (survey_id, position))`,
  `create table survey_questions (
     id uuid primary key default gen_random_uuid(),
     survey_id uuid not null references surveys(id) on delete cascade,
     section_id uuid references survey_sections(id) on delete set null,
     position integer not null,
     kind text not null check (kind in ('single','multiple','scale','short','long')),
     text text not null,
     help text not null default '',
     optional boolean not null default false,
     options text[] not null default '{}',
     scale_min integer,
     scale_max integer,
     scale_min_label text,
     scale_max_label text,
     unique (survey_id, position),
     check (kind <> 'scale' or (scale_min is not null and scale_max is not null and scale_max > scale_min)))`,
  // Who has answered: the set of people, sorted, in one row per survey.
  `create table survey_respondents (
     survey_id uuid primary key references surveys(id) on delete cascade,
     people uuid[] not null default '{}')`,
  `create table survey_responses (
     id uuid primary key default gen_random_uuid(),
     survey_id uuid not null references surveys(id) on delete cascade,
     answered_on date not null)`,
  'create index survey_responses_survey_idx on survey_responses (survey_id)',
  // One answer to one question: the chosen options (their positions) or the value on the scale,
  // or text; free text is published only once an organiser has read it.
  `create table survey_answers (
     response_id uuid not null references survey_responses(id) on delete cascade,
     question_id uuid not null references survey_questions(id) on delete cascade,
     choices integer[] not null default '{}',
     text text,
     text_state text check (text_state in ('unread','published','withheld')),
     primary key (response_id, question_id),
     check ((text is null) = (text_state is null)))`,
  'create index survey_answers_question_idx on survey_answers (question_id)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
