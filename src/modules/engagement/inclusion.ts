import { MIN_SHOWN, PREFER_NOT } from './engagement.schemas.ts';

/**
 * "Who is missing": how a consultation's participants described themselves, against the
 * groups a community wants heard, without ever revealing a count below MIN_SHOWN.
 *
 * Hiding the small cells is not enough: a dimension's cells add up to the number of
 * participants, so one hidden cell could be worked out by subtraction. Further cells are
 * hidden, smallest first, until what is hidden adds up to MIN_SHOWN or more (or everything is
 * hidden). Groups with fewer than MIN_SHOWN participants are flagged "not reached" — which says
 * "fewer than 5", never how many.
 */
export interface Dimension {
  id: string;
  label: string;
  groups: { id: string; label: string }[];
}

/** One participant's answers: dimension id → group id, PREFER_NOT, or absent (not answered). */
export type Answers = ReadonlyMap<string, string>;

export type CellKind = 'group' | 'preferNot' | 'unanswered';

export interface Cell {
  kind: CellKind;
  /** The group's id for a group cell. */
  groupId?: string;
  label: string;
  /** null: not shown. */
  count: number | null;
  /** A wanted group with fewer than MIN_SHOWN participants. */
  notReached: boolean;
}

export interface DimensionView {
  id: string;
  label: string;
  cells: Cell[];
}

export interface InclusionView {
  /** null when fewer than MIN_SHOWN participants: then nothing is broken down. */
  participants: number | null;
  dimensions: DimensionView[];
}

export function inclusionView(dimensions: readonly Dimension[], participants: readonly Answers[]): InclusionView {
  const total = participants.length;
  const views = dimensions.map((d) => {
    const counts = new Map<string, number>();
    for (const answers of participants) {
      const answer = answers.get(d.id);
      const key = answer === undefined ? 'unanswered' : answer === PREFER_NOT ? 'preferNot' : d.groups.some((g) => g.id === answer) ? answer : 'unanswered';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const raw = [
      ...d.groups.map((g) => ({ kind: 'group' as const, groupId: g.id, label: g.label, n: counts.get(g.id) ?? 0 })),
      { kind: 'preferNot' as const, label: '', n: counts.get('preferNot') ?? 0 },
      { kind: 'unanswered' as const, label: '', n: counts.get('unanswered') ?? 0 },
    ];
    const hidden = new Set<number>();
    raw.forEach((c, i) => {
      if (total < MIN_SHOWN || c.n < MIN_SHOWN) hidden.add(i);
    });
    const hiddenSum = () => [...hidden].reduce((sum, i) => sum + (raw[i]?.n ?? 0), 0);
    while (hidden.size > 0 && hidden.size < raw.length && hiddenSum() < MIN_SHOWN) {
      let smallest = -1;
      raw.forEach((c, i) => {
        if (!hidden.has(i) && (smallest < 0 || c.n < (raw[smallest]?.n ?? 0))) smallest = i;
      });
      hidden.add(smallest);
    }
    const cells: Cell[] = raw.map((c, i) => ({
      kind: c.kind,
      ...(c.kind === 'group' ? { groupId: c.groupId } : {}),
      label: c.label,
      count: hidden.has(i) ? null : c.n,
      notReached: c.kind === 'group' && c.n < MIN_SHOWN,
    }));
    return { id: d.id, label: d.label, cells };
  });
  return { participants: total >= MIN_SHOWN ? total : null, dimensions: views };
}
