import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase, postgresDatabase } from '../src/db/database.ts';
import { DataDirLockedError } from '../src/db/lock.ts';
import { migrate } from '../src/db/migrate.ts';
import { currentRole, grantApplicationRole } from '../src/db/roles.ts';
import { HeadFileError, readHead, writeHead } from '../src/platform/audit/audit.head.ts';
import { type BreakReason, useAuditKey, verifyChain } from '../src/platform/audit/audit.service.ts';

/**
 * `npm run audit:verify`: recomputes the audit log's keyed hash chain, compares it with the
 * head the previous run recorded outside the database (AUDIT_HEAD_FILE), and names the first
 * broken entry. Exit 0 when intact (the head file is then moved forward), 1 when broken,
 * 2 when it could not check.
 */
const REASONS: Record<BreakReason, string> = {
  hash: 'its content does not match its hash (changed after it was written, or rewritten without the key)',
  prev_hash: 'it does not follow the entry before it (an entry was removed or inserted)',
  unkeyed: 'it is not keyed, but the log has been keyed since the upgrade of 2026-12-02 (rewritten without the key)',
  truncated: 'the log ends before it, though an earlier verification saw it (entries were cut from the end)',
  rewritten: 'its hash differs from the one an earlier verification recorded (the log was rewritten)',
};

// The exit code is kept here and set last: closing the embedded database (PGlite's runtime
// exiting) resets process.exitCode, which is how a BROKEN log once exited 0.
let exitCode = 2;
try {
  const config = loadConfig();
  useAuditKey(config.secretKey);
  const head = readHead(config.auditHeadFile);
  const database = await openDatabase(config);
  try {
    // a database the app has not opened yet gets its (empty) tables
    if (config.databaseMigrationUrl) {
      const owner = postgresDatabase(config.databaseMigrationUrl, 1);
      try {
        await migrate(owner.db);
        const appRole = await currentRole(database.db);
        if (appRole !== (await currentRole(owner.db))) await grantApplicationRole(owner.db, appRole);
      } finally {
        await owner.close();
      }
    } else {
      await migrate(database.db);
    }
    const result = await verifyChain(database.db, config.secretKey, head);
    if (result.ok) {
      if (result.head) writeHead(config.auditHeadFile, result.head);
      process.stdout.write(
        `Audit log intact: ${result.checked} entries verified${head ? ` (the ${head.count} seen last time unchanged)` : ''}; head recorded in ${config.auditHeadFile}.\n`,
      );
      exitCode = 0;
    } else {
      const b = result.firstBroken!;
      process.stdout.write(`Audit log BROKEN at entry ${b.seq}: ${REASONS[b.reason]}. ${result.checked} entries before it are intact.\n`);
      exitCode = 1;
    }
  } finally {
    await database.close();
  }
} catch (err) {
  const known = err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof HeadFileError;
  process.stderr.write(`${known ? (err as Error).message : `Could not check the audit log: ${(err as Error).message}`}\n`);
  exitCode = 2;
}
process.exitCode = exitCode;
