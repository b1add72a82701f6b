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
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('payments.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('payments.who')}</th>
                <th scope="col">{t('payments.amount')}</th>
                <th scope="col">{t('payments.status')}</th>
                <th scope="col">{t('payments.action')}</th>
              </tr>
            </thead>
            <tbody>
              {ledger.payments.map((p) => {
                const form = posted?.paymentId === p.id ? posted : { values: { paidOn: today() }, errors: {} };
                return (
                  <tr key={p.id} class={p.overdue ? 'overdue' : undefined}>
                    <td>{p.name ?? t('payments.formerParticipant')}</td>
                    <td>{money(p.amount_minor, p.currency)}</td>
                    <td>{p.status === 'paid' ? t('payments.paidOn', { date: day(ctx, p.paid_on), method: p.method ?? '' }) : p.overdue ? t('payments.overdue') : t('payments.owed')}</td>
                    <td>
                      {p.status === 'owed' && canMark && (
                        <Form ctx={ctx} action={action(p.id)}>
                          <ErrorSummary ctx={ctx} errors={form.errors} summaryKey={form.summaryKey} />
                          <ActingChoice ctx={ctx} value={form.values.actingFor} errors={form.errors} />
                          <Field ctx={ctx} name="paidOn" label={t('payments.paidOnLabel')} value={form.values.paidOn} errors={form.errors} maxLength={10} />
                          <Field ctx={ctx} name="method" label={t('payments.method')} hint={t('payments.methodHint')} value={form.values.method} errors={form.errors} maxLength={60} />
                          <button type="submit">{t('payments.markPaid')}</button>
                        </Form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {ledger.totals.map((x) => (
        <p key={x.currency}>{t('payments.totals', { owed: money(x.owed, x.currency), paid: money(x.paid, x.currency) })}</p>
      ))}
    </>
  );
}
