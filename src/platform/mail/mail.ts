import type { Transaction } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Jobs } from '../jobs/jobs.ts';
import * as repo from './mail.repository.ts';

/**
 * Mail goes out through SMTP (SMTP_URL) by a job, so it survives a crash and retries.
 * Without SMTP it stays in the outbox, which the convener reads in the app.
 */
export const MAIL_JOB = 'mail.send';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export class Mailer {
  private transport: Transporter | undefined;

  constructor(
    private db: Db,
    private jobs: Jobs,
    private options: { smtpUrl: string | undefined; from: string; isFinalAttempt?: () => boolean },
  ) {
    if (options.smtpUrl) this.transport = nodemailer.createTransport(options.smtpUrl);
    jobs.define(MAIL_JOB, (data) => this.deliver(String(data.id)));
  }

  get usesOutbox(): boolean {
    return !this.transport;
  }

  /** Call inside the transaction of the write that causes the mail. */
  async queue(trx: Transaction<DB>, mail: OutgoingMail): Promise<void> {
    const { id } = await repo.insertMessage(trx, {
      recipient: mail.to,
      subject: mail.subject,
      body_text: mail.text,
      status: this.transport ? 'queued' : 'outbox',
    });
    if (this.transport) await this.jobs.enqueue(trx, MAIL_JOB, { id });
  }

  private async deliver(id: string): Promise<void> {
    const message = await repo.findMessage(this.db, id);
    if (message?.status !== 'queued' || !this.transport) return; // already sent: at most once
    await this.transport.sendMail({
      from: this.options.from,
      to: message.recipient,
      subject: message.subject,
      text: message.body_text,
      headers: { 'X-Northstar-Message': id },
    });
    await repo.markSent(this.db, id);
  }

  close(): void {
    this.transport?.close();
  }
}
