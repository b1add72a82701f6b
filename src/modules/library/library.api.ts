import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../platform/api.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { parse } from '../../platform/validation.ts';
import { libraryPolicy } from './library.policy.ts';
import { ResourceIdParam, ResourceInput, SearchQuery } from './library.schemas.ts';
import type { LibraryService } from './library.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const ResultItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  url: Type.String({ format: 'uri' }),
  kind: Type.String({ description: 'report, briefing, podcast, video, writing, toolkit, case_study, training, funding or self_care' }),
  title: Type.String(),
  summary: Nullable(Type.String({ description: 'Null for a resource with a content warning: it is read on its page' })),
  contentWarning: Nullable(Type.String()),
  language: Type.String({ description: 'BCP 47' }),
  issuedOn: Nullable(Type.String({ format: 'date' })),
  countries: Type.Array(Type.String()),
  authors: Type.Array(Type.String()),
  organisation: Type.String({ description: 'The organisation that added it' }),
  visibility: Type.String({ description: 'public, network or organisations' }),
  passage: Nullable(Type.String({ description: 'The passage that matched the query' })),
  createdAt: Type.String({ format: 'date-time' }),
});

const Facet = Type.Object({ dimension: Type.String({ description: 'kind, language, country, activity, theme or recent' }), value: Type.String(), count: Type.Integer() });

const Resource = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  url: Type.String({ format: 'uri' }),
  kind: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  contentWarning: Nullable(Type.String()),
  language: Type.String(),
  issuedOn: Nullable(Type.String({ format: 'date' })),
  licence: Type.String(),
  link: Nullable(Type.String()),
  file: Type.Union([Type.Object({ url: Type.String({ format: 'uri' }), filename: Type.String(), mediaType: Type.String(), size: Type.Integer(), sha256: Type.String() }), Type.Null()]),
  textState: Type.String({ description: 'none, pending (the text of the file is being read), done or failed' }),
  countries: Type.Array(Type.String()),
  activities: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  authors: Type.Array(Type.Object({ name: Type.String(), organisationUrl: Nullable(Type.String({ format: 'uri' })) })),
  organisation: Type.String(),
  visibility: Type.String(),
  featured: Type.Boolean(),
  translations: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), url: Type.String({ format: 'uri' }), title: Type.String(), language: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** The library's API: the same search and the same per-record rule as the pages. */
export function libraryApi(app: FastifyInstance, library: LibraryService): void {
  const tags = ['library'];

  app.get(
    '/api/v1/library',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'Search the library (or list it, newest first, without q)',
        description: 'Words from anywhere in a title, summary or file text, in any language; results ranked, with the matching passage. Anonymous callers see public resources only.',
        querystring: SearchQuery,
        response: { 200: Type.Object({ page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer(), items: Type.Array(ResultItem), facets: Type.Array(Facet) }), ...errorResponses },
      },
    },
    async (req) => {
      const data = await library.search(req.actor, parse(SearchQuery, req.query));
      return {
        page: data.pager.page,
        pageSize: 20,
        total: data.pager.total,
        items: data.results.map((r) => ({
          id: r.id,
          number: r.number,
          url: library.urls.resource(r.id),
          kind: r.kind,
          title: r.title,
          summary: r.content_warning ? null : r.summary,
          contentWarning: r.content_warning,
          language: r.language,
          issuedOn: r.issued_on,
          countries: r.countries,
          authors: r.authors,
          organisation: r.organisation_name,
          visibility: r.visibility,
          passage: r.passage?.text ?? null,
          createdAt: r.created_at.toISOString(),
        })),
        facets: data.facets.map((f) => ({ dimension: f.dimension, value: f.value, count: f.n })),
      };
    },
  );

  app.get(
    '/api/v1/library/:id',
    { config: { access: PUBLIC }, schema: { tags, summary: 'One resource, if the caller may read it (404 otherwise)', params: ResourceIdParam, response: { 200: Resource, ...errorResponses } } },
    async (req) => {
      const { id } = parse(ResourceIdParam, req.params);
      const d = await library.resource(req.actor, id);
      const r = d.resource;
      return {
        id: r.id,
        number: r.number,
        url: library.urls.resource(r.id),
        kind: r.kind,
        title: r.title,
        summary: r.summary,
        contentWarning: r.content_warning,
        language: r.language,
        issuedOn: r.issued_on,
        licence: r.licence,
        link: r.link,
        file: d.file ? { url: library.urls.file(r.id), filename: d.file.filename, mediaType: d.file.media_type, size: d.file.size, sha256: d.file.sha256 } : null,
        textState: r.text_state,
        countries: r.countries,
        activities: r.activities,
        themes: r.themes,
        authors: d.authors.map((a) => ({ name: a.name ?? a.organisation_name ?? '', organisationUrl: a.organisation_slug ? library.urls.organisation(a.organisation_slug) : null })),
        organisation: r.organisation_name,
        visibility: r.visibility,
        featured: r.featured_at !== null,
        translations: d.translations.map((t) => ({ id: t.id, url: library.urls.resource(t.id), title: t.title, language: t.language })),
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
    },
  );

  app.post(
    '/api/v1/library',
    {
      config: { access: libraryPolicy.rule('add') },
      schema: {
        tags,
        summary: 'Add a resource with a link (files are uploaded through the form)',
        description: 'Added in the name of the organisation given as `actingFor`; a caller in one member organisation may leave it out, one in several must give it (400 otherwise).',
        body: ResourceInput,
        response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }), url: Type.String({ format: 'uri' }) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await library.add(req.actor, req.body as ResourceInput);
      return reply.status(201).send({ id, url: library.urls.resource(id) });
    },
  );
}
