import { type Static, Type } from '@sinclair/typebox';
import { isoDate, oneOf, uuid } from '../../platform/schemas.ts';

export const STATEMENT_KINDS = ['joint_statement', 'open_letter', 'submission', 'briefing'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];
export const APPEARS_AS = ['name', 'role', 'counted'] as const;

/** Limits: the body fits a form post (64 KB) with room for the rest of the form. */
export const LIMITS = { title: 200, summary: 2000, asks: 4000, body: 40000, note: 2000, comment: 5000, reason: 2000, displayName: 120, displayRole: 200 } as const;

/** Fields typed as free text whose white space matters (Markdown, one ask per line). */
export const STATEMENT_LONG_TEXT = ['body', 'summary', 'asks', 'note', 'reason'] as const;
export const STATEMENT_LISTS = ['countries', 'alerts', 'signs'] as const;

const CountryCode = Type.String({ format: 'country-code', maxLength: 3, errorKey: 'errors.countryUnknown' });
const Language = Type.String({ format: 'language-code', maxLength: 12, errorKey: 'errors.languageUnknown' });
const choice = Type.String({ format: 'uuid', errorKey: 'errors.choice' });
/** The hash of the version a person was shown when they chose to sign (canonical.ts). */
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', errorKey: 'errors.statementChanged' });
const yes = Type.Optional(Type.Literal('yes', { errorKey: 'errors.choice' }));
const text = (max: number) => Type.Optional(Type.String({ maxLength: max }));

/** The text of a version: the same fields for a new statement, an edit, a correction, a translation. */
const content = {
  title: Type.String({ minLength: 3, maxLength: LIMITS.title }),
  summary: text(LIMITS.summary),
  asks: text(LIMITS.asks),
  body: Type.String({ minLength: 1, maxLength: LIMITS.body }),
};

export const StatementInput = Type.Object(
  {
    kind: oneOf(STATEMENT_KINDS),
    language: Language,
    ...content,
    countries: Type.Array(CountryCode, { maxItems: 60 }),
    alerts: Type.Array(choice, { maxItems: 10 }),
    signs: Type.Array(choice, { maxItems: 50 }),
    allowIndividuals: yes,
    includeAssociates: yes,
  },
  { additionalProperties: false },
);
export type StatementInput = Static<typeof StatementInput>;

export const CorrectionInput = Type.Object(
  {
    ...content,
    // Why it changed, shown with the version: required (by the service, with its own message),
    // so a correction is never silent.
    note: text(LIMITS.note),
    deadline: Type.Optional(isoDate),
  },
  { additionalProperties: false },
);
export type CorrectionInput = Static<typeof CorrectionInput>;

export const TranslationInput = Type.Object({ language: Language, ...content }, { additionalProperties: false });
export type TranslationInput = Static<typeof TranslationInput>;

export const InviteDrafterInput = Type.Object({ organisation: choice }, { additionalProperties: false });
export type InviteDrafterInput = Static<typeof InviteDrafterInput>;

export const CirculateInput = Type.Object({ deadline: isoDate, includeAssociates: yes }, { additionalProperties: false });
export type CirculateInput = Static<typeof CirculateInput>;

export const CommentInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: LIMITS.comment }) }, { additionalProperties: false });
export type CommentInput = Static<typeof CommentInput>;

export const DeclineInput = Type.Object({ reason: text(LIMITS.reason) }, { additionalProperties: false });
export type DeclineInput = Static<typeof DeclineInput>;

/** How an individual co-signatory appears: the name or role exactly as they typed it. */
export const CosignInput = Type.Object(
  {
    appearsAs: oneOf(APPEARS_AS),
    displayName: Type.Optional(Type.String({ minLength: 2, maxLength: LIMITS.displayName, normalise: 'name' })),
    displayRole: Type.Optional(Type.String({ minLength: 3, maxLength: LIMITS.displayRole, normalise: 'name' })),
    sha256: Type.Optional(Sha256),
  },
  { additionalProperties: false },
);
export type CosignInput = Static<typeof CosignInput>;

export const NameSignatoryInput = Type.Object({ person: choice }, { additionalProperties: false });
export type NameSignatoryInput = Static<typeof NameSignatoryInput>;

export const NewStatementQuery = Type.Object({ alert: Type.Optional(uuid) });
export const DrafterParams = Type.Object({ id: uuid, organisationId: uuid });
export const VersionParams = Type.Object({ id: uuid, version: Type.String({ pattern: '^[1-9][0-9]{0,5}$', errorKey: 'errors.notFound' }) });
export const OrganisationParam = Type.Object({ organisationId: uuid });
export const SignatoryParams = Type.Object({ id: uuid, personId: uuid });
