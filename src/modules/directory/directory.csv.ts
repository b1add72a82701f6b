import { hxlCsv } from '../../platform/csv.ts';
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

export function directoryCsv(rows: Profile[], profileUrl: (slug: string) => string): string {
  return hxlCsv(
    COLUMNS.map((c) => c.header),
    COLUMNS.map((c) => c.hxl),
    rows.map((p) => COLUMNS.map((c) => c.value(p, profileUrl(p.slug)))),
  );
}
