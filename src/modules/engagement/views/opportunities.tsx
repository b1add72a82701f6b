import { languageName, languageOptions } from '../../../platform/languages.ts';
import { ActingFor, Checkbox, Checkboxes, ErrorSummary, Field, Form, MultiSelect, PostButton, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { FormState } from '../../../views/form.ts';
import { KINDS, RATE_BASES } from '../engagement.schemas.ts';
import { CURRENCIES, formatMoney } from '../money.ts';
import type { OpportunitiesService } from '../opportunities.service.ts';
import { ActingButton, ActingChoice, ActingStatement, actingPrefix } from './acting.tsx';
import { day, Ledger, type PaidForm } from './ledger.tsx';
import { listOf } from '../../../views/format.ts';

type ListData = Awaited<ReturnType<OpportunitiesService['list']>>;
type Data = Awaited<ReturnType<OpportunitiesService['opportunity']>>;
type Preferences = Awaited<ReturnType<OpportunitiesService['preferences']>>;

function rate(ctx: ViewContext, w: { rate_minor: number; currency: string; rate_basis: string }): string {
  return ctx.intl.t(`opportunities.rate.${w.rate_basis}`, { amount: formatMoney(ctx.intl.locale, w.rate_minor, w.currency) });
}

export function OpportunitiesPage({ ctx, data }: { ctx: ViewContext; data: ListData }) {
  const { t, locale } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('opportunities.title')}>
      <h1>{t('opportunities.title')}</h1>
      <p>{t('opportunities.intro')}</p>
      {data.canApply && (
        <p>
          <a href="/opportunities/preferences">{t('preferences.title')}</a>
        </p>
      )}
      {data.canPost && (
        <p>
          <a class="button" href="/opportunities/new">
            {t('opportunities.new')}
          </a>{' '}
          <a href="/media-requests">{t('media.title')}</a>
        </p>
      )}
      {data.opportunities.length === 0 ? (
        <p>{t('opportunities.none')}</p>
      ) : (
        <ul class="cards">
          {data.opportunities.map((w) => (
            <li key={w.id}>
              <h2>
                <a href={`/opportunities/${w.id}`}>{w.title}</a>
              </h2>
              <p>
                <strong>{t(`opportunities.kind.${w.kind}`)}</strong> · {rate(ctx, w)} · {w.organisation_name}
              </p>
              <p>
                {t('opportunities.applyBy', { date: day(ctx, w.deadline) })}
                {w.languages.length > 0 && <> · {listOf(ctx, w.languages.map((l) => languageName(locale, l)))}</>}
                {(w.state !== 'open' || w.deadline < data.today) && <> · {t(`opportunities.state.${w.state === 'open' ? 'closed' : w.state}`)}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function OpportunityFormPage({ ctx, state }: { ctx: ViewContext; state: FormState }) {
  const { t, locale } = ctx.intl;
  const v = state.values;
  const e = state.errors;
  return (
    <Layout ctx={ctx} title={t('opportunities.new')}>
      <h1>{t('opportunities.new')}</h1>
      <p>{t('opportunities.formIntro')}</p>
      <ErrorSummary ctx={ctx} errors={e} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action="/opportunities">
        <ActingFor ctx={ctx} value={v.actingFor} errors={e} />
        <Radios ctx={ctx} name="kind" legend={t('opportunities.fKind')} options={KINDS.map((k) => ({ value: k, label: t(`opportunities.kind.${k}`) }))} value={v.kind} errors={e} />
        <Field ctx={ctx} name="title" label={t('opportunities.fTitle')} value={v.title} errors={e} required maxLength={200} />
        <Textarea ctx={ctx} name="description" label={t('opportunities.fDescription')} hint={t('opportunities.descriptionHint')} value={v.description} errors={e} rows={5} maxLength={3000} required />
        <Field ctx={ctx} name="rate" label={t('opportunities.fRate')} hint={t('consultations.amountHint')} value={v.rate} errors={e} required maxLength={11} />
        <Select ctx={ctx} name="currency" label={t('consultations.fCurrency')} options={CURRENCIES.map((c) => ({ value: c, label: c }))} value={v.currency} errors={e} />
        <Radios ctx={ctx} name="rateBasis" legend={t('opportunities.fRateBasis')} options={RATE_BASES.map((b) => ({ value: b, label: t(`opportunities.basis.${b}`) }))} value={v.rateBasis} errors={e} />
        <MultiSelect ctx={ctx} name="languages" label={t('opportunities.fLanguages')} hint={t('opportunities.languagesHint')} options={languageOptions(locale)} value={v.languages} errors={e} />
        <Field ctx={ctx} name="deadline" label={t('opportunities.fDeadline')} hint={t('consultations.dateHint')} value={v.deadline} errors={e} required maxLength={10} />
        <button type="submit">{t('opportunities.post')}</button>
      </Form>
    </Layout>
  );
}

export interface OpportunityForms {
  apply?: FormState;
  award?: FormState;
  withdraw?: FormState;
  paid?: PaidForm;
}

export function OpportunityPage({ ctx, data, forms = {} }: { ctx: ViewContext; data: Data; forms?: OpportunityForms }) {
  const { t, locale } = ctx.intl;
  const w = data.opportunity;
  const posting = data.posting;
  const money = (minor: number, currency: string) => formatMoney(locale, minor, currency);
  const applyForm = forms.apply ?? { values: {}, errors: {} };
  const awardForm = forms.award ?? { values: { amount: '', currency: w.currency }, errors: {} };
  return (
    <Layout ctx={ctx} title={w.title}>
      <h1>{w.title}</h1>
      <p>
        <strong>{data.open ? t('opportunities.state.open') : t(`opportunities.state.${w.state === 'open' ? 'closed' : w.state}`)}</strong> · {w.organisation_name}
      </p>
      {/* A refusal whose form is no longer on the page (the work was just given or taken down). */}
      {!data.canApply && !data.canUnapply && forms.apply && <ErrorSummary ctx={ctx} errors={forms.apply.errors} summaryKey={forms.apply.summaryKey} />}
      {w.state !== 'open' && forms.award && <ErrorSummary ctx={ctx} errors={forms.award.errors} summaryKey={forms.award.summaryKey} />}
      <dl class="facts">
        <dt>{t('opportunities.fKind')}</dt>
        <dd>{t(`opportunities.kind.${w.kind}`)}</dd>
        <dt>{t('opportunities.fRate')}</dt>
        <dd>{rate(ctx, w)}</dd>
        <dt>{t('opportunities.fLanguages')}</dt>
        <dd>{w.languages.length ? listOf(ctx, w.languages.map((l) => languageName(locale, l))) : '—'}</dd>
        <dt>{t('opportunities.fDeadline')}</dt>
        <dd>{day(ctx, w.deadline)}</dd>
      </dl>
      <p dir="auto" class="pre">
        {w.description}
      </p>
      {data.open && ctx.actor.kind === 'anonymous' && (
        <p>
          {t('opportunities.signInToApply')} <a href={`/sign-in?next=/opportunities/${w.id}`}>{t('nav.signIn')}</a> · <a href="/register">{t('nav.register')}</a>
        </p>
      )}
      {data.canApply && (
        <section aria-labelledby="apply">
          <h2 id="apply">{t('opportunities.applyTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={applyForm.errors} summaryKey={applyForm.summaryKey} />
          <Form ctx={ctx} action={`/opportunities/${w.id}/apply`}>
            <Textarea ctx={ctx} name="note" label={t('opportunities.fNote')} hint={t('opportunities.noteHint')} value={applyForm.values.note} errors={applyForm.errors} rows={3} maxLength={1000} />
            <button type="submit">{t('opportunities.apply')}</button>
          </Form>
        </section>
      )}
      {data.application && (
        <section aria-labelledby="yours">
          <h2 id="yours">{t('opportunities.yourApplication')}</h2>
          {forms.apply && <ErrorSummary ctx={ctx} errors={forms.apply.errors} summaryKey={forms.apply.summaryKey} />}
          <p>{t(`opportunities.application.${data.application.state}`)}</p>
          {data.canUnapply && <PostButton ctx={ctx} action={`/opportunities/${w.id}/unapply`} label={t('opportunities.unapply')} secondary />}
          {data.myPayments.map((p) => (
            <p key={p.id}>{p.status === 'paid' ? t('mine.paid', { amount: money(p.amount_minor, p.currency), date: day(ctx, p.paid_on) }) : t('mine.owed', { amount: money(p.amount_minor, p.currency) })}</p>
          ))}
        </section>
      )}
      {posting && (
        <section aria-labelledby="posting" class="organiser">
          <h2 id="posting">{t('opportunities.posterTitle')}</h2>
          <ActingStatement ctx={ctx} />
          <h3>{t('opportunities.applicants')}</h3>
          {posting.applications.length === 0 ? (
            <p>{t('opportunities.noApplicants')}</p>
          ) : (
            <ul>
              {posting.applications.map((a) => (
                <li key={a.person_id}>
                  <strong>{a.name}</strong> · {t(`opportunities.applicant.${a.state}`)}
                  {a.note && (
                    <p dir="auto" class="pre">
                      {a.note}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          {w.state === 'open' && posting.applications.length > 0 && (
            <>
              <h3 id="award">{t('opportunities.awardTitle')}</h3>
              <p>{t('opportunities.awardIntro')}</p>
              <ErrorSummary ctx={ctx} errors={awardForm.errors} summaryKey={awardForm.summaryKey} />
              <Form ctx={ctx} action={`/opportunities/${w.id}/award`}>
                <ActingChoice ctx={ctx} value={awardForm.values.actingFor} errors={awardForm.errors} />
                <Select ctx={ctx} name="person" label={t('opportunities.fApplicant')} options={posting.applications.map((a) => ({ value: a.person_id, label: a.name }))} value={awardForm.values.person} errors={awardForm.errors} />
                <Field ctx={ctx} name="amount" label={t('consultations.fAgreed')} hint={t('consultations.amountHint')} value={awardForm.values.amount} errors={awardForm.errors} maxLength={11} />
                <Select ctx={ctx} name="currency" label={t('consultations.fCurrency')} options={CURRENCIES.map((x) => ({ value: x, label: x }))} value={awardForm.values.currency} errors={awardForm.errors} />
                <button type="submit">{t('opportunities.award')}</button>
              </Form>
            </>
          )}
          <Ledger ctx={ctx} ledger={posting} action={(paymentId) => `/opportunities/${w.id}/payments/${paymentId}/paid`} form={forms.paid} />
          {w.state === 'open' && (
            <>
              <h3>{t('opportunities.withdrawTitle')}</h3>
              <ErrorSummary ctx={ctx} errors={forms.withdraw?.errors ?? {}} summaryKey={forms.withdraw?.summaryKey} idPrefix={actingPrefix(`/opportunities/${w.id}/withdraw`)} />
              <ActingButton ctx={ctx} action={`/opportunities/${w.id}/withdraw`} label={t('opportunities.withdraw')} form={forms.withdraw} secondary />
            </>
          )}
        </section>
      )}
    </Layout>
  );
}

export function PreferencesPage({ ctx, state }: { ctx: ViewContext; state: FormState }) {
  const { t, locale } = ctx.intl;
  const v = state.values;
  const e = state.errors;
  return (
    <Layout ctx={ctx} title={t('preferences.title')}>
      <h1>{t('preferences.title')}</h1>
      <p>{t('preferences.intro')}</p>
      <ErrorSummary ctx={ctx} errors={e} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action="/opportunities/preferences">
        <Checkbox ctx={ctx} name="notify" value="yes" label={t('preferences.notify')} hint={t('preferences.notifyHint')} checked={v.notify === 'yes' || v.notify === true} errors={e} />
        <Checkboxes ctx={ctx} name="skills" legend={t('preferences.skills')} options={KINDS.map((k) => ({ value: k, label: t(`opportunities.kind.${k}`) }))} value={v.skills} errors={e} />
        <MultiSelect ctx={ctx} name="languages" label={t('preferences.languages')} hint={t('preferences.languagesHint')} options={languageOptions(locale)} value={v.languages} errors={e} />
        <button type="submit">{t('preferences.save')}</button>
      </Form>
    </Layout>
  );
}

export function preferencesState(p: Preferences): FormState {
  return { values: { notify: p.notify ? 'yes' : '', skills: p.skills, languages: p.languages }, errors: {} };
}
