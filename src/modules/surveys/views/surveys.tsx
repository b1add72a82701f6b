import { QUESTION_KINDS } from '../../../db/schema/surveys.ts';
import { languageName, languageOptions } from '../../../platform/languages.ts';
import { ActingFor, Checkbox, Checkboxes, ErrorSummary, Field, Form, MultiSelect, PostButton, Radios, Select, TableWrap, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { EMPTY, type FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';
import type { CrossTab, OptionCount, QuestionResult } from '../results.ts';
import type { Question } from '../surveys.repository.ts';
import { AUDIENCES, SURVEY_LIMITS } from '../surveys.schemas.ts';
import type { SurveysService } from '../surveys.service.ts';

type ListData = Awaited<ReturnType<SurveysService['list']>>;
type SurveyData = Awaited<ReturnType<SurveysService['survey']>>;
type ResultsData = Awaited<ReturnType<SurveysService['results']>>;
type Options = Awaited<ReturnType<SurveysService['formOptions']>>;
type TextData = Awaited<ReturnType<SurveysService['nextText']>>;

const field = (q: { id: string }) => `q_${q.id}`;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function SurveyForm({ ctx, options, state, action, creating }: { ctx: ViewContext; options: Options; state: FormState; action: string; creating: boolean }) {
  const { t, locale } = ctx.intl;
  const v = state.values;
  const e = state.errors;
  return (
    <Form ctx={ctx} action={action}>
      {creating && <ActingFor ctx={ctx} value={v.actingFor} errors={e} />}
      <Field ctx={ctx} name="title" label={t('surveys.titleField')} value={v.title} errors={e} required maxLength={SURVEY_LIMITS.title} />
      <Textarea ctx={ctx} name="intro" label={t('surveys.intro')} hint={t('surveys.introHint')} value={v.intro ?? ''} errors={e} rows={4} maxLength={SURVEY_LIMITS.intro} />
      <Select ctx={ctx} name="language" label={t('surveys.language')} value={v.language ?? ctx.intl.locale} errors={e} options={languageOptions(locale)} />
      <Radios ctx={ctx} name="audience" legend={t('surveys.audience')} hint={t('surveys.audienceHint')} options={AUDIENCES.map((a) => ({ value: a, label: t(`surveys.audiences.${a}`) }))} value={v.audience} errors={e} />
      <MultiSelect ctx={ctx} name="organisations" label={t('surveys.organisations')} hint={t('surveys.organisationsHint')} options={options.organisations.map((o) => ({ value: o.id, label: o.name }))} value={v.organisations} errors={e} />
      <Select ctx={ctx} name="community" label={t('surveys.community')} value={v.community ?? ''} errors={e} options={[{ value: '', label: t('surveys.noCommunity') }, ...options.communities.map((c) => ({ value: c.id, label: c.name }))]} />
      <Field ctx={ctx} name="opensOn" label={t('surveys.opensOn')} hint={t('surveys.opensOnHint')} value={v.opensOn} errors={e} maxLength={10} dir="ltr" />
      <Field ctx={ctx} name="closesOn" label={t('surveys.closesOn')} hint={t('surveys.closesOnHint')} value={v.closesOn} errors={e} required maxLength={10} dir="ltr" />
      <Field ctx={ctx} name="minGroup" label={t('surveys.minGroup')} hint={t('surveys.minGroupHint')} value={v.minGroup ?? '5'} errors={e} inputmode="numeric" maxLength={4} />
      <button type="submit">{creating ? t('surveys.create') : t('surveys.saveDetails')}</button>
    </Form>
  );
}

export function SurveysPage({ ctx, data, options, state = EMPTY }: { ctx: ViewContext; data: ListData; options?: Options; state?: FormState }) {
  const { t, date } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0 || state.summaryKey !== undefined;
  const title = t('surveys.title');
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <p>{t('surveys.pageIntro')}</p>
      {data.surveys.length === 0 ? (
        <p>{t('surveys.none')}</p>
      ) : (
        <ul class="cards">
          {data.surveys.map((s) => (
            <li key={s.id}>
              <h2>
                <a href={`/surveys/${s.id}`} lang={s.language} dir="auto">
                  {s.title}
                </a>
              </h2>
              <p class="muted">
                {t(`surveys.states.${s.now}`)} · {t('surveys.closes', { date: date(s.closes_at) })}
                {s.organisation_name && (
                  <>
                    {' '}
                    · <span dir="auto">{s.organisation_name}</span>
                  </>
                )}
                {s.answered && ` · ${t('surveys.youAnswered')}`}
              </p>
              {s.now === 'closed' && (
                <p>
                  <a href={`/surveys/${s.id}/results`}>{t('surveys.seeResults')}</a>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {options && (
        <section aria-labelledby="new-survey">
          <h2 id="new-survey">{t('surveys.new')}</h2>
          <p>{t('surveys.newIntro')}</p>
          <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
          <SurveyForm ctx={ctx} options={options} state={state} action="/surveys" creating />
        </section>
      )}
    </Layout>
  );
}

function QuestionInputs({ ctx, q, values, errors }: { ctx: ViewContext; q: Question; values: Record<string, unknown>; errors: FormState['errors'] }) {
  const { t } = ctx.intl;
  const name = field(q);
  // Every answer field is read as a list (answerValues): one value where one is meant.
  const one = [values[name]].flat()[0];
  values = { ...values, [name]: q.kind === 'multiple' ? values[name] : one };
  const label = q.optional ? t('surveys.optionalQuestion', { question: q.text }) : q.text;
  const hint = q.help || undefined;
  if (q.kind === 'single') return <Radios ctx={ctx} name={name} legend={label} hint={hint} options={q.options.map((o, i) => ({ value: String(i), label: o }))} value={values[name]} errors={errors} />;
  if (q.kind === 'multiple') return <Checkboxes ctx={ctx} name={name} legend={label} hint={hint ?? t('surveys.chooseAny')} options={q.options.map((o, i) => ({ value: String(i), label: o }))} value={values[name]} errors={errors} required={!q.optional} />;
  if (q.kind === 'scale') {
    const min = q.scale_min ?? 1;
    const max = q.scale_max ?? 5;
    const options = Array.from({ length: max - min + 1 }, (_, i) => {
      const n = min + i;
      const end = n === min ? q.scale_min_label : n === max ? q.scale_max_label : null;
      return { value: String(n), label: end ? `${ctx.intl.number(n)} (${end})` : ctx.intl.number(n) };
    });
    return <Radios ctx={ctx} name={name} legend={label} hint={hint} options={options} value={values[name]} errors={errors} />;
  }
  if (q.kind === 'short') return <Field ctx={ctx} name={name} label={label} hint={hint} value={values[name]} errors={errors} required={!q.optional} maxLength={SURVEY_LIMITS.shortText} />;
  return <Textarea ctx={ctx} name={name} label={label} hint={hint} value={typeof values[name] === 'string' ? values[name] : ''} errors={errors} rows={5} maxLength={SURVEY_LIMITS.text} required={!q.optional} />;
}

function AnswerForm({ ctx, data, state, action }: { ctx: ViewContext; data: SurveyData; state: FormState; action: string }) {
  const { t } = ctx.intl;
  const unsectioned = data.questions.filter((q) => !q.section_id);
  return (
    <Form ctx={ctx} action={action}>
      <p class="notice-plain">{t('surveys.anonymity', { k: data.survey.min_group })}</p>
      {unsectioned.map((q) => (
        <QuestionInputs ctx={ctx} q={q} values={state.values} errors={state.errors} key={q.id} />
      ))}
      {data.sections.map((s) => (
        <section key={s.id} aria-labelledby={`section-${s.id}`}>
          <h2 id={`section-${s.id}`} dir="auto">
            {s.title}
          </h2>
          {data.questions
            .filter((q) => q.section_id === s.id)
            .map((q) => (
              <QuestionInputs ctx={ctx} q={q} values={state.values} errors={state.errors} key={q.id} />
            ))}
        </section>
      ))}
      <button type="submit">{t('surveys.send')}</button>
    </Form>
  );
}

function Builder({ ctx, data, options, forms }: { ctx: ViewContext; data: SurveyData; options: Options; forms: SurveyForms }) {
  const { t } = ctx.intl;
  const s = data.survey;
  const id = s.id;
  const details: FormState = forms.details ?? {
    values: {
      title: s.title,
      intro: s.intro,
      language: s.language,
      audience: s.audience,
      organisations: data.organisations.map((o) => o.organisation_id),
      community: s.community_id ?? '',
      opensOn: s.opened_at ? isoDay(s.opened_at) : '',
      closesOn: isoDay(s.closes_at),
      minGroup: String(s.min_group),
    },
    errors: {},
  };
  const q = forms.question ?? { values: { kind: 'single' }, errors: {} };
  const sec = forms.section ?? EMPTY;
  return (
    <>
      <section aria-labelledby="details">
        <h2 id="details">{t('surveys.details')}</h2>
        <ErrorSummary ctx={ctx} errors={details.errors} summaryKey={details.summaryKey} />
        <SurveyForm ctx={ctx} options={options} state={details} action={`/surveys/${id}`} creating={false} />
      </section>
      <section aria-labelledby="questions">
        <h2 id="questions">{t('surveys.questions', { count: data.questions.length })}</h2>
        {data.questions.length === 0 ? (
          <p>{t('surveys.noQuestions')}</p>
        ) : (
          <ol>
            {data.questions.map((x) => (
              <li key={x.id}>
                <span dir="auto">{x.text}</span> <span class="muted">({t(`surveys.kinds.${x.kind}`)}{x.optional ? `, ${t('surveys.optional')}` : ''})</span>
                {x.options.length > 0 && <span class="muted"> — {x.options.join(' · ')}</span>}{' '}
                <a href={`/surveys/${id}/questions/${x.id}`} aria-label={t('surveys.editQuestionOf', { question: x.text })}>
                  {t('surveys.editQuestion')}
                </a>{' '}
                <PostButton ctx={ctx} action={`/surveys/${id}/questions/${x.id}/remove`} label={t('surveys.removeQuestion')} secondary />
              </li>
            ))}
          </ol>
        )}
        <h3>{t('surveys.addQuestion')}</h3>
        <ErrorSummary ctx={ctx} errors={q.errors} summaryKey={q.summaryKey} />
        <Form ctx={ctx} action={`/surveys/${id}/questions`}>
          <QuestionFields ctx={ctx} state={q} sections={data.sections} />
          <button type="submit">{t('surveys.addQuestionButton')}</button>
        </Form>
        <h3>{t('surveys.addSection')}</h3>
        <ErrorSummary ctx={ctx} errors={sec.errors} summaryKey={sec.summaryKey} />
        <Form ctx={ctx} action={`/surveys/${id}/sections`}>
          <Field ctx={ctx} name="sectionTitle" label={t('surveys.sectionTitle')} value={sec.values.sectionTitle} errors={sec.errors} required maxLength={SURVEY_LIMITS.section} />
          <button type="submit">{t('surveys.addSectionButton')}</button>
        </Form>
      </section>
      <section aria-labelledby="open">
        <h2 id="open">{t('surveys.openIt')}</h2>
        <p>{t('surveys.openIntro')}</p>
        <PostButton ctx={ctx} action={`/surveys/${id}/open`} label={t('surveys.openButton')} />
      </section>
    </>
  );
}

/** The builder's fields for one question: the same when adding one and when editing it. */
function QuestionFields({ ctx, state, sections }: { ctx: ViewContext; state: FormState; sections: SurveyData['sections'] }) {
  const { t } = ctx.intl;
  return (
    <>
      <Select ctx={ctx} name="kind" label={t('surveys.kind')} value={state.values.kind} errors={state.errors} options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`surveys.kinds.${k}`) }))} />
      <Field ctx={ctx} name="text" label={t('surveys.questionText')} value={state.values.text} errors={state.errors} required maxLength={SURVEY_LIMITS.question} />
      <Field ctx={ctx} name="help" label={t('surveys.questionHelp')} value={state.values.help} errors={state.errors} maxLength={SURVEY_LIMITS.help} />
      <Textarea ctx={ctx} name="options" label={t('surveys.options')} hint={t('surveys.optionsHint')} value={state.values.options ?? ''} errors={state.errors} rows={4} />
      <div class="row">
        <Select ctx={ctx} name="scaleMin" label={t('surveys.scaleMin')} value={state.values.scaleMin ?? '1'} errors={state.errors} options={['0', '1'].map((x) => ({ value: x, label: x }))} />
        <Select ctx={ctx} name="scaleMax" label={t('surveys.scaleMax')} value={state.values.scaleMax ?? '5'} errors={state.errors} options={['2', '3', '4', '5', '6', '7', '8', '9', '10'].map((x) => ({ value: x, label: x }))} />
      </div>
      <Field ctx={ctx} name="scaleMinLabel" label={t('surveys.scaleMinLabel')} value={state.values.scaleMinLabel} errors={state.errors} maxLength={60} />
      <Field ctx={ctx} name="scaleMaxLabel" label={t('surveys.scaleMaxLabel')} value={state.values.scaleMaxLabel} errors={state.errors} maxLength={60} />
      {sections.length > 0 && (
        <Select ctx={ctx} name="section" label={t('surveys.section')} value={state.values.section ?? ''} errors={state.errors} options={[{ value: '', label: t('surveys.noSection') }, ...sections.map((x) => ({ value: x.id, label: x.title }))]} />
      )}
      <Checkbox ctx={ctx} name="optional" label={t('surveys.optionalBox')} checked={state.values.optional === 'yes'} errors={state.errors} />
    </>
  );
}

/** One question of a draft, edited on its own page: its answers do not exist yet. */
export function QuestionEditPage({ ctx, data, question, state }: { ctx: ViewContext; data: SurveyData; question: Question; state?: FormState }) {
  const { t } = ctx.intl;
  const id = data.survey.id;
  const form = state ?? {
    values: {
      kind: question.kind,
      text: question.text,
      help: question.help,
      options: question.options.join('\n'),
      scaleMin: question.scale_min === null ? undefined : String(question.scale_min),
      scaleMax: question.scale_max === null ? undefined : String(question.scale_max),
      scaleMinLabel: question.scale_min_label ?? '',
      scaleMaxLabel: question.scale_max_label ?? '',
      section: question.section_id ?? '',
      optional: question.optional ? 'yes' : '',
    },
    errors: {},
  };
  const failed = Object.keys(form.errors).length > 0 || form.summaryKey !== undefined;
  const title = t('surveys.editQuestionTitle');
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <p class="muted">
        <a href={`/surveys/${id}`} dir="auto">
          {data.survey.title}
        </a>
      </p>
      <h1>{title}</h1>
      <p dir="auto">{question.text}</p>
      <ErrorSummary ctx={ctx} errors={form.errors} summaryKey={form.summaryKey} />
      <Form ctx={ctx} action={`/surveys/${id}/questions/${question.id}`}>
        <QuestionFields ctx={ctx} state={form} sections={data.sections} />
        <button type="submit">{t('surveys.saveQuestion')}</button>
      </Form>
      <p>
        <a href={`/surveys/${id}`}>{t('surveys.backToBuilder')}</a>
      </p>
    </Layout>
  );
}

export interface SurveyForms {
  details?: FormState;
  question?: FormState;
  section?: FormState;
  answer?: FormState;
  action?: FormState;
}

export function SurveyPage({ ctx, data, options, forms = {}, action }: { ctx: ViewContext; data: SurveyData; options?: Options; forms?: SurveyForms; action?: string }) {
  const { t, date, number } = ctx.intl;
  const s = data.survey;
  const failed = Object.values(forms).some((f) => f && (Object.keys(f.errors).length > 0 || f.summaryKey));
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: s.title }) : s.title}>
      <p class="muted">
        <a href="/surveys">{t('surveys.title')}</a> · {t(`surveys.states.${data.now}`)}
      </p>
      <h1 lang={s.language} dir="auto">
        {s.title}
      </h1>
      {s.intro && (
        <p dir="auto" lang={s.language}>
          {s.intro}
        </p>
      )}
      <p class="muted">
        {s.organisation_name ? t('surveys.runBy', { organisation: s.organisation_name }) : t('surveys.runByConvener')} · {t('surveys.closes', { date: date(s.closes_at) })} · {languageName(ctx.intl.locale, s.language)}
      </p>
      {forms.action && <ErrorSummary ctx={ctx} errors={forms.action.errors} summaryKey={forms.action.summaryKey} />}
      {/* A builder's form sent after the survey opened: the page is no longer the builder, so say why here. */}
      {data.now !== 'draft' &&
        [forms.details, forms.question, forms.section].map((f, i) => f && <ErrorSummary ctx={ctx} errors={f.errors} summaryKey={f.summaryKey} key={i} />)}
      {data.organiser && data.now === 'draft' && options ? (
        <Builder ctx={ctx} data={data} options={options} forms={forms} />
      ) : (
        <>
          {data.organiser && (
            <section aria-labelledby="running">
              <h2 id="running">{t('surveys.running')}</h2>
              <p>{t('surveys.answeredCount', { count: data.respondents ?? 0, shown: number(data.respondents ?? 0) })}</p>
              {data.link && (
                <p>
                  {t('surveys.linkIs')} <code dir="ltr" class="break">{data.link}</code>
                </p>
              )}
              {data.now === 'open' || data.now === 'scheduled' ? (
                <div class="actions">
                  {s.audience !== 'link' && !s.reminded_at && <PostButton ctx={ctx} action={`/surveys/${s.id}/reminders`} label={t('surveys.remind')} secondary />}
                  <PostButton ctx={ctx} action={`/surveys/${s.id}/close`} label={t('surveys.closeNow')} secondary />
                </div>
              ) : (
                <p>
                  <a href={`/surveys/${s.id}/results`}>{t('surveys.seeResults')}</a> · <a href={`/surveys/${s.id}/texts`}>{t('surveys.readTexts')}</a>
                </p>
              )}
            </section>
          )}
          {forms.answer && (data.now !== 'open' || data.answered) && <ErrorSummary ctx={ctx} errors={forms.answer.errors} summaryKey={forms.answer.summaryKey} />}
          {data.reached && data.now === 'open' && !data.answered && (
            <section aria-labelledby="answer">
              <h2 id="answer">{t('surveys.yourAnswers')}</h2>
              <ErrorSummary ctx={ctx} errors={forms.answer?.errors ?? {}} summaryKey={forms.answer?.summaryKey} />
              <AnswerForm ctx={ctx} data={data} state={forms.answer ?? EMPTY} action={action ?? `/surveys/${s.id}/answers`} />
            </section>
          )}
          {data.reached && data.answered && <p>{t('surveys.thanks')}</p>}
          {data.now === 'scheduled' && <p>{t('surveys.opensLater', { date: date(s.opened_at ?? s.closes_at) })}</p>}
          {data.now === 'closed' && !data.organiser && (
            <p>
              {t('surveys.closedNow')} <a href={`/surveys/${s.id}/results`}>{t('surveys.seeResults')}</a>
            </p>
          )}
        </>
      )}
    </Layout>
  );
}

