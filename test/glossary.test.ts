/**
 * The Arabic glossary (docs/translation/glossary.ar.json) holds: each English term has one Arabic
 * term, in every message that uses it, and the rendering a reviewer found wrong is in none of them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../src/platform/i18n.ts';

interface Term {
  term: string;
  en: string;
  ar: string;
  avoid: string;
}

const glossary = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'translation', 'glossary.ar.json'), 'utf8')) as { terms: Term[] };
const en = catalogs.get('en') ?? {};
const ar = catalogs.get('ar') ?? {};

/** Without short vowels, tanwin, shadda and sukun (U+064B–U+0652) or the tatweel. */
const bare = (text: string) => text.replace(/[\u064B-\u0652\u0640]/g, '');

describe('the Arabic glossary', () => {
  it('has terms, each of which some English message uses', () => {
    expect(glossary.terms.length).toBeGreaterThan(0);
    for (const term of glossary.terms) {
      const uses = Object.values(en).filter((message) => new RegExp(term.en, 'i').test(message));
      expect(uses.length, `no English message uses "${term.term}"`).toBeGreaterThan(0);
    }
  });

  for (const term of glossary.terms) {
    it(`renders "${term.term}" one way in every message`, () => {
      const wrong: string[] = [];
      for (const [key, message] of Object.entries(en)) {
        if (!new RegExp(term.en, 'i').test(message)) continue;
        const arabic = bare(ar[key] ?? '');
        if (!new RegExp(term.ar, 'u').test(arabic)) wrong.push(`${key}: the term is missing — ${ar[key]}`);
        if (new RegExp(term.avoid, 'u').test(arabic)) wrong.push(`${key}: uses what the glossary avoids — ${ar[key]}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
