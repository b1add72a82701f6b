import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppress } from './suppression.ts';

/**
 * Issue 15, "Suppression": thousands of random tables (one-way and cross-tabulations, many small
 * counts) and thresholds. No shown figure below k; no hidden figure that the shown ones
 * determine (checked by linear algebra, not by the graph argument the code uses); every shown
 * figure true; the hidden cells of a line whose total is shown add up to at least k.
 */

/** Whether unknown `v` is fixed by the equations: its column is not in the span of the others. */
function determined(equations: number[][], v: number): boolean {
  return rank(equations) > rank(equations.map((row) => row.filter((_, i) => i !== v)));
}

function rank(matrix: number[][]): number {
  const a = matrix.map((row) => [...row]);
  let r = 0;
  const cols = a[0]?.length ?? 0;
  for (let c = 0; c < cols && r < a.length; c++) {
    let pivot = -1;
    for (let i = r; i < a.length; i++) if (Math.abs(a[i]?.[c] ?? 0) > 1e-9) pivot = pivot < 0 ? i : pivot;
    if (pivot < 0) continue;
    [a[r], a[pivot]] = [a[pivot] as number[], a[r] as number[]];
    const p = a[r] as number[];
    for (let i = 0; i < a.length; i++) {
      if (i === r) continue;
      const row = a[i] as number[];
      const f = (row[c] ?? 0) / (p[c] ?? 1);
      if (f !== 0) for (let j = 0; j < cols; j++) row[j] = (row[j] ?? 0) - f * (p[j] ?? 0);
    }
    r++;
  }
  return r;
}

const table = fc
  .record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 2, max: 5 }), k: fc.integer({ min: 5, max: 8 }) })
  .chain(({ rows, cols, k }) =>
    fc.record({
      k: fc.constant(k),
      // Mostly small counts, where suppression has work to do, and some large ones.
      counts: fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 })), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
    }),
  );

