import { countryName, countryOptions } from '../../../platform/countries.ts';
import type { FieldErrors } from '../../../platform/errors.ts';
import { filterQuery } from '../../../platform/http.tsx';
import { ActingFor, ErrorSummary, Field, FileField, MultiSelect, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import type { FormState } from '../../../views/form.ts';
import { day, listOf } from '../../../views/format.ts';
import { Layout } from '../../../views/layout.tsx';
import type { RatingRow } from '../commitments.repository.ts';
import { ALL_RATINGS, COMMITMENT_LIMITS, RATINGS } from '../commitments.schemas.ts';
import type { CommitmentsService } from '../commitments.service.ts';

type TrackerData = Awaited<ReturnType<CommitmentsService['commitmentsPage']>>;
type CommitmentData = Awaited<ReturnType<CommitmentsService['commitment']>>;
type ExtractionData = Awaited<ReturnType<CommitmentsService['extraction']>>;

const EMPTY: FormState = { values: {}, errors: {} };
const QUERY_KEYS = ['party', 'post', 'person', 'country', 'rating', 'page'] as const;

function Rating({ ctx, rating }: { ctx: ViewContext; rating: string }) {
  return <strong class={`rating rating-${rating}`}>{ctx.intl.t(`ratings.${rating}`)}</strong>;
}

/** Who made a commitment: the person, the post they held and their party, as recorded then. */
function MadeBy({ ctx, c }: { ctx: ViewContext; c: { post_id: string | null; post_label: string | null; person_id: string | null; person_name: string | null; party_name: string | null } }) {
  const { t } = ctx.intl;
  return (
    <>
      {c.person_id && <a href={`/recipients/people/${c.person_id}`}>{c.person_name}</a>}
      {c.person_id && c.post_id && ', '}
      {c.post_id && <a href={`/recipients/posts/${c.post_id}`}>{c.post_label}</a>}
      {c.party_name && <> ({c.party_name})</>}
      {!c.person_id && !c.post_id && t('commitments.unknownMaker')}
    </>
  );
}

export function TrackerPage({ ctx, data, errors }: { ctx: ViewContext; data: TrackerData; errors?: FieldErrors }) {
  const { t, locale, number } = ctx.intl;
  const f = data.filters;
  const q = { ...f, page: data.page };
  const link = (change: Record<string, unknown>) => `/commitments${filterQuery(QUERY_KEYS, { ...q, page: undefined, ...change })}`;
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const allCount = [...data.counts.values()].reduce((a, b) => a + b, 0);
  return (
    <Layout ctx={ctx} title={t('commitments.title')}>
      <h1>{t('commitments.title')}</h1>
      <p>{t('commitments.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors ?? {}} summaryKey={errors ? 'errors.filters' : undefined} />
      <form method="get" action="/commitments" class="filters" novalidate>
        {f.post && <input type="hidden" name="post" value={f.post} />}
        {f.person && <input type="hidden" name="person" value={f.person} />}
        <Select
          ctx={ctx}
          name="party"
          label={t('commitments.party')}
          value={f.party ?? ''}
          errors={{}}
          options={[{ value: '', label: t('commitments.anyParty') }, ...data.parties.map((p) => ({ value: p.id, label: p.name }))]}
        />
        <Select
          ctx={ctx}
          name="country"
          label={t('commitments.country')}
          value={f.country ?? ''}
          errors={{}}
          options={[{ value: '', label: t('commitments.anyCountry') }, ...data.countries.map((c) => ({ value: c, label: countryName(locale, c) }))]}
        />
        <Select
          ctx={ctx}
          name="rating"
          label={t('commitments.rating')}
          value={f.rating ?? ''}
          errors={{}}
          options={[{ value: '', label: t('commitments.anyRating') }, ...ALL_RATINGS.map((r) => ({ value: r, label: t(`ratings.${r}`) }))]}
        />
        <button type="submit">{t('commitments.filter')}</button>
      </form>
      {(f.post || f.person || f.party) && (
        <p>
          {f.person && (
            <>
              {t('commitments.madeByFilter', { name: data.names.person ?? '' })} <a href={link({ person: undefined })}>{t('commitments.removeFilter')}</a>{' '}
            </>
          )}
          {f.post && (
            <>
              {t('commitments.postFilter', { post: data.names.post ?? '' })} <a href={link({ post: undefined })}>{t('commitments.removeFilter')}</a>{' '}
            </>
          )}
          {f.party && (
            <>
              {t('commitments.partyFilter', { party: data.names.party ?? '' })} <a href={link({ party: undefined })}>{t('commitments.removeFilter')}</a>
            </>
          )}
        </p>
      )}
      <h2>{t('commitments.byRating')}</h2>
      <ul class="counts">
        <li>{f.rating ? <a href={link({ rating: undefined })}>{t('commitments.allRatings', { count: number(allCount) })}</a> : t('commitments.allRatings', { count: number(allCount) })}</li>
        {ALL_RATINGS.map((r) => (
          <li key={r}>
            {f.rating === r ? (
              <strong>{t('commitments.ratingCount', { rating: t(`ratings.${r}`), count: number(data.counts.get(r) ?? 0) })}</strong>
            ) : (
              <a href={link({ rating: r })}>{t('commitments.ratingCount', { rating: t(`ratings.${r}`), count: number(data.counts.get(r) ?? 0) })}</a>
            )}
          </li>
        ))}
      </ul>
      <p>
        {t('commitments.found', { count: data.total })} <a href={`/commitments/export.csv${filterQuery(QUERY_KEYS, { ...q, page: undefined })}`}>{t('commitments.csv')}</a>
      </p>
      {data.rows.length === 0 ? (
        <p>{t('commitments.none')}</p>
      ) : (
        <ul class="cards">
          {data.rows.map((c) => (
            <li key={c.id}>
              <h3>
                <a href={`/commitments/${c.id}`} dir="auto">
                  {c.summary}
                </a>
              </h3>
              <p>
                <Rating ctx={ctx} rating={c.rating} />
                {c.rated_on && <> · {t('commitments.ratedOn', { date: day(ctx, c.rated_on) })}</>}
              </p>
              <p>
                <MadeBy ctx={ctx} c={c} /> · {t('commitments.madeOn', { date: day(ctx, c.received_on) })}
              </p>
              {c.countries.length > 0 && <p>{listOf(ctx, c.countries.map((code) => countryName(locale, code)))}</p>}
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label={t('commitments.pages')}>
          {data.page > 1 && <a href={link({ page: data.page - 1 })}>{t('commitments.previous')}</a>}{' '}
          <span>{t('commitments.pageOf', { page: number(data.page), pages: number(pages) })}</span>{' '}
          {data.page < pages && <a href={link({ page: data.page + 1 })}>{t('commitments.next')}</a>}
        </nav>
      )}
    </Layout>
  );
}

function History({ ctx, commitmentId, ratings }: { ctx: ViewContext; commitmentId: string; ratings: readonly RatingRow[] }) {
  const { t } = ctx.intl;
  if (ratings.length === 0) return <p>{t('commitments.noRatings')}</p>;
  return (
    <ol class="history">
      {ratings.map((r) => (
        <li key={r.id} id={`rating-${r.id}`}>
          <p>
            {day(ctx, r.rated_on)}: <Rating ctx={ctx} rating={r.rating} /> · {t('commitments.ratedBy')} <a href={`/directory/${r.organisation_slug}`}>{r.organisation_name}</a>
          </p>
          {r.note && <p dir="auto">{r.note}</p>}
          <p>
            {t('commitments.evidence')}{' '}
            {r.evidence_url && (
              <a href={r.evidence_url} rel="nofollow noopener noreferrer" class="break">
                {r.evidence_url}
              </a>
            )}
            {r.evidence_url && r.document_id && ' · '}
            {r.document_id && <a href={`/commitments/${commitmentId}/ratings/${r.id}/evidence`}>{t('commitments.document', { name: r.document_filename ?? '' })}</a>}
          </p>
        </li>
      ))}
    </ol>
  );
}

export function CommitmentPage({ ctx, data, jsonLd, form }: { ctx: ViewContext; data: CommitmentData; jsonLd: string; form?: FormState }) {
  const { t, locale } = ctx.intl;
  const c = data.commitment;
  const state = form ?? EMPTY;
  const v = state.values;
  const title = t('commitments.commitmentTitle', { number: String(c.number) });
  return (
    <Layout ctx={ctx} title={title}>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: JSON from JSON.stringify with "<" escaped (exchange.ts scriptJson), in a data block that never runs */}
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />
      <p>
        <a href="/commitments">{t('commitments.backToTracker')}</a>
      </p>
      <h1 dir="auto">{c.summary}</h1>
      <p>
        <Rating ctx={ctx} rating={c.rating} />
        {c.rated_on && <> · {t('commitments.ratedOn', { date: day(ctx, c.rated_on) })}</>}
      </p>
      <blockquote dir="auto">
        <p>{c.quote}</p>
      </blockquote>
      <dl class="facts">
        <dt>{t('commitments.madeBy')}</dt>
        <dd>
          <MadeBy ctx={ctx} c={c} />
        </dd>
        <dt>{t('commitments.madeOnLabel')}</dt>
        <dd>{day(ctx, c.received_on)}</dd>
        <dt>{t('commitments.inReplyTo')}</dt>
        <dd>
          <a href={`/statements/${c.statement_id}`} lang={data.statement?.language} dir="auto">
            {data.statement?.title ?? t('commitments.statement')}
          </a>
          {c.reply_link && (
            <>
              {' · '}
              <a href={c.reply_link} rel="nofollow noopener noreferrer">
                {t('commitments.replySource')}
              </a>
            </>
          )}
        </dd>
        {c.countries.length > 0 && (
          <>
            <dt>{t('commitments.countries')}</dt>
            <dd>{listOf(ctx, c.countries.map((code) => countryName(locale, code)))}</dd>
          </>
        )}
        <dt>{t('commitments.recordedBy')}</dt>
        <dd>
          <a href={`/directory/${c.organisation_slug}`}>{c.organisation_name}</a>
        </dd>
      </dl>
      <h2>{t('commitments.history')}</h2>
      <History ctx={ctx} commitmentId={c.id} ratings={data.ratings} />
      {data.canRate && (
        <section aria-labelledby="rate">
          <h2 id="rate">{t('commitments.rateTitle')}</h2>
          <p>{t('commitments.rateIntro')}</p>
          <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
          <form method="post" action={`/commitments/${c.id}/ratings`} enctype="multipart/form-data" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <ActingFor ctx={ctx} value={v.actingFor} errors={state.errors} />
            <Radios ctx={ctx} name="rating" legend={t('commitments.newRating')} value={v.rating} errors={state.errors} options={RATINGS.map((r) => ({ value: r, label: t(`ratings.${r}`) }))} />
            <Field ctx={ctx} name="ratedOn" label={t('commitments.ratedOnLabel')} hint={t('commitments.dateHint')} value={v.ratedOn} errors={state.errors} maxLength={10} />
            <fieldset>
              <legend>{t('commitments.evidenceLegend')}</legend>
              <p class="hint" id="evidence-hint">
                {t('commitments.evidenceHint')}
              </p>
              {state.errors.evidence && (
                <p class="field-error" id="evidence-error">
                  {ctx.intl.t(state.errors.evidence.key, state.errors.evidence.values)}
                </p>
              )}
              <Field ctx={ctx} name="evidenceUrl" type="url" label={t('commitments.evidenceUrl')} value={v.evidenceUrl} errors={state.errors} maxLength={COMMITMENT_LIMITS.link} dir="ltr" />
              <FileField ctx={ctx} name="evidenceFile" label={t('commitments.evidenceFile')} hint={t('commitments.evidenceFileHint')} accept=".pdf,.png,.jpg,.jpeg,.txt" errors={{}} />
            </fieldset>
            <Textarea ctx={ctx} name="note" label={t('commitments.note')} value={v.note} errors={state.errors} rows={3} maxLength={COMMITMENT_LIMITS.note} />
            <button type="submit">{t('commitments.rateSubmit')}</button>
          </form>
        </section>
      )}
    </Layout>
  );
}

export function ExtractPage({ ctx, data, form }: { ctx: ViewContext; data: ExtractionData; form?: FormState }) {
  const { t, locale } = ctx.intl;
  const state = form ?? EMPTY;
  const v = state.values;
  const r = data.reply;
  return (
    <Layout ctx={ctx} title={t('commitments.extractTitle')}>
      <p>
        <a href={`/statements/${data.statementId}/recipients`}>{t('commitments.backToRecipients')}</a>
      </p>
      <h1>{t('commitments.extractTitle')}</h1>
      <p>
        {t('commitments.replyFrom')} <MadeBy ctx={ctx} c={{ ...r, party_name: data.party?.name ?? null }} /> · {day(ctx, r.received_on)}
      </p>
      {!r.published && <p class="notice">{t('commitments.replyNotPublished')}</p>}
      <blockquote dir="auto" class="reply-text">
        {r.body.split(/\n{2,}/).map((para) => (
          <p key={para}>{para}</p>
        ))}
      </blockquote>
      {data.existing.length > 0 && (
        <>
          <h2>{t('commitments.alreadyExtracted')}</h2>
          <ul>
            {data.existing.map((c) => (
              <li key={c.id}>
                <a href={`/commitments/${c.id}`} dir="auto">
                  {c.summary}
                </a>{' '}
                (<Rating ctx={ctx} rating={c.rating} />)
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('commitments.extractNew')}</h2>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <form method="post" action={`/statements/${data.statementId}/replies/${r.id}/commitments`} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <ActingFor ctx={ctx} value={v.actingFor} errors={state.errors} />
        <Textarea ctx={ctx} name="quote" label={t('commitments.quote')} hint={t('commitments.quoteHint')} value={v.quote} errors={state.errors} rows={4} maxLength={COMMITMENT_LIMITS.quote} />
        <Field ctx={ctx} name="summary" label={t('commitments.summary')} hint={t('commitments.summaryHint')} value={v.summary} errors={state.errors} maxLength={COMMITMENT_LIMITS.summary} />
        <MultiSelect ctx={ctx} name="countries" label={t('commitments.countries')} hint={t('commitments.countriesHint')} value={v.countries} errors={state.errors} options={countryOptions(locale)} />
        <button type="submit">{t('commitments.extractSubmit')}</button>
      </form>
    </Layout>
  );
}
