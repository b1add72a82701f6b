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

const zonedFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as a date and time in a given IANA zone, in the reader's language, with the zone
 * named ("18:00 GMT", "20:00 EET") so that two times side by side cannot be confused.
 */
export function dateTimeIn(ctx: ViewContext, date: Date | string, timeZone: string): string {
  const locale = ctx.intl.locale;
  const key = `${locale}|${timeZone}`;
  let fmt = zonedFormats.get(key);
  if (!fmt) {
    // Fields rather than dateStyle/timeStyle: Intl refuses timeZoneName beside those styles.
    fmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
    zonedFormats.set(key, fmt);
  }
  return fmt.format(typeof date === 'string' ? new Date(date) : date);
}
