import { readFileSync } from 'node:fs';
import { type CsvError, parse } from 'csv-parse/sync';
// The package's main entry would register every locale; only English names are needed to read
// the English country names the Early Warning Project writes.
import { getAlpha3Code, registerLocale } from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import { isCountryCode } from '../../platform/countries.ts';

registerLocale(en);

/**
 * Reading the Early Warning Project's statistical risk assessment ("final_forecasts_data_*.csv").
 * Pure: no database, no network. Every failure is a result with a message key, never an
 * exception, because the input is an upload from a person who needs to be told what to fix.
 */

/** More rows than there are states means this is not one edition of the forecasts. */
export const MAX_FORECAST_ROWS = 400;

/** Every message key this module can return, so the locale files can be checked for them. */
export const FORECASTS_MESSAGE_KEYS = [
  'errors.forecastsEmpty',
  'errors.forecastsNotForecasts',
  'errors.forecastsTooManyRows',
  'errors.forecastsMalformed',
  'errors.forecastsBadCsv',
  'errors.forecastsBadFieldCount',
  'errors.forecastsBadName',
  'errors.forecastsBadCode',
  'errors.forecastsBadRisk',
  'errors.forecastsBadRank',
  'errors.forecastsDuplicate',
] as const;
export type ForecastsMessageKey = (typeof FORECASTS_MESSAGE_KEYS)[number];

export interface CowMapping {
  byCow: Map<number, string>;
}

/**
 * The reference table is part of the repository, not an upload: a broken one is a deployment
 * bug, so this throws rather than returning a result.
 */
