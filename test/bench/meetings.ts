/**
 * Meetings benchmark (issue 14), `npm run bench -- --meetings`, on the embedded database and on
 * the PostgreSQL server: 500 meetings in 50 series, 20,000 agenda items, 2,000 decisions,
 * 50,000 actions with 10,000 updates, 20 goals of the year. Measured like the advocacy pages
 * (measure.ts): a person's "my actions", a goal's progress page and a 500-event personal
 * calendar feed; then 200 member organisations vote on one secret-ballot motion at an AGM,
 * each through the service as a voter would, and the time from "close" to the result is taken.
 * The data is generated set-based (generate_series over ids made here), in seconds.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Built } from '../../src/app.tsx';
import type { Db } from '../../src/db/database.ts';
import { newToken, sha256 } from '../../src/platform/crypto.ts';
import { BROWSER, BUDGET_BYTES, get, LOAD_CONNECTIONS, LOAD_SECONDS, type LoadFigures, load, round, single, size, WARMUP_SECONDS } from './measure.ts';
import { HOST, withBenchApp } from './temp-app.ts';

export const MEETINGS = 500;
const SERIES = 50;
export const AGENDA_ITEMS = 20_000;
export const ACTIONS = 50_000;
const DECISIONS_PER_MEETING = 4;
const GOALS = 20;
const ORGANISATIONS = 30;
export const VOTERS = 200;
const ZONES = ['Europe/London', 'Africa/Khartoum', 'Europe/Berlin', 'America/New_York', 'Asia/Yangon'];

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const ACTION_TITLES = [
  'Draft the joint letter to the Foreign Affairs Committee',
  'Brief the new minister’s office on the early-warning picture',
  'Collect testimonies from the diaspora consultation and summarise them',
  'Prepare the shared risk assessment for the next quarter',
  'Ask the funder about core costs for small member organisations',
  'Translate the self-care guidance into Arabic and Tigrinya',
  'Invite survivors’ associations to the goal-setting workshop',
  'Update the sector map with the three new members',
];
const AGENDA_TITLES = ['Matters arising', 'Early-warning round-up', 'Joint advocacy plan', 'Funding and capacity', 'Diaspora engagement', 'Any other business', 'Self-care check-in', 'Next steps'];

export interface GeneratedMeetings {
  readerId: string;
  readerToken: string;
  calendarToken: string;
  goalIds: string[];
  counts: Record<string, number>;
  seconds: number;
}

/** Fills a fresh, migrated database; the reader is staff of organisation 1 and owns some actions. */
export async function generateMeetings(db: Db): Promise<GeneratedMeetings> {
  const started = performance.now();
  const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
  const uuids = (a: string[]) => sql`${a}::uuid[]`;
  const texts = (a: string[]) => sql`${a}::text[]`;
  const orgIds = ids(ORGANISATIONS);
  const staffIds = ids(ORGANISATIONS);
  const readerId = randomUUID();
  const seriesIds = ids(SERIES);
  const meetingIds = ids(MEETINGS);
  const goalIds = ids(GOALS);
  const year = new Date().getUTCFullYear();

  await sql`insert into organisations (id, name, slug, status, countries, mission)
    select (${uuids(orgIds)})[g], 'Prevention Network Member ' || g, 'meetings-bench-' || g, 'member', array['SDN'], 'Works to prevent mass atrocities.'
    from generate_series(1, ${ORGANISATIONS}) g`.execute(db);
  await sql`insert into people (id, display_name, email, network_role)
    select (${uuids(staffIds)})[g], 'Staff member ' || g, 'meetings-staff-' || g || '@bench.invalid', 'member' from generate_series(1, ${ORGANISATIONS}) g
    union all select ${readerId}::uuid, 'Reader', 'meetings-reader@bench.invalid', 'member'`.execute(db);
  await sql`insert into memberships (person_id, organisation_id, role)
    select (${uuids(staffIds)})[g], (${uuids(orgIds)})[g], 'org_admin' from generate_series(1, ${ORGANISATIONS}) g
    union all select ${readerId}::uuid, ${orgIds[0]}::uuid, 'staff'`.execute(db);
  await sql`insert into meeting_series (id, title, organisation_id, created_by)
    select (${uuids(seriesIds)})[g], 'Working group ' || g, (${uuids(orgIds)})[1 + (g - 1) % ${ORGANISATIONS}], (${uuids(staffIds)})[1 + (g - 1) % ${ORGANISATIONS}]
    from generate_series(1, ${SERIES}) g`.execute(db);
  // From 25 days ago to about 325 days ahead: all inside a personal feed's window.
  await sql`insert into meetings (id, uid, series_id, kind, state, title, purpose, starts_at, ends_at, time_zone, place, online_url, audience,
                                  listed_publicly, organisation_id, created_by, sequence, scheduled_at, created_at, updated_at)
    select (${uuids(meetingIds)})[g], (${uuids(meetingIds)})[g]::text || '@bench.invalid', (${uuids(seriesIds)})[1 + (g - 1) % ${SERIES}],
           (array['ad_hoc','expert_briefing','other','social','goal_setting'])[1 + g % 5], case when g % 40 = 0 then 'cancelled' else 'scheduled' end,
           'Working group ' || (1 + (g - 1) % ${SERIES}) || ', meeting ' || (1 + (g - 1) / ${SERIES}),
           'Review the early-warning picture and agree the next joint steps.',
           date_trunc('hour', now()) - interval '25 days' + make_interval(hours => g * 17),
           date_trunc('hour', now()) - interval '25 days' + make_interval(hours => g * 17 + 2),
           (${texts(ZONES)})[1 + g % ${ZONES.length}], 'Community hall, room ' || (g % 7 + 1), 'https://meet.example.org/room-' || g, 'network',
           g % 3 = 0, (${uuids(orgIds)})[1 + (g - 1) % ${ORGANISATIONS}], (${uuids(staffIds)})[1 + (g - 1) % ${ORGANISATIONS}], g % 4, now() - interval '30 days',
           now() - interval '40 days', now() - interval '1 day'
    from generate_series(1, ${MEETINGS}) g`.execute(db);
  await sql`insert into meeting_roles (meeting_id, person_id, role, organisation_id, state, answered_at)
    select id, created_by, 'chair', organisation_id, 'accepted', created_at from meetings where id = any(${uuids(meetingIds)})`.execute(db);
  const perMeeting = AGENDA_ITEMS / MEETINGS;
  await sql`insert into agenda_items (meeting_id, title, why, minutes, organisation_id, proposed_by, state, position, decided_by, decided_at)
    select m.id, (${texts(AGENDA_TITLES)})[1 + k % ${AGENDA_TITLES.length}] || ' (' || k || ')', 'Raised at the last meeting.', 5 + k % 4 * 5,
           m.organisation_id, m.created_by, case when k % 5 = 4 then 'proposed' else 'accepted' end, case when k % 5 = 4 then null else k end,
           case when k % 5 = 4 then null else m.created_by end, case when k % 5 = 4 then null else m.created_at end
    from meetings m cross join generate_series(1, ${perMeeting}) k where m.id = any(${uuids(meetingIds)})`.execute(db);
  await sql`insert into goals (id, year, title, success, organisation_id, created_by)
    select (${uuids(goalIds)})[g], ${year}, 'Goal ' || g || ': earlier action on warning signs', 'Every alert answered within a week.',
           (${uuids(orgIds)})[g], (${uuids(staffIds)})[g] from generate_series(1, ${GOALS}) g`.execute(db);
  await sql`insert into goal_leads (goal_id, organisation_id, state, invited_by, answered_by, answered_at)
    select (${uuids(goalIds)})[g], (${uuids(orgIds)})[g], 'accepted', (${uuids(staffIds)})[g], (${uuids(staffIds)})[g], now() from generate_series(1, ${GOALS}) g`.execute(db);
  await sql`insert into decisions (meeting_id, text, goal_id, search_text, organisation_id, created_by)
    select m.id, 'Agreed to act on item ' || k, (${uuids(goalIds)})[1 + (m.rn + k) % ${GOALS}], 'agreed to act on item ' || k, m.organisation_id, m.created_by
    from (select *, row_number() over (order by starts_at) rn from meetings) m cross join generate_series(1, ${DECISIONS_PER_MEETING}) k`.execute(db);
  // 50,000 actions: owners round the organisations, one in 100 offered to and accepted by the reader.
  await sql`insert into actions (title, owner_organisation_id, owner_person_id, owner_state, due_on, status, meeting_id, goal_id, organisation_id, created_by, created_at, updated_at)
    select (${texts(ACTION_TITLES)})[1 + g % ${ACTION_TITLES.length}],
           (${uuids(orgIds)})[1 + g % ${ORGANISATIONS}],
           case when g % 100 = 0 then ${readerId}::uuid end, case when g % 100 = 0 then 'accepted' end,
           current_date - 60 + g % 240,
           (array['open','open','in_progress','done','done','dropped'])[1 + g % 6],
           (${uuids(meetingIds)})[1 + g % ${MEETINGS}], (${uuids(goalIds)})[1 + g % ${GOALS}],
           (${uuids(orgIds)})[1 + g % ${ORGANISATIONS}], (${uuids(staffIds)})[1 + g % ${ORGANISATIONS}],
           now() - make_interval(days => 60 - g % 60), now() - make_interval(days => g % 60)
    from generate_series(1, ${ACTIONS}) g`.execute(db);
  await sql`insert into action_updates (action_id, status, note, person_id, organisation_id, created_at)
    select id, status, 'Progress noted at the working group.', created_by, owner_organisation_id, updated_at from actions where number % 5 = 0`.execute(db);
  const readerToken = newToken();
  await db.insertInto('sessions').values({ token_hash: sha256(readerToken), person_id: readerId, device: 'bench', expires_at: new Date(Date.now() + 86_400_000) }).execute();
  const calendarToken = newToken();
  await sql`insert into calendar_feeds (person_id, token_hash) values (${readerId}::uuid, ${sha256(calendarToken)})`.execute(db);
  await sql`analyze`.execute(db);

  const counts: Record<string, number> = {};
  for (const table of ['meetings', 'agenda_items', 'decisions', 'actions', 'action_updates', 'goals']) {
    counts[table] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n ?? 0);
  }
  return { readerId, readerToken, calendarToken, goalIds, counts, seconds: round((performance.now() - started) / 1000) };
}

