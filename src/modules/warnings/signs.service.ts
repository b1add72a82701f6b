import { today } from '../../platform/calendar.ts';
import { createHash } from 'node:crypto';
import type { SignState } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import { type CheckedDocument, checkUploads } from '../../platform/documents.ts';
import type { Upload } from '../../platform/http.tsx';
import { actingFor, actingForIfAny, actingOptions, canActForAny } from '../../platform/acting.ts';
import { type Actor, memberOrganisations, rolesOf } from '../../platform/policy.ts';
import { currentFramework, type Framework } from './framework.ts';
import * as repo from './signs.repository.ts';
import type { Reader, SignFilters, SignRow } from './signs.repository.ts';
import { MAX_DOCUMENTS, type ReviewInput, type SignInput, type SignQuery, type VerifyInput } from './signs.schemas.ts';
import { warningsPolicy } from './warnings.policy.ts';

export const SIGNS_PAGE_SIZE = 25;
export const SIGNS_EXPORT_LIMIT = 50_000;

/**
 * What each reader may see is decided from who they are, once, here. The network is members
 * of member organisations and the convener (rolesOf: a suspended organisation's staff and an
 * associate organisation's are not); a sign's own organisation and a restricted sign's
 * audience count only while the organisation is a member: an organisation that became an
 * associate no longer reads its network-only signs, nor the members' comments on them.
 */
export function readerOf(actor: Actor): Reader {
  if (actor.kind === 'anonymous') return { network: false, organisationIds: [] };
  const roles = rolesOf(actor);
  return {
    network: roles.has('member') || roles.has('org_admin') || roles.has('convener'),
    organisationIds: memberOrganisations(actor).map((m) => m.organisationId),
  };
}

/**
 * A sign's state from the organisations' latest stances (RISK-FRAMEWORK.md): verified by the
 * convener; disputed when at least as many other organisations dispute it as back it;
 * corroborated when at least two organisations stand behind it (the reporter and one more).
 */
export function stateFrom(stances: { kind: string }[], verified: boolean): SignState {
  if (verified) return 'verified';
  const backing = stances.filter((s) => s.kind === 'corroborate').length;
  const disputing = stances.filter((s) => s.kind === 'dispute').length;
  if (disputing > 0 && disputing >= backing) return 'disputed';
  return backing >= 1 ? 'corroborated' : 'unverified';
}

/** The documents attached to a sign: at most MAX_DOCUMENTS, each checked by its content. */
export function checkDocuments(uploads: readonly Upload[]): { documents: CheckedDocument[]; errors: FieldErrors } {
  return checkUploads(uploads, { max: MAX_DOCUMENTS, field: 'documents' });
}

export class SignsService {
  private framework: Framework | undefined;

  constructor(private p: Platform) {}

  /** Of these signs, those this reader may see, newest first: what another record may cite. */
  async citable(actor: Actor, ids: readonly string[]) {
    return repo.visibleSigns(this.p.db, readerOf(actor), [...new Set(ids)]);
  }

  async currentFramework(): Promise<Framework> {
    this.framework ??= await currentFramework(this.p.db);
    return this.framework;
  }

  async formOptions(actor: Actor) {
    // Someone in one organisation is not offered it as an audience; someone in several may act
    // for either, so all are listed and the one acted for is dropped when the sign is recorded.
    const options = actingOptions(actor);
    const own = new Set(options.length === 1 ? options.map((o) => o.organisationId) : []);
    const organisations = (await repo.shareableOrganisations(this.p.db)).filter((o) => !own.has(o.id));
    return { framework: await this.currentFramework(), organisations };
  }

  async list(actor: Actor, query: SignQuery) {
    const reader = readerOf(actor);
    const page = query.page ?? 1;
    const filters: SignFilters = { country: query.country, factor: query.factor, state: query.state, from: query.from, to: query.to, q: query.q };
    const [signs, total] = await Promise.all([
      repo.listSigns(this.p.db, reader, filters, SIGNS_PAGE_SIZE, (page - 1) * SIGNS_PAGE_SIZE),
      repo.countSigns(this.p.db, reader, filters),
    ]);
    return { signs, total, page, pageSize: SIGNS_PAGE_SIZE, query, framework: await this.currentFramework(), canRecord: warningsPolicy.can(actor, 'record') && canActForAny(actor) };
  }

