import type { Db } from '../../db/database.ts';

export async function insertMessage(db: Db, m: { recipient: string; subject: string; body_text: string; status: 'outbox' | 'queued' }) {
  return db.insertInto('mail_messages').values(m).returning('id').executeTakeFirstOrThrow();
}

export async function findMessage(db: Db, id: string) {
  return db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOutbox(db: Db, limit: number) {
  return db
    .selectFrom('mail_messages')
    .select(['id', 'recipient', 'subject', 'status', 'created_at'])
    .where('status', '=', 'outbox')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Once delivered, the address and body are not ours to keep. */
export async function markSent(db: Db, id: string) {
  await db
    .updateTable('mail_messages')
    .set({ status: 'sent', sent_at: new Date(), recipient: '', body_text: '' })
    .where('id', '=', id)
    .execute();
}
