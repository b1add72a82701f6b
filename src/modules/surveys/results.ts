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

export function questionResults(questions: readonly Question[], answers: readonly Answer[], texts: readonly { question_id: string; text: string | null }[], k: number): QuestionResult[] {
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
      const n = given.length;
      const options = labels.map((label, i) => {
        const chose = given.filter((a) => a.choices.includes(i)).length;
        const s = suppress([[chose, n - chose]], k);
        return { label, count: s.cells[0]?.[0] ?? null };
      });
      return { question: q, kind: 'multiple', answered: n >= k ? n : null, options };
    }
    const counts = labels.map((_, i) => given.filter((a) => optionIndex(q, a.choices[0] ?? -1) === i).length);
    const s = suppress([counts], k);
    return { question: q, kind: 'choice', answered: s.total, options: labels.map((label, i) => ({ label, count: s.cells[0]?.[i] ?? null })) };
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

/** Two choice questions against each other, among those who answered both. */
export function crossTab(rows: Question, columns: Question, answers: readonly Answer[], k: number): CrossTab {
  const rowLabels = optionLabels(rows);
  const columnLabels = optionLabels(columns);
  const byResponse = new Map<string, { r?: number; c?: number }>();
  for (const a of answers) {
    if (a.choices.length === 0) continue;
    const entry = byResponse.get(a.response_id) ?? {};
    if (a.question_id === rows.id) entry.r = optionIndex(rows, a.choices[0] ?? -1);
    if (a.question_id === columns.id) entry.c = optionIndex(columns, a.choices[0] ?? -1);
    byResponse.set(a.response_id, entry);
  }
  const counts = rowLabels.map(() => columnLabels.map(() => 0));
  for (const { r, c } of byResponse.values()) {
    if (r === undefined || c === undefined) continue;
    const row = counts[r];
    if (row && c >= 0 && c < row.length) row[c] = (row[c] ?? 0) + 1;
  }
  const s = suppress(counts, k);
  const hidden = s.total === null || s.cells.flat().includes(null) || s.rowTotals.includes(null) || s.columnTotals.includes(null);
  return { rows, columns, rowLabels, columnLabels, ...s, hidden };
}
