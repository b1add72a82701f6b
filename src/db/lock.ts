import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite is one session in one process: a second process opening the same data folder
 * silently loses data. We take an exclusive lock file holding our PID. A lock left by a
 * process that has died (kill -9, power loss) is taken over, because its PID is gone; a
 * lock held by a live process makes us refuse to start with a message that says what to do.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dir} is in use by another Northstar process (PID ${pid}). ` +
        'Only one process may use an embedded database at a time: stop the other process, ' +
        'or set DATABASE_URL to share a PostgreSQL server between processes.',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Locks this process holds, so that a PID equal to ours (a restarted container is PID 1
// again) is told apart from a second open in the same process.
const held = new Set<string>();

export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'northstar.lock');
  if (held.has(file)) throw new DataDirLockedError(dir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      held.add(file);
      return () => {
        if (released) return;
        released = true;
        held.delete(file);
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) throw new DataDirLockedError(dir, pid);
      unlinkSync(file); // stale: its process is gone (or it was an earlier life of this PID)
    }
  }
  throw new Error(`Could not lock the data folder ${dir}`);
}
