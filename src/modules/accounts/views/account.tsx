import type { AccountsService } from '../accounts.service.ts';
import { catalogs } from '../../../platform/i18n.ts';
import { ErrorSummary, Field, Form, Notice, PostButton, Select, TableWrap } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import { EMPTY, type FormState } from '../../../views/form.ts';

export type AccountData = Awaited<ReturnType<AccountsService['account']>>;

export function AccountPage({
  ctx,
  account,
  state = EMPTY,
  newToken,
}: {
  ctx: ViewContext;
  account: AccountData;
  state?: FormState;
  newToken?: string | undefined;
}) {
  const { t, dateTime } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('account.title') }) : t('account.title')}>
      <h1>{t('account.title')}</h1>
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <dl>
        <dt>{t('account.name')}</dt>
        <dd dir="auto">{account.displayName}</dd>
        <dt>{t('account.role')}</dt>
        <dd>{t(`role.${account.networkRole}`)}</dd>
        {account.memberships.length > 0 && (
          <>
            <dt>{t('account.organisations')}</dt>
            {account.memberships.map((m) => (
              <dd key={m.organisationId} dir="auto">
                {m.role === 'org_admin' ? (
                  <a href={`/organisations/${m.organisationId}/staff`}>{t('account.membership', { organisation: m.name, role: t(`orgRole.${m.role}`) })}</a>
                ) : (
                  t('account.membership', { organisation: m.name, role: t(`orgRole.${m.role}`) })
                )}
              </dd>
            ))}
          </>
        )}
      </dl>
      <p>
        <a href="/invitations/organisation">{t('orgInvitations.title')}</a> · <a href="/notifications">{t('nav.notifications')}</a>
      </p>

      <h2 id="language">{t('account.language')}</h2>
      <Form ctx={ctx} action="/language">
        <input type="hidden" name="next" value="/account" />
        <Select
          ctx={ctx}
          name="locale"
          label={t('account.languageLabel')}
          value={account.locale ?? ctx.intl.locale}
          errors={state.errors}
          options={[...catalogs.keys()].map((code) => ({ value: code, label: t(`language.${code}`) }))}
        />
        <button type="submit">{t('account.languageSave')}</button>
      </Form>

      <h2 id="password-heading">{t('account.password')}</h2>
      <p class="hint">{t('account.passwordNote')}</p>
      <Form ctx={ctx} action="/account/password">
        <Field ctx={ctx} name="current" type="password" label={t('account.currentPassword')} errors={state.errors} autocomplete="current-password" required />
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
        <button type="submit">{t('account.passwordSave')}</button>
      </Form>

      <h2 id="totp">{t('account.totp')}</h2>
      {account.totpEnabled ? (
        <>
          <p>{t('account.totpOn')}</p>
          <h3 id="recovery">{t('account.recoveryCodes')}</h3>
          <p>{t('account.recoveryCodesLeft', { count: account.recoveryCodesLeft })}</p>
          <Form ctx={ctx} action="/account/recovery-codes">
            <Field
              ctx={ctx}
              name="recoveryPassword"
              type="password"
              label={t('account.currentPassword')}
              errors={state.errors}
              autocomplete="current-password"
              required
            />
            <button type="submit" class="secondary">
              {t('account.recoveryCodesRenew')}
            </button>
          </Form>
          <Form ctx={ctx} action="/account/totp/disable">
            <Field ctx={ctx} name="totpPassword" type="password" label={t('account.currentPassword')} errors={state.errors} autocomplete="current-password" required />
            <button type="submit" class="secondary">
              {t('account.totpDisable')}
            </button>
          </Form>
        </>
      ) : (
        <>
          <p>{t('account.totpOff')}</p>
          <p>
            <a href="/account/totp">{t('account.totpEnable')}</a>
          </p>
        </>
      )}

      <h2 id="sessions">{t('account.sessions')}</h2>
      <p class="hint">{t('account.sessionsCaption')}</p>
      <TableWrap label={t('account.sessions')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('account.device')}</th>
              <th scope="col">{t('account.signedIn')}</th>
              <th scope="col">{t('account.lastSeen')}</th>
              <th scope="col">
                <span class="muted">{t('account.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {account.sessions.map((s) => (
              <tr key={s.id}>
                <td>{s.device || t('account.unknownDevice')}</td>
                <td>{dateTime(s.created_at)}</td>
                <td>{dateTime(s.last_seen_at)}</td>
                <td>
                  {s.current ? (
                    <strong>{t('account.thisDevice')}</strong>
                  ) : (
                    <PostButton ctx={ctx} action={`/account/sessions/${s.id}/revoke`} label={t('account.revoke')} secondary />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {account.sessions.length > 1 && <PostButton ctx={ctx} action="/account/sessions/revoke-others" label={t('account.revokeOthers')} secondary />}

      <h2 id="tokens">{t('account.tokens')}</h2>
      <p class="hint">{t('account.tokensNote')}</p>
      {newToken && (
        <Notice>
          <p>{t('account.tokenCreated')}</p>
          <code class="secret" dir="ltr">
            {newToken}
          </code>
        </Notice>
      )}
      {account.tokens.length > 0 && (
        <TableWrap label={t('account.tokens')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('account.tokenName')}</th>
                <th scope="col">{t('account.created')}</th>
                <th scope="col">{t('account.lastUsed')}</th>
                <th scope="col">
                  <span class="muted">{t('account.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {account.tokens.map((tok) => (
                <tr key={tok.id}>
                  <td dir="auto">{tok.name}</td>
                  <td>{dateTime(tok.created_at)}</td>
                  <td>{tok.last_used_at ? dateTime(tok.last_used_at) : t('account.never')}</td>
                  <td>
                    <PostButton ctx={ctx} action={`/account/tokens/${tok.id}/revoke`} label={t('account.revoke')} secondary />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <Form ctx={ctx} action="/account/tokens">
        <Field ctx={ctx} name="name" label={t('account.tokenName')} hint={t('account.tokenNameHint')} value={state.values.name} errors={state.errors} maxLength={80} />
        <Field ctx={ctx} name="tokenPassword" type="password" label={t('account.currentPassword')} errors={state.errors} autocomplete="current-password" required />
        <button type="submit" class="secondary">
          {t('account.tokenCreate')}
        </button>
      </Form>
    </Layout>
  );
}

export function TotpSetupPage({ ctx, secret, uri, state = EMPTY }: { ctx: ViewContext; secret: string; uri: string; state?: FormState }) {
  const { t } = ctx.intl;
  const failed = Object.keys(state.errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title: t('totp.title') }) : t('totp.title')}>
      <h1>{t('totp.title')}</h1>
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <ol>
        <li>{t('totp.step1')}</li>
        <li>
          {t('totp.step2')}
          <code class="secret" dir="ltr">
            {secret.replace(/(.{4})/g, '$1 ').trim()}
          </code>
          <details>
            <summary>{t('totp.uri')}</summary>
            <code class="secret" dir="ltr">
              {uri}
            </code>
          </details>
        </li>
        <li>{t('totp.step3')}</li>
      </ol>
      <Form ctx={ctx} action="/account/totp">
        <input type="hidden" name="secret" value={secret} />
        <Field ctx={ctx} name="current" type="password" label={t('account.currentPassword')} errors={state.errors} autocomplete="current-password" required />
        <Field
          ctx={ctx}
          name="code"
          label={t('signIn.code')}
          hint={t('totp.codeHint')}
          errors={state.errors}
          autocomplete="one-time-code"
          inputmode="numeric"
          dir="ltr"
          maxLength={6}
          required
        />
        <button type="submit">{t('totp.submit')}</button>
      </Form>
    </Layout>
  );
}

/** The recovery codes, on the one response that can show them (they are stored hashed). */
export function RecoveryCodesPage({ ctx, codes }: { ctx: ViewContext; codes: string[] }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('recovery.title')}>
      <h1>{t('recovery.title')}</h1>
      <p>{t('recovery.intro')}</p>
      <ol class="secret" dir="ltr" lang="en">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a href="/account#totp">{t('recovery.continue')}</a>
      </p>
    </Layout>
  );
}
