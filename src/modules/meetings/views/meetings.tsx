import { languageName, languageOptions } from '../../../platform/languages.ts';
import { ActingFor, Checkbox, ErrorSummary, Field, Form, MultiSelect, PostButton, Radios, Select, TableWrap, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { dateTimeIn, listOf } from '../../../views/format.ts';
import type { FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import type { MeetingRow } from '../access.ts';
import { ANSWERS, AUDIENCES, MEETING_KINDS, MEETING_LIMITS } from '../meetings.schemas.ts';
import type { MeetingsService } from '../meetings.service.ts';

type ListData = Awaited<ReturnType<MeetingsService['list']>>;
type PageData = Awaited<ReturnType<MeetingsService['page']>>;
type CheckInData = Awaited<ReturnType<MeetingsService['checkInPage']>>;
type FormOptions = Awaited<ReturnType<MeetingsService['options']>>;

const EMPTY: FormState = { values: {}, errors: {} };

/** The forms of the meeting page that can be refused, each shown again with what was typed. */
export interface MeetingForms {
  state?: FormState;
  offer?: FormState;
  answer?: FormState;
  reply?: FormState;
}

/** When a meeting is: in its own zone, and in the reader's when that differs. */
function When({ ctx, m, zone }: { ctx: ViewContext; m: Pick<MeetingRow, 'starts_at' | 'ends_at' | 'time_zone'>; zone: string | undefined }) {
  const { t } = ctx.intl;
  const other = zone && zone !== m.time_zone ? zone : undefined;
  return (
    <>
      <p>
        {t('meetings.whenIn', { zone: m.time_zone })} <time dateTime={m.starts_at.toISOString()}>{dateTimeIn(ctx, m.starts_at, m.time_zone)}</time> –{' '}
        <time dateTime={m.ends_at.toISOString()}>{dateTimeIn(ctx, m.ends_at, m.time_zone)}</time>
      </p>
      {other && (
        <p>
          {t('meetings.whenYours', { zone: other })} <span>{dateTimeIn(ctx, m.starts_at, other)}</span> – <span>{dateTimeIn(ctx, m.ends_at, other)}</span>
        </p>
      )}
    </>
  );
}

function StateLabel({ ctx, state }: { ctx: ViewContext; state: string }) {
  if (state === 'scheduled') return null;
  return <strong class="badge">{ctx.intl.t(`meetings.state.${state}`)}</strong>;
}

function MeetingList({ ctx, meetings, zone }: { ctx: ViewContext; meetings: MeetingRow[]; zone: string | undefined }) {
  const { t } = ctx.intl;
  return (
    <ul class="cards">
      {meetings.map((m) => (
        <li key={m.id}>
          <h3>
            <a href={`/meetings/${m.id}`} dir="auto">
              {m.title}
            </a>{' '}
            <StateLabel ctx={ctx} state={m.state} />
          </h3>
          <p>{t(`meetings.kind.${m.kind}`)}</p>
          <When ctx={ctx} m={m} zone={zone} />
        </li>
      ))}
    </ul>
  );
}

export function MeetingsListPage({ ctx, data }: { ctx: ViewContext; data: ListData }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('meetings.title')}>
      <h1>{t('meetings.title')}</h1>
      <p>{t('meetings.intro')}</p>
      {data.canConvene && (
        <p>
          <a href="/meetings/new" class="button">
            {t('meetings.convene')}
          </a>
        </p>
      )}
      {ctx.actor.kind === 'person' && (
        <p>
          <a href="/meetings/time-zone">{data.zone ? t('meetings.yourZone', { zone: data.zone }) : t('meetings.setZone')}</a>
        </p>
      )}
      <h2>{t('meetings.upcoming')}</h2>
      {data.upcoming.length === 0 ? <p>{t('meetings.noneUpcoming')}</p> : <MeetingList ctx={ctx} meetings={data.upcoming} zone={data.zone} />}
      <h2>{t('meetings.recent')}</h2>
      {data.recent.length === 0 ? <p>{t('meetings.noneRecent')}</p> : <MeetingList ctx={ctx} meetings={data.recent} zone={data.zone} />}
    </Layout>
  );
}

// ---- the form --------------------------------------------------------------------------------------

