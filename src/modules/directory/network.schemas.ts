import { type Static, Type } from '@sinclair/typebox';
import { CountryCode, LanguageCode } from './directory.schemas.ts';

/** An individual expert's profile in the wider network: what they know, where, in which languages. */
export const AssociateProfile = Type.Object(
  {
    expertise: Type.String({ minLength: 1, maxLength: 2000 }),
    countries: Type.Array(CountryCode, { maxItems: 40 }),
    languages: Type.Array(LanguageCode, { maxItems: 20 }),
    organisation: Type.Optional(Type.String({ maxLength: 160, normalise: 'name' })),
  },
  { additionalProperties: false },
);
export type AssociateProfile = Static<typeof AssociateProfile>;
