import type { ComponentChildren } from 'preact';
import { RESOURCE_KINDS } from '../../../db/schema/library.ts';
import { countryName, countryOptions } from '../../../platform/countries.ts';
import type { FieldErrors } from '../../../platform/errors.ts';
import { filterQuery } from '../../../platform/http.tsx';
import { languageName, languageOptions } from '../../../platform/languages.ts';
import { ACTIVITIES, STAKEHOLDERS } from '../../../platform/vocabulary.ts';
import { ActingFor, Checkboxes, ErrorSummary, Field, FileField, MultiSelect, Pager, PostButton, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { day, listOf } from '../../../views/format.ts';
import { Layout } from '../../../views/layout.tsx';
import { ACCEPTED_EXTENSIONS, LIBRARY_FILE_LIMIT } from '../files.ts';
import { LIBRARY_LIMITS, LICENCES, SEARCH_KEYS, VISIBILITIES } from '../library.schemas.ts';
import type { LibraryService } from '../library.service.ts';

type SearchData = Awaited<ReturnType<LibraryService['search']>>;
type ResourceData = Awaited<ReturnType<LibraryService['resource']>>;
type Options = Awaited<ReturnType<LibraryService['formOptions']>>;

const withCount = (label: string, n: number | undefined, number: (v: number) => string) => `${label} (${number(n ?? 0)})`;

/** A passage with its matching words marked. */
function Passage({ text, marks }: { text: string; marks: [number, number][] }) {
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (const [from, to] of marks) {
    if (from > at) parts.push(text.slice(at, from));
    parts.push(<mark key={from}>{text.slice(from, to)}</mark>);
    at = to;
  }
  parts.push(text.slice(at));
  return (
    <p class="passage" dir="auto">
      {parts}
    </p>
  );
}

function SearchForm({ ctx, data, errors, values }: { ctx: ViewContext; data?: SearchData; errors: FieldErrors; values: Record<string, unknown> }) {
  const { t, locale, number } = ctx.intl;
  const counts = (dimension: string) => new Map((data?.facets ?? []).filter((f) => f.dimension === dimension).map((f) => [f.value, f.n]));
  const any = { value: '', label: t('library.any') };
  const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, locale);
  const present = (m: Map<string, number>, selected: unknown) => [...m.keys(), ...(typeof selected === 'string' && selected && !m.has(selected) ? [selected] : [])];
  const kinds = counts('kind');
  const languages = counts('language');
  const countries = counts('country');
  const activities = counts('activity');
  const themes = counts('theme');
  const recent = counts('recent').get('month') ?? 0;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for the older phone browsers people use; role="search" on the form works everywhere
    <form method="get" action="/library" class="filters" role="search" aria-label={t('library.searchLabel')}>
      <div class="field">
        <label for="q">{t('library.search')}</label>
        <span class="hint" id="q-hint">
          {t('library.searchHint')}
        </span>
        {errors.q && (
          <span class="field-error" id="q-error">
            {t(errors.q.key, errors.q.values)}
          </span>
        )}
        <input id="q" name="q" type="search" value={str(values.q)} maxLength={LIBRARY_LIMITS.query} aria-describedby={errors.q ? 'q-hint q-error' : 'q-hint'} aria-invalid={errors.q ? 'true' : undefined} dir="auto" />
      </div>
      <div class="row">
        <Select ctx={ctx} name="kind" label={t('library.kind')} value={str(values.kind)} errors={errors} options={[any, ...RESOURCE_KINDS.map((k) => ({ value: k, label: withCount(t(`library.kinds.${k}`), kinds.get(k), number) }))]} />
        <Select
          ctx={ctx}
          name="language"
          label={t('library.language')}
          value={str(values.language)}
          errors={errors}
          options={[any, ...present(languages, values.language).map((l) => ({ value: l, label: withCount(languageName(locale, l), languages.get(l), number) })).sort(byLabel)]}
        />
        <Select
          ctx={ctx}
          name="country"
          label={t('library.country')}
          value={str(values.country)}
          errors={errors}
          options={[any, ...present(countries, values.country).map((c) => ({ value: c, label: withCount(countryName(locale, c), countries.get(c), number) })).sort(byLabel)]}
        />
        <Select ctx={ctx} name="activity" label={t('library.activity')} value={str(values.activity)} errors={errors} options={[any, ...ACTIVITIES.map((a) => ({ value: a, label: withCount(t(`activity.${a}`), activities.get(a), number) }))]} />
        <Select ctx={ctx} name="theme" label={t('library.theme')} value={str(values.theme)} errors={errors} options={[any, ...STAKEHOLDERS.map((s) => ({ value: s, label: withCount(t(`stakeholder.${s}`), themes.get(s), number) }))]} />
        <Select ctx={ctx} name="recent" label={t('library.added')} value={str(values.recent)} errors={errors} options={[{ value: '', label: t('library.anyTime') }, { value: 'month', label: withCount(t('library.thisMonth'), recent, number) }]} />
      </div>
      <div class="actions">
        <button type="submit">{t('library.apply')}</button>
        <a href="/library">{t('library.clear')}</a>
      </div>
    </form>
  );
}

