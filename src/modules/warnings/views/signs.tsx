import { countryName, countryOptions } from '../../../platform/countries.ts';
import type { FieldErrors } from '../../../platform/errors.ts';
import { filterQuery } from '../../../platform/http.tsx';
import { languageName, languageOptions } from '../../../platform/languages.ts';
import { ActingFor, Checkboxes, ErrorSummary, Field, FileField, Form, message, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { Framework } from '../framework.ts';
import type { SignRow } from '../signs.repository.ts';
import { CONFIDENCE, SENSITIVITY, SIGN_STATES, type SignQuery } from '../signs.schemas.ts';
import type { SignsService } from '../signs.service.ts';
import type { FormState } from '../../../views/form.ts';
import { Codes, CountryLink, day, SensitivityBadge, StateBadge, Statements } from './common.tsx';
import { listOf } from '../../../views/format.ts';

type ListData = Awaited<ReturnType<SignsService['list']>>;
type SignData = Awaited<ReturnType<SignsService['sign']>>;
type FormOptions = Awaited<ReturnType<SignsService['formOptions']>>;

export function signsQuery(q: SignQuery, change: Partial<Record<keyof SignQuery, string | number | undefined>> = {}): string {
  return filterQuery(['country', 'factor', 'state', 'from', 'to', 'q', 'page'], { ...q, ...change });
}

export function SignSummary({ ctx, sign, framework, showCountry = true }: { ctx: ViewContext; sign: SignRow; framework: Framework; showCountry?: boolean }) {
  const { t } = ctx.intl;
  return (
    <li>
      <h3>
        <a href={`/signs/${sign.id}`}>
          {showCountry ? `${countryName(ctx.intl.locale, sign.country)} · ` : ''}
          {day(ctx, sign.observed_on)}
          {sign.area ? ` · ${sign.area}` : ''}
        </a>
      </h3>
      <p>
        <StateBadge ctx={ctx} state={sign.state} /> <SensitivityBadge ctx={ctx} sensitivity={sign.sensitivity} />{' '}
        {t('signs.byOrganisation', { name: sign.organisation_name })}
      </p>
      <p dir="auto" lang={sign.language}>
        {sign.description.length > 240 ? `${sign.description.slice(0, 240)}…` : sign.description}
      </p>
      <Codes ctx={ctx} framework={framework} codes={sign.indicator_codes} />
    </li>
  );
}

export function SignsListPage({ ctx, data, errors = {} }: { ctx: ViewContext; data: ListData; errors?: FieldErrors }) {
  const { t, locale, number } = ctx.intl;
  const q = data.query;
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const any = { value: '', label: t('directory.any') };
  return (
    <Layout ctx={ctx} title={t('signs.title')}>
      <h1>{t('signs.title')}</h1>
      <p>{t('signs.intro')}</p>
      {data.canRecord && (
        <p>
          <a class="button" href="/signs/new">
            {t('signs.record')}
          </a>
        </p>
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is too new for older phone browsers */}
      <form method="get" action="/signs" class="filters" role="search" aria-label={t('signs.filters')}>
        <Field ctx={ctx} name="q" label={t('signs.searchLabel')} value={q.q} errors={errors} />
        <Select ctx={ctx} name="country" label={t('signs.country')} value={q.country ?? ''} errors={errors} options={[any, ...countryOptions(locale)]} />
        <Select
          ctx={ctx}
          name="factor"
          label={t('signs.factor')}
          value={q.factor ?? ''}
          errors={errors}
          options={[any, ...data.framework.factors.map((f) => ({ value: f.code, label: `${f.code}. ${data.framework.label(f.code, locale)}` }))]}
        />
        <Select ctx={ctx} name="state" label={t('signs.stateLabel')} value={q.state ?? ''} errors={errors} options={[any, ...SIGN_STATES.map((s) => ({ value: s, label: t(`signs.state.${s}`) }))]} />
        <div class="row">
          <Field ctx={ctx} name="from" label={t('signs.from')} hint={t('signs.dateHint')} value={q.from} errors={errors} />
          <Field ctx={ctx} name="to" label={t('signs.to')} hint={t('signs.dateHint')} value={q.to} errors={errors} />
        </div>
        <button type="submit">{t('signs.filter')}</button>
      </form>
      <p role="status">{t('signs.count', { count: data.total })}</p>
      <p>
        {t('signs.exportAs')} <a href={`/signs/export.csv${signsQuery(q, { page: undefined })}`}>CSV</a> ·{' '}
        <a href={`/signs/export.json${signsQuery(q, { page: undefined })}`}>JSON</a>
      </p>
      <ul class="cards">
        {data.signs.map((s) => (
          <SignSummary ctx={ctx} sign={s} framework={data.framework} key={s.id} />
        ))}
      </ul>
      {pages > 1 && (
        <nav class="pager" aria-label={t('directory.pages')}>
          {data.page > 1 && <a href={`/signs${signsQuery(q, { page: data.page - 1 })}`}>{t('directory.previous')}</a>}{' '}
          <span>{t('directory.pageOf', { page: number(data.page), pages: number(pages) })}</span>{' '}
          {data.page < pages && <a href={`/signs${signsQuery(q, { page: data.page + 1 })}`}>{t('directory.next')}</a>}
        </nav>
      )}
    </Layout>
  );
}

export function SignPage({ ctx, data, reviewForm, verifyForm }: { ctx: ViewContext; data: SignData; reviewForm?: FormState; verifyForm?: FormState }) {
  const { t, locale, number } = ctx.intl;
  const s = data.sign;
  const title = t('signs.signTitle', { country: countryName(locale, s.country), date: day(ctx, s.observed_on) });
  const review = reviewForm ?? { values: {}, errors: {} };
  const verify = verifyForm ?? { values: {}, errors: {} };
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>
        <StateBadge ctx={ctx} state={s.state} /> <SensitivityBadge ctx={ctx} sensitivity={s.sensitivity} />
      </p>
      {s.sensitivity === 'restricted' && (
        <p class="warning">{t('signs.restrictedTo', { names: listOf(ctx, [s.organisation_name, ...data.audience.map((a) => a.name)]) })}</p>
      )}
      <dl class="facts">
        <dt>{t('signs.country')}</dt>
        <dd>
          <CountryLink ctx={ctx} code={s.country} />
        </dd>
        {s.area && (
          <>
            <dt>{t('signs.area')}</dt>
            <dd dir="auto">{s.area}</dd>
          </>
        )}
        <dt>{t('signs.observedOn')}</dt>
        <dd>{day(ctx, s.observed_on)}</dd>
        <dt>{t('signs.reportedOn')}</dt>
        <dd>{day(ctx, s.reported_on)}</dd>
        <dt>{t('signs.reportedBy')}</dt>
        <dd>
          <a href={`/directory/${s.organisation_slug}`}>{s.organisation_name}</a>
        </dd>
        <dt>{t('signs.confidence')}</dt>
        <dd>{t(`signs.confidence.${s.confidence}`)}</dd>
        <dt>{t('signs.language')}</dt>
        <dd>{languageName(locale, s.language)}</dd>
      </dl>
      <h2>{t('signs.description')}</h2>
      <p dir="auto" lang={s.language} class="pre">
        {s.description}
      </p>
      <h2>{t('signs.indicators')}</h2>
      <Codes ctx={ctx} framework={data.framework} codes={s.indicator_codes} />
      <h2>{t('signs.sources')}</h2>
      {data.sources.length === 0 ? (
        <p>{t('signs.noSources')}</p>
      ) : (
        <ul>
          {data.sources.map((src) =>
            src.url ? (
              <li key={src.url}>
                <a href={src.url} rel="noopener noreferrer nofollow" dir="ltr">
                  {src.url}
                </a>
              </li>
            ) : (
              <li key={src.document_id}>
                <a href={`/signs/${s.id}/documents/${src.document_id}`}>{src.filename}</a> ({t('signs.kilobytes', { size: number(Math.ceil((src.size_bytes ?? 0) / 1024)) })})
              </li>
            ),
          )}
        </ul>
      )}
      {data.canPropose && (
        <p>
          <a class="button" href={`/alerts/new?country=${s.country}&sign=${s.id}`}>
            {t('alerts.proposeFromSign')}
          </a>
        </p>
      )}
      <h2>{t('signs.reviews')}</h2>
      {data.reviews.length === 0 ? (
        <p>{t('signs.noReviews')}</p>
      ) : (
        <Statements ctx={ctx} items={data.reviews} kindLabel={(k) => t(`signs.reviewKind.${k}`)} />
      )}
      {data.canComment && (
        <>
          <h2 id="review-form">{data.canStance ? t('signs.reviewTitle') : t('signs.commentTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={review.errors} summaryKey={review.summaryKey} idPrefix="review-" />
          <Form ctx={ctx} action={`/signs/${s.id}/reviews`}>
            <ActingFor ctx={ctx} value={review.values.actingFor} errors={review.errors} id="review-actingFor" />
            {data.canStance ? (
              <Radios
                ctx={ctx}
                name="kind"
                id="review-kind"
                legend={t('signs.reviewKindLegend')}
                value={review.values.kind}
                errors={review.errors}
                options={['corroborate', 'dispute', 'comment'].map((k) => ({ value: k, label: t(`signs.reviewChoice.${k}`) }))}
              />
            ) : (
              <input type="hidden" name="kind" value="comment" />
            )}
            <Textarea ctx={ctx} name="body" id="review-body" label={t('signs.reviewBody')} hint={t('signs.reviewBodyHint')} value={review.values.body} errors={review.errors} rows={4} maxLength={2000} />
            <button type="submit">{t('signs.reviewSubmit')}</button>
          </Form>
        </>
      )}
      {data.canVerify && (
        <>
          <h2>{t('signs.verifyTitle')}</h2>
          <p>{t('signs.verifyIntro')}</p>
          <ErrorSummary ctx={ctx} errors={verify.errors} summaryKey={verify.summaryKey} idPrefix="verify-" />
          <Form ctx={ctx} action={`/signs/${s.id}/verify`}>
            <ActingFor ctx={ctx} value={verify.values.actingFor} errors={verify.errors} id="verify-actingFor" />
            <Textarea ctx={ctx} name="body" id="verify-body" label={t('signs.verifyNote')} value={verify.values.body} errors={verify.errors} rows={3} maxLength={2000} />
            <button type="submit">{t('signs.verifySubmit')}</button>
          </Form>
        </>
      )}
    </Layout>
  );
}

/** Factors as groups of boxes: the factor itself, then its indicators, in a <details> each. */
function IndicatorPicker({ ctx, framework, value, errors }: { ctx: ViewContext; framework: Framework; value: unknown; errors: FieldErrors }) {
  const { t, locale } = ctx.intl;
  const chosen = new Set(Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : []);
  const error = message(t, errors, 'indicators');
  return (
    <fieldset id="indicators" class="field choices" aria-describedby={`indicators-hint${error ? ' indicators-error' : ''}`} aria-invalid={error ? 'true' : undefined}>
      <legend>{t('signs.indicators')}</legend>
      <span class="hint" id="indicators-hint">
        {t('signs.indicatorsHint')}
      </span>
      {error && (
        <span class="field-error" id="indicators-error">
          {error}
        </span>
      )}
      {framework.factors.map((f) => {
        const open = chosen.has(f.code) || f.indicators.some((i) => chosen.has(i.code));
        return (
          <details key={f.code} open={open}>
            <summary>
              {f.code}. {framework.label(f.code, locale)}
            </summary>
            <label class="choice">
              <input type="checkbox" name="indicators" value={f.code} checked={chosen.has(f.code)} /> {t('signs.factorInGeneral', { code: f.code })}
            </label>
            {f.indicators.map((i) => (
              <label class="choice" key={i.code}>
                <input type="checkbox" name="indicators" value={i.code} checked={chosen.has(i.code)} /> {i.code} {framework.label(i.code, locale)}
              </label>
            ))}
          </details>
        );
      })}
    </fieldset>
  );
}

export function SignFormPage({ ctx, options, state }: { ctx: ViewContext; options: FormOptions; state?: FormState }) {
  const { t, locale } = ctx.intl;
  const v = state?.values ?? { sensitivity: 'network', confidence: 'medium', language: locale };
  const errors = state?.errors ?? {};
  return (
    <Layout ctx={ctx} title={t('signs.record')}>
      <h1>{t('signs.record')}</h1>
      <p>{t('signs.recordIntro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={state?.summaryKey} />
      <form method="post" action="/signs" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <ActingFor ctx={ctx} value={v.actingFor} errors={errors} />
        <Select ctx={ctx} name="country" label={t('signs.country')} value={v.country ?? ''} errors={errors} options={[{ value: '', label: t('signs.chooseCountry') }, ...countryOptions(locale)]} />
        <Field ctx={ctx} name="area" label={t('signs.areaOptional')} hint={t('signs.areaHint')} value={v.area} errors={errors} maxLength={120} />
        <Field ctx={ctx} name="observedOn" label={t('signs.observedOn')} hint={t('signs.dateHint')} value={v.observedOn} errors={errors} maxLength={10} />
        <Field ctx={ctx} name="reportedOn" label={t('signs.reportedOnOptional')} hint={t('signs.reportedHint')} value={v.reportedOn} errors={errors} maxLength={10} />
        <IndicatorPicker ctx={ctx} framework={options.framework} value={v.indicators} errors={errors} />
        <Textarea ctx={ctx} name="description" label={t('signs.description')} hint={t('signs.descriptionHint')} value={v.description} errors={errors} maxLength={4000} />
        <Textarea ctx={ctx} name="links" label={t('signs.links')} hint={t('signs.linksHint')} value={v.linksText} errors={errors} rows={3} />
        <FileField ctx={ctx} name="documents" label={t('signs.documents')} hint={t('signs.documentsHint')} accept=".pdf,.png,.jpg,.jpeg,.txt" multiple errors={errors} />
        <Radios ctx={ctx} name="confidence" legend={t('signs.confidence')} value={v.confidence} errors={errors} options={CONFIDENCE.map((c) => ({ value: c, label: t(`signs.confidence.${c}`) }))} />
        <Radios
          ctx={ctx}
          name="sensitivity"
          legend={t('signs.sensitivity')}
          hint={t('signs.sensitivityHint')}
          value={v.sensitivity}
          errors={errors}
          options={SENSITIVITY.map((s) => ({ value: s, label: t(`signs.sensitivityChoice.${s}`) }))}
        />
        <Checkboxes
          ctx={ctx}
          name="audience"
          legend={t('signs.audience')}
          hint={t('signs.audienceHint')}
          value={v.audience}
          errors={errors}
          options={options.organisations.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Select ctx={ctx} name="language" label={t('signs.language')} value={v.language ?? locale} errors={errors} options={languageOptions(locale)} />
        <button type="submit">{t('signs.recordSubmit')}</button>
      </form>
    </Layout>
  );
}
