import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { errorResponses } from '../../platform/api.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { commitmentFilters } from './commitments.pages.tsx';
import type { CommitmentListRow, RatingRow } from './commitments.repository.ts';
import { ALL_RATINGS, COMMITMENTS_PAGE_SIZE, CommitmentQuery } from './commitments.schemas.ts';
import type { Urls } from './exchange.ts';
import type { PublishedStatement } from './exchange.repository.ts';
import type { AdvocacyServices } from './services.ts';
import type { PublicSignatories } from './signatories.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** A signatory exactly as they chose to appear (signatories.ts); "counted only" ones are in the count. */
const Signatory = Type.Union([
  Type.Object({ kind: Type.Literal('organisation'), name: Type.String(), url: Type.String({ format: 'uri' }), signedAt: Type.String({ format: 'date-time' }) }),
  Type.Object({ kind: Type.Literal('name'), name: Type.String(), signedAt: Type.String({ format: 'date-time' }) }),
  Type.Object({ kind: Type.Literal('role'), role: Type.String(), signedAt: Type.String({ format: 'date-time' }) }),
]);

const Signatories = Type.Object({
  version: Type.Integer({ description: 'The version these signatures were given to' }),
  organisations: Type.Array(Signatory),
  individuals: Type.Array(Signatory, { description: 'Individual co-signatories who chose to be named or described' }),
  individualCount: Type.Integer({ description: 'All individual co-signatories, named or not' }),
  withdrawals: Type.Array(Type.Object({ who: Type.Optional(Signatory), withdrawnAt: Type.String({ format: 'date-time' }) })),
});

const StatementSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  url: Type.String({ format: 'uri' }),
  kind: Type.String({ description: 'joint_statement, open_letter, submission or briefing' }),
  title: Type.String(),
  summary: Type.String(),
  language: Type.String({ description: 'BCP 47' }),
  countries: Type.Array(Type.String({ description: 'ISO 3166-1 alpha-3' })),
  version: Type.Integer(),
  sha256: Type.String({ description: 'SHA-256 of the published version’s canonical text and language; signatures carry it' }),
  publishedAt: Type.String({ format: 'date-time' }),
  signatoryOrganisations: Type.Integer(),
  individualCount: Type.Integer(),
});

const Version = Type.Object({
  number: Type.Integer(),
  language: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  body: Type.String({ description: 'Markdown' }),
  asks: Type.Array(Type.String()),
  sha256: Type.String(),
  note: Type.String({ description: 'Why this version was made (a correction’s note); empty otherwise' }),
  translationOf: Type.Union([Type.Integer(), Type.Null()]),
  publishedAt: Type.String({ format: 'date-time' }),
});

const Recipient = Type.Object({
  id: Type.String({ format: 'uuid' }),
  post: Nullable(Type.String()),
  postUrl: Nullable(Type.String({ format: 'uri' })),
  person: Nullable(Type.String()),
  personUrl: Nullable(Type.String({ format: 'uri' })),
  channel: Type.String({ description: 'email, hand or post' }),
  sentAt: Nullable(Type.String({ format: 'date-time' })),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
});

const Reply = Type.Object({
  recipientId: Type.String({ format: 'uuid' }),
  kind: Type.String({ description: 'substantive, acknowledgement or declined' }),
  receivedOn: Type.String({ format: 'date' }),
  text: Type.String(),
  link: Nullable(Type.String()),
});

const RatingJson = Type.Object({
  rating: Type.String(),
  ratedOn: Type.String({ format: 'date' }),
  evidenceUrl: Nullable(Type.String()),
  evidenceDocumentUrl: Nullable(Type.String({ format: 'uri' })),
  note: Type.String(),
  organisation: Type.String(),
  organisationUrl: Type.String({ format: 'uri' }),
});

const Commitment = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  url: Type.String({ format: 'uri' }),
  summary: Type.String(),
  quote: Type.String(),
  post: Nullable(Type.String()),
  postId: Nullable(Type.String({ format: 'uuid' })),
  person: Nullable(Type.String()),
  personId: Nullable(Type.String({ format: 'uuid' })),
  party: Nullable(Type.String()),
  partyId: Nullable(Type.String({ format: 'uuid' })),
  countries: Type.Array(Type.String()),
  rating: Type.String({ description: ALL_RATINGS.join(', ') }),
  ratedOn: Nullable(Type.String({ format: 'date' })),
  madeOn: Type.String({ format: 'date' }),
  statementUrl: Type.String({ format: 'uri' }),
});

const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, errorKey: 'errors.page' })) }, { additionalProperties: false });
const STATEMENTS_PAGE_SIZE = 50;

function signatoriesJson(s: PublicSignatories | undefined, urls: Urls) {
  const one = (who: PublicSignatories['organisations'][number] | PublicSignatories['individuals'][number]) =>
    who.kind === 'organisation'
      ? { kind: 'organisation' as const, name: who.name, url: urls.organisation(who.slug), signedAt: who.signedAt.toISOString() }
      : who.kind === 'name'
        ? { kind: 'name' as const, name: who.name, signedAt: who.signedAt.toISOString() }
        : { kind: 'role' as const, role: who.role, signedAt: who.signedAt.toISOString() };
  return {
    version: s?.version ?? 0,
    organisations: (s?.organisations ?? []).map(one),
    individuals: (s?.individuals ?? []).map(one),
    individualCount: s?.individualCount ?? 0,
    // Someone counted only is not timed to the second: the day would not single them out.
    withdrawals: (s?.withdrawals ?? []).map((w) => (w.who ? { who: one(w.who), withdrawnAt: w.withdrawnAt.toISOString() } : { withdrawnAt: `${w.withdrawnAt.toISOString().slice(0, 10)}T00:00:00.000Z` })),
  };
}

