import { countryName } from '../../../platform/countries.ts';
import type { FieldErrors } from '../../../platform/errors.ts';
import { filterQuery } from '../../../platform/http.tsx';
import { languageName } from '../../../platform/languages.ts';
import { excerpt, markdownToText } from '../../../platform/markdown.ts';
import { ErrorSummary, Select } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { DirectoryQuery } from '../directory.schemas.ts';
import type { DirectoryPage, Profile } from '../directory.service.ts';
import { ACTIVITIES, STAKEHOLDERS } from '../directory.vocabulary.ts';
import { listOf } from '../../../views/format.ts';

/** The query string for a set of filters (empty ones left out), for links that keep them. */
export function directoryQuery(filters: DirectoryQuery, change: Partial<Record<keyof DirectoryQuery, string | number | undefined>> = {}): string {
  return filterQuery(['q', 'activity', 'stakeholder', 'country', 'language', 'diasporaLed', 'page'], { ...filters, ...change });
}

function withCount(label: string, n: number | undefined, number: (v: number) => string) {
  return `${label} (${number(n ?? 0)})`;
}

function FilterForm({ ctx, data, errors }: { ctx: ViewContext; data: DirectoryPage; errors: FieldErrors }) {
  const { t, locale, number } = ctx.intl;
  const f = data.filters;
  const any = { value: '', label: t('directory.any') };
  const present = (m: Map<string, number>, selected: string | undefined) => [...m.keys(), ...(selected && !m.has(selected) ? [selected] : [])];
  const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, locale);
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for the older phone browsers people use; role="search" on the form works everywhere
    <form method="get" action="/directory" class="filters" role="search" aria-label={t('directory.searchLabel')}>
      <div class="field">
        <label for="q">{t('directory.search')}</label>
        <span class="hint" id="q-hint">
          {t('directory.searchHint')}
        </span>
        <input id="q" name="q" type="search" value={f.q ?? ''} maxLength={200} aria-describedby="q-hint" dir="auto" />
      </div>
      <div class="row">
        <Select
          ctx={ctx}
          name="activity"
          label={t('directory.activity')}
          value={f.activity ?? ''}
          errors={errors}
          options={[any, ...ACTIVITIES.map((a) => ({ value: a, label: withCount(t(`activity.${a}`), data.facets.activity.get(a), number) }))]}
        />
        <Select
          ctx={ctx}
          name="stakeholder"
          label={t('directory.stakeholder')}
          value={f.stakeholder ?? ''}
          errors={errors}
          options={[any, ...STAKEHOLDERS.map((s) => ({ value: s, label: withCount(t(`stakeholder.${s}`), data.facets.stakeholder.get(s), number) }))]}
        />
        <Select
          ctx={ctx}
          name="country"
          label={t('directory.country')}
          value={f.country ?? ''}
          errors={errors}
          options={[
            any,
            ...present(data.facets.country, f.country)
              .map((c) => ({ value: c, label: withCount(countryName(locale, c), data.facets.country.get(c), number) }))
              .sort(byLabel),
          ]}
        />
        <Select
          ctx={ctx}
          name="language"
          label={t('directory.language')}
          value={f.language ?? ''}
          errors={errors}
          options={[
            any,
            ...present(data.facets.language, f.language)
              .map((l) => ({ value: l, label: withCount(languageName(locale, l), data.facets.language.get(l), number) }))
              .sort(byLabel),
          ]}
        />
        <Select
          ctx={ctx}
          name="diasporaLed"
          label={t('directory.diasporaLed')}
          value={f.diasporaLed ?? ''}
          errors={errors}
          options={[
            any,
            { value: 'yes', label: withCount(t('form.yes'), data.facets.diasporaLed.get('yes'), number) },
            { value: 'no', label: withCount(t('form.no'), data.facets.diasporaLed.get('no'), number) },
          ]}
        />
      </div>
      <div class="actions">
        <button type="submit">{t('directory.apply')}</button>
        <a href="/directory">{t('directory.clear')}</a>
      </div>
    </form>
  );
}

export function OrganisationCard({ ctx, org }: { ctx: ViewContext; org: Profile }) {
  const { t, locale } = ctx.intl;
  return (
    <li>
      <h3>
        <a href={`/directory/${org.slug}`} dir="auto">
          {org.name}
        </a>{' '}
        {org.shortName && (
          <span class="muted" dir="auto">
            ({org.shortName})
          </span>
        )}{' '}
        {org.isDemo && <span class="badge">{t('demo.badge')}</span>}
      </h3>
      {org.mission && <p dir="auto">{excerpt(markdownToText(org.mission), 220)}</p>}
      {org.activities.length > 0 && (
        <ul class="tags" aria-label={t('profile.activities')}>
          {org.activities.map((a) => (
            <li key={a}>{t(`activity.${a}`)}</li>
          ))}
        </ul>
      )}
      {org.countries.length > 0 && (
        <p class="muted">
          {t('profile.countries')}: {listOf(ctx, org.countries.map((c) => countryName(locale, c)))}
        </p>
      )}
    </li>
  );
}

export function DirectoryListPage({ ctx, data, errors = {} }: { ctx: ViewContext; data: DirectoryPage; errors?: FieldErrors }) {
  const { t, number } = ctx.intl;
  const f = data.filters;
  const failed = Object.keys(errors).length > 0;
  const title = t('directory.title');
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <p>{t('directory.intro')}</p>
      <p class="actions">
        <a href="/map">{t('directory.toMap')}</a>
        <a href="/apply">{t('directory.toApply')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <FilterForm ctx={ctx} data={data} errors={errors} />
      <h2 id="results" aria-live="polite">
        {t('directory.results', { count: data.total })}
      </h2>
      {data.total === 0 ? (
        <p>{t('directory.none')}</p>
      ) : (
        <ul class="cards" aria-labelledby="results">
          {data.items.map((org) => (
            <OrganisationCard ctx={ctx} org={org} key={org.id} />
          ))}
        </ul>
      )}
      {data.pages > 1 && (
        <nav class="pager" aria-label={t('directory.pages')}>
          {data.page > 1 ? <a href={`/directory${directoryQuery(f, { page: data.page - 1 })}`}>{t('directory.previous')}</a> : <span />}
          <span>{t('directory.pageOf', { page: number(data.page), pages: number(data.pages) })}</span>
          {data.page < data.pages ? <a href={`/directory${directoryQuery(f, { page: data.page + 1 })}`}>{t('directory.next')}</a> : <span />}
        </nav>
      )}
      <p>
        <a href={`/directory/export.csv${directoryQuery(f, { page: undefined })}`}>{t('directory.export')}</a> <span class="hint">{t('directory.exportHint')}</span>
      </p>
    </Layout>
  );
}
