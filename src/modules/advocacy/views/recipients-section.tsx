import type { ViewContext } from '../../../views/context.ts';
import type { RecipientsService } from '../recipients.service.ts';
import { ResponsivenessLine } from './recipients.tsx';

export type RecipientsSectionData = Awaited<ReturnType<RecipientsService['publicSection']>>;

/**
 * For the statement's page: who it was sent to (the post and the person it reached, when) and
 * what they answered. The public sees published replies only; owners see all, marked, and a
 * link to the page where they address, send and record replies. No address is ever shown.
 */
export function RecipientsSection({ ctx, data }: { ctx: ViewContext; data: RecipientsSectionData }) {
  const { t } = ctx.intl;
  const base = `/statements/${data.statementId}`;
  if (data.recipients.length === 0 && !data.owner) return null;
  return (
    <section aria-labelledby="recipients">
      <h2 id="recipients">{t('replies.section.title')}</h2>
      {data.recipients.length === 0 ? (
        <p class="muted">{t('replies.section.none')}</p>
      ) : (
        <>
        <ResponsivenessLine ctx={ctx} r={data.responsiveness} />
        <ul class="cards">
          {data.recipients.map((r) => (
            <li key={r.id}>
              <p>
                {r.postId && <a href={`/recipients/posts/${r.postId}`}>{r.postLabel}</a>}
                {r.postId && r.personId && ' · '}
                {r.personId && <a href={`/recipients/people/${r.personId}`}>{r.personName}</a>}
              </p>
              <p class="muted">
                {!r.sent ? t('replies.section.notSent') : r.deliveredOn ? t('replies.section.deliveredOn', { date: ctx.intl.date(r.deliveredOn) }) : t('replies.section.sent')}
              </p>
              {r.replies.length === 0 ? (
                r.sent && <p class="muted">{t('replies.section.noReply')}</p>
              ) : (
                r.replies.map((a) => (
                  <div key={a.id} class="panel">
                    <p>
                      <strong>{t(`replies.kind.${a.kind}`)}</strong> · {t('replies.section.receivedOn', { date: a.receivedOn })}
                      {data.owner && !a.published && <> · {t('replies.unpublished')}</>}
                    </p>
                    {a.body && (
                      <p class="pre" dir="auto">
                        {a.body}
                      </p>
                    )}
                    {a.link && (
                      <p>
                        <a href={a.link} rel="nofollow noopener">
                          {t('replies.link')}
                        </a>
                      </p>
                    )}
                    {a.attachment && (
                      <p>
                        <a href={`${base}/replies/${a.id}/attachment`}>{t('replies.attachment', { name: a.attachment })}</a>
                      </p>
                    )}
                  </div>
                ))
              )}
            </li>
          ))}
        </ul>
        </>
      )}
      {data.owner && (
        <p class="no-print">
          <a href={`${base}/recipients`}>{t('replies.section.manage')}</a>
        </p>
      )}
    </section>
  );
}
