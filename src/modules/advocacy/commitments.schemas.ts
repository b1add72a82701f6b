import { type Static, Type } from '@sinclair/typebox';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { isoDate, oneOf, uuid } from '../../platform/schemas.ts';

/** The steps a commitment is rated on; `not_rated` is where every commitment starts. */
export const RATINGS = ['in_the_works', 'stalled', 'compromise', 'kept', 'broken'] as const;
export type Rating = (typeof RATINGS)[number];
export const ALL_RATINGS = ['not_rated', ...RATINGS] as const;
export type AnyRating = (typeof ALL_RATINGS)[number];

export const COMMITMENT_LIMITS = { quote: 2000, summary: 500, note: 2000, link: 500, countries: 20 } as const;
export const COMMITMENTS_PAGE_SIZE = 50;
/** Free text whose line breaks matter. */
export const COMMITMENT_LONG_TEXT = ['quote', 'note'] as const;
export const COMMITMENT_LISTS = ['countries'] as const;

const CountryCode = Type.String({ format: 'country-code', maxLength: 3, errorKey: 'errors.countryUnknown' });
const choice = Type.String({ format: 'uuid', errorKey: 'errors.choice' });
const actingFor = Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' }));

/** The tracker's filters, in the page's query string, the CSV's and the API's. */
export const CommitmentQuery = Type.Object(
  {
    party: Type.Optional(choice),
    post: Type.Optional(choice),
    person: Type.Optional(choice),
    country: Type.Optional(CountryCode),
    rating: Type.Optional(oneOf(ALL_RATINGS)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, errorKey: 'errors.page' })),
  },
  { additionalProperties: false },
);
export type CommitmentQuery = Static<typeof CommitmentQuery>;

export const CommitmentInput = Type.Object(
  {
    quote: Type.String({ minLength: 1, maxLength: COMMITMENT_LIMITS.quote }),
    summary: Type.String({ minLength: 1, maxLength: COMMITMENT_LIMITS.summary }),
    countries: Type.Array(CountryCode, { maxItems: COMMITMENT_LIMITS.countries }),
    [ACTING_FOR_FIELD]: actingFor,
  },
  { additionalProperties: false },
);
export type CommitmentInput = Static<typeof CommitmentInput>;

export const RatingInput = Type.Object(
  {
    rating: oneOf(RATINGS),
    evidenceUrl: Type.Optional(Type.String({ maxLength: COMMITMENT_LIMITS.link, format: 'uri', pattern: '^https?://[^\\s/?#]+\\.[^\\s/?#]+', errorKey: 'errors.url' })),
    note: Type.Optional(Type.String({ maxLength: COMMITMENT_LIMITS.note })),
    ratedOn: isoDate,
    [ACTING_FOR_FIELD]: actingFor,
  },
  { additionalProperties: false },
);
export type RatingInput = Static<typeof RatingInput>;

export const ReplyParams = Type.Object({ id: uuid, replyId: uuid });
export const RatingParams = Type.Object({ id: uuid, ratingId: uuid });
export const FeedQuery = Type.Object({}, { additionalProperties: true });
