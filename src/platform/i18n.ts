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

export function translator(locale: string): Translate {
  const catalog = catalogs.get(locale) ?? catalogs.get(DEFAULT_LOCALE)!;
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
    }
    try {
      return String(format.format(values));
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