function ResultItem({ ctx, r }: { ctx: ViewContext; r: SearchData['results'][number] }) {
  const { t, locale } = ctx.intl;
  return (
    <li>
      <h3>
        <a href={`/library/${r.id}`} lang={r.language} dir="auto">
          {r.title}
        </a>
      </h3>
      <p class="muted">
        {t(`library.kinds.${r.kind}`)} · {languageName(locale, r.language)} · <span dir="auto">{r.authors.length > 0 ? listOf(ctx, r.authors) : r.organisation_name}</span>
        {r.issued_on ? ` · ${day(ctx, r.issued_on)}` : ''}
        {r.visibility !== 'public' && (
          <>
            {' '}
            <span class="badge">{t(`library.visibility.${r.visibility}`)}</span>
          </>
        )}
      </p>
      {r.content_warning ? (
        <p class="warning" dir="auto">
          {t('library.warningLine', { warning: r.content_warning })}
        </p>
      ) : r.passage ? (
        <Passage text={r.passage.text} marks={r.passage.marks} />
      ) : (
        r.summary && (
          <p dir="auto" lang={r.language}>
            {r.summary.length > 240 ? `${r.summary.slice(0, 240)}…` : r.summary}
          </p>
        )
      )}
    </li>
  );
}

export function LibraryPage({ ctx, data, errors = {}, values }: { ctx: ViewContext; data?: SearchData; errors?: FieldErrors; values: Record<string, unknown> }) {
  const { t, number } = ctx.intl;
  const failed = Object.keys(errors).length > 0;
  const title = t('library.title');
  const href = (page: number) => `/library${filterQuery(SEARCH_KEYS, { ...values, page })}`;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <p>{t('library.intro')}</p>
      <p>
        {data?.canAdd && (
          <>
            <a href="/library/new">{t('library.add')}</a> ·{' '}
          </>
        )}
        <a href="/library/feed.atom">{t('library.feed')}</a> · <a href="/support">{t('library.supportLink')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={failed ? 'errors.libraryFilter' : undefined} />
      <SearchForm ctx={ctx} {...(data ? { data } : {})} errors={errors} values={values} />
      {data && data.featured.length > 0 && (
        <section aria-labelledby="featured">
          <h2 id="featured">{t('library.featured')}</h2>
          <ul class="cards">
            {data.featured.map((f) => (
              <li key={f.id}>
                <h3>
                  <a href={`/library/${f.id}`} lang={f.language} dir="auto">
                    {f.title}
                  </a>
                </h3>
                <p class="muted">
                  {t(`library.kinds.${f.kind}`)} · <span dir="auto">{f.organisation_name}</span>
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
      {data && (
        <section aria-labelledby="results">
          <h2 id="results">{data.q ? t('library.resultsFor', { count: data.pager.total, shown: number(data.pager.total), q: data.q }) : t('library.resources', { count: data.pager.total, shown: number(data.pager.total) })}</h2>
          {data.results.length === 0 ? (
            <p>{data.q ? t('library.noMatch') : t('library.empty')}</p>
          ) : (
            <ul class="cards">
              {data.results.map((r) => (
                <ResultItem ctx={ctx} r={r} key={r.id} />
              ))}
            </ul>
          )}
          <Pager ctx={ctx} pager={data.pager} href={href} />
        </section>
      )}
    </Layout>
  );
}

const sizeText = (ctx: ViewContext, bytes: number) => (bytes >= 1024 * 1024 ? t2(ctx, 'library.sizeMb', bytes / 1024 / 1024) : t2(ctx, 'library.sizeKb', Math.max(1, Math.round(bytes / 1024))));
const t2 = (ctx: ViewContext, key: string, n: number) => ctx.intl.t(key, { size: ctx.intl.number(Math.round(n * 10) / 10) });

function ResourceBody({ ctx, data }: { ctx: ViewContext; data: ResourceData }) {
  const { t, locale, date } = ctx.intl;
  const r = data.resource;
  return (
    <>
      {r.summary && (
        <p dir="auto" lang={r.language} class="summary">
          {r.summary}
        </p>
      )}
      {r.link && (
        <p>
          <a href={r.link} rel="noopener noreferrer nofollow" dir="ltr">
            {t('library.openLink')}
          </a>
        </p>
      )}
      {data.file && (
        <p>
          <a href={`/library/${r.id}/file`} download>
            {t('library.download', { name: data.file.filename })}
          </a>{' '}
          <span class="muted">({sizeText(ctx, data.file.size)})</span>
          {r.text_state === 'pending' && <span class="hint"> {t('library.textPending')}</span>}
          {r.text_state === 'failed' && <span class="hint"> {t('library.textFailed')}</span>}
        </p>
      )}
      <dl class="facts">
        <dt>{t('library.kind')}</dt>
        <dd>{t(`library.kinds.${r.kind}`)}</dd>
        {data.authors.length > 0 && (
          <>
            <dt>{t('library.authors')}</dt>
            <dd>
              {data.authors.map((a, i) => (
                <span key={a.position}>
                  {i > 0 && ', '}
                  {a.organisation_slug ? (
                    <a href={`/directory/${a.organisation_slug}`} dir="auto">
                      {a.organisation_name}
                    </a>
                  ) : (
                    <span dir="auto">{a.name}</span>
                  )}
                </span>
              ))}
            </dd>
          </>
        )}
        {r.issued_on && (
          <>
            <dt>{t('library.issuedOn')}</dt>
            <dd>{day(ctx, r.issued_on)}</dd>
          </>
        )}
        <dt>{t('library.language')}</dt>
        <dd>{languageName(locale, r.language)}</dd>
        <dt>{t('library.licence')}</dt>
        <dd>{t(`library.licences.${r.licence}`)}</dd>
        {r.countries.length > 0 && (
          <>
            <dt>{t('library.countries')}</dt>
            <dd>{listOf(ctx, r.countries.map((c) => countryName(locale, c)))}</dd>
          </>
        )}
        {r.activities.length > 0 && (
          <>
            <dt>{t('library.activities')}</dt>
            <dd>{listOf(ctx, r.activities.map((a) => t(`activity.${a}`)))}</dd>
          </>
        )}
        {r.themes.length > 0 && (
          <>
            <dt>{t('library.themes')}</dt>
            <dd>{listOf(ctx, r.themes.map((s) => t(`stakeholder.${s}`)))}</dd>
          </>
        )}
        <dt>{t('library.addedBy')}</dt>
        <dd>
          <a href={`/directory/${r.organisation_slug}`} dir="auto">
            {r.organisation_name}
          </a>{' '}
          · {date(r.created_at)}
        </dd>
        <dt>{t('library.whoReads')}</dt>
        <dd>
          {t(`library.visibility.${r.visibility}`)}
          {data.readers.length > 0 && `: ${listOf(ctx, data.readers.map((x) => x.name))}`}
        </dd>
      </dl>
    </>
  );
}

export function ResourcePage({ ctx, data }: { ctx: ViewContext; data: ResourceData }) {
  const { t, locale } = ctx.intl;
  const r = data.resource;
  return (
    <Layout ctx={ctx} title={r.title}>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: JSON from JSON.stringify with "<" escaped (platform/publishing.ts scriptJson), in a data block that never runs */}
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: data.jsonLd }} />
      <p class="muted">
        <a href="/library">{t('library.title')}</a> · {t('library.number', { number: r.number })}
        {r.featured_at && (
          <>
            {' '}
            <span class="badge">{t('library.featuredBadge')}</span>
          </>
        )}
      </p>
      <h1 lang={r.language} dir="auto">
        {r.title}
      </h1>
      {data.translations.length > 0 && (
        <p>
          {t('library.alsoIn')}{' '}
          {data.translations.map((tr, i) => (
            <span key={tr.id}>
              {i > 0 && ' · '}
              <a href={`/library/${tr.id}`} hreflang={tr.language} lang={tr.language} dir="auto">
                {tr.title}
              </a>{' '}
              ({languageName(locale, tr.language)})
            </span>
          ))}
        </p>
      )}
      {r.content_warning ? (
        // Folded until the reader chooses to open it; works without JavaScript.
        <details class="content-warning">
          <summary>
            <span class="warning" dir="auto">
              {t('library.warningLine', { warning: r.content_warning })}
            </span>{' '}
            {t('library.showAnyway')}
          </summary>
          <ResourceBody ctx={ctx} data={data} />
        </details>
      ) : (
        <ResourceBody ctx={ctx} data={data} />
      )}
      {(data.canEdit || data.canFeature) && (
        <div class="actions">
          {data.canEdit && <a href={`/library/${r.id}/edit`}>{t('library.edit')}</a>}
          {data.canFeature && (
            <PostButton ctx={ctx} action={`/library/${r.id}/feature`} label={r.featured_at ? t('library.unfeature') : t('library.featureIt')} hidden={{ featured: r.featured_at ? 'no' : 'yes' }} secondary />
          )}
        </div>
      )}
    </Layout>
  );
}

export function ResourceFormPage({ ctx, options, state = EMPTY, editing }: { ctx: ViewContext; options: Options; state?: FormState; editing?: { id: string; file?: { filename: string } | undefined } }) {
  const { t, locale } = ctx.intl;
  const v = state.values;
  const e = state.errors;
  const failed = Object.keys(e).length > 0 || state.summaryKey !== undefined;
  const title = editing ? t('library.editTitle') : t('library.addTitle');
  const orgOptions = options.organisations.map((o) => ({ value: o.id, label: o.name }));
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <p>{t('library.formIntro')}</p>
      <ErrorSummary ctx={ctx} errors={e} summaryKey={state.summaryKey} />
      {failed && (v.hadFile === 'yes' || e.file) && <p class="warning">{t('library.attachAgain')}</p>}
      <form method="post" action={editing ? `/library/${editing.id}` : '/library'} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        {!editing && <ActingFor ctx={ctx} value={v.actingFor} errors={e} />}
        <Select ctx={ctx} name="kind" label={t('library.kind')} value={v.kind ?? 'report'} errors={e} options={RESOURCE_KINDS.map((k) => ({ value: k, label: t(`library.kinds.${k}`) }))} />
        <Field ctx={ctx} name="title" label={t('library.titleField')} value={v.title} errors={e} required maxLength={LIBRARY_LIMITS.title} />
        <Textarea ctx={ctx} name="summary" label={t('library.summary')} hint={t('library.summaryHint')} value={v.summary ?? ''} errors={e} rows={5} maxLength={LIBRARY_LIMITS.summary} />
        <Select
          ctx={ctx}
          name="language"
          label={t('library.language')}
          hint={t('library.languageHint')}
          value={v.language ?? ''}
          errors={e}
          options={[{ value: '', label: t('library.chooseLanguage') }, ...languageOptions(locale)]}
        />
        {editing && <input type="hidden" name="translationOfBefore" value={typeof v.translationOfBefore === 'string' ? v.translationOfBefore : ''} />}
        <Field ctx={ctx} name="translationOf" label={t('library.translationOf')} hint={t('library.translationOfHint')} value={v.translationOf} errors={e} inputmode="numeric" maxLength={9} />
        <Field ctx={ctx} name="issuedOn" label={t('library.issuedOn')} hint={t('library.issuedOnHint')} value={v.issuedOn} errors={e} maxLength={10} dir="ltr" />
        <MultiSelect ctx={ctx} name="authorOrganisations" label={t('library.authorOrganisations')} hint={t('library.authorOrganisationsHint')} options={orgOptions} value={v.authorOrganisations} errors={e} />
        <Textarea ctx={ctx} name="authorNames" label={t('library.authorNames')} hint={t('library.authorNamesHint')} value={v.authorNames ?? ''} errors={e} rows={3} maxLength={LIBRARY_LIMITS.authors} />
        <Field ctx={ctx} name="link" type="url" label={t('library.link')} hint={t('library.linkHint')} value={v.link} errors={e} maxLength={LIBRARY_LIMITS.link} dir="ltr" />
        <FileField ctx={ctx} name="file" label={t('library.file')} hint={t('library.fileHint', { max: LIBRARY_FILE_LIMIT / 1024 / 1024 })} accept={ACCEPTED_EXTENSIONS} errors={e} />
        {editing?.file && (
          <Checkboxes ctx={ctx} name="removeFile" legend={t('library.currentFile', { name: editing.file.filename })} options={[{ value: 'yes', label: t('library.removeFile') }]} value={v.removeFile} errors={e} />
        )}
        <Select ctx={ctx} name="licence" label={t('library.licence')} value={v.licence ?? 'CC-BY-4.0'} errors={e} options={LICENCES.map((l) => ({ value: l, label: t(`library.licences.${l}`) }))} />
        <MultiSelect ctx={ctx} name="countries" label={t('library.countries')} options={countryOptions(locale)} value={v.countries} errors={e} />
        <Checkboxes ctx={ctx} name="activities" legend={t('library.activities')} options={ACTIVITIES.map((a) => ({ value: a, label: t(`activity.${a}`) }))} value={v.activities} errors={e} />
        <Checkboxes ctx={ctx} name="themes" legend={t('library.themes')} hint={t('library.themesHint')} options={STAKEHOLDERS.map((s) => ({ value: s, label: t(`stakeholder.${s}`) }))} value={v.themes} errors={e} />
        <Radios ctx={ctx} name="visibility" legend={t('library.whoReads')} hint={t('library.visibilityHint')} options={VISIBILITIES.map((x) => ({ value: x, label: t(`library.visibilityChoice.${x}`) }))} value={v.visibility} errors={e} />
        <MultiSelect ctx={ctx} name="readers" label={t('library.readers')} hint={t('library.readersHint')} options={orgOptions} value={v.readers} errors={e} />
        <Field ctx={ctx} name="contentWarning" label={t('library.contentWarning')} hint={t('library.contentWarningHint')} value={v.contentWarning} errors={e} maxLength={LIBRARY_LIMITS.contentWarning} />
        <button type="submit">{editing ? t('library.save') : t('library.addButton')}</button>
      </form>
    </Layout>
  );
}

/** For a signed-in person who belongs to no member organisation: nobody to add in the name of. */
export function CannotAddPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('library.addTitle')}>
      <h1>{t('library.addTitle')}</h1>
      <p>{t('library.cannotAdd')}</p>
      <p>
        <a href="/library">{t('library.title')}</a>
      </p>
    </Layout>
  );
}
