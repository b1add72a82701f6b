import { type Static, Type } from '@sinclair/typebox';
import { RESOURCE_KINDS } from '../../db/schema/library.ts';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { isoDate, oneOf, uuid } from '../../platform/schemas.ts';
import { ACTIVITIES, STAKEHOLDERS } from '../../platform/vocabulary.ts';

export const LIBRARY_LIMITS = { title: 300, summary: 4000, authors: 2000, authorNames: 20, contentWarning: 300, link: 2000, countries: 60, organisations: 50, query: 200 } as const;
/** Free text whose line breaks matter (one author per line). */
export const LIBRARY_LONG_TEXT = ['summary', 'authorNames'] as const;
export const LIBRARY_LISTS = ['countries', 'activities', 'themes', 'readers', 'authorOrganisations'] as const;

/** Licences a resource may carry (SPDX identifiers where there is one). */
export const LICENCES = ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-NC-ND-4.0', 'CC0-1.0', 'all-rights-reserved', 'other'] as const;
export const VISIBILITIES = ['public', 'network', 'organisations'] as const;

const choice = Type.String({ format: 'uuid', errorKey: 'errors.choice' });
const link = Type.String({ maxLength: LIBRARY_LIMITS.link, format: 'uri', pattern: '^https?://[^\\s/?#]+\\.[^\\s/?#]+', errorKey: 'errors.url' });

export const ResourceInput = Type.Object(
  {
    kind: oneOf(RESOURCE_KINDS),
    title: Type.String({ minLength: 1, maxLength: LIBRARY_LIMITS.title, pattern: '\\S', errorKey: 'errors.required' }),
    summary: Type.String({ maxLength: LIBRARY_LIMITS.summary }),
    issuedOn: Type.Optional(isoDate),
    language: Type.String({ format: 'language-code', errorKey: 'errors.libraryLanguage' }),
    translationOf: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,8})?$', maxLength: 9, errorKey: 'errors.libraryTranslationNumber' })),
    // What the edit form showed: a save that leaves the number as it was leaves the work as it was.
    translationOfBefore: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,8})?$', maxLength: 9 })),
    licence: oneOf(LICENCES),
    link: Type.Optional(link),
    countries: Type.Array(Type.String({ format: 'country-code' }), { maxItems: LIBRARY_LIMITS.countries }),
    activities: Type.Array(oneOf(ACTIVITIES), { maxItems: ACTIVITIES.length }),
    themes: Type.Array(oneOf(STAKEHOLDERS), { maxItems: STAKEHOLDERS.length }),
    visibility: oneOf(VISIBILITIES),
    readers: Type.Array(choice, { maxItems: LIBRARY_LIMITS.organisations }),
    authorOrganisations: Type.Array(choice, { maxItems: LIBRARY_LIMITS.authorNames }),
    authorNames: Type.String({ maxLength: LIBRARY_LIMITS.authors }),
    contentWarning: Type.String({ maxLength: LIBRARY_LIMITS.contentWarning }),
    removeFile: Type.Optional(Type.Literal('yes')),
    [ACTING_FOR_FIELD]: Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' })),
  },
  { additionalProperties: false },
);
export type ResourceInput = Static<typeof ResourceInput>;

/** The fields a form may leave out entirely (unticked boxes, empty lists). */
export const RESOURCE_DEFAULTS = { summary: '', countries: [], activities: [], themes: [], readers: [], authorOrganisations: [], authorNames: '', contentWarning: '' } as const;

export const FeatureInput = Type.Object({ featured: oneOf(['yes', 'no'] as const) }, { additionalProperties: false });
export type FeatureInput = Static<typeof FeatureInput>;

const optional = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Optional(Type.Union([Type.Literal(''), t]));

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: LIBRARY_LIMITS.query })),
    kind: Type.Optional(Type.Union([Type.Literal(''), oneOf(RESOURCE_KINDS)])),
    language: optional(Type.String({ format: 'language-code' })),
    country: optional(Type.String({ format: 'country-code' })),
    activity: Type.Optional(Type.Union([Type.Literal(''), oneOf(ACTIVITIES)])),
    theme: Type.Optional(Type.Union([Type.Literal(''), oneOf(STAKEHOLDERS)])),
    recent: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('month')])),
    page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,4}$', maxLength: 5, errorKey: 'errors.page' })),
  },
  { additionalProperties: true },
);
export type SearchQuery = Static<typeof SearchQuery>;
export const SEARCH_KEYS = ['q', 'kind', 'language', 'country', 'activity', 'theme', 'recent', 'page'] as const;

export const ResourceIdParam = Type.Object({ id: uuid });
