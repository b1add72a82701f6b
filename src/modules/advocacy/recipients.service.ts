import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import { today } from '../../platform/calendar.ts';
import type { Platform } from '../../platform/context.ts';
import { type CheckedDocument, checkUploads } from '../../platform/documents.ts';
import { newToken, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { Upload } from '../../platform/http.tsx';
import { DEFAULT_LOCALE, isSupportedLocale, translator } from '../../platform/i18n.ts';
import { smtpTransport } from '../../platform/mail/mail.ts';
import { markdownToText } from '../../platform/markdown.ts';
import type { Actor } from '../../platform/policy.ts';
import { assertOwner, statementAccess } from './access.ts';
import { lockStatement } from './access.repository.ts';
import { advocacyPolicy } from './advocacy.policy.ts';
import * as repo from './recipients.repository.ts';
import type { AddRecipientsInput, BodyInput, DeliveredInput, EndInput, HolderInput, PartyInput, PersonInput, PostInput, ReplyInput, TokenReplyInput } from './recipients.schemas.ts';
import { publicSignatories } from './signatories.ts';
import { ownerContacts } from './statements.repository.ts';

export const DELIVERY_JOB = 'advocacy.deliver';
export const REPLY_REMINDER_JOB = 'advocacy.replyReminders';
/** Owners are reminded of the recipients who have not answered this many days after sending. */
export const REMINDER_DAYS = [14, 28] as const;
/** Reminder jobs run at this hour (UTC), as the alert digests do. */
const REMINDER_HOUR_UTC = 7;

type Trx = Transaction<DB>;

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400_000);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export interface Responsiveness {
  /** Recipients the statements reached (sent, delivered by hand or post, not refused by the mail server). */
  addressed: number;
  replied: number;
  /** 0..1; 0 when nobody was addressed. */
  share: number;
  /** Median days from sending to the first answer, among those who answered. */
  medianDays: number | null;
}

/**
 * Responsiveness from recipient rows: an answer is a substantive reply or a "declined to answer"
 * (declining is an answer: the recipient took a position). An acknowledgement only ("your letter
 * has been received") is not an answer, so it neither counts here nor stops the reminders.
 * The fact and date of an answer count even while its text is unpublished: that a public figure
 * answered a public letter is public; what they wrote is the owners' to publish.
 */
export function responsivenessFrom(rows: readonly { sent_on: string; answered_on: string | null }[]): Responsiveness {
  const days = rows
    .filter((r) => r.answered_on !== null)
    .map((r) => Math.max(0, daysBetween(r.sent_on, r.answered_on as string)))
    .sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  const medianDays = days.length === 0 ? null : days.length % 2 === 1 ? (days[mid] as number) : ((days[mid - 1] as number) + (days[mid] as number)) / 2;
  return { addressed: rows.length, replied: days.length, share: rows.length === 0 ? 0 : days.length / rows.length, medianDays };
}

/** A reply's attachment, at most one, checked by its content (platform/documents.ts). */
function checkAttachment(upload: Upload | undefined): CheckedDocument | undefined {
  const { documents, errors } = checkUploads(upload ? [upload] : [], { max: 1, field: 'attachment' });
  if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
  return documents[0];
}

/** A Markdown text as plain text for a mail, keeping its paragraphs. */
function plainText(markdown: string): string {
  // A link keeps its address in a letter: the recipient must be able to follow what was signed.
  return markdown
    .replace(/(?<!!)\[([^[\]]*)\]\(([^()\s]*)\)/g, '$1 <$2>')
    .split(/\n\s*\n/)
    .map((p) => markdownToText(p))
    .filter(Boolean)
    .join('\n\n');
}

/** Who a recipient is, for people: "Post (Person)", the post alone, or the person alone. */
export function recipientLabel(r: { post_label: string | null; person_name: string | null }): string {
  if (r.post_label && r.person_name) return `${r.post_label} (${r.person_name})`;
  return r.post_label ?? r.person_name ?? '';
}

