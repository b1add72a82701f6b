import type { Platform } from '../../platform/context.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import { AppError } from '../../platform/errors.ts';
import * as mailRepo from '../../platform/mail/mail.repository.ts';
import type { Actor } from '../../platform/policy.ts';
import { outboxPolicy } from './outbox.policy.ts';

export interface OutboxListItem {
  id: string;
  /** null when withheld: a mail only its recipient may read. */
  recipient: string | null;
  subject: string;
  created_at: Date;
  withheld: boolean;
}

export type OutboxMessage =
  | { withheld: false; recipient: string; subject: string; body_text: string; created_at: Date }
  | { withheld: true; subject: string; created_at: Date };

/**
 * Mail that could not leave because no SMTP server is configured; the convener passes it on.
 * A mail that holds a secret for its recipient alone (a password-reset link) is listed so the
 * convener knows one was asked for, but its recipient and body are never shown to anyone: a
 * convener who could read reset links could take over any account. Reading any other mail
 * (they hold invitation links) is audited: who read which mail.
 */
export class OutboxService {
  constructor(private p: Platform) {}

  private check(actor: Actor) {
    if (!outboxPolicy.can(actor, 'read')) throw AppError.notFound();
  }

  async list(actor: Actor): Promise<OutboxListItem[]> {
    this.check(actor);
    const rows = await mailRepo.listOutbox(this.p.db, 200);
    return rows.map((r) => ({ id: r.id, recipient: r.holds_secret ? null : r.recipient, subject: r.subject, created_at: r.created_at, withheld: r.holds_secret }));
  }

  async read(actor: Actor, id: string): Promise<OutboxMessage> {
    this.check(actor);
    const message = await mailRepo.findMessage(this.p.db, id);
    if (message?.status !== 'outbox') throw AppError.notFound();
    if (message.holds_secret) return { withheld: true, subject: message.subject, created_at: message.created_at };
    await this.p.db.transaction().execute((trx) => audit(trx, actor, { action: 'mail.read', recordType: 'mail_message', recordId: id }));
    return { withheld: false, recipient: message.recipient, subject: message.subject, body_text: message.body_text, created_at: message.created_at };
  }

  get smtpConfigured(): boolean {
    return !this.p.mailer.usesOutbox;
  }
}
