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
