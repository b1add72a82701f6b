import { type Static, Type } from '@sinclair/typebox';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { oneOf, uuid } from '../../platform/schemas.ts';

export const GOAL_LIMITS = { title: 200, success: 4000, update: 4000, leads: 20, support: 40_000 } as const;
/** Free text whose line breaks matter. */
export const GOAL_LONG_TEXT = ['success', 'body'] as const;
export const GOAL_LISTS = ['leads'] as const;

const choice = Type.String({ format: 'uuid', errorKey: 'errors.choice' });
const actingFor = Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' }));
const Year = Type.Integer({ minimum: 2000, maximum: 2100, errorKey: 'errors.goalYear' });

export const GoalInput = Type.Object(
  {
    year: Year,
    title: Type.String({ minLength: 1, maxLength: GOAL_LIMITS.title }),
    success: Type.String({ minLength: 1, maxLength: GOAL_LIMITS.success }),
    leads: Type.Array(choice, { maxItems: GOAL_LIMITS.leads }),
    meeting: Type.Optional(Type.Union([Type.Literal(''), choice])),
    [ACTING_FOR_FIELD]: actingFor,
  },
  { additionalProperties: false },
);
export type GoalInput = Static<typeof GoalInput>;

export const LeadAnswer = Type.Object(
  { organisation: choice, answer: oneOf(['accept', 'decline'] as const) },
  { additionalProperties: false },
);
export type LeadAnswer = Static<typeof LeadAnswer>;

export const GoalUpdateInput = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: GOAL_LIMITS.update }), [ACTING_FOR_FIELD]: actingFor },
  { additionalProperties: false },
);
export type GoalUpdateInput = Static<typeof GoalUpdateInput>;

export const GoalLinkInput = Type.Object(
  { meeting: Type.Optional(Type.Union([Type.Literal(''), choice])), statement: Type.Optional(Type.Union([Type.Literal(''), choice])) },
  { additionalProperties: false },
);
export type GoalLinkInput = Static<typeof GoalLinkInput>;

export const YearQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: true });
export type YearQuery = Static<typeof YearQuery>;

export const SupportEdit = Type.Object({ body: Type.String({ minLength: 20, maxLength: GOAL_LIMITS.support }) }, { additionalProperties: false });
export type SupportEdit = Static<typeof SupportEdit>;

export const SupportVersionParam = Type.Object({ version: Type.String({ pattern: '^[1-9][0-9]{0,5}$', maxLength: 6 }) });
export const GoalIdParam = Type.Object({ id: uuid });