export function MeetingFormPage({ ctx, action, state, options, editing }: { ctx: ViewContext; action: string; state: FormState; options: FormOptions; editing: boolean }) {
  const { t, locale } = ctx.intl;
  const v = state.values;
  const e = state.errors;
  const title = editing ? t('meetings.editTitle') : t('meetings.newTitle');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} errors={e} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action={action}>
        {!editing && <ActingFor ctx={ctx} value={v.actingFor} errors={e} />}
        <Select ctx={ctx} name="kind" label={t('meetings.kindLabel')} value={v.kind} errors={e} options={MEETING_KINDS.map((k) => ({ value: k, label: t(`meetings.kind.${k}`) }))} />
        <Field ctx={ctx} name="title" label={t('meetings.titleLabel')} value={v.title} errors={e} required maxLength={MEETING_LIMITS.title} />
        <Textarea ctx={ctx} name="purpose" label={t('meetings.purpose')} hint={t('meetings.purposeHint')} value={v.purpose} errors={e} rows={4} maxLength={MEETING_LIMITS.purpose} />
        <fieldset class="field">
          <legend>{t('meetings.whenLegend')}</legend>
          <p class="hint">{t('meetings.whenHint')}</p>
          <DateTimeField ctx={ctx} name="startsAt" label={t('meetings.startsAt')} value={v.startsAt} state={state} />
          <DateTimeField ctx={ctx} name="endsAt" label={t('meetings.endsAt')} value={v.endsAt} state={state} />
          <Select ctx={ctx} name="timeZone" label={t('meetings.timeZone')} hint={t('meetings.timeZoneHint')} value={v.timeZone} errors={e} options={options.zones.map((z) => ({ value: z, label: z }))} />
        </fieldset>
        <Field ctx={ctx} name="place" label={t('meetings.place')} hint={t('meetings.placeHint')} value={v.place} errors={e} maxLength={MEETING_LIMITS.place} />
        <Field ctx={ctx} name="onlineUrl" type="url" dir="ltr" label={t('meetings.onlineUrl')} hint={t('meetings.onlineUrlHint')} value={v.onlineUrl} errors={e} maxLength={MEETING_LIMITS.link} />
        <Textarea ctx={ctx} name="accessibility" label={t('meetings.accessibility')} hint={t('meetings.accessibilityHint')} value={v.accessibility} errors={e} rows={3} maxLength={MEETING_LIMITS.accessibility} />
        <MultiSelect ctx={ctx} name="interpretation" label={t('meetings.interpretation')} hint={t('meetings.interpretationHint')} value={v.interpretation} errors={e} options={languageOptions(locale)} />
        <Radios ctx={ctx} name="audience" legend={t('meetings.audience')} value={v.audience} errors={e} options={AUDIENCES.map((a) => ({ value: a, label: t(`meetings.audienceOption.${a}`) }))} />
        <MultiSelect
          ctx={ctx}
          name="organisations"
          label={t('meetings.organisations')}
          hint={t('meetings.organisationsHint')}
          value={v.organisations}
          errors={e}
          options={options.organisations.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Select
          ctx={ctx}
          name="community"
          label={t('meetings.community')}
          hint={t('meetings.communityHint')}
          value={v.community ?? ''}
          errors={e}
          options={[{ value: '', label: t('meetings.noCommunity') }, ...options.communities.map((c) => ({ value: c.id, label: c.name }))]}
        />
        <Checkbox ctx={ctx} name="listedPublicly" label={t('meetings.listedPublicly')} hint={t('meetings.listedPubliclyHint')} checked={v.listedPublicly === 'yes'} errors={e} />
        <Checkbox ctx={ctx} name="chathamHouse" label={t('meetings.chathamHouse')} hint={t('meetings.chathamHouseHint')} checked={v.chathamHouse === 'yes'} errors={e} />
        <Checkbox ctx={ctx} name="distressing" label={t('meetings.distressing')} hint={t('meetings.distressingHint')} checked={v.distressing === 'yes'} errors={e} />
        <Field ctx={ctx} name="capacity" inputmode="numeric" label={t('meetings.capacity')} hint={t('meetings.capacityHint')} value={v.capacity} errors={e} maxLength={5} />
        <Field ctx={ctx} name="agendaDays" inputmode="numeric" label={t('meetings.agendaDays')} hint={t('meetings.agendaDaysHint')} value={v.agendaDays} errors={e} maxLength={2} />
        <Select
          ctx={ctx}
          name="series"
          label={t('meetings.series')}
          value={v.series ?? ''}
          errors={e}
          options={[{ value: '', label: t('meetings.noSeries') }, ...options.series.map((s) => ({ value: s.id, label: s.title }))]}
        />
        <Field ctx={ctx} name="newSeries" label={t('meetings.newSeries')} hint={t('meetings.newSeriesHint')} value={v.newSeries} errors={e} maxLength={MEETING_LIMITS.series} />
        <button type="submit">{editing ? t('meetings.save') : t('meetings.createDraft')}</button>
      </Form>
    </Layout>
  );
}

