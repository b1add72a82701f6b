import { type Static, Type } from '@sinclair/typebox';
import { QUESTION_KINDS } from '../../db/schema/surveys.ts';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { isoDate, oneOf, uuid } from '../../platform/schemas.ts';

export const SURVEY_LIMITS = { title: 200, intro: 4000, question: 500, help: 500, option: 200, options: 30, section: 200, text: 4000, shortText: 300, organisations: 50, questions: 100 } as const;
export const SURVEY_LONG_TEXT = ['intro', 'options'] as const;
export const SURVEY_LISTS = ['organisations'] as const;
export const AUDIENCES = ['network', 'organisations', 'community', 'link'] as const;

const choice = Type.String({ format: 'uuid', errorKey: 'errors.choice' });
const count = (min: number, max: number, errorKey: string) => Type.String({ pattern: `^[0-9]{1,4}$`, maxLength: 4, errorKey, minimum: min, maximum: max });

export const SurveyInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: SURVEY_LIMITS.title }),
    intro: Type.String({ maxLength: SURVEY_LIMITS.intro }),
    language: Type.String({ format: 'language-code', errorKey: 'errors.surveyLanguage' }),
    audience: oneOf(AUDIENCES),
    organisations: Type.Array(choice, { maxItems: SURVEY_LIMITS.organisations }),
    community: Type.Optional(choice),
    opensOn: Type.Optional(isoDate),
    closesOn: isoDate,
    minGroup: count(5, 1000, 'errors.surveyMinGroup'),
    [ACTING_FOR_FIELD]: Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' })),
  },
  { additionalProperties: false },
);
export type SurveyInput = Static<typeof SurveyInput>;
export const SURVEY_DEFAULTS = { intro: '', organisations: [], minGroup: '5' } as const;

// Its own field name: the survey's details form on the same page has a `title` too.
export const SectionInput = Type.Object({ sectionTitle: Type.String({ minLength: 1, maxLength: SURVEY_LIMITS.section, pattern: '\\S', errorKey: 'errors.required' }) }, { additionalProperties: false });
export type SectionInput = Static<typeof SectionInput>;

export const QuestionInput = Type.Object(
  {
    kind: oneOf(QUESTION_KINDS),
    text: Type.String({ minLength: 1, maxLength: SURVEY_LIMITS.question }),
    help: Type.String({ maxLength: SURVEY_LIMITS.help }),
    optional: Type.Optional(Type.Literal('yes')),
    // One option per line, for single and multiple choice.
    options: Type.String({ maxLength: SURVEY_LIMITS.options * (SURVEY_LIMITS.option + 1) }),
    scaleMin: Type.Optional(Type.String({ pattern: '^(0|1)$', errorKey: 'errors.surveyScale' })),
    scaleMax: Type.Optional(Type.String({ pattern: '^([2-9]|10)$', errorKey: 'errors.surveyScale' })),
    scaleMinLabel: Type.Optional(Type.String({ maxLength: 60 })),
    scaleMaxLabel: Type.Optional(Type.String({ maxLength: 60 })),
    section: Type.Optional(choice),
  },
  { additionalProperties: false },
);
export type QuestionInput = Static<typeof QuestionInput>;
export const QUESTION_DEFAULTS = { help: '', options: '' } as const;

export const TextReview = Type.Object({ decision: oneOf(['publish', 'withhold'] as const) }, { additionalProperties: false });
export type TextReview = Static<typeof TextReview>;

export const CrossTabQuery = Type.Object(
  { rows: Type.Optional(choice), columns: Type.Optional(choice) },
  { additionalProperties: true },
);
export type CrossTabQuery = Static<typeof CrossTabQuery>;

export const SurveyIdParam = Type.Object({ id: uuid });
export const QuestionParams = Type.Object({ id: uuid, questionId: uuid });
export const TextParams = Type.Object({ id: uuid, handle: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$', errorKey: 'errors.notFound' }) });
export const SurveyTokenParam = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });
