import { Fragment } from 'preact';
import { ErrorSummary, Field, Form } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import type { FormState } from '../../../views/form.ts';
import { Layout } from '../../../views/layout.tsx';


export function SignInPage({ ctx, state, next }: { ctx: ViewContext; state: FormState; next?: string | undefined }) {
  const { t } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0 || state.summaryKey;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('signIn.title') }) : t('signIn.title')}>
      <h1>{t('signIn.title')}</h1>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={failed ? state.summaryKey : undefined} />
      <Form ctx={ctx} action={next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'}>
        <Field
          ctx={ctx}
          name="identifier"
          label={t('signIn.identifier')}
          hint={t('signIn.identifierHint')}
          value={state.values.identifier}
          errors={state.errors}
          autocomplete="username"
          required
        />
        <Field ctx={ctx} name="password" type="password" label={t('signIn.password')} errors={state.errors} autocomplete="current-password" required />
        <Field
          ctx={ctx}
          name="code"
          label={t('signIn.code')}
          hint={t('signIn.codeHint')}
          value={state.values.code}
          errors={state.errors}
          autocomplete="one-time-code"
          dir="ltr"
          maxLength={24}
        />
        <button type="submit">{t('signIn.submit')}</button>
      </Form>
      <p>
        <a href="/password/forgot">{t('signIn.forgot')}</a>
      </p>
      <p>
        {t('signIn.noAccount')} <a href="/register">{t('nav.register')}</a>
      </p>
    </Layout>
  );
}

export function RegisterPage({ ctx, state, passphrase }: { ctx: ViewContext; state: FormState; passphrase: string }) {
  const words = passphrase.split('-');
  const { t } = ctx.intl;
  // A refusal without field errors (throttling) still says why, in the summary.
  const failed = Object.keys(state.errors).length > 0 || state.summaryKey;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('register.title') }) : t('register.title')}>
      <h1>{t('register.title')}</h1>
      <p>{t('register.intro')}</p>
      <div class="panel">
        <h2>{t('register.privacyTitle')}</h2>
        <ul>
          <li>{t('register.privacyNoName')}</li>
          <li>{t('register.privacyNoStatus')}</li>
          <li>{t('register.privacyWhoSees')}</li>
        </ul>
      </div>
      <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={failed ? state.summaryKey : undefined} />
      <Form ctx={ctx} action="/register">
        <Field
          ctx={ctx}
          name="pseudonym"
          label={t('register.pseudonym')}
          hint={t('register.pseudonymHint')}
          value={state.values.pseudonym}
          errors={state.errors}
          autocomplete="username"
          required
          maxLength={40}
        />
        <p class="label" id="passphrase-label">
          {t('register.passphrase')}
        </p>
        <p class="hint" id="passphrase-hint">
          {t('register.passphraseHint', { count: words.length })}
        </p>
        {/* Broken only between words on a narrow screen (after each hyphen), never inside one. */}
        <output class="secret passphrase" aria-labelledby="passphrase-label" aria-describedby="passphrase-hint" dir="ltr" lang="en">
          {words.map((word, i) => (
            <Fragment key={`${i}-${word}`}>
              {word}
              {i < words.length - 1 && (
                <>
                  -<wbr />
                </>
              )}
            </Fragment>
          ))}
        </output>
        <input type="hidden" name="passphrase" value={passphrase} />
        <div class="field">
          {state.errors.saved && (
            <span class="field-error" id="saved-error">
              {t(state.errors.saved.key)}
            </span>
          )}
          <label>
            <input
              type="checkbox"
              id="saved"
              name="saved"
              value="yes"
              checked={state.values.saved === 'yes'}
              aria-invalid={state.errors.saved ? 'true' : undefined}
              aria-describedby={state.errors.saved ? 'saved-error' : undefined}
            />{' '}
            {t('register.saved')}
          </label>
        </div>
        <Field
          ctx={ctx}
          name="email"
          type="email"
          label={t('register.email')}
          hint={t('register.emailHint')}
          value={state.values.email}
          errors={state.errors}
          autocomplete="email"
          dir="ltr"
        />
        <button type="submit">{t('register.submit')}</button>
      </Form>
    </Layout>
  );
}
