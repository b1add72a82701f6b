import { LANGUAGE_CODES } from '../../platform/languages.ts';
import { foldForSearch } from '../../platform/search-text.ts';

/**
 * Search in the network's languages (ADR 0022). A resource's vector holds, for its title (weight
 * A), summary and authors (B), and the text of its file (C):
 * - stemmed words, where PostgreSQL has a Snowball stemmer for its language (English, French,
 *   Arabic, Tamil …), made by `to_tsvector` in SQL;
 * - every word as folded here (case, accents, Arabic letter variants and harakat: the
 *   directory's folding), and for Arabic script the word without its clitic prefixes (`ال`,
 *   `وال`, `بال`, `و` …), so `كتاب` finds `الكتاب` and `والكتاب`; a query word matches them as a
 *   prefix, so it also finds `وكتابهم`;
 * - character trigrams (weight D) of every word of a language without a stemmer (Burmese,
 *   Tigrinya, Amharic, Kurdish, Persian, Ukrainian, Korean …) and of any word in a script
 *   written without spaces (Burmese, Thai, Khmer, Chinese …), so that a word inside a longer
 *   string is found; the match is then confirmed on the folded text itself.
 * The words and trigrams are made here, not by the database's parser, because the embedded
 * database (C locale) and a server (C.UTF-8) split non-Latin scripts differently: the literal
 * tsvector built here is the same on both.
 */

/** PostgreSQL's Snowball configurations, by the language codes the platform offers. */
const ALL_STEMMERS: Record<string, string> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  en: 'english',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};
const STEMMERS: Record<string, string> = Object.fromEntries(Object.entries(ALL_STEMMERS).filter(([code]) => LANGUAGE_CODES.includes(code)));
/** The configurations a query is stemmed with: it may be in any of them. */
export const QUERY_STEMMERS: readonly string[] = [...new Set(Object.values(STEMMERS))].sort();

/** The stemmer configuration for a BCP 47 tag (its primary language), if PostgreSQL has one. */
export function stemmerFor(language: string): string | undefined {
  return STEMMERS[language.toLowerCase().split('-')[0] ?? ''];
}

const WORD_SPLIT = /[^\p{L}\p{M}\p{N}]+/u;
const NO_SPACES = /[\p{Script=Myanmar}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Tibetan}]/u;
const ARABIC = /\p{Script=Arabic}/u;
/** Clitics written joined to an Arabic word: the article and the conjunctions and prepositions before it, longest first. */
const ARABIC_PREFIXES = ['وبال', 'وكال', 'فبال', 'وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل', 'ك'];
const GRAM = 'ǂ';
/** tsvector's own limits: positions up to 16383, lexemes under 2 KB; beyond these words add nothing. */
const MAX_POSITION = 16383;
const MAX_WORD = 120;
const POSITIONS_PER_LEXEME = 8;
const MAX_GRAMS = 40_000;
/**
 * PostgreSQL refuses a tsvector over 1 MB (its lexemes' bytes and positions). The literal made
 * here stays under this many bytes, leaving room for the stems `to_tsvector` adds: words first,
 * then trigrams while there is room. Beyond it, a very long text is found by its first part.
 */
const LITERAL_BUDGET = 600_000;

/**
 * The folded words of a text, in order. A run longer than MAX_WORD (Burmese or Chinese, written
 * without spaces, easily makes one) is kept whole: its trigrams find what is inside it, and the
 * lexeme made of it is cut (indexText).
 */
export function wordsOf(text: string): string[] {
  return foldForSearch(text)
    .split(WORD_SPLIT)
    .filter((w) => w.length > 0);
}

/**
 * An Arabic-script word without the clitic prefixes joined to it (at least three letters left).
 * A query strips only the article and what is joined to it (`ال`, `وال`, `بال` …): a single
 * letter stripped from a query word would widen it too far (`كتاب` is not `تاب`), while in the
 * text the extra form costs nothing.
 */
export function arabicStems(word: string, forQuery = false): string[] {
  if (!ARABIC.test(word)) return [];
  const out: string[] = [];
  for (const p of forQuery ? ARABIC_PREFIXES.filter((x) => x.length > 1) : ARABIC_PREFIXES) {
    if (word.startsWith(p) && [...word].length - [...p].length >= 3) out.push(word.slice(p.length));
  }
  return out;
}

function trigrams(word: string): string[] {
  const chars = [...word];
  if (chars.length < 3) return [];
  const out: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) out.push(chars.slice(i, i + 3).join(''));
  return out;
}

const needsGrams = (word: string, stemmed: boolean) => !stemmed || NO_SPACES.test(word);

