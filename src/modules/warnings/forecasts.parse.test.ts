import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCountryCode } from '../../platform/countries.ts';
import { defaultCowMapping, detectEdition, loadCowMapping, MAX_FORECAST_ROWS, type ParseResult, parseForecasts, suggestByName } from './forecasts.parse.ts';

const FIXTURE = readFileSync(new URL('../../../test/fixtures/ewp/final_forecasts_data_3Sep2025.csv', import.meta.url), 'utf8');

function ok(result: ParseResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.key} ${JSON.stringify(result.problems.slice(0, 5))}`);
  return result;
}

function failed(result: ParseResult) {
  if (result.ok) throw new Error('expected a failure');
  return result;
}

const HEADER = '"","ewp_name","risk.2025and2026.from2024","rank.2025and2026.from2025","ccode"';

function small(...rows: string[]): string {
  return [HEADER, ...rows].join('\n');
}

describe('the 2025 edition', () => {
  const result = ok(parseForecasts(FIXTURE));

  it('reads every row and the newest window', () => {
    expect(result.rows).toHaveLength(168);
    expect(result.edition).toEqual({
      riskColumn: 'risk.2025and2026.from2024',
      rankColumn: 'rank.2025and2026.from2025',
      firstYear: 2025,
      lastYear: 2026,
      dataYear: 2024,
    });
  });

  it('reads Burma/Myanmar as the highest risk', () => {
    expect(result.rows[0]).toEqual({ line: 2, ewpName: 'Burma/Myanmar', cowCode: 775, iso3: 'MMR', risk: 0.1041, rank: 1 });
    const ranks = result.rows.map((r) => r.rank);
    expect(new Set(ranks).size).toBe(168);
    expect(Math.min(...(ranks as number[]))).toBe(1);
    expect(Math.max(...(ranks as number[]))).toBe(168);
  });

  it('keeps the rows without an ISO code and lists them apart', () => {
    expect(result.unmapped.map((r) => [r.cowCode, r.ewpName, r.iso3])).toEqual(
      expect.arrayContaining([
        [345, 'Serbia', null],
        [347, 'Kosovo', null],
      ]),
    );
    expect(result.unmapped).toHaveLength(2);
    for (const row of result.unmapped) expect(result.rows).toContain(row);
  });

  it('suggests a code for the unmapped names', () => {
    expect(suggestByName('Serbia')).toBe('SRB');
    // i18n-iso-countries, and so the platform's country list, uses the user-assigned XKK.
    expect(suggestByName('Kosovo')).toBe('XKK');
    expect(isCountryCode('XKK')).toBe(true);
  });

  it('suggests, from the name alone, the same code as the COW mapping for every mapped row', () => {
    const mapped = result.rows.filter((r) => r.iso3 !== null);
    const wrong = mapped.filter((r) => suggestByName(r.ewpName) !== null && suggestByName(r.ewpName) !== r.iso3);
    const agree = mapped.filter((r) => suggestByName(r.ewpName) === r.iso3);
    expect(wrong.map((r) => `${r.ewpName}: ${suggestByName(r.ewpName)} vs ${r.iso3}`)).toEqual([]);
    expect(`${agree.length} of ${mapped.length}`).toBe('166 of 166');
  });
});

describe('suggestByName', () => {
  it('reads slash names, aliases and stray spacing, and gives up on the unknown', () => {
    expect(suggestByName('Burma/Myanmar')).toBe('MMR');
    expect(suggestByName('  Democratic  Republic of Congo ')).toBe('COD');
    expect(suggestByName('Republic of Congo')).toBe('COG');
    expect(suggestByName('Kyrgystan')).toBe('KGZ');
    expect(suggestByName('Atlantis')).toBeNull();
    expect(suggestByName('')).toBeNull();
    expect(suggestByName('/')).toBeNull();
  });
});

describe('editions', () => {
  it('detects a 2024-style file with only the previous window', () => {
    const text = ['"","ewp_name","risk.2024and2025.from2023","ccode"', '"1","Chad",0.1277,483', '"2","Serbia",0.01,345'].join('\n');
    const result = ok(parseForecasts(text));
    expect(result.edition).toEqual({ riskColumn: 'risk.2024and2025.from2023', rankColumn: null, firstYear: 2024, lastYear: 2025, dataYear: 2023 });
    expect(result.rows.map((r) => [r.iso3, r.risk, r.rank])).toEqual([
      ['TCD', 0.1277, null],
      [null, 0.01, null],
    ]);
  });

  it('prefers the latest window whatever the column order', () => {
    expect(detectEdition(['rank.2027and2028.from2027', 'risk.2027and2028.from2026', 'risk.2026and2027.from2025', 'rank.2026and2027.from2025'])).toEqual({
      riskColumn: 'risk.2027and2028.from2026',
      rankColumn: 'rank.2027and2028.from2027',
      firstYear: 2027,
      lastYear: 2028,
      dataYear: 2026,
    });
    expect(detectEdition(['risk.2025only.from2024', 'riskrank.2025only.from2024'])).toBeNull();
  });
});

describe('files that are not forecasts', () => {
  it('names the missing columns of another CSV', () => {
    const result = failed(parseForecasts('name,short_name,profile,countries\nAcme,AC,https://example.org,SDN\n'));
    expect(result.key).toBe('errors.forecastsNotForecasts');
    expect(result.values).toEqual({ missing: 'ewp_name, ccode, risk.YYYYandYYYY.fromYYYY' });
  });

  it('names only what is missing', () => {
    const result = failed(parseForecasts('ewp_name,ccode,risk.2025only.from2024\nChad,483,0.1\n'));
    expect(result.values).toEqual({ missing: 'risk.YYYYandYYYY.fromYYYY' });
  });

  it('refuses binary bytes', () => {
    // A deterministic stand-in for an uploaded image.
    let seed = 7;
    const bytes = Buffer.from(
      Array.from({ length: 512 }, () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed >> 23;
      }),
    );
    expect(failed(parseForecasts(bytes)).key).toBe('errors.forecastsNotForecasts');
    expect(failed(parseForecasts(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).key).toBe('errors.forecastsNotForecasts');
    expect(failed(parseForecasts('a,b\u0000,c\n1,2,3')).key).toBe('errors.forecastsNotForecasts');
  });

  it('refuses a header that does not parse', () => {
    expect(failed(parseForecasts('"ewp_name,ccode,risk.2025and2026.from2024\nChad,483,0.1\n')).key).toBe('errors.forecastsNotForecasts');
    expect(failed(parseForecasts('"ewp_name"x,ccode,risk.2025and2026.from2024\nChad,483,0.1\n')).key).toBe('errors.forecastsNotForecasts');
  });

  it('calls an empty file empty', () => {
    for (const text of ['', '\ufeff', '\r\n\r\n', '   ']) expect(failed(parseForecasts(text)).key).toBe('errors.forecastsEmpty');
    expect(failed(parseForecasts(Buffer.alloc(0))).key).toBe('errors.forecastsEmpty');
    expect(failed(parseForecasts(`${HEADER}\n`)).key).toBe('errors.forecastsEmpty');
  });

  it('refuses more rows than there are states', () => {
    const rows = Array.from({ length: MAX_FORECAST_ROWS + 1 }, (_, i) => `"${i}","Country ${i}",0.01,${i + 1},${i + 1}`);
    const result = failed(parseForecasts(small(...rows)));
    expect(result.key).toBe('errors.forecastsTooManyRows');
    expect(result.values).toEqual({ max: 400 });
    expect(ok(parseForecasts(small(...rows.slice(0, MAX_FORECAST_ROWS)))).rows).toHaveLength(400);
  });
});

describe('malformed rows', () => {
  it('lists every bad row', () => {
    const text = small(
      '"1","Chad",0.08,1,483', // line 2: fine
      '"2","Sudan",abc,2,625', // line 3: risk
      '"3","Nowhere",0.05,3,-3', // line 4: code
      '"4","Chad again",0.04,4,483', // line 5: duplicate of line 2
      '"5","Short",0.03,5', // line 6: a field missing
      '"6","",1.5,x,9', // line 7: name, risk and rank
      '"7","Fine",0,,2', // line 8: fine, no rank
    );
    const result = failed(parseForecasts(text));
    expect(result.key).toBe('errors.forecastsMalformed');
    expect(result.problems).toEqual([
      { line: 3, key: 'errors.forecastsBadRisk', values: { line: 3, value: 'abc' } },
      { line: 4, key: 'errors.forecastsBadCode', values: { line: 4, value: '-3' } },
      { line: 5, key: 'errors.forecastsDuplicate', values: { line: 5, value: 483, first: 2 } },
      { line: 6, key: 'errors.forecastsBadFieldCount', values: { line: 6, expected: 5, actual: 4 } },
      { line: 7, key: 'errors.forecastsBadName', values: { line: 7 } },
      { line: 7, key: 'errors.forecastsBadRisk', values: { line: 7, value: '1.5' } },
      { line: 7, key: 'errors.forecastsBadRank', values: { line: 7, value: 'x' } },
    ]);
  });

  it('refuses numbers JavaScript would read but a forecast does not hold', () => {
    for (const risk of ['', '0x1', 'NaN', 'Infinity', '-0.1', '1.0001']) {
      expect(failed(parseForecasts(small(`"1","Chad",${risk},1,483`))).problems.map((p) => p.key)).toEqual(['errors.forecastsBadRisk']);
    }
    for (const code of ['0', '4.5', '1e3', '', 'DRC']) {
      expect(failed(parseForecasts(small(`"1","Chad",0.1,1,${code}`))).problems.map((p) => p.key)).toEqual(['errors.forecastsBadCode']);
    }
    expect(ok(parseForecasts(small('"1","Chad",1e-04,NA,483'))).rows[0]).toMatchObject({ risk: 0.0001, rank: null });
  });

  it('reports a broken quote with its line instead of throwing', () => {
    const result = failed(parseForecasts(small('"1","Chad",0.1,1,483', '"2","Su"dan",0.1,2,625')));
    expect(result.key).toBe('errors.forecastsMalformed');
    expect(result.problems[0]).toMatchObject({ line: 3, key: 'errors.forecastsBadCsv' });
  });

  it('echoes at most a short piece of a bad cell', () => {
    const result = failed(parseForecasts(small(`"1","Chad",${'9'.repeat(10_000)},1,483`)));
    expect(String(result.problems[0]?.values?.value).length).toBeLessThanOrEqual(41);
  });
});

describe('encodings and line ends', () => {
  it('reads CRLF with a byte-order mark as it reads the original', () => {
    const plain = ok(parseForecasts(FIXTURE));
    const windows = `\ufeff${FIXTURE.replace(/\r?\n/g, '\r\n')}`;
    expect(ok(parseForecasts(windows))).toEqual(plain);
    expect(ok(parseForecasts(Buffer.from(windows, 'utf8')))).toEqual(plain);
  });
});

describe('the COW mapping', () => {
  it('reads the reference table and leaves Serbia and Kosovo unmapped', () => {
    const { byCow } = defaultCowMapping();
    expect(byCow.size).toBe(194);
    expect(byCow.get(2)).toBe('USA');
    expect(byCow.get(775)).toBe('MMR');
    expect(byCow.has(345)).toBe(false);
    expect(byCow.has(347)).toBe(false);
    expect(defaultCowMapping()).toBe(defaultCowMapping());
  });

  it('uses a mapping it is given', () => {
    const mapping = loadCowMapping('cow_code,iso3,fips,name\n345,SRB,RI,Serbia\n347,,,Kosovo\n');
    const result = ok(parseForecasts(small('"1","Serbia",0.01,1,345', '"2","Kosovo",0.01,2,347'), mapping));
    expect(result.rows.map((r) => r.iso3)).toEqual(['SRB', null]);
    expect(result.unmapped.map((r) => r.cowCode)).toEqual([347]);
  });

  it('refuses a broken reference table loudly', () => {
    expect(() => loadCowMapping('cow_code,iso3\nxx,USA\n')).toThrow(/not a number/);
    expect(() => loadCowMapping('cow_code,iso3\n2,ZZZ\n')).toThrow(/not a known/);
    expect(() => loadCowMapping('cow_code,iso3\n2,USA\n2,CAN\n')).toThrow(/twice/);
  });
});