/** A wall-clock time in the chosen zone: the browser's picker where there is one, text otherwise. */
function DateTimeField({ ctx, name, label, value, state }: { ctx: ViewContext; name: string; label: string; value: unknown; state: FormState }) {
  const error = state.errors[name];
  const hintId = `${name}-hint`;
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <span class="hint" id={hintId}>
        {ctx.intl.t('meetings.dateTimeHint')}
      </span>
      {error && (
        <span class="field-error" id={`${name}-error`}>
          {ctx.intl.t(error.key, error.values)}
        </span>
      )}
      <input
        id={name}
        name={name}
        type="datetime-local"
        value={typeof value === 'string' ? value : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${hintId} ${name}-error` : hintId}
        dir="ltr"
      />
    </div>
  );
}

// ---- the meeting page -------------------------------------------------------------------------------

export function MeetingPage({ ctx, data, forms, jsonLd }: { ctx: ViewContext; data: PageData; forms: MeetingForms; jsonLd?: string }) {
  const { t, locale, number } = ctx.intl;
  const m = data.meeting;
  const inside = data.inside;
  const a = data.access;
  const signedIn = ctx.actor.kind === 'person';
  return (
    <Layout ctx={ctx} title={m.title}>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: JSON from exchange.ts (JSON.stringify with "<" escaped), in a data block that never runs */}
      {jsonLd && <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />}
      <p>
        <a href="/meetings">{t('meetings.back')}</a>
      </p>
      <h1 dir="auto">{m.title}</h1>
      <p>
        {t(`meetings.kind.${m.kind}`)} · {t('meetings.convenedBy', { organisation: data.convenerName })} <StateLabel ctx={ctx} state={m.state} />
      </p>
      {m.state === 'cancelled' && <p class="warning">{t('meetings.cancelledNotice')}</p>}
      <h2>{t('meetings.when')}</h2>
      <When ctx={ctx} m={m} zone={data.zone} />
      {signedIn && (
        <p>
          <a href="/meetings/time-zone">{data.zone ? t('meetings.changeZone') : t('meetings.setZone')}</a>
        </p>
      )}
      <h2>{t('meetings.where')}</h2>
      {m.place && <p dir="auto">{m.place}</p>}
      {a.invited && m.online_url ? (
        <p>
          {t('meetings.onlineLink')}{' '}
          <a href={m.online_url} rel="noopener noreferrer" dir="ltr" class="break">
            {m.online_url}
          </a>
        </p>
      ) : (
        m.online_url && <p>{t('meetings.onlineForInvitees')}</p>
      )}
      {m.purpose && (
        <>
          <h2>{t('meetings.purpose')}</h2>
          <p dir="auto" class="pre">
            {m.purpose}
          </p>
        </>
      )}
      {(m.accessibility || m.interpretation.length > 0) && (
        <>
          <h2>{t('meetings.access')}</h2>
          {m.accessibility && (
            <p dir="auto" class="pre">
              {m.accessibility}
            </p>
          )}
          {m.interpretation.length > 0 && <p>{t('meetings.interpretationOffered', { languages: listOf(ctx, m.interpretation.map((c) => languageName(locale, c))) })}</p>}
        </>
      )}
      {m.chatham_house && <p class="warning">{t('meetings.chathamHouseNotice')}</p>}
      {m.distressing && (
        <p class="warning">
          {t('meetings.distressingNotice')} <a href="/support">{t('meetings.supportLink')}</a>
        </p>
      )}
      {data.series && (
        <section aria-labelledby="series-title">
          <h2 id="series-title">{t('meetings.seriesTitle', { series: data.series.title })}</h2>
          {data.seriesMeetings.length === 0 ? (
            <p>{t('meetings.seriesNoOthers')}</p>
          ) : (
            <ul>
              {data.seriesMeetings.map((s) => (
                <li key={s.id}>
                  <a href={`/meetings/${s.id}`} dir="auto">
                    {s.title}
                  </a>{' '}
                  ({dateTimeIn(ctx, s.starts_at, s.time_zone)}) <StateLabel ctx={ctx} state={s.state} />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {a.invited && (
        <nav aria-label={t('meetings.pagesOfMeeting')}>
          <ul>
            <li>
              <a href={`/meetings/${m.id}/agenda`}>{t('meetings.agendaLink')}</a>
            </li>
            <li>
              <a href={`/meetings/${m.id}/minutes`}>{t('meetings.minutesLink')}</a>
            </li>
            {m.kind === 'agm' && (
              <li>
                <a href={`/meetings/${m.id}/motions`}>{t('meetings.motionsLink')}</a>
              </li>
            )}
            <li>
              <a href="/calendar">{t('meetings.calendarLink')}</a>
            </li>
          </ul>
        </nav>
      )}
      {inside && a.organiser && <OrganiserSection ctx={ctx} m={m} form={forms.state} />}
      {inside && <RolesSection ctx={ctx} data={data} inside={inside} forms={forms} />}
      {inside && <ReplySection ctx={ctx} m={m} inside={inside} form={forms.reply} />}
      {inside && (
        <section aria-labelledby="counts-title">
          <h2 id="counts-title">{t('meetings.counts')}</h2>
          {inside.counts.length === 0 ? (
            <p>{t('meetings.noReplies')}</p>
          ) : (
            <TableWrap label={t('meetings.counts')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('meetings.organisation')}</th>
                    {ANSWERS.map((x) => (
                      <th scope="col" key={x}>
                        {t(`meetings.answer.${x}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...new Set(inside.counts.map((c) => c.organisation_id ?? ''))].map((org) => {
                    const rows = inside.counts.filter((c) => (c.organisation_id ?? '') === org);
                    return (
                      <tr key={org}>
                        <th scope="row">{rows[0]?.name ?? t('meetings.noOrganisation')}</th>
                        {ANSWERS.map((x) => (
                          <td key={x}>{number(Number(rows.find((r) => r.answer === x)?.n ?? 0))}</td>
                        ))}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      )}
      {inside && a.organiser && (
        <section aria-labelledby="needs-title">
          <h2 id="needs-title">{t('meetings.needsTitle')}</h2>
          <p>{t('meetings.needsPrivacy')}</p>
          {m.needs_erased_at ? (
            <p>{t('meetings.needsErased')}</p>
          ) : inside.needs.length === 0 ? (
            <p>{t('meetings.noNeeds')}</p>
          ) : (
            <ul>
              {inside.needs.map((n) => (
                <li key={n.person_id}>
                  <strong>{n.pseudonym ?? n.display_name}</strong>: <span dir="auto">{n.needs}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Layout>
  );
}

function OrganiserSection({ ctx, m, form }: { ctx: ViewContext; m: MeetingRow; form: FormState | undefined }) {
  const { t } = ctx.intl;
  return (
    <section aria-labelledby="organise-title">
      <h2 id="organise-title">{t('meetings.organise')}</h2>
      <ErrorSummary ctx={ctx} errors={form?.errors ?? {}} summaryKey={form?.summaryKey} />
      <ul>
        {m.state !== 'cancelled' && (
          <li>
            <a href={`/meetings/${m.id}/edit`}>{t('meetings.edit')}</a>
          </li>
        )}
        {m.state === 'scheduled' && (
          <li>
            <a href={`/meetings/${m.id}/check-in`}>{t('meetings.checkInLink')}</a>
          </li>
        )}
      </ul>
      {m.state === 'draft' && (
        <>
          <p>{t('meetings.scheduleHint')}</p>
          <PostButton ctx={ctx} action={`/meetings/${m.id}/schedule`} label={t('meetings.schedule')} />
        </>
      )}
      {m.state !== 'cancelled' && (
        <>
          <p>{t('meetings.cancelHint')}</p>
          <PostButton ctx={ctx} action={`/meetings/${m.id}/cancel`} label={t('meetings.cancel')} secondary />
        </>
      )}
    </section>
  );
}

function RolesSection({ ctx, data, inside, forms }: { ctx: ViewContext; data: PageData; inside: NonNullable<PageData['inside']>; forms: MeetingForms }) {
  const { t } = ctx.intl;
  const a = data.access;
  const m = data.meeting;
  const offer = forms.offer ?? EMPTY;
  const answer = forms.answer ?? EMPTY;
  return (
    <section id="roles" aria-labelledby="roles-title">
      <h2 id="roles-title">{t('meetings.rolesTitle')}</h2>
      <p>{t('meetings.rolesIntro')}</p>
      <ul>
        {inside.roles.map((r) => (
          <li key={`${r.person_id}-${r.role}`}>
            {t(`meetings.role.${r.role}`)}: {r.pseudonym ?? r.display_name}
            {r.organisation_name && <> ({r.organisation_name})</>} · {t(`meetings.roleState.${r.state}`)}
          </li>
        ))}
      </ul>
      <ErrorSummary ctx={ctx} errors={answer.errors} summaryKey={answer.summaryKey} />
      {a.offeredRoles.map((role) => (
        <div key={role}>
          <p>{t('meetings.offered', { role: t(`meetings.role.${role}`) })}</p>
          {/* The person says which organisation they hold the role for: the offer names none. */}
          <Form ctx={ctx} action={`/meetings/${m.id}/roles/answer`}>
            <input type="hidden" name="role" value={role} />
            <input type="hidden" name="answer" value="accept" />
            <ActingFor ctx={ctx} value={answer.values.role === role ? answer.values.actingFor : undefined} errors={answer.values.role === role ? answer.errors : {}} />
            <button type="submit">{t('meetings.accept')}</button>
          </Form>
          <PostButton ctx={ctx} action={`/meetings/${m.id}/roles/answer`} label={t('meetings.decline')} hidden={{ role, answer: 'decline' }} secondary />
        </div>
      ))}
      {a.organiser && m.state !== 'cancelled' && (
        <>
          <h3>{t('meetings.offerTitle')}</h3>
          {inside.oneOrganisationChairs && <p class="warning">{t('meetings.sharedFacilitation')}</p>}
          <ErrorSummary ctx={ctx} errors={offer.errors} summaryKey={offer.summaryKey} />
          <Form ctx={ctx} action={`/meetings/${m.id}/roles`}>
            <Radios
              ctx={ctx}
              name="role"
              legend={t('meetings.roleLegend')}
              value={offer.values.role ?? 'chair'}
              errors={offer.errors}
              options={(['chair', 'minute_taker'] as const).map((r) => ({ value: r, label: t(`meetings.role.${r}`) }))}
            />
            <Select
              ctx={ctx}
              name="candidate"
              label={t('meetings.candidate')}
              hint={t('meetings.candidateHint')}
              value={offer.values.candidate}
              errors={offer.errors}
              options={[
                { value: '', label: t('meetings.chooseCandidate') },
                ...inside.candidates.map((c) => ({
                  value: c.id,
                  label: c.organisations.length > 0 ? `${c.name} (${listOf(ctx, c.organisations)})` : c.name,
                })),
              ]}
            />
            <button type="submit">{t('meetings.offer')}</button>
          </Form>
        </>
      )}
    </section>
  );
}

function ReplySection({ ctx, m, inside, form }: { ctx: ViewContext; m: MeetingRow; inside: NonNullable<PageData['inside']>; form: FormState | undefined }) {
  const { t } = ctx.intl;
  const mine = inside.mine;
  const state = form ?? { values: mine ? { answer: mine.answer ?? undefined, organisation: mine.organisation_id ?? undefined, needs: mine.needs ?? undefined, named: mine.named_in_minutes ? 'yes' : undefined } : {}, errors: {} };
  const v = state.values;
  return (
    <section id="reply" aria-labelledby="reply-title">
      <h2 id="reply-title">{t('meetings.replyTitle')}</h2>
      {mine?.answer && <p>{t('meetings.yourAnswer', { answer: t(`meetings.answer.${mine.answer}`) })}</p>}
      {!inside.open ? (
        <p>{t('meetings.replyClosed')}</p>
      ) : (
        <>
          <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
          <Form ctx={ctx} action={`/meetings/${m.id}/reply`}>
            <Radios ctx={ctx} name="answer" legend={t('meetings.answerLegend')} value={v.answer} errors={state.errors} options={ANSWERS.map((x) => ({ value: x, label: t(`meetings.answer.${x}`) }))} />
            {inside.replyOrganisations.length > 1 && (
              <Radios
                ctx={ctx}
                name="organisation"
                legend={t('meetings.replyFor')}
                value={v.organisation}
                errors={state.errors}
                options={inside.replyOrganisations.map((o) => ({ value: o.id, label: o.name }))}
              />
            )}
            <Textarea ctx={ctx} name="needs" label={t('meetings.needs')} hint={t('meetings.needsHint')} value={v.needs} errors={state.errors} rows={3} maxLength={MEETING_LIMITS.needs} />
            {!inside.pseudonymous && <Checkbox ctx={ctx} name="named" label={t('meetings.named')} hint={t('meetings.namedHint')} checked={v.named === 'yes'} errors={state.errors} />}
            <button type="submit">{t('meetings.sendReply')}</button>
          </Form>
        </>
      )}
    </section>
  );
}

// ---- check-in ------------------------------------------------------------------------------------------

export function CheckInPage({ ctx, data, form }: { ctx: ViewContext; data: CheckInData; form?: FormState | undefined }) {
  const { t, number } = ctx.intl;
  const m = data.meeting;
  const title = t('meetings.checkInTitle', { title: m.title });
  const errors = form?.errors ?? {};
  // No choice of organisation here: which one someone comes for is theirs to say, in their reply.
  const checkInButton = (personId: string) => (
    <Form ctx={ctx} action={`/meetings/${m.id}/check-in`} class="inline">
      <input type="hidden" name="person" value={personId} />
      {data.q && <input type="hidden" name="q" value={data.q} />}
      <button type="submit">{t('meetings.checkIn')}</button>
    </Form>
  );
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={`/meetings/${m.id}`}>{t('meetings.backToMeeting')}</a>
      </p>
      <h1 dir="auto">{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={form?.summaryKey} />
      <p>{t('meetings.checkInOrganisationHint')}</p>
      {m.kind === 'agm' && <p>{t('meetings.organisationsCheckedIn', { count: number(data.organisationsCheckedIn) })}</p>}
      <h2>{t('meetings.replied')}</h2>
      {data.replied.length === 0 ? (
        <p>{t('meetings.noReplies')}</p>
      ) : (
        // A card per person, not a table: at the door the chair checks people in on a phone, and
        // a table's last column (the button) was off its screen.
        <ul class="cards" aria-label={t('meetings.replied')}>
          {data.replied.map((r) => (
            <li key={r.person_id}>
              <strong dir="auto">{r.pseudonym ?? r.display_name}</strong>
              <dl class="facts">
                <dt>{t('meetings.organisation')}</dt>
                <dd dir="auto">{r.organisation_name ?? '—'}</dd>
                <dt>{t('meetings.answerLegend')}</dt>
                <dd>{r.answer ? t(`meetings.answer.${r.answer}`) : '—'}</dd>
                <dt>{t('meetings.checkedIn')}</dt>
                <dd>{r.checked_in_at ? dateTimeIn(ctx, r.checked_in_at, m.time_zone) : checkInButton(r.person_id)}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('meetings.searchOthers')}</h2>
      <form method="get" action={`/meetings/${m.id}/check-in`} class="filters" novalidate>
        <Field ctx={ctx} name="q" label={t('meetings.searchLabel')} value={data.q} errors={{}} maxLength={MEETING_LIMITS.search} />
        <button type="submit">{t('meetings.search')}</button>
      </form>
      {data.q &&
        (data.found.length === 0 ? (
          <p>{t('meetings.noneFound')}</p>
        ) : (
          <ul>
            {data.found.map((p) => (
              <li key={p.id}>
                {p.name} {checkInButton(p.id)}
              </li>
            ))}
          </ul>
        ))}
    </Layout>
  );
}

// ---- the reader's zone ----------------------------------------------------------------------------------

export function TimeZonePage({ ctx, zones, state }: { ctx: ViewContext; zones: string[]; state: FormState }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('meetings.zoneTitle')}>
      <p>
        <a href="/meetings">{t('meetings.back')}</a>
      </p>
      <h1>{t('meetings.zoneTitle')}</h1>
      <p>{t('meetings.zoneIntro')}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
      <Form ctx={ctx} action="/meetings/time-zone">
        <Select
          ctx={ctx}
          name="timeZone"
          label={t('meetings.timeZone')}
          value={state.values.timeZone ?? ''}
          errors={state.errors}
          options={[{ value: '', label: t('meetings.chooseZone') }, ...zones.map((z) => ({ value: z, label: z }))]}
        />
        <button type="submit">{t('meetings.saveZone')}</button>
      </Form>
    </Layout>
  );
}