/** A lexeme as tsvector and tsquery literals write it: quoted, with quotes and backslashes escaped. */
function quote(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export interface IndexedText {
  /** What a match is confirmed on, and what the passage is looked for in. */
  folded: string;
  /** A tsvector literal: the folded words (with positions and weights) and the trigrams. */
  vector: string;
}

/**
 * The words and trigrams of a resource's parts, as a tsvector literal. `parts` are given with
 * their weight, most important first.
 */
export function indexText(parts: readonly { text: string; weight: 'A' | 'B' | 'C' }[], language: string): IndexedText {
  const stemmed = stemmerFor(language) !== undefined;
  const positions = new Map<string, string[]>();
  const grams = new Set<string>();
  let position = 0;
  let bytes = 0;
  const folded: string[] = [];
  const add = (lexeme: string, at: string) => {
    const list = positions.get(lexeme);
    if (!list) {
      const cost = Buffer.byteLength(lexeme) + 8;
      if (bytes + cost > LITERAL_BUDGET) return;
      bytes += cost;
      positions.set(lexeme, [at]);
    } else if (list.length < POSITIONS_PER_LEXEME) {
      list.push(at);
      bytes += 2;
    }
  };
  const addGram = (g: string) => {
    if (grams.has(g) || grams.size >= MAX_GRAMS) return;
    const cost = Buffer.byteLength(g) + 6;
    if (bytes + cost > LITERAL_BUDGET) return;
    bytes += cost;
    grams.add(g);
  };
  for (const part of parts) {
    if (!part.text) continue;
    folded.push(foldForSearch(part.text));
    for (const word of wordsOf(part.text)) {
      position = Math.min(position + 1, MAX_POSITION);
      const at = `${position}${part.weight}`;
      add([...word].slice(0, MAX_WORD).join(''), at);
      for (const stem of arabicStems(word)) add([...stem].slice(0, MAX_WORD).join(''), at);
      if (needsGrams(word, stemmed)) for (const g of trigrams(word)) addGram(g);
    }
  }
  const lexemes = [...positions].map(([lexeme, at]) => `${quote(lexeme)}:${at.join(',')}`);
  // Trigrams weigh least: they find a word inside another, and rank below whole words.
  for (const g of grams) lexemes.push(`${quote(GRAM + g)}:1D`);
  return { folded: folded.join('\n'), vector: lexemes.join(' ') };
}

export interface SearchQuery {
  /** The folded words, as typed, for the passage and the confirming match. */
  words: string[];
  /** Per word: a tsquery literal of its whole-word forms (in Arabic script as prefixes, with and without clitics). */
  plain: string[];
  /** Per word: a tsquery literal of its trigrams (all of them), or undefined for a short word. */
  grams: (string | undefined)[];
}

/** At most this many words of a query count: a pasted paragraph is not a search. */
const MAX_QUERY_WORDS = 12;

export function searchQuery(q: string): SearchQuery {
  const words = [...new Set(wordsOf(q).map((w) => [...w].slice(0, MAX_WORD).join('')))].slice(0, MAX_QUERY_WORDS);
  return {
    words,
    // Whole words; as prefixes in Arabic script (with and without clitics, so that كتاب finds
    // وكتابهم) and where a word is too short for trigrams (Korean 보호 finds 보호에). Elsewhere a
    // stem (where the language has a stemmer) or the trigrams (where it has none) find the word's
    // other forms: a prefix there would make the index check every match again in its stored
    // vector, most of the time of a search for a common word.
    plain: words.map((w) => (ARABIC.test(w) || trigrams(w).length === 0 ? [w, ...arabicStems(w, true)].map((x) => `${quote(x)}:*`).join(' | ') : quote(w))),
    grams: words.map((w) => {
      const g = trigrams(w);
      return g.length > 0 ? g.map((x) => quote(GRAM + x)).join(' & ') : undefined;
    }),
  };
}

/**
 * The passage of a text that best matches the query: the sentence holding most of its words
 * (compared folded), cut to about `max` characters around the first match, with the matching
 * words marked. Undefined when no sentence holds any of them.
 */
export function bestPassage(text: string, words: readonly string[], max = 240): { text: string; marks: [number, number][] } | undefined {
  if (!text || words.length === 0) return undefined;
  const stems = words.map((w) => ({ w, s: arabicStems(w, true) }));
  const matches = (token: string) => {
    const f = foldForSearch(token);
    return f.length > 0 && stems.some(({ w, s }) => f.includes(w) || s.some((x) => f.includes(x)));
  };
  let best: { sentence: string; score: number } | undefined;
  for (const sentence of text.split(/(?<=[.!?؟۔။।\n])\s+/u)) {
    const folded = foldForSearch(sentence);
    if (!folded) continue;
    const score = stems.filter(({ w, s }) => folded.includes(w) || s.some((x) => folded.includes(x))).length;
    if (score > 0 && (!best || score > best.score)) best = { sentence: sentence.trim(), score };
    if (best && best.score === words.length) break;
  }
  if (!best) return undefined;
  // Tokens with the spaces and punctuation between them kept, so the passage reads as written; a
  // token longer than the passage (a URL, a run of Burmese) is cut around where the word is in it.
  const tokens = best.sentence.split(/(\s+)/u).flatMap((tok) => (tok.length > max ? cutAround(tok, stems, max) : [tok]));
  const firstHit = tokens.findIndex((tok) => matches(tok));
  if (firstHit < 0) return undefined;
  let start = firstHit;
  let length = (tokens[firstHit] ?? '').length;
  // Start a few words before the first match so it is read in context, within a third of the room.
  while (start > 0 && length + (tokens[start - 1] ?? '').length <= max / 3) {
    start--;
    length += (tokens[start] ?? '').length;
  }
  let out = start > 0 ? '… ' : '';
  const marks: [number, number][] = [];
  for (let i = start; i < tokens.length; i++) {
    const tok = tokens[i] ?? '';
    if (out.length + tok.length > max) {
      out = `${out.trimEnd()} …`;
      break;
    }
    if (tok.trim() && matches(tok)) marks.push([out.length, out.length + tok.length]);
    out += tok;
  }
  return marks.length > 0 ? { text: out, marks } : undefined;
}

/** A long token as the part around its first match (or its start), and the rest dropped. */
function cutAround(token: string, stems: readonly { w: string; s: string[] }[], max: number): string[] {
  const lower = token.toLowerCase();
  const hits = stems.map(({ w }) => lower.indexOf(w)).filter((i) => i >= 0);
  const at = hits.length > 0 ? Math.min(...hits) : 0;
  const from = Math.max(0, at - Math.floor(max / 4));
  return [token.slice(from, from + Math.floor(max / 2))];
}
