import { create } from 'xmlbuilder2';
import { ATOM_NS as ATOM, replaceForXml, XML_NS } from '../../platform/publishing.ts';
import { hxlCsv } from '../../platform/csv.ts';
import { markdownToText } from '../../platform/markdown.ts';
import type { CommitmentListRow, CommitmentRow, RatingRow } from './commitments.repository.ts';
import type { PublishedStatement } from './exchange.repository.ts';
import type { PublicSignatories } from './signatories.ts';

/**
 * What the advocacy module publishes for other software: schema.org JSON-LD on the statement and
 * commitment pages, an Atom feed of published statements, CSV with HXL hashtags of the tracker.
 * Signatories come in only as `signatories.ts` shows them: organisations by name, individuals
 * by the name or role they chose, the rest as a count.
 */

export { scriptJson } from '../../platform/publishing.ts';

export interface Urls {
  statement: (id: string) => string;
  organisation: (slug: string) => string;
  commitment: (id: string) => string;
  post: (id: string) => string;
  person: (id: string) => string;
}

const SCHEMA_KIND: Record<string, string> = {
  joint_statement: 'CreativeWork',
  open_letter: 'Message',
  submission: 'Report',
  briefing: 'Report',
};

/**
 * A published statement as schema.org `CreativeWork` (an open letter as its subtype `Message`,
 * a submission or briefing as `Report`): the signatory organisations are its authors, the
 * version number is `version`, and each published translation is a `workTranslation`.
 */
export function statementJsonLd(
  s: PublishedStatement,
  signatories: PublicSignatories | undefined,
  translations: readonly { number: number; language: string; title: string }[],
  urls: Urls,
): Record<string, unknown> {
  const individuals = signatories?.individuals ?? [];
  return {
    '@context': 'https://schema.org',
    '@type': SCHEMA_KIND[s.kind] ?? 'CreativeWork',
    '@id': urls.statement(s.id),
    url: urls.statement(s.id),
    name: s.title,
    ...(s.summary ? { abstract: s.summary } : {}),
    text: markdownToText(s.body),
    inLanguage: s.language,
    datePublished: (s.version_published_at ?? s.published_at ?? new Date()).toISOString(),
    version: String(s.published_version),
    ...(s.countries.length > 0 ? { spatialCoverage: s.countries.map((c) => ({ '@type': 'Country', identifier: c })) } : {}),
    author: (signatories?.organisations ?? []).map((o) => ({ '@type': 'Organization', name: o.name, url: urls.organisation(o.slug) })),
    // Individuals who chose to be named or described; "counted only" co-signatories are never here.
    ...(individuals.length > 0
      ? { contributor: individuals.map((i) => (i.kind === 'name' ? { '@type': 'Person', name: i.name } : { '@type': 'Person', description: i.role })) }
      : {}),
    ...(translations.length > 0
      ? { workTranslation: translations.map((tr) => ({ '@type': 'CreativeWork', name: tr.title, inLanguage: tr.language, version: String(tr.number), url: `${urls.statement(s.id)}/versions/${tr.number}` })) }
      : {}),
  };
}

const RATING_VALUE: Record<string, number> = { broken: 1, stalled: 2, compromise: 3, in_the_works: 4, kept: 5 };

/**
 * A commitment as a schema.org `Claim` made by the person (holding the post) in their reply, and
 * each rating as a `ClaimReview` by the organisation that stands behind it, oldest first. The
 * ratings are on a 1–5 scale (broken 1 … kept 5) with the step's name as `alternateName`.
 */
export function commitmentJsonLd(c: CommitmentRow, ratings: readonly RatingRow[], urls: Urls, ratingName: (r: string) => string): Record<string, unknown>[] {
  const claimUrl = urls.commitment(c.id);
  const author = c.person_id
    ? { '@type': 'Person', name: c.person_name, url: urls.person(c.person_id), ...(c.post_label ? { jobTitle: c.post_label } : {}), ...(c.party_name ? { affiliation: { '@type': 'Organization', name: c.party_name } } : {}) }
    : c.post_id
      ? { '@type': 'Role', roleName: c.post_label, url: urls.post(c.post_id) }
      : undefined;
  const claim = {
    '@context': 'https://schema.org',
    '@type': 'Claim',
    '@id': claimUrl,
    url: claimUrl,
    text: c.quote,
    abstract: c.summary,
    dateCreated: c.received_on,
    ...(author ? { author } : {}),
    ...(c.countries.length > 0 ? { spatialCoverage: c.countries.map((code) => ({ '@type': 'Country', identifier: code })) } : {}),
    appearance: { '@type': 'CreativeWork', url: urls.statement(c.statement_id), ...(c.reply_link ? { sameAs: c.reply_link } : {}) },
  };
  const reviews = ratings.map((r) => ({
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    '@id': `${claimUrl}#rating-${r.id}`,
    url: `${claimUrl}#rating-${r.id}`,
    itemReviewed: { '@id': claimUrl },
    claimReviewed: c.summary,
    datePublished: r.rated_on,
    author: { '@type': 'Organization', name: r.organisation_name, url: urls.organisation(r.organisation_slug) },
    reviewRating: { '@type': 'Rating', ratingValue: RATING_VALUE[r.rating] ?? 0, bestRating: 5, worstRating: 1, alternateName: ratingName(r.rating) },
    ...(r.evidence_url ? { citation: r.evidence_url } : {}),
  }));
  return [claim, ...reviews];
}



