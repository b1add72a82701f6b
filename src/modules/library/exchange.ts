import { create } from 'xmlbuilder2';
import type { ResourceKind } from '../../db/schema/library.ts';
import { ATOM_NS, replaceForXml, XML_NS } from '../../platform/publishing.ts';

/**
 * What the library publishes for other software: schema.org JSON-LD on a resource's page and an
 * Atom feed of new public resources. Only what the reader of the page may see goes in.
 */
const SCHEMA_TYPE: Record<ResourceKind, string> = {
  report: 'Report',
  briefing: 'Report',
  podcast: 'PodcastEpisode',
  video: 'VideoObject',
  writing: 'CreativeWork',
  toolkit: 'HowTo',
  case_study: 'Article',
  training: 'LearningResource',
  funding: 'Grant',
  self_care: 'CreativeWork',
};

/** SPDX identifiers as the licence URLs schema.org `license` expects. */
const LICENCE_URL: Record<string, string> = {
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC-BY-SA-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'CC-BY-NC-4.0': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'CC-BY-NC-SA-4.0': 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
  'CC-BY-NC-ND-4.0': 'https://creativecommons.org/licenses/by-nc-nd/4.0/',
  'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
};

export interface JsonLdResource {
  url: string;
  kind: ResourceKind;
  title: string;
  summary: string;
  language: string;
  issuedOn: string | null;
  licence: string;
  link: string | null;
  fileUrl: string | null;
  fileType: string | null;
  countries: string[];
  authors: { name: string; url?: string | undefined; organisation: boolean }[];
  publisher: { name: string; url: string };
  translations: { url: string; title: string; language: string }[];
}

export function resourceJsonLd(r: JsonLdResource): Record<string, unknown> {
  const licence = LICENCE_URL[r.licence];
  const type = SCHEMA_TYPE[r.kind];
  return {
    '@context': 'https://schema.org',
    '@type': type,
    '@id': r.url,
    url: r.url,
    name: r.title,
    ...(r.summary ? { abstract: r.summary } : {}),
    inLanguage: r.language,
    ...(r.issuedOn ? { datePublished: r.issuedOn } : {}),
    ...(licence ? { license: licence } : {}),
    ...(r.link ? { sameAs: r.link } : {}),
    ...(r.fileUrl ? { encoding: { '@type': 'MediaObject', contentUrl: r.fileUrl, encodingFormat: r.fileType } } : {}),
    ...(r.countries.length > 0 ? { spatialCoverage: r.countries.map((c) => ({ '@type': 'Country', identifier: c })) } : {}),
    ...(r.authors.length > 0
      ? { author: r.authors.map((a) => ({ '@type': a.organisation ? 'Organization' : 'Person', name: a.name, ...(a.url ? { url: a.url } : {}) })) }
      : {}),
    // A grant is funded by someone rather than published; the others are published by the adding organisation.
    ...(type === 'Grant' ? { funder: { '@type': 'Organization', name: r.publisher.name, url: r.publisher.url } } : { publisher: { '@type': 'Organization', name: r.publisher.name, url: r.publisher.url } }),
    ...(r.translations.length > 0
      ? { workTranslation: r.translations.map((t) => ({ '@type': type, '@id': t.url, url: t.url, name: t.title, inLanguage: t.language })) }
      : {}),
  };
}

export interface FeedEntry {
  url: string;
  title: string;
  summary: string;
  language: string;
  kind: string;
  countries: string[];
  authors: string[];
  organisation: string;
  published: Date;
  updated: Date;
}

/** New public resources as Atom (RFC 4287), newest first. */
export function libraryAtom(entries: readonly FeedEntry[], opts: { feedUrl: string; siteUrl: string; title: string }): string {
  const updated = entries.reduce((max, e) => Math.max(max, e.updated.getTime()), 0);
  const doc = create({ version: '1.0', encoding: 'utf-8', invalidCharReplacement: replaceForXml });
  const feed = doc.ele(ATOM_NS, 'feed');
  feed.ele('id').txt(opts.feedUrl);
  feed.ele('title').txt(opts.title);
  feed.ele('link', { rel: 'self', type: 'application/atom+xml', href: opts.feedUrl });
  feed.ele('link', { rel: 'alternate', type: 'text/html', href: opts.siteUrl });
  feed.ele('updated').txt(new Date(updated || Date.now()).toISOString());
  for (const e of entries) {
    const entry = feed.ele('entry');
    entry.ele('id').txt(e.url);
    entry.ele('title').att(XML_NS, 'xml:lang', e.language).txt(e.title);
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: e.url, hreflang: e.language });
    entry.ele('published').txt(e.published.toISOString());
    entry.ele('updated').txt(e.updated.toISOString());
    const names = e.authors.length > 0 ? e.authors : [e.organisation];
    for (const name of names) entry.ele('author').ele('name').txt(name);
    entry.ele('category', { term: e.kind });
    for (const code of e.countries) entry.ele('category', { term: code });
    if (e.summary) entry.ele('summary', { type: 'text' }).att(XML_NS, 'xml:lang', e.language).txt(e.summary);
  }
  return doc.end({ prettyPrint: true, wellFormed: true });
}
