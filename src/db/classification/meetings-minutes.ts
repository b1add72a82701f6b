import type { DataClass } from '../data-classification.ts';

/** Meetings, the minutes part: see data-classification.ts for what each class means. */
export const MEETINGS_MINUTES_CLASSIFICATION: Record<string, DataClass> = {};
