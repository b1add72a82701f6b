import type { FastifyInstance } from 'fastify';
import { viewContext } from '../../views/context.ts';
import { PUBLIC } from '../../platform/policy.ts';
import type { ViewContext } from '../../views/context.ts';
import { Layout } from '../../views/layout.tsx';

function HomePage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      {ctx.actor.kind === 'person' ? (
        <p>
          {t('home.signedInAs', { name: ctx.actor.displayName })} <a href="/account">{t('nav.account')}</a>
        </p>
      ) : (
        <>
          <h2>{t('home.joinTitle')}</h2>
          <p>{t('home.joinCommunity')}</p>
          <p>
            <a class="button" href="/register">
              {t('nav.register')}
            </a>
          </p>
          <p>
            {t('home.haveAccount')} <a href="/sign-in">{t('nav.signIn')}</a>
          </p>
        </>
      )}
      <h2>{t('home.promisesTitle')}</h2>
      <ul>
        <li>{t('home.promiseMinimal')}</li>
        <li>{t('home.promiseStatus')}</li>
        <li>{t('home.promiseLanguage')}</li>
      </ul>
    </Layout>
  );
}

export function homePages(app: FastifyInstance) {
  app.get('/', { config: { access: PUBLIC } }, async (req, reply) => reply.page(<HomePage ctx={viewContext(req, reply)} />));
}
