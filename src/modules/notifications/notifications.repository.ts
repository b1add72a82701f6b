import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AnnouncementAudience, DigestKind, Frequency, Topic } from '../../db/schema/notifications.ts';

type Q = Kysely<DB> | Transaction<DB>;

export async function preferencesOf(db: Q, personId: string) {
  const [rows, state] = await Promise.all([
    db.selectFrom('notification_preferences').select(['topic', 'frequency']).where('person_id', '=', personId).execute(),
    db.selectFrom('digest_state').select(['keep_when_inactive']).where('person_id', '=', personId).executeTakeFirst(),
  ]);
  return { chosen: new Map(rows.map((r) => [r.topic, r.frequency])), keepWhenInactive: state?.keep_when_inactive ?? false };
}

export async function setPreferences(trx: Transaction<DB>, personId: string, prefs: Partial<Record<Topic, Frequency>>, keepWhenInactive: boolean) {
  for (const [topic, frequency] of Object.entries(prefs) as [Topic, Frequency][]) {
    await trx
      .insertInto('notification_preferences')
      .values({ person_id: personId, topic, frequency })
      .onConflict((oc) => oc.columns(['person_id', 'topic']).doUpdateSet({ frequency }))
      .execute();
  }
  await trx
    .insertInto('digest_state')
    .values({ person_id: personId, keep_when_inactive: keepWhenInactive })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ keep_when_inactive: keepWhenInactive }))
    .execute();
}

export async function setTopic(trx: Transaction<DB>, personId: string, topic: Topic, frequency: Frequency) {
  await trx
    .insertInto('notification_preferences')
    .values({ person_id: personId, topic, frequency })
    .onConflict((oc) => oc.columns(['person_id', 'topic']).doUpdateSet({ frequency }))
    .execute();
}

/** Every topic of a kind of digest set to "never": what a one-click unsubscribe does. */
export async function stopKind(trx: Transaction<DB>, personId: string, kind: DigestKind, topics: readonly Topic[], defaults: Record<Topic, Frequency>) {
  const { chosen } = await preferencesOf(trx, personId);
  for (const topic of topics) {
    if ((chosen.get(topic) ?? defaults[topic]) !== kind) continue;
    await trx
      .insertInto('notification_preferences')
      .values({ person_id: personId, topic, frequency: 'never' })
      .onConflict((oc) => oc.columns(['person_id', 'topic']).doUpdateSet({ frequency: 'never' }))
      .execute();
  }
}

/** The run of a period, made by whichever instance comes first: false when it already exists. */
export async function startRun(trx: Transaction<DB>, kind: DigestKind, period: string): Promise<boolean> {
  const rows = await trx.insertInto('digest_runs').values({ kind, period }).onConflict((oc) => oc.doNothing()).returning('kind').execute();
  return rows.length > 0;
}

export async function setRunPeople(trx: Transaction<DB>, kind: DigestKind, period: string, people: number) {
  await trx.updateTable('digest_runs').set({ people }).where('kind', '=', kind).where('period', '=', period).execute();
}

/**
 * Who may get this kind of digest: active people with an address who chose it for a topic (or
 * left a topic whose default it is), and who signed in within 90 days or asked to keep getting it.
 * Signing in is read from the audit log (a session made) and from sessions in use.
 */
export async function digestCandidates(db: Q, kind: DigestKind, defaults: Record<Topic, Frequency>, activeSince: Date): Promise<string[]> {
  const defaultTopics = (Object.entries(defaults) as [Topic, Frequency][]).filter(([, f]) => f === kind).map(([t]) => t);
  const { rows } = await sql<{ id: string }>`
    select p.id from people p
    left join digest_state d on d.person_id = p.id
    where p.status = 'active' and p.email is not null
      and (exists (select 1 from notification_preferences n where n.person_id = p.id and n.frequency = ${kind})
        or exists (select 1 from unnest(${defaultTopics}::text[]) t where not exists (select 1 from notification_preferences n where n.person_id = p.id and n.topic = t)))
      and (coalesce(d.keep_when_inactive, false)
        or p.created_at >= ${activeSince}
        or exists (select 1 from sessions s where s.person_id = p.id and s.last_seen_at >= ${activeSince})
        or exists (select 1 from audit_log a where a.actor_id = p.id and a.action = 'session.create' and a.at >= ${activeSince}))
    order by p.id`.execute(db);
  return rows.map((r) => r.id);
}