  /** Signs this reader may see, with their source links, for CSV and JSON exports. */
  async export(actor: Actor, query: SignQuery): Promise<{ signs: SignRow[]; links: Map<string, string[]> }> {
    const filters: SignFilters = { country: query.country, factor: query.factor, state: query.state, from: query.from, to: query.to, q: query.q };
    const signs = await repo.listSigns(this.p.db, readerOf(actor), filters, SIGNS_EXPORT_LIMIT);
    return { signs, links: await repo.sourceLinks(this.p.db, signs.map((s) => s.id)) };
  }

  /** A sign as this reader may see it, or 404 (hidden and missing look the same). */
  async sign(actor: Actor, id: string) {
    const reader = readerOf(actor);
    const sign = await repo.findSign(this.p.db, reader, id);
    if (!sign) throw AppError.notFound();
    const [sources, reviews, audience] = await Promise.all([
      repo.signSources(this.p.db, id),
      repo.signReviews(this.p.db, id),
      sign.sensitivity === 'restricted' ? repo.signAudience(this.p.db, id) : Promise.resolve([]),
    ]);
    const acts = canActForAny(actor);
    // Someone whose organisation (any of them) reported the sign does not back or dispute it.
    const isReporter = reader.organisationIds.includes(sign.organisation_id);
    return {
      sign,
      sources,
      reviews,
      audience,
      framework: await this.currentFramework(),
      canStance: warningsPolicy.can(actor, 'review') && acts && !isReporter,
      canComment: warningsPolicy.can(actor, 'review'),
      canVerify: warningsPolicy.can(actor, 'verify') && sign.state !== 'verified',
      canPropose: warningsPolicy.can(actor, 'propose') && acts && sign.sensitivity !== 'restricted',
    };
  }

  async document(actor: Actor, signId: string, documentId: string) {
    const sign = await repo.findSign(this.p.db, readerOf(actor), signId);
    const doc = sign ? await repo.findDocument(this.p.db, signId, documentId) : undefined;
    if (!doc) throw AppError.notFound();
    return doc;
  }

  /** Checks what the schema cannot: codes in the framework, dates, named organisations, files. */
  private async check(organisationId: string, input: SignInput, uploads: readonly Upload[]) {
    const framework = await this.currentFramework();
    const errors: FieldErrors = {};
    const unknown = input.indicators.find((c) => !framework.isKnown(c));
    if (unknown) errors.indicators = { key: 'errors.indicatorUnknown', values: { code: unknown } };
    const reportedOn = input.reportedOn ?? today();
    if (input.observedOn > today()) errors.observedOn = { key: 'errors.observedFuture' };
    else if (input.observedOn < '1945-01-01') errors.observedOn = { key: 'errors.date' };
    if (reportedOn > today()) errors.reportedOn = { key: 'errors.reportedFuture' };
    else if (input.observedOn <= today() && reportedOn < input.observedOn) errors.reportedOn = { key: 'errors.reportedBeforeObserved' };
    // The organisation acted for always reads its sign; any other may be named, even another
    // of the reporter's own (its other colleagues read it only if named).
    const named = [...new Set(input.audience)].filter((id) => id !== organisationId);
    if (input.sensitivity === 'restricted') {
      const existing = await repo.existingOrganisations(this.p.db, named);
      if (named.length === 0) errors.audience = { key: 'errors.audienceRequired' };
      else if (existing.length !== named.length) errors.audience = { key: 'errors.choice' };
    }
    const { documents, errors: docErrors } = checkDocuments(uploads);
    Object.assign(errors, docErrors);
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    const indicatorCodes = [...new Set(input.indicators)].sort(compareCodes);
    const factorCodes = [...new Set(indicatorCodes.map((c) => framework.factorOf(c) as string))].sort(compareCodes);
    return { framework, reportedOn, named: input.sensitivity === 'restricted' ? named : [], documents, indicatorCodes, factorCodes };
  }

