import type { ViewContext } from './context.ts';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar date ('YYYY-MM-DD') in the reader's language; read as UTC so it never shifts. */
export function day(ctx: ViewContext, iso: string): string {
  const locale = ctx.intl.locale;
  let fmt = dayFormats.get(locale);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    dayFormats.set(locale, fmt);
  }
  return fmt.format(new Date(`${iso}T00:00:00Z`));
}

/**
 * How an instant is written in one zone: a 24-hour clock and the zone's name ("Tue, 20 Oct 2026,
 * 18:00 GMT+1"), so that two times side by side cannot be confused. Fields one by one: Intl
 * refuses timeZoneName beside dateStyle/timeStyle.
 */
export const ZONED_FIELDS = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' } as const;

const zonedFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant in a zone, in a language; `long` spells the weekday and month out (mails). */
export function zonedDateTime(locale: string, date: Date | string, timeZone: string, long = false): string {
  const key = `${locale}|${timeZone}|${long}`;
  let fmt = zonedFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, { ...ZONED_FIELDS, ...(long ? { weekday: 'long', month: 'long' } : {}), timeZone });
    zonedFormats.set(key, fmt);
  }
  return fmt.format(typeof date === 'string' ? new Date(date) : date);
}

/** An instant in a zone, in the reader's language (see ZONED_FIELDS). */
export function dateTimeIn(ctx: ViewContext, date: Date | string, timeZone: string): string {
  return zonedDateTime(ctx.intl.locale, date, timeZone);
}

const listFormats = new Map<string, Intl.ListFormat>();

/** Items as the reader's language lists them ("A, B, and C"; «A وB وC»), never a Latin comma in Arabic. */
export function listOf(ctx: ViewContext, items: readonly string[]): string {
  const locale = ctx.intl.locale;
  let fmt = listFormats.get(locale);
  if (!fmt) {
    fmt = new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' });
    listFormats.set(locale, fmt);
  }
  return fmt.format(items);
}
