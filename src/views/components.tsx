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
 * page loads, each problem a link to its field.
 */
export function ErrorSummary({ ctx, errors, summaryKey }: { ctx: ViewContext; errors: FieldErrors; summaryKey?: string | undefined }) {
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
              <a href={`#${field}`}>{t(e.key, e.values)}</a>
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

/** A table that may scroll sideways on a phone: a focusable, named region so keyboards can scroll it. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboards can scroll it (WCAG 2.1.1)
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
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
}) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  return (
    <fieldset id={p.name} class="field choices" aria-describedby={describedBy(p.name, p.hint, error)}>
      <legend>{p.legend}</legend>
      <HintAndError name={p.name} hint={p.hint} error={error} />
      {p.options.map((o) => (
        <label class="choice" key={o.value}>
          <input type="radio" name={p.name} value={o.value} checked={p.value === o.value} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * Many choices from a long list (countries, languages): a multiple select, which phones show
 * as a checklist and which works without JavaScript.
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
  const error = message(p.ctx.intl.t, p.errors, p.name);
  const chosen = new Set(asList(p.value));
  return (
    <div class="field">
      <label for={p.name}>{p.label}</label>
      <HintAndError name={p.name} hint={p.hint} error={error} />
      <select
        id={p.name}
        name={p.name}
        multiple
        size={8}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, p.hint, error)}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={chosen.has(o.value)} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A file to upload, with its hint and error linked; the form needs enctype multipart/form-data. */
export function FileField(p: { ctx: ViewContext; name: string; label: string; hint: string; accept: string; multiple?: boolean; errors: FieldErrors }) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  return (
    <div class="field">
      <label for={p.name}>{p.label}</label>
      <HintAndError name={p.name} hint={p.hint} error={error} />
      <input
        type="file"
        id={p.name}
        name={p.name}
        multiple={p.multiple}
        accept={p.accept}
        aria-describedby={describedBy(p.name, p.hint, error)}
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
export function ActingFor({ ctx, value, errors }: { ctx: ViewContext; value?: unknown; errors: FieldErrors }) {
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
