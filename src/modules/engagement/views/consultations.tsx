import { languageName, languageOptions } from '../../../platform/languages.ts';
import { ActingFor, Checkbox, ErrorSummary, Field, Form, MultiSelect, PostButton, Radios, Select, TableWrap, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { FormState } from '../../../views/form.ts';
import type { ConsultationsService } from '../consultations.service.ts';
import { FORMATS, MIN_SHOWN } from '../engagement.schemas.ts';
import type { InclusionView } from '../inclusion.ts';
import type { MediaService } from '../media.service.ts';
import type { OpportunitiesService } from '../opportunities.service.ts';
import { ActingButton, ActingChoice, ActingStatement, actingPrefix } from './acting.tsx';
import { day, Ledger, type PaidForm } from './ledger.tsx';
import { MediaForMember } from './media.tsx';
import { CURRENCIES, formatMoney } from '../money.ts';
import { listOf } from '../../../views/format.ts';

type ListData = Awaited<ReturnType<ConsultationsService['list']>>;
type Data = Awaited<ReturnType<ConsultationsService['consultation']>>;
type MineData = Awaited<ReturnType<ConsultationsService['mine']>> & {
  applications: Awaited<ReturnType<OpportunitiesService['applicationsOf']>>;
  media: Awaited<ReturnType<MediaService['forPerson']>>;
};
type TrackData = Awaited<ReturnType<ConsultationsService['trackRecord']>>;

export function ConsultationsPage({ ctx, data }: { ctx: ViewContext; data: ListData }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('consultations.title')}>
      <h1>{t('consultations.title')}</h1>
      <p>{t('consultations.intro')}</p>
      <p>
        <a href="/communities">{t('communities.title')}</a> · <a href="/consultations/track-record">{t('track.title')}</a>
        {ctx.actor.kind === 'person' && ctx.actor.networkRole === 'participant' && (
          <>
            {' · '}
            <a href="/consultations/mine">{t('mine.title')}</a>
          </>
        )}
      </p>
      {data.canOrganise && (
        <p>
          <a class="button" href="/consultations/new">
            {t('consultations.new')}
          </a>
        </p>
      )}
      {data.consultations.length === 0 ? (
        <p>{t('consultations.none')}</p>
      ) : (
        <ul class="cards">
          {data.consultations.map((c) => (
            <li key={c.id}>
              <h2>
                <a href={`/consultations/${c.id}`}>{c.title}</a>
              </h2>
              <p>
                <strong>{t(`consultations.state.${c.state}`)}</strong> · {c.organisation_name} · {t(`consultations.format.${c.format}`)}
                {c.starts_on && <> · {day(ctx, c.starts_on)}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function ConsultationFormPage({
  ctx,
  action,
  state,
  communities,
  isOpen,
}: {
  ctx: ViewContext;
  action: string;
  state: FormState;
  communities: { value: string; label: string }[];
  isOpen: boolean;
}) {
  const { t, locale } = ctx.intl;
  const v = state.values;
  const e = state.errors;
  const title = action === '/consultations' ? t('consultations.new') : t('consultations.edit');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('consultations.formIntro')}</p>
      <ErrorSummary ctx={ctx} errors={e} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action={action}>
        <ActingFor ctx={ctx} value={v.actingFor} errors={e} />
        <Field ctx={ctx} name="title" label={t('consultations.fTitle')} value={v.title} errors={e} required maxLength={200} />
        <Radios ctx={ctx} name="format" legend={t('consultations.fFormat')} options={FORMATS.map((f) => ({ value: f, label: t(`consultations.format.${f}`) }))} value={v.format ?? 'meeting'} errors={e} />
        <MultiSelect ctx={ctx} name="communities" label={t('consultations.fCommunities')} hint={t('consultations.fCommunitiesHint')} options={communities} value={v.communities} errors={e} required />
        <fieldset>
          <legend>{t('consultations.expectations')}</legend>
          <p class="hint">{t('consultations.expectationsHint')}</p>
          <Textarea ctx={ctx} name="purpose" label={t('consultations.fPurpose')} value={v.purpose} errors={e} rows={3} maxLength={3000} />
          <Textarea ctx={ctx} name="decision" label={t('consultations.fDecision')} value={v.decision} errors={e} rows={2} maxLength={2000} />
          <Field ctx={ctx} name="decisionMaker" label={t('consultations.fDecisionMaker')} value={v.decisionMaker} errors={e} maxLength={300} />
          <Textarea ctx={ctx} name="canChange" label={t('consultations.fCanChange')} value={v.canChange} errors={e} rows={3} maxLength={3000} />
          <Textarea ctx={ctx} name="cannotChange" label={t('consultations.fCannotChange')} value={v.cannotChange} errors={e} rows={3} maxLength={3000} />
        </fieldset>
        <fieldset>
          <legend>{t('consultations.practical')}</legend>
          <Field ctx={ctx} name="startsOn" label={t('consultations.fStartsOn')} hint={t('consultations.dateHint')} value={v.startsOn} errors={e} maxLength={10} />
          <Field ctx={ctx} name="endsOn" label={t('consultations.fEndsOn')} hint={t('consultations.dateHint')} value={v.endsOn} errors={e} maxLength={10} />
          <MultiSelect ctx={ctx} name="languages" label={t('consultations.fLanguages')} options={languageOptions(locale)} value={v.languages} errors={e} />
          <Textarea ctx={ctx} name="interpretation" label={t('consultations.fInterpretation')} value={v.interpretation} errors={e} rows={2} maxLength={1000} />
          <Textarea ctx={ctx} name="accessibility" label={t('consultations.fAccessibility')} value={v.accessibility} errors={e} rows={2} maxLength={1000} />
        </fieldset>
        <fieldset>
          <legend>{t('consultations.compensation')}</legend>
          <p class="hint">{t('consultations.compensationHint')}</p>
          <Field ctx={ctx} name="compensationAmount" label={t('consultations.fAmount')} hint={t('consultations.amountHint')} value={v.compensationAmount} errors={e} inputmode="text" maxLength={11} />
          <Select ctx={ctx} name="compensationCurrency" label={t('consultations.fCurrency')} options={[{ value: '', label: t('consultations.chooseCurrency') }, ...CURRENCIES.map((c) => ({ value: c, label: c }))]} value={v.compensationCurrency} errors={e} />
          <Field ctx={ctx} name="compensationBasis" label={t('consultations.fBasis')} hint={t('consultations.basisHint')} value={v.compensationBasis} errors={e} maxLength={300} />
          <Textarea ctx={ctx} name="noCompensationReason" label={t('consultations.fNoCompensation')} value={v.noCompensationReason} errors={e} rows={2} maxLength={1000} />
        </fieldset>
        <fieldset>
          <legend>{t('consultations.missing')}</legend>
          <p class="hint">{t('consultations.missingHint')}</p>
          <Textarea ctx={ctx} name="missingWho" label={t('consultations.fMissingWho')} value={v.missingWho} errors={e} rows={3} maxLength={3000} />
          <Textarea ctx={ctx} name="missingWhy" label={t('consultations.fMissingWhy')} value={v.missingWhy} errors={e} rows={3} maxLength={3000} />
          <Textarea ctx={ctx} name="missingSteps" label={t('consultations.fMissingSteps')} value={v.missingSteps} errors={e} rows={3} maxLength={3000} />
        </fieldset>
        {isOpen ? (
          <button type="submit" name="intent" value="save">
            {t('consultations.save')}
          </button>
        ) : (
          <p class="actions">
            <button type="submit" name="intent" value="save" class="secondary">
              {t('consultations.saveDraft')}
            </button>{' '}
            <button type="submit" name="intent" value="open">
              {t('consultations.saveOpen')}
            </button>
          </p>
        )}
      </Form>
    </Layout>
  );
}

function Inclusion({ ctx, community, view }: { ctx: ViewContext; community: { name: string }; view: InclusionView }) {
  const { t, number } = ctx.intl;
  return (
    <>
      <h3>{community.name}</h3>
      {view.participants === null ? (
        <p>{t('inclusion.tooFew', { min: MIN_SHOWN })}</p>
      ) : (
        <>
          <p>{t('inclusion.participants', { count: view.participants })}</p>
          {view.dimensions.map((d) => (
            <TableWrap label={d.label} key={d.id}>
              <table>
                <caption>{d.label}</caption>
                <tbody>
                  {d.cells.map((c) => (
                    <tr key={c.groupId ?? c.kind} class={c.notReached ? 'not-reached' : undefined}>
                      <th scope="row">{c.kind === 'group' ? c.label : t(`inclusion.${c.kind}`)}</th>
                      <td>{c.count === null ? (c.notReached ? t('inclusion.notReached', { min: MIN_SHOWN }) : t('inclusion.hidden')) : number(c.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ))}
        </>
      )}
    </>
  );
}

export interface ConsultationForms {
  participation?: FormState;
  paid?: PaidForm;
  feedback?: FormState;
  join?: FormState;
  leave?: FormState;
  close?: FormState;
  coOrganise?: FormState;
  coAnswer?: FormState & { organisationId?: string };
}

export function ConsultationPage({ ctx, data, forms = {} }: { ctx: ViewContext; data: Data; forms?: ConsultationForms }) {
  const { t, locale, dateTime, number } = ctx.intl;
  const c = data.consultation;
  const o = data.organising;
  const money = (minor: number, currency: string) => formatMoney(locale, minor, currency);
  const feedbackForm = forms.feedback ?? { values: {}, errors: {} };
  const participationForm = forms.participation ?? { values: { currency: c.compensation_currency ?? 'GBP', amount: '' }, errors: {} };
  return (
    <Layout ctx={ctx} title={c.title}>
      <h1>{c.title}</h1>
      <p>
        <strong>{t(`consultations.state.${c.state}`)}</strong> · {c.organisation_name}
        {data.coOrganisers.length > 0 && <> · {t('consultations.withOrganisers', { names: listOf(ctx, data.coOrganisers.map((x) => x.name)) })}</>}
      </p>
      {data.feedback && (
        <section aria-labelledby="you-said" class="notice">
          <h2 id="you-said">{t('feedback.title')}</h2>
          <h3>{t('feedback.heard')}</h3>
          <p dir="auto" class="pre">{data.feedback.heard}</p>
          <h3>{t('feedback.did')}</h3>
          <p dir="auto" class="pre">{data.feedback.did}</p>
          <h3>{t('feedback.didNot')}</h3>
          <p dir="auto" class="pre">{data.feedback.did_not}</p>
          <p>{t('feedback.publishedOn', { date: dateTime(data.feedback.published_at) })}</p>
        </section>
      )}
      <h2>{t('consultations.whatFor')}</h2>
      <dl class="facts">
        <dt>{t('consultations.fPurpose')}</dt>
        <dd dir="auto">{c.purpose ?? '—'}</dd>
        <dt>{t('consultations.fDecision')}</dt>
        <dd dir="auto">
          {c.decision ?? '—'}
          {c.decision_maker && <> ({t('consultations.decidedBy', { who: c.decision_maker })})</>}
        </dd>
        <dt>{t('consultations.fCanChange')}</dt>
        <dd dir="auto">{c.can_change ?? '—'}</dd>
        <dt>{t('consultations.fCannotChange')}</dt>
        <dd dir="auto">{c.cannot_change ?? '—'}</dd>
        <dt>{t('consultations.compensation')}</dt>
        <dd dir="auto">
          {c.compensation_minor !== null && c.compensation_currency
            ? t('consultations.pays', { amount: money(c.compensation_minor, c.compensation_currency), basis: c.compensation_basis ?? '' })
            : (c.no_compensation_reason ?? '—')}
        </dd>
        <dt>{t('consultations.fFormat')}</dt>
        <dd>{t(`consultations.format.${c.format}`)}</dd>
        <dt>{t('consultations.when')}</dt>
        <dd>
          {day(ctx, c.starts_on)}
          {c.ends_on && c.ends_on !== c.starts_on && <> – {day(ctx, c.ends_on)}</>}
        </dd>
        <dt>{t('consultations.fLanguages')}</dt>
        <dd>{c.languages.length ? listOf(ctx, c.languages.map((l) => languageName(locale, l))) : '—'}</dd>
        {c.interpretation && (
          <>
            <dt>{t('consultations.fInterpretation')}</dt>
            <dd dir="auto">{c.interpretation}</dd>
          </>
        )}
        {c.accessibility && (
          <>
            <dt>{t('consultations.fAccessibility')}</dt>
            <dd dir="auto">{c.accessibility}</dd>
          </>
        )}
        <dt>{t('consultations.fCommunities')}</dt>
        <dd>
          {data.communities.map((x, i) => (
            <span key={x.id}>
              {i > 0 && ', '}
              <a href={`/communities/${x.id}`}>{x.name}</a>
            </span>
          ))}
        </dd>
        <dt>{t('consultations.participants')}</dt>
        <dd>{number(data.participantCount)}</dd>
      </dl>
      {(c.missing_who || o) && (
        <>
          <h2>{t('consultations.missing')}</h2>
          <dl class="facts">
            <dt>{t('consultations.fMissingWho')}</dt>
            <dd dir="auto">{c.missing_who ?? '—'}</dd>
            <dt>{t('consultations.fMissingWhy')}</dt>
            <dd dir="auto">{c.missing_why ?? '—'}</dd>
            <dt>{t('consultations.fMissingSteps')}</dt>
            <dd dir="auto">{c.missing_steps ?? '—'}</dd>
          </dl>
        </>
      )}
      {data.canJoin && (
        <section aria-labelledby="join">
          <h2 id="join">{t('consultations.joinTitle')}</h2>
          <p>{t('consultations.joinIntro')}</p>
          <p>{t('consultations.knownTo', { names: listOf(ctx, data.knownTo) })}</p>
          <p>{t('consultations.knownToChanges')}</p>
          <ErrorSummary ctx={ctx} errors={forms.join?.errors ?? {}} summaryKey={forms.join?.summaryKey} />
          <Form ctx={ctx} action={`/consultations/${c.id}/join`}>
            <Checkbox ctx={ctx} name="visible" value="yes" label={t('consultations.visible')} hint={t('consultations.visibleHint')} errors={{}} />
            <button type="submit">{t('consultations.join')}</button>
          </Form>
        </section>
      )}
      {data.participation && (
        <section aria-labelledby="you">
          <h2 id="you">{t('consultations.youTakePart')}</h2>
          <p>{data.participation.visible ? t('consultations.youVisible') : t('consultations.youHidden')}</p>
          <p>{t('consultations.knownTo', { names: listOf(ctx, data.knownTo) })}</p>
          {data.myPayments.map((p) => (
            <p key={p.id}>{p.status === 'paid' ? t('mine.paid', { amount: money(p.amount_minor, p.currency), date: day(ctx, p.paid_on) }) : t('mine.owed', { amount: money(p.amount_minor, p.currency) })}</p>
          ))}
          <ErrorSummary ctx={ctx} errors={forms.leave?.errors ?? {}} summaryKey={forms.leave?.summaryKey} />
          {data.canLeave && (
            <>
              <p>{t('consultations.leaveIntro')}</p>
              <PostButton ctx={ctx} action={`/consultations/${c.id}/leave`} label={t('consultations.leave')} secondary />
            </>
          )}
        </section>
      )}
      {data.visibleParticipants.length > 0 && (
        <section aria-labelledby="who">
          <h2 id="who">{t('consultations.whoVisible')}</h2>
          <p>{listOf(ctx, data.visibleParticipants.map((p) => p.name))}</p>
        </section>
      )}
      {(data.canCoOrganise || data.ownRequests.length > 0) && (
        <section aria-labelledby="co">
          <h2 id="co">{t('consultations.coTitle')}</h2>
          {data.ownRequests.map((r) => (
            <p key={r.organisation_id}>{t(`consultations.coOwn.${r.state}`, { organisation: r.name, lead: c.organisation_name })}</p>
          ))}
          <ErrorSummary ctx={ctx} errors={forms.coOrganise?.errors ?? {}} summaryKey={forms.coOrganise?.summaryKey} />
          {data.canCoOrganise && (
            <>
              <p>{t('consultations.coIntro', { lead: c.organisation_name })}</p>
              <Form ctx={ctx} action={`/consultations/${c.id}/co-organise`}>
                <ActingFor ctx={ctx} value={forms.coOrganise?.values.actingFor} errors={forms.coOrganise?.errors ?? {}} />
                <button type="submit">{t('consultations.coOrganise')}</button>
              </Form>
            </>
          )}
        </section>
      )}
      {o && (
        <section aria-labelledby="organise" class="organiser">
          <h2 id="organise">{t('consultations.organiserTitle')}</h2>
          {data.lead ? <ActingStatement ctx={ctx} /> : <p>{t('consultations.coOrganiserNote', { lead: c.organisation_name })}</p>}
          {forms.coAnswer && (
            <ErrorSummary
              ctx={ctx}
              errors={forms.coAnswer.errors}
              summaryKey={forms.coAnswer.summaryKey}
              idPrefix={actingPrefix(`/consultations/${c.id}/co-organisers/${forms.coAnswer.organisationId}/accept`)}
            />
          )}
          {data.lead && data.pendingRequests.length > 0 && (
            <>
              <h3 id="co-requests">{t('consultations.coRequestsTitle')}</h3>
              <p>{t('consultations.coRequestsIntro')}</p>
              <ul>
                {data.pendingRequests.map((r) => {
                  const posted = forms.coAnswer?.organisationId === r.organisation_id ? forms.coAnswer : undefined;
                  return (
                    <li key={r.organisation_id}>
                      <p>{t('consultations.coRequestFrom', { organisation: r.name, person: r.requested_by_name ?? '—', date: dateTime(r.created_at) })}</p>
                      <p class="actions">
                        <ActingButton ctx={ctx} action={`/consultations/${c.id}/co-organisers/${r.organisation_id}/accept`} label={t('consultations.coAccept')} form={posted} />{' '}
                        <ActingButton ctx={ctx} action={`/consultations/${c.id}/co-organisers/${r.organisation_id}/decline`} label={t('consultations.coDecline')} form={posted} secondary />
                      </p>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          {data.lead && c.state !== 'closed' && c.state !== 'loop_closed' && (
            <p>
              <a href={`/consultations/${c.id}/edit`}>{c.state === 'draft' ? t('consultations.editDraft') : t('consultations.edit')}</a>
            </p>
          )}
          {c.state === 'draft' && o.openingProblems.length > 0 && <p class="warning">{t('consultations.needsBeforeOpen', { count: o.openingProblems.length })}</p>}
          {o.overlapping.length > 0 && (
            <>
              <h3>{t('consultations.overlapTitle')}</h3>
              <p>{t('consultations.overlapIntro')}</p>
              <ul>
                {o.overlapping.map((x) => (
                  <li key={x.id}>
                    <a href={`/consultations/${x.id}`}>{x.title}</a> — {x.organisation_name} · {t(`consultations.state.${x.state}`)}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{t('inclusion.title')}</h3>
          <p>{t('inclusion.intro', { min: MIN_SHOWN })}</p>
          {o.inclusion.map((i) => (
            <Inclusion ctx={ctx} community={i.community} view={i.view} key={i.community.id} />
          ))}
          <h3>{t('consultations.participants')}</h3>
          {o.participants.length === 0 ? (
            <p>{t('consultations.noParticipants')}</p>
          ) : (
            <ul>
              {o.participants.map((p) => (
                <li key={p.person_id}>
                  {p.name}
                  {p.minutes !== null && <> · {t('consultations.hoursTaken', { hours: Math.round((p.minutes / 60) * 100) / 100 })}</>}
                </li>
              ))}
            </ul>
          )}
          {data.lead && c.state !== 'draft' && o.participants.length > 0 && (
            <>
              <h3 id="participation">{t('consultations.recordTitle')}</h3>
              <ErrorSummary ctx={ctx} errors={participationForm.errors} summaryKey={participationForm.summaryKey} />
              <Form ctx={ctx} action={`/consultations/${c.id}/participation`}>
                <ActingChoice ctx={ctx} value={participationForm.values.actingFor} errors={participationForm.errors} />
                <Select ctx={ctx} name="person" label={t('consultations.fPerson')} options={o.participants.map((p) => ({ value: p.person_id, label: p.name }))} value={participationForm.values.person} errors={participationForm.errors} />
                <Field ctx={ctx} name="hours" label={t('consultations.fHours')} value={participationForm.values.hours} errors={participationForm.errors} maxLength={6} />
                <Field ctx={ctx} name="amount" label={t('consultations.fAgreed')} hint={t('consultations.amountHint')} value={participationForm.values.amount} errors={participationForm.errors} maxLength={11} />
                <Select ctx={ctx} name="currency" label={t('consultations.fCurrency')} options={CURRENCIES.map((x) => ({ value: x, label: x }))} value={participationForm.values.currency} errors={participationForm.errors} />
                <button type="submit">{t('consultations.record')}</button>
              </Form>
            </>
          )}
          <Ledger ctx={ctx} ledger={o} action={(paymentId) => `/consultations/${c.id}/payments/${paymentId}/paid`} form={forms.paid} canMark={data.lead} />
          {data.lead && c.state === 'open' && (
            <>
              <h3>{t('consultations.closeTitle')}</h3>
              <p>{t('consultations.closeIntro')}</p>
              <ErrorSummary ctx={ctx} errors={forms.close?.errors ?? {}} summaryKey={forms.close?.summaryKey} idPrefix={actingPrefix(`/consultations/${c.id}/close`)} />
              <ActingButton ctx={ctx} action={`/consultations/${c.id}/close`} label={t('consultations.close')} form={forms.close} />
            </>
          )}
          {data.lead && (c.state === 'closed' || c.state === 'open') && (
            <>
              <h3 id="feedback">{t('feedback.formTitle')}</h3>
              <p>{t('feedback.formIntro')}</p>
              <ErrorSummary ctx={ctx} errors={feedbackForm.errors} summaryKey={feedbackForm.summaryKey} />
              <Form ctx={ctx} action={`/consultations/${c.id}/feedback`}>
                <ActingChoice ctx={ctx} value={feedbackForm.values.actingFor} errors={feedbackForm.errors} />
                <Textarea ctx={ctx} name="heard" label={t('feedback.heard')} value={feedbackForm.values.heard} errors={feedbackForm.errors} rows={4} maxLength={5000} />
                <Textarea ctx={ctx} name="did" label={t('feedback.did')} value={feedbackForm.values.did} errors={feedbackForm.errors} rows={4} maxLength={5000} />
                <Textarea ctx={ctx} name="didNot" label={t('feedback.didNot')} value={feedbackForm.values.didNot} errors={feedbackForm.errors} rows={4} maxLength={5000} />
                <button type="submit">{t('feedback.publish')}</button>
              </Form>
            </>
          )}
        </section>
      )}
    </Layout>
  );
}

export function MinePage({ ctx, data, mediaForm }: { ctx: ViewContext; data: MineData; mediaForm?: (FormState & { requestId?: string }) | undefined }) {
  const { t, locale } = ctx.intl;
  const owed = new Map<string, number>();
  const paid = new Map<string, number>();
  for (const p of data.payments) {
    const m = p.status === 'paid' ? paid : owed;
    m.set(p.currency, (m.get(p.currency) ?? 0) + p.amount_minor);
  }
  // One line per currency actually used: a euro and a pound are not added up, nor shown as one.
  const currencies = [...new Set([...owed.keys(), ...paid.keys()])].sort();
  const currencyName = new Intl.DisplayNames([locale], { type: 'currency' });
  return (
    <Layout ctx={ctx} title={t('mine.title')}>
      <h1>{t('mine.title')}</h1>
      {currencies.length === 0 ? (
        <p>{t('mine.noPayments')}</p>
      ) : (
        currencies.map((c) => (
          <p key={c}>{t('mine.totals', { currency: currencyName.of(c) ?? c, owed: formatMoney(locale, owed.get(c) ?? 0, c), paid: formatMoney(locale, paid.get(c) ?? 0, c) })}</p>
        ))
      )}
      <MediaForMember ctx={ctx} requests={data.media} form={mediaForm} />
      <h2>{t('mine.consultations')}</h2>
      {data.consultations.length === 0 ? (
        <p>{t('mine.none')}</p>
      ) : (
        <ul class="cards">
          {data.consultations.map((c) => (
            <li key={c.id}>
              <a href={`/consultations/${c.id}`}>{c.title}</a>
              <p>
                {c.organisation_name} · {t(`consultations.state.${c.state}`)}
                {c.state === 'loop_closed' && <> · {t('mine.feedbackReady')}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('mine.work')}</h2>
      {data.applications.length === 0 ? (
        <p>
          {t('mine.noWork')} <a href="/opportunities">{t('opportunities.title')}</a>
        </p>
      ) : (
        <ul class="cards">
          {data.applications.map((a) => (
            <li key={a.id}>
              <a href={`/opportunities/${a.id}`}>{a.title}</a>
              <p>
                {a.organisation_name} · {t(`opportunities.application.${a.state}`)}
              </p>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('payments.title')}</h2>
      {data.payments.length === 0 ? (
        <p>{t('payments.none')}</p>
      ) : (
        <ul>
          {data.payments.map((p) => (
            <li key={p.id}>
              {p.consultation_title ?? p.opportunity_title ?? p.organisation_name}:{' '}
              {p.status === 'paid' ? t('mine.paid', { amount: formatMoney(locale, p.amount_minor, p.currency), date: day(ctx, p.paid_on) }) : t('mine.owed', { amount: formatMoney(locale, p.amount_minor, p.currency) })}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function TrackRecordPage({ ctx, data }: { ctx: ViewContext; data: TrackData }) {
  const { t, number } = ctx.intl;
  const share = (part: number, whole: number) => (whole === 0 ? '—' : t('track.share', { part, whole, percent: Math.round((part / whole) * 100) }));
  return (
    <Layout ctx={ctx} title={t('track.title')}>
      <h1>{t('track.title')}</h1>
      <p>{t('track.intro', { days: data.overdueDays })}</p>
      {data.organisations.length === 0 ? (
        <p>{t('track.none')}</p>
      ) : (
        <TableWrap label={t('track.title')}>
          <table>
            <caption class="visually-hidden">{t('track.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('track.organisation')}</th>
                <th scope="col">{t('track.run')}</th>
                <th scope="col">{t('track.loopsClosed')}</th>
                <th scope="col">{t('track.medianDays')}</th>
                <th scope="col">{t('track.paidOnTime')}</th>
                <th scope="col">{t('track.totals')}</th>
              </tr>
            </thead>
            <tbody>
              {data.organisations.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    <a href={`/directory/${o.slug}`}>{o.name}</a>
                  </th>
                  <td>{number(o.run)}</td>
                  <td>{share(o.loopsClosed, o.ended)}</td>
                  <td>{o.medianDays === null ? '—' : t('fatigue.days', { days: o.medianDays })}</td>
                  <td>
                    {share(o.paidOnTime, o.paid)}
                    {o.overdue > 0 && <> · {t('track.overdue', { count: o.overdue })}</>}
                  </td>
                  <td>
                    {o.totals.length === 0
                      ? '—'
                      : o.totals.map((x) => (
                          <div key={x.currency}>{t('track.paidOwed', { paid: formatMoney(ctx.intl.locale, x.paid, x.currency), owed: formatMoney(ctx.intl.locale, x.owed, x.currency) })}</div>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}
