import { type Static, Type } from '@sinclair/typebox';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { oneOf } from '../../platform/schemas.ts';

export const MINUTES_LIMITS = { body: 100_000, correction: 5000, decision: 2000, query: 200 } as const;
/** Free text whose line breaks matter. */
export const MINUTES_LONG_TEXT = ['body', 'text'] as const;

const actingFor = Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' }));

export const MinutesInput = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: MINUTES_LIMITS.body }),
  },
  { additionalProperties: false },
);
export type MinutesInput = Static<typeof MinutesInput>;

export const CorrectionInput = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: MINUTES_LIMITS.correction }),
  },
  { additionalProperties: false },
);
export type CorrectionInput = Static<typeof CorrectionInput>;

/** Approved by a chair of this meeting, or at the next meeting of the series by one of its chairs. */
export const ApprovalInput = Type.Object(
  {
    at: Type.Optional(oneOf(['chair', 'next'] as const)),
  },
  { additionalProperties: false },
);
export type ApprovalInput = Static<typeof ApprovalInput>;

export const DecisionInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: MINUTES_LIMITS.decision }),
    goal: Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.choice' })),
    [ACTING_FOR_FIELD]: actingFor,
  },
  { additionalProperties: false },
);
export type DecisionInput = Static<typeof DecisionInput>;

export const DecisionQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: MINUTES_LIMITS.query })),
  },
  { additionalProperties: false },
);
export type DecisionQuery = Static<typeof DecisionQuery>;
