import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../../platform/errors.ts';
import { clearSessionCookie, formAction, LOCALE_COOKIE, safeNext, setSessionCookie } from '../../platform/http.tsx';
import { viewContext } from '../../views/context.ts';
import { isSupportedLocale } from '../../platform/i18n.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { accountsPolicy } from './accounts.policy.ts';
import { AcceptInvitation, ChangePassword, CreateApiToken, DisableTotp, EnableTotp, ForgotPassword, NewRecoveryCodes, Register, ResetPassword, SetLocale, SignIn } from './accounts.schemas.ts';
import { IdParam, TokenParam } from '../../platform/schemas.ts';
import type { AccountsService } from './accounts.service.ts';
import { newPassphrase } from './passwords.ts';
import { AccountPage, RecoveryCodesPage, TotpSetupPage } from './views/account.tsx';
import { ForgotPage, InvitationPage, ResetPage } from './views/links.tsx';
import { RegisterPage, SignInPage } from './views/sign-in.tsx';
import { EMPTY } from '../../views/form.ts';

// Passwords are kept exactly as typed; everything else is trimmed.
const SECRET_FIELDS = ['password', 'current', 'passphrase', 'totpPassword', 'tokenPassword', 'recoveryPassword'];

export function accountsPages(app: FastifyInstance, accounts: AccountsService, config: Config) {
  const anyone = { access: accountsPolicy.rule('signIn') };
  const own = { access: accountsPolicy.rule('manageOwnAccount') };

  app.get('/sign-in', { config: anyone }, async (req, reply) => {
    const next = (req.query as Record<string, unknown>).next;
    if (req.actor.kind === 'person') return reply.redirect(safeNext(next, config.publicUrl), 303);
    return reply.page(<SignInPage ctx={viewContext(req, reply)} state={EMPTY} next={typeof next === 'string' ? safeNext(next, config.publicUrl) : undefined} />);
  });

  app.post('/sign-in', { config: anyone }, async (req, reply) => {
    const values = cleanForm(req.body, SECRET_FIELDS);
    const next = safeNext((req.query as Record<string, unknown>).next, config.publicUrl);
    const session = await formAction(
      reply,
      () => accounts.signIn(parse(SignIn, values), req.client),
      (errors, summaryKey) => <SignInPage ctx={viewContext(req, reply)} state={{ values, errors, summaryKey }} next={next} />,
    );
    if (!session) return reply;
    setSessionCookie(reply, config, session.token);
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', { config: own }, async (req, reply) => {
    await accounts.signOut(req.actor);
    clearSessionCookie(reply, config);
    return reply.redirect('/?done=signedOut', 303);
  });

  app.get('/register', { config: anyone }, async (req, reply) => {
    if (req.actor.kind === 'person') return reply.redirect('/account', 303);
    return reply.page(<RegisterPage ctx={viewContext(req, reply)} state={EMPTY} passphrase={newPassphrase()} />);
  });

  app.post('/register', { config: anyone }, async (req, reply) => {
    const values = cleanForm(req.body, SECRET_FIELDS);
    // Keep the passphrase the person has already written down; make one only if it went missing.
    const passphrase = typeof values.passphrase === 'string' && values.passphrase.length >= 20 && values.passphrase.length <= 256 ? values.passphrase : newPassphrase();
    const session = await formAction(
      reply,
      () => accounts.register(parse(Register, values), req.intl.locale, req.client),
      (errors, summaryKey) => <RegisterPage ctx={viewContext(req, reply)} state={{ values, errors, summaryKey }} passphrase={passphrase} />,
    );
    if (!session) return reply;
    setSessionCookie(reply, config, session.token);
    return reply.redirect('/account?done=registered', 303);
  });

  // The language switcher: a form, because a GET must never change anything.
  app.post('/language', { config: anyone }, async (req, reply) => {
    const values = cleanForm(req.body);
    const { locale } = parse(SetLocale, values, { form: true });
    if (!isSupportedLocale(locale)) throw AppError.field('locale', 'errors.choice');
    if (req.actor.kind === 'person') await accounts.setLocale(req.actor, locale);
    reply.setCookie(LOCALE_COOKIE, locale, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600, secure: config.publicUrl.protocol === 'https:' });
    return reply.redirect(safeNext(values.next, config.publicUrl), 303);
  });

  app.get('/account', { config: own }, async (req, reply) => {
    return reply.page(<AccountPage ctx={viewContext(req, reply)} account={await accounts.account(req.actor)} />);
  });

  // Account forms re-render the whole settings page with the errors of the one that failed.
  async function onAccountPage<T>(req: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, action: () => Promise<T>) {
    try {
      return await action();
    } catch (err) {
      if (err instanceof AppError && (err.code === 'invalid_input' || err.code === 'throttled')) {
        const account = await accounts.account(req.actor);
        if (err.options.retryAfterSeconds) reply.header('retry-after', String(err.options.retryAfterSeconds));
        reply.page(<AccountPage ctx={viewContext(req, reply)} account={account} state={{ values, errors: err.fields }} />, err.status);
        return undefined;
      }
      throw err;
    }
  }

  app.post('/account/password', { config: own }, async (req, reply) => {
    const values = cleanForm(req.body, SECRET_FIELDS);
    const token = await onAccountPage(req, reply, values, () => accounts.changePassword(req.actor, parse(ChangePassword, values), req.client));
    if (token === undefined) return reply;
    setSessionCookie(reply, config, token);
    return reply.redirect('/account?done=passwordChanged', 303);
  });

  app.get('/account/totp', { config: own }, async (req, reply) => {
    const { secret, uri } = accounts.totpSetup(req.actor);
    return reply.page(<TotpSetupPage ctx={viewContext(req, reply)} secret={secret} uri={uri} />);
  });

  app.post('/account/totp', { config: own }, async (req, reply) => {
    const values = cleanForm(req.body, SECRET_FIELDS);
    const secret = typeof values.secret === 'string' && /^[A-Z2-7]{16,64}$/.test(values.secret) ? values.secret : undefined;
    const enabled = await formAction(
      reply,
      () => accounts.enableTotp(req.actor, parse(EnableTotp, values), req.client),
      (errors) => {
        const setup = accounts.totpSetup(req.actor, secret);
        return <TotpSetupPage ctx={viewContext(req, reply)} secret={setup.secret} uri={setup.uri} state={{ values, errors }} />;
      },
    );
    if (enabled === undefined) return reply;
    setSessionCookie(reply, config, enabled.token);
    // Shown once, on this response only: they are stored hashed.
    return reply.page(<RecoveryCodesPage ctx={viewContext(req, reply, 'notice.totpEnabled')} codes={enabled.codes} />);
  });

  app.post('/account/recovery-codes', { config: own }, async (req, reply) => {
    const values = cleanForm(req.body, SECRET_FIELDS);
    const codes = await onAccountPage(req, reply, values, () => accounts.renewRecoveryCodes(req.actor, parse(NewRecoveryCodes, values)));
    if (codes === undefined) return reply;
    return reply.page(<RecoveryCodesPage ctx={viewContext(req, reply, 'notice.recoveryCodesRenewed')} codes={codes} />);
  });

  app.post('/account/totp/disable', { config: own }, async (req, reply) => {
    const values = cleanForm(req.body, SECRET_FIELDS);
    const token = await onAccountPage(req, reply, values, () => accounts.disableTotp(req.actor, parse(DisableTotp, values), req.client));
    if (token === undefined) return reply;
    setSessionCookie(reply, config, token);
    return reply.redirect('/account?done=totpDisabled', 303);
  });

  app.post('/account/sessions/:id/revoke', { config: own }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    await accounts.revokeSession(req.actor, id);
    return reply.redirect('/account?done=sessionRevoked#sessions', 303);
  });

  app.post('/account/sessions/revoke-others', { config: own }, async (req, reply) => {
    await accounts.revokeOtherSessions(req.actor);
    return reply.redirect('/account?done=sessionRevoked#sessions', 303);
  });

  app.post('/account/tokens', { config: own }, async (req, reply) => {
    const values = cleanForm(req.body, SECRET_FIELDS);
    const created = await onAccountPage(req, reply, values, () => accounts.createApiToken(req.actor, parse(CreateApiToken, values)));
    if (!created) return reply;
    // Shown once, on this response only: it is stored hashed and cannot be shown again.
    return reply.page(<AccountPage ctx={viewContext(req, reply)} account={await accounts.account(req.actor)} newToken={created.token} />);
  });

  app.post('/account/tokens/:id/revoke', { config: own }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    await accounts.revokeApiToken(req.actor, id);
    return reply.redirect('/account?done=tokenRevoked#tokens', 303);
  });

  // ---- password reset ----------------------------------------------------------------------

  app.get('/password/forgot', { config: anyone }, async (req, reply) => {
    const sent = (req.query as Record<string, unknown>).sent === '1';
    return reply.page(<ForgotPage ctx={viewContext(req, reply)} sent={sent} />);
  });

  app.post('/password/forgot', { config: anyone }, async (req, reply) => {
    const values = cleanForm(req.body);
    const done = await formAction(
      reply,
      async () => {
        await accounts.requestPasswordReset(parse(ForgotPassword, values), req.intl.locale);
        return true;
      },
      (errors) => <ForgotPage ctx={viewContext(req, reply)} state={{ values, errors }} />,
    );
    if (!done) return reply;
    return reply.redirect('/password/forgot?sent=1', 303);
  });

  app.get('/password/reset/:token', { config: anyone }, async (req, reply) => {
    const { token } = parse(TokenParam, req.params);
    if (!(await accounts.checkResetToken(token))) throw new AppError('not_found', 'errors.linkExpired');
    return reply.page(<ResetPage ctx={viewContext(req, reply)} token={token} />);
  });

  app.post('/password/reset/:token', { config: anyone }, async (req, reply) => {
    const { token } = parse(TokenParam, req.params);
    const values = cleanForm(req.body, SECRET_FIELDS);
    const done = await formAction(
      reply,
      async () => {
        await accounts.resetPassword(token, parse(ResetPassword, values));
        return true;
      },
      (errors) => <ResetPage ctx={viewContext(req, reply)} token={token} state={{ values, errors }} />,
    );
    if (!done) return reply;
    return reply.redirect('/sign-in?done=passwordReset', 303);
  });

  // ---- invitations -------------------------------------------------------------------------

  app.get('/invitations/:token', { config: anyone }, async (req, reply) => {
    const { token } = parse(TokenParam, req.params);
    const invitation = await accounts.findInvitation(token);
    if (!invitation) throw new AppError('not_found', 'errors.linkExpired');
    return reply.page(<InvitationPage ctx={viewContext(req, reply)} token={token} invitation={invitation} />);
  });

  app.post('/invitations/:token', { config: anyone }, async (req, reply) => {
    const { token } = parse(TokenParam, req.params);
    const invitation = await accounts.findInvitation(token);
    if (!invitation) throw new AppError('not_found', 'errors.linkExpired');
    const values = cleanForm(req.body, SECRET_FIELDS);
    const session = await formAction(
      reply,
      () => accounts.acceptInvitation(token, parse(AcceptInvitation, values), req.client, req.intl.locale),
      (errors) => <InvitationPage ctx={viewContext(req, reply)} token={token} invitation={invitation} state={{ values, errors }} />,
    );
    if (!session) return reply;
    setSessionCookie(reply, config, session.token);
    return reply.redirect('/account?done=welcome', 303);
  });
}