export function AnsweredPage({ ctx, title }: { ctx: ViewContext; title: string }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={title}>
      <h1 dir="auto">{title}</h1>
      <p>{t('surveys.thanks')}</p>
    </Layout>
  );
}

// ---- results ------------------------------------------------------------------------------------

const BAR_WIDTH = 220;

/** Bars drawn on the server; the table beside it says the same in words and is what a screen reader reads. */
function Bars({ ctx, options, label }: { ctx: ViewContext; options: OptionCount[]; label: string }) {
  const max = Math.max(1, ...options.map((o) => o.count ?? 0));
  const rowHeight = 22;
  const height = options.length * rowHeight + 4;
  return (
    <svg class="chart" viewBox={`0 0 300 ${height}`} width="300" height={height} role="img" aria-label={label}>
      {options.map((o, i) => {
        const w = o.count === null ? 0 : Math.max(2, Math.round((o.count / max) * BAR_WIDTH));
        const y = i * rowHeight + 2;
        return (
          <g key={o.label}>
            <title>{`${o.label}: ${o.count === null ? ctx.intl.t('surveys.fewer', { k: '' }) : ctx.intl.number(o.count)}`}</title>
            <text x="4" y={y + 15} font-size="12" fill="#1a1a1a">
              {ctx.intl.number(i + 1)}
            </text>
            {o.count === null ? (
              <rect x="30" y={y + 3} width={BAR_WIDTH} height="14" fill="none" stroke="#767676" stroke-dasharray="3 3" />
            ) : (
              <rect x="30" y={y + 3} width={w} height="14" fill="#1d4f91" />
            )}
            <text x={o.count === null ? 36 : 36 + w} y={y + 15} font-size="12" fill="#1a1a1a">
              {o.count === null ? '—' : ctx.intl.number(o.count)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

const countText = (ctx: ViewContext, n: number | null, k: number) => (n === null ? ctx.intl.t('surveys.fewer', { k }) : ctx.intl.number(n));

function ResultBlock({ ctx, r, k, index }: { ctx: ViewContext; r: QuestionResult; k: number; index: number }) {
  const { t } = ctx.intl;
  const id = `result-${index}`;
  const options = r.kind === 'text' ? [] : r.options.map((o) => (o.none ? { ...o, label: t('surveys.noAnswer') } : o));
  return (
    <section aria-labelledby={id} class="result">
      <h2 id={id} dir="auto">
        {r.question.text}
      </h2>
      {r.kind === 'text' && <p class="muted">{r.answered === null ? t('surveys.answeredFew', { k }) : t('surveys.answeredN', { count: r.answered, shown: ctx.intl.number(r.answered) })}</p>}
      {r.kind === 'text' ? (
        r.texts.length === 0 ? (
          <p>{r.answered === null ? t('surveys.textsHidden', { k }) : t('surveys.noTexts')}</p>
        ) : (
          <ul>
            {/* The item follows the page's direction (its marker stays inside the page), the text its own. */}
            {r.texts.map((text, i) => (
              <li key={i}>
                <span dir="auto">{text}</span>
              </li>
            ))}
          </ul>
        )
      ) : (
        <>
          <Bars ctx={ctx} options={options} label={t('surveys.chartOf', { question: r.question.text })} />
          <TableWrap label={t('surveys.tableOf', { question: r.question.text })}>
            <table aria-label={t('surveys.tableOf', { question: r.question.text })}>
              <thead>
                <tr>
                  <th scope="col">{t('surveys.number')}</th>
                  <th scope="col">{t('surveys.option')}</th>
                  <th scope="col">{r.kind === 'multiple' ? t('surveys.choseIt') : t('surveys.count')}</th>
                </tr>
              </thead>
              <tbody>
                {options.map((o, i) => (
                  <tr key={o.label}>
                    <td>{ctx.intl.number(i + 1)}</td>
                    <td dir="auto">{o.label}</td>
                    <td>{countText(ctx, o.count, k)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}

function CrossTabTable({ ctx, c, k }: { ctx: ViewContext; c: CrossTab; k: number }) {
  const { t } = ctx.intl;
  return (
    <>
      {c.hidden && (
        <p class="warning" role="status">
          {t('surveys.crossTabHidden', { k })}
        </p>
      )}
      <TableWrap label={t('surveys.crossTabOf', { rows: c.rows.text, columns: c.columns.text })}>
        <table aria-label={t('surveys.crossTabOf', { rows: c.rows.text, columns: c.columns.text })}>
          <thead>
            <tr>
              <td />
              {c.columnLabels.map((l) => (
                <th scope="col" key={l} dir="auto">
                  {l || t('surveys.noAnswer')}
                </th>
              ))}
              <th scope="col">{t('surveys.total')}</th>
            </tr>
          </thead>
          <tbody>
            {c.rowLabels.map((l, r) => (
              <tr key={l}>
                <th scope="row" dir="auto">
                  {l || t('surveys.noAnswer')}
                </th>
                {c.columnLabels.map((cl, col) => (
                  <td key={cl}>{countText(ctx, c.cells[r]?.[col] ?? null, k)}</td>
                ))}
                <td>{countText(ctx, c.rowTotals[r] ?? null, k)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('surveys.total')}</th>
              {c.columnLabels.map((cl, col) => (
                <td key={cl}>{countText(ctx, c.columnTotals[col] ?? null, k)}</td>
              ))}
              <td>{countText(ctx, c.total, k)}</td>
            </tr>
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

export function ResultsPage({ ctx, data, errors = {}, values = {} }: { ctx: ViewContext; data: ResultsData; errors?: FormState['errors']; values?: Record<string, unknown> }) {
  const { t } = ctx.intl;
  const s = data.survey;
  const title = t('surveys.resultsOf', { title: s.title });
  const failed = Object.keys(errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <p class="muted">
        <a href={`/surveys/${s.id}`}>{s.title}</a>
      </p>
      <h1 dir="auto">{title}</h1>
      {data.status === 'notYet' && <p>{t('surveys.resultsAfterClosing', { date: ctx.intl.date(s.closes_at) })}</p>}
      {data.status === 'tooFew' && <p>{t('surveys.resultsTooFew', { k: data.k })}</p>}
      {data.status === 'shown' && (
        <>
          <p>{t('surveys.resultsIntro', { count: data.responses, shown: ctx.intl.number(data.responses), k: data.k })}</p>
          <p>
            <a href={`/surveys/${s.id}/results.csv`} download>
              {t('surveys.csv')}
            </a>
            {data.organiser && data.unreadTexts > 0 && (
              <>
                {' '}
                · <a href={`/surveys/${s.id}/texts`}>{t('surveys.textsToRead', { count: data.unreadTexts, shown: ctx.intl.number(data.unreadTexts) })}</a>
              </>
            )}
          </p>
          {data.results.map((r, i) => (
            <ResultBlock ctx={ctx} r={r} k={data.k} index={i} key={r.question.id} />
          ))}
          {data.crossable.length >= 2 && (
            <section aria-labelledby="crosstab">
              <h2 id="crosstab">{t('surveys.crossTab')}</h2>
              <ErrorSummary ctx={ctx} errors={errors} summaryKey={failed ? 'errors.surveyCrossTabFailed' : undefined} />
              <form method="get" action={`/surveys/${s.id}/results`} class="filters">
                <div class="row">
                  <Select ctx={ctx} name="rows" label={t('surveys.crossRows')} value={values.rows ?? ''} errors={errors} options={[{ value: '', label: t('surveys.chooseQuestion') }, ...data.crossable.map((q) => ({ value: q.id, label: q.text }))]} />
                  <Select ctx={ctx} name="columns" label={t('surveys.crossColumns')} value={values.columns ?? ''} errors={errors} options={[{ value: '', label: t('surveys.chooseQuestion') }, ...data.crossable.map((q) => ({ value: q.id, label: q.text }))]} />
                </div>
                <button type="submit">{t('surveys.crossTabButton')}</button>
              </form>
              {data.crossTab && <CrossTabTable ctx={ctx} c={data.crossTab} k={data.k} />}
            </section>
          )}
        </>
      )}
    </Layout>
  );
}

export function TextReviewPage({ ctx, data }: { ctx: ViewContext; data: TextData }) {
  const { t } = ctx.intl;
  const s = data.survey;
  const title = t('surveys.readTexts');
  return (
    <Layout ctx={ctx} title={title}>
      <p class="muted">
        <a href={`/surveys/${s.id}/results`}>{t('surveys.resultsOf', { title: s.title })}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('surveys.textsIntro', { count: data.left, shown: ctx.intl.number(data.left) })}</p>
      {data.next && data.question ? (
        <>
          <h2 dir="auto">{data.question.text}</h2>
          <blockquote dir="auto">{data.next.text}</blockquote>
          <div class="actions">
            <PostButton ctx={ctx} action={`/surveys/${s.id}/texts/${data.next.handle}`} label={t('surveys.publish')} hidden={{ decision: 'publish' }} />
            <PostButton ctx={ctx} action={`/surveys/${s.id}/texts/${data.next.handle}`} label={t('surveys.withhold')} hidden={{ decision: 'withhold' }} secondary />
          </div>
        </>
      ) : (
        <p>{t('surveys.textsDone')}</p>
      )}
    </Layout>
  );
}
