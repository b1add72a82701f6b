import { ActingFor, ErrorSummary, Field, Form, PostButton, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import type { FormState } from '../../../views/form.ts';
import { dateTimeIn, day } from '../../../views/format.ts';
import { Layout } from '../../../views/layout.tsx';
import type { MatterArising } from '../actions.service.ts';
import type { AgendaItemRow } from '../agenda.repository.ts';
import { AGENDA_LIMITS } from '../agenda.schemas.ts';
import type { AgendaService, CitedAlert } from '../agenda.service.ts';

type AgendaData = Awaited<ReturnType<AgendaService['agenda']>>;

export interface AgendaForms {
  propose?: FormState;
  publish?: FormState;
  /** A refused decision on one item, shown again at that item. */
  item?: { id: string; form: FormState };
}

const EMPTY: FormState = { values: {}, errors: {} };

function ItemState({ ctx, state }: { ctx: ViewContext; state: AgendaItemRow['state'] }) {
  return <strong class="badge">{ctx.intl.t(`agenda.state.${state}`)}</strong>;
}

function ItemTitle({ ctx, item }: { ctx: ViewContext; item: AgendaItemRow }) {
  const { t } = ctx.intl;
  if (item.kind === 'alert' && item.alert_id) {
    return <a href={`/alerts/${item.alert_id}`}>{t('agenda.alertItem', { number: item.alert_number ?? '' })}</a>;
  }
  return <span dir="auto">{item.title}</span>;
}

/** The alert an item is about, with the signs this reader may see (read now, never copied). */
function AlertDetails({ ctx, cited }: { ctx: ViewContext; cited: CitedAlert | undefined }) {
  const { t } = ctx.intl;
  if (!cited) return <p class="hint">{t('agenda.alertHidden')}</p>;
  return (
    <>
      <p dir="auto" class="pre">
        {cited.alert.summary}
      </p>
      {cited.signs.length > 0 && (
        <>
          <p>{t('agenda.alertSigns', { count: cited.signs.length })}</p>
          <ul>
            {cited.signs.map((s) => (
              <li key={s.id}>
                <a href={`/signs/${s.id}`}>{day(ctx, s.observed_on)}</a>:{' '}
                <span dir="auto">{s.description.length > 200 ? `${s.description.slice(0, 200)}…` : s.description}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** Who proposed it: the organisation, or the person (by pseudonym if they use one) for the chairs. */
function ProposedBy({ ctx, item, organiser }: { ctx: ViewContext; item: AgendaItemRow; organiser: boolean }) {
  const { t } = ctx.intl;
  if (item.organisation_name) return <>{t('agenda.proposedByOrganisation', { name: item.organisation_name })}</>;
  if (organiser && item.proposer_name) return <>{t('agenda.proposedByPerson', { name: item.proposer_name })}</>;
  return <>{t('agenda.proposedByParticipant')}</>;
}

function ItemBody({ ctx, data, item }: { ctx: ViewContext; data: AgendaData; item: AgendaItemRow }) {
  const { t } = ctx.intl;
  return (
    <>
      <p>
        {t('agenda.minutes', { count: item.minutes })} · <ProposedBy ctx={ctx} item={item} organiser={data.access.organiser} />
      </p>
      {item.kind === 'alert' ? (
        <AlertDetails ctx={ctx} cited={item.alert_id ? data.alerts.get(item.alert_id) : undefined} />
      ) : (
        item.why && (
          <p dir="auto" class="pre">
            {item.why}
          </p>
        )
      )}
    </>
  );
}

/** The chairs' controls on an accepted item: move it, time-box it, or take it off. */
function AcceptedControls({ ctx, meetingId, item, form, first, last }: { ctx: ViewContext; meetingId: string; item: AgendaItemRow; form: FormState; first: boolean; last: boolean }) {
  const { t } = ctx.intl;
  const base = `/meetings/${meetingId}/agenda/items/${item.id}`;
  const title = item.kind === 'alert' ? t('agenda.alertItem', { number: item.alert_number ?? '' }) : item.title;
  return (
    <div class="panel">
      <div class="actions">
        {!first && <PostButton ctx={ctx} action={`${base}/move`} label={t('agenda.moveUp', { title })} secondary hidden={{ direction: 'up' }} />}
        {!last && <PostButton ctx={ctx} action={`${base}/move`} label={t('agenda.moveDown', { title })} secondary hidden={{ direction: 'down' }} />}
      </div>
      <Form ctx={ctx} action={`${base}/time`}>
        <Field
          ctx={ctx}
          id={`minutes-${item.id}`}
          name="minutes"
          inputmode="numeric"
          label={t('agenda.timeboxLabel')}
          value={form.values.minutes ?? String(item.minutes)}
          errors={form.errors}
          maxLength={3}
        />
        <button type="submit" class="secondary">
          {t('agenda.timeboxSubmit')}
        </button>
      </Form>
      <DeclineForm ctx={ctx} action={`${base}/decline`} item={item} form={form} />
    </div>
  );
}

function DeclineForm({ ctx, action, item, form }: { ctx: ViewContext; action: string; item: AgendaItemRow; form: FormState }) {
  const { t } = ctx.intl;
  return (
    <Form ctx={ctx} action={action}>
      <Textarea
        ctx={ctx}
        id={`reason-${item.id}`}
        name="reason"
        label={t('agenda.declineReason')}
        hint={t('agenda.declineReasonHint')}
        value={form.values.reason}
        errors={form.errors}
        rows={2}
        maxLength={AGENDA_LIMITS.reason}
      />
      <button type="submit" class="secondary">
        {t('agenda.declineSubmit')}
      </button>
    </Form>
  );
}

function PendingControls({ ctx, meetingId, item, form }: { ctx: ViewContext; meetingId: string; item: AgendaItemRow; form: FormState }) {
  const { t } = ctx.intl;
  const base = `/meetings/${meetingId}/agenda/items/${item.id}`;
  return (
    <div class="panel">
      <Form ctx={ctx} action={`${base}/accept`}>
        <Field
          ctx={ctx}
          id={`accept-minutes-${item.id}`}
          name="minutes"
          inputmode="numeric"
          label={t('agenda.timeboxLabel')}
          value={form.values.minutes ?? String(item.minutes)}
          errors={form.errors}
          maxLength={3}
        />
        <button type="submit">{t('agenda.acceptSubmit')}</button>
      </Form>
      {item.state === 'proposed' && <DeclineForm ctx={ctx} action={`${base}/decline`} item={item} form={form} />}
    </div>
  );
}

function MattersArising({ ctx, matters }: { ctx: ViewContext; matters: MatterArising[] }) {
  const { t } = ctx.intl;
  return (
    <section aria-labelledby="matters">
      <h2 id="matters">{t('agenda.mattersArising')}</h2>
      {matters.length === 0 ? (
        <p>{t('agenda.mattersNone')}</p>
      ) : (
        <ul class="cards">
          {matters.map((a) => (
            <li key={a.id}>
              <a href={`/actions/${a.id}`}>{t('agenda.matterTitle', { number: a.number, title: a.title })}</a>
              <p>
                {t('agenda.matterOwner', { name: a.ownerName })} · {t(`agenda.matterStatus.${a.status}`)}
                {a.dueOn && <> · {t('agenda.matterDue', { date: day(ctx, a.dueOn) })}</>} · <a href={`/meetings/${a.meetingId}`}>{a.meetingTitle}</a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function AgendaPage({ ctx, data, matters, forms }: { ctx: ViewContext; data: AgendaData; matters: MatterArising[]; forms: AgendaForms }) {
  const { t } = ctx.intl;
  const m = data.meeting;
  const organiser = data.access.organiser;
  const title = t('agenda.title', { title: m.title });
  const propose = forms.propose ?? EMPTY;
  const formFor = (id: string) => (forms.item?.id === id ? forms.item.form : EMPTY);
  const over = data.totalMinutes - data.meetingMinutes;
  return (
    <Layout ctx={ctx} title={title}>
      <h1 dir="auto">{title}</h1>
      <p>
        <a href={`/meetings/${m.id}`}>{t('agenda.backToMeeting')}</a>
        {data.hasPoll && (
          <>
            {' · '}
            <a href={`/meetings/${m.id}/poll`}>{t('agenda.pollLink')}</a>
          </>
        )}
      </p>
      {data.published ? (
        <p>{t('agenda.publishedNote')}</p>
      ) : (
        <p class="panel">{t('agenda.notYetPublished', { date: dateTimeIn(ctx, data.publishesAt, m.time_zone) })}</p>
      )}
      {forms.publish && <ErrorSummary ctx={ctx} errors={forms.publish.errors} summaryKey={forms.publish.summaryKey} />}
      {data.canPublish && (
        <>
          <p class="hint">{t('agenda.publishHint')}</p>
          <PostButton ctx={ctx} action={`/meetings/${m.id}/agenda/publish`} label={t('agenda.publishNow')} secondary />
        </>
      )}

      {(organiser || data.published) && (
        <section aria-labelledby="agenda">
          <h2 id="agenda">{t('agenda.itemsHeading')}</h2>
          {data.items.length === 0 ? (
            <p>{t('agenda.noItems')}</p>
          ) : (
            <ol class="cards">
              {data.items.map((item, i) => (
                <li key={item.id} id={`item-${item.id}`}>
                  <h3>
                    <ItemTitle ctx={ctx} item={item} />
                  </h3>
                  <ItemBody ctx={ctx} data={data} item={item} />
                  {organiser && (
                    <>
                      {forms.item?.id === item.id && <ErrorSummary ctx={ctx} errors={forms.item.form.errors} summaryKey={forms.item.form.summaryKey} />}
                      <AcceptedControls ctx={ctx} meetingId={m.id} item={item} form={formFor(item.id)} first={i === 0} last={i === data.items.length - 1} />
                    </>
                  )}
                </li>
              ))}
            </ol>
          )}
          {data.showTotal && <p>{t('agenda.total', { total: data.totalMinutes, length: data.meetingMinutes })}</p>}
          {data.showTotal && over > 0 && <p class="warning">{t('agenda.overTime', { over })}</p>}
        </section>
      )}

      {organiser && data.pending.length > 0 && (
        <section aria-labelledby="pending">
          <h2 id="pending">{t('agenda.pendingHeading')}</h2>
          <ul class="cards">
            {data.pending.map((item) => (
              <li key={item.id} id={`item-${item.id}`}>
                <h3>
                  <ItemTitle ctx={ctx} item={item} />
                </h3>
                <p>
                  <ItemState ctx={ctx} state={item.state} />
                </p>
                <ItemBody ctx={ctx} data={data} item={item} />
                {item.reason && (
                  <p dir="auto">
                    {t('agenda.reasonLabel')} {item.reason}
                  </p>
                )}
                {forms.item?.id === item.id && <ErrorSummary ctx={ctx} errors={forms.item.form.errors} summaryKey={forms.item.form.summaryKey} />}
                <PendingControls ctx={ctx} meetingId={m.id} item={item} form={formFor(item.id)} />
              </li>
            ))}
          </ul>
        </section>
      )}

      {data.mine.length > 0 && (
        <section aria-labelledby="mine">
          <h2 id="mine">{t('agenda.mineHeading')}</h2>
          <ul class="cards">
            {data.mine.map((item) => (
              <li key={item.id}>
                <h3>
                  <ItemTitle ctx={ctx} item={item} />
                </h3>
                <p>
                  <ItemState ctx={ctx} state={item.state} /> · {t('agenda.minutes', { count: item.minutes })}
                </p>
                {item.state === 'declined' && item.reason && (
                  <p dir="auto">
                    {t('agenda.reasonLabel')} {item.reason}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <MattersArising ctx={ctx} matters={matters} />

      <section aria-labelledby="propose">
        <h2 id="propose">{t('agenda.proposeHeading')}</h2>
        <ErrorSummary ctx={ctx} errors={propose.errors} summaryKey={propose.summaryKey} />
        {data.canPropose ? (
          <Form ctx={ctx} action={`/meetings/${m.id}/agenda/items`}>
            <p class="hint">{t('agenda.proposeIntro')}</p>
            <ActingFor ctx={ctx} value={propose.values.actingFor} errors={propose.errors} />
            <Field ctx={ctx} name="title" label={t('agenda.itemTitle')} value={propose.values.title} errors={propose.errors} maxLength={AGENDA_LIMITS.title} required />
            <Textarea ctx={ctx} name="why" label={t('agenda.itemWhy')} hint={t('agenda.itemWhyHint')} value={propose.values.why} errors={propose.errors} rows={3} maxLength={AGENDA_LIMITS.why} />
            <Field
              ctx={ctx}
              name="minutes"
              inputmode="numeric"
              label={t('agenda.itemMinutes')}
              hint={t('agenda.itemMinutesHint')}
              value={propose.values.minutes ?? '15'}
              errors={propose.errors}
              maxLength={3}
              required
            />
            <button type="submit">{t('agenda.proposeSubmit')}</button>
          </Form>
        ) : (
          <p>{m.state === 'cancelled' ? t('agenda.cancelledNote') : t('agenda.proposingClosed')}</p>
        )}
      </section>
    </Layout>
  );
}
