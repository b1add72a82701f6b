import type { Question } from './surveys.repository.ts';
import { suppress } from './suppression.ts';

/**
 * A closed survey's results, from its answers, showing no figure below k (suppression.ts): for a
 * choice or a scale, how many chose each option; for a multiple choice, how many chose each
 * option and how many did not (both must be k or more to be shown, or either could single out
 * the few on the other side); for free text, the texts an organiser published, only where k or
 * more answered. A cross-tabulation of two choice questions is suppressed the same way.
 */
export interface OptionCount {
  label: string;
  count: number | null;
  /** The "no answer" group of an optional question: every table then adds up to all who answered the survey. */
  none?: boolean;
}

export type QuestionResult =
  | { question: Question; kind: 'choice'; answered: number | null; options: OptionCount[] }
  | { question: Question; kind: 'multiple'; answered: number | null; options: OptionCount[] }
  | { question: Question; kind: 'text'; answered: number | null; texts: string[] };

export interface Answer {
  response_id: string;
  question_id: string;
  choices: number[];
  has_text: boolean;
}

/** The options of a choice or scale question, as labels (a scale's by its values). */
export function optionLabels(q: Question): string[] {
  if (q.kind === 'scale') {
    const min = q.scale_min ?? 1;
    const max = q.scale_max ?? 5;
    return Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
  }
  return q.options;
}

/** The position of a chosen option in `optionLabels` (a scale's value less its minimum). */
const optionIndex = (q: Question, choice: number) => (q.kind === 'scale' ? choice - (q.scale_min ?? 1) : choice);

/**
 * Every question's table covers everyone who answered the survey (`responses`): an optional
 * question has a "no answer" group, so that no table's total, set beside another's, says how
 * many skipped it.
 */
export function questionResults(questions: readonly Question[], answers: readonly Answer[], texts: readonly { question_id: string; text: string | null }[], k: number, responses: number): QuestionResult[] {
  return questions.map((q): QuestionResult => {
    const mine = answers.filter((a) => a.question_id === q.id);
    if (q.kind === 'short' || q.kind === 'long') {
      const n = mine.filter((a) => a.has_text).length;
      return {
        question: q,
        kind: 'text',
        answered: n >= k ? n : null,
        texts: n >= k ? texts.filter((x) => x.question_id === q.id && x.text).map((x) => x.text as string) : [],
      };
    }
    const labels = optionLabels(q);
    const given = mine.filter((a) => a.choices.length > 0);
    if (q.kind === 'multiple') {
      // Per option: those who chose it, and all the others (those who did not, and those who gave no answer).
      const chose = labels.map((_, i) => given.filter((a) => a.choices.includes(i)).length);
      const shown = chose.map((c) => c >= k && responses - c >= k);
      // Two shown options also say at least |A| + |B| − N chose both (exactly, when everyone ticks
      // one): where that is a small group, the smaller of the two is hidden too.
      for (let changed = true; changed; ) {
        changed = false;
        for (let i = 0; i < chose.length; i++) {
          for (let j = i + 1; j < chose.length; j++) {
            const both = (chose[i] ?? 0) + (chose[j] ?? 0) - responses;
            if (shown[i] && shown[j] && both > 0 && both < k) {
              shown[(chose[i] ?? 0) <= (chose[j] ?? 0) ? i : j] = false;
              changed = true;
            }
          }
        }
      }
      return { question: q, kind: 'multiple', answered: null, options: labels.map((label, i) => ({ label, count: shown[i] ? (chose[i] ?? 0) : null })) };
    }
    const counts = labels.map((_, i) => given.filter((a) => optionIndex(q, a.choices[0] ?? -1) === i).length);
    const withNone = q.optional ? [...counts, responses - given.length] : counts;
    const s = suppress([withNone], k);
    const options: OptionCount[] = labels.map((label, i) => ({ label, count: s.cells[0]?.[i] ?? null }));
    if (q.optional) options.push({ label: '', count: s.cells[0]?.[labels.length] ?? null, none: true });
    return { question: q, kind: 'choice', answered: s.total, options };
  });
}

export interface CrossTab {
  rows: Question;
  columns: Question;
  rowLabels: string[];
  columnLabels: string[];
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
  /** Whether anything was hidden (the page says why). */
  hidden: boolean;
}

/**
 * Two choice questions against each other, among everyone who answered the survey (an optional
 * question's "no answer" a row or column of its own). Its margins are the two questions' own
 * tables, as they are published: a figure hidden there stays hidden here, one shown there is not
 * hidden here to protect a cell (the cells take the hiding). The pair is always suppressed in the
 * same order, the earlier question in the rows, so that A by B and B by A are one table.
 */
export function crossTab(rows: Question, columns: Question, answers: readonly Answer[], k: number, oneWay: readonly QuestionResult[], responses: readonly string[]): CrossTab {
  if (rows.position > columns.position) {
    const t = crossTab(columns, rows, answers, k, oneWay, responses);
    const transpose = <T>(m: T[][]) => (m[0] ?? []).map((_, c) => m.map((row) => row[c] as T));
    return { rows, columns, rowLabels: t.columnLabels, columnLabels: t.rowLabels, cells: transpose(t.cells), rowTotals: t.columnTotals, columnTotals: t.rowTotals, total: t.total, hidden: t.hidden };
  }
  const categories = (q: Question) => [...optionLabels(q), ...(q.optional ? [''] : [])];
  const rowLabels = categories(rows);
  const columnLabels = categories(columns);
  const at = (q: Question, a: Answer | undefined) => (a && a.choices.length > 0 ? optionIndex(q, a.choices[0] ?? -1) : q.optional ? optionLabels(q).length : -1);
  const byResponse = new Map<string, { r?: Answer; c?: Answer }>();
  for (const a of answers) {
    const entry = byResponse.get(a.response_id) ?? {};
    if (a.question_id === rows.id) entry.r = a;
    if (a.question_id === columns.id) entry.c = a;
    byResponse.set(a.response_id, entry);
  }
  const counts = rowLabels.map(() => columnLabels.map(() => 0));
  for (const id of responses) {
    const { r, c } = byResponse.get(id) ?? {};
    const ri = at(rows, r);
    const ci = at(columns, c);
    const row = counts[ri];
    if (row && ci >= 0 && ci < row.length) row[ci] = (row[ci] ?? 0) + 1;
  }
  const shownOf = (q: Question) => {
    const result = oneWay.find((x) => x.question.id === q.id);
    return result && result.kind === 'choice' ? result.options.map((o) => o.count !== null) : categories(q).map(() => false);
  };
  const s = suppress(counts, k, { rowTotals: shownOf(rows), columnTotals: shownOf(columns) });
  const hidden = s.total === null || s.cells.flat().includes(null) || s.rowTotals.includes(null) || s.columnTotals.includes(null);
  return { rows, columns, rowLabels, columnLabels, ...s, hidden };
}
