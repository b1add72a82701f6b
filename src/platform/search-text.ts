/**
 * Text folded for search, the same way for what is stored and what is asked: case, Latin
 * accents, and the Arabic spelling variants people type interchangeably (hamza forms of alef,
 * alef maqsura, ta marbuta, diacritics, tatweel). Burmese and other scripts whose combining
 * marks carry meaning keep them.
 */
const LATIN_MARKS = /[\u0300-\u036f]/g;
const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;

export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(LATIN_MARKS, '')
    .normalize('NFC')
    .replace(ARABIC_MARKS, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A search term safe inside LIKE: its wildcards match themselves. */
export function likeEscape(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
