import type { DataClass } from '../data-classification.ts';

/** Meetings, the goals part: see data-classification.ts for what each class means. */
export const MEETINGS_GOALS_CLASSIFICATION: Record<string, DataClass> = {};
