import { createHash } from 'node:crypto';
import { diffWords } from 'diff';

/**
 * The canonical text of a statement version: what a signature is bound to (ADR 0019). Two
 * versions that read the same to a person have the same canonical text, so the same hash,
 * whatever editor or operating system they were typed on; any change a reader could see
 * changes it. The normal form, version 1:
 *
 * - every field is Unicode NFC, line ends are "\n" (CRLF and CR become LF), trailing spaces and
 *   tabs are removed from every line, and blank lines at the start and end of a field go;
 * - the title is one line (runs of white space become one space); each ask is one line, empty
 *   asks are dropped;
 * - the fields follow in a fixed order, each introduced by a header line that names it and
 *   says how many lines follow, so no text typed into one field can pass for another:
 *
 *     northstar-statement/1
 *     language: <BCP 47 tag>
 *     title: <title>
 *     summary: <n> lines
 *     <summary lines>
 *     asks: <n>
 *     <one ask per line>
 *     body: <n> lines
 *     <body lines, Markdown as typed>
 *
 * The hash is the SHA-256 of that text encoded as UTF-8, in lowercase hex.
 */
export interface VersionContent {
  language: string;
  title: string;
  summary: string;
  asks: readonly string[];
  body: string;
}

export const CANONICAL_FORM = 'northstar-statement/1';

/** A multi-line text in normal form: NFC, LF line ends, no trailing white space, no blank edges. */
export function normaliseText(value: string): string {
  const lines = value
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/u, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/** One line: NFC, every run of white space (line breaks too) one space, trimmed. */
export function normaliseLine(value: string): string {
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** The asks as stored: one per line of the form's text, in normal form, empty ones dropped. */
export function asksFrom(text: string | readonly string[] | undefined): string[] {
  const lines = typeof text === 'string' ? text.split(/\r\n?|\n/) : [...(text ?? [])];
  return lines.map(normaliseLine).filter((l) => l !== '');
}

/** The fields of a version in normal form, as they are stored and hashed. */
export function normalised(c: VersionContent): VersionContent {
  return { language: c.language.trim(), title: normaliseLine(c.title), summary: normaliseText(c.summary), asks: asksFrom(c.asks), body: normaliseText(c.body) };
}

const lineCount = (text: string) => (text === '' ? 0 : text.split('\n').length);

export function canonicalText(content: VersionContent): string {
  const c = normalised(content);
  const out = [CANONICAL_FORM, `language: ${c.language}`, `title: ${c.title}`, `summary: ${lineCount(c.summary)} lines`];
  if (c.summary !== '') out.push(c.summary);
  out.push(`asks: ${c.asks.length}`, ...c.asks, `body: ${lineCount(c.body)} lines`);
  if (c.body !== '') out.push(c.body);
  return `${out.join('\n')}\n`;
}

export function contentSha256(content: VersionContent): string {
  return createHash('sha256').update(canonicalText(content), 'utf8').digest('hex');
}

export interface DiffPart {
  value: string;
  added: boolean;
  removed: boolean;
}

/**
 * What changed from one version to the next, field by field, word by word (jsdiff), on the
 * normal form: a change of line ends or trailing spaces is no change, as for the hash.
 */
export function versionDiff(before: VersionContent, after: VersionContent): { field: 'title' | 'summary' | 'asks' | 'body'; parts: DiffPart[]; changed: boolean }[] {
  const a = normalised(before);
  const b = normalised(after);
  const fields = [
    ['title', a.title, b.title],
    ['summary', a.summary, b.summary],
    ['asks', a.asks.join('\n'), b.asks.join('\n')],
    ['body', a.body, b.body],
  ] as const;
  return fields.map(([field, x, y]) => {
    const parts = diffWords(x, y).map((p) => ({ value: p.value, added: !!p.added, removed: !!p.removed }));
    return { field, parts, changed: parts.some((p) => p.added || p.removed) };
  });
}
