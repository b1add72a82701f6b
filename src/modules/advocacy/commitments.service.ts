import { createHash } from 'node:crypto';
import { today } from '../../platform/calendar.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { checkUploads } from '../../platform/documents.ts';
import { AppError } from '../../platform/errors.ts';
import type { Upload } from '../../platform/http.tsx';
import { actingFor, canActForAny } from '../../platform/acting.ts';
import { type Actor, rolesOf } from '../../platform/policy.ts';
import { assertOwner, statementAccess } from './access.ts';
import { advocacyPolicy } from './advocacy.policy.ts';
import * as repo from './commitments.repository.ts';
import type { CommitmentFilters } from './commitments.repository.ts';
import { COMMITMENTS_PAGE_SIZE, type CommitmentInput, type CommitmentQuery, type RatingInput } from './commitments.schemas.ts';
import * as published from './exchange.repository.ts';
import { commitmentJsonLd, scriptJson, statementJsonLd, type Urls } from './exchange.ts';
import { publicSignatories } from './signatories.ts';

/** At most this many rows in one CSV: the whole tracker for years to come, bounded all the same. */
export const COMMITMENTS_EXPORT_LIMIT = 50_000;

/** Whitespace-insensitive form used to check that a quote is a passage of the reply. */
function folded(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
}

export function urlsFor(publicUrl: URL): Urls {
  const url = (path: string) => new URL(path, publicUrl).href;
  return {
    statement: (id) => url(`/statements/${id}`),
    organisation: (slug) => url(`/directory/${slug}`),
    commitment: (id) => url(`/commitments/${id}`),
    post: (id) => url(`/recipients/posts/${id}`),
    person: (id) => url(`/recipients/people/${id}`),
  };
}

export class CommitmentsService {
  private urls: Urls;

  constructor(private p: Platform) {
    this.urls = urlsFor(p.config.publicUrl);
  }

  /** The public addresses of statements, commitments, posts and organisations (for exports). */
  feedUrls(): Urls {
    return this.urls;
  }

  // ---- the public tracker ----------------------------------------------------------------

  /**
   * The tracker's page of commitments with the counts per rating. The total is read from the
   * counts (the chosen rating's, or all of them): one aggregate fewer per request. The lists the
   * filter form offers (parties, countries) are read only for the page (`lists`), not the API.
   */
  async tracker(query: CommitmentQuery, lists = true) {
    const filters: CommitmentFilters = { party: query.party, post: query.post, person: query.person, country: query.country, rating: query.rating };
    const page = query.page ?? 1;
    const [rows, counts, parties, countries, post, person] = await Promise.all([
      repo.listCommitments(this.p.db, filters, COMMITMENTS_PAGE_SIZE, (page - 1) * COMMITMENTS_PAGE_SIZE),
      repo.ratingCounts(this.p.db, filters),
      lists ? repo.partiesWithCommitments(this.p.db) : Promise.resolve([]),
      lists ? repo.countriesWithCommitments(this.p.db) : Promise.resolve([]),
      query.post ? repo.postLabel(this.p.db, query.post) : Promise.resolve(undefined),
      query.person ? repo.personName(this.p.db, query.person) : Promise.resolve(undefined),
    ]);
    const total = query.rating ? (counts.get(query.rating) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0);
    const party = query.party ? (parties.find((b) => b.id === query.party)?.name ?? (await repo.partyName(this.p.db, query.party))) : undefined;
    return { rows, total, page, pageSize: COMMITMENTS_PAGE_SIZE, counts, parties, countries, filters, names: { post, person, party } };
  }

  async export(query: CommitmentQuery) {
    const filters: CommitmentFilters = { party: query.party, post: query.post, person: query.person, country: query.country, rating: query.rating };
    return repo.listCommitments(this.p.db, filters, COMMITMENTS_EXPORT_LIMIT, 0);
  }

