import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

/** Words of a search, for ILIKE with the wildcards typed by the reader taken literally. */
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A membership covers `day` when it started on or before it and had not ended before it. */
const covering = (day: string) => sql<boolean>`m.start_date <= ${day}::date and (m.end_date is null or m.end_date >= ${day}::date)`;

// ---- the Popolo records ---------------------------------------------------------------------

export async function listPosts(db: Q, day: string, q: string | undefined, limit = 200) {
  let query = db
    .selectFrom('advocacy_posts as p')
    .leftJoin('advocacy_bodies as b', 'b.id', 'p.body_id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('advocacy_memberships as m')
          .innerJoin('advocacy_persons as h', 'h.id', 'm.person_id')
          .select(['m.post_id', 'h.id as holder_id', 'h.name as holder_name'])
          .where('m.post_id', 'is not', null)
          .where(covering(day))
          .as('cur'),
      (join) => join.onRef('cur.post_id', '=', 'p.id'),
    )
    .select(['p.id', 'p.label', 'p.email', 'b.id as body_id', 'b.name as body_name', 'cur.holder_id', 'cur.holder_name'])
    .orderBy('p.label')
    .limit(limit);
  if (q) query = query.where((eb) => eb.or([eb('p.label', 'ilike', like(q)), eb('cur.holder_name', 'ilike', like(q)), eb('b.name', 'ilike', like(q))]));
  return query.execute();
}

export async function listPeople(db: Q, q: string | undefined, limit = 200) {
  let query = db.selectFrom('advocacy_persons').select(['id', 'name', 'email']).orderBy('name').limit(limit);
  if (q) query = query.where('name', 'ilike', like(q));
  return query.execute();
}

export async function listBodies(db: Q, q: string | undefined, limit = 200) {
  let query = db.selectFrom('advocacy_bodies').select(['id', 'name', 'classification']).orderBy('name').limit(limit);
  if (q) query = query.where('name', 'ilike', like(q));
  return query.execute();
}

