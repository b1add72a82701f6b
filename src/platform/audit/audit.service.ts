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
 */
export const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  recordType: string;
  recordId?: string | null;
}

function digest(prev: string, at: Date, actorId: string | null, e: { action: string; record_type: string; record_id: string | null }) {
  return sha256([prev, at.toISOString(), actorId ?? '-', e.action, e.record_type, e.record_id ?? '-'].join('|'));
}

export async function audit(trx: Transaction<DB>, actor: Actor | string | null, entry: AuditEntry): Promise<void> {
  const actorId = typeof actor === 'string' ? actor : actor && actor.kind === 'person' ? actor.id : null;
  const prev = (await repo.lastHash(trx)) ?? GENESIS;
  const at = new Date();
  const row = { action: entry.action, record_type: entry.recordType, record_id: entry.recordId ?? null };
  await repo.insert(trx, { ...row, at, actor_id: actorId, prev_hash: prev, hash: digest(prev, at, actorId, row) });
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first entry whose link or content does not match. */
  firstBroken?: { seq: number; reason: 'prev_hash' | 'hash' };
}

export async function verifyChain(db: Db): Promise<VerifyResult> {
  let prev = GENESIS;
  let after = 0;
  let checked = 0;
  for (;;) {
    const rows = await repo.page(db, after, 1000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prev_hash !== prev) return { ok: false, checked, firstBroken: { seq: Number(row.seq), reason: 'prev_hash' } };
      if (digest(row.prev_hash, new Date(row.at), row.actor_id, row) !== row.hash) {
        return { ok: false, checked, firstBroken: { seq: Number(row.seq), reason: 'hash' } };
      }
      prev = row.hash;
      checked++;
      after = Number(row.seq);
    }
  }
  return { ok: true, checked };
}
