import { type Kysely, sql } from 'kysely';

// Forward-only: once landed, never edited. A change is a new, later migration.
// Meetings (ADR 0020), the goals part: the network's goals for the year with their lead
// organisations (each a lead only once its admin accepts), updates and links to meetings and
// statements; the foreign keys from decisions and actions (T0720) to goals; AGM motions with one
// vote per member organisation and secret ballots kept apart from their voters; delegates who
// vote for their organisation once they accept; the versioned self-care and support page.
const statements = [
  `create table goals (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     year integer not null check (year between 2000 and 2100),
     title text not null,
     success text not null default '',
     -- the goal-setting workshop it was set at, if any
     meeting_id uuid references meetings(id),
     organisation_id uuid references organisations(id),
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now())`,
  'create index goals_year_idx on goals (year, number)',
  // Named by whoever set the goal; a lead only once its admin accepts (state accepted).
  `create table goal_leads (
     goal_id uuid not null references goals(id) on delete cascade,
     organisation_id uuid not null references organisations(id),
     state text not null default 'invited' check (state in ('invited','accepted','declined')),
     invited_by uuid references people(id) on delete set null,
     answered_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     answered_at timestamptz,
     primary key (goal_id, organisation_id))`,
  'create index goal_leads_org_idx on goal_leads (organisation_id)',
  `create table goal_updates (
     id uuid primary key default gen_random_uuid(),
     goal_id uuid not null references goals(id) on delete cascade,
     organisation_id uuid not null references organisations(id),
     author_id uuid references people(id) on delete set null,
     body text not null,
     created_at timestamptz not null default now())`,
  'create index goal_updates_goal_idx on goal_updates (goal_id, created_at)',
  `create table goal_meetings (
     goal_id uuid not null references goals(id) on delete cascade,
     meeting_id uuid not null references meetings(id) on delete cascade,
     linked_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     primary key (goal_id, meeting_id))`,
  'create index goal_meetings_meeting_idx on goal_meetings (meeting_id)',
  `create table goal_statements (
     goal_id uuid not null references goals(id) on delete cascade,
     statement_id uuid not null references statements(id) on delete cascade,
     linked_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     primary key (goal_id, statement_id))`,
  'create index goal_statements_statement_idx on goal_statements (statement_id)',
  // The minutes part (T0720) left these without keys: goals did not exist yet.
  'alter table decisions add constraint decisions_goal_fk foreign key (goal_id) references goals(id)',
  'alter table actions add constraint actions_goal_fk foreign key (goal_id) references goals(id)',

  // ---- AGM business ------------------------------------------------------------------------
  `create table motions (
     id uuid primary key default gen_random_uuid(),
     number serial unique,
     meeting_id uuid not null references meetings(id),
     text text not null,
     ballot text not null check (ballot in ('open','secret')),
     state text not null default 'draft' check (state in ('draft','open','closed')),
     organisation_id uuid references organisations(id),
     proposed_by uuid references people(id) on delete set null,
     opened_at timestamptz,
     opened_by uuid references people(id) on delete set null,
     closed_at timestamptz,
     closed_by uuid references people(id) on delete set null,
     -- Member organisations, and those of them checked in, when the ballot opened and closed.
     eligible_at_open integer,
     present_at_open integer,
     quorum_at_open boolean,
     eligible integer,
     present integer,
     quorum_met boolean,
     carried boolean,
     created_at timestamptz not null default now(),
     unique (id, ballot),
     check ((state = 'draft') = (opened_at is null)),
     check ((state = 'closed') = (closed_at is not null)))`,
  'create index motions_meeting_idx on motions (meeting_id, number)',
  // Who voted (one organisation once per motion), for both kinds of ballot; never how.
  `create table motion_voters (
     id uuid primary key default gen_random_uuid(),
     motion_id uuid not null references motions(id),
     organisation_id uuid not null references organisations(id),
     person_id uuid references people(id) on delete set null,
     voted_at timestamptz not null default now(),
     unique (motion_id, organisation_id))`,
  // How, counted: one row per choice, every vote updates all three (adding 0 to two), so that
  // no row's version or position says which choice the latest voter made. No time, no person.
  `create table motion_tallies (
     motion_id uuid not null references motions(id),
     choice text not null check (choice in ('for','against','abstain')),
     count integer not null default 0 check (count >= 0),
     primary key (motion_id, choice))`,
  // An open ballot's record of how each organisation voted. The composite key with its fixed
  // ballot 'open' makes a row for a secret ballot's motion impossible, whatever the code does.
  `create table motion_open_votes (
     motion_id uuid not null,
     ballot text not null default 'open' check (ballot = 'open'),
     organisation_id uuid not null references organisations(id),
     choice text not null check (choice in ('for','against','abstain')),
     primary key (motion_id, organisation_id),
     foreign key (motion_id, ballot) references motions(id, ballot),
     foreign key (motion_id, organisation_id) references motion_voters(motion_id, organisation_id))`,
  // The person an organisation's admin names to vote for it at one meeting; they vote only
  // once they accept. One per organisation and meeting.
  `create table meeting_delegates (
     meeting_id uuid not null references meetings(id) on delete cascade,
     organisation_id uuid not null references organisations(id),
     person_id uuid not null references people(id) on delete cascade,
     state text not null default 'invited' check (state in ('invited','accepted','declined')),
     named_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now(),
     answered_at timestamptz,
     primary key (meeting_id, organisation_id))`,
  'create index meeting_delegates_person_idx on meeting_delegates (person_id)',

  // ---- the self-care and mutual support page ------------------------------------------------
  `create table support_versions (
     version integer primary key check (version > 0),
     body text not null,
     created_by uuid references people(id) on delete set null,
     created_at timestamptz not null default now())`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
