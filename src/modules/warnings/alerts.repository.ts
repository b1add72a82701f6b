import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { AlertStatus, DB, DeliveryMode, Severity } from '../../db/schema.ts';
import { type Reader, visibleTo } from './signs.repository.ts';

type Q = Kysely<DB> | Transaction<DB>;

const ALERT_COLUMNS = [
  'alerts.id',
  'alerts.number',
  'alerts.organisation_id',
  'alerts.country',
  'alerts.severity',
  'alerts.summary',
  'alerts.actions',
  'alerts.deadline',
  'alerts.sensitivity',
  'alerts.status',
  'alerts.confirmed_organisation_id',
  'alerts.confirmed_at',
  'alerts.outcome',
  'alerts.closed_at',
  'alerts.created_at',
  'organisations.name as organisation_name',
] as const;

/**
 * Whether the person in `people` (under that alias) reads network-only alerts now: the
 * convener, or a member of a member organisation, as rolesOf decides for a signed-in request
 * (a suspended organisation's staff and an associate organisation's are not). Mail follows the
 * same rule as the pages, at fan-out and again when the mail is written.
 */
export function networkPerson(alias = 'p'): RawBuilder<boolean> {
  const id = sql.ref(`${alias}.id`);
  const role = sql.ref(`${alias}.network_role`);
  return sql<boolean>`(${role} = 'convener' or (${role} = 'member' and exists (
    select 1 from memberships m join organisations o on o.id = m.organisation_id
    where m.person_id = ${id} and o.status = 'member')))`;
}

/** Network readers see every alert; everyone else public alerts once confirmed. */
function visible(db: Q, network: boolean) {
  let q = db.selectFrom('alerts').innerJoin('organisations', 'organisations.id', 'alerts.organisation_id');
  if (!network) q = q.where('alerts.sensitivity', '=', 'public').where('alerts.status', '!=', 'proposed');
  return q;
}

export type AlertRow = NonNullable<Awaited<ReturnType<typeof findAlert>>>;

export async function findAlert(db: Q, network: boolean, id: string) {
  return visible(db, network).select([...ALERT_COLUMNS]).where('alerts.id', '=', id).executeTakeFirst();
}

export async function listAlerts(db: Q, network: boolean, status: AlertStatus | undefined, limit: number) {
  let q = visible(db, network).select([...ALERT_COLUMNS]);
  if (status) q = q.where('alerts.status', '=', status);
  return q.orderBy('alerts.created_at', 'desc').limit(limit).execute();
}

