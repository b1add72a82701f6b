import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import * as mailRepo from '../../platform/mail/mail.repository.ts';
import type { Actor } from '../../platform/policy.ts';
import { outboxPolicy } from './outbox.policy.ts';

/** Mail that could not leave because no SMTP server is configured; the convener passes it on. */
export class OutboxService {
  constructor(private p: Platform) {}

  private check(actor: Actor) {
    if (!outboxPolicy.can(actor, 'read')) throw AppError.notFound();
  }

  async list(actor: Actor) {
    this.check(actor);
    return mailRepo.listOutbox(this.p.db, 200);
  }

  async read(actor: Actor, id: string) {
    this.check(actor);
    const message = await mailRepo.findMessage(this.p.db, id);
    if (message?.status !== 'outbox') throw AppError.notFound();
    return message;
  }

  get smtpConfigured(): boolean {
    return !this.p.mailer.usesOutbox;
  }
}
