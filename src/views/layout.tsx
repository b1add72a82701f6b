import type { ComponentChildren } from 'preact';
import { catalogs } from '../platform/i18n.ts';
import { STYLESHEET_URL } from './assets.ts';
import { Csrf, Notice } from './components.tsx';
import type { ViewContext } from './context.ts';

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', ar: 'العربية' };

function LanguageSwitcher({ ctx }: { ctx: ViewContext }) {
  const { t, locale } = ctx.intl;
  return (
    <form method="post" action="/language" aria-label={t('layout.language')} class="language">
      <Csrf ctx={ctx} />
      <input type="hidden" name="next" value={ctx.path} />
      {[...catalogs.keys()].map((code) => (
        <button
          type="submit"
          name="locale"
          value={code}
          lang={code}
          key={code}
          class="link"
          aria-pressed={code === locale ? 'true' : 'false'}
        >
          {LANGUAGE_NAMES[code] ?? code}
        </button>
      ))}
    </form>
  );
}

export function Layout({ ctx, title, children }: { ctx: ViewContext; title: string; children: ComponentChildren }) {
  const { t, locale, dir } = ctx.intl;
  const signedIn = ctx.actor.kind === 'person';
  return (
    <html lang={locale} dir={dir}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Northstar`}</title>
        <link rel="stylesheet" href={STYLESHEET_URL} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('layout.skip')}
        </a>
        <header class="site">
          <a class="brand" href="/">
            Northstar
          </a>
          {/* On the first screen, in each language's own words: a reader of Arabic only finds it. */}
          <LanguageSwitcher ctx={ctx} />
          <nav aria-label={t('layout.nav')}>
            {/* The capabilities fold away on a phone (no script: a <details>); who you are stays out. */}
            <details class="menu">
              <summary>{t('layout.menu')}</summary>
              <ul>
                <li>
                  <a href="/directory">{t('nav.directory')}</a>
                </li>
                <li>
                  <a href="/map">{t('nav.map')}</a>
                </li>
                <li>
                  <a href="/countries">{t('nav.countries')}</a>
                </li>
                <li>
                  <a href="/alerts">{t('nav.alerts')}</a>
                </li>
                <li>
                  <a href="/consultations">{t('nav.consultations')}</a>
                </li>
                <li>
                  <a href="/opportunities">{t('nav.opportunities')}</a>
                </li>
                <li>
                  <a href="/statements">{t('nav.statements')}</a>
                </li>
                <li>
                  <a href="/commitments">{t('nav.commitments')}</a>
                </li>
                <li>
                  <a href="/library">{t('nav.library')}</a>
                </li>
                {signedIn && (
                  <li>
                    <a href="/surveys">{t('nav.surveys')}</a>
                  </li>
                )}
                {ctx.isMember && (
                  <li>
                    <a href="/network">{t('nav.network')}</a>
                  </li>
                )}
                {ctx.adminOf && (
                  <li>
                    <a href={`/organisations/${ctx.adminOf}/staff`}>{t('nav.organisation')}</a>
                  </li>
                )}
                {ctx.isConvener && (
                  <>
                    <li>
                      <a href="/applications">{t('nav.applications')}</a>
                    </li>
                    <li>
                      <a href="/people">{t('nav.people')}</a>
                    </li>
                    <li>
                      <a href="/forecasts">{t('nav.forecasts')}</a>
                    </li>
                    <li>
                      <a href="/outbox">{t('nav.outbox')}</a>
                    </li>
                  </>
                )}
              </ul>
            </details>
            <ul class="you">
              {signedIn ? (
                <>
                  {ctx.isParticipant && (
                    <li>
                      <a href="/consultations/mine">{t('nav.mine')}</a>
                    </li>
                  )}
                  <li>
                    <a href="/account">{t('nav.account')}</a>
                  </li>
                  <li>
                    <form method="post" action="/sign-out" class="inline">
                      <Csrf ctx={ctx} />
                      <button type="submit" class="link">
                        {t('nav.signOut')}
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href="/sign-in">{t('nav.signIn')}</a>
                  </li>
                  <li>
                    <a href="/register">{t('nav.register')}</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {ctx.notice && <Notice>{t(ctx.notice)}</Notice>}
          {children}
        </main>
        <footer>
          {/* Meetings, goals part (issue 14, item 11): the self-care and mutual support page, from every page. */}
          <p>
            <a href="/support">{t('support.footerLink')}</a>
          </p>
          <p>{t('layout.footer')}</p>
        </footer>
      </body>
    </html>
  );
}

export function ErrorPage({ ctx, status, messageKey, fields = [] }: { ctx: ViewContext; status: number; messageKey: string; fields?: string[] }) {
  const { t } = ctx.intl;
  const titleKey = status === 404 ? 'errors.notFoundTitle' : status === 429 ? 'errors.throttledTitle' : status >= 500 ? 'errors.serverTitle' : 'errors.requestTitle';
  return (
    <Layout ctx={ctx} title={t(titleKey)}>
      <h1>{t(titleKey)}</h1>
      <p>{t(messageKey)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
      <p>
        <a href="/">{t('errors.backHome')}</a>
      </p>
    </Layout>
  );
}

/** A form sent from another origin than PUBLIC_URL: which one, and what to do about it. */
export function OriginMismatchPage({ ctx, values }: { ctx: ViewContext; values: Record<string, string | number> }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('errors.requestTitle')}>
      <h1>{t('errors.requestTitle')}</h1>
      <p>{t('errors.originMismatch', values)}</p>
      <p>
        <a href={String(values.expected)}>{t('errors.openPublicUrl')}</a>
      </p>
    </Layout>
  );
}
