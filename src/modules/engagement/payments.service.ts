import { today } from '../../platform/calendar.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { PersonActor } from '../../platform/policy.ts';
import type { PaidInput } from './engagement.schemas.ts';
import { actingAsOwner } from './acting.ts';
import { formatMoney } from './money.ts';
import * as repo from './payments.repository.ts';
import type { LedgerOf } from './payments.repository.ts';

export const PAYMENT_DUE_JOB = 'engagement.paymentDue';


/**
 * The payments ledger shared by consultations and the opportunities board: what is owed to
 * whom, when it was paid and how (never bank details), and a reminder to the organisation
 * when a payment is still owed on the day it falls due.
 */
export class PaymentsService {
  constructor(private p: Platform) {
    p.jobs.define(PAYMENT_DUE_JOB, (data) => this.remindIfOwed(String(data.paymentId)));
  }

  /** Records (or corrects, while still owed) what the organisation owes this person. */
  async owe(trx: Transaction<DB>, me: PersonActor, of: LedgerOf, p: { organisationId: string; personId: string; amountMinor: number; currency: string }): Promise<string> {
    const owed = await repo.owedPayment(trx, of, p.organisationId, p.personId);
    if (owed) {
      await repo.updateOwed(trx, owed.id, p.amountMinor, p.currency);
      return owed.id;
    }
    const id = await repo.insertPayment(trx, of, { organisation_id: p.organisationId, person_id: p.personId, amount_minor: p.amountMinor, currency: p.currency, created_by: me.id });
    const startAfter = new Date(Date.now() + this.p.config.paymentOverdueDays * 86_400_000);
    await this.p.jobs.enqueue(trx, PAYMENT_DUE_JOB, { paymentId: id }, { startAfter });
    return id;
  }

/**
   * Only the organisation that owes a payment marks it paid: a co-organiser of the
   * consultation sees the ledger but cannot settle, or pretend to settle, another's debt.
   * `chosen` is the form's `actingFor`; someone in several organisations says which.
   */
  async markPaid(me: PersonActor, of: LedgerOf, paymentId: string, input: PaidInput, chosen: unknown): Promise<void> {
    const organisationId = actingAsOwner(me, chosen, [await repo.owingOrganisation(this.p.db, of, paymentId)]);
    if (input.paidOn > today()) throw AppError.field('paidOn', 'errors.paidFuture');
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.markPaid(trx, of, paymentId, organisationId, input.paidOn, input.method.trim()))) throw AppError.notFound();
      await audit(trx, me, { action: 'payment.paid', recordType: 'payment', recordId: paymentId });
    });
  }

  /** Payments with those past due flagged, and totals per currency, for the organisers. */
  async ledger(of: LedgerOf) {
    const payments = await repo.paymentsOf(this.p.db, of);
    const overdueBefore = new Date(Date.now() - this.p.config.paymentOverdueDays * 86_400_000);
    const totals = new Map<string, { owed: number; paid: number }>();
    for (const pay of payments) {
      const t = totals.get(pay.currency) ?? { owed: 0, paid: 0 };
      if (pay.status === 'paid') t.paid += pay.amount_minor;
      else t.owed += pay.amount_minor;
      totals.set(pay.currency, t);
    }
    return {
      payments: payments.map((pay) => ({ ...pay, overdue: pay.status === 'owed' && pay.created_at < overdueBefore })),
      totals: [...totals].map(([currency, t]) => ({ currency, ...t })),
    };
  }

  forPerson(personId: string) {
    return repo.paymentsOfPerson(this.p.db, personId);
  }

  totalsByOrganisation() {
    return repo.totalsByOrganisation(this.p.db);
  }

  /** Runs when a payment falls due: still owed, the organisation's staff are reminded once. */
  async remindIfOwed(paymentId: string): Promise<void> {
    const payment = await repo.findPayment(this.p.db, paymentId);
    if (payment?.status !== 'owed') return;
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.markReminded(trx, paymentId))) return;
      const contacts = await repo.organisationContacts(trx, payment.organisation_id);
      const path = payment.opportunity_id ? `/opportunities/${payment.opportunity_id}#payments` : `/consultations/${payment.consultation_id}#payments`;
      const url = new URL(path, this.p.config.publicUrl).href;
      const title = payment.consultation_title ?? payment.opportunity_title ?? '';
      await this.p.mailer.queueInTheirLanguage(trx, contacts, (t, locale) => ({
        subject: t('mail.paymentOverdue.subject', { title }),
        text: t('mail.paymentOverdue.body', { title, amount: formatMoney(locale, payment.amount_minor, payment.currency), days: this.p.config.paymentOverdueDays, url }),
      }));
      await audit(trx, null, { action: 'payment.reminded', recordType: 'payment', recordId: paymentId });
    });
  }
}