export class RecipientsService {
  constructor(private p: Platform) {
    p.jobs.define(DELIVERY_JOB, (data) => this.deliver(String(data.statementId), Array.isArray(data.recipientIds) ? data.recipientIds.map(String) : []));
    // Idempotent (statement_reply_reminders' key): a retry, a second job on the same day, or
    // a job for another statement due the same day reminds nobody twice.
    p.jobs.define(REPLY_REMINDER_JOB, async () => {
      await this.runReplyReminders(new Date());
    });
  }

  private url(path: string): string {
    return new URL(path, this.p.config.publicUrl).href;
  }

  /** Staff and the convener keep these records and alone see the public figures' addresses. */
  mayEdit(actor: Actor): boolean {
    return advocacyPolicy.can(actor, 'recipients');
  }

  // ---- the directory of posts, people and bodies -------------------------------------------

  async directory(actor: Actor, q: string | undefined) {
    const day = today();
    const [posts, people, bodies] = await Promise.all([repo.listPosts(this.p.db, day, q), repo.listPeople(this.p.db, q), repo.listBodies(this.p.db, q)]);
    const staff = this.mayEdit(actor);
    return {
      q: q ?? '',
      canEdit: staff,
      posts: posts.map((p) => ({ ...p, email: staff ? p.email : null })),
      people: people.map((p) => ({ ...p, email: staff ? p.email : null })),
      bodies,
    };
  }

  async formOptions(actor: Actor) {
    advocacyPolicy.person(actor, 'recipients');
    const [bodies, people] = await Promise.all([repo.listBodies(this.p.db, undefined, 1000), repo.listPeople(this.p.db, undefined, 1000)]);
    return { bodies, parties: bodies.filter((b) => b.classification === 'party'), people };
  }

  async post(actor: Actor, id: string) {
    const post = await repo.findPost(this.p.db, id);
    if (!post) throw AppError.notFound();
    const staff = this.mayEdit(actor);
    const [holders, statements, responsiveness, people] = await Promise.all([
      repo.holdersOfPost(this.p.db, id),
      repo.statementsAddressed(this.p.db, { postId: id }),
      this.responsivenessOfPost(id),
      staff ? repo.listPeople(this.p.db, undefined, 1000) : Promise.resolve([]),
    ]);
    return { post: { ...post, email: staff ? post.email : null }, holders, statements, responsiveness, canEdit: staff, people, today: today() };
  }

  async person(actor: Actor, id: string) {
    const person = await repo.findPerson(this.p.db, id);
    if (!person) throw AppError.notFound();
    const staff = this.mayEdit(actor);
    const [memberships, statements, responsiveness, bodies] = await Promise.all([
      repo.membershipsOfPerson(this.p.db, id),
      repo.statementsAddressed(this.p.db, { personId: id }),
      this.responsivenessOfPerson(id),
      staff ? repo.listBodies(this.p.db, undefined, 1000) : Promise.resolve([]),
    ]);
    const day = today();
    const current = (m: { start_date: string; end_date: string | null }) => m.start_date <= day && (m.end_date === null || m.end_date >= day);
    return {
      person: { ...person, email: staff ? person.email : null },
      posts: memberships.filter((m) => m.post_id !== null),
      parties: memberships.filter((m) => m.post_id === null),
      party: memberships.find((m) => m.post_id === null && m.classification === 'party' && current(m)),
      statements,
      responsiveness,
      canEdit: staff,
      parties_to_choose: bodies.filter((b) => b.classification === 'party'),
    };
  }

