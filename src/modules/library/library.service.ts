import { actingFor } from '../../platform/acting.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import type { Upload } from '../../platform/http.tsx';
import { pageOf, pagerOf } from '../../platform/paging.ts';
import { type Actor, memberOrganisations, type PersonActor, rolesOf } from '../../platform/policy.ts';
import { scriptJson } from '../../platform/publishing.ts';
import { foldForSearch } from '../../platform/search-text.ts';
import { type FeedEntry, libraryAtom, resourceJsonLd } from './exchange.ts';
import { checkLibraryFile, extractInWorker, type LibraryFile } from './files.ts';
import { libraryPolicy } from './library.policy.ts';
import * as repo from './library.repository.ts';
import type { FeatureInput, ResourceInput, SearchQuery } from './library.schemas.ts';
import { bestPassage, indexText, QUERY_STEMMERS, searchQuery, stemmerFor } from './search.ts';

export const EXTRACT_JOB = 'library.extract';
export const LIBRARY_PAGE = 20;
const FEATURED_SHOWN = 6;
const FEED_SIZE = 50;

/** Whether a person is of the network: members' staff and the convener read network-only items. */
function readerOf(actor: Actor): repo.Reader {
  if (actor.kind !== 'person') return { network: false, organisations: [] };
  const roles = rolesOf(actor);
  return {
    network: roles.has('member') || roles.has('org_admin') || roles.has('convener'),
    organisations: actor.memberships.map((m) => m.organisationId),
  };
}

/** The same rule as repo.visibleTo, for one resource already read. */
function canRead(reader: repo.Reader, r: { visibility: string; organisation_id: string }, readers: readonly string[]): boolean {
  if (r.visibility === 'public' || reader.organisations.includes(r.organisation_id)) return true;
  if (r.visibility === 'network') return reader.network;
  return readers.some((id) => reader.organisations.includes(id));
}

/** The adding organisation's staff edit it (any of its staff, as they added it in its name). */
function canEdit(actor: Actor, organisationId: string): boolean {
  return actor.kind === 'person' && libraryPolicy.can(actor, 'add') && actor.memberships.some((m) => m.organisationId === organisationId);
}

const authorLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The library (issue 15, items 1, 2, 5 and 6; ADR 0022): resources any member organisation adds
 * and its staff edit, read per their visibility, searched in the network's languages.
 */
export class LibraryService {
  readonly urls: { resource: (id: string) => string; file: (id: string) => string; organisation: (slug: string) => string; site: string; feed: string };

  constructor(readonly p: Platform) {
    const url = (path: string) => new URL(path, p.config.publicUrl).href;
    this.urls = {
      resource: (id) => url(`/library/${id}`),
      file: (id) => url(`/library/${id}/file`),
      organisation: (slug) => url(`/directory/${slug}`),
      site: url('/library'),
      feed: url('/library/feed.atom'),
    };
    p.jobs.define(EXTRACT_JOB, (data) => this.extract(String(data.fileId)));
    // New resources in digests, as each reader may see them.
    p.digests.register({
      topic: 'library',
      newFor: async (reader, since, until, limit) => {
        const { rows, total } = await repo.newSince(this.p.db, readerOf(reader), since, until, limit);
        return {
          // Distressing material is announced by its warning, never by its title alone.
          items: rows.map((r) => (r.content_warning ? { title: r.content_warning, url: this.urls.resource(r.id), what: 'digest.item.contentWarning' } : { title: r.title, url: this.urls.resource(r.id), language: r.language })),
          total,
        };
      },
    });
  }

  canAdd(actor: Actor): boolean {
    return libraryPolicy.can(actor, 'add') && actor.kind === 'person' && memberOrganisations(actor).length > 0;
  }

  async formOptions() {
    return { organisations: await repo.organisationOptions(this.p.db) };
  }

  // ---- adding and editing ---------------------------------------------------------------------

