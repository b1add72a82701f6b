import type { FieldErrors } from '../platform/errors.ts';

/** What a form shows: the values typed, the errors found, and the summary above them. */
export interface FormState {
  values: Record<string, unknown>;
  errors: FieldErrors;
  summaryKey?: string | undefined;
}

export const EMPTY: FormState = { values: {}, errors: {} };
