import { ActingFor, ErrorSummary, Field, Form, Pager, PostButton, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import type { ActionRow } from '../actions.repository.ts';
import { ACTION_LIMITS, ACTION_STATUSES } from '../actions.schemas.ts';
import { dateTimeIn, day } from '../../../views/format.ts';
import { type ActionsService, ownerName } from '../actions.service.ts';

type ActionData = Awaited<ReturnType<ActionsService['page']>>;
type MineData = Awaited<ReturnType<ActionsService['mine']>>;
type ListData = Awaited<ReturnType<ActionsService['list']>>;
type FormData = Awaited<ReturnType<ActionsService['form']>>;

export type ActionForm = 'status' | 'offer';

function ActionCards({ ctx, actions }: { ctx: ViewContext; actions: ActionRow[] }) {
  const { t } = ctx.intl;
  if (actions.length === 0) return <p>{t('actions.none')}</p>;
  return (
    <ul class="cards">
      {actions.map((a) => (
        <li key={a.id}>
          <p>
            <strong>
              <a href={`/actions/${a.id}`}>{t('actions.numbered', { number: a.number, title: a.title })}</a>
            </strong>
          </p>
          <p>
            {t('actions.ownerIs', { owner: ownerName(a) })} · <strong>{t(`actions.status.${a.status}`)}</strong>
            {a.due_on && <> · {t('actions.dueOn', { day: day(ctx, a.due_on) })}</>}
          </p>
          {a.meeting_id && (
            <p class="muted">
              <a href={`/meetings/${a.meeting_id}/minutes`}>{t('actions.fromMeeting', { title: a.meeting_title ?? '' })}</a>
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

function StatusFilter({ ctx, base, status }: { ctx: ViewContext; base: string; status: string }) {
  const { t } = ctx.intl;
  const sep = base.includes('?') ? '&' : '?';
  return (
    <p>
      {(['open', 'closed', 'all'] as const).map((s, i) => (
        <span key={s}>
          {i > 0 && ' · '}
          {s === status ? <strong>{t(`actions.filter.${s}`)}</strong> : <a href={`${base}${sep}status=${s}`}>{t(`actions.filter.${s}`)}</a>}
        </span>
      ))}
    </p>
  );
}

export function MyActionsPage({ ctx, data }: { ctx: ViewContext; data: MineData }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('actions.mineTitle')}>
      <h1>{t('actions.mineTitle')}</h1>
      {/* The notice after an action is the layout's to say (once). */}
      <StatusFilter ctx={ctx} base="/actions/mine" status={data.status} />
      {data.offered.length > 0 && (
        <section aria-labelledby="offered">
          <h2 id="offered">{t('actions.offeredToYou')}</h2>
          <p>{t('actions.offeredHint')}</p>
          <ActionCards ctx={ctx} actions={data.offered} />
        </section>
      )}
      <section aria-labelledby="own">
        <h2 id="own">{t('actions.yours')}</h2>
        <ActionCards ctx={ctx} actions={data.own} />
      </section>
      <section aria-labelledby="orgs">
        <h2 id="orgs">{t('actions.yourOrganisations')}</h2>
        <ActionCards ctx={ctx} actions={data.organisations} />
        <Pager ctx={ctx} pager={data.pager} href={(page) => `/actions/mine?status=${data.status}&page=${page}#orgs`} />
      </section>
    </Layout>
  );
}

export function ActionsListPage({ ctx, data }: { ctx: ViewContext; data: ListData }) {
  const { t } = ctx.intl;
  const title = data.organisation ? t('actions.ofOrganisation', { organisation: data.organisation.name }) : t('actions.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {/* The notice after an action is the layout's to say (once). */}
      <p>
        <a href="/actions/mine">{t('actions.mineTitle')}</a>
        {data.canCreate && (
          <>
            {' '}
            · <a href="/actions/new">{t('actions.new')}</a>
          </>
        )}
      </p>
      <StatusFilter ctx={ctx} base={data.organisation ? `/actions?org=${data.organisation.id}` : '/actions'} status={data.status} />
      <ActionCards ctx={ctx} actions={data.actions} />
      <Pager ctx={ctx} pager={data.pager} href={(page) => `/actions?${data.organisation ? `org=${data.organisation.id}&` : ''}status=${data.status}&page=${page}`} />
    </Layout>
  );
}

export function ActionPage({ ctx, data, form, failed }: { ctx: ViewContext; data: ActionData; form?: FormState; failed?: ActionForm }) {
  const { t } = ctx.intl;
  const a = data.action;
  const state = (which: ActionForm) => (failed === which && form ? form : EMPTY);
  const title = t('actions.numbered', { number: a.number, title: a.title });
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href="/actions/mine">{t('actions.mineTitle')}</a>
      </p>
      <h1 dir="auto">{title}</h1>
      {/* The notice after an action is the layout's to say (once). */}
      <dl>
        <dt>{t('actions.owner')}</dt>
        <dd>
          {ownerName(a)}
          {a.owner_org_state !== 'accepted' && <> · {t(`actions.orgState.${a.owner_org_state}`)}</>}
        </dd>
        {a.owner_state === 'offered' && (
          <>
            <dt>{t('actions.offeredTo')}</dt>
            <dd>{data.canUpdate || data.offeredToMe ? t('actions.offeredToName', { name: a.offered_to_name ?? '' }) : t('actions.offeredToSomeone')}</dd>
          </>
        )}
        <dt>{t('actions.statusLabel')}</dt>
        <dd>
          <strong>{t(`actions.status.${a.status}`)}</strong>
        </dd>
        <dt>{t('actions.due')}</dt>
        <dd>{a.due_on ? day(ctx, a.due_on) : t('actions.noDue')}</dd>
        {a.meeting_id && (
          <>
            <dt>{t('actions.meeting')}</dt>
            <dd>
              <a href={`/meetings/${a.meeting_id}/minutes`}>{a.meeting_title}</a>
            </dd>
          </>
        )}
        {a.decision_id && a.meeting_id && (
          <>
            <dt>{t('actions.decision')}</dt>
            <dd>
              <a href={`/meetings/${a.meeting_id}/minutes#decisions`}>{t('actions.seeDecision')}</a>
            </dd>
          </>
        )}
        {a.goal_id && (
          <>
            <dt>{t('actions.goal')}</dt>
            <dd>
              <a href={`/goals/${a.goal_id}`}>{t('actions.seeGoal')}</a>
            </dd>
          </>
        )}
        {a.alert_id && (
          <>
            <dt>{t('actions.alert')}</dt>
            <dd>
              <a href={`/alerts/${a.alert_id}`}>{t('actions.seeAlert')}</a>
            </dd>
          </>
        )}
        {a.statement_id && (
          <>
            <dt>{t('actions.statement')}</dt>
            <dd>
              <a href={`/statements/${a.statement_id}`}>{t('actions.seeStatement')}</a>
            </dd>
          </>
        )}
      </dl>
      {data.offeredToMyOrganisation && (
        <section aria-labelledby="org-answer" class="panel">
          <h2 id="org-answer">{t('actions.orgAnswerTitle')}</h2>
          <p>{t('actions.orgAnswerHint', { organisation: a.owner_organisation_name })}</p>
          <PostButton ctx={ctx} action={`/actions/${a.id}/answer`} label={t('actions.orgAccept')} hidden={{ answer: 'accepted' }} />{' '}
          <PostButton ctx={ctx} action={`/actions/${a.id}/answer`} label={t('actions.orgDecline')} hidden={{ answer: 'declined' }} secondary />
        </section>
      )}
      {data.offeredToMe && (
        <section aria-labelledby="answer" class="panel">
          <h2 id="answer">{t('actions.answerTitle')}</h2>
          <p>{t('actions.answerHint', { organisation: a.owner_organisation_name })}</p>
          <PostButton ctx={ctx} action={`/actions/${a.id}/answer`} label={t('actions.accept')} hidden={{ answer: 'accepted' }} />{' '}
          <PostButton ctx={ctx} action={`/actions/${a.id}/answer`} label={t('actions.decline')} hidden={{ answer: 'declined' }} secondary />
        </section>
      )}
      <section aria-labelledby="updates">
        <h2 id="updates">{t('actions.updates')}</h2>
        {data.updates.length === 0 ? (
          <p>{t('actions.noUpdates')}</p>
        ) : (
          <ol class="timeline">
            {data.updates.map((u) => (
              <li key={u.id}>
                <p>
                  <strong>{t(`actions.status.${u.status}`)}</strong> · {dateTimeIn(ctx, u.created_at, 'UTC')}
                  {u.organisation_name && <> · {u.organisation_name}</>}
                </p>
                {u.note && (
                  <p dir="auto" class="pre">
                    {u.note}
                  </p>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
      {data.canUpdate && (
        <section aria-labelledby="update">
          <h2 id="update">{t('actions.updateTitle')}</h2>
          <ErrorSummary ctx={ctx} errors={state('status').errors} summaryKey={state('status').summaryKey} />
          <Form ctx={ctx} action={`/actions/${a.id}/status`}>
            <Radios
              ctx={ctx}
              name="status"
              legend={t('actions.statusLabel')}
              options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`actions.status.${s}`) }))}
              value={state('status').values.status ?? a.status}
              errors={state('status').errors}
            />
            <Textarea ctx={ctx} name="note" label={t('actions.note')} hint={t('actions.noteHint')} value={state('status').values.note} errors={state('status').errors} rows={3} maxLength={ACTION_LIMITS.note} />
            <button type="submit">{t('actions.saveStatus')}</button>
          </Form>
        </section>
      )}
      {data.canUpdate && data.staff.length > 0 && a.owner_state !== 'accepted' && (
        <section aria-labelledby="offer">
          <h2 id="offer">{t('actions.offerTitle')}</h2>
          <p>{t('actions.offerHint')}</p>
          <ErrorSummary ctx={ctx} errors={state('offer').errors} summaryKey={state('offer').summaryKey} />
          <Form ctx={ctx} action={`/actions/${a.id}/offer`}>
            <Select
              ctx={ctx}
              name="person"
              label={t('actions.offerTo', { organisation: a.owner_organisation_name })}
              value={state('offer').values.person ?? ''}
              errors={state('offer').errors}
              options={[{ value: '', label: t('actions.choosePerson') }, ...data.staff.map((s) => ({ value: s.id, label: s.name }))]}
            />
            <button type="submit">{t('actions.offer')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

export function NewActionPage({ ctx, data, form }: { ctx: ViewContext; data: FormData; form?: FormState }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('actions.new')}>
      <h1>{t('actions.new')}</h1>
      {data.meeting && (
        <p>
          {t('actions.forMeeting')} <a href={`/meetings/${data.meeting.id}/minutes`}>{data.meeting.title}</a>
        </p>
      )}
      <ActionFields
        ctx={ctx}
        action="/actions"
        state={form ?? { values: data.decision ? { decision: data.decision } : {}, errors: {} }}
        owners={data.owners}
        goals={data.goals}
        decisions={data.decisions}
        hidden={data.meeting ? { meeting: data.meeting.id } : {}}
      />
    </Layout>
  );
}

/** The fields of a new action, on the minutes page and on /actions/new. */
export function ActionFields({
  ctx,
  action,
  state,
  owners,
  goals,
  decisions,
  hidden,
}: {
  ctx: ViewContext;
  action: string;
  state: FormState;
  owners: { id: string; name: string }[];
  goals: { id: string; year: number; title: string }[];
  decisions: { id: string; number: number; text: string }[];
  hidden?: Record<string, string>;
}) {
  const { t } = ctx.intl;
  const v = state.values;
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  return (
    <>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action={action}>
        {Object.entries(hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} key={name} />
        ))}
        <Field ctx={ctx} name="title" label={t('actions.titleField')} value={v.title} errors={state.errors} maxLength={ACTION_LIMITS.title} required />
        <Select
          ctx={ctx}
          name="owner"
          label={t('actions.owner')}
          hint={t('actions.ownerHint')}
          value={str(v.owner)}
          errors={state.errors}
          options={[{ value: '', label: t('actions.chooseOwner') }, ...owners.map((o) => ({ value: o.id, label: o.name }))]}
        />
        <Field ctx={ctx} name="dueOn" label={t('actions.due')} hint={t('actions.dueHint')} value={v.dueOn} errors={state.errors} maxLength={10} dir="ltr" />
        {decisions.length > 0 && (
          <Select
            ctx={ctx}
            name="decision"
            label={t('actions.decision')}
            value={str(v.decision)}
            errors={state.errors}
            options={[{ value: '', label: t('actions.noDecision') }, ...decisions.map((d) => ({ value: d.id, label: `${d.number}. ${d.text.slice(0, 80)}` }))]}
          />
        )}
        <Select
          ctx={ctx}
          name="goal"
          label={t('actions.goal')}
          value={str(v.goal)}
          errors={state.errors}
          options={[{ value: '', label: t('actions.noGoal') }, ...goals.map((g) => ({ value: g.id, label: `${g.title} (${g.year})` }))]}
        />
        <Field ctx={ctx} name="alert" label={t('actions.alert')} hint={t('actions.linkHint')} value={v.alert} errors={state.errors} maxLength={36} dir="ltr" />
        <Field ctx={ctx} name="statement" label={t('actions.statement')} hint={t('actions.linkHint')} value={v.statement} errors={state.errors} maxLength={36} dir="ltr" />
        <ActingFor ctx={ctx} value={v.actingFor} errors={state.errors} />
        <button type="submit">{t('actions.create')}</button>
      </Form>
    </>
  );
}

