import { type Static, Type } from '@sinclair/typebox';
import { isoDate, oneOf } from '../../platform/schemas.ts';
import { actingForField } from './signs.schemas.ts';

export const SEVERITIES = ['moderate', 'high', 'critical'] as const;
export const ALERT_ACTIONS = ['joint_statement', 'ad_hoc_meeting', 'briefing', 'media'] as const;
export const RESPONSE_KINDS = ['will_act', 'cannot', 'comment'] as const;

const CountryCode = Type.String({ format: 'country-code', maxLength: 3, errorKey: 'errors.countryUnknown' });
const uuidList = (max: number, errorKey: string) => Type.Array(Type.String({ format: 'uuid', errorKey: 'errors.choice' }), { minItems: 1, maxItems: max, errorKey });

export const AlertInput = Type.Object(
  {
    country: CountryCode,
    signs: uuidList(20, 'errors.alertSignsRequired'),
    severity: oneOf(SEVERITIES),
    summary: Type.String({ minLength: 1, maxLength: 3000 }),
    actions: Type.Array(oneOf(ALERT_ACTIONS), { minItems: 1, maxItems: ALERT_ACTIONS.length, errorKey: 'errors.alertActionsRequired' }),
    deadline: Type.Optional(isoDate),
    sensitivity: oneOf(['public', 'network'] as const),
    actingFor: actingForField,
  },
  { additionalProperties: false },
);
export type AlertInput = Static<typeof AlertInput>;

export const ProposeQuery = Type.Object({
  country: Type.Optional(CountryCode),
  sign: Type.Optional(Type.Array(Type.String({ format: 'uuid', errorKey: 'errors.choice' }), { maxItems: 20 })),
});

export const ResponseInput = Type.Object(
  {
    kind: oneOf(RESPONSE_KINDS),
    body: Type.Optional(Type.String({ maxLength: 2000 })),
    /** Responses are read by the network only, unless the responding organisation ticks this. */
    public: Type.Optional(Type.Literal('yes', { errorKey: 'errors.choice' })),
    actingFor: actingForField,
  },
  { additionalProperties: false },
);
export type ResponseInput = Static<typeof ResponseInput>;

export const ConfirmInput = Type.Object({ actingFor: actingForField }, { additionalProperties: false });
export type ConfirmInput = Static<typeof ConfirmInput>;

export const CloseInput = Type.Object({ outcome: Type.String({ minLength: 1, maxLength: 3000 }) }, { additionalProperties: false });
export type CloseInput = Static<typeof CloseInput>;

export const MeetingInput = Type.Object({ purpose: Type.String({ minLength: 1, maxLength: 1000 }), actingFor: actingForField }, { additionalProperties: false });
export type MeetingInput = Static<typeof MeetingInput>;

export const SubscriptionInput = Type.Object(
  {
    countries: Type.Array(CountryCode, { maxItems: 60 }),
    factors: Type.Array(Type.String({ pattern: '^[0-9]{1,2}$', errorKey: 'errors.factorUnknown' }), { maxItems: 14 }),
    minSeverity: oneOf(SEVERITIES),
  },
  { additionalProperties: false },
);
export type SubscriptionInput = Static<typeof SubscriptionInput>;

export const ModeInput = Type.Object({ mode: oneOf(['immediate', 'digest'] as const) }, { additionalProperties: false });
export type ModeInput = Static<typeof ModeInput>;

export const AlertListQuery = Type.Object({ status: Type.Optional(oneOf(['proposed', 'active', 'closed'] as const)) });

export const SubscriptionParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
