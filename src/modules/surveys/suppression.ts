/**
 * Counts that cannot single anyone out (ADR 0023). A table of counts is shown with its row and
 * column totals and its grand total; a figure below `k` is never shown (primary suppression),
 * and more figures are hidden until none of the hidden ones can be worked out from what is shown
 * (complementary suppression):
 *
 * - A line (a row with its total, a column with its total) whose total is shown and whose hidden
 *   cells add up to less than `k` gives away that a small group is there: another of its cells,
 *   the smallest, is hidden too (the inclusion view's rule).
 * - Exactly: see the table as a bipartite graph, rows (and the totals row) on one side, columns
 *   (and the totals column) on the other, each figure an edge between its row and its column;
 *   each row and column says its figures add up. A hidden figure can be worked out from the shown
 *   ones exactly when its edge is a bridge of the graph of hidden edges (on no cycle of them): on
 *   a cycle, adding and taking one away around it changes no sum. So while a hidden edge is a
 *   bridge, the cheapest path of edges joining its two ends another way is hidden too (shown
 *   figures cost their value, hidden ones nothing), which puts it on a cycle.
 *
 * The result never changes a shown figure.
 */
export interface Table {
  counts: number[][];
}

export interface Suppressed {
  /** The cells, null where hidden. */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
}

type Edge = { r: number; c: number };

/**
 * Margins already published elsewhere (a cross-tabulation's row and column totals are the two
 * questions' own tables): true where that figure is shown there, false where it is hidden there.
 * A shown one cannot be hidden here to protect a cell (its reader has it anyway), and a hidden
 * one is hidden here too; the cells inside take all the hiding that is needed.
 */
export interface FixedMargins {
  rowTotals: readonly boolean[];
  columnTotals: readonly boolean[];
}

export function suppress(counts: readonly (readonly number[])[], k: number, fixed?: FixedMargins): Suppressed {
  const m = counts.length;
  const n = counts[0]?.length ?? 0;
  // The figure at (r, c), with r = m the totals row and c = n the totals column.
  const value = (r: number, c: number): number => {
    if (r < m && c < n) return counts[r]?.[c] ?? 0;
    if (r < m) return (counts[r] ?? []).reduce((a, b) => a + b, 0);
    if (c < n) return counts.reduce((a, row) => a + (row[c] ?? 0), 0);
    return counts.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  };
  const key = (r: number, c: number) => r * (n + 1) + c;
  const hidden = new Set<number>();
  for (let r = 0; r <= m; r++) for (let c = 0; c <= n; c++) if (value(r, c) < k) hidden.add(key(r, c));
  // Which margins are settled by what is published elsewhere (the grand total is always shown there).
  const settled = new Map<number, boolean>();
  if (fixed) {
    for (const [r, shown] of fixed.rowTotals.entries()) settled.set(key(r, n), shown);
    for (const [c, shown] of fixed.columnTotals.entries()) settled.set(key(m, c), shown);
    settled.set(key(m, n), true);
    for (const [edge, shown] of settled) {
      if (shown) hidden.delete(edge);
      else hidden.add(edge);
    }
  }
  const mayHide = (e: Edge) => settled.get(key(e.r, e.c)) !== true;
  const hideAllCells = () => {
    for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) hidden.add(key(r, c));
  };

  const lines = (): Edge[][] => {
    const out: Edge[][] = [];
    for (let r = 0; r <= m; r++) out.push(Array.from({ length: n + 1 }, (_, c) => ({ r, c })));
    for (let c = 0; c <= n; c++) out.push(Array.from({ length: m + 1 }, (_, r) => ({ r, c })));
    return out;
  };

  for (let guard = 0; guard < (m + 1) * (n + 1) * 4; guard++) {
    let changed = false;
    // A shown line total with a small hidden remainder: hide the smallest shown cell beside it.
    for (const line of lines()) {
      const totalEdge = line[line.length - 1] as Edge;
      const inner = line.slice(0, -1);
      if (hidden.has(key(totalEdge.r, totalEdge.c))) continue;
      const hiddenInner = inner.filter((e) => hidden.has(key(e.r, e.c)));
      if (hiddenInner.length === 0) continue;
      const sum = hiddenInner.reduce((a, e) => a + value(e.r, e.c), 0);
      if (sum >= k && hiddenInner.length >= 2) continue;
      const shown = inner.filter((e) => !hidden.has(key(e.r, e.c)) && mayHide(e)).sort((a, b) => value(a.r, a.c) - value(b.r, b.c));
      const next = shown[0] ?? (mayHide(totalEdge) ? totalEdge : undefined);
      if (!next) {
        // Nothing left that may be hidden in this line: every cell goes (the margins stay as published).
        hideAllCells();
        break;
      }
      hidden.add(key(next.r, next.c));
      changed = true;
    }
    if (changed) continue;
    const bridge = findBridge(m, n, hidden, key);
    if (!bridge) break;
    const detour = cheapestDetour(m, n, bridge, hidden, key, value, mayHide);
    if (detour === undefined) {
      hideAllCells();
      continue;
    }
    for (const e of detour) hidden.add(key(e.r, e.c));
  }

  const shownOrNull = (r: number, c: number) => (hidden.has(key(r, c)) ? null : value(r, c));
  return {
    cells: Array.from({ length: m }, (_, r) => Array.from({ length: n }, (_, c) => shownOrNull(r, c))),
    rowTotals: Array.from({ length: m }, (_, r) => shownOrNull(r, n)),
    columnTotals: Array.from({ length: n }, (_, c) => shownOrNull(m, c)),
    total: shownOrNull(m, n),
  };
}

