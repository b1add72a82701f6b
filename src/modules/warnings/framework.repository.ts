import type { Kysely, Transaction } from 'kysely';
import type { DB, Localised } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export interface FrameworkFile {
  id: string;
  version: number;
  title: Localised;
  source: string;
  factors: {
    code: string;
    kind: 'common' | 'specific';
    crime: string | null;
    title: Localised;
    gist: Localised;
    indicators: { code: string; text: Localised }[];
  }[];
}

export async function findFramework(db: Q, key: string, version: number) {
  return db.selectFrom('risk_frameworks').select(['id']).where('key', '=', key).where('version', '=', version).executeTakeFirst();
}

export async function insertFramework(trx: Transaction<DB>, file: FrameworkFile): Promise<string> {
  const { id } = await trx
    .insertInto('risk_frameworks')
    .values({ key: file.id, version: file.version, title: JSON.stringify(file.title), source: file.source })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('risk_factors')
    .values(
      file.factors.map((f, i) => ({
        framework_id: id,
        code: f.code,
        position: i,
        kind: f.kind,
        crime: f.crime,
        title: JSON.stringify(f.title),
        gist: JSON.stringify(f.gist),
      })),
    )
    .execute();
  const indicators = file.factors.flatMap((f) =>
    f.indicators.map((ind, i) => ({ framework_id: id, code: ind.code, factor_code: f.code, position: i, text: JSON.stringify(ind.text) })),
  );
  if (indicators.length > 0) await trx.insertInto('risk_indicators').values(indicators).execute();
  return id;
}

/** The newest version of each framework key; the network uses the newest one loaded. */
export async function latestFramework(db: Q) {
  return db
    .selectFrom('risk_frameworks')
    .selectAll()
    .orderBy('loaded_at', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function frameworkParts(db: Q, frameworkId: string) {
  const [factors, indicators] = await Promise.all([
    db.selectFrom('risk_factors').selectAll().where('framework_id', '=', frameworkId).orderBy('position').execute(),
    db.selectFrom('risk_indicators').selectAll().where('framework_id', '=', frameworkId).orderBy('factor_code').orderBy('position').execute(),
  ]);
  return { factors, indicators };
}
