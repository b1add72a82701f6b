import { gzipSync } from 'node:zlib';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { alpha3FromNumeric, COUNTRY_CODES, countryName, countryOptions, isCountryCode } from '../../platform/countries.ts';
import { isLanguageCode, LANGUAGE_CODES, languageName, languageOptions } from '../../platform/languages.ts';
import { cellKey, Matrix, type MatrixProps, MatrixTable } from './matrix.tsx';
import { CLASS_FILLS, ChartLegend, classIndex, contrastRatio, EMPTY_FILL, PAPER, textFillFor, truncate } from './scale.tsx';
import { atlasCountryAt, isOnMap, WorldMap, type WorldMapProps, WorldMapTable } from './world-map.tsx';

const ARABIC = /^[\u0600-\u06FF\s()-]+$/u;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('countries', () => {
  it('knows upper-case alpha-3 codes and nothing else', () => {
    expect(isCountryCode('SDN')).toBe(true);
    expect(isCountryCode('MMR')).toBe(true);
    for (const bad of ['XXX', 'sdn', 'SD', '729', '', 42, undefined, null]) expect(isCountryCode(bad)).toBe(false);
    expect(COUNTRY_CODES.length).toBeGreaterThanOrEqual(249);
  });

  it('names countries in the reader’s language', () => {
    expect(countryName('en', 'SDN')).toBe('Sudan');
    expect(countryName('ar', 'SDN')).toMatch(ARABIC);
    expect(countryName('ar', 'UKR')).toMatch(ARABIC);
  });

  it('falls back to the code, and survives a malformed locale', () => {
    expect(countryName('en', 'XXX')).toBe('XXX');
    expect(countryName('not a locale!', 'SDN')).toBe('Sudan');
  });

  it('offers every country, sorted for the reader, and one caller cannot disturb the next', () => {
    const en = countryOptions('en');
    expect(en).toHaveLength(COUNTRY_CODES.length);
    expect(en.map((o) => o.label)).toEqual([...en.map((o) => o.label)].sort(new Intl.Collator('en').compare));
    en.reverse();
    en[0]!.label = 'changed';
    expect(countryOptions('en')[0]!.label).not.toBe('changed');
    const ar = countryOptions('ar');
    expect(ar.map((o) => o.label)).toEqual([...ar.map((o) => o.label)].sort(new Intl.Collator('ar').compare));
  });

  it('maps the atlas’s numeric ids', () => {
    expect(alpha3FromNumeric('004')).toBe('AFG');
    expect(alpha3FromNumeric('729')).toBe('SDN');
    expect(alpha3FromNumeric('')).toBeUndefined();
    expect(alpha3FromNumeric('abc')).toBeUndefined();
  });
});

