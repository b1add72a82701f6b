import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createOrganisation, createPerson, type TestApp } from '../../../test/helpers.ts';
import type { PersonActor } from '../../platform/policy.ts';
import { ANONYMOUS } from '../../platform/policy.ts';
import { CORPUS, filler } from '../../../test/fixtures/library/corpus.ts';
import { arabicStems, bestPassage, indexText, searchQuery, wordsOf } from './search.ts';

/**
 * Issue 15, item 2: recall in the network's languages. A corpus in eleven languages (and
 * decoys: other sentences in the same languages and scripts); for each language a word from the
 * middle of a sentence finds its document in the top 5. Stemmed languages, languages without a
 * stemmer, a script written without spaces, Arabic clitics and harakat.
 */
let t: TestApp;
let staff: PersonActor;
const ids = new Map<string, string>();

async function addResource(title: string, summary: string, language: string): Promise<string> {
  return t.services.library.add(staff, {
    kind: 'report',
    title,
    summary,
    language,
    licence: 'CC-BY-4.0',
    link: 'https://example.org/r',
    countries: [],
    activities: [],
    themes: [],
    visibility: 'public',
    readers: [],
    authorOrganisations: [],
    authorNames: '',
    contentWarning: '',
  });
}

async function top(q: string, n = 5): Promise<string[]> {
  const data = await t.services.library.search(ANONYMOUS, { q });
  return data.results.slice(0, n).map((r) => r.id);
}

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t, 'Library Search Organisation');
  const person = await createPerson(t, 'member', { organisationId: org.id });
  const row = await t.platform.db.selectFrom('people').select(['id', 'display_name']).where('id', '=', person.id).executeTakeFirstOrThrow();
  staff = { kind: 'person', id: row.id, displayName: row.display_name, networkRole: 'member', memberships: [{ organisationId: org.id, role: 'staff', name: 'Library Search Organisation' }], locale: null };
  for (const c of CORPUS) {
    ids.set(c.language, await addResource(`Document ${c.language}`, c.target, c.language));
    await addResource(`Decoy ${c.language}`, c.decoy, c.language);
  }
  for (let i = 0; i < 40; i++) await addResource(`Filler ${i}`, filler(i), ['sw', 'ar', 'uk', 'ti', 'ko', 'ta', 'my'][i % 7] as string);
  for (const [title, summary] of [
    ['Arabic clitics 1', 'هذا هو الكتاب الأول'],
    ['Arabic clitics 2', 'قرأوا وكتابهم معهم'],
    ['Arabic clitics 3', 'والكتاب على الطاولة'],
    ['Arabic clitics 4', 'كِتَابٌ جَدِيدٌ'],
    ['Arabic decoy', 'كاتب المقال'],
  ] as const) {
    ids.set(title, await addResource(title, summary, 'ar'));
  }
}, 120_000);
afterAll(async () => t?.close());

describe('recall in eleven languages', () => {
  it.each(CORPUS.map((c) => [c.language, c.word] as const))('%s: a word from the middle of a sentence (%s) finds its document in the top 5', async (language, word) => {
    const found = await top(word);
    expect(found).toContain(ids.get(language));
  });

  it('كتاب finds الكتاب, وكتابهم, والكتاب and كِتَابٌ, and not كاتب', async () => {
    const found = await top('كتاب', 20);
    for (const n of [1, 2, 3, 4]) expect(found, `clitics ${n}`).toContain(ids.get(`Arabic clitics ${n}`));
    expect(found).not.toContain(ids.get('Arabic decoy'));
    // And typed with its harakat, or with the article, it finds the same.
    expect(await top('كِتَاب', 20)).toEqual(expect.arrayContaining([ids.get('Arabic clitics 1'), ids.get('Arabic clitics 4')]));
    expect(await top('الكتاب', 20)).toEqual(expect.arrayContaining([ids.get('Arabic clitics 1'), ids.get('Arabic clitics 3')]));
  });

  it('a Burmese word inside a longer Burmese string is found, and a string that is not there is not', async () => {
    expect(await top('ကာကွယ်ရေး')).toContain(ids.get('my'));
    expect(await top('တွေ့ရှိချက်')).toContain(ids.get('my'));
    // Its syllables are all in the text, but not in this order: no match.
    expect(await top('ရှိတွေ့')).not.toContain(ids.get('my'));
  });

  it('a query of several words needs all of them', async () => {
    expect(await top('protection border')).toContain(ids.get('en'));
    expect(await top('protection harvest')).toEqual([]);
  });

  it('shows the passage with the matching words marked', async () => {
    const data = await t.services.library.search(ANONYMOUS, { q: 'civils frontalière' });
    const hit = data.results.find((r) => r.id === ids.get('fr'));
    expect(hit?.passage?.text).toContain('protection des civils');
    const marked = hit?.passage?.marks.map(([a, b]) => hit.passage?.text.slice(a, b));
    expect(marked).toEqual(['civils', 'frontalière.']);
  });
});

