import type { ComponentChildren } from 'preact';
import { countryName, countryOptions } from '../../../platform/countries.ts';
import { languageName, languageOptions } from '../../../platform/languages.ts';
import { renderMarkdown } from '../../../platform/markdown.ts';
import { ActingFor, Checkbox, Checkboxes, ErrorSummary, Field, Form, MultiSelect, PostButton, Radios, Select, Textarea } from '../../../views/components.tsx';
import { Prose } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import type { FormState } from '../../../views/form.ts';
import { day, listOf } from '../../../views/format.ts';
import { Layout } from '../../../views/layout.tsx';
import type { DiffPart } from '../canonical.ts';
import type { ShownSignatory } from '../signatories.ts';
import type { VersionRow } from '../statements.repository.ts';
import { APPEARS_AS, LIMITS, STATEMENT_KINDS } from '../statements.schemas.ts';
import type { StatementsService } from '../statements.service.ts';

type ListData = Awaited<ReturnType<StatementsService['list']>>;
export type StatementData = Awaited<ReturnType<StatementsService['page']>>;
type VersionData = Awaited<ReturnType<StatementsService['version']>>;
type SignatoriesData = Awaited<ReturnType<StatementsService['signatories']>>;
type SignOption = { id: string; observed_on: string; description: string };

const EMPTY: FormState = { values: {}, errors: {} };