export async function findPost(db: Q, id: string) {
  return db
    .selectFrom('advocacy_posts as p')
    .leftJoin('advocacy_bodies as b', 'b.id', 'p.body_id')
    .select(['p.id', 'p.label', 'p.email', 'p.body_id', 'b.name as body_name', 'b.classification as body_classification'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export async function findPerson(db: Q, id: string) {
  return db.selectFrom('advocacy_persons').select(['id', 'name', 'email']).where('id', '=', id).executeTakeFirst();
}

export async function findBody(db: Q, id: string) {
  return db.selectFrom('advocacy_bodies').select(['id', 'name', 'classification']).where('id', '=', id).executeTakeFirst();
}

export async function insertPerson(trx: Trx, row: { name: string; email: string | null; created_by: string }) {
  return (await trx.insertInto('advocacy_persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertBody(trx: Trx, row: { name: string; classification: DB['advocacy_bodies']['classification']; created_by: string }) {
  return (await trx.insertInto('advocacy_bodies').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertPost(trx: Trx, row: { label: string; body_id: string | null; email: string | null; created_by: string }) {
  return (await trx.insertInto('advocacy_posts').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/** Serialises every change to who holds one post: the overlap check and the insert happen under it. */
export async function lockPost(trx: Trx, id: string) {
  return trx.selectFrom('advocacy_posts').select(['id', 'label']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Holders of the post whose period shares a day with [start, end] (end null: still held). */
export async function overlappingHolders(trx: Trx, postId: string, start: string, end: string | null, exceptId?: string) {
  let query = trx
    .selectFrom('advocacy_memberships as m')
    .innerJoin('advocacy_persons as h', 'h.id', 'm.person_id')
    .select(['m.id', 'h.name', 'm.start_date', 'm.end_date'])
    .where('m.post_id', '=', postId)
    .where((eb) => eb.or([eb('m.end_date', 'is', null), eb('m.end_date', '>=', start)]))
    .orderBy('m.start_date');
  if (end !== null) query = query.where('m.start_date', '<=', end);
  if (exceptId) query = query.where('m.id', '<>', exceptId);
  return query.execute();
}

export async function insertMembership(trx: Trx, row: { person_id: string; post_id: string | null; body_id: string | null; start_date: string; end_date: string | null; created_by: string }) {
  return (await trx.insertInto('advocacy_memberships').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function lockMembership(trx: Trx, id: string) {
  return trx.selectFrom('advocacy_memberships').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function setMembershipEnd(trx: Trx, id: string, endDate: string) {
  await trx.updateTable('advocacy_memberships').set({ end_date: endDate }).where('id', '=', id).execute();
}

/** Everyone who held the post, latest first. */
export async function holdersOfPost(db: Q, postId: string) {
  return db
    .selectFrom('advocacy_memberships as m')
    .innerJoin('advocacy_persons as h', 'h.id', 'm.person_id')
    .select(['m.id', 'm.person_id', 'h.name', 'm.start_date', 'm.end_date'])
    .where('m.post_id', '=', postId)
    .orderBy('m.start_date', 'desc')
    .execute();
}

/** The posts a person held and the parties and bodies they belonged to, latest first. */
export async function membershipsOfPerson(db: Q, personId: string) {
  return db
    .selectFrom('advocacy_memberships as m')
    .leftJoin('advocacy_posts as p', 'p.id', 'm.post_id')
    .leftJoin('advocacy_bodies as b', 'b.id', 'm.body_id')
    .select(['m.id', 'm.post_id', 'p.label as post_label', 'm.body_id', 'b.name as body_name', 'b.classification', 'm.start_date', 'm.end_date'])
    .where('m.person_id', '=', personId)
    .orderBy('m.start_date', 'desc')
    .execute();
}

/** The holder of each post on that day (at most one: overlaps are refused when recorded). */
export async function holdersOn(db: Q, postIds: readonly string[], day: string) {
  if (postIds.length === 0) return [];
  return db
    .selectFrom('advocacy_memberships as m')
    .innerJoin('advocacy_persons as h', 'h.id', 'm.person_id')
    .select(['m.post_id', 'h.id as person_id', 'h.name', 'h.email'])
    .where('m.post_id', 'in', postIds)
    .where(covering(day))
    .execute();
}

/** Published statements sent to a post (or a person), newest first, with their published title. */
export async function statementsAddressed(db: Q, by: { postId: string } | { personId: string }) {
  let query = db
    .selectFrom('statement_recipients as r')
    .innerJoin('statements as s', 's.id', 'r.statement_id')
    .innerJoin('statement_versions as v', (join) => join.onRef('v.statement_id', '=', 's.id').onRef('v.number', '=', 's.published_version'))
    .leftJoin('advocacy_posts as p', 'p.id', 'r.post_id')
    .leftJoin('advocacy_persons as h', 'h.id', 'r.person_id')
    .select(['s.id', 'v.title', 'v.language', 'r.queued_at', 'p.label as post_label', 'h.name as person_name'])
    .where('s.state', '=', 'published')
    .where('r.queued_at', 'is not', null)
    .orderBy('r.queued_at', 'desc')
    .limit(200);
  query = 'postId' in by ? query.where('r.post_id', '=', by.postId) : query.where('r.person_id', '=', by.personId);
  return query.execute();
}

/**
 * For responsiveness: each recipient the statement reached (dispatched, not refused by the
 * mail server), the day it was sent and the day of its first answer (null: none yet).
 * Acknowledgements are not answers (see RecipientsService.responsiveness).
 */
/**
 * When each recipient was sent the letter and first answered. `publishedOnly`: the public's
 * figures count only replies the owners published, so they never reveal an unpublished one.
 */
export async function answerTimes(db: Q, by: { postId: string } | { personId: string } | { statementId: string }, publishedOnly = true) {
  let query = db
    .selectFrom('statement_recipients as r')
    .select((eb) => [
      'r.id',
      sql<string>`to_char(r.queued_at at time zone 'UTC', 'YYYY-MM-DD')`.as('sent_on'),
      eb
        .selectFrom('statement_replies as a')
        .select((e) => e.fn.min('a.received_on').as('first'))
        .whereRef('a.recipient_id', '=', 'r.id')
        .where('a.kind', 'in', ['substantive', 'declined'])
        .where((w) => (publishedOnly ? w('a.published', '=', true) : w.lit(true)))
        .as('answered_on'),
    ])
    .where('r.queued_at', 'is not', null)
    .where('r.delivery', '<>', 'refused');
  if ('postId' in by) query = query.where('r.post_id', '=', by.postId);
  else if ('personId' in by) query = query.where('r.person_id', '=', by.personId);
  else query = query.where('r.statement_id', '=', by.statementId);
  return (await query.execute()) as { id: string; sent_on: string; answered_on: string | null }[];
}

// ---- a statement's recipients -----------------------------------------------------------------

export async function publishedVersion(db: Q, statementId: string) {
  return db
    .selectFrom('statements as s')
    .innerJoin('statement_versions as v', (join) => join.onRef('v.statement_id', '=', 's.id').onRef('v.number', '=', 's.published_version'))
    .select(['s.id', 's.state', 's.published_version', 's.sent_at', 'v.title', 'v.body', 'v.language', 'v.summary'])
    .where('s.id', '=', statementId)
    .executeTakeFirst();
}

/** The latest title, published or not, for the owners' pages and mails. */
export async function latestTitle(db: Q, statementId: string): Promise<string> {
  const row = await db.selectFrom('statement_versions').select('title').where('statement_id', '=', statementId).where('translation_of', 'is', null).orderBy('number', 'desc').executeTakeFirst();
  return row?.title ?? '';
}

export async function recipientsOf(db: Q, statementId: string) {
  return db
    .selectFrom('statement_recipients as r')
    .leftJoin('advocacy_posts as p', 'p.id', 'r.post_id')
    .leftJoin('advocacy_persons as h', 'h.id', 'r.person_id')
    .select([
      'r.id',
      'r.post_id',
      'p.label as post_label',
      'r.person_id',
      'h.name as person_name',
      'r.channel',
      'r.address',
      'r.delivery',
      'r.delivery_note',
      'r.queued_at',
      'r.sent_at',
      'r.refused_at',
      'r.delivered_at',
      'r.created_at',
    ])
    .where('r.statement_id', '=', statementId)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
}
export type RecipientRow = Awaited<ReturnType<typeof recipientsOf>>[number];

export async function repliesOf(db: Q, statementId: string, publishedOnly: boolean) {
  let query = db
    .selectFrom('statement_replies as a')
    .innerJoin('statement_recipients as r', 'r.id', 'a.recipient_id')
    .leftJoin('documents as d', 'd.id', 'a.document_id')
    .select(['a.id', 'a.recipient_id', 'a.kind', 'a.body', 'a.received_on', 'a.link', 'a.document_id', 'd.filename', 'd.size_bytes', 'a.published', 'a.recorded_by', 'a.created_at'])
    .where('r.statement_id', '=', statementId)
    .orderBy('a.received_on')
    .orderBy('a.created_at');
  if (publishedOnly) query = query.where('a.published', '=', true);
  return query.execute();
}
export type ReplyRow = Awaited<ReturnType<typeof repliesOf>>[number];

export async function insertRecipients(
  trx: Trx,
  rows: { statement_id: string; post_id: string | null; person_id: string | null; channel: 'email' | 'hand' | 'post'; created_by: string }[],
) {
  if (rows.length === 0) return [];
  return trx.insertInto('statement_recipients').values(rows).returning('id').execute();
}

export async function lockRecipient(trx: Trx, statementId: string, recipientId: string) {
  return trx.selectFrom('statement_recipients').selectAll().where('id', '=', recipientId).where('statement_id', '=', statementId).forUpdate().executeTakeFirst();
}

export async function findRecipient(db: Q, statementId: string, recipientId: string) {
  return db.selectFrom('statement_recipients').selectAll().where('id', '=', recipientId).where('statement_id', '=', statementId).executeTakeFirst();
}

export async function deleteRecipient(trx: Trx, id: string) {
  await trx.deleteFrom('statement_recipients').where('id', '=', id).where('queued_at', 'is', null).execute();
}

/** Recipients not sent yet, locked: sending resolves and stamps each once. */
export async function unsentRecipients(trx: Trx, statementId: string) {
  return trx
    .selectFrom('statement_recipients as r')
    .leftJoin('advocacy_posts as p', 'p.id', 'r.post_id')
    .leftJoin('advocacy_persons as h', 'h.id', 'r.person_id')
    .select(['r.id', 'r.post_id', 'p.label as post_label', 'p.email as post_email', 'r.person_id', 'h.name as person_name', 'h.email as person_email', 'r.channel'])
    .where('r.statement_id', '=', statementId)
    .where('r.queued_at', 'is', null)
    .forUpdate('r')
    .execute();
}

export async function dispatch(
  trx: Trx,
  id: string,
  values: { person_id: string; address: string | null; delivery: 'queued' | 'pending'; queued_at: Date; delivery_note?: string },
) {
  await trx.updateTable('statement_recipients').set(values).where('id', '=', id).where('queued_at', 'is', null).execute();
}

export async function setSentAt(trx: Trx, statementId: string, at: Date) {
  await trx.updateTable('statements').set({ sent_at: at }).where('id', '=', statementId).where('sent_at', 'is', null).execute();
}

/** Email recipients among `ids` still waiting for the mail server. */
export async function queuedEmail(db: Q, statementId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('statement_recipients')
    .select(['id', 'address'])
    .where('statement_id', '=', statementId)
    .where('id', 'in', ids)
    .where('channel', '=', 'email')
    .where('delivery', '=', 'queued')
    .execute();
}

export async function setReplyToken(db: Q, id: string, hash: string) {
  await db.updateTable('statement_recipients').set({ reply_token_hash: hash }).where('id', '=', id).where('delivery', '=', 'queued').execute();
}

export async function markSent(db: Q, id: string, at: Date) {
  await db.updateTable('statement_recipients').set({ delivery: 'sent', sent_at: at, delivery_note: '' }).where('id', '=', id).where('delivery', '=', 'queued').execute();
}

export async function markRefused(db: Q, id: string, at: Date, note: string) {
  await db.updateTable('statement_recipients').set({ delivery: 'refused', refused_at: at, delivery_note: note }).where('id', '=', id).where('delivery', '=', 'queued').execute();
}

export async function setDeliveryNote(trx: Trx, id: string, note: string) {
  await trx.updateTable('statement_recipients').set({ delivery_note: note }).where('id', '=', id).execute();
}

export async function markDelivered(trx: Trx, id: string, at: Date) {
  await trx.updateTable('statement_recipients').set({ delivery: 'delivered', delivered_at: at }).where('id', '=', id).execute();
}

export async function recipientByTokenHash(db: Q, hash: string) {
  return db
    .selectFrom('statement_recipients as r')
    .innerJoin('statements as s', 's.id', 'r.statement_id')
    .leftJoin('advocacy_posts as p', 'p.id', 'r.post_id')
    .leftJoin('advocacy_persons as h', 'h.id', 'r.person_id')
    .select(['r.id', 'r.statement_id', 'r.queued_at', 's.state', 'p.label as post_label', 'h.name as person_name'])
    .where('r.reply_token_hash', '=', hash)
    .executeTakeFirst();
}

// ---- replies -----------------------------------------------------------------------------------

export async function insertDocument(trx: Trx, doc: { filename: string; media_type: string; size_bytes: number; sha256: string; content: Buffer; uploaded_by: string | null }) {
  return (await trx.insertInto('documents').values(doc).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertReply(
  trx: Trx,
  row: { recipient_id: string; kind: 'substantive' | 'acknowledgement' | 'declined'; body: string; received_on: string; link: string | null; document_id: string | null; published: boolean; recorded_by: string | null },
) {
  return (await trx.insertInto('statement_replies').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function findReply(db: Q, statementId: string, replyId: string) {
  return db
    .selectFrom('statement_replies as a')
    .innerJoin('statement_recipients as r', 'r.id', 'a.recipient_id')
    .select(['a.id', 'a.published', 'a.document_id', 'a.recipient_id'])
    .where('a.id', '=', replyId)
    .where('r.statement_id', '=', statementId)
    .executeTakeFirst();
}

export async function setReplyPublished(trx: Trx, replyId: string, published: boolean) {
  await trx.updateTable('statement_replies').set({ published }).where('id', '=', replyId).execute();
}

export async function documentOf(db: Q, id: string) {
  return db.selectFrom('documents').select(['filename', 'media_type', 'content']).where('id', '=', id).executeTakeFirst();
}

// ---- reminders ---------------------------------------------------------------------------------

/**
 * Recipients due a reminder of `day` (14 or 28) on `today`: sent between `day` and `day + 13`
 * days ago (a reminder missed for a fortnight is no longer useful), not refused, with no answer
 * (an acknowledgement is not one) and not reminded of this day yet.
 */
export async function dueForReminder(db: Q, day: 14 | 28, today: string) {
  return db
    .selectFrom('statement_recipients as r')
    .innerJoin('statements as s', 's.id', 'r.statement_id')
    .leftJoin('advocacy_posts as p', 'p.id', 'r.post_id')
    .leftJoin('advocacy_persons as h', 'h.id', 'r.person_id')
    .select(['r.id', 'r.statement_id', 'p.label as post_label', 'h.name as person_name'])
    .where('r.queued_at', 'is not', null)
    .where('r.delivery', '<>', 'refused')
    .where('s.state', '=', 'published')
    .where(sql<boolean>`(r.queued_at at time zone 'UTC')::date <= ${today}::date - ${day}::int`)
    .where(sql<boolean>`(r.queued_at at time zone 'UTC')::date > ${today}::date - ${day + 14}::int`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('statement_replies as a')
            .select('a.id')
            .whereRef('a.recipient_id', '=', 'r.id')
            .where('a.kind', 'in', ['substantive', 'declined']),
        ),
      ),
    )
    .where((eb) => eb.not(eb.exists(eb.selectFrom('statement_reply_reminders as m').select('m.recipient_id').whereRef('m.recipient_id', '=', 'r.id').where('m.day', '=', day))))
    .orderBy('r.statement_id')
    .orderBy('r.created_at')
    .execute();
}

/** Records the reminders; answers those this run inserted (a concurrent run gets the others). */
export async function insertReminders(trx: Trx, rows: { recipient_id: string; day: 14 | 28 }[]) {
  if (rows.length === 0) return [];
  return trx.insertInto('statement_reply_reminders').values(rows).onConflict((oc) => oc.columns(['recipient_id', 'day']).doNothing()).returning(['recipient_id', 'day']).execute();
}

export async function findMembership(db: Q, id: string) {
  return db.selectFrom('advocacy_memberships').select(['id', 'post_id', 'person_id']).where('id', '=', id).executeTakeFirst();
}
