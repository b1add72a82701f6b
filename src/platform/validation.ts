import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isCountryCode } from './countries.ts';
import { AppError, type FieldErrors } from './errors.ts';
import { normaliseName } from './input.ts';
import { isLanguageCode } from './languages.ts';

/**
 * One schema per action, shared by the HTML form and the JSON API. Ajv reports every
 * problem; we map each to a catalog key so the message reaches people in their language.
 * A schema may name its own message with `errorKey` (e.g. the rules for a pseudonym).
 */
export const ajvOptions = { allErrors: true, strict: false, verbose: true, coerceTypes: false } as const;

/**
 * Formats of our own, on every Ajv instance (ours for forms, Fastify's for the API): codes
 * that must exist in the reference lists, not merely look right.
 *
 * And one keyword that changes what it checks: `normalise: 'name'` on a name, pseudonym, display
 * name or organisation name (and on the sign-in identifier, so a pseudonym is looked up as it was
 * stored). It strips bidi controls and NFC-normalises (platform/input.ts, `normaliseName`) before
 * any other rule of the string is checked, so the length and pattern see what will be stored.
 * Doing it in the schema means every way in (form, API) gets it, and no service can forget.
 */
export function addNorthstarFormats(instance: Ajv): Ajv {
  instance.addFormat('country-code', { type: 'string', validate: (v: string) => isCountryCode(v) });
  instance.addFormat('language-code', { type: 'string', validate: (v: string) => isLanguageCode(v) });
  if (!instance.getKeyword('errorKey')) instance.addKeyword({ keyword: 'errorKey', schemaType: 'string' });
  if (!instance.getKeyword('normalise')) {
    instance.addKeyword({
      keyword: 'normalise',
      type: 'string',
      schemaType: 'string',
      modifying: true,
      // First among the string rules: minLength, maxLength and pattern check the normalised text.
      before: 'maxLength',
      validate: (kind: string, data: string, _parent?: unknown, cxt?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number }) => {
        if (kind !== 'name') return false;
        if (cxt?.parentData) cxt.parentData[cxt.parentDataProperty] = normaliseName(data);
        return true;
      },
    });
  }
  return instance;
}

const ajv = new Ajv(ajvOptions);
addFormats.default(ajv);
addNorthstarFormats(ajv);

const cache = new WeakMap<TSchema, ValidateFunction>();

function keyFor(error: ErrorObject): { key: string; values?: Record<string, string | number> } {
  const own = (error.parentSchema as { errorKey?: string } | undefined)?.errorKey;
  switch (error.keyword) {
    case 'required': {
      // A box that must be ticked says why, rather than "fill in this field".
      const prop = (error.parentSchema as { properties?: Record<string, { const?: unknown; errorKey?: string }> } | undefined)?.properties?.[
        String(error.params.missingProperty)
      ];
      return { key: prop?.const !== undefined && prop.errorKey ? prop.errorKey : 'errors.required' };
    }
    case 'minLength': {
      const limit = Number(error.params.limit);
      return limit <= 1 ? { key: 'errors.required' } : { key: own ?? 'errors.minLength', values: { limit } };
    }
    case 'maxLength':
      return { key: 'errors.maxLength', values: { limit: Number(error.params.limit) } };
    case 'minItems':
      return { key: own ?? 'errors.required' };
    case 'maxItems':
      return { key: 'errors.tooMany', values: { limit: Number(error.params.limit) } };
    case 'format': {
      // The rejected value (a short code, never free text) lets the message say which one.
      const code = typeof error.data === 'string' && error.data.length <= 12 ? { code: error.data } : { code: '?' };
      return { key: own ?? `errors.format.${String(error.params.format)}`, values: code };
    }
    case 'minimum':
    case 'maximum':
      return { key: own ?? 'errors.range' };
    case 'enum':
    case 'const':
    case 'anyOf':
      return { key: own ?? 'errors.choice' };
    default:
      return { key: own ?? 'errors.invalid' };
  }
}

function fieldOf(error: ErrorObject): string {
  if (error.keyword === 'required') return String(error.params.missingProperty);
  const path = error.instancePath.split('/').filter(Boolean);
  return path[0] ?? '_';
}

export function fieldErrors(errors: readonly ErrorObject[]): FieldErrors {
  const fields: FieldErrors = {};
  // "required" first so an empty field says "enter …" rather than "too short".
  const ordered = [...errors].sort((a, b) => Number(b.keyword === 'required') - Number(a.keyword === 'required'));
  for (const error of ordered) {
    const field = fieldOf(error);
    if (!fields[field]) fields[field] = keyFor(error);
  }
  return fields;
}

/** Form bodies: repeated keys arrive as arrays; a text field takes the last value. */
function normaliseForm(input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    out[k] = Array.isArray(v) ? v[v.length - 1] : v;
  }
  return out;
}

export function parse<S extends TSchema>(schema: S, input: unknown, { form = false } = {}): Static<S> {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  const data = form ? normaliseForm(input) : input;
  if (validate(data)) return data as Static<S>;
  throw AppError.invalid(fieldErrors(validate.errors ?? []));
}

/**
 * Strings from a form: trims and turns '' into undefined so optional fields stay optional.
 * `lists` are fields that may repeat (checkboxes, multiple selects): always arrays of
 * non-empty strings, even when the form sent one value or none.
 */
const EASTERN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9\u066B\u066C]/u;
const NUMBER_LIKE = /^[\p{Nd}\s.,:/+\-\u066B\u066C]+$/u;

/**
 * Arabic-Indic (٠–٩) and Persian (۰–۹) digits, as Arabic and Persian phone keyboards type them,
 * in ASCII, with the Arabic decimal and thousands separators: for a value made only of digits and
 * separators (a code, an amount, an hour, a date). Text with words in it is left as it was typed.
 */
export function asciiDigits(value: string): string {
  if (!EASTERN_DIGITS.test(value) || !NUMBER_LIKE.test(value)) return value;
  return value.replace(/[\u0660-\u0669\u06F0-\u06F9\u066B\u066C]/gu, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x066b) return '.';
    if (code === 0x066c) return ',';
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

export function cleanForm(input: unknown, keepAsIs: readonly string[] = [], lists: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const raw = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  for (const name of lists) {
    const v = raw[name];
    const values = Array.isArray(v) ? v : v === undefined ? [] : [v];
    out[name] = values.map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '');
  }
  for (const [k, v] of Object.entries(normaliseForm(input))) {
    // The CSRF token has been checked by now; it is not part of anything a schema describes.
    if (lists.includes(k) || k === '_csrf') continue;
    if (typeof v !== 'string') {
      out[k] = v;
      continue;
    }
    const value = keepAsIs.includes(k) ? v : asciiDigits(v.trim());
    if (value !== '') out[k] = value;
  }
  return out;
}
