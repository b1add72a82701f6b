import { TableWrap } from '../../../views/components.tsx';
import type { OutboxListItem, OutboxMessage } from '../outbox.service.ts';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';

export function OutboxPage({
  ctx,
  messages,
  smtp,
}: {
  ctx: ViewContext;
  messages: OutboxListItem[];
  smtp: boolean;
}) {
  const { t, dateTime } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('outbox.title')}>
      <h1>{t('outbox.title')}</h1>
      <p>{smtp ? t('outbox.smtpOn') : t('outbox.intro')}</p>
      <p>{t('outbox.resetsWithheld')}</p>
      <p>{t('outbox.readsAudited')}</p>
      {messages.length === 0 ? (
        <p>{t('outbox.empty')}</p>
      ) : (
        <TableWrap label={t('outbox.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.subject')}</th>
                <th scope="col">{t('outbox.created')}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  {m.recipient === null ? <td>{t('outbox.withheldRecipient')}</td> : <td dir="ltr">{m.recipient}</td>}
                  <td dir="auto">{m.withheld ? m.subject : <a href={`/outbox/${m.id}`}>{m.subject}</a>}</td>
                  <td>{dateTime(m.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}

export function MessagePage({ ctx, message }: { ctx: ViewContext; message: OutboxMessage }) {
  const { t, dateTime } = ctx.intl;
  return (
    <Layout ctx={ctx} title={message.subject}>
      <p>
        <a href="/outbox">{t('outbox.back')}</a>
      </p>
      <h1 dir="auto">{message.subject}</h1>
      <dl>
        <dt>{t('outbox.to')}</dt>
        {message.withheld ? <dd>{t('outbox.withheldRecipient')}</dd> : <dd dir="ltr">{message.recipient}</dd>}
        <dt>{t('outbox.created')}</dt>
        <dd>{dateTime(message.created_at)}</dd>
      </dl>
      {message.withheld ? (
        <p>{t('outbox.withheldBody')}</p>
      ) : (
        <pre class="mail" dir="auto">
          {message.body_text}
        </pre>
      )}
    </Layout>
  );
}