  /**
   * Everything about the input that needs the database, checked before anything is written, and
   * every problem reported at once.
   */
  private async checked(me: PersonActor, organisationId: string, input: ResourceInput, upload: Upload | undefined, editing?: { id: string; hasFile: boolean }) {
    const errors: FieldErrors = {};
    let file: LibraryFile | undefined;
    if (upload) {
      try {
        file = await checkLibraryFile(upload);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        Object.assign(errors, err.fields);
      }
    }
    const link = input.link || null;
    const keepsFile = editing?.hasFile && input.removeFile !== 'yes';
    if (!link && !upload && !keepsFile) errors.link = { key: 'errors.libraryLinkOrFile' };
    const readers = [...new Set(input.readers)];
    if (input.visibility === 'organisations' && readers.length === 0) errors.readers = { key: 'errors.libraryReadersRequired' };
    const authorOrgs = [...new Set(input.authorOrganisations)];
    const known = new Set(await repo.knownOrganisations(this.p.db, [...readers, ...authorOrgs]));
    if (readers.some((id) => !known.has(id))) errors.readers = { key: 'errors.choice' };
    if (authorOrgs.some((id) => !known.has(id))) errors.authorOrganisations = { key: 'errors.choice' };
    const names = authorLines(input.authorNames);
    if (names.length > 20) errors.authorNames = { key: 'errors.tooMany', values: { limit: 20 } };
    if (names.some((n) => n.length > 200)) errors.authorNames = { key: 'errors.libraryAuthorName' };
    let workId: string | undefined;
    // An edit that leaves the number as the form showed it leaves the work alone (the editor may
    // not see every translation in it, so an empty field does not mean "none").
    const keepWork = editing !== undefined && (input.translationOf ?? '') === (input.translationOfBefore ?? '');
    if (input.translationOf && !keepWork) {
      const target = await repo.findByNumber(this.p.db, Number(input.translationOf));
      const readersOfTarget = target?.visibility === 'organisations' ? await repo.readersOf(this.p.db, target.id) : [];
      if (!target || !canRead(readerOf(me), target, readersOfTarget)) errors.translationOf = { key: 'errors.libraryTranslationUnknown', values: { number: input.translationOf } };
      else if (target.id === editing?.id) errors.translationOf = { key: 'errors.libraryTranslationSelf' };
      // Joining a work puts a resource beside another organisation's in its pages and data: only
      // the organisation's own works, until there is a step in which the other can accept.
      else if (target.organisation_id !== organisationId) errors.translationOf = { key: 'errors.libraryTranslationOther' };
      else workId = target.work_id;
    }
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    const row: repo.ResourceRow = {
      kind: input.kind,
      title: input.title.trim(),
      summary: input.summary.trim(),
      issued_on: input.issuedOn || null,
      language: input.language,
      licence: input.licence,
      link,
      countries: [...new Set(input.countries)],
      activities: [...new Set(input.activities)],
      themes: [...new Set(input.themes)],
      visibility: input.visibility,
      content_warning: input.contentWarning.trim() || null,
    };
    const authors = [
      ...authorOrgs.map((organisation_id) => ({ organisation_id, name: null })),
      ...names.map((name) => ({ organisation_id: null, name })),
    ];
    return { row, file, readers: input.visibility === 'organisations' ? readers : [], authors, workId, keepWork };
  }

  async add(actor: Actor, input: ResourceInput, upload?: Upload): Promise<string> {
    const me = libraryPolicy.person(actor, 'add');
    const organisationId = actingFor(me, input.actingFor);
    const c = await this.checked(me, organisationId, input, upload);
    return this.p.db.transaction().execute(async (trx) => {
      const { id } = await repo.insertResource(trx, { ...c.row, organisation_id: organisationId, created_by: me.id, work_id: c.workId });
      await repo.replaceAuthors(trx, id, c.authors);
      await repo.replaceReaders(trx, id, c.readers);
      if (c.file) await this.storeFile(trx, id, c.file);
      await this.reindex(trx, id);
      await audit(trx, me, { action: 'library.add', recordType: 'library_resource', recordId: id });
      return id;
    });
  }

