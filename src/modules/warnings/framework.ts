import { readFileSync } from 'node:fs';
import type { Db } from '../../db/database.ts';
import type { Localised } from '../../db/schema.ts';
import * as repo from './framework.repository.ts';
import type { FrameworkFile } from './framework.repository.ts';

/**
 * The risk framework (RISK-FRAMEWORK.md) is reference data: JSON files in
 * reference/risk-framework, loaded into the database at start-up when their (id, version) is
 * not there yet. Adopting a revised framework is a new file with a higher version, not a
 * release; signs keep pointing at the framework version they were recorded against.
 */
const FRAMEWORK_FILES = ['un-2014.json'];

export interface RiskFactor {
  code: string;
  kind: 'common' | 'specific';
  crime: string | null;
  title: Localised;
  gist: Localised;
  indicators: { code: string; text: Localised }[];
}

export class Framework {
  readonly factorByCode: ReadonlyMap<string, RiskFactor>;
  readonly indicatorFactor: ReadonlyMap<string, string>;

  constructor(
    readonly id: string,
    readonly key: string,
    readonly version: number,
    readonly title: Localised,
    readonly factors: readonly RiskFactor[],
  ) {
    this.factorByCode = new Map(factors.map((f) => [f.code, f]));
    this.indicatorFactor = new Map(factors.flatMap((f) => f.indicators.map((i) => [i.code, f.code] as const)));
  }

  /** A code is a factor ("7") or an indicator ("7.4"); anything else is unknown. */
  isKnown(code: string): boolean {
    return this.factorByCode.has(code) || this.indicatorFactor.has(code);
  }

  factorOf(code: string): string | undefined {
    return this.factorByCode.has(code) ? code : this.indicatorFactor.get(code);
  }

  label(code: string, locale: string): string {
    const factor = this.factorByCode.get(code);
    if (factor) return localised(factor.title, locale);
    const factorCode = this.indicatorFactor.get(code);
    const indicator = factorCode ? this.factorByCode.get(factorCode)?.indicators.find((i) => i.code === code) : undefined;
    return indicator ? localised(indicator.text, locale) : code;
  }
}

export function localised(text: Localised, locale: string): string {
  return text[locale] ?? text.en ?? Object.values(text)[0] ?? '';
}

function readFrameworkFile(name: string): FrameworkFile {
  const url = new URL(`../../../reference/risk-framework/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as FrameworkFile;
}

/** Loads any framework file not yet in the database. Safe to run at every start. */
export async function loadFrameworks(db: Db): Promise<void> {
  for (const name of FRAMEWORK_FILES) {
    const file = readFrameworkFile(name);
    if (await repo.findFramework(db, file.id, file.version)) continue;
    await db.transaction().execute(async (trx) => {
      // Two processes starting at once: the unique (key, version) makes the loser fail; recheck.
      if (await repo.findFramework(trx, file.id, file.version)) return;
      await repo.insertFramework(trx, file);
    });
  }
}

export async function currentFramework(db: Db): Promise<Framework> {
  const row = await repo.latestFramework(db);
  if (!row) throw new Error('No risk framework loaded');
  const { factors, indicators } = await repo.frameworkParts(db, row.id);
  const byFactor = new Map<string, { code: string; text: Localised }[]>();
  for (const i of indicators) {
    const list = byFactor.get(i.factor_code) ?? [];
    list.push({ code: i.code, text: i.text });
    byFactor.set(i.factor_code, list);
  }
  return new Framework(
    row.id,
    row.key,
    row.version,
    row.title,
    factors.map((f) => ({ code: f.code, kind: f.kind, crime: f.crime, title: f.title, gist: f.gist, indicators: byFactor.get(f.code) ?? [] })),
  );
}
