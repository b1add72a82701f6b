import { type Static, type TLiteral, Type } from '@sinclair/typebox';
import { ACTIVITIES, OPTIONAL_FIELDS, PREVENTION_SHARES, STAFF_SIZES, STAKEHOLDERS } from './directory.vocabulary.ts';

const oneOf = <const T extends readonly string[]>(values: T, errorKey = 'errors.choice') =>
  Type.Union(
    values.map((v) => Type.Literal(v)) as unknown as TLiteral<T[number]>[],
    { errorKey },
  );

/** ISO 3166-1 alpha-3 and language codes that exist (formats registered in platform/validation.ts). */
export const CountryCode = Type.String({ format: 'country-code', maxLength: 3, errorKey: 'errors.countryUnknown' });
export const LanguageCode = Type.String({ format: 'language-code', maxLength: 3, errorKey: 'errors.languageUnknown' });

/** The profile fields, shared by the application form, the admin's edit form and the API. */
export const profileFields = {
  name: Type.String({ minLength: 2, maxLength: 160, normalise: 'name' }),
  shortName: Type.Optional(Type.String({ maxLength: 40, normalise: 'name' })),
  mission: Type.String({ minLength: 1, maxLength: 4000 }),
  website: Type.Optional(Type.String({ maxLength: 300, format: 'uri', pattern: '^https?://[^\\s/?#]+\\.[^\\s/?#]+', errorKey: 'errors.url' })),
  yearFounded: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100, errorKey: 'errors.year' })),
  staffSize: Type.Optional(oneOf(STAFF_SIZES)),
  countries: Type.Array(CountryCode, { minItems: 1, maxItems: 60, errorKey: 'errors.countriesRequired' }),
  activities: Type.Array(oneOf(ACTIVITIES), { minItems: 1, maxItems: ACTIVITIES.length, errorKey: 'errors.activitiesRequired' }),
  stakeholders: Type.Array(oneOf(STAKEHOLDERS), { maxItems: STAKEHOLDERS.length }),
  preventionShare: Type.Optional(oneOf(PREVENTION_SHARES)),
  languages: Type.Array(LanguageCode, { maxItems: 30 }),
  diasporaLed: Type.Optional(Type.Boolean({ errorKey: 'errors.choice' })),
  contactEmail: Type.Optional(Type.String({ maxLength: 254, format: 'email' })),
  membersOnly: Type.Array(oneOf(OPTIONAL_FIELDS), { maxItems: OPTIONAL_FIELDS.length }),
};

export const ProfileInput = Type.Object(profileFields, { additionalProperties: false });
export type ProfileInput = Static<typeof ProfileInput>;

/** Directory filters, in the query string of the page, the API and the CSV export. */
export const DirectoryQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  activity: Type.Optional(oneOf(ACTIVITIES)),
  stakeholder: Type.Optional(oneOf(STAKEHOLDERS)),
  country: Type.Optional(CountryCode),
  language: Type.Optional(LanguageCode),
  diasporaLed: Type.Optional(oneOf(['yes', 'no'] as const)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, errorKey: 'errors.page' })),
});
export type DirectoryQuery = Static<typeof DirectoryQuery>;

export const SlugParam = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }) });

export const StaffInvite = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254, format: 'email' }),
  orgRole: oneOf(['staff', 'org_admin'] as const),
});
export type StaffInvite = Static<typeof StaffInvite>;

export const StaffParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  personId: Type.String({ format: 'uuid' }),
});

/** Leaving the network is asked once, with a box to tick. */
export const Leave = Type.Object({
  confirm: Type.Literal('yes', { errorKey: 'errors.confirmLeave' }),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type Leave = Static<typeof Leave>;

/** A convener changes an organisation's membership state, always with a reason. */
export const StatusChange = Type.Object({
  status: oneOf(['member', 'associate', 'suspended'] as const),
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
});
export type StatusChange = Static<typeof StatusChange>;

/**
 * A form's strings turned into the profile shape: the year as a number, yes/no as a boolean,
 * a website typed without "https://" completed. Anything unexpected is left for the schema
 * to refuse with a message.
 */
export function profileFromForm(values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  if (typeof out.yearFounded === 'string' && /^\d{1,4}$/.test(out.yearFounded)) out.yearFounded = Number(out.yearFounded);
  if (out.diasporaLed === 'yes') out.diasporaLed = true;
  else if (out.diasporaLed === 'no') out.diasporaLed = false;
  else if (out.diasporaLed === 'unknown') out.diasporaLed = undefined;
  if (typeof out.website === 'string' && /^[^\s:/]+\.[^\s:/]+/.test(out.website) && !/^[a-z][a-z0-9+.-]*:/i.test(out.website)) {
    out.website = `https://${out.website}`;
  }
  if (Array.isArray(out.countries)) out.countries = out.countries.map((c) => (typeof c === 'string' ? c.toUpperCase() : c));
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

export const PROFILE_LISTS = ['countries', 'activities', 'stakeholders', 'languages', 'membersOnly'] as const;
