import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../platform/errors.ts';
import type { Translate } from '../platform/i18n.ts';
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
}

/** A labelled input whose hint and error are linked by aria-describedby. */
export function Field(p: FieldProps) {
  const error = message(p.ctx.intl.t, p.errors, p.name);
  const describedBy = [p.hint ? `${p.name}-hint` : '', error ? `${p.name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const value = p.type === 'password' || typeof p.value !== 'string' ? undefined : p.value;
  return (
    <div class="field">
      <label for={p.name}>{p.label}</label>
      {p.hint && (
        <span class="hint" id={`${p.name}-hint`}>
          {p.hint}
        </span>
      )}
      {error && (
        <span class="field-error" id={`${p.name}-error`}>
          {error}
        </span>
      )}
      <input
        id={p.name}
        name={p.name}
        type={p.type ?? 'text'}
        value={value}
        autocomplete={p.autocomplete}
        required={p.required}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
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
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={name}>{label}</label>
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
      <select id={name} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy}>
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
