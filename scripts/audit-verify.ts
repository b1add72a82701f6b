import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { DataDirLockedError } from '../src/db/lock.ts';
import { migrate } from '../src/db/migrate.ts';
import { verifyChain } from '../src/platform/audit/audit.service.ts';

/**
 * `npm run audit:verify`: recomputes the audit log's hash chain and names the first broken
 * entry. Exit 0 when intact, 1 when broken, 2 when it could not check.
 */
try {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await migrate(database.db); // a database the app has not opened yet gets its (empty) tables
    const result = await verifyChain(database.db);
    if (result.ok) {
      process.stdout.write(`Audit log intact: ${result.checked} entries verified.\n`);
      process.exitCode = 0;
    } else {
      const b = result.firstBroken!;
      process.stdout.write(
        `Audit log BROKEN at entry ${b.seq}: ${b.reason === 'hash' ? 'its content does not match its hash (changed after it was written)' : 'it does not follow the entry before it (an entry was removed or inserted)'}. ` +
          `${result.checked} entries before it are intact.\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
} catch (err) {
  const message = err instanceof ConfigError || err instanceof DataDirLockedError ? err.message : `Could not check the audit log: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 2;
}
