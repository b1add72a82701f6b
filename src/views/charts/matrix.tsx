import { TableWrap } from '../components.tsx';
import { DEFAULT_BREAKS, fillFor, Hidden, INK, MUTED_INK, numberFormat, PAPER, textFillFor, truncate } from './scale.tsx';

/** The key of a cell in `counts`. */
export function cellKey(row: string, column: string): string {
  return `${row}|${column}`;
}

// Sized so that ten columns and 25-character row labels fit the 46rem main column at 1:1 scale;
// the SVG gets a fixed width and height so its text is never scaled below 13px on a phone (the
// caller puts it in a scrolling TableWrap instead).
const FONT_SIZE = 13;
const CELL_W = 44;
const CELL_H = 30;
const ROW_LABEL_W = 200;
const ROW_LABEL_MAX = 25;
const COLUMN_LABEL_MAX = 22;
/** Vertical room for the headings, which run at 45° from the top of each column. */
const HEADER_H = 122;
/** Room beside the last column for its heading to run into. */
const OVERHANG = 92;
const PAD = 8;

export interface MatrixProps {
  /** Stakeholder codes, top to bottom. */
  rows: readonly string[];
  /** Activity codes, in reading order. */
  columns: readonly string[];
  /** Organisations per cell, keyed by cellKey(row, column). */
  counts: ReadonlyMap<string, number>;
  href: (row: string, column: string) => string;
  rowLabel: (row: string) => string;
  columnLabel: (column: string) => string;
  /** The link's accessible name, naming both the row and the column, e.g. "Survivors × Documentation: 4 organisations". */
  cellLabel: (row: string, column: string, count: number) => string;
  title: string;
  description: string;
  dir: 'ltr' | 'rtl';
  locale: string;
  idPrefix?: string | undefined;
  breaks?: readonly number[] | undefined;
}

/** A label shortened to fit, with the full text as a tooltip when it had to be cut. */
function Label({ text, max, locale, ...attrs }: { text: string; max: number; locale: string; x: number; y: number; 'text-anchor': string; transform?: string }) {
  const shown = truncate(text, max, locale);
  return (
    <Hidden>
      {shown !== text && <title>{text}</title>}
      <text {...attrs} dy="0.35em" fill={INK}>
        {shown}
      </text>
    </Hidden>
  );
}

/**
 * Stakeholders down the side, activities across the top, each cell shaded by the number of
 * organisations and linking to them.
 *
 * Right to left, the whole layout is mirrored: labels on the right, the first activity in the
 * rightmost column, headings leaning left. The SVG's `direction` is set explicitly, and
 * text-anchor start/end follow it, so the same anchors put the text on the correct side in both
 * directions (row labels end next to the grid, headings start at their column).
 *
 * The axis labels are hidden from assistive technology: each link's name already says both the
 * stakeholder and the activity, and the MatrixTable is the structured alternative.
 */
export function Matrix({
  rows,
  columns,
  counts,
  href,
  rowLabel,
  columnLabel,
  cellLabel,
  title,
  description,
  dir,
  locale,
  idPrefix = 'matrix',
  breaks = DEFAULT_BREAKS,
}: MatrixProps) {
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const width = ROW_LABEL_W + columns.length * CELL_W + OVERHANG;
  const height = HEADER_H + rows.length * CELL_H + PAD;
  const rtl = dir === 'rtl';
  /** Mirrors a left-to-right x coordinate, or a box of width w starting at x. */
  const x = (ltrX: number, w = 0) => (rtl ? width - ltrX - w : ltrX);
  const format = numberFormat(locale);
  const columnCentre = (c: number) => x(ROW_LABEL_W + c * CELL_W + CELL_W / 2);
  const rowTop = (r: number) => HEADER_H + r * CELL_H;

  return (
    // biome-ignore lint/a11y/useSemanticElements: an <svg> cannot be a <fieldset>; "group" keeps its links reachable where "img" would hide them
    <svg
      class="chart matrix"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="group"
      aria-labelledby={titleId}
      aria-describedby={descId}
      direction={dir}
      font-size={FONT_SIZE}
    >
      <title id={titleId}>{title}</title>
      <desc id={descId}>{description}</desc>
      {columns.map((column, c) => {
        const cx = columnCentre(c);
        const y = HEADER_H - PAD;
        return (
          <Label
            key={column}
            text={columnLabel(column)}
            max={COLUMN_LABEL_MAX}
            locale={locale}
            x={cx}
            y={y}
            text-anchor="start"
            transform={`rotate(${rtl ? 45 : -45} ${cx} ${y})`}
          />
        );
      })}
      {rows.map((row, r) => (
        <g key={row}>
          <Label text={rowLabel(row)} max={ROW_LABEL_MAX} locale={locale} x={x(ROW_LABEL_W - PAD)} y={rowTop(r) + CELL_H / 2} text-anchor="end" />
          {columns.map((column, c) => {
            const count = counts.get(cellKey(row, column)) ?? 0;
            const fill = fillFor(count, breaks);
            const rect = (
              <rect x={x(ROW_LABEL_W + c * CELL_W, CELL_W)} y={rowTop(r)} width={CELL_W} height={CELL_H} fill={fill} stroke={PAPER} stroke-width="2" />
            );
            const number = (
              <text x={columnCentre(c)} y={rowTop(r) + CELL_H / 2} dy="0.35em" text-anchor="middle" fill={count > 0 ? textFillFor(fill) : MUTED_INK}>
                {format.format(count > 0 ? count : 0)}
              </text>
            );
            if (!(count > 0)) {
              return (
                <Hidden key={column}>
                  {rect}
                  {number}
                </Hidden>
              );
            }
            const name = cellLabel(row, column, count);
            return (
              <a key={column} href={href(row, column)} aria-label={name}>
                {/* Tooltip for the mouse, on a hidden group so it is not read again as a description. */}
                <Hidden>
                  <title>{name}</title>
                  {rect}
                  {number}
                </Hidden>
              </a>
            );
          })}
        </g>
      ))}
    </svg>
  );
}

export interface MatrixTableProps {
  rows: readonly string[];
  columns: readonly string[];
  counts: ReadonlyMap<string, number>;
  href: (row: string, column: string) => string;
  rowLabel: (row: string) => string;
  columnLabel: (column: string) => string;
  caption: string;
  /** Heading of the first column, over the row names (e.g. "Stakeholder"). */
  rowHeader: string;
  locale: string;
}

/** The matrix as a data table, the same rows and columns in the same order. */
export function MatrixTable({ rows, columns, counts, href, rowLabel, columnLabel, caption, rowHeader, locale }: MatrixTableProps) {
  const format = numberFormat(locale);
  return (
    <TableWrap label={caption}>
      <table class="matrix-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {columnLabel(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row}>
              <th scope="row">{rowLabel(row)}</th>
              {columns.map((column) => {
                const count = counts.get(cellKey(row, column)) ?? 0;
                return <td key={column}>{count > 0 ? <a href={href(row, column)}>{format.format(count)}</a> : format.format(0)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

