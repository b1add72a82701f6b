import type { ComponentChildren } from 'preact';
import { actingOptions } from '../../../platform/acting.ts';
import type { FieldErrors } from '../../../platform/errors.ts';
import { ActingFor, Form } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';

/**
 * The organisation choice inside one of several small forms on a page (close, accept, mark
 * as paid): asked only of a person in several organisations, since the page already says
 * once whom a person in one organisation acts for (`ActingFor` at the section's top).
 */
export function ActingChoice({ ctx, value, errors, id }: { ctx: ViewContext; value?: unknown; errors: FieldErrors; id?: string }) {
  return actingOptions(ctx.actor).length > 1 ? <ActingFor ctx={ctx} value={value} errors={errors} id={id} /> : null;
}

/**
 * The prefix of the ids in an ActingButton's form, for its ErrorSummary: a page lists several of
 * these buttons, each with its own choice of organisation.
 */
export function actingPrefix(action: string): string {
  return `${action.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-/, '')}-`;
}

/** A button that acts in an organisation's name: a POST form with the choice when there is one. */
export function ActingButton({
  ctx,
  action,
  label,
  secondary,
  form,
  children,
}: {
  ctx: ViewContext;
  action: string;
  label: string;
  secondary?: boolean;
  form?: { values: Record<string, unknown>; errors: FieldErrors } | undefined;
  children?: ComponentChildren;
}) {
  return (
    <Form ctx={ctx} action={action} class="inline">
      {children}
      {/* One id per form: a page lists several of these buttons. */}
      <ActingChoice ctx={ctx} value={form?.values.actingFor} errors={form?.errors ?? {}} id={`${actingPrefix(action)}actingFor`} />
      <button type="submit" class={secondary ? 'secondary' : undefined}>
        {label}
      </button>
    </Form>
  );
}

/** Once at the top of a section of small forms: "You act for X", for a person in one organisation. */
export function ActingStatement({ ctx }: { ctx: ViewContext }) {
  const options = actingOptions(ctx.actor);
  return options.length === 1 ? <p class="acting-for">{ctx.intl.t('acting.single', { organisation: (options[0] as { name: string }).name })}</p> : null;
}
