import { hxlCsv } from '../../platform/csv.ts';
import type { AlertRow } from './alerts.repository.ts';
import type { SignRow } from './signs.repository.ts';

/**
 * Signs for other tools: CSV and JSON carry the same columns with an HXL hashtag row
 * (RISK-FRAMEWORK.md, "Exchange formats"). Only what the reader may see is ever passed in.
 */
const COLUMNS: { header: string; hxl: string; value: (s: SignRow, links: string[], url: string) => string }[] = [
  { header: 'country', hxl: '#country+code', value: (s) => s.country },
  { header: 'area', hxl: '#adm1+name', value: (s) => s.area ?? '' },
  { header: 'observed_on', hxl: '#date+occurred', value: (s) => s.observed_on },
  { header: 'reported_on', hxl: '#date+reported', value: (s) => s.reported_on },
  { header: 'risk_factors', hxl: '#x_riskfactor+code+list', value: (s) => s.factor_codes.join(',') },
  { header: 'indicators', hxl: '#indicator+code+list', value: (s) => s.indicator_codes.join(',') },
  { header: 'description', hxl: '#description', value: (s) => s.description },
  { header: 'organisation', hxl: '#org+name', value: (s) => s.organisation_name },
  { header: 'sources', hxl: '#meta+source+list', value: (_s, links) => links.join(' ') },
  { header: 'confidence', hxl: '#x_confidence', value: (s) => s.confidence },
  { header: 'sensitivity', hxl: '#x_sensitivity', value: (s) => s.sensitivity },
  { header: 'state', hxl: '#status', value: (s) => s.state },
  { header: 'language', hxl: '#x_language', value: (s) => s.language },
  { header: 'url', hxl: '#meta+url', value: (_s, _l, url) => url },
  { header: 'id', hxl: '#meta+id', value: (s) => s.id },
];

export function signsTable(signs: SignRow[], links: Map<string, string[]>, signUrl: (id: string) => string): string[][] {
  return [COLUMNS.map((c) => c.header), COLUMNS.map((c) => c.hxl), ...signs.map((s) => COLUMNS.map((c) => c.value(s, links.get(s.id) ?? [], signUrl(s.id))))];
}

export function signsCsv(signs: SignRow[], links: Map<string, string[]>, signUrl: (id: string) => string): string {
  const [headers, hashtags, ...rows] = signsTable(signs, links, signUrl);
  return hxlCsv(headers ?? [], hashtags ?? [], rows);
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Public alerts as an Atom feed (RFC 4287), newest first. */
export function alertsAtom(alerts: AlertRow[], opts: { feedUrl: string; siteUrl: string; title: string; entryTitle: (a: AlertRow) => string; alertUrl: (id: string) => string }): string {
  const updated = alerts.reduce((max, a) => {
    const t = (a.closed_at ?? a.confirmed_at ?? a.created_at).getTime();
    return t > max ? t : max;
  }, 0);
  const entries = alerts.map((a) => {
    const when = (a.closed_at ?? a.confirmed_at ?? a.created_at).toISOString();
    return [
      '<entry>',
      `<id>${xml(opts.alertUrl(a.id))}</id>`,
      `<title>${xml(opts.entryTitle(a))}</title>`,
      `<link rel="alternate" type="text/html" href="${xml(opts.alertUrl(a.id))}"/>`,
      `<updated>${when}</updated>`,
      `<published>${(a.confirmed_at ?? a.created_at).toISOString()}</published>`,
      `<author><name>${xml(a.organisation_name)}</name></author>`,
      `<category term="${xml(a.country)}" label="${xml(a.country)}"/>`,
      `<summary type="text">${xml(a.summary)}</summary>`,
      '</entry>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${xml(opts.feedUrl)}</id>`,
    `<title>${xml(opts.title)}</title>`,
    `<link rel="self" type="application/atom+xml" href="${xml(opts.feedUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${xml(opts.siteUrl)}"/>`,
    `<updated>${new Date(updated || Date.now()).toISOString()}</updated>`,
    ...entries,
    '</feed>',
  ].join('\n');
}
