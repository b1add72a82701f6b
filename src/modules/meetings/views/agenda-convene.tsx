import { countryName } from '../../../platform/countries.ts';
import { ActingFor, Checkboxes, ErrorSummary, Field, Form, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import type { FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import { AGENDA_LIMITS, POLL_SLOTS } from '../agenda.schemas.ts';
import { MEETING_LIMITS } from '../meetings.schemas.ts';
import type { AgendaService } from '../agenda.service.ts';
import { zoneOptions } from '../meetings.service.ts';

type ConveneData = Awaited<ReturnType<AgendaService['conveneForm']>>;

/** A wall-clock time in the form's zone: the browser's picker where there is one, text otherwise. */
export function DateTimeField({ ctx, name, id, label, value, state }: { ctx: ViewContext; name: string; id?: string; label: string; value: unknown; state: FormState }) {
  const error = state.errors[name];
  const fieldId = id ?? name;
  const hintId = `${fieldId}-hint`;
  return (
    <div class="field">
      <label for={fieldId}>{label}</label>
      <span class="hint" id={hintId}>
        {ctx.intl.t('agenda.dateTimeHint')}
      </span>
      {error && (
        <span class="field-error" id={`${fieldId}-error`}>
          {ctx.intl.t(error.key, error.values)}
        </span>
      )}
      <input
        id={fieldId}
        name={name}
        type="datetime-local"
        value={typeof value === 'string' ? value : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${hintId} ${fieldId}-error` : hintId}
        dir="ltr"
      />
    </div>
  );
}

/** The poll's slots: five inputs, of which two to five are filled in (empty ones are ignored). */
export function SlotFields({ ctx, state, legend, hint }: { ctx: ViewContext; state: FormState; legend: string; hint: string }) {
  const { t } = ctx.intl;
  const given = Array.isArray(state.values.slots) ? (state.values.slots as unknown[]) : [];
  const error = state.errors.slots;
  return (
    <fieldset id="slots" class="field" aria-describedby={error ? 'slots-hint slots-error' : 'slots-hint'}>
      <legend>{legend}</legend>
      <span class="hint" id="slots-hint">
        {hint}
      </span>
      {error && (
        <span class="field-error" id="slots-error">
          {t(error.key, error.values)}
        </span>
      )}
      {Array.from({ length: POLL_SLOTS.max }, (_, i) => (
        <div class="field" key={String(i)}>
          <label for={`slot-${i + 1}`}>{t('agenda.pollSlotLabel', { number: i + 1 })}</label>
          <input id={`slot-${i + 1}`} name="slots" type="datetime-local" value={typeof given[i] === 'string' ? (given[i] as string) : undefined} dir="ltr" />
        </div>
      ))}
    </fieldset>
  );
}

export function ConvenePage({ ctx, data, state, prefill }: { ctx: ViewContext; data: ConveneData; state: FormState; prefill: boolean }) {
  const { t, locale, dateTime } = ctx.intl;
  const a = data.cited.alert;
  const country = countryName(locale, a.country);
  const v = prefill ? { ...state.values, title: t('agenda.conveneDefaultTitle', { number: a.number, country }) } : state.values;
  const e = state.errors;
  const label = (name: string, why: string) => `${name} (${why})`;
  return (
    <Layout ctx={ctx} title={t('agenda.conveneTitle')}>
      <h1>{t('agenda.conveneTitle')}</h1>
      <p>{t('agenda.conveneIntro')}</p>
      <div class="panel">
        <p>
          <a href={`/alerts/${a.id}`}>{t('agenda.alertItem', { number: a.number })}</a> · {country} · {t(`alerts.severity.${a.severity}`)}
        </p>
        <p dir="auto" class="pre">
          {a.summary}
        </p>
        <p>{t('agenda.conveneSigns', { count: data.cited.signs.length })}</p>
      </div>
      {data.requests.length > 0 && (
        <section aria-labelledby="requests">
          <h2 id="requests">{t('agenda.conveneRequests')}</h2>
          <p class="hint">{t('agenda.conveneRequestsHint')}</p>
          <ul>
            {data.requests.map((r) => (
              <li key={r.id}>
                {t('agenda.conveneRequestBy', { name: r.organisation_name ?? t('agenda.secretariat'), date: dateTime(r.created_at) })}
                <p dir="auto">{r.purpose}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <ErrorSummary ctx={ctx} errors={e} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action="/meetings/convene">
        <input type="hidden" name="alert" value={a.id} />
        <ActingFor ctx={ctx} value={v.actingFor} errors={e} />
        <Field ctx={ctx} name="title" label={t('agenda.conveneMeetingTitle')} value={v.title} errors={e} maxLength={AGENDA_LIMITS.title} required />
        <Textarea ctx={ctx} name="purpose" label={t('agenda.convenePurpose')} value={v.purpose} errors={e} rows={3} maxLength={AGENDA_LIMITS.purpose} />
        <Select ctx={ctx} name="timeZone" label={t('agenda.timeZone')} hint={t('agenda.timeZoneHint')} value={v.timeZone} errors={e} options={zoneOptions().map((z) => ({ value: z, label: z }))} />
        <DateTimeField ctx={ctx} name="startsAt" label={t('agenda.startsAt')} value={v.startsAt} state={{ values: v, errors: e }} />
        <DateTimeField ctx={ctx} name="endsAt" label={t('agenda.endsAt')} value={v.endsAt} state={{ values: v, errors: e }} />
        <Field ctx={ctx} name="place" label={t('meetings.place')} hint={t('agenda.conveneWhereHint')} value={v.place} errors={e} maxLength={MEETING_LIMITS.place} />
        <Field ctx={ctx} name="onlineUrl" type="url" dir="ltr" label={t('meetings.onlineUrl')} hint={t('meetings.onlineUrlHint')} value={v.onlineUrl} errors={e} maxLength={MEETING_LIMITS.link} />
        {data.subscribed.length + data.suggested.length === 0 ? (
          <p class="warning">{t('agenda.conveneNoOrganisations')}</p>
        ) : (
          <Checkboxes
            ctx={ctx}
            name="organisations"
            legend={t('agenda.conveneOrganisations')}
            hint={t('agenda.conveneOrganisationsHint')}
            value={v.organisations}
            errors={e}
            options={[
              ...data.subscribed.map((o) => ({ value: o.id, label: label(o.name, t('agenda.whySubscribed', { country })) })),
              ...data.suggested.map((o) => ({ value: o.id, label: label(o.name, t('agenda.whyDirectory', { country })) })),
            ]}
          />
        )}
        <SlotFields ctx={ctx} state={{ values: v, errors: e }} legend={t('agenda.pollOptional')} hint={t('agenda.pollSlotsHint', POLL_SLOTS)} />
        <button type="submit">{t('agenda.conveneSubmit')}</button>
      </Form>
    </Layout>
  );
}
