import { ACTING_FOR_FIELD, actingOptions } from '../platform/acting.ts';
import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../platform/errors.ts';
import type { Translate } from '../platform/i18n.ts';
import type { Pager as PagerData } from '../platform/paging.ts';
import type { ViewContext } from './context.ts';

export function Csrf({ ctx }: { ctx: ViewContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrf} />;
}

export function Form({ ctx, action, children, class: cls }: { ctx: ViewContext; action: string; children: ComponentChildren; class?: string }) {
  return (
    <form method="post" action={action} class={cls} novalidate>
      <Csrf ctx={ctx} />
      {children}
    </form>
  );
}

/** A single-button form for actions such as "sign out" or "revoke": POST, never a link. */
export function PostButton({
  ctx,
  action,
  label,
  secondary,
  hidden,
}: {
  ctx: ViewContext;
  action: string;
  label: string;
  secondary?: boolean;
  hidden?: Record<string, string>;
}) {
  return (
    <form method="post" action={action} class="inline">
      <Csrf ctx={ctx} />
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
      <button type="submit" class={secondary ? 'secondary' : undefined}>
        {label}
      </button>
    </form>
  );
}

export function message(t: Translate, errors: FieldErrors, field: string): string | undefined {
  const e = errors[field];
  return e ? t(e.key, e.values) : undefined;
}

/**
 * The error summary at the top of a failed form: role="alert" so it is announced when the
 * page loads, each problem a link to its field (`idPrefix` when the page's other forms have
 * fields of the same name, given to the fields as their `id`).
 */
export function ErrorSummary({ ctx, errors, summaryKey, idPrefix = '' }: { ctx: ViewContext; errors: FieldErrors; summaryKey?: string | undefined; idPrefix?: string }) {
  const { t } = ctx.intl;
  const entries = Object.entries(errors);
  if (entries.length === 0 && !summaryKey) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">{t(summaryKey ?? 'errors.form')}</h2>
      {entries.length > 0 && (
        <ul>
          {entries.map(([field, e]) => (
            <li key={field}>
              <a href={`#${idPrefix}${field}`}>{t(e.key, e.values)}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export interface FieldProps {
  ctx: ViewContext;
  name: string;
  label: string;
  hint?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'url';
  value?: unknown;
  errors: FieldErrors;
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'text' | 'email';
  dir?: 'auto' | 'ltr';
  maxLength?: number;
  /** The element id, when one page has two forms with a field of the same name. */
  id?: string;
}

/** A labelled input whose hint and error are linked by aria-describedby. */
export function Field(p: FieldProps) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  const id = p.id ?? p.name;
  const value = p.type === 'password' || typeof p.value !== 'string' ? undefined : p.value;
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <HintAndError name={id} hint={p.hint} error={error} />
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={value}
        autocomplete={p.autocomplete}
        required={p.required}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, p.hint, error)}
        inputMode={p.inputmode}
        dir={p.dir ?? 'auto'}
        maxLength={p.maxLength}
      />
    </div>
  );
}

export function Select({
  ctx,
  name,
  label,
  options,
  value,
  errors,
  hint,
}: {
  ctx: ViewContext;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: unknown;
  errors: FieldErrors;
  hint?: string;
}) {
  const error = message(ctx.intl.t, errors, name);
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <HintAndError name={name} hint={hint} error={error} />
      <select id={name} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, hint, error)}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {children}
    </div>
  );
}

/**
 * A table or chart that may scroll sideways on a phone: a focusable, named region so keyboards
 * can scroll it. `hint` says so on narrow screens, so that no column is hidden without a word.
 */
export function TableWrap({ label, hint, children }: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <>
      {hint && <p class="hint scroll-hint">{hint}</p>}
      {/* A named group, not a landmark: it often sits in a section of the same name. */}
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> is for form controls; this is a table or chart */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboards can scroll it (WCAG 2.1.1) */}
      <div class="table-wrap" role="group" aria-label={label} tabIndex={0}>
        {children}
      </div>
    </>
  );
}

