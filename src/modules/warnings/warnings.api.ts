import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { errorResponses } from '../../platform/api.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { parse } from '../../platform/validation.ts';
import { IdParam } from '../../platform/schemas.ts';
import type { AlertRow } from './alerts.repository.ts';
import type { AlertsService } from './alerts.service.ts';
import type { PictureService } from './picture.service.ts';
import type { SignRow } from './signs.repository.ts';
import { CountryParam, SignInput, SignQuery } from './signs.schemas.ts';
import type { SignsService } from './signs.service.ts';
import { signFilters } from './warnings.pages.tsx';
import { warningsPolicy } from './warnings.policy.ts';

const Sign = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String({ format: 'uri' }),
  country: Type.String({ description: 'ISO 3166-1 alpha-3' }),
  area: Type.Union([Type.String(), Type.Null()]),
  observedOn: Type.String({ format: 'date' }),
  reportedOn: Type.String({ format: 'date' }),
  riskFactors: Type.Array(Type.String()),
  indicators: Type.Array(Type.String()),
  description: Type.String(),
  organisation: Type.String(),
  confidence: Type.String(),
  sensitivity: Type.String({ description: 'public, network or restricted (named organisations only)' }),
  state: Type.String({ description: 'unverified, corroborated, verified or disputed' }),
  language: Type.String(),
});

const Alert = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  url: Type.String({ format: 'uri' }),
  country: Type.String(),
  severity: Type.String(),
  status: Type.String({ description: 'proposed (awaiting a second organisation), active or closed' }),
  summary: Type.String(),
  actions: Type.Array(Type.String()),
  deadline: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  sensitivity: Type.String(),
  organisation: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
});

