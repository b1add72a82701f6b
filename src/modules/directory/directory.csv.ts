import { markdownToText } from '../../platform/markdown.ts';
import type { Profile } from './directory.service.ts';

/**
 * The directory as CSV for spreadsheets and humanitarian data tools: a header row for people,
 * then a row of HXL hashtags (Humanitarian Exchange Language) so tools such as HDX can read
 * the columns without guessing. Only what this reader may see is exported.
 */
const COLUMNS: { header: string; hxl: string; value: (p: Profile, url: string) => string }[] = [
  { header: 'name', hxl: '#org+name', value: (p) => p.name },
  { header: 'short_name', hxl: '#org+acronym', value: (p) => p.shortName ?? '' },
  { header: 'profile', hxl: '#meta+url', value: (_p, url) => url },
  { header: 'mission', hxl: '#description', value: (p) => (p.mission ? markdownToText(p.mission) : '') },
  { header: 'website', hxl: '#contact+url', value: (p) => p.website ?? '' },
  { header: 'year_founded', hxl: '#date+founded', value: (p) => (p.yearFounded ? String(p.yearFounded) : '') },
  { header: 'staff_size', hxl: '#meta+staff', value: (p) => p.staffSize ?? '' },
  { header: 'countries', hxl: '#country+code+list', value: (p) => p.countries.join(',') },
  { header: 'activities', hxl: '#sector+list', value: (p) => p.activities.join(',') },
  { header: 'stakeholders', hxl: '#beneficiary+type+list', value: (p) => p.stakeholders.join(',') },
  { header: 'prevention_share', hxl: '#meta+prevention', value: (p) => p.preventionShare ?? '' },
  { header: 'languages', hxl: '#meta+language+list', value: (p) => p.languages.join(',') },
  { header: 'diaspora_led', hxl: '#meta+diaspora', value: (p) => (p.diasporaLed === null ? '' : p.diasporaLed ? 'yes' : 'no') },
  { header: 'contact_email', hxl: '#contact+email', value: (p) => p.contactEmail ?? '' },
  { header: 'status', hxl: '#status', value: (p) => p.status },
];

function cell(value: string): string {
  // A cell a spreadsheet would run as a formula is made text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function directoryCsv(rows: Profile[], profileUrl: (slug: string) => string): string {
  const lines = [COLUMNS.map((c) => c.header), COLUMNS.map((c) => c.hxl), ...rows.map((p) => COLUMNS.map((c) => c.value(p, profileUrl(p.slug))))];
  // A byte-order mark so spreadsheet programs read Arabic and Burmese names as UTF-8.
  return `\ufeff${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}
