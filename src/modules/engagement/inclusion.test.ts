import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_SHOWN, PREFER_NOT } from './engagement.schemas.ts';
import { type Answers, type Dimension, inclusionView } from './inclusion.ts';

/** Random communities (1–3 dimensions of 1–6 groups) and 0–60 participants answering at random. */
const scenario = fc
  .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 })
  .chain((sizes) => {
    const dimensions: Dimension[] = sizes.map((n, d) => ({ id: `d${d}`, label: `D${d}`, groups: Array.from({ length: n }, (_, g) => ({ id: `d${d}g${g}`, label: `G${g}` })) }));
    const answer = (d: Dimension) => fc.oneof(fc.constant(undefined), fc.constant(PREFER_NOT), fc.constantFrom(...d.groups.map((g) => g.id)));
    const person = fc.tuple(...dimensions.map(answer)).map((answers) => {
      const m = new Map<string, string>();
      answers.forEach((a, i) => {
        if (a !== undefined) m.set(`d${i}`, a);
      });
      return m as Answers;
    });
    // Skewed sizes: many small groups, the case that leaks.
    return fc.tuple(fc.constant(dimensions), fc.array(person, { maxLength: 60 }));
  });

describe('the inclusion view', () => {
  it('never shows a count below 5, and no hidden count can be worked out by subtraction', () => {
    fc.assert(
      fc.property(scenario, ([dimensions, people]) => {
        const view = inclusionView(dimensions, people);
        if (view.participants !== null) expect(view.participants).toBeGreaterThanOrEqual(MIN_SHOWN);
        for (const d of view.dimensions) {
          const shown = d.cells.filter((c) => c.count !== null);
          for (const c of shown) expect(c.count).toBeGreaterThanOrEqual(MIN_SHOWN);
          const hidden = d.cells.length - shown.length;
          if (view.participants === null) {
            expect(shown).toHaveLength(0);
          } else if (hidden > 0) {
            // What the hidden cells add up to is all a reader can derive: never below 5.
            const remainder = view.participants - shown.reduce((s, c) => s + (c.count ?? 0), 0);
            expect(remainder).toBeGreaterThanOrEqual(MIN_SHOWN);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('counts truthfully what it shows, and flags every wanted group under 5 as not reached', () => {
    fc.assert(
      fc.property(scenario, ([dimensions, people]) => {
        const view = inclusionView(dimensions, people);
        for (const d of view.dimensions) {
          for (const c of d.cells) {
            if (c.kind !== 'group') continue;
            const actual = people.filter((p) => p.get(d.id) === c.groupId).length;
            if (c.count !== null) expect(c.count).toBe(actual);
            expect(c.notReached).toBe(actual < MIN_SHOWN);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('shows a plain breakdown when every group is large enough', () => {
    const dim: Dimension = { id: 'age', label: 'Age', groups: [{ id: 'young', label: '18–29' }, { id: 'old', label: '30+' }] };
    const people = [...Array(6).fill('young'), ...Array(7).fill('old'), ...Array(5).fill(PREFER_NOT)].map((g) => new Map([['age', g]]));
    const unanswered = Array.from({ length: 5 }, () => new Map<string, string>());
    const view = inclusionView([dim], [...people, ...unanswered]);
    expect(view.participants).toBe(23);
    expect(view.dimensions[0]?.cells.map((c) => c.count)).toEqual([6, 7, 5, 5]);
  });
});