/** What a digest needs of each person: address, language, memberships, preferences, last digest. */
export async function recipients(db: Q, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    email: string;
    locale: string | null;
    network_role: string;
    display_name: string;
    memberships: { organisationId: string; role: 'org_admin' | 'staff'; name: string; standing: 'member' | 'associate' }[] | null;
    prefs: { topic: Topic; frequency: Frequency }[] | null;
    last_daily_at: Date | null;
    last_weekly_at: Date | null;
  }>`
    select p.id, p.email, p.locale, p.network_role, p.display_name,
      (select json_agg(json_build_object('organisationId', m.organisation_id, 'role', m.role, 'name', o.name, 'standing', o.status))
         from memberships m join organisations o on o.id = m.organisation_id where m.person_id = p.id and o.status in ('member', 'associate')) as memberships,
      (select json_agg(json_build_object('topic', n.topic, 'frequency', n.frequency)) from notification_preferences n where n.person_id = p.id) as prefs,
      d.last_daily_at, d.last_weekly_at
    from people p left join digest_state d on d.person_id = p.id
    where p.id = any(${[...personIds]}::uuid[]) and p.email is not null and p.status = 'active'`.execute(db);
  return rows;
}

/** Those of a batch whose digest of this run is already done (a retried job sends it once). */
export async function alreadySent(trx: Transaction<DB>, personIds: readonly string[], kind: DigestKind, at: Date): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const column = kind === 'daily' ? 'last_daily_at' : 'last_weekly_at';
  const rows = await trx.selectFrom('digest_state').select('person_id').where('person_id', 'in', [...personIds]).where(column, '>=', at).forUpdate().execute();
  return new Set(rows.map((r) => r.person_id));
}

export async function markSent(trx: Transaction<DB>, personIds: readonly string[], kind: DigestKind, at: Date) {
  for (const id of personIds) {
    await trx
      .insertInto('digest_state')
      .values({ person_id: id, ...(kind === 'daily' ? { last_daily_at: at } : { last_weekly_at: at }) })
      .onConflict((oc) => oc.column('person_id').doUpdateSet(kind === 'daily' ? { last_daily_at: at } : { last_weekly_at: at }))
      .execute();
  }
}

export async function insertAnnouncement(trx: Transaction<DB>, row: { title: string; body: string; audience: AnnouncementAudience; created_by: string }) {
  return (await trx.insertInto('announcements').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function announcementsSince(db: Q, audiences: readonly AnnouncementAudience[], since: Date, until: Date, limit: number) {
  const rows = await db
    .selectFrom('announcements')
    .select(['id', 'title', sql<number>`count(*) over ()`.as('total')])
    .where('created_at', '>', since)
    .where('created_at', '<=', until)
    .where('audience', 'in', [...audiences])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

export async function findAnnouncement(db: Q, id: string) {
  return db.selectFrom('announcements').select(['id', 'title', 'body', 'audience', 'created_at']).where('id', '=', id).executeTakeFirst();
}

export async function recentAnnouncements(db: Q, audiences: readonly AnnouncementAudience[], limit: number) {
  return db.selectFrom('announcements').select(['id', 'title', 'created_at']).where('audience', 'in', [...audiences]).orderBy('created_at', 'desc').limit(limit).execute();
}

/**
 * Who is in an announcement's audience, in SQL, as `rolesOf` decides it for a page: the network is
 * the convener, associates, and staff of organisations in good standing; participants are those
 * who are participants by role or belong to no organisation in good standing.
 */
const inGoodStanding = sql`exists (select 1 from memberships m join organisations o on o.id = m.organisation_id where m.person_id = p.id and o.status in ('member', 'associate'))`;
const audienceSql = (audience: AnnouncementAudience) =>
  audience === 'everyone'
    ? sql`true`
    : audience === 'network'
      ? sql`(p.network_role in ('convener', 'associate') or ${inGoodStanding})`
      : sql`(p.network_role = 'participant' or (p.network_role = 'member' and not ${inGoodStanding}))`;

/**
 * The next batch of an announcement's audience who want it at once (the default) and signed in
 * within 90 days or asked to keep getting mail: those after `after`, in id order.
 */
export async function immediateBatch(db: Q, audience: AnnouncementAudience, after: string | null, activeSince: Date, limit: number) {
  const { rows } = await sql<{ id: string; email: string; locale: string | null }>`
    select p.id, p.email, p.locale from people p
    left join digest_state d on d.person_id = p.id
    where p.status = 'active' and p.email is not null
      and (${after}::uuid is null or p.id > ${after}::uuid)
      and coalesce((select n.frequency from notification_preferences n where n.person_id = p.id and n.topic = 'announcements'), 'immediate') = 'immediate'
      and ${audienceSql(audience)}
      and (coalesce(d.keep_when_inactive, false) or p.created_at >= ${activeSince}
        or exists (select 1 from sessions s where s.person_id = p.id and s.last_seen_at >= ${activeSince})
        or exists (select 1 from audit_log a where a.actor_id = p.id and a.action = 'session.create' and a.at >= ${activeSince}))
    order by p.id
    limit ${limit}`.execute(db);
  return rows;
}

export async function lockAnnouncement(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('announcements').select(['id', 'title', 'body', 'audience', 'fanned_out_to', 'fanned_out_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function advanceFanOut(trx: Transaction<DB>, id: string, to: string | null, done: boolean) {
  await trx.updateTable('announcements').set({ fanned_out_to: to, ...(done ? { fanned_out_at: new Date() } : {}) }).where('id', '=', id).execute();
}
