// The package's main entry registers ~80 locale files of names we never use: names come from
// the ICU data already in Node (Intl.DisplayNames), so only the code tables are loaded.
import { alpha3ToAlpha2, getAlpha3Codes, numericToAlpha3 } from 'i18n-iso-countries/index.js';

/** ISO 3166-1 alpha-3 codes, sorted. */
export const COUNTRY_CODES: readonly string[] = Object.freeze(Object.keys(getAlpha3Codes()).sort());
const KNOWN = new Set(COUNTRY_CODES);

export function isCountryCode(code: unknown): code is string {
  return typeof code === 'string' && KNOWN.has(code);
}

/** world-atlas feature ids are ISO 3166-1 numeric codes as zero-padded strings ("004"). */
export function alpha3FromNumeric(numeric: string): string | undefined {
  if (!/^\d{1,3}$/.test(numeric)) return undefined;
  return numericToAlpha3(numeric);
}

// Callers pass a supported locale, but a stray value must not grow a cache without bound.
const CACHE_LIMIT = 32;

/** A per-locale memo for costly Intl objects and the lists built from them. */
export function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

const regionNames = new Map<string, Intl.DisplayNames>();

function displayNames(locale: string): Intl.DisplayNames {
  return remember(regionNames, locale, () => {
    try {
      return new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    } catch {
      // A malformed tag throws RangeError; English is better than a 500.
      return new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    }
  });
}

/** The country's name in the reader's language; the code itself when ICU has no name for it. */
export function countryName(locale: string, iso3: string): string {
  const alpha2 = isCountryCode(iso3) ? alpha3ToAlpha2(iso3) : undefined;
  if (!alpha2) return iso3;
  return displayNames(locale).of(alpha2) ?? iso3;
}

export interface Option {
  value: string;
  label: string;
}

const optionCache = new Map<string, readonly Option[]>();

/** Every country as a select option, in the reader's alphabetical order. */
export function countryOptions(locale: string): Option[] {
  const options = remember(optionCache, locale, () => {
    const collator = collatorFor(locale);
    return Object.freeze(
      COUNTRY_CODES.map((value) => ({ value, label: countryName(locale, value) })).sort((a, b) => collator.compare(a.label, b.label)),
    );
  });
  // A copy, so one page cannot reorder another's list.
  return options.map((o) => ({ ...o }));
}

export function collatorFor(locale: string): Intl.Collator {
  try {
    return new Intl.Collator(locale);
  } catch {
    return new Intl.Collator('en');
  }
}
