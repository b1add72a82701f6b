import { countryName, countryOptions } from '../../../platform/countries.ts';
import { rolesOf } from '../../../platform/policy.ts';
import { ActingFor, Checkbox, Checkboxes, ErrorSummary, Field, Form, MultiSelect, PostButton, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { AlertRow } from '../alerts.repository.ts';
import { ALERT_ACTIONS, RESPONSE_KINDS, SEVERITIES } from '../alerts.schemas.ts';
import type { AlertsService } from '../alerts.service.ts';
import { Codes, CountryLink, day, SensitivityBadge, StateBadge, Statements } from './common.tsx';
import type { FormState } from '../../../views/form.ts';
import { listOf } from '../../../views/format.ts';

type ListData = Awaited<ReturnType<AlertsService['list']>>;
type AlertData = Awaited<ReturnType<AlertsService['alert']>>;
type ProposeData = Awaited<ReturnType<AlertsService['proposeOptions']>>;
type SubscriptionsData = Awaited<ReturnType<AlertsService['subscriptions']>>;

function AlertItem({ ctx, alert }: { ctx: ViewContext; alert: AlertRow }) {
  const { t, locale, date } = ctx.intl;
  return (
    <li>
      <h3>
        <a href={`/alerts/${alert.id}`}>
          {t('alerts.itemTitle', { number: alert.number, severity: t(`alerts.severity.${alert.severity}`), country: countryName(locale, alert.country) })}
        </a>
      </h3>
      <p>
        {t(`alerts.status.${alert.status}`)} · {t('signs.byOrganisation', { name: alert.organisation_name })} · {date(alert.created_at)}
        {alert.deadline && <> · {t('alerts.deadlineOn', { date: day(ctx, alert.deadline) })}</>}
      </p>
      <p dir="auto">{alert.summary.length > 200 ? `${alert.summary.slice(0, 200)}…` : alert.summary}</p>
    </li>
  );
}

export function AlertsPage({ ctx, data }: { ctx: ViewContext; data: ListData }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('alerts.title')}>
      <h1>{t('alerts.title')}</h1>
      <p>{t('alerts.intro')}</p>
      <p>
        <a href="/alerts/feed.atom">{t('alerts.feed')}</a>
        {ctx.actor.kind === 'person' && (
          <>
            {' · '}
            <a href="/alerts/subscriptions">{t('subscriptions.title')}</a>
          </>
        )}
      </p>
      {data.canPropose && (
        <p>
          <a class="button" href="/alerts/new">
            {t('alerts.propose')}
          </a>
        </p>
      )}
      {data.proposed.length > 0 && (
        <>
          <h2>{t('alerts.awaiting')}</h2>
          <p>{t('alerts.awaitingIntro')}</p>
          <ul class="cards">
            {data.proposed.map((a) => (
              <AlertItem ctx={ctx} alert={a} key={a.id} />
            ))}
          </ul>
        </>
      )}
      <h2>{t('alerts.active')}</h2>
      {data.active.length === 0 ? (
        <p>{t('alerts.none')}</p>
      ) : (
        <ul class="cards">
          {data.active.map((a) => (
            <AlertItem ctx={ctx} alert={a} key={a.id} />
          ))}
        </ul>
      )}
      <h2>{t('alerts.closed')}</h2>
      {data.closed.length === 0 ? (
        <p>{t('alerts.none')}</p>
      ) : (
        <ul class="cards">
          {data.closed.map((a) => (
            <AlertItem ctx={ctx} alert={a} key={a.id} />
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface AlertForms {
  respond?: FormState;
  close?: FormState;
  meeting?: FormState;
  confirm?: FormState;
}

export function AlertPage({ ctx, data, forms = {} }: { ctx: ViewContext; data: AlertData; forms?: AlertForms }) {
  const { t, locale, dateTime } = ctx.intl;
  const a = data.alert;
  const title = t('alerts.itemTitle', { number: a.number, severity: t(`alerts.severity.${a.severity}`), country: countryName(locale, a.country) });
  const respond = forms.respond ?? { values: { kind: 'will_act' }, errors: {} };
  const close = forms.close ?? { values: {}, errors: {} };
  const meeting = forms.meeting ?? { values: {}, errors: {} };
  const confirm = forms.confirm ?? { values: {}, errors: {} };
  const willAct = data.responses.filter((r) => r.kind === 'will_act').length;
  const cannot = data.responses.filter((r) => r.kind === 'cannot').length;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>
        <strong>{t(`alerts.status.${a.status}`)}</strong> · <SensitivityBadge ctx={ctx} sensitivity={a.sensitivity} />
      </p>
      {a.status === 'proposed' && <p class="warning">{t('alerts.needsConfirmation')}</p>}
      <dl class="facts">
        <dt>{t('signs.country')}</dt>
        <dd>
          <CountryLink ctx={ctx} code={a.country} />
        </dd>
        <dt>{t('alerts.severityLabel')}</dt>
        <dd>{t(`alerts.severity.${a.severity}`)}</dd>
        <dt>{t('alerts.proposedBy')}</dt>
        <dd>{a.organisation_name}</dd>
        <dt>{t('alerts.deadline')}</dt>
        <dd>{a.deadline ? day(ctx, a.deadline) : t('alerts.noDeadline')}</dd>
        {a.confirmed_at && (
          <>
            <dt>{t('alerts.confirmedOn')}</dt>
            <dd>{dateTime(a.confirmed_at)}</dd>
          </>
        )}
        {data.deliveries && (
          <>
            <dt>{t('alerts.delivered')}</dt>
            <dd>{t('alerts.deliveredCount', { total: data.deliveries.total, mailed: data.deliveries.mailed })}</dd>
          </>
        )}
      </dl>
      <h2>{t('alerts.summary')}</h2>
      <p dir="auto" class="pre">
        {a.summary}
      </p>
      <h2>{t('alerts.actions')}</h2>
      <ul>
        {a.actions.map((x) => (
          <li key={x}>{t(`alerts.action.${x}`)}</li>
        ))}
      </ul>
      {a.actions.includes('joint_statement') && (rolesOf(ctx.actor).has('member') || rolesOf(ctx.actor).has('org_admin')) && (
        // Staff of member organisations draft statements (advocacy.policy "draft"): the alert leads to one.
        <p>
          <a href={`/statements/new?alert=${a.id}`}>{t('statements.startFromAlert')}</a>
        </p>
      )}
      {a.status !== 'proposed' && (rolesOf(ctx.actor).has('member') || rolesOf(ctx.actor).has('org_admin') || rolesOf(ctx.actor).has('convener')) && (
        // Meetings (issue 14): those who may convene (meetings.policy "convene") start an ad hoc
        // meeting from the alert in two steps; the message is in locales/*/meetings-agenda.json.
        <p>
          <a href={`/meetings/convene?alert=${a.id}`}>{t('agenda.conveneFromAlert')}</a>
        </p>
      )}
      {a.outcome && (
        <>
          <h2>{t('alerts.outcome')}</h2>
          <p dir="auto" class="pre">
            {a.outcome}
          </p>
        </>
      )}
      <h2>{t('alerts.signs')}</h2>
      <ul class="cards">
        {data.signs.map((s) => (
          <li key={s.id}>
            <a href={`/signs/${s.id}`}>{day(ctx, s.observed_on)}</a> · <StateBadge ctx={ctx} state={s.state} /> · {s.organisation_name}
            <p dir="auto">{s.description.length > 200 ? `${s.description.slice(0, 200)}…` : s.description}</p>
            <Codes ctx={ctx} framework={data.framework} codes={s.factor_codes} />
          </li>
        ))}
      </ul>
      {data.canConfirm && (
        <>
          <h2>{t('alerts.confirmTitle')}</h2>
          <p>{t('alerts.confirmIntro')}</p>
          <ErrorSummary ctx={ctx} errors={confirm.errors} summaryKey={confirm.summaryKey} />
          <Form ctx={ctx} action={`/alerts/${a.id}/confirm`}>
            <ActingFor ctx={ctx} value={confirm.values.actingFor} errors={confirm.errors} />
            <button type="submit">{t('alerts.confirm')}</button>
          </Form>
        </>
      )}
      {data.confirmBlockedOwn && <p class="hint">{t('alerts.confirmOwnHint')}</p>}

      <h2>{t('alerts.responses')}</h2>
      <p>{t('alerts.responseCounts', { willAct, cannot })}</p>
      {data.responses.length > 0 && (
        <Statements ctx={ctx} items={data.responses} kindLabel={(k) => t(`alerts.response.${k}`)} publicLabel={t('alerts.responsePublicBadge')} />
      )}
      {data.canRespond && (
        <>
          <h3 id="respond">{t('alerts.respondTitle')}</h3>
          <ErrorSummary ctx={ctx} errors={respond.errors} summaryKey={respond.summaryKey} />
          <Form ctx={ctx} action={`/alerts/${a.id}/responses`}>
            <ActingFor ctx={ctx} value={respond.values.actingFor} errors={respond.errors} />
            <Radios
              ctx={ctx}
              name="kind"
              legend={t('alerts.respondLegend')}
              value={respond.values.kind}
              errors={respond.errors}
              options={RESPONSE_KINDS.map((k) => ({ value: k, label: t(`alerts.responseChoice.${k}`) }))}
            />
            <Textarea ctx={ctx} name="body" label={t('alerts.respondBody')} hint={t('alerts.respondBodyHint')} value={respond.values.body} errors={respond.errors} rows={3} maxLength={2000} />
            <Checkbox ctx={ctx} name="public" label={t('alerts.respondPublic')} hint={t('alerts.respondPublicHint')} checked={respond.values.public === 'yes'} errors={respond.errors} />
            <button type="submit">{t('alerts.respondSubmit')}</button>
          </Form>
        </>
      )}
      {data.meetings.length > 0 && (
        <>
          <h2>{t('alerts.meetings')}</h2>
          <ul>
            {data.meetings.map((m) => (
              <li key={m.id}>
                {t('alerts.meetingRequested', { name: m.organisation_name ?? t('signs.secretariat'), date: dateTime(m.created_at) })}
                <p dir="auto">{m.purpose}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      {data.canRequestMeeting && (
        <>
          <h3 id="meeting">{t('alerts.meetingTitle')}</h3>
          <ErrorSummary ctx={ctx} errors={meeting.errors} summaryKey={meeting.summaryKey} />
          <Form ctx={ctx} action={`/alerts/${a.id}/meeting`}>
            <ActingFor ctx={ctx} value={meeting.values.actingFor} errors={meeting.errors} />
            <Textarea ctx={ctx} name="purpose" label={t('alerts.meetingPurpose')} value={meeting.values.purpose} errors={meeting.errors} rows={3} maxLength={1000} />
            <button type="submit" class="secondary">
              {t('alerts.meetingSubmit')}
            </button>
          </Form>
        </>
      )}
      {data.canClose && (
        <>
          <h2 id="close">{t('alerts.closeTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={close.errors} summaryKey={close.summaryKey} />
          <Form ctx={ctx} action={`/alerts/${a.id}/close`}>
            <Textarea ctx={ctx} name="outcome" label={t('alerts.outcome')} hint={t('alerts.outcomeHint')} value={close.values.outcome} errors={close.errors} rows={4} maxLength={3000} />
            <button type="submit">{t('alerts.closeSubmit')}</button>
          </Form>
        </>
      )}
      <p class="hint">{t('alerts.responsesCount', { count: data.responses.length })}</p>
    </Layout>
  );
}

export function ProposeAlertPage({ ctx, options, state }: { ctx: ViewContext; options: ProposeData; state: FormState }) {
  const { t, locale } = ctx.intl;
  const v = state.values;
  const errors = state.errors;
  const country = typeof v.country === 'string' ? v.country : '';
  return (
    <Layout ctx={ctx} title={t('alerts.propose')}>
      <h1>{t('alerts.propose')}</h1>
      <p>{t('alerts.proposeIntro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={state.summaryKey} />
      {/* Choosing the country first lists its signs: a GET form, so it works without JavaScript. */}
      <form method="get" action="/alerts/new" class="filters">
        <Select ctx={ctx} name="country" label={t('signs.country')} value={country} errors={{}} options={[{ value: '', label: t('signs.chooseCountry') }, ...countryOptions(locale)]} />
        <button type="submit" class="secondary">
          {t('alerts.showSigns')}
        </button>
      </form>
      {country && (
        <Form ctx={ctx} action="/alerts">
          <input type="hidden" name="country" value={country} />
          <ActingFor ctx={ctx} value={v.actingFor} errors={errors} />
          {options.signs.length === 0 ? (
            <p id="signs" class="warning">
              {t('alerts.noCitableSigns')}
            </p>
          ) : (
            <Checkboxes
              ctx={ctx}
              name="signs"
              legend={t('alerts.signsLegend')}
              hint={t('alerts.signsHint')}
              value={v.signs}
              errors={errors}
              options={options.signs.map((s) => ({
                value: s.id,
                label: `${day(ctx, s.observed_on)} · ${s.organisation_name} · ${t(`signs.sensitivity.${s.sensitivity}`)} · ${s.description.slice(0, 90)}`,
              }))}
            />
          )}
          <Radios ctx={ctx} name="severity" legend={t('alerts.severityLabel')} value={v.severity} errors={errors} options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) }))} />
          <Textarea ctx={ctx} name="summary" label={t('alerts.summary')} hint={t('alerts.summaryHint')} value={v.summary} errors={errors} maxLength={3000} />
          <Checkboxes ctx={ctx} name="actions" legend={t('alerts.actions')} value={v.actions} errors={errors} options={ALERT_ACTIONS.map((x) => ({ value: x, label: t(`alerts.action.${x}`) }))} />
          <Field ctx={ctx} name="deadline" label={t('alerts.deadlineOptional')} hint={t('signs.dateHint')} value={v.deadline} errors={errors} maxLength={10} />
          <Radios
            ctx={ctx}
            name="sensitivity"
            legend={t('signs.sensitivity')}
            hint={t('alerts.sensitivityHint')}
            value={v.sensitivity ?? 'network'}
            errors={errors}
            options={(['network', 'public'] as const).map((s) => ({ value: s, label: t(`signs.sensitivityChoice.${s}`) }))}
          />
          <button type="submit">{t('alerts.proposeSubmit')}</button>
        </Form>
      )}
    </Layout>
  );
}

export function SubscriptionsPage({ ctx, data, state }: { ctx: ViewContext; data: SubscriptionsData; state?: FormState }) {
  const { t, locale, date } = ctx.intl;
  const v = state?.values ?? { minSeverity: 'moderate' };
  const errors = state?.errors ?? {};
  const factorLabel = (f: string) => `${f}. ${data.framework.label(f, locale)}`;
  return (
    <Layout ctx={ctx} title={t('subscriptions.title')}>
      <h1>{t('subscriptions.title')}</h1>
      <h2>{t('subscriptions.inbox')}</h2>
      {data.inbox.length === 0 ? (
        <p>{t('subscriptions.inboxEmpty')}</p>
      ) : (
        <ul class="cards">
          {data.inbox.map((n) => (
            <li key={n.id}>
              <a href={`/alerts/${n.id}`}>
                {t('alerts.itemTitle', { number: n.number, severity: t(`alerts.severity.${n.severity}`), country: countryName(locale, n.country) })}
              </a>{' '}
              {n.read_at === null && <span class="badge">{t('subscriptions.unread')}</span>} · {date(n.created_at)}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('subscriptions.modeTitle')}</h2>
      <Form ctx={ctx} action="/alerts/subscriptions/mode">
        <Radios
          ctx={ctx}
          name="mode"
          legend={t('subscriptions.modeLegend')}
          value={data.mode}
          errors={{}}
          options={(['immediate', 'digest'] as const).map((m) => ({ value: m, label: t(`subscriptions.mode.${m}`) }))}
        />
        <button type="submit" class="secondary">
          {t('subscriptions.saveMode')}
        </button>
      </Form>
      <h2>{t('subscriptions.saved')}</h2>
      {data.subscriptions.length === 0 ? (
        <p>{t('subscriptions.none')}</p>
      ) : (
        <ul class="cards">
          {data.subscriptions.map((s) => (
            <li key={s.id}>
              <p>
                {t('subscriptions.describe', {
                  countries: s.countries.length === 0 ? t('subscriptions.anyCountry') : listOf(ctx, s.countries.map((c) => countryName(locale, c))),
                  factors: s.factor_codes.length === 0 ? t('subscriptions.anyFactor') : s.factor_codes.map(factorLabel).join('; '),
                  severity: t(`alerts.severity.${s.min_severity}`),
                })}
              </p>
              <PostButton ctx={ctx} action={`/alerts/subscriptions/${s.id}/delete`} label={t('subscriptions.delete')} secondary />
            </li>
          ))}
        </ul>
      )}
      <h2 id="add">{t('subscriptions.add')}</h2>
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={state?.summaryKey} />
      <Form ctx={ctx} action="/alerts/subscriptions">
        <MultiSelect ctx={ctx} name="countries" label={t('subscriptions.countries')} hint={t('subscriptions.countriesHint')} value={v.countries} errors={errors} options={countryOptions(locale)} />
        <Checkboxes
          ctx={ctx}
          name="factors"
          legend={t('subscriptions.factors')}
          hint={t('subscriptions.factorsHint')}
          value={v.factors}
          errors={errors}
          options={data.framework.factors.map((f) => ({ value: f.code, label: factorLabel(f.code) }))}
        />
        <Select ctx={ctx} name="minSeverity" label={t('subscriptions.minSeverity')} value={v.minSeverity} errors={errors} options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) }))} />
        <button type="submit">{t('subscriptions.addSubmit')}</button>
      </Form>
    </Layout>
  );
}
