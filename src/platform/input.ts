import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldErrors } from './errors.ts';

/**
 * Text at the edge (ADR 0017). Before any handler runs, every piece of text a request carries
 * (the path and its parameters, the query string, and every string in a form or JSON body) is
 * checked once, here, so no route needs to remember it and nothing reaches the database that it
 * would refuse (PostgreSQL cannot store NUL in text) or that would break what we publish (XML
 * forbids most control characters).
 *
 * One rule, refuse rather than strip: a control character is never typed on purpose, and
 * quietly changing what someone sent (a witness statement, a pseudonym) is worse than telling
 * them. So the request is answered 400 with a message in the reader's language and nothing is
 * written. Search boxes too: nobody types a NUL into one, and one rule everywhere is easier to
 * trust and to test than "strip here, refuse there". The exceptions are what real text holds:
 * - TAB, LF and CR in the query string and the body (multi-line text, pasted tables);
 * - VT, FF and NEL, which word processors and PDFs leave in pasted text as line and page
 *   breaks: in the query string and the body they become LF rather than losing someone's text;
 * - the name of an uploaded file is the sender's disk's, not typed: `safeFilename` replaces
 *   its control characters instead (the upload itself is bytes and is not looked at here).
 * A path has no place for any control character at all (ids, tokens, slugs).
 * Lone surrogates (a broken UTF-16 `\uD800` in JSON) are refused the same way: they cannot be
 * stored faithfully. A percent-encoding that is not UTF-8 (`%FF`, `%ED%A0%80`) is left as typed
 * by Fastify's parsers, so it arrives as harmless text and needs nothing here.
 */

/** C0 controls but TAB, LF, CR; DEL; C1 controls; not VT, FF, NEL (line breaks in disguise). */
const FORBIDDEN_IN_TEXT = /(?![\t\n\r\v\f\u0085])\p{Cc}/u;
/** Every control character: nothing in a path is multi-line text. */
const FORBIDDEN_IN_PATH = /\p{Cc}/u;
const LINE_BREAK_IN_DISGUISE = /[\v\f\u0085]/g;
/** With the u flag a surrogate class matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** Bidirectional embeddings, overrides and isolates: they can make a name read as another. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export type TextProblem = 'control' | 'surrogate';

/** What is wrong with a piece of text, if anything. */
export function textProblem(value: string, where: 'text' | 'path' = 'text'): TextProblem | undefined {
  if ((where === 'path' ? FORBIDDEN_IN_PATH : FORBIDDEN_IN_TEXT).test(value)) return 'control';
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  return undefined;
}

/** Text with the control characters that are only line breaks turned into LF. */
export function withPlainLineBreaks(value: string): string {
  return value.replace(LINE_BREAK_IN_DISGUISE, '\n');
}

export function stripBidiControls(value: string): string {
  return value.replace(BIDI_CONTROLS, '');
}

/**
 * A name as it is stored and compared: people's names, pseudonyms, display names, organisation
 * names. Bidi controls go (a name cannot be made to read backwards, or to hide its end), and it
 * is NFC-normalised, so "é" typed as one character or as "e" plus an accent is one name: signing
 * in with either finds the same pseudonym.
 */
export function normaliseName(value: string): string {
  return stripBidiControls(value).normalize('NFC').trim();
}

function refusal(fields: FieldErrors, internal: string): AppError {
  return new AppError('invalid_input', 'errors.controlCharacter', { fields, internal });
}

/**
 * Walks a parsed body or query: every string (keys too) is checked and its disguised line breaks
 * made plain. Returns the first field with a problem. Files from a multipart form are skipped:
 * their names go through safeFilename, their bytes are not text.
 */
function cleanValues(container: Record<string, unknown> | unknown[], field: string | undefined, depth: number): string | undefined {
  // No form or API body nests this deep; refusing beats walking an attacker's structure.
  if (depth > 20) return field ?? '_';
  for (const key of Object.keys(container)) {
    const here = field ?? key;
    if (textProblem(key)) return here;
    const value = (container as Record<string, unknown>)[key];
    if (typeof value === 'string') {
      if (textProblem(value)) return here;
      const plain = withPlainLineBreaks(value);
      if (plain !== value) (container as Record<string, unknown>)[key] = plain;
    } else if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !isFile(value)) {
      const bad = cleanValues(value as Record<string, unknown>, here, depth + 1);
      if (bad) return bad;
    }
  }
  return undefined;
}

function isFile(value: object): boolean {
  return 'data' in value && Buffer.isBuffer((value as { data: unknown }).data);
}

/** The path as sent, without its query string and percent-decoded, and each route parameter. */
function pathProblem(req: FastifyRequest): TextProblem | undefined {
  const raw = req.url.split('?')[0] ?? '';
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // A "%" that encodes nothing (or not UTF-8) stays as typed, as the router and the query
    // parser leave it: harmless text, and a hand-typed "100%" is not worth a refusal.
  }
  const problem = textProblem(path, 'path');
  if (problem) return problem;
  for (const value of Object.values((req.params ?? {}) as Record<string, unknown>)) {
    const inParam = typeof value === 'string' ? textProblem(value, 'path') : undefined;
    if (inParam) return inParam;
  }
  return undefined;
}

/**
 * Registered once, in app.tsx, after the HTTP platform (so the reader is known and the message
 * is in their language, and the CSRF check has run) and before every module's routes (Fastify
 * gives a route the hooks added before it). The path and query are checked as soon as the route
 * is known; bodies, multipart ones included, once they are parsed.
 */
export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (pathProblem(req)) throw refusal({}, 'control character in the path');
    const query = req.query as Record<string, unknown> | undefined;
    if (query && typeof query === 'object') {
      const bad = cleanValues(query, undefined, 0);
      if (bad) throw refusal({ [bad]: { key: 'errors.controlCharacter' } }, 'control character in the query');
    }
  });
  app.addHook('preValidation', async (req) => {
    const body = req.body;
    if (typeof body === 'string') {
      if (textProblem(body)) throw refusal({}, 'control character in the body');
      req.body = withPlainLineBreaks(body);
    } else if (body && typeof body === 'object' && !Buffer.isBuffer(body)) {
      const bad = cleanValues(body as Record<string, unknown>, undefined, 0);
      if (bad) throw refusal({ [bad]: { key: 'errors.controlCharacter' } }, 'control character in the body');
    }
  });
}