  async createPerson(actor: Actor, input: PersonInput): Promise<string> {
    const me = advocacyPolicy.person(actor, 'recipients');
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertPerson(trx, { name: input.name, email: input.email?.toLowerCase() ?? null, created_by: me.id });
      await audit(trx, me, { action: 'recipient.person.create', recordType: 'advocacy_person', recordId: id });
      return id;
    });
  }

  async createBody(actor: Actor, input: BodyInput): Promise<string> {
    const me = advocacyPolicy.person(actor, 'recipients');
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertBody(trx, { name: input.name, classification: input.classification, created_by: me.id });
      await audit(trx, me, { action: 'recipient.body.create', recordType: 'advocacy_body', recordId: id });
      return id;
    });
  }

  async createPost(actor: Actor, input: PostInput): Promise<string> {
    const me = advocacyPolicy.person(actor, 'recipients');
    if (input.body && !(await repo.findBody(this.p.db, input.body))) throw AppError.field('body', 'errors.choice');
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertPost(trx, { label: input.label, body_id: input.body ?? null, email: input.email?.toLowerCase() ?? null, created_by: me.id });
      await audit(trx, me, { action: 'recipient.post.create', recordType: 'advocacy_post', recordId: id });
      return id;
    });
  }

  /**
   * A holder of the post from a day to a day (inclusive; open-ended while still held). Two
   * holders may not share a day: the check runs with the post's row locked, so two requests at
   * once are serialised and the second sees the first's holder.
   */
  async addHolder(actor: Actor, postId: string, input: HolderInput): Promise<void> {
    const me = advocacyPolicy.person(actor, 'recipients');
    if (input.endDate && input.endDate < input.startDate) throw AppError.field('endDate', 'errors.recipientEndBeforeStart');
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.lockPost(trx, postId))) throw AppError.notFound();
      if (!(await repo.findPerson(trx, input.person))) throw AppError.field('person', 'errors.choice');
      await this.refuseOverlap(trx, postId, input.startDate, input.endDate ?? null, 'startDate');
      const id = await repo.insertMembership(trx, { person_id: input.person, post_id: postId, body_id: null, start_date: input.startDate, end_date: input.endDate ?? null, created_by: me.id });
      await audit(trx, me, { action: 'recipient.holder.add', recordType: 'advocacy_membership', recordId: id });
    });
  }

  private async refuseOverlap(trx: Trx, postId: string, start: string, end: string | null, field: string, exceptId?: string) {
    const clash = (await repo.overlappingHolders(trx, postId, start, end, exceptId))[0];
    if (clash) {
      const values = { name: clash.name, start: clash.start_date, end: clash.end_date ?? '—' };
      throw AppError.invalid({ [field]: { key: 'errors.postHeldOverlap', values } }, 'errors.postHeldOverlap');
    }
  }

  /** Ends a post held or a party membership; a post's end is checked against its next holder. */
  async endMembership(actor: Actor, id: string, input: EndInput): Promise<{ postId: string | null; personId: string }> {
    const me = advocacyPolicy.person(actor, 'recipients');
    return this.p.db.transaction().execute(async (trx) => {
      const first = await repo.lockMembership(trx, id);
      if (!first) throw AppError.notFound();
      if (first.post_id) await repo.lockPost(trx, first.post_id);
      const m = (await repo.lockMembership(trx, id)) ?? first;
      if (input.endDate < m.start_date) throw AppError.field('endDate', 'errors.recipientEndBeforeStart');
      if (m.post_id) await this.refuseOverlap(trx, m.post_id, m.start_date, input.endDate, 'endDate', m.id);
      await repo.setMembershipEnd(trx, id, input.endDate);
      await audit(trx, me, { action: 'recipient.membership.end', recordType: 'advocacy_membership', recordId: id });
      return { postId: m.post_id, personId: m.person_id };
    });
  }

  /** Where a membership is shown: its post's page, or its person's for a party membership. */
  async membershipPlace(id: string) {
    const m = await repo.findMembership(this.p.db, id);
    if (!m) throw AppError.notFound();
    return { postId: m.post_id, personId: m.person_id };
  }

  async addParty(actor: Actor, personId: string, input: PartyInput): Promise<void> {
    const me = advocacyPolicy.person(actor, 'recipients');
    if (input.endDate && input.endDate < input.startDate) throw AppError.field('endDate', 'errors.recipientEndBeforeStart');
    if (!(await repo.findPerson(this.p.db, personId))) throw AppError.notFound();
    const body = await repo.findBody(this.p.db, input.party);
    if (!body) throw AppError.field('party', 'errors.choice');
    await this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertMembership(trx, { person_id: personId, post_id: null, body_id: body.id, start_date: input.startDate, end_date: input.endDate ?? null, created_by: me.id });
      await audit(trx, me, { action: 'recipient.party.add', recordType: 'advocacy_membership', recordId: id });
    });
  }

  // ---- responsiveness ----------------------------------------------------------------------

  async responsivenessOfPost(postId: string): Promise<Responsiveness> {
    return responsivenessFrom(await repo.answerTimes(this.p.db, { postId }));
  }

  async responsivenessOfPerson(personId: string): Promise<Responsiveness> {
    return responsivenessFrom(await repo.answerTimes(this.p.db, { personId }));
  }

  // ---- a statement's recipients (owners) ----------------------------------------------------

  private async owned(actor: Actor, statementId: string) {
    const access = await statementAccess(this.p.db, actor, statementId);
    assertOwner(access);
    return access;
  }

  async statementRecipients(actor: Actor, statementId: string) {
    const access = await this.owned(actor, statementId);
    const day = today();
    const [title, recipients, replies, posts, people, times] = await Promise.all([
      repo.latestTitle(this.p.db, statementId),
      repo.recipientsOf(this.p.db, statementId),
      repo.repliesOf(this.p.db, statementId, false),
      repo.listPosts(this.p.db, day, undefined, 1000),
      repo.listPeople(this.p.db, undefined, 1000),
      repo.answerTimes(this.p.db, { statementId }, false),
    ]);
    return {
      statement: access.statement,
      responsiveness: responsivenessFrom(times),
      title,
      published: access.statement.state === 'published',
      recipients: recipients.map((r) => ({ ...r, replies: replies.filter((a) => a.recipient_id === r.id) })),
      unsent: recipients.filter((r) => r.queued_at === null).length,
      posts,
      people,
      today: day,
    };
  }

  async addRecipients(actor: Actor, statementId: string, input: AddRecipientsInput): Promise<number> {
    const me = advocacyPolicy.person(actor, 'recipients');
    await this.owned(actor, statementId);
    if (input.posts.length + input.people.length === 0) throw AppError.invalid({ posts: { key: 'errors.recipientNoneChosen' } }, 'errors.recipientNoneChosen');
    return this.p.db.transaction().execute(async (trx) => {
      await lockStatement(trx, statementId);
      const existing = await repo.recipientsOf(trx, statementId);
      // Addressing the same post or person twice before sending would mail them twice.
      const pendingPosts = new Set(existing.filter((r) => r.queued_at === null && r.post_id).map((r) => r.post_id));
      const pendingPeople = new Set(existing.filter((r) => r.queued_at === null && !r.post_id).map((r) => r.person_id));
      const rows: Parameters<typeof repo.insertRecipients>[1] = [];
      for (const postId of new Set(input.posts)) {
        if (!(await repo.findPost(trx, postId))) throw AppError.field('posts', 'errors.choice');
        if (!pendingPosts.has(postId)) rows.push({ statement_id: statementId, post_id: postId, person_id: null, channel: input.channel, created_by: me.id });
      }
      for (const personId of new Set(input.people)) {
        if (!(await repo.findPerson(trx, personId))) throw AppError.field('people', 'errors.choice');
        if (!pendingPeople.has(personId)) rows.push({ statement_id: statementId, post_id: null, person_id: personId, channel: input.channel, created_by: me.id });
      }
      const inserted = await repo.insertRecipients(trx, rows);
      for (const r of inserted) await audit(trx, me, { action: 'statement.recipient.add', recordType: 'statement_recipient', recordId: r.id });
      return inserted.length;
    });
  }

  /** Only before sending: a recipient row is a record of what was sent once it is sent. */
  async removeRecipient(actor: Actor, statementId: string, recipientId: string): Promise<void> {
    const me = advocacyPolicy.person(actor, 'recipients');
    await this.owned(actor, statementId);
    await this.p.db.transaction().execute(async (trx) => {
      const r = await repo.lockRecipient(trx, statementId, recipientId);
      if (!r) throw AppError.notFound();
      if (r.queued_at !== null) throw AppError.invalid({ remove: { key: 'errors.recipientAlreadySent' } }, 'errors.recipientAlreadySent');
      await repo.deleteRecipient(trx, recipientId);
      await audit(trx, me, { action: 'statement.recipient.remove', recordType: 'statement_recipient', recordId: recipientId });
    });
  }

  /**
   * Sends the published statement to every recipient not sent yet, in one transaction: each post
   * resolves to its holder on that day (stored on the row, which never changes afterwards), each
   * email recipient gets its address and is queued for the delivery job. A post nobody holds
   * that day, or an email recipient without an address, stops the whole sending with a message
   * naming them, so nothing goes half-sent.
   */
  async send(actor: Actor, statementId: string, now = new Date()): Promise<number> {
    const me = advocacyPolicy.person(actor, 'recipients');
    await this.owned(actor, statementId);
    return this.p.db.transaction().execute(async (trx) => {
      const statement = await lockStatement(trx, statementId);
      if (!statement) throw AppError.notFound();
      if (statement.state !== 'published') throw AppError.invalid({ send: { key: 'errors.recipientNotPublished' } }, 'errors.recipientNotPublished');
      const unsent = await repo.unsentRecipients(trx, statementId);
      if (unsent.length === 0) throw AppError.invalid({ send: { key: 'errors.recipientNoneToSend' } }, 'errors.recipientNoneToSend');
      const day = dayOf(now);
      const postIds = unsent.filter((r) => r.post_id).map((r) => r.post_id as string);
      const holders = new Map((await repo.holdersOn(trx, postIds, day)).map((h) => [h.post_id as string, h]));
      const vacant = unsent.filter((r) => r.post_id && !holders.has(r.post_id)).map((r) => r.post_label as string);
      if (vacant.length > 0) throw AppError.invalid({ send: { key: 'errors.recipientPostVacant', values: { posts: vacant.join(', '), date: day } } }, 'errors.recipientPostVacant');
      const resolved = unsent.map((r) => {
        const holder = r.post_id ? holders.get(r.post_id) : undefined;
        const personId = holder ? holder.person_id : (r.person_id as string);
        const address = r.channel === 'email' ? (r.post_email ?? (holder ? holder.email : r.person_email)) : null;
        return { ...r, personId, address, name: recipientLabel({ post_label: r.post_label, person_name: holder ? holder.name : r.person_name }) };
      });
      const noAddress = resolved.filter((r) => r.channel === 'email' && !r.address).map((r) => r.name);
      if (noAddress.length > 0) throw AppError.invalid({ send: { key: 'errors.recipientNoAddress', values: { names: noAddress.join(', ') } } }, 'errors.recipientNoAddress');
      const outbox = !this.p.config.smtpUrl;
      for (const r of resolved) {
        await repo.dispatch(trx, r.id, {
          person_id: r.personId,
          address: r.address,
          delivery: r.channel === 'email' ? 'queued' : 'pending',
          queued_at: now,
          ...(r.channel === 'email' && outbox ? { delivery_note: 'outbox' } : {}),
        });
      }
      const emailIds = resolved.filter((r) => r.channel === 'email').map((r) => r.id);
      if (emailIds.length > 0) {
        if (outbox) await this.toOutbox(trx, statementId, emailIds);
        else await this.p.jobs.enqueue(trx, DELIVERY_JOB, { statementId, recipientIds: emailIds });
      }
      await repo.setSentAt(trx, statementId, now);
      for (const days of REMINDER_DAYS) {
        const startAfter = new Date(`${addDays(day, days)}T${String(REMINDER_HOUR_UTC).padStart(2, '0')}:00:00Z`);
        await this.p.jobs.enqueue(trx, REPLY_REMINDER_JOB, { day: days }, { startAfter });
      }
      await audit(trx, me, { action: 'statement.send', recordType: 'statement', recordId: statementId });
      return resolved.length;
    });
  }

  /** The letter one recipient receives, with their own reply link. */
  private async letter(statementId: string, db: Trx | Platform['db'] = this.p.db) {
    const v = await repo.publishedVersion(db, statementId);
    if (!v) return undefined;
    const signatories = (await publicSignatories(db, [{ id: statementId, published_version: v.published_version }])).get(statementId);
    const t = translator(isSupportedLocale(v.language) ? v.language : DEFAULT_LOCALE);
    const organisations = (signatories?.organisations ?? []).map((o) => `- ${o.name}`).join('\n');
    const individuals = signatories?.individualCount ?? 0;
    return (replyUrl: string) => ({
      subject: v.title,
      text: t('delivery.mail.body', {
        title: v.title,
        text: plainText(v.body),
        organisations,
        individuals,
        replyUrl,
        url: this.url(`/statements/${statementId}`),
      }),
    });
  }

  /**
   * Without a mail server (SMTP_URL unset) the letters go to the outbox the convener reads; the
   * delivery stays "queued" with the note "outbox": nothing here can honestly say they were sent.
   */
  private async toOutbox(trx: Trx, statementId: string, ids: readonly string[]) {
    const write = await this.letter(statementId, trx);
    if (!write) return;
    for (const r of await repo.queuedEmail(trx, statementId, ids)) {
      const token = newToken();
      await repo.setReplyToken(trx, r.id, sha256(token));
      await this.p.mailer.queue(trx, { to: r.address as string, ...write(this.url(`/replies/${token}`)) });
    }
  }

  /**
   * The delivery job. The platform Mailer reports no outcome per message (a refusal only fails
   * the whole job, which it retries), so this job speaks SMTP itself through the platform's
   * transport and records each recipient's outcome: sent (with the time the server took it), or
   * refused for good (a 5xx answer: the note keeps the SMTP code, never the server's text,
   * which may quote the address). A temporary failure leaves the row queued and fails the job,
   * so the queue retries only what has not gone. Each reply link is made just before its mail
   * and only its SHA-256 is kept.
   */
  async deliver(statementId: string, recipientIds: readonly string[]): Promise<void> {
    const smtpUrl = this.p.config.smtpUrl;
    if (!smtpUrl) return;
    const queued = await repo.queuedEmail(this.p.db, statementId, recipientIds);
    if (queued.length === 0) return;
    const write = await this.letter(statementId);
    if (!write) return;
    const transport = smtpTransport(smtpUrl);
    let retry = 0;
    let lastCode = '';
    try {
      for (const r of queued) {
        const token = newToken();
        await repo.setReplyToken(this.p.db, r.id, sha256(token));
        try {
          await transport.sendMail({ from: this.p.config.mailFrom, to: r.address as string, ...write(this.url(`/replies/${token}`)), headers: { 'X-Northstar-Recipient': r.id } });
          // Each outcome is a write the queue made on its own: audited without a person.
          await this.p.db.transaction().execute(async (trx) => {
            await repo.markSent(trx, r.id, new Date());
            await audit(trx, null, { action: 'statement.letterSent', recordType: 'statement_recipient', recordId: r.id });
          });
        } catch (err) {
          const e = err as { code?: string; responseCode?: number };
          lastCode = `${e.code ?? 'error'} ${e.responseCode ?? ''}`.trim();
          if (e.responseCode !== undefined && e.responseCode >= 500) {
            const code = e.responseCode;
            await this.p.db.transaction().execute(async (trx) => {
              await repo.markRefused(trx, r.id, new Date(), `SMTP ${code}`);
              await audit(trx, null, { action: 'statement.letterRefused', recordType: 'statement_recipient', recordId: r.id });
            });
          } else retry++;
        }
      }
    } finally {
      transport.close();
    }
    if (retry > 0) throw new Error(`${retry} of ${queued.length} statement letters not accepted by the SMTP server (${lastCode}); will retry`);
  }

  async markDelivered(actor: Actor, statementId: string, recipientId: string, input: DeliveredInput): Promise<void> {
    const me = advocacyPolicy.person(actor, 'recipients');
    await this.owned(actor, statementId);
    await this.p.db.transaction().execute(async (trx) => {
      const r = await repo.lockRecipient(trx, statementId, recipientId);
      if (!r) throw AppError.notFound();
      if (r.channel === 'email') throw AppError.invalid({ deliveredOn: { key: 'errors.recipientByEmail' } }, 'errors.recipientByEmail');
      if (r.queued_at === null) throw AppError.invalid({ deliveredOn: { key: 'errors.recipientNotSent' } }, 'errors.recipientNotSent');
      if (input.deliveredOn < dayOf(r.queued_at)) throw AppError.field('deliveredOn', 'errors.recipientDeliveredBeforeSent', { date: dayOf(r.queued_at) });
      if (input.deliveredOn > today()) throw AppError.field('deliveredOn', 'errors.recipientDeliveredFuture');
      await repo.markDelivered(trx, recipientId, new Date(`${input.deliveredOn}T12:00:00Z`));
      await audit(trx, me, { action: 'statement.recipient.delivered', recordType: 'statement_recipient', recordId: recipientId });
    });
  }

  // ---- replies --------------------------------------------------------------------------------

  async recordReply(actor: Actor, statementId: string, recipientId: string, input: ReplyInput, upload?: Upload): Promise<string> {
    const me = advocacyPolicy.person(actor, 'recipients');
    await this.owned(actor, statementId);
    const attachment = checkAttachment(upload);
    if (input.kind === 'substantive' && !input.body && !input.link && !attachment) throw AppError.field('body', 'errors.replyEmpty');
    return this.p.db.transaction().execute(async (trx) => {
      const r = await repo.lockRecipient(trx, statementId, recipientId);
      if (!r) throw AppError.notFound();
      if (r.queued_at === null) throw AppError.invalid({ receivedOn: { key: 'errors.replyNotSent' } }, 'errors.replyNotSent');
      if (input.receivedOn < dayOf(r.queued_at)) throw AppError.field('receivedOn', 'errors.replyBeforeSent', { date: dayOf(r.queued_at) });
      if (input.receivedOn > today()) throw AppError.field('receivedOn', 'errors.replyInFuture');
      const documentId = attachment
        ? await repo.insertDocument(trx, {
            filename: attachment.filename,
            media_type: attachment.mediaType,
            size_bytes: attachment.data.length,
            sha256: createHash('sha256').update(attachment.data).digest('hex'),
            content: attachment.data,
            uploaded_by: me.id,
          })
        : null;
      const id = await repo.insertReply(trx, {
        recipient_id: recipientId,
        kind: input.kind,
        body: input.body ?? '',
        received_on: input.receivedOn,
        link: input.link ?? null,
        document_id: documentId,
        published: false,
        recorded_by: me.id,
      });
      await this.notifyOwners(trx, statementId, recipientId);
      await audit(trx, me, { action: 'statement.reply.record', recordType: 'statement_reply', recordId: id });
      return id;
    });
  }

  /**
   * The reply link in a letter. It stays valid after a first reply, so that the recipient may
   * add to their answer (each use is a further reply, unpublished until the owners decide);
   * an unknown token is "not found".
   */
  async byToken(token: string) {
    const r = await repo.recipientByTokenHash(this.p.db, sha256(token));
    if (r?.state !== 'published') throw AppError.notFound();
    const v = await repo.publishedVersion(this.p.db, r.statement_id);
    return { recipient: r, title: v?.title ?? '', language: v?.language ?? DEFAULT_LOCALE };
  }

  async replyByToken(actor: Actor, token: string, input: TokenReplyInput): Promise<void> {
    const { recipient } = await this.byToken(token);
    await this.p.db.transaction().execute(async (trx) => {
      const r = await repo.lockRecipient(trx, recipient.statement_id, recipient.id);
      if (!r || r.queued_at === null) throw AppError.notFound();
      const day = today();
      const id = await repo.insertReply(trx, {
        recipient_id: r.id,
        kind: 'substantive',
        body: input.body,
        received_on: day < dayOf(r.queued_at) ? dayOf(r.queued_at) : day,
        link: null,
        document_id: null,
        published: false,
        recorded_by: actor.kind === 'person' ? actor.id : null,
      });
      await this.notifyOwners(trx, r.statement_id, r.id);
      await audit(trx, actor.kind === 'person' ? actor : null, { action: 'statement.reply.byLink', recordType: 'statement_reply', recordId: id });
    });
  }

  private async notifyOwners(trx: Trx, statementId: string, recipientId: string) {
    const title = await repo.latestTitle(trx, statementId);
    const who = recipientLabel((await repo.recipientsOf(trx, statementId)).find((x) => x.id === recipientId) ?? { post_label: null, person_name: null });
    await this.p.mailer.queueInTheirLanguage(trx, await ownerContacts(trx, statementId), (t) => ({
      subject: t('replies.mail.subject', { who, title }),
      text: t('replies.mail.body', { who, title, url: this.url(`/statements/${statementId}/recipients`) }),
    }));
  }

  async setPublished(actor: Actor, statementId: string, replyId: string, published: boolean): Promise<void> {
    const me = advocacyPolicy.person(actor, 'recipients');
    await this.owned(actor, statementId);
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.findReply(trx, statementId, replyId))) throw AppError.notFound();
      await repo.setReplyPublished(trx, replyId, published);
      await audit(trx, me, { action: published ? 'statement.reply.publish' : 'statement.reply.unpublish', recordType: 'statement_reply', recordId: replyId });
    });
  }

  /** The owners, and anyone who may read a published statement once the reply is published. */
  async attachment(actor: Actor, statementId: string, replyId: string) {
    const access = await statementAccess(this.p.db, actor, statementId);
    const reply = await repo.findReply(this.p.db, statementId, replyId);
    if (!reply?.document_id) throw AppError.notFound();
    if (!access.owner && !(access.published && reply.published)) throw AppError.notFound();
    const doc = await repo.documentOf(this.p.db, reply.document_id);
    if (!doc) throw AppError.notFound();
    return doc;
  }

  // ---- the statement's public page --------------------------------------------------------

  /**
   * Who the statement went to and what they answered, for the statement's page. The public sees
   * recipients once sent (the post and the person it reached, the delivery date) and published
   * replies; owners see every recipient and reply, unpublished ones marked. No address ever.
   */
  async publicSection(statementId: string, owner: boolean) {
    const [recipients, replies, times] = await Promise.all([
      repo.recipientsOf(this.p.db, statementId),
      repo.repliesOf(this.p.db, statementId, !owner),
      repo.answerTimes(this.p.db, { statementId }, !owner),
    ]);
    const shown = recipients.filter((r) => owner || (r.queued_at !== null && r.delivery !== 'refused'));
    return {
      statementId,
      owner,
      /** Of this statement's recipients: how many answered, how fast. */
      responsiveness: responsivenessFrom(times),
      recipients: shown.map((r) => ({
        id: r.id,
        postId: r.post_id,
        postLabel: r.post_label,
        personId: r.person_id,
        personName: r.person_name,
        sent: r.queued_at !== null,
        deliveredOn: r.sent_at ?? r.delivered_at,
        replies: replies
          .filter((a) => a.recipient_id === r.id)
          .map((a) => ({ id: a.id, kind: a.kind, body: a.body, receivedOn: a.received_on, link: a.link, attachment: a.document_id ? a.filename : null, published: a.published })),
      })),
    };
  }

  // ---- reminders -----------------------------------------------------------------------------

  /**
   * On day 14 and 28 after sending, mails the owners of each statement the recipients who have
   * not answered. Safe to run twice: each (recipient, day) is recorded once, and only the rows
   * this run inserted are mailed. Returns the reminders recorded.
   */
  async runReplyReminders(now: Date): Promise<number> {
    const day = dayOf(now);
    let count = 0;
    for (const days of REMINDER_DAYS) {
      const due = await repo.dueForReminder(this.p.db, days, day);
      const byStatement = new Map<string, typeof due>();
      for (const r of due) byStatement.set(r.statement_id, [...(byStatement.get(r.statement_id) ?? []), r]);
      for (const [statementId, rows] of byStatement) {
        await this.p.db.transaction().execute(async (trx) => {
          const inserted = new Set((await repo.insertReminders(trx, rows.map((r) => ({ recipient_id: r.id, day: days })))).map((x) => x.recipient_id));
          const silent = rows.filter((r) => inserted.has(r.id));
          if (silent.length === 0) return;
          const title = await repo.latestTitle(trx, statementId);
          const names = silent.map((r) => `- ${recipientLabel(r)}`).join('\n');
          await this.p.mailer.queueInTheirLanguage(trx, await ownerContacts(trx, statementId), (t) => ({
            subject: t('replies.mail.reminder.subject', { title, days, count: silent.length }),
            text: t('replies.mail.reminder.body', { title, days, count: silent.length, names, url: this.url(`/statements/${statementId}/recipients`) }),
          }));
          await audit(trx, null, { action: 'statement.reply.reminder', recordType: 'statement', recordId: statementId });
          count += silent.length;
        });
      }
    }
    return count;
  }
}
