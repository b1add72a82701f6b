import type { ViewContext } from '../../../views/context.ts';
import { Csrf, ErrorSummary, Field, FileField, Form, MultiSelect, PostButton, Radios, TableWrap, Textarea } from '../../../views/components.tsx';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import type { RecipientsService } from '../recipients.service.ts';
import { recipientLabel } from '../recipients.service.ts';
import { CHANNELS, REPLY_KINDS } from '../recipients.schemas.ts';
import { ResponsivenessLine } from './recipients.tsx';

type OwnersData = Awaited<ReturnType<RecipientsService['statementRecipients']>>;
type TokenData = Awaited<ReturnType<RecipientsService['byToken']>>;

export interface DeliveryForms {
  add?: FormState;
  send?: FormState;
  /** A form about one recipient (recording a reply, marking delivered, removing). */
  recipient?: { id: string; form: 'reply' | 'delivered' | 'remove'; state: FormState };
}

const deliveredId = (recipientId: string) => `deliveredOn-${recipientId.slice(0, 8)}`;

/** A refused remove or delivery, its errors keyed by the ids of the fields on the page. */
function recipientErrors(r: NonNullable<DeliveryForms['recipient']>) {
  return Object.fromEntries(Object.entries(r.state.errors).map(([k, v]) => [k === 'deliveredOn' ? deliveredId(r.id) : `recipient-${r.id}`, v]));
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');

export function StatementRecipientsPage({ ctx, data, forms }: { ctx: ViewContext; data: OwnersData; forms: DeliveryForms }) {
  const { t } = ctx.intl;
  const base = `/statements/${data.statement.id}`;
  const add = forms.add ?? EMPTY;
  const send = forms.send ?? EMPTY;
  const stateFor = (id: string, form: 'reply' | 'delivered' | 'remove') => (forms.recipient?.id === id && forms.recipient.form === form ? forms.recipient.state : EMPTY);
  return (
    <Layout ctx={ctx} title={t('delivery.title', { title: data.title })}>
      <p>
        <a href={base}>{t('delivery.backToStatement')}</a>
      </p>
      <h1 dir="auto">{t('delivery.title', { title: data.title })}</h1>
      {forms.recipient && forms.recipient.form !== 'reply' && <ErrorSummary ctx={ctx} errors={recipientErrors(forms.recipient)} />}
      <p>{t('delivery.intro')}</p>

      <section aria-labelledby="table">
        <h2 id="table">{t('delivery.table')}</h2>
        {data.recipients.length === 0 ? (
          <p class="muted">{t('delivery.none')}</p>
        ) : (
          <>
          <ResponsivenessLine ctx={ctx} r={data.responsiveness} />
          <TableWrap label={t('delivery.table')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('delivery.recipient')}</th>
                  <th scope="col">{t('delivery.channel')}</th>
                  <th scope="col">{t('delivery.status')}</th>
                  <th scope="col">{t('delivery.replies')}</th>
                </tr>
              </thead>
              <tbody>
                {data.recipients.map((r) => (
                  <tr key={r.id} id={`recipient-${r.id}`}>
                    <td>
                      {recipientLabel(r) || t('delivery.unknown')}
                      {r.address && (
                        <>
                          <br />
                          <span class="muted" dir="ltr">
                            {r.address}
                          </span>
                        </>
                      )}
                    </td>
                    <td>{t(`delivery.channel.${r.channel}`)}</td>
                    <td>
                      {t(`delivery.state.${r.delivery}`)}
                      {r.queued_at && <div class="muted">{t('delivery.queuedAt', { at: ctx.intl.dateTime(r.queued_at) })}</div>}
                      {r.sent_at && <div class="muted">{t('delivery.sentAt', { at: ctx.intl.dateTime(r.sent_at) })}</div>}
                      {r.refused_at && <div class="muted">{t('delivery.refusedAt', { at: ctx.intl.dateTime(r.refused_at), note: r.delivery_note })}</div>}
                      {r.delivered_at && <div class="muted">{t('delivery.deliveredAt', { date: day(r.delivered_at) })}</div>}
                      {r.delivery_note === 'outbox' && <div class="muted">{t('delivery.inOutbox')}</div>}
                      {r.queued_at === null && <PostButton ctx={ctx} action={`${base}/recipients/${r.id}/remove`} label={t('delivery.remove')} secondary />}
                      {r.queued_at !== null && r.channel !== 'email' && r.delivery !== 'delivered' && (
                        <DeliveredForm ctx={ctx} action={`${base}/recipients/${r.id}/delivered`} id={deliveredId(r.id)} state={stateFor(r.id, 'delivered')} />
                      )}
                    </td>
                    <td>
                      {r.replies.length === 0 ? (
                        <span class="muted">{t('delivery.noReply')}</span>
                      ) : (
                        <ul>
                          {r.replies.map((a) => (
                            <li key={a.id}>
                              <strong>{t(`replies.kind.${a.kind}`)}</strong> · {a.received_on} · {a.published ? t('replies.published') : t('replies.unpublished')}
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
                              {a.document_id && (
                                <p>
                                  <a href={`${base}/replies/${a.id}/attachment`}>{t('replies.attachment', { name: a.filename ?? '' })}</a>
                                </p>
                              )}
                              {a.published && (
                                <p>
                                  <a href={`${base}/replies/${a.id}/commitments/new`}>{t('replies.extractCommitment')}</a>
                                </p>
                              )}
                              <PostButton
                                ctx={ctx}
                                action={`${base}/replies/${a.id}/${a.published ? 'unpublish' : 'publish'}`}
                                label={a.published ? t('replies.unpublish') : t('replies.publish')}
                                secondary
                              />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          </>
        )}
      </section>

      {data.recipients.some((r) => r.queued_at !== null) && (
        <section aria-labelledby="record-reply">
          <h2 id="record-reply">{t('replies.record')}</h2>
          {data.recipients
            .filter((r) => r.queued_at !== null)
            .map((r) => (
              <details key={r.id} open={forms.recipient?.id === r.id && forms.recipient.form === 'reply'}>
                <summary>{t('replies.recordFor', { who: recipientLabel(r) })}</summary>
                <ReplyForm ctx={ctx} action={`${base}/recipients/${r.id}/replies`} state={stateFor(r.id, 'reply')} idPrefix={`r${r.id.slice(0, 8)}`} />
              </details>
            ))}
        </section>
      )}

      <section aria-labelledby="add">
        <h2 id="add">{t('delivery.add')}</h2>
        <ErrorSummary ctx={ctx} errors={add.errors} summaryKey={add.summaryKey} />
        <Form ctx={ctx} action={`${base}/recipients`}>
          <MultiSelect
            ctx={ctx}
            name="posts"
            label={t('delivery.posts')}
            hint={t('delivery.postsHint')}
            options={data.posts.map((p) => ({ value: p.id, label: p.holder_name ? `${p.label} (${p.holder_name})` : `${p.label} (${t('recipients.vacant')})` }))}
            value={add.values.posts}
            errors={add.errors}
          />
          <MultiSelect ctx={ctx} name="people" label={t('delivery.people')} options={data.people.map((p) => ({ value: p.id, label: p.name }))} value={add.values.people} errors={add.errors} />
          <Radios
            ctx={ctx}
            name="channel"
            legend={t('delivery.channel')}
            options={CHANNELS.map((c) => ({ value: c, label: t(`delivery.channel.${c}`) }))}
            value={add.values.channel ?? 'email'}
            errors={add.errors}
          />
          <button type="submit">{t('delivery.addButton')}</button>
        </Form>
        <p>
          <a href="/recipients/new">{t('delivery.newRecords')}</a>
        </p>
      </section>

      <section aria-labelledby="send">
        <h2 id="send">{t('delivery.send')}</h2>
        <ErrorSummary ctx={ctx} errors={send.errors} summaryKey={send.summaryKey} />
        {!data.published ? (
          <p class="muted">{t('delivery.sendAfterPublishing')}</p>
        ) : data.unsent === 0 ? (
          <p class="muted">{t('delivery.nothingToSend')}</p>
        ) : (
          <>
            <p>{t('delivery.sendExplain', { count: data.unsent })}</p>
            <PostButton ctx={ctx} action={`${base}/send`} label={t('delivery.sendButton', { count: data.unsent })} />
          </>
        )}
      </section>
    </Layout>
  );
}

function DeliveredForm({ ctx, action, id, state }: { ctx: ViewContext; action: string; id: string; state: FormState }) {
  const { t } = ctx.intl;
  const error = state.errors.deliveredOn;
  return (
    <form method="post" action={action} novalidate>
      <Csrf ctx={ctx} />
      <label for={id}>{t('delivery.deliveredOn')}</label>
      {error && (
        <span class="field-error" id={`${id}-error`}>
          {t(error.key, error.values)}
        </span>
      )}
      <input id={id} name="deliveredOn" type="text" dir="ltr" value={typeof state.values.deliveredOn === 'string' ? state.values.deliveredOn : ''} aria-describedby={error ? `${id}-error` : undefined} />
      <button type="submit" class="secondary">
        {t('delivery.markDelivered')}
      </button>
    </form>
  );
}

function ReplyForm({ ctx, action, state, idPrefix }: { ctx: ViewContext; action: string; state: FormState; idPrefix: string }) {
  const { t } = ctx.intl;
  // Several reply forms share the page: each field id is prefixed so labels stay unique.
  const errors = Object.fromEntries(Object.entries(state.errors).map(([k, v]) => [`${idPrefix}-${k}`, v]));
  const v = (k: string) => state.values[k];
  return (
    <form method="post" action={action} enctype="multipart/form-data" novalidate>
      <Csrf ctx={ctx} />
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={state.summaryKey} />
      <RenamedRadios ctx={ctx} idPrefix={idPrefix} value={v('kind')} errors={errors} />
      <Textarea ctx={ctx} name={`${idPrefix}-body`} label={t('replies.body')} value={v('body')} errors={errors} rows={8} />
      <Field ctx={ctx} name={`${idPrefix}-receivedOn`} label={t('replies.receivedOn')} hint={t('recipients.dateHint')} value={v('receivedOn')} errors={errors} dir="ltr" />
      <Field ctx={ctx} name={`${idPrefix}-link`} type="url" label={t('replies.linkField')} value={v('link')} errors={errors} dir="ltr" />
      <FileField ctx={ctx} name={`${idPrefix}-attachment`} label={t('replies.attachmentField')} hint={t('replies.attachmentHint')} accept=".pdf,.png,.jpg,.jpeg" errors={errors} />
      <input type="hidden" name="prefix" value={idPrefix} />
      <button type="submit">{t('replies.recordButton')}</button>
    </form>
  );
}

function RenamedRadios({ ctx, idPrefix, value, errors }: { ctx: ViewContext; idPrefix: string; value: unknown; errors: FormState['errors'] }) {
  const { t } = ctx.intl;
  return (
    <Radios
      ctx={ctx}
      name={`${idPrefix}-kind`}
      legend={t('replies.kindLegend')}
      options={REPLY_KINDS.map((k) => ({ value: k, label: t(`replies.kind.${k}`) }))}
      value={value ?? 'substantive'}
      errors={errors}
    />
  );
}

export function ReplyByTokenPage({ ctx, data, token, state }: { ctx: ViewContext; data: TokenData; token: string; state: FormState }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('replies.byLink.title')}>
      <h1>{t('replies.byLink.title')}</h1>
      <p>
        {t('replies.byLink.intro', { who: recipientLabel(data.recipient) })}{' '}
        <a href={`/statements/${data.recipient.statement_id}`} lang={data.language} dir="auto">
          {data.title}
        </a>
      </p>
      <p class="muted">{t('replies.byLink.privacy')}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action={`/replies/${token}`}>
        <Textarea ctx={ctx} name="body" label={t('replies.byLink.body')} value={state.values.body} errors={state.errors} rows={12} required />
        <button type="submit">{t('replies.byLink.send')}</button>
      </Form>
    </Layout>
  );
}

export function ReplyThanksPage({ ctx, token }: { ctx: ViewContext; token: string }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('replies.byLink.thanksTitle')}>
      <h1>{t('replies.byLink.thanksTitle')}</h1>
      <p>{t('replies.byLink.thanks')}</p>
      <p>
        <a href={`/replies/${token}`}>{t('replies.byLink.another')}</a>
      </p>
    </Layout>
  );
}
