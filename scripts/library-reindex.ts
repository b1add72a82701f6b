import { buildApp } from '../src/app.tsx';
import { ConfigError, loadConfig } from '../src/config.ts';
import { DataDirLockedError } from '../src/db/lock.ts';

/**
 * `npm run library:reindex`: makes every library resource's search columns again from what is
 * stored (its title, summary and file's text), after a release that changed the folding or the
 * stemmers says to. Each resource is indexed in its own short transaction under its row's lock,
 * so it may run while the server runs on PostgreSQL; on the embedded database, stop the server
 * first (one process holds the data folder). Exit 0 when every resource was indexed, 1 when some
 * could not be (each is logged with its id and keeps its old index), 2 when it could not run.
 */
let exitCode = 2;
try {
  // No jobs here: the server's own process takes them.
  const config = loadConfig({ ...process.env, JOBS: 'false' });
  // The log (a resource that could not be indexed) to stderr: stdout says only the result.
  const built = await buildApp({ config, logStream: process.stderr });
  try {
    const started = performance.now();
    const { indexed, failed } = await built.services.library.rebuildIndex(500);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`Library index rebuilt: ${indexed} resources in ${seconds} s${failed > 0 ? `; ${failed} could not be indexed (see the log) and keep their old index` : ''}.\n`);
    exitCode = failed > 0 ? 1 : 0;
  } finally {
    await built.app.close();
  }
} catch (err) {
  const known = err instanceof ConfigError || err instanceof DataDirLockedError;
  process.stderr.write(`${known ? (err as Error).message : `Could not rebuild the library index: ${(err as Error).message}`}\n`);
  exitCode = 2;
}
process.exitCode = exitCode;
