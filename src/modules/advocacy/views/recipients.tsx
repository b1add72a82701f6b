import type { ViewContext } from '../../../views/context.ts';
import { ErrorSummary, Field, Form, Radios, Select, TableWrap } from '../../../views/components.tsx';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import type { RecipientsService, Responsiveness } from '../recipients.service.ts';
import { BODY_CLASSIFICATIONS } from '../recipients.schemas.ts';

type Directory = Awaited<ReturnType<RecipientsService['directory']>>;
type Options = Awaited<ReturnType<RecipientsService['formOptions']>>;
type PostData = Awaited<ReturnType<RecipientsService['post']>>;
type PersonData = Awaited<ReturnType<RecipientsService['person']>>;

const dateOrNow = (ctx: ViewContext, end: string | null) => end ?? ctx.intl.t('recipients.stillHeld');

/** Share who replied and median days, as every page about posts and people shows it. */
export function ResponsivenessLine({ ctx, r }: { ctx: ViewContext; r: Responsiveness }) {
  const { t } = ctx.intl;
  if (r.addressed === 0) return <p class="muted">{t('recipients.responsiveness.none')}</p>;
  return (
    <p>
      {t('recipients.responsiveness.share', { replied: r.replied, addressed: r.addressed, share: r.share })}{' '}
      {r.medianDays === null ? t('recipients.responsiveness.noMedian') : t('recipients.responsiveness.median', { days: r.medianDays })}
    </p>
  );
}