/**
 * A hidden edge on no cycle of hidden edges, if any. Nodes: rows 0..m, then columns m+1..m+n+1.
 * Tarjan's bridge finding over the hidden edges.
 */
function findBridge(m: number, n: number, hidden: Set<number>, key: (r: number, c: number) => number): Edge | undefined {
  const nodes = m + 1 + n + 1;
  const adjacency: { to: number; edge: Edge }[][] = Array.from({ length: nodes }, () => []);
  for (let r = 0; r <= m; r++) {
    for (let c = 0; c <= n; c++) {
      if (!hidden.has(key(r, c))) continue;
      const edge = { r, c };
      adjacency[r]?.push({ to: m + 1 + c, edge });
      adjacency[m + 1 + c]?.push({ to: r, edge });
    }
  }
  const order = new Array<number>(nodes).fill(-1);
  const low = new Array<number>(nodes).fill(0);
  let time = 0;
  let found: Edge | undefined;
  const visit = (u: number, parentEdge: Edge | undefined) => {
    order[u] = low[u] = time++;
    for (const { to, edge } of adjacency[u] ?? []) {
      if (found) return;
      if (parentEdge && edge.r === parentEdge.r && edge.c === parentEdge.c) continue;
      if (order[to] === -1) {
        visit(to, edge);
        low[u] = Math.min(low[u] ?? 0, low[to] ?? 0);
        if ((low[to] ?? 0) > (order[u] ?? 0)) found = found ?? edge;
      } else {
        low[u] = Math.min(low[u] ?? 0, order[to] ?? 0);
      }
    }
  };
  for (let u = 0; u < nodes && !found; u++) if (order[u] === -1 && (adjacency[u]?.length ?? 0) > 0) visit(u, undefined);
  return found;
}

/**
 * The cheapest other way between the bridge's row and column through the complete bipartite
 * graph (Dijkstra; hidden edges cost nothing, shown ones their value plus one, so that fewer
 * figures are hidden), without the bridge itself. Returns the shown edges on it.
 */
function cheapestDetour(
  m: number,
  n: number,
  bridge: Edge,
  hidden: Set<number>,
  key: (r: number, c: number) => number,
  value: (r: number, c: number) => number,
  mayHide: (e: Edge) => boolean,
): Edge[] | undefined {
  const nodes = m + 1 + n + 1;
  const start = bridge.r;
  const goal = m + 1 + bridge.c;
  const dist = new Array<number>(nodes).fill(Number.POSITIVE_INFINITY);
  const via = new Array<{ from: number; edge: Edge } | undefined>(nodes).fill(undefined);
  const done = new Array<boolean>(nodes).fill(false);
  dist[start] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < nodes; i++) if (!done[i] && (u < 0 || (dist[i] ?? 0) < (dist[u] ?? 0))) u = i;
    if (u < 0 || dist[u] === Number.POSITIVE_INFINITY || u === goal) break;
    done[u] = true;
    const neighbours: { to: number; edge: Edge }[] = [];
    if (u <= m) for (let c = 0; c <= n; c++) neighbours.push({ to: m + 1 + c, edge: { r: u, c } });
    else for (let r = 0; r <= m; r++) neighbours.push({ to: r, edge: { r, c: u - m - 1 } });
    for (const { to, edge } of neighbours) {
      if (edge.r === bridge.r && edge.c === bridge.c) continue;
      if (!hidden.has(key(edge.r, edge.c)) && !mayHide(edge)) continue;
      const cost = hidden.has(key(edge.r, edge.c)) ? 0 : value(edge.r, edge.c) + 1;
      if ((dist[u] ?? 0) + cost < (dist[to] ?? 0)) {
        dist[to] = (dist[u] ?? 0) + cost;
        via[to] = { from: u, edge };
      }
    }
  }
  if (dist[goal] === Number.POSITIVE_INFINITY) return undefined;
  const path: Edge[] = [];
  for (let at = goal; at !== start; ) {
    const step = via[at];
    if (!step) return undefined;
    if (!hidden.has(key(step.edge.r, step.edge.c))) path.push(step.edge);
    at = step.from;
  }
  return path;
}
