import { ActingFor, ErrorSummary, Field, Form, MultiSelect, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import { GOAL_LIMITS } from '../goals.schemas.ts';
import type { GoalsService, Progress } from '../goals.service.ts';
import { listOf } from '../../../views/format.ts';

type ListData = Awaited<ReturnType<GoalsService['list']>>;
type GoalData = Awaited<ReturnType<GoalsService['goal']>>;
type AnnualData = Awaited<ReturnType<GoalsService['annual']>>;

export interface GoalForms {
  lead?: FormState;
  update?: FormState;
  link?: FormState;
}

function ProgressLine({ ctx, progress }: { ctx: ViewContext; progress: Progress }) {
  const { t, number } = ctx.intl;
  return (
    <p class="progress">
      {progress.total === 0 ? t('goals.noActions') : t('goals.progress', { done: number(progress.done), total: number(progress.total) })}
      {progress.total > 0 && (
        <>
          {' '}
          <progress max={progress.total} value={progress.done} aria-label={t('goals.progressLabel')}>
            {t('goals.progress', { done: number(progress.done), total: number(progress.total) })}
          </progress>
        </>
      )}
    </p>
  );
}

function Leads({ ctx, leads }: { ctx: ViewContext; leads: readonly { organisation_id: string; state: string; name: string; slug: string }[] }) {
  const { t } = ctx.intl;
  const shown = leads.filter((l) => l.state !== 'declined');
  if (shown.length === 0) return <>{t('goals.noLeads')}</>;
  return (
    <>
      {shown.map((l, i) => (
        <span key={l.organisation_id}>
          {i > 0 && ', '}
          <a href={`/directory/${l.slug}`}>{l.name}</a>
          {l.state === 'invited' && <> ({t('goals.leadInvited')})</>}
        </span>
      ))}
    </>
  );
}

export function GoalsPage({ ctx, data, form }: { ctx: ViewContext; data: ListData; form?: FormState }) {
  const { t } = ctx.intl;
  const state = form ?? EMPTY;
  const v = state.values;
  const title = t('goals.title', { year: String(data.year) });
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('goals.intro')}</p>
      {data.years.length > 1 && (
        <nav aria-label={t('goals.years')}>
          <p class="actions">
            {data.years.map((y) => (y === data.year ? <strong key={y}>{String(y)}</strong> : <a key={y} href={`/goals?year=${y}`}>{String(y)}</a>))}
          </p>
        </nav>
      )}
      <p>
        <a href={`/goals/print?year=${data.year}`}>{t('goals.printable')}</a>
      </p>
      {data.goals.length === 0 ? (
        <p>{t('goals.none')}</p>
      ) : (
        <ul class="cards">
          {data.goals.map((g) => (
            <li key={g.id}>
              <h2>
                <a href={`/goals/${g.id}`} dir="auto">
                  {g.title}
                </a>
              </h2>
              <p dir="auto">{g.success}</p>
              <p>
                {t('goals.leads')}: <Leads ctx={ctx} leads={g.leads} />
              </p>
              <ProgressLine ctx={ctx} progress={g.progress} />
            </li>
          ))}
        </ul>
      )}
      {data.canSet && data.form && (
        <section aria-labelledby="new-goal">
          <h2 id="new-goal">{t('goals.newTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
          <Form ctx={ctx} action="/goals">
            <ActingFor ctx={ctx} value={v.actingFor} errors={state.errors} />
            <Field ctx={ctx} name="year" label={t('goals.year')} value={typeof v.year === 'string' ? v.year : String(new Date().getUTCFullYear())} errors={state.errors} inputmode="numeric" maxLength={4} />
            <Field ctx={ctx} name="title" label={t('goals.goalTitle')} value={v.title} errors={state.errors} maxLength={GOAL_LIMITS.title} required />
            <Textarea ctx={ctx} name="success" label={t('goals.success')} hint={t('goals.successHint')} value={v.success} errors={state.errors} rows={4} maxLength={GOAL_LIMITS.success} required />
            <MultiSelect
              ctx={ctx}
              name="leads"
              label={t('goals.leadsLabel')}
              hint={t('goals.leadsHint')}
              value={v.leads}
              errors={state.errors}
              options={data.form.organisations.map((o) => ({ value: o.id, label: o.name }))}
            />
            <Select
              ctx={ctx}
              name="meeting"
              label={t('goals.workshop')}
              value={v.meeting ?? ''}
              errors={state.errors}
              options={[{ value: '', label: t('goals.noWorkshop') }, ...data.form.meetings.map((m) => ({ value: m.id, label: m.title }))]}
            />
            <button type="submit">{t('goals.create')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

export function GoalPage({ ctx, data, forms }: { ctx: ViewContext; data: GoalData; forms: GoalForms }) {
  const { t, date, number } = ctx.intl;
  const g = data.goal;
  const lead = forms.lead ?? EMPTY;
  const update = forms.update ?? EMPTY;
  const link = forms.link ?? EMPTY;
  const linkable = data.canLink && (data.meetingChoices.length > 0 || data.statementChoices.length > 0);
  return (
    <Layout ctx={ctx} title={g.title}>
      <p>
        <a href={`/goals?year=${g.year}`}>{t('goals.back', { year: String(g.year) })}</a>
      </p>
      <h1 dir="auto">{g.title}</h1>
      {/* A refused form whose section the reader does not get (not a lead, nothing left to link) is explained here. */}
      {data.toAnswer.length === 0 && <ErrorSummary ctx={ctx} errors={lead.errors} summaryKey={lead.summaryKey} />}
      {data.updateAs.length === 0 && <ErrorSummary ctx={ctx} errors={update.errors} summaryKey={update.summaryKey} />}
      {!linkable && <ErrorSummary ctx={ctx} errors={link.errors} summaryKey={link.summaryKey} />}
      <dl class="facts">
        <dt>{t('goals.year')}</dt>
        <dd>{String(g.year)}</dd>
        <dt>{t('goals.success')}</dt>
        <dd dir="auto">{g.success}</dd>
        <dt>{t('goals.leads')}</dt>
        <dd>
          <Leads ctx={ctx} leads={data.leads} />
        </dd>
        {g.meeting_id && (
          <>
            <dt>{t('goals.setAt')}</dt>
            <dd>
              <a href={`/meetings/${g.meeting_id}`} dir="auto">
                {g.meeting_title}
              </a>
            </dd>
          </>
        )}
      </dl>
      {data.toAnswer.length > 0 && (
        <section aria-labelledby="lead-answer">
          <h2 id="lead-answer">{t('goals.leadQuestion')}</h2>
          <ErrorSummary ctx={ctx} errors={lead.errors} summaryKey={lead.summaryKey} />
          {data.toAnswer.map((l) => (
            <div key={l.organisation_id}>
              <p>{l.state === 'accepted' ? t('goals.leadAccepted', { organisation: l.name }) : l.state === 'declined' ? t('goals.leadDeclined', { organisation: l.name }) : t('goals.leadAsked', { organisation: l.name })}</p>
              <div class="actions">
                {l.state !== 'accepted' && (
                  <Form ctx={ctx} action={`/goals/${g.id}/leads`} class="inline">
                    <input type="hidden" name="organisation" value={l.organisation_id} />
                    <input type="hidden" name="answer" value="accept" />
                    <button type="submit">{t('goals.leadAccept')}</button>
                  </Form>
                )}
                {l.state !== 'declined' && (
                  <Form ctx={ctx} action={`/goals/${g.id}/leads`} class="inline">
                    <input type="hidden" name="organisation" value={l.organisation_id} />
                    <input type="hidden" name="answer" value="decline" />
                    <button type="submit" class="secondary">
                      {l.state === 'accepted' ? t('goals.leadStepBack') : t('goals.leadDecline')}
                    </button>
                  </Form>
                )}
              </div>
            </div>
          ))}
        </section>
      )}
      <h2>{t('goals.progressTitle')}</h2>
      <ProgressLine ctx={ctx} progress={data.progress} />
      <ul class="counts">
        {(['open', 'in_progress', 'done', 'dropped'] as const).map((s) => (
          <li key={s}>{t('goals.statusCount', { status: t(`goals.status.${s}`), count: number(data.progress.byStatus[s]) })}</li>
        ))}
      </ul>
      <h2>{t('goals.updates')}</h2>
      {data.updates.length === 0 && data.actionUpdates.length === 0 ? (
        <p>{t('goals.noUpdates')}</p>
      ) : (
        <ol class="history">
          {data.updates.map((u) => (
            <li key={u.id}>
              <p>
                {date(u.created_at)} · <a href={`/directory/${u.organisation_slug}`}>{u.organisation_name}</a>
              </p>
              <p dir="auto">{u.body}</p>
            </li>
          ))}
          {data.actionUpdates.map((u) => (
            <li key={u.id}>
              <p>
                {date(u.created_at)} ·{' '}
                <a href={`/actions/${u.action_id}`} dir="auto">
                  {t('goals.actionRef', { number: String(u.action_number), title: u.action_title })}
                </a>{' '}
                · {t(`goals.status.${u.status}`)}
                {u.organisation_name && <> · {u.organisation_name}</>}
              </p>
              {u.note && <p dir="auto">{u.note}</p>}
            </li>
          ))}
        </ol>
      )}
      {data.updateAs.length > 0 && (
        <section aria-labelledby="new-update">
          <h3 id="new-update">{t('goals.updateTitle')}</h3>
          <ErrorSummary ctx={ctx} errors={update.errors} summaryKey={update.summaryKey} />
          <Form ctx={ctx} action={`/goals/${g.id}/updates`}>
            <ActingFor ctx={ctx} value={update.values.actingFor} errors={update.errors} />
            <Textarea ctx={ctx} name="body" label={t('goals.updateBody')} value={update.values.body} errors={update.errors} rows={4} maxLength={GOAL_LIMITS.update} required />
            <button type="submit">{t('goals.updateSubmit')}</button>
          </Form>
        </section>
      )}
      <h2>{t('goals.decisions')}</h2>
      {data.decisions.length === 0 ? (
        <p>{t('goals.noDecisions')}</p>
      ) : (
        <ul>
          {data.decisions.map((d) => (
            <li key={d.id}>
              <span dir="auto">{d.text}</span> ·{' '}
              <a href={`/meetings/${d.meeting_id}/minutes`} dir="auto">
                {d.meeting_title}
              </a>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('goals.meetings')}</h2>
      {data.meetings.length === 0 ? (
        <p>{t('goals.noMeetings')}</p>
      ) : (
        <ul>
          {data.meetings.map((m) => (
            <li key={m.id}>
              <a href={`/meetings/${m.id}`} dir="auto">
                {m.title}
              </a>{' '}
              · {date(m.starts_at)}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('goals.statements')}</h2>
      {data.statements.length === 0 ? (
        <p>{t('goals.noStatements')}</p>
      ) : (
        <ul class="cards">
          {data.statements.map((s) => (
            <li key={s.id}>
              <h3>
                <a href={`/statements/${s.id}`} lang={s.language} dir="auto">
                  {s.title}
                </a>
              </h3>
              {s.commitments.length === 0 ? (
                <p>{t('goals.noCommitments')}</p>
              ) : (
                <ul>
                  {s.commitments.map((c) => (
                    <li key={c.id}>
                      <a href={`/commitments/${c.id}`} dir="auto">
                        {c.summary}
                      </a>{' '}
                      · <strong class={`rating rating-${c.rating}`}>{t(`ratings.${c.rating}`)}</strong>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {linkable && (
        <section aria-labelledby="link">
          <h2 id="link">{t('goals.linkTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={link.errors} summaryKey={link.summaryKey} />
          <Form ctx={ctx} action={`/goals/${g.id}/links`}>
            <Select
              ctx={ctx}
              name="meeting"
              label={t('goals.linkMeeting')}
              value={link.values.meeting ?? ''}
              errors={link.errors}
              options={[{ value: '', label: t('goals.linkNone') }, ...data.meetingChoices.map((m) => ({ value: m.id, label: m.title }))]}
            />
            <Select
              ctx={ctx}
              name="statement"
              label={t('goals.linkStatement')}
              value={link.values.statement ?? ''}
              errors={link.errors}
              options={[{ value: '', label: t('goals.linkNone') }, ...data.statementChoices.map((s) => ({ value: s.id, label: s.title }))]}
            />
            <button type="submit">{t('goals.linkSubmit')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

/** All goals of one year on one page, for printing (app.css hides the navigation and forms). */
export function AnnualGoalsPage({ ctx, data }: { ctx: ViewContext; data: AnnualData }) {
  const { t } = ctx.intl;
  const title = t('goals.annualTitle', { year: String(data.year) });
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="no-print">
        <a href={`/goals?year=${data.year}`}>{t('goals.back', { year: String(data.year) })}</a>
      </p>
      {data.goals.length === 0 && <p>{t('goals.none')}</p>}
      {data.goals.map((g) => (
        <section key={g.id} aria-labelledby={`goal-${g.number}`}>
          <h2 id={`goal-${g.number}`} dir="auto">
            {g.title}
          </h2>
          <p dir="auto">{g.success}</p>
          <p>
            {t('goals.leads')}: {g.leads.length === 0 ? t('goals.noLeads') : listOf(ctx, g.leads.map((l) => l.name))}
          </p>
          <ProgressLine ctx={ctx} progress={g.progress} />
        </section>
      ))}
    </Layout>
  );
}