  /** One public commitment with its whole rating history; what the reader may add to it. */
  async commitment(actor: Actor, id: string) {
    const c = await repo.findCommitment(this.p.db, id);
    if (!c) throw AppError.notFound();
    const [ratings, statement] = await Promise.all([repo.ratingsOf(this.p.db, [id]), repo.statementTitle(this.p.db, c.statement_id)]);
    return { commitment: c, ratings, statement, canRate: advocacyPolicy.can(actor, 'rate') && canActForAny(actor) };
  }

  commitmentJsonLd(data: Awaited<ReturnType<CommitmentsService['commitment']>>, ratingName: (r: string) => string): string {
    return scriptJson(commitmentJsonLd(data.commitment, data.ratings, this.urls, ratingName));
  }

  async evidence(id: string, ratingId: string) {
    // Evidence is public with its rating; a commitment that is no longer public takes it along.
    if (!(await repo.findCommitment(this.p.db, id))) throw AppError.notFound();
    const doc = await repo.evidenceDocument(this.p.db, id, ratingId);
    if (!doc) throw AppError.notFound();
    return doc;
  }

  // ---- extraction, by the statement's owners ------------------------------------------------

  /** The reply a commitment is taken from, for its owners only (404 for everyone else). */
  async extraction(actor: Actor, statementId: string, replyId: string) {
    const me = advocacyPolicy.person(actor, 'rate');
    const access = await statementAccess(this.p.db, me, statementId);
    assertOwner(access);
    const reply = await repo.replyOf(this.p.db, statementId, replyId);
    if (!reply) throw AppError.notFound();
    const party = reply.person_id ? await repo.partyOn(this.p.db, reply.person_id, reply.received_on) : undefined;
    const existing = await repo.commitmentsOfReply(this.p.db, replyId);
    return { reply, party, existing, statementId, ownerOrganisations: access.ownerOrganisations };
  }

  /**
   * A commitment is public the moment it exists, so it is taken only from a published reply,
   * quoting it word for word (spacing aside), in the name of one of the statement's owners.
   * It stays with the post, the person and the party they belonged to on the reply's date.
   */
  async extract(actor: Actor, statementId: string, replyId: string, input: CommitmentInput): Promise<string> {
    const me = advocacyPolicy.person(actor, 'rate');
    const { reply, party, ownerOrganisations } = await this.extraction(me, statementId, replyId);
    const organisationId = actingFor(me, input.actingFor);
    if (!ownerOrganisations.includes(organisationId)) throw AppError.field('actingFor', 'errors.commitmentNotOwner');
    if (!reply.published) throw AppError.invalid({}, 'errors.commitmentReplyUnpublished');
    if (folded(input.quote).length < 3) throw AppError.field('quote', 'errors.required');
    if (!folded(reply.body).includes(folded(input.quote))) throw AppError.field('quote', 'errors.commitmentQuoteNotInReply');
    return this.p.db.transaction().execute(async (trx) => {
      const { id } = await repo.insertCommitment(trx, {
        reply_id: reply.id,
        quote: input.quote.trim(),
        summary: input.summary.trim(),
        post_id: reply.post_id,
        person_id: reply.person_id,
        party_id: party?.id ?? null,
        countries: [...new Set(input.countries)],
        organisation_id: organisationId,
        created_by: me.id,
      });
      await audit(trx, me, { action: 'commitment.create', recordType: 'commitment', recordId: id });
      return id;
    });
  }

  // ---- ratings ------------------------------------------------------------------------------

