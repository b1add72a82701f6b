import { renderMarkdown } from '../../../platform/markdown.ts';
import { ActingFor, ErrorSummary, Field, Form, Prose, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { dateTimeIn, day } from '../../../views/format.ts';
import { Layout } from '../../../views/layout.tsx';
import type { MotionResult } from '../ballots.service.ts';
import type { ActionRow } from '../actions.repository.ts';
import { ownerName } from '../actions.service.ts';
import { MINUTES_LIMITS } from '../minutes.schemas.ts';
import type { MinutesService } from '../minutes.service.ts';

type MinutesData = Awaited<ReturnType<MinutesService['page']>>;
type DecisionsData = Awaited<ReturnType<MinutesService['decisions']>>;

/** Which of the page's forms was refused, so that its values and errors show in it alone. */
export type MinutesForm = 'save' | 'circulate' | 'correct' | 'approve' | 'decide';

export interface MinutesExtras {
  actions: ActionRow[];
  motions: MotionResult[];
  goals: { id: string; year: number; title: string }[];
}

function Attendance({ ctx, a }: { ctx: ViewContext; a: NonNullable<MinutesData['attendance']> }) {
  const { t, number } = ctx.intl;
  return (
    <section aria-labelledby="attendance">
      <h2 id="attendance">{t('minutes.attendance')}</h2>
      {a.total === 0 ? (
        <p>{t('minutes.noAttendance')}</p>
      ) : (
        <>
          <h3>{t('minutes.organisationsPresent')}</h3>
          {a.organisations.length === 0 ? <p>{t('minutes.noOrganisations')}</p> : <ul>{a.organisations.map((o) => <li key={o}>{o}</li>)}</ul>}
          {a.named.length > 0 && (
            <>
              <h3>{t('minutes.peoplePresent')}</h3>
              <ul>
                {a.named.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </>
          )}
          <p>{a.named.length > 0 ? t('minutes.othersPresent', { count: a.others, shown: number(a.others) }) : t('minutes.peopleCount', { count: a.total, shown: number(a.total) })}</p>
        </>
      )}
    </section>
  );
}

function Motions({ ctx, motions }: { ctx: ViewContext; motions: MotionResult[] }) {
  const { t, number } = ctx.intl;
  if (motions.length === 0) return null;
  return (
    <section aria-labelledby="motions">
      <h2 id="motions">{t('minutes.motions')}</h2>
      <ul class="cards">
        {motions.map((m) => (
          <li key={m.id}>
            <h3>{t('minutes.motion', { number: m.number })}</h3>
            <p dir="auto">{m.text}</p>
            {m.state === 'closed' ? (
              <p>
                {t('minutes.motionResult', { for: number(m.for), against: number(m.against), abstain: number(m.abstain), eligible: number(m.eligible) })}{' '}
                <strong>{m.quorumMet === false ? t('minutes.motionNoQuorum') : m.carried ? t('minutes.motionCarried') : t('minutes.motionNotCarried')}</strong>
              </p>
            ) : (
              <p>{t('minutes.motionNotClosed')}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ActionsList({ ctx, actions }: { ctx: ViewContext; actions: ActionRow[] }) {
  const { t } = ctx.intl;
  return actions.length === 0 ? (
    <p>{t('minutes.noActions')}</p>
  ) : (
    <ul class="cards">
      {actions.map((a) => (
        <li key={a.id}>
          <a href={`/actions/${a.id}`}>{t('actions.numbered', { number: a.number, title: a.title })}</a>
          <p>
            {t('actions.ownerIs', { owner: ownerName(a) })} · {t(`actions.status.${a.status}`)}
            {a.due_on && <> · {t('actions.dueOn', { day: day(ctx, a.due_on) })}</>}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function MinutesPage({ ctx, data, extras, form, failed }: { ctx: ViewContext; data: MinutesData; extras: MinutesExtras; form?: FormState; failed?: MinutesForm }) {
  const { t } = ctx.intl;
  const m = data.meeting;
  const state = (which: MinutesForm) => (failed === which && form ? form : EMPTY);
  const title = t('minutes.title', { title: m.title });
  const shown: Record<MinutesForm, boolean> = { save: data.canSave, circulate: data.canCirculate, correct: data.canCorrect, approve: data.canApprove, decide: data.canDecide };
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={`/meetings/${m.id}`}>{t('minutes.backToMeeting', { title: m.title })}</a>
      </p>
      <h1>{title}</h1>
      {/* The notice after an action is the layout's to say (once); saying it here too made it twice. */}
      {/* A refusal whose form is no longer offered (approved meanwhile): why, at the top. */}
      {failed && form && !shown[failed] && <ErrorSummary ctx={ctx} errors={form.errors} summaryKey={form.summaryKey} />}
      <p>
        {dateTimeIn(ctx, m.starts_at, m.time_zone)} · <strong>{t(`minutes.state.${data.state}`)}</strong>
      </p>
      {data.state === 'approved' && data.minutes?.approved_at && (
        <p>
          {data.approvedAt
            ? t('minutes.approvedAtMeeting', { title: data.approvedAt.title, number: data.approvedAt.number })
            : t('minutes.approvedByChair', { when: dateTimeIn(ctx, data.minutes.approved_at, m.time_zone) })}{' '}
          {data.approvedAt && <a href={`/meetings/${data.approvedAt.id}`}>{t('minutes.openMeeting')}</a>}
        </p>
      )}
      {m.chatham_house && (
        <div class="warning" role="note">
          <strong>{t('minutes.chathamTitle')}</strong> {t('minutes.chathamRule')}
        </div>
      )}
      {!data.readable ? (
        <p>{data.state === 'circulated' ? t('minutes.notYetForYouCirculated') : t('minutes.notYetForYou')}</p>
      ) : (
        <>
          {data.current ? (
            <section aria-labelledby="minutes-text">
              {/* Not id="text": the decision's textarea (name "text") takes that id, and its label would find this heading. */}
              <h2 id="minutes-text">{t('minutes.text', { number: data.current.number })}</h2>
              <Prose html={renderMarkdown(data.current.body)} />
            </section>
          ) : (
            <p>{t('minutes.none')}</p>
          )}
          {data.attendance && <Attendance ctx={ctx} a={data.attendance} />}
          <Motions ctx={ctx} motions={extras.motions} />
          <section aria-labelledby="decisions">
            <h2 id="decisions">{t('minutes.decisions')}</h2>
            {data.decisions.length === 0 ? (
              <p>{t('minutes.noDecisions')}</p>
            ) : (
              <ol>
                {data.decisions.map((d) => (
                  <li key={d.id} id={`decision-${d.number}`}>
                    <span dir="auto">{d.text}</span>
                    {d.goal_id && <> · <a href={`/goals/${d.goal_id}`}>{extras.goals.find((g) => g.id === d.goal_id)?.title ?? t('minutes.goal')}</a></>}
                  </li>
                ))}
              </ol>
            )}
            <p>
              <a href="/decisions">{t('minutes.register')}</a>
            </p>
          </section>
          <section aria-labelledby="actions">
            <h2 id="actions">{t('minutes.actions')}</h2>
            <ActionsList ctx={ctx} actions={extras.actions} />
          </section>
        </>
      )}

      {data.canSave && (
        <section aria-labelledby="write">
          <h2 id="write">{data.current ? t('minutes.newVersion') : t('minutes.firstVersion')}</h2>
          <ErrorSummary ctx={ctx} errors={state('save').errors} summaryKey={state('save').summaryKey} />
          <Form ctx={ctx} action={`/meetings/${m.id}/minutes`}>
            {m.chatham_house && <p class="warning">{t('minutes.chathamFormNotice')}</p>}
            <Textarea
              ctx={ctx}
              name="body"
              label={t('minutes.body')}
              hint={data.state === 'circulated' ? t('minutes.bodyHintCirculated') : t('minutes.bodyHint')}
              value={state('save').values.body ?? data.current?.body ?? ''}
              errors={state('save').errors}
              rows={16}
              maxLength={MINUTES_LIMITS.body}
              required
            />
            <button type="submit">{t('minutes.save')}</button>
          </Form>
        </section>
      )}
      {data.canCirculate && (
        <section aria-labelledby="circulate">
          <h2 id="circulate">{t('minutes.circulateTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={state('circulate').errors} summaryKey={failed === 'circulate' ? form?.summaryKey : undefined} />
          <p>{t('minutes.circulateHint')}</p>
          <Form ctx={ctx} action={`/meetings/${m.id}/minutes/circulate`}>
            <button type="submit">{t('minutes.circulate')}</button>
          </Form>
        </section>
      )}
      {(data.corrections.length > 0 || data.canCorrect) && (
        <section aria-labelledby="corrections">
          <h2 id="corrections">{t('minutes.corrections')}</h2>
          {data.corrections.length > 0 && (
            <ul class="cards">
              {data.corrections.map((c) => (
                <li key={c.id}>
                  <p class="muted">
                    {t('minutes.correctionOf', { number: c.version_number, name: c.person_name ?? t('minutes.someone') })}
                    {c.answered_in !== null && <> · {t('minutes.answeredIn', { number: c.answered_in })}</>}
                  </p>
                  <p dir="auto" class="pre">
                    {c.body}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {data.canCorrect && (
            <>
              <ErrorSummary ctx={ctx} errors={state('correct').errors} summaryKey={state('correct').summaryKey} />
              <Form ctx={ctx} action={`/meetings/${m.id}/minutes/corrections`}>
                <Textarea ctx={ctx} name="body" id="correction" label={t('minutes.correction')} hint={t('minutes.correctionHint')} value={state('correct').values.body} errors={state('correct').errors} maxLength={MINUTES_LIMITS.correction} required />
                <button type="submit">{t('minutes.sendCorrection')}</button>
              </Form>
            </>
          )}
        </section>
      )}
      {data.canApprove && (
        <section aria-labelledby="approve">
          <h2 id="approve">{t('minutes.approveTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={state('approve').errors} summaryKey={failed === 'approve' ? form?.summaryKey : undefined} />
          <Form ctx={ctx} action={`/meetings/${m.id}/minutes/approve`}>
            {data.approveOptions.chair && data.approveOptions.next ? (
              <Radios
                ctx={ctx}
                name="at"
                legend={t('minutes.approveHow')}
                options={[
                  { value: 'chair', label: t('minutes.approveAsChair') },
                  { value: 'next', label: t('minutes.approveAtNext', { title: data.approveOptions.next.title }) },
                ]}
                value={state('approve').values.at ?? 'chair'}
                errors={state('approve').errors}
              />
            ) : (
              <>
                <input type="hidden" name="at" value={data.approveOptions.chair ? 'chair' : 'next'} />
                <p>{data.approveOptions.next && !data.approveOptions.chair ? t('minutes.approveAtNext', { title: data.approveOptions.next.title }) : t('minutes.approveAsChair')}</p>
              </>
            )}
            <button type="submit">{t('minutes.approve')}</button>
          </Form>
        </section>
      )}
      {data.readable && data.versions.length > 1 && (
        <section aria-labelledby="history">
          <h2 id="history">{t('minutes.history')}</h2>
          <ol class="timeline">
            {data.versions.map((v) => (
              <li key={v.number}>
                <details>
                  <summary>{t('minutes.versionLine', { number: v.number, when: dateTimeIn(ctx, v.created_at, m.time_zone), name: v.author_name ?? t('minutes.someone') })}</summary>
                  <Prose html={renderMarkdown(v.body)} />
                </details>
              </li>
            ))}
          </ol>
        </section>
      )}
      {data.canDecide && (
        <section aria-labelledby="decide">
          <h2 id="decide">{t('minutes.recordDecision')}</h2>
          <ErrorSummary ctx={ctx} errors={state('decide').errors} summaryKey={state('decide').summaryKey} />
          <Form ctx={ctx} action={`/meetings/${m.id}/decisions`}>
            {m.chatham_house && <p class="warning">{t('minutes.chathamFormNotice')}</p>}
            <Textarea ctx={ctx} name="text" label={t('minutes.decisionText')} value={state('decide').values.text} errors={state('decide').errors} rows={3} maxLength={MINUTES_LIMITS.decision} required />
            <Select
              ctx={ctx}
              name="goal"
              label={t('minutes.decisionGoal')}
              value={(state('decide').values.goal as string | undefined) ?? ''}
              errors={state('decide').errors}
              options={[{ value: '', label: t('minutes.noGoal') }, ...extras.goals.map((g) => ({ value: g.id, label: `${g.title} (${g.year})` }))]}
            />
            <ActingFor ctx={ctx} value={state('decide').values.actingFor} errors={state('decide').errors} />
            <button type="submit">{t('minutes.saveDecision')}</button>
          </Form>
        </section>
      )}
      {data.canAct && (
        <section aria-labelledby="act">
          <h2 id="act">{t('minutes.recordAction')}</h2>
          <p>
            <a href={`/actions/new?meeting=${m.id}`}>{t('minutes.newAction')}</a>
          </p>
        </section>
      )}
    </Layout>
  );
}

export function DecisionsPage({ ctx, data, errors }: { ctx: ViewContext; data: DecisionsData; errors?: FormState['errors'] }) {
  const { t, number } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('decisions.title')}>
      <h1>{t('decisions.title')}</h1>
      <p>{t('decisions.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors ?? {}} />
      <form method="get" action="/decisions" class="filters" novalidate>
        <Field ctx={ctx} name="q" label={t('decisions.search')} value={data.q} errors={errors ?? {}} maxLength={MINUTES_LIMITS.query} />
        <button type="submit">{t('decisions.find')}</button>
      </form>
      <p>{data.decisions.length >= data.limit ? t('decisions.many', { count: number(data.limit) }) : t('decisions.found', { count: data.decisions.length, shown: number(data.decisions.length) })}</p>
      {data.decisions.length === 0 ? (
        <p>{t('decisions.none')}</p>
      ) : (
        <ul class="cards">
          {data.decisions.map((d) => (
            <li key={d.id}>
              <p dir="auto">{d.text}</p>
              <p class="muted">
                <a href={`/meetings/${d.meeting_id}/minutes#decision-${d.number}`}>{t('decisions.of', { title: d.meeting_title, when: dateTimeIn(ctx, d.starts_at, d.time_zone) })}</a>
                {d.goal_id && (
                  <>
                    {' '}
                    · <a href={`/goals/${d.goal_id}`}>{t('decisions.goal')}</a>
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
