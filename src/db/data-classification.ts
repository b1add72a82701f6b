/**
 * Every column in the database, classified after review. The data-minimisation test fails
 * when a column exists that is not listed here, so a new column is a conscious decision.
 *   personal   — identifies or describes a person; shown on a need-to-know basis
 *   secret     — credentials or their hashes; never shown, never logged
 *   content    — what people wrote for others to read
 *   operational — ids, states, timestamps, references
 */
export type DataClass = 'personal' | 'secret' | 'content' | 'operational';

export const CLASSIFICATION: Record<string, DataClass> = {
  'organisations.id': 'operational',
  'organisations.name': 'content',
  'organisations.slug': 'operational',
  'organisations.is_demo': 'operational',
  'organisations.created_at': 'operational',
  'organisations.short_name': 'content',
  'organisations.mission': 'content',
  'organisations.website': 'content',
  'organisations.year_founded': 'content',
  'organisations.staff_size': 'content',
  'organisations.countries': 'content',
  'organisations.activities': 'content',
  'organisations.stakeholders': 'content',
  'organisations.prevention_share': 'content',
  'organisations.languages': 'content',
  'organisations.diaspora_led': 'content',
  // the organisation's published contact address; may name a person, so treated as personal
  'organisations.contact_email': 'personal',
  'organisations.members_only': 'operational',
  'organisations.status': 'operational',
  // normalised copies of name and mission for search, never shown
  'organisations.search_name': 'content',
  'organisations.search_mission': 'content',
  'organisations.updated_at': 'operational',

  'organisation_status_history.id': 'operational',
  'organisation_status_history.organisation_id': 'operational',
  'organisation_status_history.status': 'operational',
  'organisation_status_history.reason': 'content',
  'organisation_status_history.actor_id': 'operational',
  'organisation_status_history.created_at': 'operational',

  'terms_versions.version': 'operational',
  'terms_versions.body': 'content',
  'terms_versions.created_by': 'operational',
  'terms_versions.created_at': 'operational',

  'applications.id': 'operational',
  'applications.status': 'operational',
  'applications.profile': 'content',
  'applications.statement': 'content',
  'applications.terms_version': 'operational',
  // erased once the application is decided: the invitation carries the address from then on
  'applications.contact_name': 'personal',
  'applications.contact_email': 'personal',
  'applications.locale': 'operational',
  'applications.duplicate_of': 'operational',
  'applications.duplicate_reason': 'operational',
  'applications.answer_token_hash': 'secret',
  'applications.answer_expires_at': 'operational',
  'applications.organisation_id': 'operational',
  'applications.decision_reason': 'content',
  'applications.decided_by': 'operational',
  'applications.decided_at': 'operational',
  'applications.created_at': 'operational',
  'applications.updated_at': 'operational',

  'application_events.id': 'operational',
  'application_events.application_id': 'operational',
  'application_events.kind': 'operational',
  'application_events.body': 'content',
  'application_events.actor_id': 'operational',
  'application_events.created_at': 'operational',

  'associate_profiles.person_id': 'operational',
  'associate_profiles.expertise': 'content',
  'associate_profiles.countries': 'content',
  'associate_profiles.languages': 'content',
  'associate_profiles.organisation': 'content',
  'associate_profiles.updated_at': 'operational',

  'people.id': 'operational',
  'people.display_name': 'personal',
  'people.pseudonym': 'personal',
  'people.email': 'personal',
  'people.network_role': 'operational',
  'people.status': 'operational',
  'people.password_hash': 'secret',
  'people.totp_secret': 'secret',
  'people.totp_last_step': 'operational',
  'people.locale': 'operational',
  'people.is_demo': 'operational',
  'people.created_at': 'operational',
  'people.credentials_changed_at': 'operational',

  'memberships.person_id': 'operational',
  'memberships.organisation_id': 'operational',
  'memberships.role': 'operational',
  'memberships.created_at': 'operational',

  'sessions.id': 'operational',
  'sessions.token_hash': 'secret',
  'sessions.person_id': 'operational',
  // coarse browser and system ("Firefox · Android"), so people can recognise their sessions
  'sessions.device': 'personal',
  'sessions.created_at': 'operational',
  'sessions.last_seen_at': 'operational',
  'sessions.expires_at': 'operational',

  'api_tokens.id': 'operational',
  'api_tokens.person_id': 'operational',
  'api_tokens.name': 'content',
  'api_tokens.token_hash': 'secret',
  'api_tokens.created_at': 'operational',
  'api_tokens.last_used_at': 'operational',
  'api_tokens.revoked_at': 'operational',

  'invitations.id': 'operational',
  'invitations.token_hash': 'secret',
  'invitations.email': 'personal',
  'invitations.network_role': 'operational',
  'invitations.organisation_id': 'operational',
  'invitations.org_role': 'operational',
  'invitations.invited_by': 'operational',
  'invitations.created_at': 'operational',
  'invitations.expires_at': 'operational',
  'invitations.accepted_at': 'operational',

  'password_resets.token_hash': 'secret',
  'password_resets.person_id': 'operational',
  'password_resets.created_at': 'operational',
  'password_resets.expires_at': 'operational',
  'password_resets.used_at': 'operational',

  // keyed HMAC of an account name or an address: the address itself is never stored
  'auth_throttle.bucket': 'secret',
  'auth_throttle.failures': 'operational',
  'auth_throttle.window_started_at': 'operational',

  'mail_messages.id': 'operational',
  'mail_messages.recipient': 'personal',
  'mail_messages.subject': 'content',
  'mail_messages.body_text': 'secret',
  'mail_messages.status': 'operational',
  'mail_messages.created_at': 'operational',
  'mail_messages.sent_at': 'operational',

  'audit_log.seq': 'operational',
  'audit_log.at': 'operational',
  'audit_log.actor_id': 'operational',
  'audit_log.action': 'operational',
  'audit_log.record_type': 'operational',
  'audit_log.record_id': 'operational',
  'audit_log.prev_hash': 'operational',
  'audit_log.hash': 'operational',

  'kysely_migration.name': 'operational',
  'kysely_migration.timestamp': 'operational',
  'kysely_migration_lock.id': 'operational',
  'kysely_migration_lock.is_locked': 'operational',
};

/** Names that must never appear as a column: we do not hold such data at all. */
export const FORBIDDEN_COLUMN = /(immigration|asylum|visa|refugee_status|legal_status|nationality|ip_?addr|^ip$|remote_addr|latitude|longitude|^lat$|^lng$|^lon$|geo|gps|street|postcode|postal|home_address|phone|mobile)/i;
