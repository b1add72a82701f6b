import { renderMarkdown } from '../../../platform/markdown.ts';
import { Checkbox, ErrorSummary, Field, Form, Prose, Radios, Select, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import { ANNOUNCEMENT_LIMITS } from '../notifications.schemas.ts';
import type { NotificationsService } from '../notifications.service.ts';

type Prefs = Awaited<ReturnType<NotificationsService['preferences']>>;

export function PreferencesPage({ ctx, data, state = EMPTY }: { ctx: ViewContext; data: Prefs; state?: FormState }) {
  const { t, date } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  const title = t('notifications.title');
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <p>{t('notifications.intro')}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action="/notifications">
        {data.topics.map((x) => (
          <Select
            ctx={ctx}
            key={x.topic}
            name={x.topic}
            label={t(`digest.topic.${x.topic}`)}
            hint={t(`notifications.hint.${x.topic}`)}
            value={state.values[x.topic] ?? x.frequency}
            errors={state.errors}
            options={x.allowed.map((f) => ({ value: f, label: t(`notifications.frequency.${f}`) }))}
          />
        ))}
        <Checkbox ctx={ctx} name="keepWhenInactive" label={t('notifications.keepWhenInactive')} hint={t('notifications.keepWhenInactiveHint')} checked={Object.keys(state.values).length > 0 ? state.values.keepWhenInactive === 'yes' : data.keepWhenInactive} errors={state.errors} />
        <p class="hint">{t('notifications.alertsElsewhere')}</p>
        <button type="submit">{t('notifications.save')}</button>
      </Form>
      {data.recent.length > 0 && (
        <section aria-labelledby="recent-announcements">
          <h2 id="recent-announcements">{t('notifications.announcements')}</h2>
          <ul>
            {data.recent.map((a) => (
              <li key={a.id}>
                <a href={`/announcements/${a.id}`} dir="auto">
                  {a.title}
                </a>{' '}
                <span class="muted">· {date(a.created_at)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {ctx.isConvener && (
        <p>
          <a href="/announcements/new">{t('notifications.announce')}</a>
        </p>
      )}
    </Layout>
  );
}

export function UnsubscribePage({ ctx, kind, token, done }: { ctx: ViewContext; kind: string; token: string; done?: boolean }) {
  const { t } = ctx.intl;
  const title = t('notifications.unsubscribeTitle');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {done ? (
        <p role="status">{t('notifications.unsubscribed', { kind: t(`notifications.kind.${kind}`) })}</p>
      ) : (
        <Form ctx={ctx} action={`/notifications/unsubscribe/${token}`}>
          <p>{t('notifications.unsubscribeIntro', { kind: t(`notifications.kind.${kind}`) })}</p>
          <button type="submit">{t('notifications.unsubscribeButton')}</button>
        </Form>
      )}
      <p>
        <a href="/notifications">{t('notifications.choose')}</a>
      </p>
    </Layout>
  );
}

export function AnnouncementFormPage({ ctx, state = EMPTY }: { ctx: ViewContext; state?: FormState }) {
  const { t } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  const title = t('notifications.announceTitle');
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <p>{t('notifications.announceIntro')}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action="/announcements">
        <Field ctx={ctx} name="title" label={t('notifications.announcementTitle')} value={state.values.title} errors={state.errors} required maxLength={ANNOUNCEMENT_LIMITS.title} />
        <Textarea ctx={ctx} name="body" label={t('notifications.announcementBody')} hint={t('notifications.announcementBodyHint')} value={state.values.body ?? ''} errors={state.errors} rows={8} maxLength={ANNOUNCEMENT_LIMITS.body} required />
        <Radios ctx={ctx} name="audience" legend={t('notifications.audience')} options={(['everyone', 'network', 'participants'] as const).map((a) => ({ value: a, label: t(`notifications.audiences.${a}`) }))} value={state.values.audience ?? 'network'} errors={state.errors} />
        <button type="submit">{t('notifications.send')}</button>
      </Form>
    </Layout>
  );
}

export function AnnouncementPage({ ctx, a }: { ctx: ViewContext; a: Awaited<ReturnType<NotificationsService['announcement']>> }) {
  const { t, date } = ctx.intl;
  return (
    <Layout ctx={ctx} title={a.title}>
      <p class="muted">
        {t('notifications.announcementOf', { date: date(a.created_at) })} · {t(`notifications.audiences.${a.audience}`)}
      </p>
      <h1 dir="auto">{a.title}</h1>
      <Prose html={renderMarkdown(a.body)} />
    </Layout>
  );
}