export function warningsApi(app: FastifyInstance, services: { signs: SignsService; picture: PictureService; alerts: AlertsService }, config: Config) {
  const { signs, picture, alerts } = services;
  const tags = ['early warning'];
  const url = (path: string) => new URL(path, config.publicUrl).href;
  const signJson = (s: SignRow) => ({
    id: s.id,
    url: url(`/signs/${s.id}`),
    country: s.country,
    area: s.area,
    observedOn: s.observed_on,
    reportedOn: s.reported_on,
    riskFactors: s.factor_codes,
    indicators: s.indicator_codes,
    description: s.description,
    organisation: s.organisation_name,
    confidence: s.confidence,
    sensitivity: s.sensitivity,
    state: s.state,
    language: s.language,
  });
  const alertJson = (a: AlertRow) => ({
    id: a.id,
    number: a.number,
    url: url(`/alerts/${a.id}`),
    country: a.country,
    severity: a.severity,
    status: a.status,
    summary: a.summary,
    actions: a.actions,
    deadline: a.deadline,
    sensitivity: a.sensitivity,
    organisation: a.organisation_name,
    outcome: a.outcome,
  });

  app.get(
    '/api/v1/signs',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'Warning signs the caller may see, newest first',
        description: 'Public signs for everyone; network signs for staff of member organisations and the convener; restricted signs only for the reporting and the named organisations.',
        querystring: SignQuery,
        response: { 200: Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(Sign) }), ...errorResponses },
      },
    },
    async (req) => {
      const data = await signs.list(req.actor, signFilters(req.query));
      return { total: data.total, page: data.page, pageSize: data.pageSize, items: data.signs.map(signJson) };
    },
  );

  app.post(
    '/api/v1/signs',
    {
      config: { access: warningsPolicy.rule('record') },
      schema: {
        tags,
        summary: 'Record a warning sign (sources as links; documents are uploaded through the form)',
        description: 'Recorded in the name of the organisation given as `actingFor`; a caller in one member organisation may leave it out, one in several must give it (400 otherwise).',
        body: SignInput,
        response: { 201: Type.Object({ id: Type.String(), url: Type.String() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await signs.record(req.actor, parse(SignInput, req.body));
      return reply.status(201).send({ id, url: url(`/signs/${id}`) });
    },
  );

  app.get(
    '/api/v1/signs/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'One warning sign with its sources and reviews',
        params: IdParam,
        response: {
          200: Type.Object({
            sign: Sign,
            sources: Type.Array(Type.Object({ url: Type.Union([Type.String(), Type.Null()]), document: Type.Union([Type.String(), Type.Null()]) })),
            reviews: Type.Array(Type.Object({ kind: Type.String(), organisation: Type.Union([Type.String(), Type.Null()]), body: Type.String(), at: Type.String({ format: 'date-time' }) })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { id } = parse(IdParam, req.params);
      const data = await signs.sign(req.actor, id);
      return {
        sign: signJson(data.sign),
        sources: data.sources.map((s) => ({ url: s.url, document: s.document_id ? url(`/signs/${id}/documents/${s.document_id}`) : null })),
        reviews: data.reviews.map((r) => ({ kind: r.kind, organisation: r.organisation_name, body: r.body, at: r.created_at.toISOString() })),
      };
    },
  );

  app.get(
    '/api/v1/countries/:code',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'A country picture: signs per risk factor and month, recent changes, the statistical forecast',
        params: CountryParam,
        response: {
          200: Type.Object({
            country: Type.String(),
            totalSigns: Type.Integer(),
            months: Type.Array(Type.String()),
            grid: Type.Array(Type.Object({ factor: Type.String(), month: Type.String(), count: Type.Integer() })),
            changes: Type.Array(
              Type.Object({ days: Type.Integer(), newSigns: Type.Integer(), corroborations: Type.Integer(), disputes: Type.Integer(), verifications: Type.Integer(), newFactors: Type.Array(Type.String()) }),
            ),
            forecast: Type.Union([
              Type.Object({
                source: Type.String(),
                edition: Type.String(),
                risk: Type.Number(),
                rank: Type.Union([Type.Integer(), Type.Null()]),
                ranked: Type.Integer(),
                firstYear: Type.Integer(),
                lastYear: Type.Integer(),
              }),
              Type.Null(),
            ]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { code } = parse(CountryParam, req.params);
      const d = await picture.country(req.actor, code);
      const f = d.forecast;
      return {
        country: d.country,
        totalSigns: d.total,
        months: d.months,
        grid: [...d.grid].map(([key, count]) => {
          const [factor = '', month = ''] = key.split('|');
          return { factor, month, count };
        }),
        changes: d.changes,
        forecast: f
          ? { source: 'Early Warning Project statistical risk assessment (outside context, not a network judgement)', edition: f.edition, risk: f.risk, rank: f.rank, ranked: Number(f.ranked), firstYear: f.first_year, lastYear: f.last_year }
          : null,
      };
    },
  );

  app.get(
    '/api/v1/alerts',
    {
      config: { access: PUBLIC },
      schema: { tags, summary: 'Alerts the caller may see (public ones once confirmed; all for the network)', response: { 200: Type.Object({ items: Type.Array(Alert) }), ...errorResponses } },
    },
    async (req) => {
      const data = await alerts.list(req.actor);
      return { items: [...data.proposed, ...data.active, ...data.closed].map(alertJson) };
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'One alert with its responses',
        description: 'Responses are read by staff of member organisations and the convener; anyone else receives only those the responding organisation made public.',
        params: IdParam,
        response: {
          200: Type.Object({
            alert: Alert,
            signs: Type.Array(Type.String({ format: 'uuid' })),
            responses: Type.Array(
              Type.Object({
                kind: Type.String(),
                organisation: Type.Union([Type.String(), Type.Null()]),
                body: Type.String(),
                at: Type.String({ format: 'date-time' }),
                public: Type.Boolean({ description: 'Made public by the responding organisation; callers outside the network receive only these' }),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { id } = parse(IdParam, req.params);
      const d = await alerts.alert(req.actor, id);
      return {
        alert: alertJson(d.alert),
        signs: d.signs.map((s) => s.id),
        responses: d.responses.map((r) => ({ kind: r.kind, organisation: r.organisation_name, body: r.body, at: r.created_at.toISOString(), public: r.public })),
      };
    },
  );
}
