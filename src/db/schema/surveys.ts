import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

// Anonymous surveys (migration 2026-12-03T0200-surveys).
export type SurveyAudience = 'network' | 'organisations' | 'community' | 'link';
export type SurveyState = 'draft' | 'open' | 'closed';
export const QUESTION_KINDS = ['single', 'multiple', 'scale', 'short', 'long'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export type TextState = 'unread' | 'published' | 'withheld';

export interface SurveysTable {
  id: Generated<string>;
  number: Generated<number>;
  title: string;
  intro: Generated<string>;
  language: string;
  organisation_id: string | null;
  created_by: string | null;
  audience: SurveyAudience;
  community_id: string | null;
  link_token_hash: string | null;
  state: Generated<SurveyState>;
  opened_at: Timestamp | null;
  closes_at: Timestamp;
  closed_at: Timestamp | null;
  min_group: Generated<number>;
  reminded_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SurveyOrganisationsTable {
  survey_id: string;
  organisation_id: string;
}

export interface SurveySectionsTable {
  id: Generated<string>;
  survey_id: string;
  position: number;
  title: string;
}

export interface SurveyQuestionsTable {
  id: Generated<string>;
  survey_id: string;
  section_id: string | null;
  position: number;
  kind: QuestionKind;
  text: string;
  help: Generated<string>;
  optional: Generated<boolean>;
  options: Generated<string[]>;
  scale_min: number | null;
  scale_max: number | null;
  scale_min_label: string | null;
  scale_max_label: string | null;
}

export interface SurveyRespondentsTable {
  survey_id: string;
  people: Generated<string[]>;
}

export interface SurveyResponsesTable {
  id: Generated<string>;
  survey_id: string;
  answered_on: string;
}

export interface SurveyAnswersTable {
  response_id: string;
  question_id: string;
  choices: Generated<number[]>;
  text: string | null;
  text_state: TextState | null;
}

export interface SurveysTables {
  surveys: SurveysTable;
  survey_organisations: SurveyOrganisationsTable;
  survey_sections: SurveySectionsTable;
  survey_questions: SurveyQuestionsTable;
  survey_respondents: SurveyRespondentsTable;
  survey_responses: SurveyResponsesTable;
  survey_answers: SurveyAnswersTable;
}
