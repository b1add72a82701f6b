import { countryName, countryOptions } from '../../../platform/countries.ts';
import { languageName, languageOptions } from '../../../platform/languages.ts';
import type { FormState } from '../../../views/form.ts';
import { EMPTY } from '../../../views/form.ts';
import { ErrorSummary, Field, Form, MultiSelect, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { NetworkService } from '../network.service.ts';
import { listOf } from '../../../views/format.ts';

type NetworkData = Awaited<ReturnType<NetworkService['list']>>;

export function NetworkPage({ ctx, data }: { ctx: ViewContext; data: NetworkData }) {
  const { t, locale } = ctx.intl;
  const title = t('network.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('network.intro')}</p>
      {data.canEdit && (
        <p>
          <a href="/network/profile">{t('network.editOwn')}</a>
        </p>
      )}
      {data.associates.length === 0 ? (
        <p>{t('network.none')}</p>
      ) : (
        <ul class="cards">
          {data.associates.map((a) => (
            <li key={a.id}>
              <h2 dir="auto">{a.display_name}</h2>
              {a.organisation && (
                <p class="muted" dir="auto">
                  {a.organisation}
                </p>
              )}
              <p dir="auto" class="pre">
                {a.expertise}
              </p>
              {a.countries.length > 0 && (
                <p>
                  {t('profile.countries')}: {listOf(ctx, a.countries.map((c) => countryName(locale, c)))}
                </p>
              )}
              {a.languages.length > 0 && (
                <p>
                  {t('profile.languages')}: {listOf(ctx, a.languages.map((l) => languageName(locale, l)))}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function AssociateProfilePage({ ctx, state = EMPTY }: { ctx: ViewContext; state?: FormState }) {
  const { t, locale } = ctx.intl;
  const title = t('network.profileTitle');
  const failed = Object.keys(state.errors).length > 0;
  return (
    <Layout ctx={ctx} title={failed ? t('page.errorPrefix', { title }) : title}>
      <h1>{title}</h1>
      <p>{t('network.profileIntro')}</p>
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <Form ctx={ctx} action="/network/profile">
        <Textarea ctx={ctx} name="expertise" label={t('network.expertise')} hint={t('network.expertiseHint')} value={state.values.expertise} errors={state.errors} required maxLength={2000} />
        <MultiSelect ctx={ctx} name="countries" label={t('network.countries')} hint={t('profile.countriesHint')} options={countryOptions(locale)} value={state.values.countries} errors={state.errors} />
        <MultiSelect ctx={ctx} name="languages" label={t('profile.languages')} hint={t('profile.languagesHint')} options={languageOptions(locale)} value={state.values.languages} errors={state.errors} />
        <Field ctx={ctx} name="organisation" label={t('network.organisation')} hint={t('form.optional')} value={state.values.organisation} errors={state.errors} maxLength={160} />
        <button type="submit">{t('network.save')}</button>
      </Form>
    </Layout>
  );
}