export async function insertAlert(
  trx: Transaction<DB>,
  values: { organisation_id: string; proposed_by: string; country: string; severity: Severity; summary: string; actions: string[]; deadline: string | null; sensitivity: 'public' | 'network' },
): Promise<string> {
  const { id } = await trx
    .insertInto('alerts')
    .values({ ...values, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertAlertSigns(trx: Transaction<DB>, alertId: string, signIds: readonly string[]): Promise<void> {
  await trx
    .insertInto('alert_signs')
    .values(signIds.map((sign_id) => ({ alert_id: alertId, sign_id })))
    .execute();
}

/** The signs cited by an alert that this reader may see. */
export async function alertSigns(db: Q, reader: Reader, alertId: string) {
  return db
    .selectFrom('alert_signs')
    .innerJoin('warning_signs', 'warning_signs.id', 'alert_signs.sign_id')
    .innerJoin('organisations', 'organisations.id', 'warning_signs.organisation_id')
    .select([
      'warning_signs.id',
      'warning_signs.observed_on',
      'warning_signs.description',
      'warning_signs.state',
      'warning_signs.factor_codes',
      'organisations.name as organisation_name',
    ])
    .where('alert_signs.alert_id', '=', alertId)
    .where(visibleTo(reader))
    .orderBy('warning_signs.observed_on', 'desc')
    .execute();
}

export async function alertFactors(db: Q, alertId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('alert_signs')
    .innerJoin('warning_signs', 'warning_signs.id', 'alert_signs.sign_id')
    .select(sql<string>`unnest(warning_signs.factor_codes)`.as('factor'))
    .distinct()
    .where('alert_signs.alert_id', '=', alertId)
    .execute();
  return rows.map((r) => r.factor);
}

export async function lockAlert(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('alerts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateAlert(
  trx: Transaction<DB>,
  id: string,
  values: Partial<{ status: AlertStatus; confirmed_by: string; confirmed_organisation_id: string | null; confirmed_at: Date; outcome: string; closed_by: string; closed_at: Date }>,
) {
  await trx
    .updateTable('alerts')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function insertResponse(
  trx: Transaction<DB>,
  values: { alert_id: string; organisation_id: string | null; person_id: string; kind: 'will_act' | 'cannot' | 'comment'; body: string; public: boolean },
) {
  await trx.insertInto('alert_responses').values(values).execute();
}

/** Responses to an alert: all of them for the network, only those made public for anyone else. */
export async function responses(db: Q, alertId: string, network: boolean) {
  let q = db
    .selectFrom('alert_responses')
    .leftJoin('organisations', 'organisations.id', 'alert_responses.organisation_id')
    .select(['alert_responses.id', 'alert_responses.kind', 'alert_responses.body', 'alert_responses.created_at', 'alert_responses.public', 'organisations.name as organisation_name'])
    .where('alert_responses.alert_id', '=', alertId);
  if (!network) q = q.where('alert_responses.public', '=', true);
  return q.orderBy('alert_responses.created_at').execute();
}

export async function insertMeetingRequest(trx: Transaction<DB>, values: { alert_id: string; organisation_id: string | null; requested_by: string; purpose: string }) {
  const { id } = await trx.insertInto('meeting_requests').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function meetingRequests(db: Q, alertId: string) {
  return db
    .selectFrom('meeting_requests')
    .leftJoin('organisations', 'organisations.id', 'meeting_requests.organisation_id')
    .select(['meeting_requests.id', 'meeting_requests.purpose', 'meeting_requests.status', 'meeting_requests.created_at', 'organisations.name as organisation_name'])
    .where('meeting_requests.alert_id', '=', alertId)
    .orderBy('meeting_requests.created_at')
    .execute();
}

// ---- subscriptions and delivery ----------------------------------------------------------

export async function subscriptionsOf(db: Q, personId: string) {
  return db.selectFrom('alert_subscriptions').selectAll().where('person_id', '=', personId).orderBy('created_at').execute();
}

export async function insertSubscription(trx: Transaction<DB>, values: { person_id: string; countries: string[]; factor_codes: string[]; min_severity: Severity }) {
  const { id } = await trx.insertInto('alert_subscriptions').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function deleteSubscription(trx: Transaction<DB>, personId: string, id: string): Promise<boolean> {
  const r = await trx.deleteFrom('alert_subscriptions').where('id', '=', id).where('person_id', '=', personId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deliveryMode(db: Q, personId: string): Promise<DeliveryMode> {
  const row = await db.selectFrom('alert_settings').select('mode').where('person_id', '=', personId).executeTakeFirst();
  return row?.mode ?? 'immediate';
}

export async function setDeliveryMode(trx: Transaction<DB>, personId: string, mode: DeliveryMode) {
  await trx
    .insertInto('alert_settings')
    .values({ person_id: personId, mode, updated_at: new Date() })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ mode, updated_at: new Date() }))
    .execute();
}

/**
 * Everyone whose saved filters match, who may read the alert, gets one delivery row; the
 * primary key (alert, person) makes a second fan-out of the same alert add nobody.
 */
export async function createDeliveries(
  trx: Transaction<DB>,
  alert: { id: string; country: string; severity: Severity; sensitivity: 'public' | 'network' },
  factors: readonly string[],
): Promise<{ person_id: string; mode: DeliveryMode }[]> {
  const severities = sql`array['moderate','high','critical']::text[]`;
  const factorArray = sql`${sql.val(factors as string[])}::text[]`;
  const result = await sql<{ person_id: string; mode: DeliveryMode }>`
    insert into alert_deliveries (alert_id, person_id, mode)
    select distinct ${alert.id}::uuid, s.person_id, coalesce(st.mode, 'immediate')
    from alert_subscriptions s
    join people p on p.id = s.person_id and p.status = 'active'
    left join alert_settings st on st.person_id = s.person_id
    where (cardinality(s.countries) = 0 or ${alert.country} = any(s.countries))
      and (cardinality(s.factor_codes) = 0 or s.factor_codes && ${factorArray})
      and array_position(${severities}, s.min_severity) <= array_position(${severities}, ${alert.severity}::text)
      and (${alert.sensitivity} = 'public' or ${networkPerson('p')})
    on conflict (alert_id, person_id) do nothing
    returning person_id, mode`.execute(trx);
  return result.rows;
}

/** Marks deliveries as mailed and returns those not mailed before: each pair is mailed once. */
export async function claimImmediate(trx: Transaction<DB>, alertId: string, personIds: readonly string[], networkOnly: boolean) {
  if (personIds.length === 0) return [];
  let q = trx
    .updateTable('alert_deliveries')
    .set({ mailed_at: new Date() })
    .from('people')
    .whereRef('people.id', '=', 'alert_deliveries.person_id');
  // Someone whose organisation was suspended since the fan-out is not mailed a network alert.
  if (networkOnly) q = q.where(networkPerson('people'));
  return q
    .where('alert_deliveries.alert_id', '=', alertId)
    .where('alert_deliveries.person_id', 'in', personIds)
    .where('alert_deliveries.mode', '=', 'immediate')
    .where('alert_deliveries.mailed_at', 'is', null)
    .returning(['people.id', 'people.email', 'people.locale'])
    .execute();
}

/** The digest's alerts: network-only ones only while the person still reads them. */
export async function claimDigest(trx: Transaction<DB>, personId: string) {
  return trx
    .updateTable('alert_deliveries')
    .set({ mailed_at: new Date() })
    .where('person_id', '=', personId)
    .where('mode', '=', 'digest')
    .where('mailed_at', 'is', null)
    .where(
      sql<boolean>`(exists (select 1 from alerts a where a.id = alert_deliveries.alert_id and a.sensitivity = 'public')
        or exists (select 1 from people p where p.id = alert_deliveries.person_id and ${networkPerson('p')}))`,
    )
    .returning(['alert_id'])
    .execute();
}

export async function alertsByIds(db: Q, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('alerts')
    .innerJoin('organisations', 'organisations.id', 'alerts.organisation_id')
    .select([...ALERT_COLUMNS])
    .where('alerts.id', 'in', ids)
    .orderBy('alerts.number')
    .execute();
}

export async function personContact(db: Q, personId: string) {
  return db.selectFrom('people').select(['id', 'email', 'locale']).where('id', '=', personId).where('status', '=', 'active').executeTakeFirst();
}

export async function inbox(db: Q, personId: string, network: boolean, limit: number) {
  let q = db
    .selectFrom('alert_deliveries')
    .innerJoin('alerts', 'alerts.id', 'alert_deliveries.alert_id')
    .select(['alerts.id', 'alerts.number', 'alerts.country', 'alerts.severity', 'alerts.summary', 'alerts.status', 'alert_deliveries.created_at', 'alert_deliveries.read_at'])
    .where('alert_deliveries.person_id', '=', personId);
  if (!network) q = q.where('alerts.sensitivity', '=', 'public');
  return q
    .orderBy('alert_deliveries.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function markRead(db: Q, alertId: string, personId: string) {
  await db
    .updateTable('alert_deliveries')
    .set({ read_at: new Date() })
    .where('alert_id', '=', alertId)
    .where('person_id', '=', personId)
    .where('read_at', 'is', null)
    .execute();
}

export async function deliveryCount(db: Q, alertId: string) {
  const row = await db
    .selectFrom('alert_deliveries')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('mailed_at').as('mailed')])
    .where('alert_id', '=', alertId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.n), mailed: Number(row.mailed) };
}

/** Visible signs of a country an alert may cite (never restricted ones). */
export async function citableSigns(db: Q, reader: Reader, country: string, fromDay: string) {
  return db
    .selectFrom('warning_signs')
    .innerJoin('organisations', 'organisations.id', 'warning_signs.organisation_id')
    .select(['warning_signs.id', 'warning_signs.observed_on', 'warning_signs.description', 'warning_signs.sensitivity', 'warning_signs.state', 'organisations.name as organisation_name'])
    .where('warning_signs.country', '=', country)
    .where('warning_signs.sensitivity', '!=', 'restricted')
    .where('warning_signs.observed_on', '>=', fromDay)
    .where(visibleTo(reader))
    .orderBy('warning_signs.observed_on', 'desc')
    .limit(50)
    .execute();
}

export async function signsForAlert(db: Q, reader: Reader, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('warning_signs')
    .select(['id', 'country', 'sensitivity'])
    .where('id', 'in', ids)
    .where(visibleTo(reader))
    .execute();
}
