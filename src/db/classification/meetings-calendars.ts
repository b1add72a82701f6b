import type { DataClass } from '../data-classification.ts';

/** Meetings, the calendars part: see data-classification.ts for what each class means. */
export const MEETINGS_CALENDARS_CLASSIFICATION: Record<string, DataClass> = {};