function statementJson(s: PublishedStatement, who: PublicSignatories | undefined, urls: Urls) {
  return {
    id: s.id,
    number: s.number,
    url: urls.statement(s.id),
    kind: s.kind,
    title: s.title,
    summary: s.summary,
    language: s.language,
    countries: s.countries,
    version: s.published_version ?? 0,
    sha256: s.content_sha256,
    publishedAt: (s.published_at ?? new Date(0)).toISOString(),
    signatoryOrganisations: who?.organisations.length ?? 0,
    individualCount: who?.individualCount ?? 0,
  };
}

function commitmentJson(c: CommitmentListRow, urls: Urls) {
  return {
    id: c.id,
    number: c.number,
    url: urls.commitment(c.id),
    summary: c.summary,
    quote: c.quote,
    post: c.post_label,
    postId: c.post_id,
    person: c.person_name,
    personId: c.person_id,
    party: c.party_name,
    partyId: c.party_id,
    countries: c.countries,
    rating: c.rating,
    ratedOn: c.rated_on,
    madeOn: c.received_on,
    statementUrl: urls.statement(c.statement_id),
  };
}

function ratingJson(r: RatingRow, commitmentUrl: string, urls: Urls) {
  return {
    rating: r.rating,
    ratedOn: r.rated_on,
    evidenceUrl: r.evidence_url,
    evidenceDocumentUrl: r.document_id ? `${commitmentUrl}/ratings/${r.id}/evidence` : null,
    note: r.note,
    organisation: r.organisation_name,
    organisationUrl: urls.organisation(r.organisation_slug),
  };
}

export function advocacyApi(app: FastifyInstance, services: AdvocacyServices, _config: Config) {
  const { commitments } = services;
  const tags = ['advocacy'];

  app.get(
    '/api/v1/statements',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'Published statements, newest first',
        description: 'Drafts and statements still circulating for signature are never listed.',
        querystring: PageQuery,
        response: { 200: Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(StatementSummary) }), ...errorResponses },
      },
    },
    async (req) => {
      const values = cleanForm(req.query);
      if (typeof values.page === 'string' && /^\d{1,6}$/.test(values.page)) values.page = Number(values.page);
      const page = parse(PageQuery, values).page ?? 1;
      const data = await commitments.publishedList(page, STATEMENTS_PAGE_SIZE);
      return { total: data.total, page, pageSize: STATEMENTS_PAGE_SIZE, items: data.statements.map((s) => statementJson(s, data.signatories.get(s.id), data.urls)) };
    },
  );

  app.get(
    '/api/v1/statements/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'One published statement: its published versions, signatories as each chose to appear, recipients and published replies',
        params: IdParam,
        response: {
          200: Type.Object({
            statement: StatementSummary,
            versions: Type.Array(Version),
            signatories: Signatories,
            recipients: Type.Array(Recipient),
            replies: Type.Array(Reply),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { id } = parse(IdParam, req.params);
      const d = await commitments.publishedStatement(id);
      const u = d.urls;
      return {
        statement: statementJson(d.statement, d.signatories, u),
        versions: d.versions.map((v) => ({
          number: v.number,
          language: v.language,
          title: v.title,
          summary: v.summary,
          body: v.body,
          asks: v.asks,
          sha256: v.content_sha256,
          note: v.note,
          translationOf: v.translation_of,
          publishedAt: (v.published_at ?? new Date(0)).toISOString(),
        })),
        signatories: signatoriesJson(d.signatories, u),
        recipients: d.recipients.map((r) => ({
          id: r.id,
          post: r.post_label,
          postUrl: r.post_id ? u.post(r.post_id) : null,
          person: r.person_name,
          personUrl: r.person_id ? u.person(r.person_id) : null,
          channel: r.channel,
          sentAt: r.sent_at?.toISOString() ?? null,
          deliveredAt: r.delivered_at?.toISOString() ?? null,
        })),
        replies: d.replies.map((r) => ({ recipientId: r.recipient_id, kind: r.kind, receivedOn: r.received_on, text: r.body, link: r.link })),
      };
    },
  );

  app.get(
    '/api/v1/commitments',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'The commitments tracker: public commitments, newest first, with the same filters as /commitments',
        querystring: CommitmentQuery,
        response: {
          200: Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: Type.Record(Type.String(), Type.Integer()), items: Type.Array(Commitment) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const data = await commitments.tracker(commitmentFilters(req.query), false);
      const urls = commitments.feedUrls();
      return {
        total: data.total,
        page: data.page,
        pageSize: COMMITMENTS_PAGE_SIZE,
        counts: Object.fromEntries(ALL_RATINGS.map((r) => [r, data.counts.get(r) ?? 0])),
        items: data.rows.map((c) => commitmentJson(c, urls)),
      };
    },
  );

  app.get(
    '/api/v1/commitments/:id',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'One commitment with its whole rating history, oldest first',
        params: IdParam,
        response: { 200: Type.Object({ commitment: Commitment, ratings: Type.Array(RatingJson) }), ...errorResponses },
      },
    },
    async (req) => {
      const { id } = parse(IdParam, req.params);
      const d = await commitments.commitmentWithRatings(id);
      const commitmentUrl = d.urls.commitment(id);
      return {
        commitment: commitmentJson({ ...d.commitment }, d.urls),
        ratings: d.ratings.map((r) => ratingJson(r, commitmentUrl, d.urls)),
      };
    },
  );
}