  /**
   * A change of rating is dated, needs evidence (a link and/or a document) and the organisation
   * standing behind it, and is kept: the history is the record. It may move back (kept → stalled).
   * The latest by date is the commitment's rating.
   */
  async rate(actor: Actor, id: string, input: RatingInput, uploads: readonly Upload[] = []): Promise<string> {
    const me = advocacyPolicy.person(actor, 'rate');
    if (!(await repo.findCommitment(this.p.db, id))) throw AppError.notFound();
    const organisationId = actingFor(me, input.actingFor);
    const { documents, errors } = checkUploads(uploads, { max: 1, field: 'evidence' });
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    if (!input.evidenceUrl && documents.length === 0) throw AppError.field('evidence', 'errors.ratingEvidence');
    if (input.ratedOn > today()) throw AppError.field('ratedOn', 'errors.ratingFuture');
    return this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockCommitment(trx, id);
      if (!locked) throw AppError.notFound();
      if (input.ratedOn < locked.created_at.toISOString().slice(0, 10)) throw AppError.field('ratedOn', 'errors.ratingBeforeCommitment');
      const doc = documents[0];
      const documentId = doc
        ? await repo.insertDocument(trx, {
            filename: doc.filename,
            media_type: doc.mediaType,
            size_bytes: doc.data.length,
            sha256: createHash('sha256').update(doc.data).digest('hex'),
            content: doc.data,
            uploaded_by: me.id,
          })
        : null;
      const ratingId = await repo.insertRating(trx, {
        commitment_id: id,
        rating: input.rating,
        evidence_url: input.evidenceUrl ?? null,
        document_id: documentId,
        note: input.note?.trim() ?? '',
        rated_on: input.ratedOn,
        organisation_id: organisationId,
        rated_by: me.id,
      });
      const latest = await repo.latestRating(trx, id);
      await repo.setCurrentRating(trx, id, latest?.rating ?? 'not_rated', latest?.rated_on ?? null);
      await audit(trx, me, { action: 'commitment.rate', recordType: 'commitment', recordId: id });
      return ratingId;
    });
  }

  // ---- published statements for other software ----------------------------------------------

  async statementJsonLd(statementId: string): Promise<string | undefined> {
    const s = await published.publishedStatement(this.p.db, statementId);
    if (!s) return undefined;
    const [signatories, versions] = await Promise.all([publicSignatories(this.p.db, [{ id: s.id, published_version: s.published_version }]), published.publishedVersions(this.p.db, s.id)]);
    const translations = versions.filter((v) => v.translation_of === s.published_version && v.language !== s.language);
    return scriptJson(statementJsonLd(s, signatories.get(s.id), translations, this.urls));
  }

  async feed(limit = 50) {
    const statements = await published.publishedStatements(this.p.db, limit, 0);
    return { statements, signatories: await publicSignatories(this.p.db, statements), urls: this.urls };
  }

  async publishedList(page: number, pageSize: number) {
    const [statements, total] = await Promise.all([published.publishedStatements(this.p.db, pageSize, (page - 1) * pageSize), published.countPublished(this.p.db)]);
    return { statements, total, signatories: await publicSignatories(this.p.db, statements), urls: this.urls };
  }

  /** One published statement as the API gives it: never a draft, an address or a reason. */
  async publishedStatement(id: string) {
    const s = await published.publishedStatement(this.p.db, id);
    if (!s) throw AppError.notFound();
    const [signatories, versions, recipients, replies] = await Promise.all([
      publicSignatories(this.p.db, [{ id: s.id, published_version: s.published_version }]),
      published.publishedVersions(this.p.db, id),
      published.sentRecipients(this.p.db, id),
      published.publishedReplies(this.p.db, id),
    ]);
    return { statement: s, signatories: signatories.get(id), versions, recipients, replies, urls: this.urls };
  }

  async commitmentWithRatings(id: string) {
    const c = await repo.findCommitment(this.p.db, id);
    if (!c) throw AppError.notFound();
    return { commitment: c, ratings: await repo.ratingsOf(this.p.db, [id]), urls: this.urls };
  }

  async commitmentsPage(query: CommitmentQuery) {
    const data = await this.tracker(query);
    const ratings = await repo.ratingsOf(
      this.p.db,
      data.rows.map((r) => r.id),
    );
    return { ...data, ratings, urls: this.urls };
  }

  /** Whether the convener or staff reading the tracker may rate (the page offers the form). */
  canRate(actor: Actor): boolean {
    return advocacyPolicy.can(actor, 'rate') && canActForAny(actor) && !rolesOf(actor).has('anonymous');
  }
}
