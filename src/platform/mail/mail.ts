import net from 'node:net';
import type { Transaction } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { DEFAULT_LOCALE, isSupportedLocale, type Translate, translator } from '../i18n.ts';
import type { Jobs } from '../jobs/jobs.ts';
import * as repo from './mail.repository.ts';

/**
 * Mail goes out through SMTP (SMTP_URL) by a job, so it survives a crash and retries.
 * Without SMTP it stays in the outbox, which the convener reads in the app, except a mail that
 * holds a secret for its recipient alone (a password-reset link): the outbox shows that it was
 * written, never to whom or what it says (ADR 0010).
 */
export const MAIL_JOB = 'mail.send';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Only its recipient may read it: never shown in the outbox (password-reset links). */
  holdsSecret?: boolean;
  /**
   * An iCalendar object (an invitation's .ics) sent as the message's text/calendar part. Its
   * METHOD must be `method`: nodemailer writes `method` into the part's Content-Type, and
   * mail clients act on the invitation only when the two agree (RFC 6047).
   */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
  /** A one-click unsubscribe address (RFC 8058) for bulk mail: digests and announcements. */
  unsubscribeUrl?: string;
}

/**
 * Mail a person is waiting for (sign-in, reset, invitation, an alert) goes first; bulk mail
 * (digests, announcements) after it, in small jobs, so that one never waits behind thousands of
 * the other: the queue fetches by priority, and a bulk batch is over in a moment.
 */
const PRIORITY = { waiting: 10, bulk: 0 } as const;
export const BULK_BATCH = 25;

/**
 * SMTP over a pool of open connections (an alert to thousands would otherwise pay a TCP and
 * SMTP handshake per message), each with Nagle's algorithm off: nodemailer writes a message's
 * end in a second small packet, which Nagle holds until the server's delayed acknowledgement
 * (~40 ms on Linux), so one connection carried ~22 messages a second instead of ~400.
 * TLS (smtps:, STARTTLS) is still negotiated by nodemailer over this socket.
 */
export function smtpTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport(
    new SMTPPool({
      pool: true,
      url: smtpUrl,
      getSocket(options, callback) {
        const socket = net.connect({ host: options.host ?? 'localhost', port: Number(options.port ?? (options.secure ? 465 : 587)), noDelay: true });
        const timeout = setTimeout(() => socket.destroy(new Error('SMTP connection timed out')), options.connectionTimeout ?? 120_000);
        const failed = (err: Error) => {
          clearTimeout(timeout);
          callback(err, null);
        };
        socket.once('error', failed);
        socket.once('connect', () => {
          clearTimeout(timeout);
          socket.off('error', failed);
          callback(null, { connection: socket });
        });
      },
    }),
  );
}

export class Mailer {
  private transport: Transporter | undefined;

  constructor(
    private db: Db,
    private jobs: Jobs,
    private options: { smtpUrl: string | undefined; from: string },
  ) {
    if (options.smtpUrl) this.transport = smtpTransport(options.smtpUrl);
    // `id` is the shape of jobs queued before batches existed; they still deliver.
    // Two jobs at a time: a sign-in mail queued behind bulk mail waits for at most two small jobs.
    jobs.define(MAIL_JOB, (data) => this.deliver(Array.isArray(data.ids) ? data.ids.map(String) : [String(data.id)]), { batchSize: 2 });
  }

  get usesOutbox(): boolean {
    return !this.transport;
  }

  /** Call inside the transaction of the write that causes the mail. */
  async queue(trx: Transaction<DB>, mail: OutgoingMail): Promise<void> {
    await this.queueMany(trx, [mail]);
  }

  /**
   * Many messages, one insert and one job: the way an alert reaches thousands in minutes.
   * Call inside the transaction of the write that causes them.
   */
  async queueMany(trx: Transaction<DB>, mails: readonly OutgoingMail[], options: { bulk?: boolean } = {}): Promise<void> {
    const status = this.transport ? 'queued' : 'outbox';
    const ids = await repo.insertMessages(
      trx,
      mails.map((m) => ({
        recipient: m.to,
        subject: m.subject,
        body_text: m.text,
        status,
        // Bulk mail carries its recipient's own unsubscribe link: the outbox never shows it.
        holds_secret: m.holdsSecret === true || m.unsubscribeUrl !== undefined,
        calendar_method: m.calendar?.method ?? null,
        calendar_content: m.calendar?.content ?? null,
        unsubscribe_url: m.unsubscribeUrl ?? null,
      })),
    );
    if (!this.transport || ids.length === 0) return;
    if (!options.bulk) {
      await this.jobs.enqueue(trx, MAIL_JOB, { ids }, { priority: PRIORITY.waiting });
      return;
    }
    for (let i = 0; i < ids.length; i += BULK_BATCH) await this.jobs.enqueue(trx, MAIL_JOB, { ids: ids.slice(i, i + BULK_BATCH) }, { priority: PRIORITY.bulk });
  }

  /**
   * One message to each person who gave an address, written in their own language.
   * Call inside the transaction of the write that causes them.
   */
  async queueInTheirLanguage(
    trx: Transaction<DB>,
    people: readonly { email: string | null; locale: string | null }[],
    write: (t: Translate, locale: string) => { subject: string; text: string; calendar?: OutgoingMail['calendar'] },
    options: { bulk?: boolean } = {},
  ): Promise<void> {
    const mails: OutgoingMail[] = [];
    for (const person of people) {
      if (!person.email) continue;
      const locale = isSupportedLocale(person.locale) ? person.locale : DEFAULT_LOCALE;
      mails.push({ to: person.email, ...write(translator(locale), locale) });
    }
    await this.queueMany(trx, mails, options);
  }

  /**
   * Sends the batch's messages that are still queued, side by side over the pooled
   * connections; each is marked sent as soon as the server took it, so a retry after a
   * failure or a crash sends only what had not gone yet (at most once per message).
   */
  private async deliver(ids: readonly string[]): Promise<void> {
    const transport = this.transport;
    if (!transport) return;
    const messages = await repo.queuedMessages(this.db, ids);
    const results = await Promise.allSettled(
      messages.map(async (message) => {
        await transport.sendMail({
          from: this.options.from,
          to: message.recipient,
          subject: message.subject,
          text: message.body_text,
          // An alternative part (text/calendar; method=...), as calendar clients expect it.
          ...(message.calendar_method && message.calendar_content ? { icalEvent: { method: message.calendar_method, content: message.calendar_content } } : {}),
          headers: {
            'X-Northstar-Message': message.id,
            // One click in the mail program ends it, without a page to visit (RFC 2369, RFC 8058).
            ...(message.unsubscribe_url ? { 'List-Unsubscribe': `<${message.unsubscribe_url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
          },
        });
        await repo.markSent(this.db, message.id);
      }),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      // The job fails so the queue retries it later. Only the SMTP codes are reported: the
      // server's own text may quote the recipient's address, which must not reach a log.
      const reason = (failed[0] as PromiseRejectedResult).reason as { code?: string; responseCode?: number } | undefined;
      throw new Error(`${failed.length} of ${messages.length} messages not accepted by the SMTP server (${reason?.code ?? 'error'} ${reason?.responseCode ?? ''}); will retry`.trim());
    }
  }

  close(): void {
    this.transport?.close();
  }
}
