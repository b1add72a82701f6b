import { today } from '../../../platform/calendar.ts';
import { ErrorSummary, Field, Form } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { day as calendarDay } from '../../../views/format.ts';
import type { FormState } from '../../../views/form.ts';
import { formatMoney } from '../money.ts';
import type { PaymentsService } from '../payments.service.ts';
import { ActingChoice } from './acting.tsx';

type LedgerData = Awaited<ReturnType<PaymentsService['ledger']>>;
export type PaidForm = FormState & { paymentId?: string };

/** A calendar day, or a dash when none was given. */
export function day(ctx: ViewContext, iso: string | null): string {
  return iso ? calendarDay(ctx, iso) : '—';
}

/**
 * What the organisation owes and paid for one consultation or piece of work, with "mark as
 * paid" for the staff of the organisation that owes it (`canMark`; co-organisers only read).
 */
export function Ledger({
  ctx,
  ledger,
  action,
  form: posted,
  canMark = true,
}: {
  ctx: ViewContext;
  ledger: LedgerData;
  action: (paymentId: string) => string;
  form?: PaidForm | undefined;
  canMark?: boolean;
}) {
  const { t, locale } = ctx.intl;
  const money = (minor: number, currency: string) => formatMoney(locale, minor, currency);
  return (
    <>
      <h3 id="payments">{t('payments.title')}</h3>
      {ledger.payments.length === 0 ? (
        <p>{t('payments.none')}</p>
      ) : (
        // A card per payment, not a table: on a phone a row's "mark as paid" form was off screen.
        <ul class="cards" aria-labelledby="payments">
          {ledger.payments.map((p) => {
            const form = posted?.paymentId === p.id ? posted : { values: { paidOn: today() }, errors: {} };
            const prefix = `payment-${p.id}-`;
            return (
              <li key={p.id} class={p.overdue ? 'overdue' : undefined}>
                <dl class="facts">
                  <dt>{t('payments.who')}</dt>
                  <dd dir="auto">{p.name ?? t('payments.formerParticipant')}</dd>
                  <dt>{t('payments.amount')}</dt>
                  <dd>{money(p.amount_minor, p.currency)}</dd>
                  <dt>{t('payments.status')}</dt>
                  <dd>{p.status === 'paid' ? t('payments.paidOn', { date: day(ctx, p.paid_on), method: p.method ?? '' }) : p.overdue ? t('payments.overdue') : t('payments.owed')}</dd>
                </dl>
                {p.status === 'owed' && canMark && (
                  <Form ctx={ctx} action={action(p.id)}>
                    <ErrorSummary ctx={ctx} errors={form.errors} summaryKey={form.summaryKey} idPrefix={prefix} />
                    <ActingChoice ctx={ctx} value={form.values.actingFor} errors={form.errors} id={`${prefix}actingFor`} />
                    <Field ctx={ctx} name="paidOn" id={`${prefix}paidOn`} label={t('payments.paidOnLabel')} value={form.values.paidOn} errors={form.errors} maxLength={10} />
                    <Field ctx={ctx} name="method" id={`${prefix}method`} label={t('payments.method')} hint={t('payments.methodHint')} value={form.values.method} errors={form.errors} maxLength={60} />
                    <button type="submit">{t('payments.markPaid')}</button>
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {ledger.totals.map((x) => (
        <p key={x.currency}>{t('payments.totals', { owed: money(x.owed, x.currency), paid: money(x.paid, x.currency) })}</p>
      ))}
    </>
  );
}
