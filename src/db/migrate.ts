import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/2026-11-21T2200-foundation.ts';
import * as directory from './migrations/2026-11-22T0000-directory.ts';
import * as earlyWarning from './migrations/2026-11-23T0000-early-warning.ts';
import * as warningSignsRecent from './migrations/2026-11-24T0000-warning-signs-recent.ts';
import * as engagement from './migrations/2026-11-25T0000-engagement.ts';
import * as opportunitiesMedia from './migrations/2026-11-26T0000-opportunities-media.ts';

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
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
