import type { DataClass } from '../data-classification.ts';

/** Meetings, the agenda part: see data-classification.ts for what each class means. */
export const MEETINGS_AGENDA_CLASSIFICATION: Record<string, DataClass> = {};
