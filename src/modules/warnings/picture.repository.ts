import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type Reader, visibleTo } from './signs.repository.ts';

type Q = Kysely<DB> | Transaction<DB>;

/** Signs per risk factor and month ('YYYY-MM') for one country, from a first day on. */
export async function factorMonths(db: Q, reader: Reader, country: string, fromDay: string) {
  const rows = await db
    .selectFrom('warning_signs')
    .select([
      sql<string>`unnest(warning_signs.factor_codes)`.as('factor'),
      sql<string>`to_char(warning_signs.observed_on, 'YYYY-MM')`.as('month'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('warning_signs.country', '=', country)
    .where('warning_signs.observed_on', '>=', fromDay)
    .where(visibleTo(reader))
    .groupBy(['factor', 'month'])
    .execute();
  return rows.map((r) => ({ factor: r.factor, month: r.month, count: Number(r.n) }));
}

/** How many visible signs of a country were first recorded since a moment. */
export async function countRecentSigns(db: Q, reader: Reader, country: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('warning_signs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('warning_signs.country', '=', country)
    .where('warning_signs.created_at', '>=', since)
    .where(visibleTo(reader))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Factors named by visible signs observed in a window, to tell which are new. */
export async function factorsObserved(db: Q, reader: Reader, country: string, fromDay: string, beforeDay: string) {
  const rows = await db
    .selectFrom('warning_signs')
    .select(sql<string>`unnest(warning_signs.factor_codes)`.as('factor'))
    .distinct()
    .where('warning_signs.country', '=', country)
    .where('warning_signs.observed_on', '>=', fromDay)
    .where('warning_signs.observed_on', '<', beforeDay)
    .where(visibleTo(reader))
    .execute();
  return rows.map((r) => r.factor);
}

/** Corroborations, disputes and verifications of visible signs of a country since a moment. */
export async function recentReviews(db: Q, reader: Reader, country: string, since: Date) {
  const rows = await db
    .selectFrom('warning_sign_reviews')
    .innerJoin('warning_signs', 'warning_signs.id', 'warning_sign_reviews.sign_id')
    .select(['warning_sign_reviews.kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('warning_signs.country', '=', country)
    .where('warning_sign_reviews.created_at', '>=', since)
    .where(visibleTo(reader))
    .groupBy('warning_sign_reviews.kind')
    .execute();
  return new Map(rows.map((r) => [r.kind, Number(r.n)]));
}

/** Corroborated or verified visible signs per country, observed from a day on: the world map. */
export async function corroboratedByCountry(db: Q, reader: Reader, fromDay: string) {
  const rows = await db
    .selectFrom('warning_signs')
    .select(['warning_signs.country', (eb) => eb.fn.countAll<number>().as('n')])
    .where('warning_signs.state', 'in', ['corroborated', 'verified'])
    .where('warning_signs.observed_on', '>=', fromDay)
    .where(visibleTo(reader))
    .groupBy('warning_signs.country')
    .execute();
  return new Map(rows.map((r) => [r.country, Number(r.n)]));
}

/** The newest edition's forecast for a country, with the number of countries ranked. */
export async function latestForecast(db: Q, country: string) {
  return db
    .selectFrom('forecasts')
    .select([
      'forecasts.edition',
      'forecasts.ewp_name',
      'forecasts.risk',
      'forecasts.rank',
      'forecasts.first_year',
      'forecasts.last_year',
      (eb) => eb.selectFrom('forecasts as f2').select(eb.fn.countAll<number>().as('n')).whereRef('f2.edition', '=', 'forecasts.edition').as('ranked'),
    ])
    .where('forecasts.country', '=', country)
    .orderBy('forecasts.first_year', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function latestEdition(db: Q) {
  return db.selectFrom('forecasts').select(['edition', 'first_year', 'last_year']).orderBy('first_year', 'desc').limit(1).executeTakeFirst();
}

export async function topForecasts(db: Q, edition: string, limit: number) {
  return db
    .selectFrom('forecasts')
    .select(['country', 'ewp_name', 'risk', 'rank'])
    .where('edition', '=', edition)
    .orderBy('risk', 'desc')
    .orderBy('ewp_name')
    .limit(limit)
    .execute();
}

export async function alertsOfCountry(db: Q, country: string, network: boolean) {
  let q = db
    .selectFrom('alerts')
    .select(['id', 'number', 'severity', 'status', 'summary', 'created_at', 'confirmed_at'])
    .where('country', '=', country)
    .where('status', '!=', 'proposed');
  if (!network) q = q.where('sensitivity', '=', 'public');
  return q.orderBy('created_at', 'desc').limit(10).execute();
}
