import type { ColumnType, Generated } from 'kysely';

/** Table types for Kysely. Every column here is classified in data-classification.ts. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type NetworkRole = 'convener' | 'member' | 'associate' | 'participant';
export type OrgRole = 'org_admin' | 'staff';

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  slug: string;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
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
}
