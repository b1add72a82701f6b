import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { errorResponses } from '../../platform/api.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { parse } from '../../platform/validation.ts';
import { directoryFilters } from './directory.pages.tsx';
import { DirectoryQuery, SlugParam } from './directory.schemas.ts';
import type { DirectoryService, Profile } from './directory.service.ts';

const nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);

const Organisation = Type.Object({
  slug: Type.String(),
  url: Type.String({ format: 'uri', description: 'The profile page' }),
  name: Type.String(),
  shortName: nullable(Type.String()),
  mission: nullable(Type.String({ description: 'Markdown' })),
  website: nullable(Type.String()),
  yearFounded: Type.Union([Type.Integer(), Type.Null()]),
  staffSize: nullable(Type.String()),
  countries: Type.Array(Type.String(), { description: 'ISO 3166-1 alpha-3' }),
  activities: Type.Array(Type.String()),
  stakeholders: Type.Array(Type.String()),
  preventionShare: nullable(Type.String()),
  languages: Type.Array(Type.String()),
  diasporaLed: Type.Union([Type.Boolean(), Type.Null()]),
  contactEmail: nullable(Type.String()),
  membersOnly: Type.Array(Type.String(), { description: 'Fields hidden from the public (shown to members only; empty for the public)' }),
  status: Type.String(),
});

const Counts = Type.Record(Type.String(), Type.Integer());

export function directoryApi(app: FastifyInstance, directory: DirectoryService, config: Config) {
  const tags = ['directory'];
  const json = (p: Profile) => {
    const { id: _id, isDemo: _d, updatedAt: _u, ...rest } = p;
    return { ...rest, url: new URL(`/directory/${p.slug}`, config.publicUrl).href };
  };

  app.get(
    '/api/v1/organisations',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'The directory: search and filters, with counts per filter value',
        description:
          'Public. Members-only fields are empty for readers who are not members, and are never matched by search or filters for them. `q` matches names (tolerating small misspellings) and missions, in any script.',
        querystring: DirectoryQuery,
        response: {
          200: Type.Object({
            total: Type.Integer(),
            page: Type.Integer(),
            pages: Type.Integer(),
            pageSize: Type.Integer(),
            items: Type.Array(Organisation),
            facets: Type.Object({ activity: Counts, stakeholder: Counts, country: Counts, language: Counts, diasporaLed: Counts }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const data = await directory.list(req.actor, directoryFilters(req.query));
      const counts = (m: Map<string, number>) => Object.fromEntries(m);
      return {
        total: data.total,
        page: data.page,
        pages: data.pages,
        pageSize: data.items.length,
        items: data.items.map(json),
        facets: {
          activity: counts(data.facets.activity),
          stakeholder: counts(data.facets.stakeholder),
          country: counts(data.facets.country),
          language: counts(data.facets.language),
          diasporaLed: counts(data.facets.diasporaLed),
        },
      };
    },
  );

  app.get(
    '/api/v1/organisations/:slug',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'One organisation, with the organisations that work on the same countries and activities',
        params: SlugParam,
        response: {
          200: Type.Object({
            organisation: Organisation,
            related: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), sharedCountries: Type.Array(Type.String()), sharedActivities: Type.Array(Type.String()) })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { slug } = parse(SlugParam, req.params);
      const data = await directory.profile(req.actor, slug);
      return {
        organisation: json(data.profile),
        related: data.related.map((r) => ({ slug: r.slug, name: r.name, sharedCountries: r.shared_countries, sharedActivities: r.shared_activities })),
      };
    },
  );
}
