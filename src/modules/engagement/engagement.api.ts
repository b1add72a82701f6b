import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { errorResponses } from '../../platform/api.ts';
import { PUBLIC } from '../../platform/policy.ts';
import type { ConsultationsService } from './consultations.service.ts';
import { fromMinor } from './money.ts';
import type { OpportunitiesService } from './opportunities.service.ts';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** Money as a decimal string in the currency's own minor digits, so no float rounding. */
const Money = Type.Object({ amount: Type.String({ examples: ['25.50'] }), currency: Type.String({ description: 'ISO 4217' }) });

const Consultation = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String({ format: 'uri' }),
  title: Type.String(),
  state: Type.String({ description: 'draft (organisers only), open, closed (waiting for feedback) or loop_closed' }),
  format: Type.String({ description: 'meeting, online, survey or interview' }),
  startsOn: nullable(Type.String({ format: 'date' })),
  endsOn: nullable(Type.String({ format: 'date' })),
  organisation: Type.String(),
});

const Opportunity = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String({ format: 'uri' }),
  kind: Type.String({ description: 'translation, interpreting, design, catering, facilitation or research' }),
  title: Type.String(),
  pay: Money,
  per: Type.String({ description: 'hour, day or task (the whole job)' }),
  languages: Type.Array(Type.String()),
  deadline: Type.String({ format: 'date' }),
  state: Type.String({ description: 'open, awarded or withdrawn' }),
  organisation: Type.String(),
});

const TrackRecord = Type.Object({
  organisation: Type.String(),
  url: Type.String({ format: 'uri' }),
  consultationsRun: Type.Integer(),
  consultationsEnded: Type.Integer(),
  loopsClosed: Type.Integer(),
  medianDaysToFeedback: nullable(Type.Number()),
  paymentsPaid: Type.Integer(),
  paymentsPaidOnTime: Type.Integer(),
  paymentsOverdue: Type.Integer(),
  totals: Type.Array(Type.Object({ currency: Type.String(), paid: Type.String(), owed: Type.String() })),
});

/** Read-only JSON of what the engagement pages show publicly (ADR 0016). */
export function engagementApi(app: FastifyInstance, services: { consultations: ConsultationsService; opportunities: OpportunitiesService }, config: Config) {
  const { consultations, opportunities } = services;
  const tags = ['diaspora engagement'];
  const url = (path: string) => new URL(path, config.publicUrl).href;

  app.get(
    '/api/v1/consultations',
    { config: { access: PUBLIC }, schema: { tags, summary: 'Consultations: open first, then drafts the caller organises, then ended ones', response: { 200: Type.Array(Consultation), ...errorResponses } } },
    async (req) =>
      (await consultations.list(req.actor)).consultations.map((c) => ({
        id: c.id,
        url: url(`/consultations/${c.id}`),
        title: c.title,
        state: c.state,
        format: c.format,
        startsOn: c.starts_on,
        endsOn: c.ends_on,
        organisation: c.organisation_name,
      })),
  );

  app.get(
    '/api/v1/consultations/track-record',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'Each organisation’s track record with the communities it consults and employs',
        description: 'A payment is on time when paid within PAYMENT_OVERDUE_DAYS of being recorded as owed.',
        response: { 200: Type.Object({ overdueDays: Type.Integer(), organisations: Type.Array(TrackRecord) }), ...errorResponses },
      },
    },
    async () => {
      const data = await consultations.trackRecord();
      return {
        overdueDays: data.overdueDays,
        organisations: data.organisations.map((o) => ({
          organisation: o.name,
          url: url(`/directory/${o.slug}`),
          consultationsRun: o.run,
          consultationsEnded: o.ended,
          loopsClosed: o.loopsClosed,
          medianDaysToFeedback: o.medianDays,
          paymentsPaid: o.paid,
          paymentsPaidOnTime: o.paidOnTime,
          paymentsOverdue: o.overdue,
          totals: o.totals.map((x) => ({ currency: x.currency, paid: fromMinor(x.paid, x.currency), owed: fromMinor(x.owed, x.currency) })),
        })),
      };
    },
  );

  app.get(
    '/api/v1/opportunities',
    { config: { access: PUBLIC }, schema: { tags, summary: 'Paid work open for applications (and, for staff, their organisation’s own postings)', response: { 200: Type.Array(Opportunity), ...errorResponses } } },
    async (req) =>
      (await opportunities.list(req.actor)).opportunities.map((w) => ({
        id: w.id,
        url: url(`/opportunities/${w.id}`),
        kind: w.kind,
        title: w.title,
        pay: { amount: fromMinor(w.rate_minor, w.currency), currency: w.currency },
        per: w.rate_basis,
        languages: w.languages,
        deadline: w.deadline,
        state: w.state,
        organisation: w.organisation_name,
      })),
  );
}