export function loadCowMapping(csvText: string): CowMapping {
  const records = parse(csvText, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<string, string | undefined>[];
  const byCow = new Map<number, string>();
  for (const [i, r] of records.entries()) {
    const line = i + 2;
    const cow = r.cow_code ?? '';
    const iso3 = r.iso3 ?? '';
    if (!/^\d+$/.test(cow)) throw new Error(`COW mapping line ${line}: cow_code "${cow}" is not a number`);
    // A state without an ISO code stays unmapped, so the importer reports its rows.
    if (iso3 === '') continue;
    // A code the rest of the platform does not know could not be shown or filtered on.
    if (!isCountryCode(iso3)) throw new Error(`COW mapping line ${line}: "${iso3}" is not a known ISO 3166-1 alpha-3 code`);
    const code = Number(cow);
    if (byCow.has(code)) throw new Error(`COW mapping line ${line}: cow_code ${code} appears twice`);
    byCow.set(code, iso3);
  }
  return { byCow };
}

let defaultMapping: CowMapping | undefined;

export function defaultCowMapping(): CowMapping {
  defaultMapping ??= loadCowMapping(readFileSync(new URL('../../../reference/country-codes-cow-iso3.csv', import.meta.url), 'utf8'));
  return defaultMapping;
}

export interface ForecastEdition {
  /** The two-year window column, e.g. "risk.2025and2026.from2024". */
  riskColumn: string;
  /** The rank column for the same window, e.g. "rank.2025and2026.from2025", if the file has one. */
  rankColumn: string | null;
  firstYear: number;
  lastYear: number;
  /** The year of the predictor data (the "from" year). */
  dataYear: number;
}

export interface ForecastRow {
  /** 1-based line in the file, the header being line 1. */
  line: number;
  ewpName: string;
  cowCode: number;
  /** Null when the COW state number has no ISO code in the mapping. */
  iso3: string | null;
  /** Probability 0..1, as written in the file. */
  risk: number;
  rank: number | null;
}

export interface RowProblem {
  line: number;
  key: ForecastsMessageKey;
  values?: Record<string, string | number>;
}

export type ParseResult =
  | { ok: true; edition: ForecastEdition; rows: ForecastRow[]; unmapped: ForecastRow[] }
  | { ok: false; key: ForecastsMessageKey; values?: Record<string, string | number>; problems: RowProblem[] };

const RISK_COLUMN = /^risk\.(\d{4})and(\d{4})\.from(\d{4})$/;
const RANK_COLUMN = /^rank\.(\d{4})and(\d{4})\.from(\d{4})$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const POSITIVE_INTEGER = /^\d+$/;

/** Find the newest forecast window among the header's columns. */
export function detectEdition(header: readonly string[]): ForecastEdition | null {
  let best: ForecastEdition | null = null;
  for (const column of header) {
    const m = RISK_COLUMN.exec(column);
    if (!m) continue;
    const [firstYear, lastYear, dataYear] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (lastYear < firstYear) continue;
    // Files carry the previous edition's forecast alongside for comparison; the newest window wins,
    // and for the same window the one made from newer data.
    if (best && (firstYear < best.firstYear || (firstYear === best.firstYear && dataYear <= best.dataYear))) continue;
    best = { riskColumn: column, rankColumn: null, firstYear, lastYear, dataYear };
  }
  if (!best) return null;
  let rankFrom = -1;
  for (const column of header) {
    const m = RANK_COLUMN.exec(column);
    if (!m || Number(m[1]) !== best.firstYear || Number(m[2]) !== best.lastYear) continue;
    // The 2025 edition labels its rank "from2025" though the risk is "from2024": match the window only.
    if (Number(m[3]) > rankFrom) {
      rankFrom = Number(m[3]);
      best.rankColumn = column;
    }
  }
  return best;
}

// Cells are echoed back in messages; a pasted megabyte must not come back in an error page.
function shown(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

function notForecasts(values?: Record<string, string | number>): ParseResult {
  return values ? { ok: false, key: 'errors.forecastsNotForecasts', values, problems: [] } : { ok: false, key: 'errors.forecastsNotForecasts', problems: [] };
}

function decode(input: string | Buffer): string | null {
  if (typeof input === 'string') return input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return null;
  }
}

interface Parsed {
  record: string[];
  info: { lines: number };
}

export function parseForecasts(input: string | Buffer, mapping: CowMapping = defaultCowMapping()): ParseResult {
  const decoded = decode(input);
  // Text files never hold NUL; an image or a spreadsheet saved as .xlsx does.
  if (decoded === null || decoded.includes('\u0000')) return notForecasts();
  const text = decoded.replace(/^\ufeff/, '');
  if (text.trim() === '') return { ok: false, key: 'errors.forecastsEmpty', problems: [] };

  const syntax: { line: number; code: string }[] = [];
  let parsed: Parsed[];
  try {
    parsed = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      // Collect every broken record instead of stopping at the first, so one upload shows every fix.
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        // Without a line the error cannot be placed, so it counts against the header: refuse the file.
        if (err) syntax.push({ line: typeof err.lines === 'number' ? err.lines : 0, code: err.code });
        return undefined;
      },
    }) as unknown as Parsed[];
  } catch {
    return notForecasts();
  }

  const [head, ...body] = parsed;
  // A skipped record before the header means the header itself did not parse.
  if (!head || syntax.some((s) => s.line <= head.info.lines)) return notForecasts();
  const header = head.record.map((h) => h.trim());
  const edition = detectEdition(header);
  const nameAt = header.indexOf('ewp_name');
  const codeAt = header.indexOf('ccode');
  const missing = [nameAt < 0 ? 'ewp_name' : null, codeAt < 0 ? 'ccode' : null, edition ? null : 'risk.YYYYandYYYY.fromYYYY'].filter((c) => c !== null);
  if (missing.length > 0 || !edition) return notForecasts({ missing: missing.join(', ') });
  const riskAt = header.indexOf(edition.riskColumn);
  const rankAt = edition.rankColumn ? header.indexOf(edition.rankColumn) : -1;

  if (body.length + syntax.length === 0) return { ok: false, key: 'errors.forecastsEmpty', problems: [] };
  if (body.length + syntax.length > MAX_FORECAST_ROWS) return { ok: false, key: 'errors.forecastsTooManyRows', values: { max: MAX_FORECAST_ROWS }, problems: [] };

  const problems: RowProblem[] = syntax.map((s) => ({ line: s.line, key: 'errors.forecastsBadCsv', values: { line: s.line, code: s.code } }));
  const rows: ForecastRow[] = [];
  const firstLineOf = new Map<number, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    // A short or long row has its values under the wrong columns, so checking them would mislead.
    if (record.length !== header.length) {
      problems.push({ line, key: 'errors.forecastsBadFieldCount', values: { line, expected: header.length, actual: record.length } });
      continue;
    }
    const rowProblems: RowProblem[] = [];
    const ewpName = (record[nameAt] ?? '').trim();
    if (ewpName === '') rowProblems.push({ line, key: 'errors.forecastsBadName', values: { line } });

    const codeText = (record[codeAt] ?? '').trim();
    const cowCode = POSITIVE_INTEGER.test(codeText) ? Number(codeText) : Number.NaN;
    if (!Number.isSafeInteger(cowCode) || cowCode <= 0) {
      rowProblems.push({ line, key: 'errors.forecastsBadCode', values: { line, value: shown(codeText) } });
    } else {
      const first = firstLineOf.get(cowCode);
      if (first === undefined) firstLineOf.set(cowCode, line);
      else rowProblems.push({ line, key: 'errors.forecastsDuplicate', values: { line, value: cowCode, first } });
    }

    const riskText = (record[riskAt] ?? '').trim();
    // Number('') is 0 and Number('0x1') is 1: only plain decimals (as R writes them) count.
    const risk = DECIMAL.test(riskText) ? Number(riskText) : Number.NaN;
    if (!(risk >= 0 && risk <= 1)) rowProblems.push({ line, key: 'errors.forecastsBadRisk', values: { line, value: shown(riskText) } });

    let rank: number | null = null;
    if (rankAt >= 0) {
      const rankText = (record[rankAt] ?? '').trim();
      // R writes a missing value as NA; a country without a rank is still a forecast.
      if (rankText !== '' && rankText !== 'NA') {
        rank = POSITIVE_INTEGER.test(rankText) ? Number(rankText) : Number.NaN;
        if (!Number.isSafeInteger(rank) || rank <= 0) rowProblems.push({ line, key: 'errors.forecastsBadRank', values: { line, value: shown(rankText) } });
      }
    }

    if (rowProblems.length > 0) problems.push(...rowProblems);
    else rows.push({ line, ewpName, cowCode, iso3: mapping.byCow.get(cowCode) ?? null, risk, rank });
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    return { ok: false, key: 'errors.forecastsMalformed', values: { count: problems.length }, problems };
  }
  return { ok: true, edition, rows, unmapped: rows.filter((r) => r.iso3 === null) };
}