describe('the pieces', () => {
  it('folds and strips clitics the same way for the text and the query', () => {
    expect(wordsOf('Le Comité, l’Été')).toEqual(['le', 'comite', 'l', 'ete']);
    expect(arabicStems('والكتاب')).toContain('كتاب');
    expect(arabicStems('ولد')).toEqual([]);
    expect(searchQuery('كتاب').plain[0]).toBe("'كتاب':*");
    const v = indexText([{ text: "O'Brien \\ back", weight: 'A' }], 'en').vector;
    expect(v).toContain("'o':1A");
    expect(v).not.toContain('ǂ');
  });

  it('keeps a text of 200,000 characters without spaces under the database’s limit, and finds words inside it', async () => {
    const han = Array.from({ length: 200_000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join('');
    const { vector } = indexText([{ text: han, weight: 'C' }], 'zh');
    expect(Buffer.byteLength(vector)).toBeLessThan(700_000);
    const { rows } = await sql<{ n: number }>`select length(${vector}::tsvector) as n`.execute(t.platform.db);
    expect(Number(rows[0]?.n)).toBeGreaterThan(1000);
    // A Burmese run longer than a lexeme may be is still found by a word from its middle.
    const long = `${'ကော်မတီသည်'.repeat(10)}ရခိုင်ပြည်နယ်${'ကော်မတီသည်'.repeat(10)}`;
    const id = await addResource('Long Burmese run', long, 'my');
    expect(await top('ရခိုင်')).toContain(id);
  });

  it('a passage is cut around its first match, also inside a long run without spaces', () => {
    const run = `${'က'.repeat(400)}needle${'ခ'.repeat(400)}`;
    const inRun = bestPassage(run, ['needle']);
    expect(inRun?.text).toContain('needle');
    expect(inRun?.marks.length).toBe(1);
    expect(bestPassage('nothing to see here', ['needle'])).toBeUndefined();
  });

  it('a passage is cut around its first match', () => {
    const long = `${'word '.repeat(100)}the needle is here ${'more '.repeat(100)}`;
    const p = bestPassage(long, ['needle']);
    expect(p?.text.startsWith('… ')).toBe(true);
    expect(p?.text.length).toBeLessThanOrEqual(242);
    expect(p?.text).toContain('needle');
  });
});

describe('rebuilding the index', () => {
  it('makes every resource findable again from what is stored, in batches, and audits the run', async () => {
    const db = t.platform.db;
    const { rows } = await sql<{ n: string }>`select count(*) as n from library_resources`.execute(db);
    await sql`update library_resources set search_vector = ''::tsvector, search_folded = '', rank_vector = ''::tsvector, title_folded = ''`.execute(db);
    expect(await top('protecting')).not.toContain(ids.get('en'));
    expect(await top('ကာကွယ်ရေး')).not.toContain(ids.get('my'));
    // A batch size that does not divide the count: the last, short batch is indexed too.
    expect(await t.services.library.rebuildIndex(7)).toEqual({ indexed: Number(rows[0]?.n), failed: 0 });
    // What ranking reads is made again too: the title first for a word of the title.
    const ranked = await db.selectFrom('library_resources').select(['title_folded', sql<boolean>`rank_vector <> ''::tsvector`.as('ranked')]).where('id', '=', ids.get('en') as string).executeTakeFirstOrThrow();
    expect(ranked).toEqual({ title_folded: 'document en', ranked: true });
    expect(await top('protecting')).toContain(ids.get('en'));
    expect(await top('ကာကွယ်ရေး')).toContain(ids.get('my'));
    expect((await top('كتاب', 20)).length).toBeGreaterThanOrEqual(4);
    const entry = await db.selectFrom('audit_log').select('action').where('action', '=', 'library.reindex').executeTakeFirst();
    expect(entry?.action).toBe('library.reindex');
  });
});
