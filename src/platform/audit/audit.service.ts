import { createHmac, hkdfSync } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { sha256 } from '../crypto.ts';
import type { Actor } from '../policy.ts';
import * as repo from './audit.repository.ts';

/**
 * The hash-chained audit log: who did what to which record, and when. No personal data:
 * the actor is an opaque id, the record an id. Appends need a transaction so the entry
 * commits with the write it describes, or not at all.
 *
 * The chain is keyed (ADR 0009): each entry's hash is an HMAC under a key derived from
 * SECRET_KEY, which is never in the database, so whoever can write the table but does not
 * hold the key cannot recompute a consistent chain. Entries written before the switch
 * (key_version 0, plain SHA-256) remain verifiable as a prefix: the first keyed entry links to
 * the last of them and so fixes them. An unkeyed entry after a keyed one is a forgery.
 */
export const GENESIS = '0'.repeat(64);
/** 0: SHA-256, written before 2026-12-02. 1: HMAC-SHA-256 under the key from SECRET_KEY. */
export const KEY_VERSION = 1;

export interface AuditEntry {
  action: string;
  recordType: string;
  recordId?: string | null;
}

/** The HMAC key for the chain, derived from SECRET_KEY and used for nothing else. */
export function auditKey(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'northstar', 'audit-chain', 32));
}

// The key of this process: set once at start-up (buildApp, audit:verify). The services call
// audit(trx, …) without a platform at hand, as they did before the chain was keyed.
let processKey: Buffer | undefined;

export function useAuditKey(secretKey: string): void {
  processKey = auditKey(secretKey);
}

type Content = { at: Date; actor_id: string | null; action: string; record_type: string; record_id: string | null };

function fields(prev: string, e: Content): string {
  return [prev, e.at.toISOString(), e.actor_id ?? '-', e.action, e.record_type, e.record_id ?? '-'].join('|');
}

export function digest(keyVersion: number, key: Buffer | undefined, prev: string, e: Content): string {
  if (keyVersion === 0) return sha256(fields(prev, e));
  if (keyVersion !== KEY_VERSION || !key) return '';
  return createHmac('sha256', key).update(`v${keyVersion}|${fields(prev, e)}`).digest('hex');
}

export async function audit(trx: Transaction<DB>, actor: Actor | string | null, entry: AuditEntry): Promise<void> {
  if (!processKey) throw new Error('The audit key is not set: call useAuditKey(SECRET_KEY) at start-up');
  const actorId = typeof actor === 'string' ? actor : actor && actor.kind === 'person' ? actor.id : null;
  const prev = (await repo.lastHash(trx)) ?? GENESIS;
  const row = { at: new Date(), actor_id: actorId, action: entry.action, record_type: entry.recordType, record_id: entry.recordId ?? null };
  await repo.insert(trx, { ...row, prev_hash: prev, key_version: KEY_VERSION, hash: digest(KEY_VERSION, processKey, prev, row) });
}

/**
 * Right after the migration that keys the chain, one keyed entry closes the unkeyed entries
 * written before it: from then on none of them can be rewritten without breaking its link.
 * Called only in the run that applied that migration (see migrate.ts), never later, so that
 * someone who strips the keyed tail cannot have the application re-seal an unkeyed forgery.
 */
export async function sealUnkeyedEntries(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await repo.hasUnkeyedTail(trx))) return;
    await audit(trx, null, { action: 'audit.keyed', recordType: 'audit_log' });
  });
}

export type BreakReason = 'prev_hash' | 'hash' | 'unkeyed' | 'truncated' | 'rewritten';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The last entry checked: what the head file records for the next verification. */
  head?: { count: number; seq: number; hash: string };
  /** The first entry whose link or content does not match. */
  firstBroken?: { seq: number; reason: BreakReason };
}

export interface StoredHead {
  count: number;
  seq: number;
  hash: string;
}

/**
 * Recomputes the chain with the key from SECRET_KEY. With `head` (the count and hash seen by
 * the previous verification, kept outside the database), a log now shorter than the head
 * (a cut tail) or with another hash at the head's position (a consistent rewrite) is broken
 * too, even when the chain itself is consistent.
 */
export async function verifyChain(db: Db, secretKey: string, head?: StoredHead): Promise<VerifyResult> {
  const key = auditKey(secretKey);
  let prev = GENESIS;
  let after = 0;
  let checked = 0;
  let keyed = false;
  let firstSeq = 0;
  let last: VerifyResult['head'];
  for (;;) {
    const rows = await repo.page(db, after, 1000);
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = Number(row.seq);
      const version = Number(row.key_version);
      if (checked === 0) firstSeq = seq;
      if (row.prev_hash !== prev) return { ok: false, checked, firstBroken: { seq, reason: 'prev_hash' } };
      if (version === 0 && keyed) return { ok: false, checked, firstBroken: { seq, reason: 'unkeyed' } };
      if (digest(version, key, row.prev_hash, { ...row, at: new Date(row.at) }) !== row.hash) {
        return { ok: false, checked, firstBroken: { seq, reason: 'hash' } };
      }
      if (version !== 0) keyed = true;
      prev = row.hash;
      checked++;
      after = seq;
      last = { count: checked, seq, hash: row.hash };
      if (head && checked === head.count && row.hash !== head.hash) {
        return { ok: false, checked: checked - 1, firstBroken: { seq, reason: 'rewritten' } };
      }
    }
  }
  if (head && checked < head.count) return { ok: false, checked, firstBroken: { seq: head.seq, reason: 'truncated' } };
  // Entries are keyed since the migration that sealed the old ones; a log that is all unkeyed
  // (and not empty) was rewritten without the key.
  if (checked > 0 && !keyed) return { ok: false, checked: 0, firstBroken: { seq: firstSeq, reason: 'unkeyed' } };
  return { ok: true, checked, ...(last ? { head: last } : {}) };
}
