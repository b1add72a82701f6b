/**
 * Pieces every module that publishes for other software needs (JSON-LD in pages, Atom feeds),
 * kept here so that no module copies them from another.
 */

/** JSON safe inside a <script> element: no "</script>" or "<!--" can be formed. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

/**
 * What XML 1.0 cannot hold (most control characters, lone surrogates, U+FFFE and U+FFFF) is
 * replaced, never passed on: one such character in one entry would make strict readers refuse
 * the whole feed. Breaks pasted from word processors stay breaks; the rest becomes U+FFFD, so a
 * reader sees that something was there. Text entering now is checked at the edge
 * (platform/input.ts); this covers what is already stored, or comes in another way. Passed to
 * xmlbuilder2 as `invalidCharReplacement`.
 */
export function replaceForXml(char: string): string {
  return char === '\u000B' || char === '\u000C' ? '\n' : '\uFFFD';
}

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
/** The namespace of xml:lang, which says the language of an entry's title and summary. */
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
