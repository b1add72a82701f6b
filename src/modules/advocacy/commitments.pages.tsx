import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { isAppError } from '../../platform/errors.ts';
import { formAction, isUpload } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import type { FormState } from '../../views/form.ts';
import { advocacyPolicy } from './advocacy.policy.ts';
import { COMMITMENT_LISTS, COMMITMENT_LONG_TEXT, CommitmentInput, CommitmentQuery, RatingInput, RatingParams, ReplyParams } from './commitments.schemas.ts';
import { commitmentsCsv, statementsAtom } from './exchange.ts';
import type { AdvocacyServices } from './services.ts';
import { CommitmentPage, ExtractPage, TrackerPage } from './views/commitments.tsx';

/** The tracker's filters from a query string: a page number as a number, a country in capitals. */
export function commitmentFilters(query: unknown): CommitmentQuery {
  const values = cleanForm(query);
  if (typeof values.page === 'string' && /^\d{1,6}$/.test(values.page)) values.page = Number(values.page);
  if (typeof values.country === 'string') values.country = values.country.toUpperCase();
  return parse(CommitmentQuery, values);
}

export function commitmentsPages(app: FastifyInstance, services: AdvocacyServices, config: Config) {
  const { commitments } = services;
  const url = (path: string) => new URL(path, config.publicUrl).href;

  app.get('/commitments', { config: { access: PUBLIC } }, async (req, reply) => {
    try {
      return reply.page(<TrackerPage ctx={viewContext(req, reply)} data={await commitments.commitmentsPage(commitmentFilters(req.query))} />);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_input') throw err;
      // A filter nobody can meet (a made-up id, an unknown rating): the whole tracker, and why.
      return reply.page(<TrackerPage ctx={viewContext(req, reply)} data={await commitments.commitmentsPage({})} errors={err.fields} />, 400);
    }
  });

  app.get('/commitments/export.csv', { config: { access: PUBLIC } }, async (req, reply) => {
    const rows = await commitments.export(commitmentFilters(req.query));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="northstar-commitments.csv"')
      .header('cache-control', 'no-store')
      .send(commitmentsCsv(rows, commitments.feedUrls()));
  });

  const commitmentPage = async (req: FastifyRequest, reply: FastifyReply, id: string, form?: FormState) => {
    const ctx = viewContext(req, reply);
    const data = await commitments.commitment(req.actor, id);
    const jsonLd = commitments.commitmentJsonLd(data, (r) => ctx.intl.t(`ratings.${r}`));
    return <CommitmentPage ctx={ctx} data={data} jsonLd={jsonLd} {...(form ? { form } : {})} />;
  };

  app.get('/commitments/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await commitmentPage(req, reply, id));
  });

  app.get('/commitments/:id/ratings/:ratingId/evidence', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id, ratingId } = parse(RatingParams, req.params);
    const doc = await commitments.evidence(id, ratingId);
    // Always a download, never rendered in our origin (as signs' documents).
    return reply
      .header('content-type', doc.media_type)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
      .header('cache-control', 'private, no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(doc.content);
  });

  app.post('/commitments/:id/ratings', { config: { access: advocacyPolicy.rule('rate') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body, COMMITMENT_LONG_TEXT);
    const file = values.evidenceFile;
    delete values.evidenceFile;
    const uploads = isUpload(file) ? [file] : [];
    const done = await formAction(
      reply,
      () => commitments.rate(req.actor, id, parse(RatingInput, values), uploads),
      (errors, summaryKey) => commitmentPage(req, reply, id, { values, errors, summaryKey }),
    );
    if (!done) return reply;
    return reply.redirect(`/commitments/${id}?done=commitmentRated`, 303);
  });

  // ---- extraction, by the statement's owners ------------------------------------------------

  const extractPage = async (req: FastifyRequest, reply: FastifyReply, id: string, replyId: string, form?: FormState) => (
    <ExtractPage ctx={viewContext(req, reply)} data={await commitments.extraction(req.actor, id, replyId)} {...(form ? { form } : {})} />
  );

  app.get('/statements/:id/replies/:replyId/commitments/new', { config: { access: advocacyPolicy.rule('rate') } }, async (req, reply) => {
    const { id, replyId } = parse(ReplyParams, req.params);
    return reply.page(await extractPage(req, reply, id, replyId));
  });

  app.post('/statements/:id/replies/:replyId/commitments', { config: { access: advocacyPolicy.rule('rate') } }, async (req, reply) => {
    const { id, replyId } = parse(ReplyParams, req.params);
    const values = cleanForm(req.body, COMMITMENT_LONG_TEXT, COMMITMENT_LISTS);
    const commitmentId = await formAction(
      reply,
      () => commitments.extract(req.actor, id, replyId, parse(CommitmentInput, values)),
      (errors, summaryKey) => extractPage(req, reply, id, replyId, { values, errors, summaryKey }),
    );
    if (!commitmentId) return reply;
    return reply.redirect(`/commitments/${commitmentId}?done=commitmentCreated`, 303);
  });

  // ---- the feed of published statements ------------------------------------------------------

  app.get('/statements/feed.atom', { config: { access: PUBLIC } }, async (req, reply) => {
    const { t } = viewContext(req, reply).intl;
    const { statements, signatories, urls } = await commitments.feed();
    return reply
      .header('content-type', 'application/atom+xml; charset=utf-8')
      // In the reader's language (Accept-Language, or the language chosen, a cookie): a shared cache keeps one copy per language.
      .header('vary', 'Accept-Language, Cookie')
      .header('cache-control', 'public, max-age=300')
      .send(
        statementsAtom(statements, signatories, {
          feedUrl: url('/statements/feed.atom'),
          siteUrl: url('/statements'),
          title: t('exchange.feedTitle'),
          urls,
          countLine: (n) => t('exchange.individualCount', { count: n }),
        }),
      );
  });
}
