import type { ViewContext } from '../../../views/context.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as a date and time in one zone, in the reader's language, with the zone named.
 * views/format.ts `dateTimeIn` asks Intl for dateStyle with timeZoneName, which Intl refuses
 * (TypeError): until it is mended there, the agenda's pages spell the fields out.
 */
export function zonedDateTime(ctx: ViewContext, date: Date, timeZone: string): string {
  const key = `${ctx.intl.locale}|${timeZone}`;
  let fmt = formats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(ctx.intl.locale, { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
    formats.set(key, fmt);
  }
  return fmt.format(date);
}
