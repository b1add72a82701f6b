import { Checkbox, Checkboxes, ErrorSummary, Form, Radios } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import type { FormState } from '../../../views/form.ts';
import { dateTimeIn } from '../../../views/format.ts';
import { Layout } from '../../../views/layout.tsx';
import { POLL_SLOTS } from '../agenda.schemas.ts';
import type { AgendaService } from '../agenda.service.ts';
import { SlotFields } from './agenda-convene.tsx';

type PollData = Awaited<ReturnType<AgendaService['poll']>>;

export interface PollForms {
  open?: FormState;
  mark?: FormState;
  pick?: FormState;
}

export function PollPage({ ctx, data, forms }: { ctx: ViewContext; data: PollData; forms: PollForms }) {
  const { t } = ctx.intl;
  const m = data.meeting;
  const own = data.readerZone && data.readerZone !== m.time_zone ? data.readerZone : undefined;
  const title = t('agenda.pollTitle', { title: m.title });
  // A slot in the meeting's zone, and in the reader's own when they set one that differs.
  const when = (s: { starts_at: Date; ends_at: Date }, zone: string) => `${dateTimeIn(ctx, s.starts_at, zone)} – ${dateTimeIn(ctx, s.ends_at, zone)}`;
  const slotLabel = (s: { starts_at: Date; ends_at: Date }) => (own ? `${when(s, m.time_zone)} (${t('agenda.pollYourTime', { time: when(s, own) })})` : when(s, m.time_zone));
  const open = forms.open ?? { values: { slots: [] }, errors: {} };
  const mark = forms.mark ?? { values: { canMake: data.slots.filter((s) => s.mine === true).map((s) => s.id) }, errors: {} };
  const pick = forms.pick ?? { values: { schedule: m.state === 'draft' ? 'yes' : undefined }, errors: {} };
  const chosen = data.poll?.chosen_slot_id ? data.slots.find((s) => s.id === data.poll?.chosen_slot_id) : undefined;
  // Someone asked only for the poll of a draft sees the poll, not the meeting's page.
  const seesMeeting = data.access.organiser || m.state !== 'draft';
  return (
    <Layout ctx={ctx} title={title}>
      <h1 dir="auto">{title}</h1>
      {seesMeeting && (
        <p>
          <a href={`/meetings/${m.id}`}>{t('agenda.backToMeeting')}</a>
        </p>
      )}
      <p>
        {t('agenda.pollZones', { zone: m.time_zone, length: data.lengthMinutes })}
        {!data.readerZone && (
          <>
            {' '}
            <a href="/meetings/time-zone">{t('agenda.pollSetZone')}</a>
          </>
        )}
      </p>
      {data.poll && forms.open && <ErrorSummary ctx={ctx} errors={forms.open.errors} summaryKey={forms.open.summaryKey} />}
      {!data.poll &&
        (data.canOpen ? (
          <section aria-labelledby="open">
            <h2 id="open">{t('agenda.pollOpenHeading')}</h2>
            <ErrorSummary ctx={ctx} errors={open.errors} summaryKey={open.summaryKey} />
            <Form ctx={ctx} action={`/meetings/${m.id}/poll`}>
              <SlotFields ctx={ctx} state={open} legend={t('agenda.pollSlotsLegend', { zone: m.time_zone })} hint={t('agenda.pollSlotsHint', POLL_SLOTS)} />
              <button type="submit">{t('agenda.pollOpenSubmit')}</button>
            </Form>
          </section>
        ) : (
          <p>{t('agenda.pollNone')}</p>
        ))}
      {data.poll && (
        <>
          {chosen && <p class="notice">{t('agenda.pollChosen', { time: slotLabel(chosen) })}</p>}
          <section aria-labelledby="slots-heading">
            <h2 id="slots-heading">{t('agenda.pollSlotsHeading')}</h2>
            <p>{t('agenda.pollAnswered', { count: data.answered })}</p>
            <ul class="cards">
              {data.slots.map((s) => (
                <li key={s.id}>
                  <p>{slotLabel(s)}</p>
                  <p>
                    {t('agenda.pollCanCount', { count: s.can_count })}
                    {s.mine === true && <> · {t('agenda.pollYouCan')}</>}
                    {s.mine === false && <> · {t('agenda.pollYouCannot')}</>}
                  </p>
                </li>
              ))}
            </ul>
          </section>
          {!data.canMark && forms.mark && <ErrorSummary ctx={ctx} errors={mark.errors} summaryKey={mark.summaryKey} />}
          {!data.canPick && forms.pick && <ErrorSummary ctx={ctx} errors={pick.errors} summaryKey={pick.summaryKey} />}
          {data.canMark && (
            <section aria-labelledby="mark">
              <h2 id="mark">{t('agenda.pollMarkHeading')}</h2>
              <ErrorSummary ctx={ctx} errors={mark.errors} summaryKey={mark.summaryKey} />
              <Form ctx={ctx} action={`/meetings/${m.id}/poll/marks`}>
                <Checkboxes
                  ctx={ctx}
                  name="canMake"
                  legend={t('agenda.pollMarkLegend')}
                  hint={t('agenda.pollMarkHint')}
                  value={mark.values.canMake}
                  errors={mark.errors}
                  options={data.slots.map((s) => ({ value: s.id, label: slotLabel(s) }))}
                />
                <button type="submit">{t('agenda.pollMarkSubmit')}</button>
              </Form>
            </section>
          )}
          {data.canPick && (
            <section aria-labelledby="pick">
              <h2 id="pick">{t('agenda.pollPickHeading')}</h2>
              <ErrorSummary ctx={ctx} errors={pick.errors} summaryKey={pick.summaryKey} />
              <Form ctx={ctx} action={`/meetings/${m.id}/poll/pick`}>
                <Radios
                  ctx={ctx}
                  name="slot"
                  legend={t('agenda.pollPickLegend')}
                  value={pick.values.slot}
                  errors={pick.errors}
                  options={data.slots.map((s) => ({ value: s.id, label: `${slotLabel(s)}: ${t('agenda.pollCanCount', { count: s.can_count })}` }))}
                />
                {m.state === 'draft' && (
                  <Checkbox ctx={ctx} name="schedule" label={t('agenda.pollSchedule')} hint={t('agenda.pollScheduleHint')} checked={pick.values.schedule === 'yes'} errors={pick.errors} />
                )}
                <p class="hint">{t('agenda.pollPickHint')}</p>
                <button type="submit">{t('agenda.pollPickSubmit')}</button>
              </Form>
            </section>
          )}
        </>
      )}
    </Layout>
  );
}