function describedBy(name: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function HintAndError({ name, hint, error }: { name: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {hint && (
        <span class="hint" id={`${name}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span class="field-error" id={`${name}-error`}>
          {error}
        </span>
      )}
    </>
  );
}

export function Textarea(p: {
  ctx: ViewContext;
  name: string;
  label: string;
  hint?: string | undefined;
  value?: unknown;
  errors: FieldErrors;
  required?: boolean;
  rows?: number;
  maxLength?: number;
  id?: string;
}) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  const id = p.id ?? p.name;
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <HintAndError name={id} hint={p.hint} error={error} />
      <textarea
        id={id}
        name={p.name}
        rows={p.rows ?? 6}
        required={p.required}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, p.hint, error)}
        dir="auto"
        maxLength={p.maxLength}
      >
        {typeof p.value === 'string' ? p.value : ''}
      </textarea>
    </div>
  );
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Several choices: a fieldset of checkboxes whose legend is the question. */
export function Checkboxes(p: {
  ctx: ViewContext;
  name: string;
  legend: string;
  hint?: string | undefined;
  options: { value: string; label: string }[];
  value?: unknown;
  errors: FieldErrors;
  required?: boolean;
}) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  const chosen = new Set(asList(p.value));
  return (
    <fieldset id={p.name} class="field choices" aria-describedby={describedBy(p.name, p.hint, error)} aria-invalid={error ? 'true' : undefined}>
      <legend>
        {p.legend}
        {p.required && <span class="visually-hidden"> *</span>}
      </legend>
      <HintAndError name={p.name} hint={p.hint} error={error} />
      {p.options.map((o, i) => (
        <label class="choice" key={o.value}>
          <input type="checkbox" name={p.name} value={o.value} checked={chosen.has(o.value)} id={i === 0 ? `${p.name}-first` : undefined} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** One choice of a few: radio buttons in a fieldset. */
export function Radios(p: {
  ctx: ViewContext;
  name: string;
  legend: string;
  hint?: string | undefined;
  options: { value: string; label: string }[];
  value?: unknown;
  errors: FieldErrors;
  /** The fieldset's id, when one page has two forms with a choice of the same name. */
  id?: string;
}) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  const id = p.id ?? p.name;
  return (
    <fieldset id={id} class="field choices" aria-describedby={describedBy(id, p.hint, error)}>
      <legend>{p.legend}</legend>
      <HintAndError name={id} hint={p.hint} error={error} />
      {p.options.map((o) => (
        <label class="choice" key={o.value}>
          <input type="radio" name={p.name} value={o.value} checked={p.value === o.value} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Up to this many choices are shown as they are; a longer list is folded by first letter. */
const FOLD_ABOVE = 12;

/** The letter a choice is filed under: without accents or hamza (Å under A, أ under ا). */
function initial(label: string, locale: string): string {
  const first = [...label.trim()][0] ?? '';
  const base = first.normalize('NFD').replace(/\p{M}/gu, '').toLocaleUpperCase(locale);
  return /\p{L}/u.test(base) ? base : '#';
}

/**
 * Many choices from a long list (countries, languages, organisations): checkboxes, which a
 * person gets right the first time (a multiple select loses every earlier choice to a plain
 * click, and needs Ctrl-click on a computer). A long list is folded by first letter, one
 * <details> per letter, so that without any script the reader opens "S" and ticks Sudan; what
 * is already chosen is listed first, open, where it can be unticked.
 */
export function MultiSelect(p: {
  ctx: ViewContext;
  name: string;
  label: string;
  hint?: string | undefined;
  options: { value: string; label: string }[];
  value?: unknown;
  errors: FieldErrors;
  required?: boolean;
}) {
  const { t, locale } = p.ctx.intl;
  const error = message(t, p.errors, p.name);
  const chosenValues = new Set(asList(p.value));
  const box = (o: { value: string; label: string }) => (
    <label class="choice" key={o.value}>
      <input type="checkbox" name={p.name} value={o.value} checked={chosenValues.has(o.value)} /> <span dir="auto">{o.label}</span>
    </label>
  );
  const folded = p.options.length > FOLD_ABOVE;
  const chosen = p.options.filter((o) => chosenValues.has(o.value));
  const groups = new Map<string, { value: string; label: string }[]>();
  if (folded) {
    for (const o of p.options) {
      if (chosenValues.has(o.value)) continue;
      const letter = initial(o.label, locale);
      groups.set(letter, [...(groups.get(letter) ?? []), o]);
    }
  }
  return (
    <fieldset id={p.name} class="field choices picker" aria-describedby={describedBy(p.name, p.hint, error)} aria-invalid={error ? 'true' : undefined}>
      <legend>
        {p.label}
        {p.required && <span class="visually-hidden"> *</span>}
      </legend>
      <HintAndError name={p.name} hint={p.hint} error={error} />
      {!folded ? (
        <div class="choices-grid">{p.options.map(box)}</div>
      ) : (
        <>
          {chosen.length > 0 && (
            <div class="picker-chosen">
              <p class="hint">{t('picker.chosen', { count: chosen.length })}</p>
              <div class="choices-grid">{chosen.map(box)}</div>
            </div>
          )}
          <p class="hint">{t('picker.byLetter')}</p>
          <div class="picker-letters">
            {[...groups].map(([letter, options]) => (
              <details key={letter}>
                <summary>
                  <span aria-hidden="true">{letter}</span>
                  <span class="visually-hidden">{t('picker.letter', { letter, count: options.length })}</span>
                </summary>
                <div class="choices-grid">{options.map(box)}</div>
              </details>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}

/** A file to upload, with its hint and error linked; the form needs enctype multipart/form-data. */
export function FileField(p: { ctx: ViewContext; name: string; label: string; hint: string; accept: string; multiple?: boolean; errors: FieldErrors }) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  // A browser never sends a file back with a form shown again: when the form had a problem, the
  // file chosen before is gone, and the page says so rather than letting it go unnoticed.
  const again = !error && Object.keys(p.errors).length > 0;
  return (
    <div class="field">
      <label for={p.name}>{p.label}</label>
      <HintAndError name={p.name} hint={p.hint} error={error ?? (again ? p.ctx.intl.t('errors.fileAgain') : undefined)} />
      <input
        type="file"
        id={p.name}
        name={p.name}
        multiple={p.multiple}
        accept={p.accept}
        aria-describedby={describedBy(p.name, p.hint, error ?? (again || undefined))}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

/** A single box to tick (accepting terms, confirming a step). */
export function Checkbox(p: { ctx: ViewContext; name: string; label: string; hint?: string | undefined; checked?: boolean; errors: FieldErrors; value?: string }) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  return (
    <div class="field">
      <HintAndError name={p.name} hint={p.hint} error={error} />
      <label class="choice">
        <input
          type="checkbox"
          id={p.name}
          name={p.name}
          value={p.value ?? 'yes'}
          checked={p.checked}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy(p.name, p.hint, error)}
        />{' '}
        {p.label}
      </label>
    </div>
  );
}

/** Rendered Markdown from the server's renderer (raw HTML disabled there), in its own direction. */
export function Prose({ html, lang }: { html: string; lang?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html:false escapes everything people typed
  return <div class="prose" dir="auto" lang={lang} dangerouslySetInnerHTML={{ __html: html }} />;
}

/**
 * Which organisation a form acts for (platform/acting.ts). One organisation: the page says
 * which. Several: the person chooses, with nothing chosen for them.
 */
export function ActingFor({ ctx, value, errors, id }: { ctx: ViewContext; value?: unknown; errors: FieldErrors; id?: string }) {
  const t = ctx.intl.t;
  const options = actingOptions(ctx.actor);
  if (options.length === 0) return null;
  if (options.length === 1) {
    return <p class="acting-for">{t('acting.single', { organisation: (options[0] as { name: string }).name })}</p>;
  }
  return (
    <Radios
      ctx={ctx}
      name={ACTING_FOR_FIELD}
      id={id}
      legend={t('acting.legend')}
      hint={t('acting.hint')}
      options={options.map((o) => ({ value: o.organisationId, label: o.name }))}
      value={value}
      errors={errors}
    />
  );
}

/**
 * "Showing 51–100 of 240" and links to the previous and next page of a list (no script: plain
 * links). `href` makes a page's address with the list's other filters kept.
 */
export function Pager({ ctx, pager, href }: { ctx: ViewContext; pager: PagerData; href: (page: number) => string }) {
  const { t, number } = ctx.intl;
  if (pager.total === 0) return null;
  return (
    <nav class="pager" aria-label={t('pager.label')}>
      {pager.page > 1 ? <a href={href(pager.page - 1)}>{t('pager.previous')}</a> : <span />}
      <span>{t('pager.showing', { from: number(pager.from), to: number(pager.to), total: number(pager.total) })}</span>
      {pager.page < pager.pages ? <a href={href(pager.page + 1)}>{t('pager.next')}</a> : <span />}
    </nav>
  );
}
