import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';

/**
 * ICU message catalogs in /locales: `<locale>.json`, plus the fragments a module keeps in
 * `<locale>/<part>.json` (so that a capability's messages live together and two people can add
 * messages without editing one file). English is the reference. A key defined twice is a
 * mistake that would make one message silently win: it stops the start.
 */
export const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'locales');
export const DEFAULT_LOCALE = 'en';
const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'dv', 'yi']);

export type Catalog = Record<string, string>;

function loadCatalogs(): Map<string, Catalog> {
  const map = new Map<string, Catalog>();
  for (const file of readdirSync(LOCALES_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const locale = file.replace(/\.json$/, '');
    const catalog = JSON.parse(readFileSync(join(LOCALES_DIR, file), 'utf8')) as Catalog;
    const fragments = join(LOCALES_DIR, locale);
    if (existsSync(fragments)) {
      for (const part of readdirSync(fragments).filter((f) => f.endsWith('.json')).sort()) {
        const more = JSON.parse(readFileSync(join(fragments, part), 'utf8')) as Catalog;
        for (const [key, message] of Object.entries(more)) {
          if (key in catalog) throw new Error(`message ${key} is defined twice (${locale}/${part})`);
          catalog[key] = message;
        }
      }
    }
    map.set(locale, catalog);
  }
  return map;
}

export const catalogs = loadCatalogs();
export const SUPPORTED_LOCALES = [...catalogs.keys()];

export function isSupportedLocale(value: unknown): value is string {
  return typeof value === 'string' && catalogs.has(value);
}

export function direction(locale: string): 'ltr' | 'rtl' {
  return RTL.has(locale.split('-')[0] ?? locale) ? 'rtl' : 'ltr';
}

/** Picks the best supported language from an Accept-Language header. */
export function negotiate(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const wanted = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number.parseFloat(q.slice(2)) : 1;
      return { tag: tag.toLowerCase(), weight: Number.isFinite(weight) ? weight : 0 };
    })
    .filter((w) => w.tag && w.weight > 0)
    .sort((a, b) => b.weight - a.weight);
  for (const { tag } of wanted) {
    if (catalogs.has(tag)) return tag;
    const primary = tag.split('-')[0];
    if (primary && catalogs.has(primary)) return primary;
  }
  return undefined;
}

export type MessageValues = Record<string, string | number | Date>;
export type Translate = (key: string, values?: MessageValues) => string;

const compiled = new Map<string, IntlMessageFormat>();
/** Per compiled message, the values it counts or formats as numbers (plural, selectordinal, number). */
const numericArgs = new WeakMap<IntlMessageFormat, Set<string>>();
/** Per compiled message, the values it chooses by (select): matched as they are, never isolated. */
const selectArgs = new WeakMap<IntlMessageFormat, Set<string>>();

type Element = { type: number; value?: string; options?: Record<string, { value: Element[] }> };

/** The arguments of the given kinds, at any depth. intl-messageformat's TYPE: 2 number, 5 select, 6 plural and selectordinal. */
function argumentsOf(elements: Element[], types: readonly number[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (types.includes(e.type) && e.value) into.add(e.value);
    for (const option of Object.values(e.options ?? {})) argumentsOf(option.value, types, into);
  }
  return into;
}

// A number passed already formatted ("1,000") is counted as NaN: "NaN participants". Under test
// that is an error, so that a view which does it fails its tests rather than a reader's page.
const STRICT = Boolean(process.env.VITEST);

/**
 * Each text value in its own direction (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL
 * ISOLATE, the text form of <bdi>): inside Arabic, an e-mail address, a web address or an English
 * name keeps its order ("info@…", not "…@info") and does not drag the punctuation around it.
 */
function isolated(values: MessageValues, format: IntlMessageFormat): MessageValues {
  const out: MessageValues = {};
  const choosers = selectArgs.get(format);
  const counted = numericArgs.get(format);
  for (const [name, value] of Object.entries(values)) {
    // Not what the message selects by or counts (it must match or parse as it is), nor a web
    // address: mail programs make links of addresses, and would take the isolate's invisible end
    // into the link. (Mails put an address on a line of its own.)
    const isolate = typeof value === 'string' && value !== '' && !choosers?.has(name) && !counted?.has(name) && !/^https?:\/\//.test(value);
    out[name] = isolate ? `\u2068${value}\u2069` : value;
  }
  return out;
}

export function translator(locale: string): Translate {
  const catalog = catalogs.get(locale) ?? catalogs.get(DEFAULT_LOCALE)!;
  const rtl = direction(locale) === 'rtl';
  const fallback = catalogs.get(DEFAULT_LOCALE)!;
  return (key, values) => {
    const useLocale = catalog[key] !== undefined ? locale : DEFAULT_LOCALE;
    const message = catalog[key] ?? fallback[key];
    if (message === undefined) return key;
    const cacheKey = `${useLocale}\u0000${key}`;
    let format = compiled.get(cacheKey);
    if (!format) {
      // The JSX renderer escapes every value, so ICU must not escape again.
      format = new IntlMessageFormat(message, useLocale, undefined, { ignoreTag: true });
      compiled.set(cacheKey, format);
      const ast = format.getAst() as unknown as Element[];
      numericArgs.set(format, argumentsOf(ast, [2, 6]));
      selectArgs.set(format, argumentsOf(ast, [5]));
    }
    if (STRICT && values) {
      for (const name of numericArgs.get(format) ?? []) {
        if (typeof values[name] === 'string') throw new Error(`${key}: pass {${name}} as a number, not the text "${values[name]}" (it is counted or formatted)`);
      }
    }
    try {
      return String(format.format(rtl && values ? isolated(values, format) : values));
    } catch {
      // A value the message needs is missing: show the message rather than fail the page.
      return message;
    }
  };
}

export interface Intl_ {
  locale: string;
  dir: 'ltr' | 'rtl';
  t: Translate;
  date(value: Date): string;
  dateTime(value: Date): string;
  number(value: number): string;
}

const intlCache = new Map<string, Intl_>();

/** Formatters are costly to build: one set per language for the life of the process. */
export function intlFor(locale: string): Intl_ {
  const cached = intlCache.get(locale);
  if (cached) return cached;
  const intl = buildIntl(locale);
  if (catalogs.has(locale)) intlCache.set(locale, intl);
  return intl;
}

function buildIntl(locale: string): Intl_ {
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const numberFmt = new Intl.NumberFormat(locale);
  return {
    locale,
    dir: direction(locale),
    t: translator(locale),
    date: (v) => dateFmt.format(v),
    dateTime: (v) => dateTimeFmt.format(v),
    number: (v) => numberFmt.format(v),
  };
}
