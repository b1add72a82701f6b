import { ATOM_NS as ATOM, replaceForXml } from '../../platform/publishing.ts';
import { create } from 'xmlbuilder2';
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


/**
 * Public alerts as an Atom feed (RFC 4287), newest first. Built with xmlbuilder2, which escapes
 * markup and replaces forbidden characters (ADR 0017), and serialised with its well-formedness
 * check on, so a mistake here fails loudly instead of shipping a feed nobody can read. Only
 * what every visitor may read goes in: the alert itself, never its responses.
 */
export function alertsAtom(alerts: AlertRow[], opts: { feedUrl: string; siteUrl: string; title: string; entryTitle: (a: AlertRow) => string; alertUrl: (id: string) => string }): string {
  const updated = alerts.reduce((max, a) => {
    const t = (a.closed_at ?? a.confirmed_at ?? a.created_at).getTime();
    return t > max ? t : max;
  }, 0);
  const doc = create({ version: '1.0', encoding: 'utf-8', invalidCharReplacement: replaceForXml });
  const feed = doc.ele(ATOM, 'feed');
  feed.ele('id').txt(opts.feedUrl);
  feed.ele('title').txt(opts.title);
  feed.ele('link', { rel: 'self', type: 'application/atom+xml', href: opts.feedUrl });
  feed.ele('link', { rel: 'alternate', type: 'text/html', href: opts.siteUrl });
  feed.ele('updated').txt(new Date(updated || Date.now()).toISOString());
  for (const a of alerts) {
    const entry = feed.ele('entry');
    entry.ele('id').txt(opts.alertUrl(a.id));
    entry.ele('title').txt(opts.entryTitle(a));
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: opts.alertUrl(a.id) });
    entry.ele('updated').txt((a.closed_at ?? a.confirmed_at ?? a.created_at).toISOString());
    entry.ele('published').txt((a.confirmed_at ?? a.created_at).toISOString());
    entry.ele('author').ele('name').txt(a.organisation_name);
    entry.ele('category', { term: a.country, label: a.country });
    entry.ele('summary', { type: 'text' }).txt(a.summary);
  }
  return doc.end({ prettyPrint: true, wellFormed: true });
}