  async update(actor: Actor, id: string, input: ResourceInput, upload?: Upload): Promise<void> {
    const me = libraryPolicy.person(actor, 'add');
    const current = await repo.findResource(this.p.db, id);
    if (!current || !canEdit(me, current.organisation_id)) throw AppError.notFound();
    const { file: existing } = await repo.resourceDetails(this.p.db, id);
    const c = await this.checked(me, current.organisation_id, input, upload, { id, hasFile: existing !== undefined });
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockResource(trx, id);
      if (!locked || !canEdit(me, locked.organisation_id)) throw AppError.notFound();
      await repo.updateResource(trx, id, { ...c.row, work_id: c.workId });
      // Cleared "translation of": the resource stands alone again.
      if (!c.keepWork && !c.workId) await repo.ownWork(trx, id);
      await repo.replaceAuthors(trx, id, c.authors);
      await repo.replaceReaders(trx, id, c.readers);
      if (c.file) await this.storeFile(trx, id, c.file);
      else if (input.removeFile === 'yes') {
        await repo.deleteFile(trx, id);
        await repo.setTextState(trx, id, 'none');
      }
      await this.reindex(trx, id);
      await audit(trx, me, { action: 'library.update', recordType: 'library_resource', recordId: id });
    });
  }

  private async storeFile(trx: Parameters<typeof repo.insertFile>[0], resourceId: string, file: LibraryFile) {
    const fileId = await repo.insertFile(trx, { resource_id: resourceId, filename: file.filename, media_type: file.mediaType, size: file.data.length, sha256: file.sha256, content: file.data });
    const hasText = file.family === 'document';
    await repo.setTextState(trx, resourceId, hasText ? 'pending' : 'none');
    // The text is read in a job: a 500-page PDF must not hold the form's answer.
    if (hasText) await this.p.jobs.enqueue(trx, EXTRACT_JOB, { fileId });
  }

  /** The search columns again, from the resource as stored (its file's text once extracted). */
  private async reindex(db: Parameters<typeof repo.setSearch>[0], id: string) {
    const source = await repo.searchSource(db, id);
    if (!source) return;
    const authors = (await repo.authorNames(db, id)).join('\n');
    const body = [source.summary, authors].filter(Boolean).join('\n');
    const text = source.extracted_text ?? '';
    const indexed = indexText(
      [
        { text: source.title, weight: 'A' },
        { text: body, weight: 'B' },
        { text, weight: 'C' },
      ],
      source.language,
    );
    await repo.setSearch(db, id, {
      folded: indexed.folded,
      vector: indexed.vector,
      stemmer: stemmerFor(source.language),
      title: foldForSearch(source.title),
      body: foldForSearch(body),
      text: foldForSearch(text),
    });
  }

  /**
   * Every resource's search columns made again from what is stored, in id order, `batch` ids at a
   * time: after a change to the folding or to the stemmers (a release note says when), and the
   * benchmark's index build. Each resource in its own short transaction, under its row's lock, so
   * an edit saved meanwhile is never overwritten with an index of its older text, and the embedded
   * database's one session is never held for more than one resource. Returns how many were
   * indexed and how many could not be (each logged, keeping its old index).
   */
  async rebuildIndex(batch = 200): Promise<{ indexed: number; failed: number }> {
    // Audited first: a run stopped half way has its entry.
    await this.p.db.transaction().execute((trx) => audit(trx, null, { action: 'library.reindex', recordType: 'library_resource', recordId: null }));
    let after: string | undefined;
    let indexed = 0;
    let failed = 0;
    for (;;) {
      const ids = await repo.resourceIdsAfter(this.p.db, after, batch);
      if (ids.length === 0) return { indexed, failed };
      for (const id of ids) {
        try {
          await this.p.db.transaction().execute(async (trx) => {
            if (!(await repo.lockResource(trx, id))) return;
            await this.reindex(trx, id);
            indexed++;
          });
        } catch (err) {
          // One resource the index cannot take (a text past the vector's limit once stems are
          // added) keeps its old index; the rest are rebuilt. Its id is logged to look at.
          failed++;
          this.p.log.warn({ resourceId: id, err: { message: (err as Error).message } }, 'library: resource could not be reindexed');
        }
      }
      after = ids.at(-1);
    }
  }

  /** The job: a PDF's or EPUB's text, extracted and indexed. A file that cannot be read is marked so. */
  async extract(fileId: string): Promise<void> {
    const file = await repo.fileForExtraction(this.p.db, fileId);
    // Replaced or removed since: nothing to do.
    if (!file) return;
    let text: string | undefined;
    let failed = false;
    try {
      text = await extractInWorker(file.media_type, file.content);
    } catch (err) {
      // A broken, encrypted or hostile file: searchable by its title and summary only. Not retried.
      failed = true;
      this.p.log.warn({ fileId, err: { message: (err as Error).message } }, 'library: text could not be extracted');
    }
    const store = (t: string | null, state: 'done' | 'failed' | 'none') =>
      this.p.db.transaction().execute(async (trx) => {
        // The file may have been replaced while it was read: then this job's text is not its.
        if (!(await repo.lockFile(trx, fileId))) return;
        await repo.setExtractedText(trx, fileId, t);
        await repo.setTextState(trx, file.resource_id, state);
        await this.reindex(trx, file.resource_id);
        await audit(trx, null, { action: 'library.extract', recordType: 'library_resource', recordId: file.resource_id });
      });
    try {
      await store(text ?? null, failed ? 'failed' : text === undefined ? 'none' : 'done');
    } catch (err) {
      // Text the index cannot take: kept out, and the resource found by its title and summary.
      this.p.log.warn({ fileId, err: { message: (err as Error).message } }, 'library: extracted text could not be indexed');
      await store(null, 'failed');
    }
  }

  async feature(actor: Actor, id: string, input: FeatureInput): Promise<void> {
    const me = libraryPolicy.person(actor, 'feature');
    await this.p.db.transaction().execute(async (trx) => {
      const locked = await repo.lockResource(trx, id);
      if (!locked) throw AppError.notFound();
      // A resource the convener may not read is not theirs to feature, nor to learn exists.
      const readers = locked.visibility === 'organisations' ? await repo.readersOf(trx, id) : [];
      if (!canRead(readerOf(me), locked, readers)) throw AppError.notFound();
      await repo.setFeatured(trx, id, input.featured === 'yes' ? me.id : null);
      await audit(trx, me, { action: input.featured === 'yes' ? 'library.feature' : 'library.unfeature', recordType: 'library_resource', recordId: id });
    });
  }

  // ---- reading --------------------------------------------------------------------------------

  /** One resource as its reader may see it; 404 for anyone it is not for. */
  async resource(actor: Actor, id: string) {
    const r = await repo.findResource(this.p.db, id);
    if (!r) throw AppError.notFound();
    const details = await repo.resourceDetails(this.p.db, id);
    const reader = readerOf(actor);
    if (!canRead(reader, r, details.readers.map((x) => x.organisation_id))) throw AppError.notFound();
    const translations = await repo.translations(this.p.db, r.work_id, id, reader);
    const editable = canEdit(actor, r.organisation_id);
    return {
      resource: r,
      ...details,
      // Who else reads a resource kept to named organisations is the adding organisation's business.
      readers: editable ? details.readers : [],
      translations,
      canEdit: editable,
      canFeature: libraryPolicy.can(actor, 'feature'),
      jsonLd: scriptJson(
        resourceJsonLd({
          url: this.urls.resource(r.id),
          kind: r.kind,
          title: r.title,
          summary: r.content_warning ? '' : r.summary,
          language: r.language,
          issuedOn: r.issued_on,
          licence: r.licence,
          link: r.link,
          fileUrl: details.file ? this.urls.file(r.id) : null,
          fileType: details.file?.media_type ?? null,
          countries: r.countries,
          authors: details.authors.map((a) => ({
            name: a.name ?? a.organisation_name ?? '',
            url: a.organisation_slug ? this.urls.organisation(a.organisation_slug) : undefined,
            organisation: a.organisation_id !== null,
          })),
          publisher: { name: r.organisation_name, url: this.urls.organisation(r.organisation_slug) },
          translations: translations.map((t) => ({ url: this.urls.resource(t.id), title: t.title, language: t.language })),
        }),
      ),
    };
  }

  /** The values of the edit form, from the resource as stored. */
  async editForm(actor: Actor, id: string) {
    const data = await this.resource(actor, id);
    if (!data.canEdit) throw AppError.notFound();
    const r = data.resource;
    return {
      data,
      values: {
        kind: r.kind,
        title: r.title,
        summary: r.summary,
        issuedOn: r.issued_on ?? '',
        language: r.language,
        translationOf: data.translations[0] ? String(data.translations[0].number) : '',
        translationOfBefore: data.translations[0] ? String(data.translations[0].number) : '',
        licence: r.licence,
        link: r.link ?? '',
        countries: r.countries,
        activities: r.activities,
        themes: r.themes,
        visibility: r.visibility,
        readers: data.readers.map((x) => x.organisation_id),
        authorOrganisations: data.authors.filter((a) => a.organisation_id).map((a) => a.organisation_id as string),
        authorNames: data.authors.filter((a) => a.name).map((a) => a.name).join('\n'),
        contentWarning: r.content_warning ?? '',
        actingFor: r.organisation_id,
      } as Record<string, unknown>,
    };
  }

  async file(actor: Actor, id: string) {
    await this.resource(actor, id);
    const file = await repo.fileContent(this.p.db, id);
    if (!file) throw AppError.notFound();
    return file;
  }

  /** A query made ready for the repository: every word by its stems, whole forms and trigrams. */
  private async textMatch(q: string | undefined): Promise<repo.TextMatch | undefined> {
    if (!q) return undefined;
    const parsed = searchQuery(q);
    if (parsed.words.length === 0) return undefined;
    const stems = await repo.stemmedForms(this.p.db, parsed.words, QUERY_STEMMERS);
    const alternatives = parsed.words.map((_, i) => [...(stems[i] ?? []), parsed.plain[i] as string]);
    return {
      query: parsed.words.map((_, i) => `(${[...(alternatives[i] ?? []), parsed.grams[i]].filter(Boolean).join(' | ')})`).join(' & '),
      confirm: parsed.words.flatMap((word, i) => (parsed.grams[i] ? [{ word, exact: (alternatives[i] ?? []).join(' | ') }] : [])),
      words: parsed.words,
    };
  }

  async search(actor: Actor, query: SearchQuery) {
    const reader = readerOf(actor);
    const filters: repo.Filters = {
      kind: query.kind || undefined,
      language: query.language || undefined,
      country: query.country || undefined,
      activity: query.activity || undefined,
      theme: query.theme || undefined,
      recent: query.recent === 'month' || undefined,
    };
    const match = await this.textMatch(query.q);
    const page = pageOf(query.page, LIBRARY_PAGE);
    const [found, facets, featured] = await Promise.all([
      repo.search(this.p.db, reader, match, filters, page.limit, page.offset),
      repo.facets(this.p.db, reader, match, filters),
      match || Object.values(filters).some(Boolean) ? Promise.resolve([]) : repo.featured(this.p.db, reader, FEATURED_SHOWN),
    ]);
    const pager = pagerOf(page, found.total);
    if (found.total > 0 && page.offset >= found.total) throw AppError.field('page', 'errors.page');
    const ids = found.rows.map((r) => r.id);
    const words = match?.words ?? [];
    const [sources, authors] = await Promise.all([
      match ? repo.passageSources(this.p.db, ids, words.find((w) => w.length >= 3) ?? words[0]) : Promise.resolve(new Map<string, string>()),
      repo.authorsOf(this.p.db, ids),
    ]);
    return {
      results: found.rows.map((r) => ({
        ...r,
        authors: authors.filter((a) => a.resource_id === r.id).map((a) => a.name),
        // Distressing material shows nothing of itself in a list: the reader opens it on its page.
        passage: r.content_warning ? undefined : bestPassage(sources.get(r.id) ?? '', words),
      })),
      facets,
      featured,
      pager,
      filters,
      q: query.q ?? '',
      canAdd: this.canAdd(actor),
    };
  }

  async feed(t: (key: string, values?: Record<string, string | number>) => string): Promise<string> {
    const rows = await repo.newestPublic(this.p.db, FEED_SIZE);
    const authors = await repo.authorsOf(
      this.p.db,
      rows.map((r) => r.id),
    );
    const entries: FeedEntry[] = rows.map((r) => ({
      url: this.urls.resource(r.id),
      title: r.title,
      summary: r.content_warning ? t('library.warningLine', { warning: r.content_warning }) : r.summary,
      language: r.language,
      kind: r.kind,
      countries: r.countries,
      authors: authors.filter((a) => a.resource_id === r.id).map((a) => a.name),
      organisation: r.organisation_name,
      published: r.created_at,
      updated: r.updated_at,
    }));
    return libraryAtom(entries, { feedUrl: this.urls.feed, siteUrl: this.urls.site, title: t('library.feedTitle') });
  }

  /** The self-care guidance public in the library, for the support page. */
  async selfCare(actor: Actor) {
    return (await this.search(actor, { kind: 'self_care' })).results.slice(0, 10);
  }
}
