import { type Static, Type } from '@sinclair/typebox';

/** The feed's settings form: "discreet" is a checkbox (absent when unticked). */
export const FeedSettings = Type.Object(
  { discreet: Type.Optional(Type.Literal('yes', { errorKey: 'errors.choice' })) },
  { additionalProperties: false },
);
export type FeedSettings = Static<typeof FeedSettings>;

/** A feed's capability token in its address: 256 bits as base64url (43 characters). */
export const FeedTokenParam = Type.Object({ token: Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$', errorKey: 'errors.calendarsToken' }) });

export const ApiPageQuery = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, errorKey: 'errors.page' })) },
  { additionalProperties: false },
);
