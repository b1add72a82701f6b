import type { ColumnType, Generated } from 'kysely';
import type { LibraryTables } from './schema/library.ts';
import type { MeetingsTables } from './schema/meetings.ts';
import type { NotificationsTables } from './schema/notifications.ts';
import type { SurveysTables } from './schema/surveys.ts';
import type { MeetingsAgendaTables } from './schema/meetings-agenda.ts';
import type { MeetingsCalendarsTables } from './schema/meetings-calendars.ts';
import type { MeetingsGoalsTables } from './schema/meetings-goals.ts';
import type { MeetingsMinutesTables } from './schema/meetings-minutes.ts';

/** Table types for Kysely. Every column here is classified in data-classification.ts. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

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

export interface RecoveryCodesTable {
  id: Generated<string>;
  person_id: string;
  code_hash: string;
  created_at: CreatedAt;
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
  /** The body holds a secret for its recipient alone (a reset link): the outbox never shows it. */
  holds_secret: Generated<boolean>;
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
  /** 0: plain SHA-256 (before the chain was keyed); 1: HMAC under the key from SECRET_KEY. */
  key_version: Generated<number>;
  hash: string;
}

export type DateOnly = ColumnType<string, string, string>;
export type Json<T> = ColumnType<T, string, string>;
export type Localised = Record<string, string>;

export interface RiskFrameworksTable {
  id: Generated<string>;
  key: string;
  version: number;
  title: Json<Localised>;
  source: string;
  loaded_at: CreatedAt;
}

export interface RiskFactorsTable {
  framework_id: string;
  code: string;
  position: number;
  kind: 'common' | 'specific';
  crime: string | null;
  title: Json<Localised>;
  gist: Json<Localised>;
}

export interface RiskIndicatorsTable {
  framework_id: string;
  code: string;
  factor_code: string;
  position: number;
  text: Json<Localised>;
}

export type Sensitivity = 'public' | 'network' | 'restricted';
export type SignState = 'unverified' | 'corroborated' | 'verified' | 'disputed';
export type Confidence = 'low' | 'medium' | 'high';

