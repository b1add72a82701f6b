/** A cell a spreadsheet would run as a formula is made text; quotes where CSV needs them. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A CSV document: a header row for people, a row of HXL hashtags (Humanitarian Exchange
 * Language) so tools such as HDX read the columns without guessing, then the data. A
 * byte-order mark so spreadsheet programs read Arabic and Burmese as UTF-8.
 */
export function hxlCsv(headers: readonly string[], hashtags: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [headers, hashtags, ...rows];
  return `\ufeff${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
