import type { ComponentChildren } from 'preact';
import { remember } from '../../platform/countries.ts';

/*
 * The colour scale shared by the world map and the activity × stakeholder matrix.
 *
 * Classes have fixed lower bounds rather than quantiles of the data on screen: a colour then
 * means the same number on every page and from one month to the next, and a single new
 * organisation cannot reshuffle the whole map. With counts this small and this skewed (a few
 * host countries with many organisations, a long tail with one or two), quantile breaks would
 * also collapse into duplicate classes. The bounds grow roughly geometrically so that each class
 * is a meaningful step up from the one before.
 */
export const DEFAULT_BREAKS: readonly number[] = Object.freeze([1, 2, 5, 10, 20]);

/**
 * ColorBrewer GnBu, light to dark: sequential, safe for the common colour-vision deficiencies,
 * each step about 1.55:1 darker than the one before. The darkest is 10:1 against white, but the
 * two lightest are under 3:1 (WCAG 1.4.11), which is why the legend swatches get a dark outline
 * and every number is also in the table alternative.
 */
export const CLASS_FILLS: readonly string[] = Object.freeze(['#a8ddb5', '#4eb3d3', '#2b8cbe', '#0868ac', '#084081']);
/** Countries and cells with nothing in them: neutral, so no hue suggests a count. */
export const EMPTY_FILL = '#e6e6eb';
export const INK = '#1b1b1f';
export const MUTED_INK = '#4a4a55';
export const PAPER = '#ffffff';

function checkBreaks(breaks: readonly number[]): void {
  const ok = breaks.length === CLASS_FILLS.length && breaks.every((b, i) => Number.isInteger(b) && b >= 1 && (i === 0 || b > breaks[i - 1]!));
  if (!ok) throw new Error(`breaks must be ${CLASS_FILLS.length} increasing positive integers, got ${breaks.join(',')}`);
}

/** Index into CLASS_FILLS, or -1 for nothing (0, negative, NaN). */
export function classIndex(count: number, breaks: readonly number[] = DEFAULT_BREAKS): number {
  if (breaks !== DEFAULT_BREAKS) checkBreaks(breaks);
  if (!(count >= breaks[0]!)) return -1;
  let index = 0;
  while (index + 1 < breaks.length && count >= breaks[index + 1]!) index++;
  return index;
}

export function fillFor(count: number, breaks: readonly number[] = DEFAULT_BREAKS): string {
  const index = classIndex(count, breaks);
  return index < 0 ? EMPTY_FILL : CLASS_FILLS[index]!;
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Dark or white text, whichever reads better on this fill. */
export function textFillFor(fill: string): string {
  return contrastRatio(fill, INK) >= contrastRatio(fill, PAPER) ? INK : PAPER;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function numberFormat(locale: string): Intl.NumberFormat {
  return remember(numberFormats, locale, () => {
    try {
      return new Intl.NumberFormat(locale);
    } catch {
      return new Intl.NumberFormat('en');
    }
  });
}

const segmenters = new Map<string, Intl.Segmenter>();

/**
 * Shortens a label to at most `max` user-perceived characters, ending with an ellipsis. Counts
 * grapheme clusters, not UTF-16 units, so an Arabic letter and its vowel marks, or an emoji,
 * are never cut in half.
 */
export function truncate(text: string, max: number, locale = 'en'): string {
  const segmenter = remember(segmenters, locale, () => {
    try {
      return new Intl.Segmenter(locale, { granularity: 'grapheme' });
    } catch {
      return new Intl.Segmenter('en', { granularity: 'grapheme' });
    }
  });
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment);
  if (graphemes.length <= max) return text;
  // "agencies,…" reads as a typo: drop trailing spaces, commas, stops and dashes before the ellipsis.
  const kept = graphemes
    .slice(0, Math.max(1, max - 1))
    .join('')
    .replace(/[\s\p{Po}\p{Pd}]+$/u, '');
  return `${kept}…`;
}

/** Decoration that assistive technology should skip: axis labels, empty cells, tooltip targets. */
export function Hidden({ children }: { children: ComponentChildren }) {
  // biome-ignore lint/a11y/noAriaHiddenOnFocusable: Biome counts every SVG element as focusable; a <g> never is
  return <g aria-hidden="true">{children}</g>;
}

export interface LegendClass {
  fill: string;
  from: number;
  /** Inclusive upper bound; undefined for the open-ended top class. */
  to: number | undefined;
}

export function legendClasses(breaks: readonly number[] = DEFAULT_BREAKS): LegendClass[] {
  checkBreaks(breaks);
  return breaks.map((from, i) => {
    const next = breaks[i + 1];
    return { fill: CLASS_FILLS[i]!, from, to: next === undefined ? undefined : next - 1 };
  });
}

/** "1", "2–4", "20+" in the reader's digits, for when no translated wording is given. */
export function defaultLegendLabel(locale: string, from: number, to: number | undefined): string {
  const format = numberFormat(locale);
  if (to === undefined) return `${format.format(from)}+`;
  if (to === from) return format.format(from);
  return format.formatRange(from, to);
}

/**
 * The catalog's wording of a legend class ("1 organisation", "2–4", "20 or more"); `oneKey` names
 * what is counted in the class of one (organisations unless told: "1 sign").
 */
export function catalogLegendLabel(intl: { t: (key: string, values?: Record<string, string | number>) => string }, oneKey = 'map.legendOne') {
  const { t } = intl;
  return (from: number, to: number | undefined) =>
    to === undefined ? t('map.legendFrom', { from }) : from === to ? t(oneKey, { count: from }) : t('map.legendRange', { from, to });
}

/**
 * The key to the colours, as HTML rather than inside the chart's SVG so that it reflows and keeps
 * its text size on a phone. Each swatch is a tiny SVG because the CSP forbids inline styles.
 */
export function ChartLegend({
  locale,
  title,
  noneLabel,
  legendLabel,
  breaks = DEFAULT_BREAKS,
  idPrefix = 'chart',
}: {
  locale: string;
  title: string;
  /** Wording for the grey "none" swatch; left out of the key when not given. */
  noneLabel?: string | undefined;
  /** Translated wording for a class, e.g. "10 to 19 organisations"; `to` is undefined for the top class. */
  legendLabel?: ((from: number, to: number | undefined) => string) | undefined;
  breaks?: readonly number[] | undefined;
  idPrefix?: string | undefined;
}) {
  const titleId = `${idPrefix}-legend-title`;
  const items = legendClasses(breaks).map((c) => ({
    fill: c.fill,
    label: legendLabel ? legendLabel(c.from, c.to) : defaultLegendLabel(locale, c.from, c.to),
  }));
  if (noneLabel !== undefined) items.unshift({ fill: EMPTY_FILL, label: noneLabel });
  return (
    <div class="chart-legend">
      <p id={titleId} class="chart-legend-title">
        {title}
      </p>
      <ul aria-labelledby={titleId}>
        {items.map((item) => (
          <li key={item.fill}>
            <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
              <rect x="0.5" y="0.5" width="15" height="15" fill={item.fill} stroke={INK} stroke-width="1" />
            </svg>{' '}
            {item.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