export interface WarningSignsTable {
  id: Generated<string>;
  organisation_id: string;
  reported_by: string | null;
  country: string;
  area: string | null;
  observed_on: DateOnly;
  reported_on: DateOnly;
  framework_id: string;
  factor_codes: string[];
  indicator_codes: string[];
  description: string;
  confidence: Confidence;
  sensitivity: Sensitivity;
  language: string;
  state: Generated<SignState>;
  verified_by: string | null;
  verified_at: Timestamp | null;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WarningSignAudienceTable {
  sign_id: string;
  organisation_id: string;
}

export interface DocumentsTable {
  id: Generated<string>;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  created_at: CreatedAt;
}

export interface WarningSignSourcesTable {
  id: Generated<string>;
  sign_id: string;
  position: number;
  url: string | null;
  document_id: string | null;
}

export type ReviewKind = 'corroborate' | 'dispute' | 'comment' | 'verify';

export interface WarningSignReviewsTable {
  id: Generated<string>;
  sign_id: string;
  organisation_id: string | null;
  person_id: string | null;
  kind: ReviewKind;
  body: Generated<string>;
  created_at: CreatedAt;
}

export interface ForecastImportsTable {
  id: Generated<string>;
  sha256: string;
  filename: string;
  edition: string;
  first_year: number;
  last_year: number;
  data_year: number;
  rows: Json<unknown>;
  status: Generated<'preview' | 'committed' | 'discarded'>;
  decisions: Json<unknown> | null;
  changed_rows: number | null;
  imported_by: string | null;
  created_at: CreatedAt;
  committed_at: Timestamp | null;
}

export interface ForecastsTable {
  edition: string;
  cow_code: number;
  ewp_name: string;
  country: string;
  risk: number;
  rank: number | null;
  first_year: number;
  last_year: number;
  import_id: string;
}

export type Severity = 'moderate' | 'high' | 'critical';
export type AlertStatus = 'proposed' | 'active' | 'closed';

export interface AlertsTable {
  id: Generated<string>;
  number: Generated<number>;
  organisation_id: string;
  proposed_by: string | null;
  country: string;
  severity: Severity;
  summary: string;
  actions: string[];
  deadline: DateOnly | null;
  sensitivity: 'public' | 'network';
  status: Generated<AlertStatus>;
  confirmed_by: string | null;
  confirmed_organisation_id: string | null;
  confirmed_at: Timestamp | null;
  outcome: string | null;
  closed_by: string | null;
  closed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AlertSignsTable {
  alert_id: string;
  sign_id: string;
}

export interface AlertResponsesTable {
  id: Generated<string>;
  alert_id: string;
  organisation_id: string | null;
  person_id: string | null;
  kind: 'will_act' | 'cannot' | 'comment';
  body: Generated<string>;
  created_at: CreatedAt;
  /** Read by anyone only when the responding organisation chose so; otherwise the network's. */
  public: Generated<boolean>;
}

export interface AlertSubscriptionsTable {
  id: Generated<string>;
  person_id: string;
  countries: Generated<string[]>;
  factor_codes: Generated<string[]>;
  min_severity: Generated<Severity>;
  created_at: CreatedAt;
}

export type DeliveryMode = 'immediate' | 'digest';

export interface AlertSettingsTable {
  person_id: string;
  mode: DeliveryMode;
  updated_at: Timestamp;
}

export interface AlertDeliveriesTable {
  alert_id: string;
  person_id: string;
  mode: DeliveryMode;
  mailed_at: Timestamp | null;
  read_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface MeetingRequestsTable {
  id: Generated<string>;
  alert_id: string | null;
  organisation_id: string | null;
  requested_by: string | null;
  purpose: string;
  status: Generated<'open' | 'scheduled' | 'dropped'>;
  created_at: CreatedAt;
}

export type ConsultationFormat = 'meeting' | 'online' | 'survey' | 'interview';
export type ConsultationState = 'draft' | 'open' | 'closed' | 'loop_closed';
export type PaymentStatus = 'owed' | 'paid';

export interface CommunitiesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  languages: Generated<string[]>;
  created_by_org: string | null;
  created_at: CreatedAt;
}

export interface CommunityDimensionsTable {
  id: Generated<string>;
  community_id: string;
  label: string;
  position: number;
}

export interface CommunityGroupsTable {
  id: Generated<string>;
  dimension_id: string;
  label: string;
  position: number;
}

export interface CommunityMembersTable {
  community_id: string;
  person_id: string;
  created_at: CreatedAt;
}

export interface SelfDescriptionsTable {
  community_id: string;
  person_id: string;
  dimension_id: string;
  group_id: string | null;
  updated_at: Timestamp;
}

export interface ConsultationsTable {
  id: Generated<string>;
  organisation_id: string;
  title: string;
  purpose: string | null;
  decision: string | null;
  decision_maker: string | null;
  can_change: string | null;
  cannot_change: string | null;
  format: ConsultationFormat;
  starts_on: string | null;
  ends_on: string | null;
  languages: Generated<string[]>;
  interpretation: string | null;
  accessibility: string | null;
  compensation_minor: number | null;
  compensation_currency: string | null;
  compensation_basis: string | null;
  no_compensation_reason: string | null;
  missing_who: string | null;
  missing_why: string | null;
  missing_steps: string | null;
  state: Generated<ConsultationState>;
  opened_at: Timestamp | null;
  closed_at: Timestamp | null;
  loop_closed_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ConsultationCommunitiesTable {
  consultation_id: string;
  community_id: string;
}

/** A request to co-organise; only an accepted one gives organiser rights (ADR 0016). */
export type CoOrganiserState = 'requested' | 'accepted' | 'declined';

export interface ConsultationOrganisersTable {
  consultation_id: string;
  organisation_id: string;
  created_at: CreatedAt;
  state: Generated<CoOrganiserState>;
  requested_by: string | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
}

export interface ConsultationParticipantsTable {
  consultation_id: string;
  person_id: string;
  visible: Generated<boolean>;
  minutes: number | null;
  created_at: CreatedAt;
}

export interface ConsultationFeedbackTable {
  consultation_id: string;
  heard: string;
  did: string;
  did_not: string;
  published_by: string | null;
  published_at: CreatedAt;
}

export interface PaymentsTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string | null;
  consultation_id: string | null;
  opportunity_id: string | null;
  amount_minor: number;
  currency: string;
  status: Generated<PaymentStatus>;
  paid_on: string | null;
  method: string | null;
  reminded_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export type OpportunityKind = 'translation' | 'interpreting' | 'design' | 'catering' | 'facilitation' | 'research';
export type OpportunityState = 'open' | 'awarded' | 'withdrawn';
export type RateBasis = 'hour' | 'day' | 'task';

export interface OpportunitiesTable {
  id: Generated<string>;
  organisation_id: string;
  kind: OpportunityKind;
  title: string;
  description: string;
  rate_minor: number;
  currency: string;
  rate_basis: RateBasis;
  languages: string[];
  deadline: string;
  state: Generated<OpportunityState>;
  created_by: string | null;
  created_at: CreatedAt;
}

export type ApplicationState = 'applied' | 'awarded' | 'not_chosen';

export interface OpportunityApplicationsTable {
  opportunity_id: string;
  person_id: string;
  note: Generated<string>;
  state: Generated<ApplicationState>;
  created_at: CreatedAt;
}

export interface WorkPreferencesTable {
  person_id: string;
  notify: Generated<boolean>;
  skills: string[];
  languages: string[];
  updated_at: Timestamp;
}

export type MediaConsent = 'asked' | 'given' | 'refused' | 'withdrawn';

export interface MediaRequestsTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  outlet: string;
  topic: string;
  training_offered: string;
  support_offered: string;
  consent: Generated<MediaConsent>;
  answered_at: Timestamp | null;
  created_by: string | null;
  created_at: CreatedAt;
}

// ---- collective advocacy (ADR 0019) ----

export interface AdvocacyPersonsTable {
  id: Generated<string>;
  name: string;
  email: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface AdvocacyBodiesTable {
  id: Generated<string>;
  name: string;
  classification: 'party' | 'legislature' | 'executive' | 'committee' | 'other';
  created_by: string | null;
  created_at: CreatedAt;
}

export interface AdvocacyPostsTable {
  id: Generated<string>;
  label: string;
  body_id: string | null;
  email: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface AdvocacyMembershipsTable {
  id: Generated<string>;
  person_id: string;
  body_id: string | null;
  post_id: string | null;
  start_date: DateOnly;
  end_date: DateOnly | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface StatementsTable {
  id: Generated<string>;
  number: Generated<number>;
  kind: 'joint_statement' | 'open_letter' | 'submission' | 'briefing';
  state: Generated<'drafting' | 'circulated' | 'published' | 'withdrawn'>;
  organisation_id: string;
  created_by: string | null;
  language: string;
  countries: Generated<string[]>;
  include_associates: Generated<boolean>;
  allow_individuals: Generated<boolean>;
  deadline: DateOnly | null;
  circulated_at: Timestamp | null;
  published_at: Timestamp | null;
  published_version: number | null;
  deadline_reminded_at: Timestamp | null;
  sent_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface StatementDraftersTable {
  statement_id: string;
  organisation_id: string;
  state: Generated<'invited' | 'accepted' | 'declined'>;
  invited_by: string | null;
  answered_by: string | null;
  created_at: CreatedAt;
  answered_at: Timestamp | null;
}

export interface StatementVersionsTable {
  id: Generated<string>;
  statement_id: string;
  number: number;
  language: string;
  title: string;
  summary: Generated<string>;
  body: string;
  asks: Generated<string[]>;
  content_sha256: string;
  note: Generated<string>;
  translation_of: number | null;
  author_id: string | null;
  author_organisation_id: string | null;
  published_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface StatementAlertsTable {
  statement_id: string;
  alert_id: string;
}

export interface StatementSignsTable {
  statement_id: string;
  sign_id: string;
}

export interface StatementCommentsTable {
  id: Generated<string>;
  statement_id: string;
  version_number: number;
  organisation_id: string | null;
  person_id: string | null;
  body: string;
  created_at: CreatedAt;
}

export interface OrganisationSignatoriesTable {
  organisation_id: string;
  person_id: string;
  state: Generated<'invited' | 'accepted' | 'declined'>;
  named_by: string | null;
  created_at: CreatedAt;
  answered_at: Timestamp | null;
}

export interface StatementSignaturesTable {
  id: Generated<string>;
  statement_id: string;
  version_number: number;
  content_sha256: string;
  organisation_id: string | null;
  person_id: string | null;
  signer_id: string | null;
  appears_as: 'organisation' | 'name' | 'role' | 'counted';
  display_name: string | null;
  display_role: string | null;
  signed_at: Timestamp;
  withdrawn_at: Timestamp | null;
}

export interface StatementDeclinesTable {
  statement_id: string;
  organisation_id: string;
  person_id: string | null;
  reason: Generated<string>;
  created_at: CreatedAt;
}

export interface StatementRecipientsTable {
  id: Generated<string>;
  statement_id: string;
  post_id: string | null;
  person_id: string | null;
  channel: Generated<'email' | 'hand' | 'post'>;
  address: string | null;
  delivery: Generated<'pending' | 'queued' | 'sent' | 'refused' | 'delivered'>;
  delivery_note: Generated<string>;
  queued_at: Timestamp | null;
  sent_at: Timestamp | null;
  refused_at: Timestamp | null;
  delivered_at: Timestamp | null;
  reply_token_hash: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface StatementRepliesTable {
  id: Generated<string>;
  recipient_id: string;
  kind: 'substantive' | 'acknowledgement' | 'declined';
  body: Generated<string>;
  received_on: DateOnly;
  link: string | null;
  document_id: string | null;
  published: Generated<boolean>;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface StatementReplyRemindersTable {
  recipient_id: string;
  day: 14 |  28;
  created_at: CreatedAt;
}

export interface CommitmentsTable {
  id: Generated<string>;
  number: Generated<number>;
  reply_id: string;
  quote: string;
  summary: string;
  post_id: string | null;
  person_id: string | null;
  party_id: string | null;
  countries: Generated<string[]>;
  rating: Generated<'not_rated' | 'in_the_works' | 'stalled' | 'compromise' | 'kept' | 'broken'>;
  rated_on: DateOnly | null;
  organisation_id: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface CommitmentRatingsTable {
  id: Generated<string>;
  commitment_id: string;
  rating: 'in_the_works' | 'stalled' | 'compromise' | 'kept' | 'broken';
  evidence_url: string | null;
  document_id: string | null;
  note: Generated<string>;
  rated_on: DateOnly;
  organisation_id: string;
  rated_by: string | null;
  created_at: CreatedAt;
}

/** Every table; a module's tables may be typed in its own file under schema/ (meetings). */
export interface DB extends LibraryTables, SurveysTables, NotificationsTables, MeetingsTables, MeetingsAgendaTables, MeetingsMinutesTables, MeetingsGoalsTables, MeetingsCalendarsTables {
  organisations: OrganisationsTable;
  people: PeopleTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  recovery_codes: RecoveryCodesTable;
  auth_throttle: AuthThrottleTable;
  mail_messages: MailMessagesTable;
  audit_log: AuditLogTable;
  organisation_status_history: OrganisationStatusHistoryTable;
  terms_versions: TermsVersionsTable;
  applications: ApplicationsTable;
  application_events: ApplicationEventsTable;
  associate_profiles: AssociateProfilesTable;
  risk_frameworks: RiskFrameworksTable;
  risk_factors: RiskFactorsTable;
  risk_indicators: RiskIndicatorsTable;
  warning_signs: WarningSignsTable;
  warning_sign_audience: WarningSignAudienceTable;
  documents: DocumentsTable;
  warning_sign_sources: WarningSignSourcesTable;
  warning_sign_reviews: WarningSignReviewsTable;
  forecast_imports: ForecastImportsTable;
  forecasts: ForecastsTable;
  alerts: AlertsTable;
  alert_signs: AlertSignsTable;
  alert_responses: AlertResponsesTable;
  alert_subscriptions: AlertSubscriptionsTable;
  alert_settings: AlertSettingsTable;
  alert_deliveries: AlertDeliveriesTable;
  meeting_requests: MeetingRequestsTable;
  communities: CommunitiesTable;
  community_dimensions: CommunityDimensionsTable;
  community_groups: CommunityGroupsTable;
  community_members: CommunityMembersTable;
  self_descriptions: SelfDescriptionsTable;
  consultations: ConsultationsTable;
  consultation_communities: ConsultationCommunitiesTable;
  consultation_organisers: ConsultationOrganisersTable;
  consultation_participants: ConsultationParticipantsTable;
  consultation_feedback: ConsultationFeedbackTable;
  payments: PaymentsTable;
  opportunities: OpportunitiesTable;
  opportunity_applications: OpportunityApplicationsTable;
  work_preferences: WorkPreferencesTable;
  media_requests: MediaRequestsTable;
  advocacy_persons: AdvocacyPersonsTable;
  advocacy_bodies: AdvocacyBodiesTable;
  advocacy_posts: AdvocacyPostsTable;
  advocacy_memberships: AdvocacyMembershipsTable;
  statements: StatementsTable;
  statement_drafters: StatementDraftersTable;
  statement_versions: StatementVersionsTable;
  statement_alerts: StatementAlertsTable;
  statement_signs: StatementSignsTable;
  statement_comments: StatementCommentsTable;
  organisation_signatories: OrganisationSignatoriesTable;
  statement_signatures: StatementSignaturesTable;
  statement_declines: StatementDeclinesTable;
  statement_recipients: StatementRecipientsTable;
  statement_replies: StatementRepliesTable;
  statement_reply_reminders: StatementReplyRemindersTable;
  commitments: CommitmentsTable;
  commitment_ratings: CommitmentRatingsTable;
}