describe('complementary suppression', () => {
  it('never shows a figure below k, never lets a hidden one be worked out, shows true figures', () => {
    fc.assert(
      fc.property(table, ({ counts, k }) => {
        const m = counts.length;
        const n = counts[0]?.length ?? 0;
        const s = suppress(counts, k);
        const rowTotal = (r: number) => (counts[r] ?? []).reduce((a, b) => a + b, 0);
        const colTotal = (c: number) => counts.reduce((a, row) => a + (row[c] ?? 0), 0);
        const grand = counts.flat().reduce((a, b) => a + b, 0);
        // Every figure with its true value and what is shown of it.
        const figures: { r: number; c: number; truth: number; shown: number | null }[] = [];
        for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) figures.push({ r, c, truth: counts[r]?.[c] ?? 0, shown: s.cells[r]?.[c] ?? null });
        for (let r = 0; r < m; r++) figures.push({ r, c: n, truth: rowTotal(r), shown: s.rowTotals[r] ?? null });
        for (let c = 0; c < n; c++) figures.push({ r: m, c, truth: colTotal(c), shown: s.columnTotals[c] ?? null });
        figures.push({ r: m, c: n, truth: grand, shown: s.total });
        for (const f of figures) {
          if (f.shown !== null) {
            expect(f.shown).toBe(f.truth);
            expect(f.shown).toBeGreaterThanOrEqual(k);
          }
        }
        // The equations a reader has: each row and column adds up; unknowns are the hidden figures.
        const unknowns = figures.filter((f) => f.shown === null);
        const index = new Map(unknowns.map((f, i) => [`${f.r},${f.c}`, i]));
        const equations: number[][] = [];
        for (let r = 0; r <= m; r++) {
          const row = new Array(unknowns.length).fill(0);
          for (let c = 0; c < n; c++) {
            const i = index.get(`${r},${c}`);
            if (i !== undefined) row[i] += 1;
          }
          const t = index.get(`${r},${n}`);
          if (t !== undefined) row[t] -= 1;
          equations.push(row);
        }
        for (let c = 0; c <= n; c++) {
          const row = new Array(unknowns.length).fill(0);
          for (let r = 0; r < m; r++) {
            const i = index.get(`${r},${c}`);
            if (i !== undefined) row[i] += 1;
          }
          const t = index.get(`${m},${c}`);
          if (t !== undefined) row[t] -= 1;
          equations.push(row);
        }
        if (unknowns.length > 0) {
          for (let v = 0; v < unknowns.length; v++) {
            expect(determined(equations, v), `hidden figure at ${unknowns[v]?.r},${unknowns[v]?.c} of ${JSON.stringify(counts)} (k ${k}) can be worked out`).toBe(false);
          }
        }
        // A line whose total is shown: its hidden cells add up to k or more.
        for (let r = 0; r < m; r++) {
          if (s.rowTotals[r] === null) continue;
          const hiddenSum = (counts[r] ?? []).reduce((a, v, c) => a + (s.cells[r]?.[c] === null ? v : 0), 0);
          const hiddenCount = (s.cells[r] ?? []).filter((x) => x === null).length;
          if (hiddenCount > 0) expect(hiddenSum).toBeGreaterThanOrEqual(k);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a cross-tabulation’s margins as its two questions’ own tables publish them, and still hides nothing derivable', () => {
    fc.assert(
      fc.property(table.filter(({ counts }) => counts.length >= 2), ({ counts, k }) => {
        const m = counts.length;
        const n = counts[0]?.length ?? 0;
        const rowSums = counts.map((r) => r.reduce((a, b) => a + b, 0));
        const colSums = Array.from({ length: n }, (_, c) => counts.reduce((a, r) => a + (r[c] ?? 0), 0));
        const rowsOwn = suppress([rowSums], k).cells[0] as (number | null)[];
        const colsOwn = suppress([colSums], k).cells[0] as (number | null)[];
        const s = suppress(counts, k, { rowTotals: rowsOwn.map((x) => x !== null), columnTotals: colsOwn.map((x) => x !== null) });
        expect(s.rowTotals.map((x) => x !== null)).toEqual(rowsOwn.map((x) => x !== null));
        expect(s.columnTotals.map((x) => x !== null)).toEqual(colsOwn.map((x) => x !== null));
        for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) {
          const v = s.cells[r]?.[c];
          if (v !== null && v !== undefined) expect(v).toBeGreaterThanOrEqual(k);
        }
        // Unknowns: the hidden cells and margins; a reader has every row's and column's sum.
        const unknown: [number, number][] = [];
        for (let r = 0; r <= m; r++) for (let c = 0; c <= n; c++) {
          const shown = r < m && c < n ? s.cells[r]?.[c] : r < m ? s.rowTotals[r] : c < n ? s.columnTotals[c] : s.total;
          if (shown === null) unknown.push([r, c]);
        }
        const index = new Map(unknown.map(([r, c], i) => [`${r},${c}`, i]));
        const eq: number[][] = [];
        for (let r = 0; r <= m; r++) {
          const row = new Array(unknown.length).fill(0);
          for (let c = 0; c < n; c++) if (index.has(`${r},${c}`)) row[index.get(`${r},${c}`) as number] += 1;
          if (index.has(`${r},${n}`)) row[index.get(`${r},${n}`) as number] -= 1;
          eq.push(row);
        }
        for (let c = 0; c <= n; c++) {
          const row = new Array(unknown.length).fill(0);
          for (let r = 0; r < m; r++) if (index.has(`${r},${c}`)) row[index.get(`${r},${c}`) as number] += 1;
          if (index.has(`${m},${c}`)) row[index.get(`${m},${c}`) as number] -= 1;
          eq.push(row);
        }
        for (let v = 0; v < unknown.length; v++) {
          const [r, c] = unknown[v] as [number, number];
          // A hidden margin the question's own table hides is that table's to protect (tested above).
          if (r === m || c === n) continue;
          expect(determined(eq, v), `hidden cell ${r},${c} of ${JSON.stringify(counts)} (k ${k})`).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('shows a table with no small figures as it is, and hides a whole table of fewer than k', () => {
    expect(suppress([[10, 12], [7, 9]], 5)).toEqual({ cells: [[10, 12], [7, 9]], rowTotals: [22, 16], columnTotals: [17, 21], total: 38 });
    const small = suppress([[1, 2], [0, 1]], 5);
    expect(small.total).toBeNull();
    expect(small.cells.flat().every((x) => x === null)).toBe(true);
  });

  it('hides a second cell where one small cell could be worked out from its row', () => {
    const s = suppress([[3, 10, 12]], 5);
    expect(s.cells[0]?.[0]).toBeNull();
    expect(s.cells[0]?.filter((x) => x === null).length).toBeGreaterThanOrEqual(2);
  });
});
