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

export async function setPreferences(trx: Transaction<DB>, personId: string, prefs: Record<Topic, Frequency>, keepWhenInactive: boolean) {
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
    where p.id = any(${[...personIds]}::uuid[]) and p.email is not null`.execute(db);
  return rows;
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

export async function announcementsSince(db: Q, audiences: readonly AnnouncementAudience[], since: Date, limit: number) {
  const rows = await db
    .selectFrom('announcements')
    .select(['id', 'title', sql<number>`count(*) over ()`.as('total')])
    .where('created_at', '>', since)
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

/** Those an announcement reaches at once: its audience, who chose "immediate" (the default). */
export async function immediateFor(db: Q, audience: AnnouncementAudience) {
  const { rows } = await sql<{ id: string; email: string; locale: string | null }>`
    select p.id, p.email, p.locale from people p
    where p.status = 'active' and p.email is not null
      and coalesce((select n.frequency from notification_preferences n where n.person_id = p.id and n.topic = 'announcements'), 'immediate') = 'immediate'
      and (${audience} = 'everyone'
        or (${audience} = 'participants' and p.network_role = 'participant')
        or (${audience} = 'network' and (p.network_role = 'convener' or exists (
          select 1 from memberships m join organisations o on o.id = m.organisation_id where m.person_id = p.id and o.status in ('member', 'associate')))))`.execute(db);
  return rows;
}
