import { ErrorSummary, Field, Form } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import { EMPTY, type FormState } from '../../../views/form.ts';

/** Pages reached from an emailed link: each asks for a POST; opening the link changes nothing. */

export function ForgotPage({ ctx, state = EMPTY, sent }: { ctx: ViewContext; state?: FormState; sent?: boolean }) {
  const { t } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('forgot.title') }) : t('forgot.title')}>
      <h1>{t('forgot.title')}</h1>
      {sent ? (
        <p role="status">{t('forgot.sent')}</p>
      ) : (
        <>
          <p>{t('forgot.intro')}</p>
          <p class="hint">{t('forgot.participants')}</p>
          <ErrorSummary ctx={ctx} errors={state.errors} />
          <Form ctx={ctx} action="/password/forgot">
            <Field ctx={ctx} name="email" type="email" label={t('forgot.email')} value={state.values.email} errors={state.errors} autocomplete="email" dir="ltr" required />
            <button type="submit">{t('forgot.submit')}</button>
          </Form>
        </>
      )}
    </Layout>
  );
}

export function ResetPage({ ctx, token, state = EMPTY }: { ctx: ViewContext; token: string; state?: FormState }) {
  const { t } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('reset.title') }) : t('reset.title')}>
      <h1>{t('reset.title')}</h1>
      <p>{t('reset.intro')}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <Form ctx={ctx} action={`/password/reset/${token}`}>
        <Field
          ctx={ctx}
          name="password"
          type="password"
          label={t('account.newPassword')}
          hint={t('account.newPasswordHint')}
          errors={state.errors}
          autocomplete="new-password"
          required
        />
        <button type="submit">{t('reset.submit')}</button>
      </Form>
    </Layout>
  );
}

export function InvitationPage({
  ctx,
  token,
  invitation,
  state = EMPTY,
}: {
  ctx: ViewContext;
  token: string;
  invitation: { email: string; network_role: string; organisation_name: string | null };
  state?: FormState;
}) {
  const { t } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('invitation.title') }) : t('invitation.title')}>
      <h1>{t('invitation.title')}</h1>
      <p>
        {invitation.organisation_name
          ? t('invitation.introOrg', { role: t(`role.${invitation.network_role}`), organisation: invitation.organisation_name })
          : t('invitation.intro', { role: t(`role.${invitation.network_role}`) })}
      </p>
      <p>
        {t('invitation.email')} <span dir="ltr">{invitation.email}</span>
      </p>
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <Form ctx={ctx} action={`/invitations/${token}`}>
        <Field ctx={ctx} name="displayName" label={t('invitation.name')} hint={t('invitation.nameHint')} value={state.values.displayName} errors={state.errors} autocomplete="name" required />
        <Field
          ctx={ctx}
          name="password"
          type="password"
          label={t('account.newPassword')}
          hint={t('account.newPasswordHint')}
          errors={state.errors}
          autocomplete="new-password"
          required
        />
        <button type="submit">{t('invitation.submit')}</button>
      </Form>
    </Layout>
  );
}