export function StatementsPage({ ctx, data }: { ctx: ViewContext; data: ListData }) {
  const { t, date } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('statements.title')}>
      <h1>{t('statements.title')}</h1>
      <p>{t('statements.intro')}</p>
      {data.canDraft && (
        <p>
          <a href="/statements/new">{t('statements.new')}</a>
        </p>
      )}
      {data.statements.length === 0 ? (
        <p>{t('statements.none')}</p>
      ) : (
        <ul class="cards">
          {data.statements.map((s) => (
            <li key={s.id}>
              <h2>
                <a href={`/statements/${s.id}`} lang={s.language} dir="auto">
                  {s.title}
                </a>
              </h2>
              <p>
                {t(`statements.kind.${s.kind}`)} · {t(`statements.state.${s.state}`)} · {s.organisation_name}
                {s.published_at ? <> · {date(s.published_at)}</> : s.deadline ? <> · {t('statements.deadlineOn', { date: day(ctx, s.deadline) })}</> : null}
              </p>
              {s.summary && (
                <p dir="auto" lang={s.language}>
                  {s.summary.length > 240 ? `${s.summary.slice(0, 240)}…` : s.summary}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** The text fields of a version: shared by the statement form, the correction and the translation. */
function ContentFields({ ctx, state }: { ctx: ViewContext; state: FormState }) {
  const { t } = ctx.intl;
  const v = state.values;
  return (
    <>
      <Field ctx={ctx} name="title" label={t('statements.field.title')} value={v.title} errors={state.errors} required maxLength={LIMITS.title} />
      <Textarea ctx={ctx} name="summary" label={t('statements.field.summary')} hint={t('statements.field.summaryHint')} value={v.summary} errors={state.errors} rows={3} maxLength={LIMITS.summary} />
      <Textarea ctx={ctx} name="asks" label={t('statements.field.asks')} hint={t('statements.field.asksHint')} value={v.asks} errors={state.errors} rows={4} maxLength={LIMITS.asks} />
      <Textarea ctx={ctx} name="body" label={t('statements.field.body')} hint={t('statements.field.bodyHint')} value={v.body} errors={state.errors} required rows={16} maxLength={LIMITS.body} />
    </>
  );
}

export function StatementFormPage({
  ctx,
  action,
  state,
  signOptions,
  editing,
  circulated,
}: {
  ctx: ViewContext;
  action: string;
  state: FormState;
  signOptions: SignOption[];
  editing: boolean;
  circulated: boolean;
}) {
  const { t, locale } = ctx.intl;
  const v = state.values;
  const title = t(editing ? 'statements.editTitle' : 'statements.newTitle');
  const alerts = Array.isArray(v.alerts) ? (v.alerts as string[]) : [];
  return (
    <Layout ctx={ctx} title={Object.keys(state.errors).length || state.summaryKey ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      {state.summaryKey === 'errors.statementPublishedEdit' && (
        <p class="warning">
          <a href={action.replace(/\/edit$/, '/edit#correction')}>{t('statements.correctionLink')}</a>
        </p>
      )}
      {circulated && <p class="notice">{t('statements.editMakesVersion')}</p>}
      <Form ctx={ctx} action={action}>
        <ActingFor ctx={ctx} value={v.actingFor} errors={state.errors} />
        <Select ctx={ctx} name="kind" label={t('statements.field.kind')} value={v.kind} errors={state.errors} options={STATEMENT_KINDS.map((k) => ({ value: k, label: t(`statements.kind.${k}`) }))} />
        {circulated ? (
          <input type="hidden" name="language" value={String(v.language ?? '')} />
        ) : (
          <Select ctx={ctx} name="language" label={t('statements.field.language')} value={v.language} errors={state.errors} options={languageOptions(locale)} />
        )}
        <ContentFields ctx={ctx} state={state} />
        <MultiSelect ctx={ctx} name="countries" label={t('statements.field.countries')} hint={t('statements.field.countriesHint')} value={v.countries} errors={state.errors} options={countryOptions(locale)} />
        {alerts.map((a) => (
          <input type="hidden" name="alerts" value={a} key={a} />
        ))}
        {signOptions.length > 0 && (
          <Checkboxes
            ctx={ctx}
            name="signs"
            legend={t('statements.field.signs')}
            value={v.signs}
            errors={state.errors}
            options={signOptions.map((s) => ({ value: s.id, label: `${day(ctx, s.observed_on)}: ${s.description.length > 120 ? `${s.description.slice(0, 120)}…` : s.description}` }))}
          />
        )}
        <Checkbox ctx={ctx} name="allowIndividuals" label={t('statements.field.allowIndividuals')} checked={v.allowIndividuals === 'yes'} errors={state.errors} />
        {!circulated && <Checkbox ctx={ctx} name="includeAssociates" label={t('statements.field.includeAssociates')} checked={v.includeAssociates === 'yes'} errors={state.errors} />}
        <button type="submit">{t(editing ? 'statements.save' : 'statements.create')}</button>
      </Form>
    </Layout>
  );
}

/** The correction form, for a published statement: a new version with the reason for it. */
export function CorrectionPage({ ctx, id, state }: { ctx: ViewContext; id: string; state: FormState }) {
  const { t } = ctx.intl;
  const title = t('statements.correctionTitle');
  return (
    <Layout ctx={ctx} title={Object.keys(state.errors).length || state.summaryKey ? t('page.errorPrefix', { title }) : title}>
      <h1 id="correction">{title}</h1>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <p>{t('statements.correctionIntro')}</p>
      <Form ctx={ctx} action={`/statements/${id}/correction`}>
        <ActingFor ctx={ctx} value={state.values.actingFor} errors={state.errors} />
        <ContentFields ctx={ctx} state={state} />
        <Textarea ctx={ctx} name="note" label={t('statements.field.note')} hint={t('statements.field.noteHint')} value={state.values.note} errors={state.errors} required rows={3} maxLength={LIMITS.note} />
        <Field ctx={ctx} name="deadline" label={t('statements.field.newDeadline')} hint={t('statements.field.dateHint')} value={state.values.deadline} errors={state.errors} />
        <button type="submit">{t('statements.correctionSave')}</button>
      </Form>
    </Layout>
  );
}

function Diff({ ctx, diff }: { ctx: ViewContext; diff: { field: string; parts: DiffPart[]; changed: boolean }[] }) {
  const { t } = ctx.intl;
  const changed = diff.filter((d) => d.changed);
  if (changed.length === 0) return <p>{t('statements.diffNone')}</p>;
  return (
    <div class="diff">
      <p class="hint">{t('statements.diffLegend')}</p>
      {changed.map((d) => (
        <section key={d.field}>
          <h4>{t(`statements.field.${d.field}`)}</h4>
          <p class="pre" dir="auto">
            {d.parts.map((p, i) =>
              p.added ? (
                // The marks are text, not colour only: "[+ … +]" and "[− … −]" read and print as such.
                <ins key={i}>
                  <span class="visually-hidden">{t('statements.diffAdded')} </span>[+{p.value}+]
                </ins>
              ) : p.removed ? (
                <del key={i}>
                  <span class="visually-hidden">{t('statements.diffRemoved')} </span>[−{p.value}−]
                </del>
              ) : (
                <span key={i}>{p.value}</span>
              ),
            )}
          </p>
        </section>
      ))}
    </div>
  );
}

function VersionText({ ctx, version, heading = 'h2' }: { ctx: ViewContext; version: VersionRow; heading?: 'h1' | 'h2' }) {
  const { t } = ctx.intl;
  const H = heading;
  return (
    <article lang={version.language} dir="auto">
      <H>{version.title}</H>
      {version.summary && <p class="pre">{version.summary}</p>}
      {version.asks.length > 0 && (
        <>
          {heading === 'h1' ? <h2 lang={ctx.intl.locale}>{t('statements.field.asks')}</h2> : <h3 lang={ctx.intl.locale}>{t('statements.field.asks')}</h3>}
          <ol>
            {version.asks.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ol>
        </>
      )}
      <Prose html={renderMarkdown(version.body)} lang={version.language} />
    </article>
  );
}

function Who({ ctx, who }: { ctx: ViewContext; who: ShownSignatory }) {
  if (who.kind === 'organisation') return <a href={`/directory/${who.slug}`}>{who.name}</a>;
  if (who.kind === 'name') return <span dir="auto">{who.name}</span>;
  return <span dir="auto">{ctx.intl.t('statements.cosignRole', { role: who.role })}</span>;
}

export interface StatementForms {
  drafters?: FormState;
  circulate?: FormState;
  comment?: FormState;
  sign?: FormState;
  decline?: FormState;
  cosign?: FormState;
  publish?: FormState;
  translation?: FormState;
}

export function StatementPage({
  ctx,
  data,
  forms = {},
  recipients,
  jsonLd,
}: {
  ctx: ViewContext;
  data: StatementData;
  forms?: StatementForms;
  /** Who it was sent to and what they answered (built by the recipients part). */
  recipients?: ComponentChildren;
  /** schema.org JSON-LD for the page, already serialised with "<" escaped. */
  jsonLd?: string;
}) {
  const { t, date, dateTime } = ctx.intl;
  const s = data.statement;
  const v = data.shownVersion;
  const id = s.id;
  const sig = data.signatories;
  const refused = Object.values(forms).find((f) => f && (Object.keys(f.errors).length > 0 || f.summaryKey));
  const failed = refused !== undefined;
  const one = (f: FormState | undefined) => f ?? EMPTY;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: v.title }) : v.title}>
      {jsonLd && (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON with "<" escaped, in a data block that never runs
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />
      )}
      <p>
        <a href="/statements">{t('statements.back')}</a>
      </p>
      {/* One summary at the top, whichever form was refused: its section may not be shown at all
          (signing after the deadline), and the message must still be read. */}
      {refused && <ErrorSummary ctx={ctx} errors={refused.errors} summaryKey={refused.summaryKey} />}
      <p>
        <strong>{t(`statements.kind.${s.kind}`)}</strong> · {t(`statements.state.${s.state}`)}
        {s.published_at && <> · {t('statements.publishedOn', { date: date(s.published_at) })}</>}
        {s.deadline && s.state !== 'drafting' && <> · {t('statements.deadlineOn', { date: day(ctx, s.deadline) })}</>}
      </p>
      {data.preview && v.published_at === null && s.state === 'published' && <p class="warning">{t('statements.correctionPending', { version: v.number })}</p>}
      <p class="muted">
        {t('statements.versionLine', { version: v.number, language: languageName(ctx.intl.locale, v.language) })} ·{' '}
        <a href={`/statements/${id}/versions/${v.number}`}>{t('statements.versionLink')}</a>
      </p>
      <VersionText ctx={ctx} version={v} heading="h1" />
      {data.translations.length > 0 && (
        <section aria-labelledby="translations">
          <h2 id="translations">{t('statements.translations')}</h2>
          <ul>
            {data.translations.map((x) => (
              <li key={x.number}>
                <a href={`/statements/${id}/versions/${x.number}`} lang={x.language} hreflang={x.language}>
                  {languageName(x.language, x.language)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      {(s.countries.length > 0 || data.alerts.length > 0 || data.signs.length > 0) && (
        <section aria-labelledby="responds">
          <h2 id="responds">{t('statements.respondsTo')}</h2>
          {s.countries.length > 0 && <p>{t('statements.countries', { countries: listOf(ctx, s.countries.map((c) => countryName(ctx.intl.locale, c))) })}</p>}
          {data.alerts.length > 0 && (
            <ul>
              {data.alerts.map((a) => (
                <li key={a.id}>
                  <a href={`/alerts/${a.id}`}>{t('statements.alertLink', { number: a.number, country: countryName(ctx.intl.locale, a.country) })}</a>
                </li>
              ))}
            </ul>
          )}
          {data.signs.length > 0 && (
            <ul>
              {data.signs.map((x) => (
                <li key={x.id}>
                  <a href={`/signs/${x.id}`}>
                    {day(ctx, x.observed_on)}: {x.description.length > 120 ? `${x.description.slice(0, 120)}…` : x.description}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section aria-labelledby="signatories" id="signatories-section">
        <h2 id="signatories">{t('statements.signatories')}</h2>
        <p>{t('statements.signatoryCount', { organisations: sig.organisations.length, individuals: sig.individualCount, version: sig.version })}</p>
        {sig.organisations.length > 0 && (
          <ul>
            {sig.organisations.map((o) => (
              <li key={o.organisationId}>
                <Who ctx={ctx} who={o} />
              </li>
            ))}
          </ul>
        )}
        {sig.individuals.length > 0 && (
          <>
            <h3>{t('statements.individuals')}</h3>
            <ul>
              {sig.individuals.map((x, i) => (
                <li key={i}>
                  <Who ctx={ctx} who={x} />
                </li>
              ))}
            </ul>
          </>
        )}
        {data.earlier.length > 0 && (
          <>
            <h3>{t('statements.earlierSignatories')}</h3>
            <ul>
              {data.earlier.map((e, i) => (
                <li key={i}>
                  <Who ctx={ctx} who={e.who} /> — {t('statements.signedVersion', { version: e.version })}
                </li>
              ))}
            </ul>
          </>
        )}
        {sig.withdrawals.length > 0 && (
          <>
            <h3>{t('statements.withdrawals')}</h3>
            <ul>
              {sig.withdrawals.map((w, i) => (
                <li key={i}>
                  {w.who ? <Who ctx={ctx} who={w.who} /> : t('statements.withdrawnCounted')} —{' '}
                  {t('statements.withdrawnOn', { signed: date(w.signedAt), withdrawn: date(w.withdrawnAt) })}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {recipients}

      <section aria-labelledby="drafting" class="no-print">
        <h2 id="drafting">{t('statements.drafters')}</h2>
        <ul>
          {data.drafters.map((d) => (
            <li key={d.organisation_id}>
              <a href={`/directory/${d.slug}`}>{d.name}</a>
              {d.state === 'invited' && <> ({t('statements.drafterInvited')})</>}
            </li>
          ))}
        </ul>
        {data.invited.map((o) => (
          <div class="panel" key={o.organisationId}>
            <p>{t('statements.drafterInvitation', { organisation: o.name })}</p>
            <PostButton ctx={ctx} action={`/statements/${id}/drafters/${o.organisationId}/accept`} label={t('statements.drafterAccept')} />{' '}
            <PostButton ctx={ctx} action={`/statements/${id}/drafters/${o.organisationId}/decline`} label={t('statements.drafterDecline')} secondary />
          </div>
        ))}
        {data.owner && data.invitable.length > 0 && (
          <Form ctx={ctx} action={`/statements/${id}/drafters`}>
            <ActingFor ctx={ctx} value={one(forms.drafters).values.actingFor} errors={one(forms.drafters).errors} />
            <Select
              ctx={ctx}
              name="organisation"
              label={t('statements.inviteDrafter')}
              value={one(forms.drafters).values.organisation}
              errors={one(forms.drafters).errors}
              options={[{ value: '', label: t('statements.choose') }, ...data.invitable.map((o) => ({ value: o.id, label: o.name }))]}
            />
            <button type="submit">{t('statements.inviteDrafterButton')}</button>
          </Form>
        )}
      </section>

      {data.owner && (
        <section aria-labelledby="owner-actions" class="no-print">
          <h2 id="owner-actions">{t('statements.ownerActions')}</h2>
          <ul class="actions">
            {data.canEdit && (
              <li>
                <a href={`/statements/${id}/edit`}>{t('statements.edit')}</a>
              </li>
            )}
            {data.canCorrect && (
              <li>
                <a href={`/statements/${id}/edit#correction`}>{t('statements.correct')}</a>
              </li>
            )}
          </ul>
          {data.canCirculate && (
            <Form ctx={ctx} action={`/statements/${id}/circulate`}>
              <h3>{t('statements.circulate')}</h3>
              <p>{t('statements.circulateIntro')}</p>
              <ActingFor ctx={ctx} value={one(forms.circulate).values.actingFor} errors={one(forms.circulate).errors} />
              <Field ctx={ctx} name="deadline" label={t('statements.field.deadline')} hint={t('statements.field.dateHint')} value={one(forms.circulate).values.deadline} errors={one(forms.circulate).errors} required />
              <Checkbox
                ctx={ctx}
                name="includeAssociates"
                label={t('statements.field.includeAssociates')}
                checked={(forms.circulate ? forms.circulate.values.includeAssociates : s.include_associates ? 'yes' : undefined) === 'yes'}
                errors={one(forms.circulate).errors}
              />
              <button type="submit">{t('statements.circulateButton')}</button>
            </Form>
          )}
          {data.canPublish && (
            <Form ctx={ctx} action={`/statements/${id}/publish`}>
              <h3>{t('statements.publish')}</h3>
              <p id="publish">{t('statements.publishIntro', { version: data.current.number })}</p>
              <ActingFor ctx={ctx} value={one(forms.publish).values.actingFor} errors={one(forms.publish).errors} />
              <button type="submit">{t('statements.publishButton')}</button>
            </Form>
          )}
          {data.declines.length > 0 && (
            <>
              <h3>{t('statements.declines')}</h3>
              <ul>
                {data.declines.map((d) => (
                  <li key={d.organisation_id}>
                    {d.organisation_name} ({date(d.created_at)}){d.reason && <>: <span dir="auto">{d.reason}</span></>}
                  </li>
                ))}
              </ul>
            </>
          )}
          {data.canTranslate && (
            <Form ctx={ctx} action={`/statements/${id}/translations`}>
              <h3>{t('statements.translate')}</h3>
              <p>{t('statements.translateIntro', { version: data.current.number })}</p>
              <ActingFor ctx={ctx} value={one(forms.translation).values.actingFor} errors={one(forms.translation).errors} />
              <Select
                ctx={ctx}
                name="language"
                label={t('statements.field.language')}
                value={one(forms.translation).values.language}
                errors={one(forms.translation).errors}
                options={languageOptions(ctx.intl.locale)}
              />
              <ContentFields ctx={ctx} state={one(forms.translation)} />
              <button type="submit">{t('statements.translateButton')}</button>
            </Form>
          )}
        </section>
      )}

      {(data.mySigning.length > 0 || data.canCosign || data.myCosign) && (
        <section aria-labelledby="sign" class="no-print">
          <h2 id="sign">{t('statements.signHeading')}</h2>
          {data.mySigning.map((o) => (
            <div class="panel" key={o.organisationId}>
              <h3>{o.name}</h3>
              {o.signedVersion === data.current.number ? (
                <p>{t('statements.youSigned', { version: o.signedVersion })}</p>
              ) : (
                <>
                  {o.signedVersion !== undefined && <p class="warning">{t('statements.signAgain', { version: o.signedVersion, current: data.current.number })}</p>}
                  {o.diff && (
                    <details open>
                      <summary>{t('statements.diffFrom', { version: o.signedVersion ?? 0 })}</summary>
                      <Diff ctx={ctx} diff={o.diff} />
                    </details>
                  )}
                  {o.declined && <p>{t('statements.youDeclined')}</p>}
                  <p>{t('statements.signIntro', { version: data.current.number })}</p>
                  <PostButton ctx={ctx} action={`/statements/${id}/sign`} label={t('statements.signButton', { organisation: o.name })} hidden={{ actingFor: o.organisationId, sha256: data.shownVersion.content_sha256 }} />
                </>
              )}
              {o.signedVersion !== undefined && <PostButton ctx={ctx} action={`/statements/${id}/withdraw`} label={t('statements.withdrawButton')} secondary hidden={{ actingFor: o.organisationId }} />}
              {o.signedVersion !== data.current.number && !o.declined && (
                <Form ctx={ctx} action={`/statements/${id}/decline`}>
                  <input type="hidden" name="actingFor" value={o.organisationId} />
                  <Textarea
                    ctx={ctx}
                    name="reason"
                    label={t('statements.declineReason')}
                    hint={t('statements.declineHint')}
                    value={forms.decline?.values.actingFor === o.organisationId ? forms.decline.values.reason : undefined}
                    errors={forms.decline?.values.actingFor === o.organisationId ? forms.decline.errors : {}}
                    rows={3}
                    maxLength={LIMITS.reason}
                  />
                  <button type="submit" class="secondary">
                    {t('statements.declineButton')}
                  </button>
                </Form>
              )}
            </div>
          ))}
          {data.myCosign && (
            <div class="panel">
              <p>{t('statements.youCosigned', { version: data.myCosign.version, appearsAs: data.myCosign.appearsAs })}</p>
              <PostButton ctx={ctx} action={`/statements/${id}/cosign/withdraw`} label={t('statements.cosignWithdraw')} secondary />
            </div>
          )}
          {data.canCosign && data.myCosign?.version !== data.current.number && (
            <Form ctx={ctx} action={`/statements/${id}/cosign`}>
              <h3>{t('statements.cosign')}</h3>
              {/* The text the person read: if it changed before they send, they are shown the new one. */}
              <input type="hidden" name="sha256" value={data.shownVersion.content_sha256} />
              <Radios
                ctx={ctx}
                name="appearsAs"
                legend={t('statements.appearsAs')}
                value={one(forms.cosign).values.appearsAs ?? 'counted'}
                errors={one(forms.cosign).errors}
                options={APPEARS_AS.map((a) => ({ value: a, label: t(`statements.appearsAs.${a}`) }))}
              />
              <Field ctx={ctx} name="displayName" label={t('statements.field.displayName')} value={one(forms.cosign).values.displayName} errors={one(forms.cosign).errors} maxLength={LIMITS.displayName} />
              <Field
                ctx={ctx}
                name="displayRole"
                label={t('statements.field.displayRole')}
                hint={t('statements.field.displayRoleHint')}
                value={one(forms.cosign).values.displayRole}
                errors={one(forms.cosign).errors}
                maxLength={LIMITS.displayRole}
              />
              <button type="submit">{t('statements.cosignButton')}</button>
            </Form>
          )}
        </section>
      )}

      {data.preview && s.state !== 'drafting' && (
        <section aria-labelledby="comments" class="no-print">
          <h2 id="comments">{t('statements.comments')}</h2>
          {data.comments.length === 0 ? (
            <p>{t('statements.noComments')}</p>
          ) : (
            <ul class="cards">
              {data.comments.map((c) => (
                <li key={c.id}>
                  <p class="muted">
                    {c.organisation_name ?? ''} · {c.person_name ?? ''} · {dateTime(c.created_at)} · {t('statements.onVersion', { version: c.version_number })}
                  </p>
                  <p class="pre" dir="auto">
                    {c.body}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {data.canComment && (
            <Form ctx={ctx} action={`/statements/${id}/comments`}>
              <ActingFor ctx={ctx} value={one(forms.comment).values.actingFor} errors={one(forms.comment).errors} />
              <Textarea ctx={ctx} name="body" id="comment-body" label={t('statements.commentLabel')} value={one(forms.comment).values.body} errors={one(forms.comment).errors} rows={4} maxLength={LIMITS.comment} required />
              <button type="submit">{t('statements.commentButton')}</button>
            </Form>
          )}
        </section>
      )}

      <section aria-labelledby="versions" class="no-print">
        <h2 id="versions">{t('statements.versions')}</h2>
        <ul>
          {data.versions.map((x) => (
            <li key={x.number}>
              <a href={`/statements/${id}/versions/${x.number}`}>{t('statements.versionItem', { version: x.number, language: languageName(ctx.intl.locale, x.language) })}</a>{' '}
              · {dateTime(x.created_at)}
              {x.author_organisation && <> · {x.author_organisation}</>}
              {x.translation_of !== null && <> · {t('statements.translationOf', { version: x.translation_of })}</>}
              {x.published_at && <> · {t('statements.published')}</>}
              {x.note && (
                <>
                  {' '}
                  · <span dir="auto">{x.note}</span>
                </>
              )}
            </li>
          ))}
        </ul>
        <p class="muted break">{t('statements.hashNote', { hash: v.content_sha256 })}</p>
      </section>
    </Layout>
  );
}

export function VersionPage({ ctx, data }: { ctx: ViewContext; data: VersionData }) {
  const { t, dateTime } = ctx.intl;
  const v = data.version;
  const id = data.statement.id;
  return (
    <Layout ctx={ctx} title={t('statements.versionTitle', { version: v.number, title: v.title })}>
      <p>
        <a href={`/statements/${id}`}>{t('statements.backToStatement')}</a>
      </p>
      <p class="muted">
        {t('statements.versionLine', { version: v.number, language: languageName(ctx.intl.locale, v.language) })} · {dateTime(v.created_at)}
        {v.author_organisation && <> · {v.author_organisation}</>}
        {v.published_at && <> · {t('statements.published')}</>}
      </p>
      {v.note && (
        <p>
          <strong>{t('statements.field.note')}:</strong> <span dir="auto">{v.note}</span>
        </p>
      )}
      {data.siblings.length > 0 && (
        <nav aria-label={t('statements.otherLanguages')}>
          <p>{t('statements.otherLanguages')}:</p>
          <ul>
            {data.siblings.map((x) => (
              <li key={x.number}>
                <a href={`/statements/${id}/versions/${x.number}`} lang={x.language} hreflang={x.language}>
                  {languageName(x.language, x.language)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <VersionText ctx={ctx} version={v} heading="h1" />
      <section aria-labelledby="diff">
        <h2 id="diff">{data.previous ? t('statements.diffFrom', { version: data.previous.number }) : t('statements.firstVersion')}</h2>
        {data.diff && <Diff ctx={ctx} diff={data.diff} />}
      </section>
      <p class="muted break">{t('statements.hashNote', { hash: v.content_sha256 })}</p>
    </Layout>
  );
}

export function SignatoriesPage({ ctx, data, form }: { ctx: ViewContext; data: SignatoriesData; form?: FormState }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={form ? t('page.errorPrefix', { title: t('signatories.title') }) : t('signatories.title')}>
      <h1>{t('signatories.title')}</h1>
      {form && <ErrorSummary ctx={ctx} errors={form.errors} summaryKey={form.summaryKey} />}
      <p>{t('signatories.intro')}</p>
      {data.invitations.length > 0 && (
        <section aria-labelledby="mine">
          <h2 id="mine">{t('signatories.mine')}</h2>
          <ul class="cards">
            {data.invitations.map((i) => (
              <li key={i.organisation_id}>
                <p>{t(`signatories.mineState.${i.state}`, { organisation: i.organisation_name })}</p>
                {i.state === 'invited' && (
                  <>
                    <PostButton ctx={ctx} action={`/signatories/${i.organisation_id}/accept`} label={t('signatories.accept')} />{' '}
                    <PostButton ctx={ctx} action={`/signatories/${i.organisation_id}/decline`} label={t('signatories.decline')} secondary />
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {data.organisations.map((o) => (
        <section aria-labelledby={`org-${o.organisationId}`} key={o.organisationId}>
          <h2 id={`org-${o.organisationId}`}>{o.name}</h2>
          <ul class="cards">
            {o.staff.map((p) => (
              <li key={p.id}>
                <p>
                  {p.display_name} ·{' '}
                  {p.role === 'org_admin' ? t('signatories.isAdmin') : p.signatory_state ? t(`signatories.state.${p.signatory_state}`) : t('signatories.notNamed')}
                </p>
                {p.role !== 'org_admin' && (!p.signatory_state || p.signatory_state === 'declined') && (
                  <PostButton ctx={ctx} action={`/organisations/${o.organisationId}/signatories`} label={t('signatories.name')} hidden={{ person: p.id }} />
                )}
                {p.signatory_state && p.signatory_state !== 'declined' && (
                  <PostButton ctx={ctx} action={`/organisations/${o.organisationId}/signatories/${p.id}/remove`} label={t('signatories.remove')} secondary />
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}
