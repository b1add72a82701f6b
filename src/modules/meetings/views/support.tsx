import { renderMarkdown } from '../../../platform/markdown.ts';
import { ErrorSummary, Form, Prose, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import { GOAL_LIMITS } from '../goals.schemas.ts';
import type { GoalsService } from '../goals.service.ts';

type SupportData = Awaited<ReturnType<GoalsService['support']>>;

export function SupportPage({ ctx, data }: { ctx: ViewContext; data: SupportData }) {
  const { t, date } = ctx.intl;
  const page = data.page;
  const title = t('support.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {!page ? (
        <p>{t('support.none')}</p>
      ) : (
        <>
          <p class="hint">{page.version === data.current ? t('support.current', { version: page.version, date: date(page.created_at) }) : t('support.old', { version: page.version, date: date(page.created_at) })}</p>
          {page.version !== data.current && (
            <p>
              <a href="/support">{t('support.seeCurrent')}</a>
            </p>
          )}
          <Prose html={renderMarkdown(page.body)} />
        </>
      )}
      <p>
        <a href="/library?kind=self_care">{t('support.library')}</a>
      </p>
      {ctx.isConvener && (
        <p>
          <a href="/support/edit">{t('support.edit')}</a>
        </p>
      )}
      {data.versions.length > 1 && (
        <>
          <h2 id="versions">{t('support.versions')}</h2>
          <ul aria-labelledby="versions">
            {data.versions.map((v) => (
              <li key={v.version}>
                <a href={`/support/${v.version}`}>{t('support.version', { version: v.version })}</a> · {date(v.created_at)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

export function SupportEditPage({ ctx, data, state = EMPTY }: { ctx: ViewContext; data: SupportData; state?: FormState }) {
  const { t } = ctx.intl;
  const title = t('support.editTitle');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('support.editIntro', { next: (data.current ?? 0) + 1 })}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action="/support">
        <Textarea ctx={ctx} name="body" label={t('support.body')} hint={t('support.bodyHint')} value={state.values.body ?? data.page?.body ?? ''} errors={state.errors} rows={18} maxLength={GOAL_LIMITS.support} required />
        <button type="submit">{t('support.publish')}</button>
      </Form>
    </Layout>
  );
}
