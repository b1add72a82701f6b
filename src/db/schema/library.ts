import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../schema.ts';

// The library (migration 2026-12-03T0100-library).
export const RESOURCE_KINDS = ['report', 'briefing', 'podcast', 'video', 'writing', 'toolkit', 'case_study', 'training', 'funding', 'self_care'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export type ResourceVisibility = 'public' | 'network' | 'organisations';
export type TextState = 'none' | 'pending' | 'done' | 'failed';

export interface LibraryResourcesTable {
  id: Generated<string>;
  number: Generated<number>;
  kind: ResourceKind;
  title: string;
  summary: Generated<string>;
  issued_on: ColumnType<string | null, string | null | undefined, string | null>;
  language: string;
  work_id: Generated<string>;
  licence: string;
  link: string | null;
  countries: Generated<string[]>;
  activities: Generated<string[]>;
  themes: Generated<string[]>;
  visibility: ResourceVisibility;
  content_warning: string | null;
  organisation_id: string;
  created_by: string | null;
  featured_at: Timestamp | null;
  featured_by: string | null;
  search_folded: Generated<string>;
  search_vector: Generated<string>;
  /** The title's and summary's lexemes (weights A and B of search_vector): what ranking reads. */
  rank_vector: Generated<string>;
  /** The title as search folds it: a title that holds the query's words ranks first. */
  title_folded: Generated<string>;
  text_state: Generated<TextState>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface LibraryResourceReadersTable {
  resource_id: string;
  organisation_id: string;
}

export interface LibraryAuthorsTable {
  resource_id: string;
  position: number;
  organisation_id: string | null;
  name: string | null;
}

export interface LibraryFilesTable {
  id: Generated<string>;
  resource_id: string;
  filename: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  extracted_text: string | null;
  created_at: CreatedAt;
}

export interface LibraryTables {
  library_resources: LibraryResourcesTable;
  library_resource_readers: LibraryResourceReadersTable;
  library_authors: LibraryAuthorsTable;
  library_files: LibraryFilesTable;
}
