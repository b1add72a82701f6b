import { type Static, Type } from '@sinclair/typebox';
import { profileFields } from './directory.schemas.ts';

/** Apply to join: the organisation's profile, who to talk to, and how it meets the terms. */
export const Apply = Type.Object(
  {
    ...profileFields,
    applicantName: Type.String({ minLength: 1, maxLength: 120, normalise: 'name' }),
    applicantEmail: Type.String({ minLength: 1, maxLength: 254, format: 'email' }),
    statement: Type.String({ minLength: 1, maxLength: 4000 }),
    termsVersion: Type.Integer({ minimum: 1, errorKey: 'errors.termsVersion' }),
    acceptTerms: Type.Literal('yes', { errorKey: 'errors.acceptTerms' }),
    /** Ticked after being told a similar organisation is already in the network. */
    notDuplicate: Type.Optional(Type.Literal('yes')),
  },
  { additionalProperties: false },
);
export type Apply = Static<typeof Apply>;

export const ApplicationNote = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) });
export type ApplicationNote = Static<typeof ApplicationNote>;

export const Decision = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')], { errorKey: 'errors.choice' }),
  /** Approving as a member or as an associate organisation. */
  status: Type.Optional(Type.Union([Type.Literal('member'), Type.Literal('associate')], { errorKey: 'errors.choice' })),
  reason: Type.String({ minLength: 1, maxLength: 4000 }),
});
export type Decision = Static<typeof Decision>;

export const Answer = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) });
export type Answer = Static<typeof Answer>;

export const TermsEdit = Type.Object({ body: Type.String({ minLength: 20, maxLength: 40000 }) });
export type TermsEdit = Static<typeof TermsEdit>;

export const VersionParam = Type.Object({ version: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }) });