  async record(actor: Actor, input: SignInput, uploads: readonly Upload[] = []): Promise<string> {
    if (actor.kind !== 'person' || !warningsPolicy.can(actor, 'record')) throw AppError.notFound();
    const organisationId = actingFor(actor, input.actingFor);
    const checked = await this.check(organisationId, input, uploads);
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertSign(trx, {
        organisation_id: organisationId,
        reported_by: actor.id,
        country: input.country,
        area: input.area ?? null,
        observed_on: input.observedOn,
        reported_on: checked.reportedOn,
        framework_id: checked.framework.id,
        factor_codes: checked.factorCodes,
        indicator_codes: checked.indicatorCodes,
        description: input.description,
        confidence: input.confidence,
        sensitivity: input.sensitivity,
        language: input.language,
      });
      await repo.insertAudience(trx, id, checked.named);
      const sources: { url?: string; documentId?: string }[] = [...new Set(input.links)].map((url) => ({ url }));
      for (const d of checked.documents) {
        const documentId = await repo.insertDocument(trx, {
          filename: d.filename,
          media_type: d.mediaType,
          size_bytes: d.data.length,
          sha256: createHash('sha256').update(d.data).digest('hex'),
          content: d.data,
          uploaded_by: actor.id,
        });
        sources.push({ documentId });
      }
      await repo.insertSources(trx, id, sources);
      await audit(trx, actor, { action: 'sign.record', recordType: 'warning_sign', recordId: id });
      return id;
    });
  }

  async review(actor: Actor, id: string, input: ReviewInput): Promise<void> {
    if (actor.kind !== 'person' || !warningsPolicy.can(actor, 'review')) throw AppError.notFound();
    const reader = readerOf(actor);
    if (!(await repo.findSign(this.p.db, reader, id))) throw AppError.notFound();
    // A stance is an organisation's; a comment may come from someone in none (the convener).
    if (input.kind !== 'comment' && !canActForAny(actor)) throw AppError.field('kind', 'errors.noOrganisation');
    const own = input.kind === 'comment' ? actingForIfAny(actor, input.actingFor) : actingFor(actor, input.actingFor);
    await this.p.db.transaction().execute(async (trx) => {
      const sign = await repo.lockSign(trx, id);
      if (!sign) throw AppError.notFound();
      if (input.kind !== 'comment' && reader.organisationIds.includes(sign.organisation_id)) throw AppError.field('kind', 'errors.ownSign');
      await repo.insertReview(trx, { sign_id: id, organisation_id: own ?? null, person_id: actor.id, kind: input.kind, body: input.body });
      if (input.kind !== 'comment') {
        const state = stateFrom(await repo.stances(trx, id), sign.verified_at !== null);
        if (state !== sign.state) await repo.setState(trx, id, state);
      }
      await audit(trx, actor, { action: `sign.${input.kind}`, recordType: 'warning_sign', recordId: id });
    });
  }

  async verify(actor: Actor, id: string, input: VerifyInput): Promise<void> {
    if (actor.kind !== 'person' || !warningsPolicy.can(actor, 'verify')) throw AppError.notFound();
    if (!(await repo.findSign(this.p.db, readerOf(actor), id))) throw AppError.notFound();
    const own = actingForIfAny(actor, input.actingFor);
    await this.p.db.transaction().execute(async (trx) => {
      const sign = await repo.lockSign(trx, id);
      if (!sign) throw AppError.notFound();
      if (sign.state === 'verified') throw AppError.invalid({}, 'errors.alreadyVerified');
      await repo.insertReview(trx, { sign_id: id, organisation_id: own ?? null, person_id: actor.id, kind: 'verify', body: input.body ?? '' });
      await repo.setState(trx, id, 'verified', actor.id);
      await audit(trx, actor, { action: 'sign.verify', recordType: 'warning_sign', recordId: id });
    });
  }
}

/** "7.10" after "7.9": codes compare as numbers, part by part. */
export function compareCodes(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  return (pa[0] ?? 0) - (pb[0] ?? 0) || (pa[1] ?? -1) - (pb[1] ?? -1);
}
