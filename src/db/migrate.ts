import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import { sealUnkeyedEntries } from '../platform/audit/audit.service.ts';
import type { Db } from './database.ts';
import * as foundation from './migrations/2026-11-21T2200-foundation.ts';
import * as directory from './migrations/2026-11-22T0000-directory.ts';
import * as earlyWarning from './migrations/2026-11-23T0000-early-warning.ts';
import * as warningSignsRecent from './migrations/2026-11-24T0000-warning-signs-recent.ts';
import * as engagement from './migrations/2026-11-25T0000-engagement.ts';
import * as opportunitiesMedia from './migrations/2026-11-26T0000-opportunities-media.ts';
import * as recoveryCodes from './migrations/2026-12-02T0100-recovery-codes.ts';
import * as auditKeyed from './migrations/2026-12-02T0200-audit-keyed.ts';
import * as alertResponseVisibility from './migrations/2026-12-02T0300-alert-response-visibility.ts';
import * as coorganiseConsent from './migrations/2026-12-02T0400-coorganise-consent.ts';
import * as normaliseNames from './migrations/2026-12-02T0500-normalise-names.ts';
import * as advocacy from './migrations/2026-12-02T0600-advocacy.ts';
import * as meetings from './migrations/2026-12-02T0700-meetings.ts';
import * as meetingsAgenda from './migrations/2026-12-02T0710-meetings-agenda.ts';
import * as meetingsMinutes from './migrations/2026-12-02T0720-meetings-minutes.ts';
import * as meetingsGoals from './migrations/2026-12-02T0730-meetings-goals.ts';
import * as meetingsCalendars from './migrations/2026-12-02T0740-meetings-calendars.ts';
import * as library from './migrations/2026-12-03T0100-library.ts';
import * as surveys from './migrations/2026-12-03T0200-surveys.ts';
import * as notifications from './migrations/2026-12-03T0300-notifications.ts';
import * as digestTopics from './migrations/2026-12-07T0100-digest-topics.ts';
import * as libraryRank from './migrations/2026-12-07T0200-library-rank.ts';

/**
 * Migrations are listed here explicitly (not discovered from the file system) so that the
 * order is reviewed in code and nothing depends on a build step. Forward-only: no `down`.
 */
const migrations: Record<string, Migration> = {
  '2026-11-21T2200-foundation': foundation,
  '2026-11-22T0000-directory': directory,
  '2026-11-23T0000-early-warning': earlyWarning,
  '2026-11-24T0000-warning-signs-recent': warningSignsRecent,
  '2026-11-25T0000-engagement': engagement,
  '2026-11-26T0000-opportunities-media': opportunitiesMedia,
  '2026-12-02T0100-recovery-codes': recoveryCodes,
  '2026-12-02T0200-audit-keyed': auditKeyed,
  '2026-12-02T0300-alert-response-visibility': alertResponseVisibility,
  '2026-12-02T0400-coorganise-consent': coorganiseConsent,
  '2026-12-02T0500-normalise-names': normaliseNames,
  '2026-12-02T0600-advocacy': advocacy,
  '2026-12-02T0700-meetings': meetings,
  '2026-12-02T0710-meetings-agenda': meetingsAgenda,
  '2026-12-02T0720-meetings-minutes': meetingsMinutes,
  '2026-12-02T0730-meetings-goals': meetingsGoals,
  '2026-12-02T0740-meetings-calendars': meetingsCalendars,
  '2026-12-03T0100-library': library,
  '2026-12-03T0200-surveys': surveys,
  '2026-12-03T0300-notifications': notifications,
  '2026-12-07T0100-digest-topics': digestTopics,
  '2026-12-07T0200-library-rank': libraryRank,
};

/** The migration that keys the audit chain: the run that applies it seals the older entries. */
export const AUDIT_KEYED_MIGRATION = '2026-12-02T0200-audit-keyed';

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  // Only in the run that keys the chain: a later run must never re-seal an unkeyed forgery.
  if (applied.includes(AUDIT_KEYED_MIGRATION)) await sealUnkeyedEntries(db);
  return applied;
}