/**
 * Published statements as Atom (RFC 4287), newest first, built with xmlbuilder2 and its
 * well-formedness check. Each entry's authors are the signatory organisations; individuals are
 * contributors by the name or role they chose, and all of them are counted in the summary.
 */
export function statementsAtom(
  statements: readonly PublishedStatement[],
  signatories: Map<string, PublicSignatories>,
  opts: { feedUrl: string; siteUrl: string; title: string; urls: Urls; countLine: (n: number) => string },
): string {
  const updated = statements.reduce((max, s) => Math.max(max, (s.version_published_at ?? s.published_at ?? new Date(0)).getTime()), 0);
  const doc = create({ version: '1.0', encoding: 'utf-8', invalidCharReplacement: replaceForXml });
  const feed = doc.ele(ATOM, 'feed');
  feed.ele('id').txt(opts.feedUrl);
  feed.ele('title').txt(opts.title);
  feed.ele('link', { rel: 'self', type: 'application/atom+xml', href: opts.feedUrl });
  feed.ele('link', { rel: 'alternate', type: 'text/html', href: opts.siteUrl });
  feed.ele('updated').txt(new Date(updated || Date.now()).toISOString());
  for (const s of statements) {
    const url = opts.urls.statement(s.id);
    const who = signatories.get(s.id);
    const entry = feed.ele('entry');
    entry.ele('id').txt(url);
    entry.ele('title').att(XML_NS, 'xml:lang', s.language).txt(s.title);
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: url, hreflang: s.language });
    entry.ele('published').txt((s.published_at ?? new Date()).toISOString());
    entry.ele('updated').txt((s.version_published_at ?? s.published_at ?? new Date()).toISOString());
    for (const o of who?.organisations ?? []) {
      const author = entry.ele('author');
      author.ele('name').txt(o.name);
      author.ele('uri').txt(opts.urls.organisation(o.slug));
    }
    // Individuals appear as they chose: by name or by the role they gave; the rest are counted.
    for (const i of who?.individuals ?? []) entry.ele('contributor').ele('name').txt(i.kind === 'name' ? i.name : i.role);
    for (const code of s.countries) entry.ele('category', { term: code });
    const count = who?.individualCount ?? 0;
    const summary = [s.summary || markdownToText(s.body).slice(0, 500), count > 0 ? opts.countLine(count) : ''].filter(Boolean).join('\n\n');
    entry.ele('summary', { type: 'text' }).att(XML_NS, 'xml:lang', s.language).txt(summary);
  }
  return doc.end({ prettyPrint: true, wellFormed: true });
}

/** The tracker as rows: the same columns in CSV (with an HXL hashtag row) for every filter. */
const COLUMNS: { header: string; hxl: string; value: (c: CommitmentListRow, urls: Urls) => string }[] = [
  { header: 'number', hxl: '#meta+id', value: (c) => String(c.number) },
  { header: 'summary', hxl: '#description+summary', value: (c) => c.summary },
  { header: 'quote', hxl: '#description+quote', value: (c) => c.quote },
  { header: 'post', hxl: '#x_post+name', value: (c) => c.post_label ?? '' },
  { header: 'person', hxl: '#contact+name', value: (c) => c.person_name ?? '' },
  { header: 'party', hxl: '#org+party+name', value: (c) => c.party_name ?? '' },
  { header: 'countries', hxl: '#country+code+list', value: (c) => c.countries.join(',') },
  { header: 'rating', hxl: '#status+rating', value: (c) => c.rating },
  { header: 'rated_on', hxl: '#date+rated', value: (c) => c.rated_on ?? '' },
  { header: 'made_on', hxl: '#date+reported', value: (c) => c.received_on },
  { header: 'statement_url', hxl: '#meta+source+url', value: (c, u) => u.statement(c.statement_id) },
  { header: 'url', hxl: '#meta+url', value: (c, u) => u.commitment(c.id) },
];

export function commitmentsCsv(rows: readonly CommitmentListRow[], urls: Urls): string {
  return hxlCsv(
    COLUMNS.map((c) => c.header),
    COLUMNS.map((c) => c.hxl),
    rows.map((r) => COLUMNS.map((c) => c.value(r, urls))),
  );
}
