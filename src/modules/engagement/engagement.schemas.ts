import { type Static, Type } from '@sinclair/typebox';
import { isoDate, oneOf } from '../../platform/schemas.ts';

export const FORMATS = ['meeting', 'online', 'survey', 'interview'] as const;
/** Below this many people a count is never shown: a small group's members are easy to name. */
export const MIN_SHOWN = 5;
export const PREFER_NOT = 'prefer_not';

const text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const uuid = Type.String({ format: 'uuid', errorKey: 'errors.choice' });
const languages = Type.Array(Type.String({ format: 'language-code', maxLength: 12, errorKey: 'errors.languageUnknown' }), { maxItems: 20, errorKey: 'errors.tooMany' });
/** A sum as typed: digits, at most two decimals; a minus sign is refused with its own message. */
export const Amount = Type.String({ pattern: '^[0-9]{1,7}([.,][0-9]{1,2})?$', maxLength: 11, errorKey: 'errors.amount' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', errorKey: 'errors.currency' });

export const CommunityInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 120, normalise: 'name' }),
    description: text(2000),
    languages: Type.Optional(languages),
    dimensions: Type.String({ minLength: 1, maxLength: 4000, errorKey: 'errors.dimensions' }),
  },
  { additionalProperties: false },
);
export type CommunityInput = Static<typeof CommunityInput>;

/** Answers of the self-description form: dimension id → group id or "prefer not to say". */
export const DescribeInput = Type.Record(Type.String({ format: 'uuid' }), Type.String({ maxLength: 40 }));

export const ConsultationInput = Type.Object(
  {
    title: Type.String({ minLength: 3, maxLength: 200 }),
    purpose: text(3000),
    decision: text(2000),
    decisionMaker: text(300),
    canChange: text(3000),
    cannotChange: text(3000),
    format: oneOf(FORMATS),
    startsOn: Type.Optional(isoDate),
    endsOn: Type.Optional(isoDate),
    languages: Type.Optional(languages),
    interpretation: text(1000),
    accessibility: text(1000),
    compensationAmount: Type.Optional(Amount),
    compensationCurrency: Type.Optional(Currency),
    compensationBasis: text(300),
    noCompensationReason: text(1000),
    communities: Type.Array(uuid, { minItems: 1, maxItems: 10, errorKey: 'errors.communitiesRequired' }),
    missingWho: text(3000),
    missingWhy: text(3000),
    missingSteps: text(3000),
    intent: Type.Optional(oneOf(['save', 'open'] as const)),
  },
  { additionalProperties: false },
);
export type ConsultationInput = Static<typeof ConsultationInput>;

export const JoinInput = Type.Object({ visible: Type.Optional(Type.Literal('yes')) }, { additionalProperties: false });
export type JoinInput = Static<typeof JoinInput>;

export const ParticipationInput = Type.Object(
  {
    person: uuid,
    hours: Type.String({ pattern: '^[0-9]{1,3}([.,][0-9]{1,2})?$', maxLength: 6, errorKey: 'errors.hours' }),
    amount: Amount,
    currency: Currency,
  },
  { additionalProperties: false },
);
export type ParticipationInput = Static<typeof ParticipationInput>;

export const PaidInput = Type.Object(
  {
    paidOn: isoDate,
    // How, never where to: "bank transfer", "cash at the meeting", not an account number.
    method: Type.String({ minLength: 2, maxLength: 60, pattern: '^[^0-9]*([0-9][^0-9]*){0,3}$', errorKey: 'errors.paymentMethod' }),
  },
  { additionalProperties: false },
);
export type PaidInput = Static<typeof PaidInput>;

export const FeedbackInput = Type.Object(
  {
    // Each is checked by the service, so a missing one gets its own message, not "fill in".
    heard: text(5000),
    did: text(5000),
    didNot: text(5000),
  },
  { additionalProperties: false },
);
export type FeedbackInput = Static<typeof FeedbackInput>;

export const PaymentParams = Type.Object({ id: uuid, paymentId: uuid });
export const CoOrganiserParams = Type.Object({ id: uuid, organisationId: uuid });

// ---- opportunities board ------------------------------------------------------------------

export const KINDS = ['translation', 'interpreting', 'design', 'catering', 'facilitation', 'research'] as const;
export const RATE_BASES = ['hour', 'day', 'task'] as const;

export const OpportunityInput = Type.Object(
  {
    kind: oneOf(KINDS),
    title: Type.String({ minLength: 3, maxLength: 200 }),
    description: Type.String({ minLength: 10, maxLength: 3000 }),
    rate: Amount,
    currency: Currency,
    rateBasis: oneOf(RATE_BASES),
    languages: Type.Optional(languages),
    deadline: isoDate,
  },
  { additionalProperties: false },
);
export type OpportunityInput = Static<typeof OpportunityInput>;

export const ApplyInput = Type.Object({ note: text(1000) }, { additionalProperties: false });
export type ApplyInput = Static<typeof ApplyInput>;

/** Who gets the work and the amount agreed for it: what the organisation now owes. */
export const AwardInput = Type.Object({ person: uuid, amount: Amount, currency: Currency }, { additionalProperties: false });
export type AwardInput = Static<typeof AwardInput>;

export const PreferencesInput = Type.Object(
  {
    notify: Type.Optional(Type.Literal('yes')),
    skills: Type.Optional(Type.Array(oneOf(KINDS), { maxItems: KINDS.length, errorKey: 'errors.choice' })),
    languages: Type.Optional(languages),
  },
  { additionalProperties: false },
);
export type PreferencesInput = Static<typeof PreferencesInput>;

// ---- media requests -----------------------------------------------------------------------

export const MediaRequestInput = Type.Object(
  {
    person: uuid,
    outlet: Type.String({ minLength: 2, maxLength: 200, normalise: 'name' }),
    topic: Type.String({ minLength: 3, maxLength: 1000 }),
    // Checked by the service, so an empty one says what must be offered.
    trainingOffered: text(1000),
    supportOffered: text(1000),
  },
  { additionalProperties: false },
);
export type MediaRequestInput = Static<typeof MediaRequestInput>;

export const ConsentInput = Type.Object({ answer: oneOf(['given', 'refused'] as const) }, { additionalProperties: false });
export type ConsentInput = Static<typeof ConsentInput>;
