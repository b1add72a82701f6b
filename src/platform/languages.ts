import { collatorFor, type Option, remember } from './countries.ts';

/**
 * Languages members work in: those of the diaspora communities the network works with
 * (Syria, Sudan and South Sudan, Myanmar, Sri Lanka, North Korea, Ukraine, Afghanistan, Ethiopia
 * and Eritrea, DR Congo and the Great Lakes, Iraq, Yemen, the Sahel, the Balkans, the Caucasus…)
 * and of the countries that host them. ISO 639-1 where it exists, else 639-3 (ckb, prs, rhg, din,
 * nus, syr). Kept short on purpose: a select of 7,000 languages serves nobody.
 *
 * Each code must be one that Node's ICU can name (the tests check), or the list would show bare
 * codes. Near-duplicates are left out because ICU gives them the same name as a code already
 * here (kmr and ku are both "Kurdish"; fil and tl both "Filipino").
 */
export const LANGUAGE_CODES: readonly string[] = Object.freeze([
  // Host countries and working languages of international bodies
  'en',
  'fr',
  'es',
  'de',
  'nl',
  'it',
  'pt',
  'pl',
  'ro',
  'el',
  'sv',
  // Middle East and Central Asia
  'ar',
  'fa',
  'prs',
  'ps',
  'ku',
  'ckb',
  'tr',
  'he',
  'syr',
  'hy',
  'ka',
  'az',
  'uz',
  'ug',
  // South and South-East Asia, East Asia
  'ur',
  'hi',
  'bn',
  'ne',
  'si',
  'ta',
  'my',
  'rhg',
  'km',
  'th',
  'vi',
  'id',
  'ms',
  'tl',
  'zh',
  'ko',
  // Africa
  'sw',
  'am',
  'ti',
  'om',
  'so',
  'din',
  'nus',
  'ha',
  'yo',
  'ig',
  'ff',
  'wo',
  'rw',
  'rn',
  'ln',
  'sg',
  'kg',
  'lu',
  'lg',
  // Eastern Europe and the Balkans
  'ru',
  'uk',
  'sr',
  'bs',
  'hr',
  'sq',
]);
const KNOWN = new Set(LANGUAGE_CODES);

export function isLanguageCode(code: unknown): code is string {
  return typeof code === 'string' && KNOWN.has(code);
}

const languageNames = new Map<string, Intl.DisplayNames>();

function displayNames(locale: string): Intl.DisplayNames {
  return remember(languageNames, locale, () => {
    try {
      return new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
    } catch {
      return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
    }
  });
}

/** The language's name in the reader's language, e.g. languageName('ar', 'my') → "البورمية". */
export function languageName(locale: string, code: string): string {
  try {
    return displayNames(locale).of(code) ?? code;
  } catch {
    // of() throws on a string that is not a well-formed language tag.
    return code;
  }
}

const optionCache = new Map<string, readonly Option[]>();

export function languageOptions(locale: string): Option[] {
  const options = remember(optionCache, locale, () => {
    const collator = collatorFor(locale);
    return Object.freeze(
      LANGUAGE_CODES.map((value) => ({ value, label: languageName(locale, value) })).sort((a, b) => collator.compare(a.label, b.label)),
    );
  });
  return options.map((o) => ({ ...o }));
}
