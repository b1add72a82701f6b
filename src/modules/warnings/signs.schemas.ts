import { type Static, Type } from '@sinclair/typebox';
import { isoDate, oneOf } from '../../platform/schemas.ts';


export const CONFIDENCE = ['low', 'medium', 'high'] as const;
export const SENSITIVITY = ['public', 'network', 'restricted'] as const;
export const SIGN_STATES = ['unverified', 'corroborated', 'verified', 'disputed'] as const;

const CountryCode = Type.String({ format: 'country-code', maxLength: 3, errorKey: 'errors.countryUnknown' });
const LanguageCode = Type.String({ format: 'language-code', maxLength: 3, errorKey: 'errors.languageUnknown' });
/** "7" (a factor) or "7.4" (an indicator); whether it exists is checked against the framework. */
const riskCode = Type.String({ pattern: '^[0-9]{1,2}(\\.[0-9]{1,2})?$', maxLength: 5, errorKey: 'errors.indicatorFormat' });
const link = Type.String({ maxLength: 500, format: 'uri', pattern: '^https?://[^\\s/?#]+\\.[^\\s/?#]+', errorKey: 'errors.url' });

export const MAX_DOCUMENTS = 3;

/**
 * The organisation a statement is made in the name of (platform/acting.ts): needed when the
 * person belongs to more than one member organisation, never guessed.
 */
export const actingForField = Type.Optional(
  Type.String({
    format: 'uuid',
    errorKey: 'errors.actingForChoose',
    description: 'Id of the organisation you act for. Required when you belong to more than one member organisation; otherwise your only one is used.',
  }),
);

export const SignInput = Type.Object(
  {
    country: CountryCode,
    area: Type.Optional(Type.String({ maxLength: 120 })),
    observedOn: isoDate,
    reportedOn: Type.Optional(isoDate),
    indicators: Type.Array(riskCode, { minItems: 1, maxItems: 30, errorKey: 'errors.indicatorsRequired' }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    links: Type.Array(link, { maxItems: 10 }),
    confidence: oneOf(CONFIDENCE),
    sensitivity: oneOf(SENSITIVITY),
    /** For "named organisations only": which organisations, besides the reporting one. */
    audience: Type.Array(Type.String({ format: 'uuid', errorKey: 'errors.choice' }), { maxItems: 50 }),
    language: LanguageCode,
    actingFor: actingForField,
  },
  { additionalProperties: false },
);
export type SignInput = Static<typeof SignInput>;

export const SignQuery = Type.Object({
  country: Type.Optional(CountryCode),
  factor: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$', errorKey: 'errors.factorUnknown' })),
  state: Type.Optional(oneOf(SIGN_STATES)),
  from: Type.Optional(isoDate),
  to: Type.Optional(isoDate),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, errorKey: 'errors.page' })),
});
export type SignQuery = Static<typeof SignQuery>;

export const ReviewInput = Type.Object(
  {
    kind: oneOf(['corroborate', 'dispute', 'comment'] as const),
    body: Type.String({ minLength: 1, maxLength: 2000 }),
    actingFor: actingForField,
  },
  { additionalProperties: false },
);
export type ReviewInput = Static<typeof ReviewInput>;

export const VerifyInput = Type.Object({ body: Type.Optional(Type.String({ maxLength: 2000 })), actingFor: actingForField }, { additionalProperties: false });
export type VerifyInput = Static<typeof VerifyInput>;

export const DocumentParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  documentId: Type.String({ format: 'uuid' }),
});

export const CountryParam = Type.Object({ code: Type.String({ pattern: '^[A-Za-z]{3}$', errorKey: 'errors.countryUnknown' }) });