const percentileOf = (sorted: number[], p: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);

/**
 * An AGM of 200 member organisations (150 checked in), one secret-ballot motion, each
 * organisation's admin voting through the service in batches of 20 at once (as a room votes),
 * then the chair closes it: each vote's time, the close's time, and whether the result is right.
 */
async function benchBallot(built: Built): Promise<Record<string, unknown>> {
  const db = built.platform.db;
  const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
  const uuids = (a: string[]) => sql`${a}::uuid[]`;
  const orgIds = ids(VOTERS);
  const adminIds = ids(VOTERS);
  await sql`insert into organisations (id, name, slug, status) select (${uuids(orgIds)})[g], 'Voting member ' || g, 'agm-bench-' || g, 'member' from generate_series(1, ${VOTERS}) g`.execute(db);
  await sql`insert into people (id, display_name, email, network_role) select (${uuids(adminIds)})[g], 'Voter ' || g, 'agm-voter-' || g || '@bench.invalid', 'member' from generate_series(1, ${VOTERS}) g`.execute(db);
  await sql`insert into memberships (person_id, organisation_id, role) select (${uuids(adminIds)})[g], (${uuids(orgIds)})[g], 'org_admin' from generate_series(1, ${VOTERS}) g`.execute(db);
  const chairOrg = orgIds[0] as string;
  const chairId = adminIds[0] as string;
  const meetingId = randomUUID();
  await sql`insert into meetings (id, uid, kind, state, title, starts_at, ends_at, audience, organisation_id, created_by, scheduled_at, quorum_percent)
    values (${meetingId}::uuid, ${`${meetingId}@bench.invalid`}, 'agm', 'scheduled', 'Annual general meeting', now(), now() + interval '3 hours', 'members', ${chairOrg}::uuid, ${chairId}::uuid, now(), 50)`.execute(db);
  await sql`insert into meeting_roles (meeting_id, person_id, role, organisation_id, state, answered_at) values (${meetingId}::uuid, ${chairId}::uuid, 'chair', ${chairOrg}::uuid, 'accepted', now())`.execute(db);
  await sql`insert into meeting_replies (meeting_id, person_id, answer, organisation_id, checked_in_at, checked_in_by)
    select ${meetingId}::uuid, (${uuids(adminIds)})[g], 'yes', (${uuids(orgIds)})[g], now(), ${chairId}::uuid from generate_series(1, 150) g`.execute(db);
  const actor = (i: number) => ({
    kind: 'person' as const,
    id: adminIds[i] as string,
    displayName: `Voter ${i + 1}`,
    networkRole: 'member' as const,
    locale: null,
    memberships: [{ organisationId: orgIds[i] as string, role: 'org_admin' as const, name: `Voting member ${i + 1}`, standing: 'member' as const }],
  });
  const { ballots } = built.services;
  const motionId = await ballots.propose(actor(0), meetingId, { text: 'To adopt the annual report and accounts', ballot: 'secret' });
  await ballots.open(actor(0), meetingId, motionId);
  const choiceOf = (i: number) => (i < 120 ? 'for' : i < 170 ? 'against' : 'abstain');
  const times: number[] = [];
  const votingStarted = performance.now();
  for (let i = 0; i < VOTERS; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, VOTERS - i) }, async (_, j) => {
        const t0 = performance.now();
        await ballots.vote(actor(i + j), meetingId, motionId, { choice: choiceOf(i + j) });
        times.push(performance.now() - t0);
      }),
    );
  }
  const votingSeconds = round((performance.now() - votingStarted) / 1000, 2);
  const closeStarted = performance.now();
  await ballots.close(actor(0), meetingId, motionId);
  const [result] = await ballots.resultsFor(actor(0), meetingId);
  const closeToResultMs = round(performance.now() - closeStarted);
  const sorted = times.sort((a, b) => a - b);
  const expected = { for: 120, against: 50, abstain: 30 };
  return {
    organisations: VOTERS,
    checkedIn: 150,
    concurrentVotes: 20,
    voteP50Ms: percentileOf(sorted, 50),
    voteP95Ms: percentileOf(sorted, 95),
    voteMaxMs: percentileOf(sorted, 100),
    votingSeconds,
    closeToResultMs,
    result: result ? { for: result.for, against: result.against, abstain: result.abstain, quorumMet: result.quorumMet, carried: result.carried } : null,
    resultRight: !!result && result.for === expected.for && result.against === expected.against && result.abstain === expected.abstain && result.carried === true,
  };
}


