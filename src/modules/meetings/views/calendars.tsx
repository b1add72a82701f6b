import type { CalendarsService } from '../calendars.service.ts';
import { Checkbox, ErrorSummary, Form, Notice, PostButton } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';

export type CalendarSettings = Awaited<ReturnType<CalendarsService['settings']>>;

/**
 * The person's calendar feed: make one, see whether it is discreet, renew or revoke it. Its
 * address is shown once, when it is made or renewed: only its hash is kept.
 */
export function CalendarPage({ ctx, settings, state = EMPTY, newUrl }: { ctx: ViewContext; settings: CalendarSettings; state?: FormState; newUrl?: string | undefined }) {
  const { t, dateTime } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  const feed = settings.feed;
  const discreet = failed ? state.values.discreet === 'yes' : (feed?.discreet ?? false);
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('calendars.title') }) : t('calendars.title')}>
      <h1>{t('calendars.title')}</h1>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <p>{t('calendars.intro')}</p>
      {newUrl && (
        <Notice>
          <p>{t('calendars.newUrl')}</p>
          <p>
            <code class="secret" dir="ltr">
              {newUrl}
            </code>
          </p>
          <p class="hint">{t('calendars.newUrlHint')}</p>
        </Notice>
      )}
      <h2>{t('calendars.yourFeed')}</h2>
      {feed ? (
        <dl>
          <dt>{t('calendars.made')}</dt>
          <dd>{dateTime(feed.renewed_at)}</dd>
          <dt>{t('calendars.discreet')}</dt>
          <dd>{feed.discreet ? t('calendars.discreetOn') : t('calendars.discreetOff')}</dd>
        </dl>
      ) : (
        <p>{t('calendars.noFeed')}</p>
      )}
      <Form ctx={ctx} action={feed ? '/calendar/feed/discreet' : '/calendar/feed'}>
        <Checkbox ctx={ctx} name="discreet" label={t('calendars.discreetLabel')} hint={t('calendars.discreetHint')} checked={discreet} errors={state.errors} />
        <button type="submit">{feed ? t('calendars.saveDiscreet') : t('calendars.make')}</button>
      </Form>
      {feed && (
        <>
          <h2>{t('calendars.renewOrRevoke')}</h2>
          <p class="hint">{t('calendars.renewHint')}</p>
          <PostButton ctx={ctx} action="/calendar/feed" label={t('calendars.renew')} secondary hidden={feed.discreet ? { discreet: 'yes' } : {}} />{' '}
          <PostButton ctx={ctx} action="/calendar/feed/revoke" label={t('calendars.revoke')} secondary />
        </>
      )}
      <h2>{t('calendars.publicFeed')}</h2>
      <p>{t('calendars.publicFeedNote')}</p>
      <p>
        <a href="/meetings/public.ics" dir="ltr">
          {settings.publicFeedUrl}
        </a>
      </p>
    </Layout>
  );
}