// EWP spellings that the English names in i18n-iso-countries do not carry (checked against the
// 2025 edition). Keys are lower case.
const ALIASES: Readonly<Record<string, string>> = {
  'democratic republic of congo': 'COD',
  'republic of congo': 'COG',
  // EWP keeps the Correlates of War label for Vietnam (COW 816).
  'democratic republic of vietnam': 'VNM',
  syria: 'SYR',
  laos: 'LAO',
  moldova: 'MDA',
  // Sic: the 2025 edition misspells Kyrgyzstan.
  kyrgystan: 'KGZ',
  macedonia: 'MKD',
};

function alpha3ForName(name: string): string | null {
  const key = name.trim().replace(/\s+/g, ' ');
  if (key === '') return null;
  const code = ALIASES[key.toLowerCase()] ?? getAlpha3Code(key, 'en');
  return code && isCountryCode(code) ? code : null;
}

/**
 * A best guess at the ISO 3166-1 alpha-3 code for an EWP country name, for a person to confirm
 * when a COW state number has no mapping. Kosovo comes back as "XKK", the user-assigned code
 * i18n-iso-countries (and so this platform's country list) uses; it has no official ISO code.
 */
export function suggestByName(ewpName: string): string | null {
  const whole = alpha3ForName(ewpName);
  if (whole) return whole;
  // EWP writes disputed names as "Burma/Myanmar".
  for (const part of ewpName.split('/')) {
    const code = alpha3ForName(part);
    if (code) return code;
  }
  return null;
}