export function RecipientsPage({ ctx, data }: { ctx: ViewContext; data: Directory }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('recipients.title')}>
      <h1>{t('recipients.title')}</h1>
      <p>{t('recipients.intro')}</p>
      <form method="get" action="/recipients">
        <div class="field">
          <label for="q">{t('recipients.search')}</label>
          <input id="q" name="q" type="search" value={data.q} dir="auto" maxLength={100} />
        </div>
        <button type="submit" class="secondary">
          {t('recipients.searchButton')}
        </button>
      </form>
      {data.canEdit && (
        <p>
          <a href="/recipients/new">{t('recipients.new')}</a>
        </p>
      )}
      <section aria-labelledby="posts">
        <h2 id="posts">{t('recipients.posts')}</h2>
        {data.posts.length === 0 ? (
          <p class="muted">{t('recipients.noPosts')}</p>
        ) : (
          <ul class="cards">
            {data.posts.map((p) => (
              <li key={p.id}>
                <a href={`/recipients/posts/${p.id}`}>{p.label}</a>
                {p.body_name && <span class="muted"> · {p.body_name}</span>}
                <br />
                {p.holder_id ? (
                  <span>
                    {t('recipients.heldBy')} <a href={`/recipients/people/${p.holder_id}`}>{p.holder_name}</a>
                  </span>
                ) : (
                  <span class="muted">{t('recipients.vacant')}</span>
                )}
                {p.email && <span class="muted"> · {p.email}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="people">
        <h2 id="people">{t('recipients.people')}</h2>
        {data.people.length === 0 ? (
          <p class="muted">{t('recipients.noPeople')}</p>
        ) : (
          <ul>
            {data.people.map((p) => (
              <li key={p.id}>
                <a href={`/recipients/people/${p.id}`}>{p.name}</a>
                {p.email && <span class="muted"> · {p.email}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="bodies">
        <h2 id="bodies">{t('recipients.bodies')}</h2>
        {data.bodies.length === 0 ? (
          <p class="muted">{t('recipients.noBodies')}</p>
        ) : (
          <ul>
            {data.bodies.map((b) => (
              <li key={b.id}>
                {b.name} <span class="muted">· {t(`recipients.classification.${b.classification}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

export interface NewForms {
  person?: FormState;
  body?: FormState;
  post?: FormState;
}

export function RecipientsNewPage({ ctx, options, forms }: { ctx: ViewContext; options: Options; forms: NewForms }) {
  const { t } = ctx.intl;
  const person = forms.person ?? EMPTY;
  const body = forms.body ?? EMPTY;
  const post = forms.post ?? EMPTY;
  return (
    <Layout ctx={ctx} title={t('recipients.new')}>
      <h1>{t('recipients.new')}</h1>
      <p>{t('recipients.newIntro')}</p>
      <section aria-labelledby="new-person">
        <h2 id="new-person">{t('recipients.person.new')}</h2>
        <ErrorSummary ctx={ctx} errors={person.errors} summaryKey={person.summaryKey} />
        <Form ctx={ctx} action="/recipients/people">
          <Field ctx={ctx} name="name" id="person-name" label={t('recipients.person.name')} value={person.values.name} errors={person.errors} required maxLength={200} />
          <Field ctx={ctx} name="email" id="person-email" type="email" label={t('recipients.email')} hint={t('recipients.emailHint')} value={person.values.email} errors={person.errors} dir="ltr" />
          <button type="submit">{t('recipients.person.create')}</button>
        </Form>
      </section>
      <section aria-labelledby="new-body">
        <h2 id="new-body">{t('recipients.body.new')}</h2>
        <ErrorSummary ctx={ctx} errors={body.errors} summaryKey={body.summaryKey} />
        <Form ctx={ctx} action="/recipients/bodies">
          <Field ctx={ctx} name="name" id="body-name" label={t('recipients.body.name')} value={body.values.name} errors={body.errors} required maxLength={200} />
          <Radios
            ctx={ctx}
            name="classification"
            legend={t('recipients.body.classification')}
            options={BODY_CLASSIFICATIONS.map((c) => ({ value: c, label: t(`recipients.classification.${c}`) }))}
            value={body.values.classification}
            errors={body.errors}
          />
          <button type="submit">{t('recipients.body.create')}</button>
        </Form>
      </section>
      <section aria-labelledby="new-post">
        <h2 id="new-post">{t('recipients.post.new')}</h2>
        <ErrorSummary ctx={ctx} errors={post.errors} summaryKey={post.summaryKey} />
        <Form ctx={ctx} action="/recipients/posts">
          <Field ctx={ctx} name="label" label={t('recipients.post.label')} hint={t('recipients.post.labelHint')} value={post.values.label} errors={post.errors} required maxLength={200} />
          <Select
            ctx={ctx}
            name="body"
            label={t('recipients.post.body')}
            options={[{ value: '', label: t('recipients.none') }, ...options.bodies.map((b) => ({ value: b.id, label: b.name }))]}
            value={post.values.body}
            errors={post.errors}
          />
          <Field ctx={ctx} name="email" id="post-email" type="email" label={t('recipients.email')} hint={t('recipients.post.emailHint')} value={post.values.email} errors={post.errors} dir="ltr" />
          <button type="submit">{t('recipients.post.create')}</button>
        </Form>
      </section>
    </Layout>
  );
}

function StatementsAddressed({ ctx, statements }: { ctx: ViewContext; statements: PostData['statements'] }) {
  const { t } = ctx.intl;
  return (
    <section aria-labelledby="addressed">
      <h2 id="addressed">{t('recipients.statementsAddressed')}</h2>
      {statements.length === 0 ? (
        <p class="muted">{t('recipients.noStatements')}</p>
      ) : (
        <ul>
          {statements.map((s) => (
            <li key={`${s.id}-${String(s.queued_at)}`}>
              <a href={`/statements/${s.id}`} lang={s.language} dir="auto">
                {s.title}
              </a>{' '}
              <span class="muted">· {t('recipients.sentOn', { date: s.queued_at ? ctx.intl.date(s.queued_at) : '' })}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function EndForm({ ctx, membershipId, state }: { ctx: ViewContext; membershipId: string; state?: FormState | undefined }) {
  const { t } = ctx.intl;
  const s = state ?? EMPTY;
  // Several of these may share a page with other date fields: the id is the membership's.
  const id = endFieldId(membershipId);
  const error = s.errors[id];
  return (
    <Form ctx={ctx} action={`/recipients/memberships/${membershipId}/end`}>
      <label for={id}>{t('recipients.endDate')}</label>
      <span class="hint" id={`${id}-hint`}>
        {t('recipients.dateHint')}
      </span>
      {error && (
        <span class="field-error" id={`${id}-error`}>
          {t(error.key, error.values)}
        </span>
      )}
      <input
        id={id}
        name="endDate"
        type="text"
        dir="ltr"
        value={typeof s.values.endDate === 'string' ? s.values.endDate : ''}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
      <button type="submit" class="secondary">
        {t('recipients.end')}
      </button>
    </Form>
  );
}

export const endFieldId = (membershipId: string) => `end-${membershipId.slice(0, 8)}`;

/** A refused end date, its errors keyed by the field's id on the page. */
function endState(forms: RecordForms): FormState | undefined {
  if (!forms.end) return undefined;
  const id = endFieldId(forms.end.membershipId);
  const errors = Object.fromEntries(Object.entries(forms.end.state.errors).map(([k, v]) => [k === 'endDate' ? id : k, v]));
  return { ...forms.end.state, errors, summaryKey: undefined };
}

export interface RecordForms {
  add?: FormState;
  end?: { membershipId: string; state: FormState };
}

export function PostPage({ ctx, data, forms }: { ctx: ViewContext; data: PostData; forms: RecordForms }) {
  const { t } = ctx.intl;
  const { post } = data;
  const add = forms.add ?? EMPTY;
  return (
    <Layout ctx={ctx} title={post.label}>
      <h1 dir="auto">{post.label}</h1>
      {forms.end && <ErrorSummary ctx={ctx} errors={(endState(forms) as FormState).errors} />}
      {post.body_name && <p class="muted">{post.body_name}</p>}
      {post.email && <p class="muted">{t('recipients.emailShown', { email: post.email })}</p>}
      <section aria-labelledby="holders">
        <h2 id="holders">{t('recipients.holders')}</h2>
        {data.holders.length === 0 ? (
          <p class="muted">{t('recipients.noHolders')}</p>
        ) : (
          <TableWrap label={t('recipients.holders')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('recipients.person.name')}</th>
                  <th scope="col">{t('recipients.from')}</th>
                  <th scope="col">{t('recipients.to')}</th>
                </tr>
              </thead>
              <tbody>
                {data.holders.map((h) => (
                  <tr key={h.id}>
                    <td>
                      <a href={`/recipients/people/${h.person_id}`}>{h.name}</a>
                    </td>
                    <td>{h.start_date}</td>
                    <td>
                      {dateOrNow(ctx, h.end_date)}
                      {data.canEdit && h.end_date === null && <EndForm ctx={ctx} membershipId={h.id} state={forms.end?.membershipId === h.id ? endState(forms) : undefined} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <section aria-labelledby="responsiveness">
        <h2 id="responsiveness">{t('recipients.responsiveness.title')}</h2>
        <ResponsivenessLine ctx={ctx} r={data.responsiveness} />
      </section>
      <StatementsAddressed ctx={ctx} statements={data.statements} />
      <p>
        <a href={`/commitments?post=${post.id}`}>{t('recipients.commitmentsOfPost')}</a>
      </p>
      {data.canEdit && (
        <section aria-labelledby="add-holder">
          <h2 id="add-holder">{t('recipients.addHolder')}</h2>
          <ErrorSummary ctx={ctx} errors={add.errors} summaryKey={add.summaryKey} />
          <Form ctx={ctx} action={`/recipients/posts/${post.id}/holders`}>
            <Select
              ctx={ctx}
              name="person"
              label={t('recipients.person.label')}
              options={[{ value: '', label: t('recipients.choose') }, ...data.people.map((p) => ({ value: p.id, label: p.name }))]}
              value={add.values.person}
              errors={add.errors}
            />
            <Field ctx={ctx} name="startDate" label={t('recipients.startDate')} hint={t('recipients.dateHint')} value={add.values.startDate} errors={add.errors} dir="ltr" />
            <Field ctx={ctx} name="endDate" label={t('recipients.endDateOptional')} hint={t('recipients.endDateHint')} value={add.values.endDate} errors={add.errors} dir="ltr" />
            <button type="submit">{t('recipients.addHolderButton')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

export function PersonPage({ ctx, data, forms }: { ctx: ViewContext; data: PersonData; forms: RecordForms }) {
  const { t } = ctx.intl;
  const { person } = data;
  const add = forms.add ?? EMPTY;
  return (
    <Layout ctx={ctx} title={person.name}>
      <h1 dir="auto">{person.name}</h1>
      {forms.end && <ErrorSummary ctx={ctx} errors={(endState(forms) as FormState).errors} />}
      {data.party && <p>{t('recipients.partyNow', { party: data.party.body_name ?? '' })}</p>}
      {person.email && <p class="muted">{t('recipients.emailShown', { email: person.email })}</p>}
      <section aria-labelledby="posts-held">
        <h2 id="posts-held">{t('recipients.postsHeld')}</h2>
        {data.posts.length === 0 ? (
          <p class="muted">{t('recipients.noPostsHeld')}</p>
        ) : (
          <ul>
            {data.posts.map((m) => (
              <li key={m.id}>
                <a href={`/recipients/posts/${m.post_id}`}>{m.post_label}</a> <span class="muted">· {t('recipients.period', { from: m.start_date, to: dateOrNow(ctx, m.end_date) })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="parties">
        <h2 id="parties">{t('recipients.parties')}</h2>
        {data.parties.length === 0 ? (
          <p class="muted">{t('recipients.noParties')}</p>
        ) : (
          <ul>
            {data.parties.map((m) => (
              <li key={m.id}>
                {m.body_name} <span class="muted">· {t('recipients.period', { from: m.start_date, to: dateOrNow(ctx, m.end_date) })}</span>
                {data.canEdit && m.end_date === null && <EndForm ctx={ctx} membershipId={m.id} state={forms.end?.membershipId === m.id ? endState(forms) : undefined} />}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="responsiveness">
        <h2 id="responsiveness">{t('recipients.responsiveness.title')}</h2>
        <ResponsivenessLine ctx={ctx} r={data.responsiveness} />
      </section>
      <StatementsAddressed ctx={ctx} statements={data.statements} />
      <p>
        <a href={`/commitments?person=${person.id}`}>{t('recipients.commitmentsOfPerson')}</a>
      </p>
      {data.canEdit && (
        <section aria-labelledby="add-party">
          <h2 id="add-party">{t('recipients.addParty')}</h2>
          <ErrorSummary ctx={ctx} errors={add.errors} summaryKey={add.summaryKey} />
          <Form ctx={ctx} action={`/recipients/people/${person.id}/parties`}>
            <Select
              ctx={ctx}
              name="party"
              label={t('recipients.party')}
              options={[{ value: '', label: t('recipients.choose') }, ...data.parties_to_choose.map((b) => ({ value: b.id, label: b.name }))]}
              value={add.values.party}
              errors={add.errors}
            />
            <Field ctx={ctx} name="startDate" label={t('recipients.startDate')} hint={t('recipients.dateHint')} value={add.values.startDate} errors={add.errors} dir="ltr" />
            <Field ctx={ctx} name="endDate" label={t('recipients.endDateOptional')} hint={t('recipients.endDateHint')} value={add.values.endDate} errors={add.errors} dir="ltr" />
            <button type="submit">{t('recipients.addPartyButton')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}