describe('languages', () => {
  it('knows the curated codes only', () => {
    expect(isLanguageCode('my')).toBe(true);
    expect(isLanguageCode('ckb')).toBe(true);
    for (const bad of ['MY', 'xx', 'burmese', '', 7]) expect(isLanguageCode(bad)).toBe(false);
  });

  it('has a real name for every code, and no two the same', () => {
    const strict = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    for (const code of LANGUAGE_CODES) expect(strict.of(code), code).toBeTruthy();
    const labels = languageOptions('en').map((o) => o.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(new Set(LANGUAGE_CODES).size).toBe(LANGUAGE_CODES.length);
  });

  it('names languages in the reader’s language, sorted for them', () => {
    expect(languageName('en', 'my')).toBe('Burmese');
    expect(languageName('ar', 'my')).toMatch(ARABIC);
    expect(languageName('en', 'not a tag!')).toBe('not a tag!');
    const ar = languageOptions('ar').map((o) => o.label);
    expect(ar).toEqual([...ar].sort(new Intl.Collator('ar').compare));
  });
});

describe('colour scale', () => {
  it('puts counts in fixed classes', () => {
    expect([0, -1, Number.NaN, 1, 2, 4, 5, 9, 10, 19, 20, 500].map((n) => classIndex(n))).toEqual([-1, -1, -1, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect([1, 9, 10, 100, 1000].map((n) => classIndex(n, [1, 10, 50, 100, 1000]))).toEqual([0, 0, 1, 3, 4]);
    expect(() => classIndex(3, [1, 2, 3])).toThrow(/breaks/);
    expect(() => classIndex(3, [1, 5, 5, 10, 20])).toThrow(/breaks/);
  });

  it('makes the darkest class stand out from the page, and every number readable on its cell', () => {
    expect(contrastRatio(CLASS_FILLS[CLASS_FILLS.length - 1]!, PAPER)).toBeGreaterThanOrEqual(3);
    for (const fill of [...CLASS_FILLS, EMPTY_FILL]) expect(contrastRatio(fill, textFillFor(fill)), fill).toBeGreaterThanOrEqual(4.5);
    expect(textFillFor(CLASS_FILLS[4]!)).toBe(PAPER);
    expect(textFillFor(CLASS_FILLS[0]!)).not.toBe(PAPER);
  });

  it('shows the key with number ranges in the reader’s digits, or translated wording', () => {
    const html = renderToString(h(ChartLegend, { locale: 'en', title: 'Organisations', noneLabel: 'None' }));
    expect(html.match(/<li>/g)).toHaveLength(6);
    for (const text of ['None', '1', '2–4', '5–9', '10–19', '20+']) expect(html).toContain(`</svg> ${text}</li>`);
    const worded = renderToString(h(ChartLegend, { locale: 'en', title: 'Key', legendLabel: (from, to) => (to === undefined ? `${from} or more` : `${from} to ${to}`) }));
    expect(worded).toContain('20 or more');
    expect(worded).toContain('1 to 1');
    const hindi = renderToString(h(ChartLegend, { locale: 'hi-u-nu-deva', title: 'Key' }));
    expect(hindi).toContain('२०');
  });

  it('cuts long labels between characters, never inside one', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('United Nations agencies', 10)).toBe('United Na…');
    expect(truncate('United Nations, agencies', 16)).toBe('United Nations…');
    const flags = '🇸🇩🇸🇾🇲🇲🇺🇦';
    expect(truncate(flags, 3)).toBe('🇸🇩🇸🇾…');
    const vowelled = 'مُنَظَّمَاتُ المُجْتَمَعِ المَدَنِيّ';
    const cut = truncate(vowelled, 6, 'ar');
    expect(cut.endsWith('…')).toBe(true);
    expect(vowelled.startsWith(cut.slice(0, -1))).toBe(true);
    expect(cut).toBe('مُنَظَّمَا…');
  });
});

const mapProps = (counts: Map<string, number>, extra: Partial<WorldMapProps> = {}): WorldMapProps => ({
  counts,
  href: (iso3) => `/directory?country=${iso3}`,
  label: (iso3, n) => `${countryName('en', iso3)}: ${n} organisations`,
  title: 'Countries of focus',
  description: 'Organisations working on each country.',
  locale: 'en',
  ...extra,
});

describe('world map', () => {
  const html = renderToString(h(WorldMap, mapProps(new Map([['SDN', 3], ['SYR', 25], ['TCD', 0], ['MMR', 1]]))));

  it('makes a country with organisations a link to them, named and with a tooltip', () => {
    expect(html).toMatch(/<a href="\/directory\?country=SDN" aria-label="Sudan: 3 organisations"><path d="M[^"]+" fill="#[0-9a-f]{6}" aria-hidden="true"><title>Sudan: 3 organisations<\/title>/);
  });

  it('does not link a country with none', () => {
    expect(html).not.toContain('country=TCD');
    expect(html).not.toContain('country=FRA');
    expect(html.match(/<a /g)).toHaveLength(3);
  });

  it('shades by count: the most organisations, the darkest', () => {
    const fill = (iso3: string) => html.match(new RegExp(`country=${iso3}"[^>]*><path d="[^"]+" fill="(#[0-9a-f]{6})"`))?.[1];
    expect(fill('SYR')).toBe(CLASS_FILLS[4]);
    expect(fill('SDN')).toBe(CLASS_FILLS[1]);
    expect(fill('MMR')).toBe(CLASS_FILLS[0]);
  });

  it('is a named, described group, with links in alphabetical order for the keyboard', () => {
    expect(html).toMatch(/^<svg [^>]*viewBox="0 0 960 \d+" role="group" aria-labelledby="world-map-title" aria-describedby="world-map-desc">/);
    expect(html).toContain('<title id="world-map-title">Countries of focus</title>');
    expect(html).toContain('<desc id="world-map-desc">Organisations working on each country.</desc>');
    expect([...html.matchAll(/country=(\w+)/g)].map((m) => m[1])).toEqual(['MMR', 'SDN', 'SYR']);
    const other = renderToString(h(WorldMap, mapProps(new Map(), { idPrefix: 'second-map' })));
    expect(other).toContain('aria-labelledby="second-map-title"');
  });

  it('uses no inline styles, which the Content-Security-Policy would block', () => {
    expect(html).not.toMatch(/\sstyle=|<style/);
  });

  it('escapes whatever the callbacks return', () => {
    const nasty = renderToString(
      h(WorldMap, mapProps(new Map([['SDN', 1]]), { label: () => '"><script>alert(1)</script>', href: () => 'javascript:"x"<' })),
    );
    expect(nasty).not.toContain('<script>');
    expect(nasty).toContain('&lt;script>');
    expect(nasty).not.toContain('"x"<');
  });

  it('draws Crimea as part of Ukraine', () => {
    expect(atlasCountryAt([34.1, 45.0])).toBe('UKR');
    expect(atlasCountryAt([37.6, 55.75])).toBe('RUS');
  });

  it('stays small with every country linked', () => {
    // Measured with labels like "Sudan: 12 organisations": 68 KB raw, 15 KB gzip, 13 KB brotli;
    // the map alone, nothing linked, is 39 KB raw and 11 KB gzip.
    const all = new Map(COUNTRY_CODES.map((c, i) => [c, (i % 30) + 1]));
    const full = renderToString(h(WorldMap, mapProps(all)));
    expect(Buffer.byteLength(full)).toBeLessThan(80_000);
    expect(gzipSync(full).length).toBeLessThan(20_000);
  });
});

describe('world map table', () => {
  const counts = new Map([
    ['SDN', 3],
    ['BHR', 3],
    ['SYR', 25],
    ['MDV', 1],
    ['TCD', 0],
  ]);
  const table = renderToString(
    h(WorldMapTable, {
      counts,
      href: (iso3: string) => `/directory?country=${iso3}`,
      countryName: (iso3: string) => countryName('en', iso3),
      caption: 'Organisations by country',
      headers: { country: 'Country', count: 'Organisations' },
      locale: 'en',
    }),
  );

  it('lists countries too small for the map', () => {
    expect(isOnMap('BHR')).toBe(false);
    expect(isOnMap('MDV')).toBe(false);
    expect(isOnMap('SDN')).toBe(true);
    expect(table).toContain('<a href="/directory?country=BHR">Bahrain</a>');
    expect(table).toContain('<a href="/directory?country=MDV">Maldives</a>');
  });

  it('puts the most organisations first, then by name, and leaves out countries with none', () => {
    expect([...table.matchAll(/country=(\w+)/g)].map((m) => m[1])).toEqual(['SYR', 'BHR', 'SDN', 'MDV']);
    expect(table).not.toContain('TCD');
  });

  it('is a captioned table with headers, in a scrollable region', () => {
    expect(table).toMatch(/^<div class="table-wrap" role="group" aria-label="Organisations by country" tabindex="0"><table><caption>Organisations by country<\/caption>/);
    expect(table).toContain('<th scope="col">Country</th><th scope="col">Organisations</th>');
    expect(table).toContain('<th scope="row"><a href="/directory?country=SYR">Syria</a></th><td>25</td>');
  });
});

const ROWS = ['survivors', 'diaspora', 'un'];
const COLUMNS = ['documentation', 'advocacy', 'early-warning'];
const LONG = 'United Nations agencies, special procedures and treaty bodies';
const matrixProps = (dir: 'ltr' | 'rtl', counts: Map<string, number>): MatrixProps => ({
  rows: ROWS,
  columns: COLUMNS,
  counts,
  href: (r, c) => `/directory?stakeholder=${r}&activity=${c}`,
  rowLabel: (r) => (r === 'un' ? LONG : `Row ${r}`),
  columnLabel: (c) => `Column ${c}`,
  cellLabel: (r, c, n) => `${r}, ${c}: ${n} organisations`,
  title: 'Who does what',
  description: 'Organisations by stakeholder and activity.',
  dir,
  locale: 'en',
});

/** The x of the cell rectangle inside the link for (row, column). */
function cellX(svg: string, row: string, column: string): number {
  const href = escapeRegExp(`/directory?stakeholder=${row}&amp;activity=${column}`);
  const found = svg.match(new RegExp(`href="${href}"[^>]*><g aria-hidden="true"><title>[^<]*</title><rect x="([\\d.]+)"`));
  if (!found) throw new Error(`no link for ${row}|${column}`);
  return Number(found[1]);
}

describe('matrix', () => {
  const counts = new Map([
    [cellKey('survivors', 'documentation'), 2],
    [cellKey('survivors', 'advocacy'), 7],
    [cellKey('survivors', 'early-warning'), 30],
    [cellKey('un', 'advocacy'), 1],
  ]);
  const ltr = renderToString(h(Matrix, matrixProps('ltr', counts)));
  const rtl = renderToString(h(Matrix, matrixProps('rtl', counts)));

  it('links each cell with organisations, named by its row and column', () => {
    expect(ltr).toContain(
      '<a href="/directory?stakeholder=survivors&amp;activity=advocacy" aria-label="survivors, advocacy: 7 organisations"><g aria-hidden="true"><title>survivors, advocacy: 7 organisations</title>',
    );
    expect(ltr.match(/<a /g)).toHaveLength(4);
    expect(ltr).not.toContain('stakeholder=diaspora');
  });

  it('writes the count in each cell, in white on the darkest', () => {
    expect(ltr).toMatch(/activity=early-warning"[^>]*><g aria-hidden="true"><title>[^<]*<\/title><rect [^>]*fill="#084081"[^>]*><\/rect><text [^>]*fill="#ffffff">30<\/text>/);
    expect(ltr).toMatch(/<g aria-hidden="true"><rect [^>]*fill="#e6e6eb"[^>]*><\/rect><text [^>]*>0<\/text><\/g>/);
  });

  it('mirrors right to left: first column rightmost, row labels on the right', () => {
    const [a, b, c] = COLUMNS.map((col) => cellX(ltr, 'survivors', col)) as [number, number, number];
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
    const [ra, rb, rc] = COLUMNS.map((col) => cellX(rtl, 'survivors', col)) as [number, number, number];
    expect(ra).toBeGreaterThan(rb);
    expect(rb).toBeGreaterThan(rc);
    expect(rtl).toContain('direction="rtl"');
    const labelX = (svg: string) => Number(svg.match(/<text x="([\d.]+)"[^>]*>Row survivors</)?.[1]);
    expect(labelX(ltr)).toBeLessThan(a);
    expect(labelX(rtl)).toBeGreaterThan(ra);
    expect(rtl).toMatch(/transform="rotate\(45 /);
    expect(ltr).toMatch(/transform="rotate\(-45 /);
  });

  it('shortens a long label and keeps the whole of it as a tooltip', () => {
    expect(ltr).toContain(`<title>${LONG}</title>`);
    expect(ltr).toMatch(/>United Nations agencies…<\/text>/);
  });

  it('uses no inline styles', () => {
    expect(ltr + rtl).not.toMatch(/\sstyle=|<style/);
  });

  it('has a table alternative with row and column headers', () => {
    const table = renderToString(
      h(MatrixTable, {
        rows: ROWS,
        columns: COLUMNS,
        counts,
        href: (r: string, c: string) => `/directory?stakeholder=${r}&activity=${c}`,
        rowLabel: (r: string) => `Row ${r}`,
        columnLabel: (c: string) => `Column ${c}`,
        caption: 'Who does what',
        rowHeader: 'Stakeholder',
        locale: 'en',
      }),
    );
    expect(table).toContain('<thead><tr><th scope="col">Stakeholder</th><th scope="col">Column documentation</th>');
    expect(table).toContain(
      '<tr><th scope="row">Row survivors</th><td><a href="/directory?stakeholder=survivors&amp;activity=documentation">2</a></td>',
    );
    expect(table).toContain('<tr><th scope="row">Row diaspora</th><td>0</td><td>0</td><td>0</td></tr>');
  });
});
