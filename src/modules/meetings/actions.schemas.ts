import { type Static, Type } from '@sinclair/typebox';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { isoDate, oneOf, uuid } from '../../platform/schemas.ts';

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'dropped'] as const;
export const ACTION_LIMITS = { title: 300, note: 2000 } as const;
export const ACTIONS_LONG_TEXT = ['note'] as const;
/** Days before the due date the owner is reminded. */
export const REMINDER_DAYS_BEFORE = 3;

const choice = Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.choice' }));

/**
 * A new action. The owner organisation is checked by the service rather than as "required" here,
 * so that a missing owner gets its own message (errors.actionOwner) beside the other fields'.
 */
export const ActionInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: ACTION_LIMITS.title }),
    owner: Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actionOwner' })),
    dueOn: Type.Optional(isoDate),
    meeting: choice,
    decision: choice,
    goal: choice,
    alert: choice,
    statement: choice,
    [ACTING_FOR_FIELD]: Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' })),
  },
  { additionalProperties: false },
);
export type ActionInput = Static<typeof ActionInput>;

export const StatusInput = Type.Object(
  {
    status: oneOf(ACTION_STATUSES),
    note: Type.Optional(Type.String({ maxLength: ACTION_LIMITS.note })),
    [ACTING_FOR_FIELD]: Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' })),
  },
  { additionalProperties: false },
);
export type StatusInput = Static<typeof StatusInput>;

export const OfferInput = Type.Object({ person: Type.String({ format: 'uuid', errorKey: 'errors.choice' }) }, { additionalProperties: false });
export type OfferInput = Static<typeof OfferInput>;

export const AnswerInput = Type.Object({ answer: oneOf(['accepted', 'declined'] as const) }, { additionalProperties: false });
export type AnswerInput = Static<typeof AnswerInput>;

export const ActionsQuery = Type.Object(
  {
    org: Type.Optional(uuid),
    status: Type.Optional(oneOf(['open', 'closed', 'all'] as const)),
    page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,4}$', errorKey: 'errors.page' })),
  },
  { additionalProperties: false },
);
export type ActionsQuery = Static<typeof ActionsQuery>;

export const NewActionQuery = Type.Object({ meeting: Type.Optional(uuid), decision: Type.Optional(uuid) }, { additionalProperties: true });
