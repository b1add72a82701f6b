import { ActingFor, ErrorSummary, Field, Form, PostButton, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { FormState } from '../../../views/form.ts';
import type { MediaService } from '../media.service.ts';

type ListData = Awaited<ReturnType<MediaService['list']>>;
type MemberRequests = Awaited<ReturnType<MediaService['forPerson']>>;

/** For the organisation: who was put forward to which journalists, and what each said. */
export function MediaRequestsPage({ ctx, data, form }: { ctx: ViewContext; data: ListData; form?: FormState | undefined }) {
  const { t, dateTime } = ctx.intl;
  const state = form ?? { values: {}, errors: {} };
  const v = state.values;
  const e = state.errors;
  return (
    <Layout ctx={ctx} title={t('media.title')}>
      <h1>{t('media.title')}</h1>
      <p>{t('media.intro')}</p>
      {data.requests.length === 0 ? (
        <p>{t('media.none')}</p>
      ) : (
        <ul class="cards">
          {data.requests.map((r) => (
            <li key={r.id} class={r.consent === 'withdrawn' ? 'overdue' : undefined}>
              <h2>
                {r.name} — {r.outlet}
              </h2>
              {data.severalOrganisations && <p>{r.organisation_name}</p>}
              <p dir="auto">{r.topic}</p>
              <p>
                <strong>{t(`media.consent.${r.consent}`)}</strong>
                {r.answered_at && <> · {dateTime(r.answered_at)}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
      <h2 id="new">{t('media.newTitle')}</h2>
      {data.people.length === 0 ? (
        <p>{t('media.nobody')}</p>
      ) : (
        <>
          <p>{t('media.newIntro')}</p>
          <ErrorSummary ctx={ctx} errors={e} summaryKey={state.summaryKey} />
          <Form ctx={ctx} action="/media-requests">
            <ActingFor ctx={ctx} value={v.actingFor} errors={e} />
            <Select ctx={ctx} name="person" label={t('media.fPerson')} hint={t('media.personHint')} options={data.people.map((p) => ({ value: p.id, label: p.name }))} value={v.person} errors={e} />
            <Field ctx={ctx} name="outlet" label={t('media.fOutlet')} hint={t('media.outletHint')} value={v.outlet} errors={e} required maxLength={200} />
            <Textarea ctx={ctx} name="topic" label={t('media.fTopic')} value={v.topic} errors={e} rows={3} maxLength={1000} required />
            <Textarea ctx={ctx} name="trainingOffered" label={t('media.fTraining')} hint={t('media.trainingHint')} value={v.trainingOffered} errors={e} rows={2} maxLength={1000} required />
            <Textarea ctx={ctx} name="supportOffered" label={t('media.fSupport')} hint={t('media.supportHint')} value={v.supportOffered} errors={e} rows={2} maxLength={1000} required />
            <button type="submit">{t('media.ask')}</button>
          </Form>
        </>
      )}
    </Layout>
  );
}

/** For the member: each request, what was offered, and their own yes, no or "take it back". */
export function MediaForMember({ ctx, requests, form }: { ctx: ViewContext; requests: MemberRequests; form?: (FormState & { requestId?: string }) | undefined }) {
  const { t } = ctx.intl;
  if (requests.length === 0) return null;
  return (
    <section aria-labelledby="media">
      <h2 id="media">{t('media.mineTitle')}</h2>
      <p>{t('media.mineIntro')}</p>
      <ul class="cards">
        {requests.map((r) => (
          <li key={r.id}>
            <h3>{t('media.asks', { organisation: r.organisation_name, outlet: r.outlet })}</h3>
            <p dir="auto">{r.topic}</p>
            <dl class="facts">
              <dt>{t('media.fTraining')}</dt>
              <dd dir="auto">{r.training_offered}</dd>
              <dt>{t('media.fSupport')}</dt>
              <dd dir="auto">{r.support_offered}</dd>
            </dl>
            <p>
              <strong>{t(`media.yourConsent.${r.consent}`)}</strong>
            </p>
            {form?.requestId === r.id && <ErrorSummary ctx={ctx} errors={form.errors} summaryKey={form.summaryKey} />}
            {r.consent === 'asked' && (
              <p class="actions">
                <PostButton ctx={ctx} action={`/media-requests/${r.id}/answer`} hidden={{ answer: 'given' }} label={t('media.yes')} />{' '}
                <PostButton ctx={ctx} action={`/media-requests/${r.id}/answer`} hidden={{ answer: 'refused' }} label={t('media.no')} secondary />
              </p>
            )}
            {r.consent === 'refused' && <PostButton ctx={ctx} action={`/media-requests/${r.id}/answer`} hidden={{ answer: 'given' }} label={t('media.changeToYes')} secondary />}
            {r.consent === 'given' && <PostButton ctx={ctx} action={`/media-requests/${r.id}/withdraw`} label={t('media.withdraw')} secondary />}
          </li>
        ))}
      </ul>
    </section>
  );
}
