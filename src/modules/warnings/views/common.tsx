import { countryName } from '../../../platform/countries.ts';
import type { ViewContext } from '../../../views/context.ts';
import { day } from '../../../views/format.ts';
import type { Framework } from '../framework.ts';

export { day };

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM' as a short month and year ("Mar 2026"). */
export function month(ctx: ViewContext, ym: string): string {
  const locale = ctx.intl.locale;
  let fmt = monthFormats.get(locale);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
    monthFormats.set(locale, fmt);
  }
  return fmt.format(new Date(`${ym}-01T00:00:00Z`));
}

/** The last day of a 'YYYY-MM' month, for links to the signs of that month. */
export function monthEnd(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function StateBadge({ ctx, state }: { ctx: ViewContext; state: string }) {
  return <span class={`badge state-${state}`}>{ctx.intl.t(`signs.state.${state}`)}</span>;
}

export function SensitivityBadge({ ctx, sensitivity }: { ctx: ViewContext; sensitivity: string }) {
  return <span class={`badge sensitivity-${sensitivity}`}>{ctx.intl.t(`signs.sensitivity.${sensitivity}`)}</span>;
}

/** "7.4 Stockpiling weapons" for each code, in the reader's language. */
export function Codes({ ctx, framework, codes }: { ctx: ViewContext; framework: Framework; codes: readonly string[] }) {
  return (
    <ul class="tags">
      {codes.map((c) => (
        <li key={c}>
          <abbr title={framework.label(c, ctx.intl.locale)}>{c}</abbr> {framework.label(c, ctx.intl.locale)}
        </li>
      ))}
    </ul>
  );
}

export function CountryLink({ ctx, code }: { ctx: ViewContext; code: string }) {
  return <a href={`/countries/${code}`}>{countryName(ctx.intl.locale, code)}</a>;
}

/** Where a list of signs or a form is, in three steps or fewer. */
export function Steps({ ctx, steps, current }: { ctx: ViewContext; steps: string[]; current: number }) {
  const { t, number } = ctx.intl;
  return (
    <div class="steps">
      <label for="steps-progress">{t('steps.progress', { current: number(current), total: number(steps.length) })}</label>
      <progress id="steps-progress" value={current} max={steps.length}>
        {t('steps.progress', { current: number(current), total: number(steps.length) })}
      </progress>
      <ol>
        {steps.map((s, i) => (
          <li key={s} aria-current={i + 1 === current ? 'step' : undefined}>
            {s}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Statements by organisations, oldest first: reviews of a sign, responses to an alert. */
export function Statements({
  ctx,
  items,
  kindLabel,
  publicLabel,
}: {
  ctx: ViewContext;
  items: { id: string; kind: string; body: string; organisation_name: string | null; created_at: Date; public?: boolean }[];
  kindLabel: (kind: string) => string;
  /** For alert responses: marks the ones anyone may read (the rest are the network's). */
  publicLabel?: string;
}) {
  const { t, dateTime } = ctx.intl;
  return (
    <ol class="timeline">
      {items.map((r) => (
        <li key={r.id}>
          <strong>{kindLabel(r.kind)}</strong> · {r.organisation_name ?? t('signs.secretariat')} · {dateTime(r.created_at)}
          {publicLabel && r.public && <> <span class="badge sensitivity-public">{publicLabel}</span></>}
          {r.body && (
            <p dir="auto" class="pre">
              {r.body}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
