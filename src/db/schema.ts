import type { ColumnType, Generated } from 'kysely';

/** Table types for Kysely. Every column here is classified in data-classification.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type NetworkRole = 'convener' | 'member' | 'associate' | 'participant';
export type OrgRole = 'org_admin' | 'staff';

export type OrganisationStatus = 'member' | 'associate' | 'suspended' | 'left';

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  slug: string;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
  short_name: string | null;
  mission: Generated<string>;
  website: string | null;
  year_founded: number | null;
  staff_size: string | null;
  countries: Generated<string[]>;
  activities: Generated<string[]>;
  stakeholders: Generated<string[]>;
  prevention_share: string | null;
  languages: Generated<string[]>;
  diaspora_led: boolean | null;
  contact_email: string | null;
  members_only: Generated<string[]>;
  status: Generated<OrganisationStatus>;
  search_name: Generated<string>;
  search_mission: Generated<string>;
  updated_at: Timestamp;
}

export interface OrganisationStatusHistoryTable {
  id: Generated<string>;
  organisation_id: string;
  status: OrganisationStatus | 'applicant';
  reason: string | null;
  actor_id: string | null;
  created_at: Timestamp;
}

export interface TermsVersionsTable {
  version: number;
  body: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export type ApplicationStatus = 'submitted' | 'info_requested' | 'approved' | 'declined';

export interface ApplicationsTable {
  id: Generated<string>;
  status: Generated<ApplicationStatus>;
  profile: ColumnType<unknown, string, string>;
  statement: string;
  terms_version: number;
  contact_name: string | null;
  contact_email: string | null;
  locale: string;
  duplicate_of: string | null;
  duplicate_reason: 'name' | 'website' | null;
  answer_token_hash: string | null;
  answer_expires_at: Timestamp | null;
  organisation_id: string | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ApplicationEventsTable {
  id: Generated<string>;
  application_id: string;
  kind: 'comment' | 'info_request' | 'answer' | 'approved' | 'declined';
  body: string;
  actor_id: string | null;
  created_at: CreatedAt;
}

export interface AssociateProfilesTable {
  person_id: string;
  expertise: string;
  countries: string[];
  languages: string[];
  organisation: string | null;
  updated_at: Timestamp;
}

export interface PeopleTable {
  id: Generated<string>;
  display_name: string;
  pseudonym: string | null;
  email: string | null;
  network_role: NetworkRole;
  status: Generated<'active' | 'disabled'>;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  locale: string | null;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
  credentials_changed_at: Timestamp;
}

export interface MembershipsTable {
  person_id: string;
  organisation_id: string;
  role: OrgRole;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  person_id: string;
  device: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  person_id: string;
  name: string;
  token_hash: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface InvitationsTable {
  id: Generated<string>;
  token_hash: string;
  email: string;
  network_role: NetworkRole;
  organisation_id: string | null;
  org_role: OrgRole | null;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  person_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface AuthThrottleTable {
  bucket: string;
  failures: number;
  window_started_at: Timestamp;
}

export interface MailMessagesTable {
  id: Generated<string>;
  recipient: string;
  subject: string;
  body_text: string;
  status: 'outbox' | 'queued' | 'sent' | 'failed';
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: Date;
  actor_id: string | null;
  action: string;
  record_type: string;
  record_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface DB {
  organisations: OrganisationsTable;
  people: PeopleTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  auth_throttle: AuthThrottleTable;
  mail_messages: MailMessagesTable;
  audit_log: AuditLogTable;
  organisation_status_history: OrganisationStatusHistoryTable;
  terms_versions: TermsVersionsTable;
  applications: ApplicationsTable;
  application_events: ApplicationEventsTable;
  associate_profiles: AssociateProfilesTable;
}