export interface MeetingsBench {
  database: string;
  generated: Record<string, number>;
  generateSeconds: number;
  budgetBytes: number;
  loadConnections: number;
  pages: Record<string, { paths: string[]; size?: Awaited<ReturnType<typeof size>>; single?: Awaited<ReturnType<typeof single>>; load?: LoadFigures; error?: string }>;
  ballot?: Record<string, unknown>;
  seconds: number;
}

export async function benchMeetings(adminUrl?: string): Promise<MeetingsBench> {
  const started = performance.now();
  const database = adminUrl ? 'PostgreSQL server' : 'embedded (PGlite)';
  return withBenchApp(adminUrl, { DEMO_DATA: 'false' }, async (built: Built) => {
    log(`meetings: generating ${MEETINGS} meetings, ${AGENDA_ITEMS} agenda items, ${ACTIONS} actions (${database})`);
    const generated = await generateMeetings(built.platform.db);
    log(`meetings: generated in ${generated.seconds} s`);
    await built.app.listen({ port: 0, host: HOST });
    const address = built.app.server.address();
    const base = `http://${HOST}:${typeof address === 'object' && address ? address.port : 0}`;
    const signedIn = { ...BROWSER, cookie: `ns_session=${generated.readerToken}` };
    const feed = { accept: 'text/calendar', 'accept-encoding': 'gzip, deflate, br' };
    const targets: [string, string[], Record<string, string>][] = [
      ['myActions', ['/actions/mine'], signedIn],
      ['goalProgress', generated.goalIds.slice(0, 5).map((id) => `/goals/${id}`), signedIn],
      ['calendarFeed500', [`/calendar/${generated.calendarToken}.ics`], feed],
    ];
    const pages: MeetingsBench['pages'] = {};
    for (const [name, paths, headers] of targets) {
      const first = paths[0] as string;
      try {
        const probe = await get(base, first, headers);
        if (probe.status !== 200) {
          pages[name] = { paths: [first.replace(generated.calendarToken, '<token>')], error: `answered ${probe.status}: not measured` };
          continue;
        }
        log(`meetings: ${name} (${WARMUP_SECONDS}s warm-up + ${LOAD_SECONDS}s, ${LOAD_CONNECTIONS} connections)`);
        const sized = await size(base, first, headers);
        const one = await single(base, paths, headers);
        const shown = paths.map((p) => p.replace(generated.calendarToken, '<token>'));
        pages[name] = { paths: shown.length > 1 ? [shown[0] as string, `… ${shown.length} in turn`] : shown, size: sized, single: one, load: await load(base, paths, headers) };
      } catch (err) {
        pages[name] = { paths: [first], error: err instanceof Error ? err.message : String(err) };
      }
    }
    let ballot: Record<string, unknown>;
    try {
      log('meetings: 200 organisations vote on one motion');
      ballot = await benchBallot(built);
    } catch (err) {
      ballot = { error: err instanceof Error ? err.message : String(err) };
    }
    return {
      database,
      ballot,
      generated: generated.counts,
      generateSeconds: generated.seconds,
      budgetBytes: BUDGET_BYTES,
      loadConnections: LOAD_CONNECTIONS,
      pages,
      seconds: round((performance.now() - started) / 1000),
    };
  });
}
