import type { Db } from '../../db/database.ts';

type NewMessage = {
  recipient: string;
  subject: string;
  body_text: string;
  status: 'outbox' | 'queued';
  holds_secret: boolean;
  calendar_method: 'REQUEST' | 'CANCEL' | null;
  calendar_content: string | null;
  unsubscribe_url: string | null;
};

/** Many messages in one statement: an alert's batch of 100 costs one round trip, not 100. */
export async function insertMessages(db: Db, messages: readonly NewMessage[]): Promise<string[]> {
  const ids: string[] = [];
  // A statement takes at most 65,535 parameters: an announcement to 10,000 people is several.
  for (let i = 0; i < messages.length; i += 2000) {
    const rows = await db.insertInto('mail_messages').values(messages.slice(i, i + 2000)).returning('id').execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export async function queuedMessages(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('mail_messages')
    .select(['id', 'recipient', 'subject', 'body_text', 'calendar_method', 'calendar_content', 'unsubscribe_url'])
    .where('id', 'in', [...ids])
    .where('status', '=', 'queued')
    .execute();
}

export async function findMessage(db: Db, id: string) {
  return db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOutbox(db: Db, limit: number) {
  return db
    .selectFrom('mail_messages')
    .select(['id', 'recipient', 'subject', 'status', 'holds_secret', 'created_at'])
    .where('status', '=', 'outbox')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Once delivered, the address and body (and an invitation's .ics) are not ours to keep. */
export async function markSent(db: Db, id: string) {
  await db
    .updateTable('mail_messages')
    .set({ status: 'sent', sent_at: new Date(), recipient: '', body_text: '', calendar_method: null, calendar_content: null })
    .where('id', '=', id)
    .execute();
}
