import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredHead } from './audit.service.ts';

/**
 * The audit log's head (how many entries, and the hash of the last) as the last verification
 * saw it, kept in a file outside the database (AUDIT_HEAD_FILE). Whoever can rewrite the
 * database cannot rewrite this file too, unless they hold the machine that verifies: so a cut
 * tail or a consistently recomputed chain shows against it.
 */
export class HeadFileError extends Error {}

export function readHead(file: string): StoredHead | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new HeadFileError(`The audit head file ${file} is not valid JSON: restore it from a backup, or move it away to start a new head (and say so in your records)`);
  }
  const head = parsed as Partial<StoredHead>;
  if (!Number.isInteger(head.count) || !Number.isInteger(head.seq) || typeof head.hash !== 'string') {
    throw new HeadFileError(`The audit head file ${file} does not hold a count, seq and hash`);
  }
  return { count: head.count!, seq: head.seq!, hash: head.hash! };
}

/** Written whole or not at all (a temporary file renamed over the old one). */
export function writeHead(file: string, head: StoredHead, at = new Date()): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...head, verifiedAt: at.toISOString() }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
