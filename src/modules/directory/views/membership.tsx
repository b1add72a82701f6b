import { countryName } from '../../../platform/countries.ts';
import { languageName } from '../../../platform/languages.ts';
import { renderMarkdown } from '../../../platform/markdown.ts';
import type { FormState } from '../../../views/form.ts';
import { EMPTY } from '../../../views/form.ts';
import { Checkbox, ErrorSummary, Field, Form, Prose, Radios, TableWrap, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { MembershipService } from '../membership.service.ts';
import { ProfileFields } from './profile-form.tsx';
import { listOf } from '../../../views/format.ts';

type TermsData = Awaited<ReturnType<MembershipService['terms']>>;

const titled = (ctx: ViewContext, title: string, state: FormState) =>
  Object.keys(state.errors).length > 0 || state.summaryKey ? ctx.intl.t('page.errorPrefix', { title }) : title;

export function TermsPage({ ctx, data }: { ctx: ViewContext; data: TermsData }) {
  const { t, date } = ctx.intl;
  const terms = data.terms;
  const title = t('terms.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {!terms ? (
        <p>{t('terms.none')}</p>
      ) : (
        <>
          <p class="hint">
            {terms.version === data.current
              ? t('terms.current', { version: terms.version, date: date(terms.created_at) })
              : t('terms.old', { version: terms.version, date: date(terms.created_at) })}
          </p>
          {terms.version !== data.current && (
            <p>
              <a href="/terms">{t('terms.seeCurrent')}</a>
            </p>
          )}
          <Prose html={renderMarkdown(terms.body)} />
          <p class="actions">
            <a href="/apply">{t('directory.toApply')}</a>
            {ctx.isConvener && <a href="/terms/edit">{t('terms.edit')}</a>}
          </p>
        </>
      )}
      {!terms && ctx.isConvener && (
        <p>
          <a href="/terms/edit">{t('terms.edit')}</a>
        </p>
      )}
      {data.versions.length > 1 && (
        <>
          <h2 id="versions">{t('terms.versions')}</h2>
          <ul aria-labelledby="versions">
            {data.versions.map((v) => (
              <li key={v.version}>
                <a href={`/terms/${v.version}`}>{t('terms.version', { version: v.version })}</a> · {date(v.created_at)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

export function TermsEditPage({ ctx, data, state = EMPTY }: { ctx: ViewContext; data: TermsData; state?: FormState }) {
  const { t } = ctx.intl;
  const title = t('terms.editTitle');
  return (
    <Layout ctx={ctx} title={titled(ctx, title, state)}>
      <h1>{title}</h1>
      <p>{t('terms.editIntro', { next: (data.current ?? 0) + 1 })}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <Form ctx={ctx} action="/terms">
        <Textarea ctx={ctx} name="body" label={t('terms.body')} hint={t('terms.bodyHint')} value={state.values.body ?? data.terms?.body ?? ''} errors={state.errors} rows={18} required />
        <button type="submit">{t('terms.publish')}</button>
      </Form>
    </Layout>
  );
}

export function ApplyPage({ ctx, terms, state = EMPTY }: { ctx: ViewContext; terms: TermsData['terms']; state?: FormState }) {
  const { t } = ctx.intl;
  const title = t('apply.title');
  const v = state.values;
  const showDuplicate = Boolean(state.errors.notDuplicate) || v.notDuplicate === 'yes';
  return (
    <Layout ctx={ctx} title={titled(ctx, title, state)}>
      <h1>{title}</h1>
      {!terms ? (
        <p>{t('apply.closed')}</p>
      ) : (
        <>
          <p>{t('apply.intro')}</p>
          <p class="hint">{t('apply.privacy')}</p>
          <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
          <Form ctx={ctx} action="/apply">
            {showDuplicate && (
              <div class="warning">
                <Checkbox ctx={ctx} name="notDuplicate" label={t('apply.notDuplicate')} checked={v.notDuplicate === 'yes'} errors={state.errors} />
              </div>
            )}
            <h2>{t('apply.organisation')}</h2>
            <ProfileFields ctx={ctx} values={v} errors={state.errors} />
            <h2>{t('apply.contact')}</h2>
            <p class="hint">{t('apply.contactWhy')}</p>
            <Field ctx={ctx} name="applicantName" label={t('apply.applicantName')} value={v.applicantName} errors={state.errors} autocomplete="name" required maxLength={120} />
            <Field
              ctx={ctx}
              name="applicantEmail"
              type="email"
              label={t('apply.applicantEmail')}
              value={v.applicantEmail}
              errors={state.errors}
              autocomplete="email"
              dir="ltr"
              required
              maxLength={254}
            />
            <h2>{t('apply.terms')}</h2>
            <p>
              <a href={`/terms/${terms.version}`}>{t('apply.readTerms', { version: terms.version })}</a>
            </p>
            <Textarea ctx={ctx} name="statement" label={t('apply.statement')} hint={t('apply.statementHint')} value={v.statement} errors={state.errors} required maxLength={4000} />
            <input type="hidden" name="termsVersion" value={String(terms.version)} />
            <Checkbox ctx={ctx} name="acceptTerms" label={t('apply.accept', { version: terms.version })} checked={v.acceptTerms === 'yes'} errors={state.errors} />
            <button type="submit">{t('apply.submit')}</button>
          </Form>
        </>
      )}
    </Layout>
  );
}

export function AppliedPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('apply.doneTitle')}>
      <h1>{t('apply.doneTitle')}</h1>
      <p>{t('apply.done')}</p>
      <p>
        <a href="/directory">{t('directory.title')}</a>
      </p>
    </Layout>
  );
}

type AnswerData = Awaited<ReturnType<MembershipService['findByAnswerToken']>>;

export function AnswerPage({ ctx, data, action, state = EMPTY }: { ctx: ViewContext; data: AnswerData; action: string; state?: FormState }) {
  const { t, date } = ctx.intl;
  const title = t('answer.title', { name: data.name });
  return (
    <Layout ctx={ctx} title={titled(ctx, title, state)}>
      <h1 dir="auto">{title}</h1>
      <ol class="timeline">
        {data.events.map((e, i) => (
          <li key={String(i)}>
            <strong>{t(`event.${e.kind}`)}</strong> · {date(e.created_at)}
            <p dir="auto" class="pre">
              {e.body}
            </p>
          </li>
        ))}
      </ol>
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <Form ctx={ctx} action={action}>
        <Textarea ctx={ctx} name="body" label={t('answer.body')} hint={t('answer.hint')} value={state.values.body} errors={state.errors} required maxLength={4000} />
        <button type="submit">{t('answer.submit')}</button>
      </Form>
    </Layout>
  );
}

type QueueData = Awaited<ReturnType<MembershipService['queue']>>;

export function QueuePage({ ctx, data }: { ctx: ViewContext; data: QueueData }) {
  const { t, date } = ctx.intl;
  const title = t('queue.title');
  const table = (rows: QueueData['open'], label: string) => (
    <TableWrap label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('profile.name')}</th>
            <th scope="col">{t('queue.status')}</th>
            <th scope="col">{t('queue.received')}</th>
            <th scope="col">{t('queue.flags')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id}>
              <td>
                <a href={`/applications/${a.id}`} dir="auto">
                  {a.name}
                </a>
              </td>
              <td>{t(`applicationStatus.${a.status}`)}</td>
              <td>{date(a.created_at)}</td>
              <td>{a.duplicate_name ? t(`queue.duplicate.${a.duplicate_reason ?? 'name'}`, { name: a.duplicate_name }) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="actions">
        <a href="/terms">{t('terms.title')}</a>
        <a href="/terms/edit">{t('terms.edit')}</a>
      </p>
      <h2 id="open">{t('queue.open', { count: data.open.length })}</h2>
      {data.open.length === 0 ? <p>{t('queue.empty')}</p> : table(data.open, t('queue.openLabel'))}
      {data.decided.length > 0 && (
        <>
          <h2 id="decided">{t('queue.decided')}</h2>
          {table(data.decided, t('queue.decided'))}
        </>
      )}
    </Layout>
  );
}

type ApplicationData = Awaited<ReturnType<MembershipService['application']>>;

export interface ReviewForms {
  comment?: FormState;
  request?: FormState;
  decision?: FormState;
}

export function ApplicationPage({ ctx, data, forms = {} }: { ctx: ViewContext; data: ApplicationData; forms?: ReviewForms }) {
  const { t, date, locale } = ctx.intl;
  const a = data.application;
  const p = a.profile;
  const open = a.status === 'submitted' || a.status === 'info_requested';
  const failed = [forms.comment, forms.request, forms.decision].some((f) => f && Object.keys(f.errors).length > 0);
  const title = t('review.title', { name: p.name });
  const decision = forms.decision ?? EMPTY;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <p>
        <a href="/applications">{t('review.back')}</a>
      </p>
      <h1 dir="auto">{title}</h1>
      {!open && <ErrorSummary ctx={ctx} errors={decision.errors} />}
      <p>
        <strong>{t(`applicationStatus.${a.status}`)}</strong> · {t('queue.received')} {date(a.created_at)} · {t('terms.version', { version: a.terms_version })}
      </p>
      {a.duplicate_name && (
        <p class="warning">
          {t(`review.duplicate.${a.duplicate_reason ?? 'name'}`, { name: a.duplicate_name })} <a href={`/directory/${a.duplicate_slug}`}>{a.duplicate_name}</a>
        </p>
      )}
      {a.organisation_slug && (
        <p>
          <a href={`/directory/${a.organisation_slug}`}>{t('review.organisationPage')}</a>
        </p>
      )}
      <h2>{t('apply.organisation')}</h2>
      <dl class="facts">
        <dt>{t('profile.name')}</dt>
        <dd dir="auto">
          {p.name} {p.shortName && `(${p.shortName})`}
        </dd>
        {p.website && (
          <>
            <dt>{t('profile.website')}</dt>
            <dd dir="ltr">{p.website}</dd>
          </>
        )}
        <dt>{t('profile.countries')}</dt>
        <dd>{listOf(ctx, p.countries.map((c) => countryName(locale, c)))}</dd>
        <dt>{t('profile.activities')}</dt>
        <dd>{listOf(ctx, p.activities.map((x) => t(`activity.${x}`)))}</dd>
        <dt>{t('profile.stakeholders')}</dt>
        <dd>{listOf(ctx, p.stakeholders.map((x) => t(`stakeholder.${x}`))) || '—'}</dd>
        {/* Every answer of the form, so that the convener decides on what the applicant said. */}
        <dt>{t('profile.languages')}</dt>
        <dd>{p.languages.length > 0 ? listOf(ctx, p.languages.map((l) => languageName(locale, l))) : '—'}</dd>
        <dt>{t('profile.yearFounded')}</dt>
        <dd>{p.yearFounded ? String(p.yearFounded) : '—'}</dd>
        <dt>{t('profile.staffSize')}</dt>
        <dd>{p.staffSize ? t(`staffSize.${p.staffSize}`) : '—'}</dd>
        <dt>{t('profile.diasporaLed')}</dt>
        <dd>{p.diasporaLed === undefined || p.diasporaLed === null ? '—' : p.diasporaLed ? t('form.yes') : t('form.no')}</dd>
        <dt>{t('profile.contactEmail')}</dt>
        <dd dir="ltr">{p.contactEmail || '—'}</dd>
        {a.contact_name && (
          <>
            <dt>{t('apply.applicantName')}</dt>
            <dd dir="auto">{a.contact_name}</dd>
            <dt>{t('apply.applicantEmail')}</dt>
            <dd dir="ltr">{a.contact_email}</dd>
          </>
        )}
      </dl>
      <h3>{t('profile.mission')}</h3>
      <Prose html={renderMarkdown(p.mission)} />
      <h3>{t('apply.statement')}</h3>
      <p dir="auto" class="pre">
        {a.statement}
      </p>

      <h2 id="history">{t('review.history')}</h2>
      {data.events.length === 0 ? (
        <p>{t('review.noHistory')}</p>
      ) : (
        <ol class="timeline" aria-labelledby="history">
          {data.events.map((e) => (
            <li key={e.id}>
              <strong>{t(`event.${e.kind}`)}</strong> · {date(e.created_at)}
              {e.actor_name && <> · <span dir="auto">{e.actor_name}</span></>}
              <p dir="auto" class="pre">
                {e.body}
              </p>
            </li>
          ))}
        </ol>
      )}
      {a.decision_reason && !data.events.some((e) => e.kind === 'approved' || e.kind === 'declined') && <p dir="auto">{a.decision_reason}</p>}

      <h2 id="comment">{t('review.comment')}</h2>
      <ErrorSummary ctx={ctx} errors={forms.comment?.errors ?? {}} idPrefix="comment-" />
      <Form ctx={ctx} action={`/applications/${a.id}/comment`}>
        <Textarea ctx={ctx} name="body" id="comment-body" label={t('review.commentLabel')} hint={t('review.commentHint')} value={forms.comment?.values.body} errors={forms.comment?.errors ?? {}} rows={3} required />
        <button type="submit" class="secondary">
          {t('review.commentSubmit')}
        </button>
      </Form>
      {open && (
        <>
          <h2 id="request">{t('review.request')}</h2>
          <ErrorSummary ctx={ctx} errors={forms.request?.errors ?? {}} idPrefix="request-" />
          <Form ctx={ctx} action={`/applications/${a.id}/request-info`}>
            <Textarea ctx={ctx} name="body" id="request-body" label={t('review.requestLabel')} hint={t('review.requestHint')} value={forms.request?.values.body} errors={forms.request?.errors ?? {}} rows={4} required />
            <button type="submit" class="secondary">
              {t('review.requestSubmit')}
            </button>
          </Form>
          <h2 id="decide">{t('review.decide')}</h2>
          <ErrorSummary ctx={ctx} errors={decision.errors} />
          <Form ctx={ctx} action={`/applications/${a.id}/decision`}>
            <Radios
              ctx={ctx}
              name="decision"
              legend={t('review.decision')}
              value={decision.values.decision}
              errors={decision.errors}
              options={[
                { value: 'approve', label: t('review.approve') },
                { value: 'decline', label: t('review.decline') },
              ]}
            />
            <Radios
              ctx={ctx}
              name="status"
              legend={t('review.approveAs')}
              value={decision.values.status ?? 'member'}
              errors={decision.errors}
              options={[
                { value: 'member', label: t('orgStatusName.member') },
                { value: 'associate', label: t('orgStatusName.associate') },
              ]}
            />
            <Textarea ctx={ctx} name="reason" label={t('review.reason')} hint={t('review.reasonHint')} value={decision.values.reason} errors={decision.errors} rows={4} required />
            <button type="submit">{t('review.decideSubmit')}</button>
          </Form>
        </>
      )}
    </Layout>
  );
}
