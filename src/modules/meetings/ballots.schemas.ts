import { type Static, Type } from '@sinclair/typebox';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { oneOf, uuid } from '../../platform/schemas.ts';

export const MOTION_LIMITS = { text: 4000 } as const;
export const MOTION_LONG_TEXT = ['text'] as const;

const actingFor = Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' }));

export const MotionInput = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: MOTION_LIMITS.text }), ballot: oneOf(['open', 'secret'] as const), [ACTING_FOR_FIELD]: actingFor },
  { additionalProperties: false },
);
export type MotionInput = Static<typeof MotionInput>;

export const VoteInput = Type.Object({ choice: oneOf(['for', 'against', 'abstain'] as const), [ACTING_FOR_FIELD]: actingFor }, { additionalProperties: false });
export type VoteInput = Static<typeof VoteInput>;

export const DelegateInput = Type.Object(
  { organisation: Type.String({ format: 'uuid', errorKey: 'errors.choice' }), person: Type.String({ format: 'uuid', errorKey: 'errors.ballotDelegateChoose' }) },
  { additionalProperties: false },
);
export type DelegateInput = Static<typeof DelegateInput>;

export const DelegateAnswer = Type.Object(
  { organisation: Type.String({ format: 'uuid', errorKey: 'errors.choice' }), answer: oneOf(['accept', 'decline'] as const) },
  { additionalProperties: false },
);
export type DelegateAnswer = Static<typeof DelegateAnswer>;

export const MotionParams = Type.Object({ id: uuid, motionId: uuid });
