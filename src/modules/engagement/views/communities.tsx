import { languageName } from '../../../platform/languages.ts';
import { ActingFor, ErrorSummary, Field, Form, MultiSelect, PostButton, TableWrap, Textarea } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import { languageOptions } from '../../../platform/languages.ts';
import type { FormState } from '../../../views/form.ts';
import type { CommunitiesService } from '../communities.service.ts';
import { PREFER_NOT } from '../engagement.schemas.ts';
import { listOf } from '../../../views/format.ts';

type ListData = Awaited<ReturnType<CommunitiesService['list']>>;
type CommunityData = Awaited<ReturnType<CommunitiesService['community']>>;

export function CommunitiesPage({ ctx, data, form }: { ctx: ViewContext; data: ListData; form?: FormState | undefined }) {
  const { t, locale } = ctx.intl;
  const state = form ?? { values: {}, errors: {} };
  return (
    <Layout ctx={ctx} title={t('communities.title')}>
      <h1>{t('communities.title')}</h1>
      <p>{t('communities.intro')}</p>
      {data.communities.length === 0 ? (
        <p>{t('communities.none')}</p>
      ) : (
        <ul class="cards">
          {data.communities.map((c) => (
            <li key={c.id}>
              <h2>
                <a href={`/communities/${c.id}`}>{c.name}</a>
              </h2>
              {c.description && <p dir="auto">{c.description}</p>}
              <p>
                {listOf(ctx, c.languages.map((l) => languageName(locale, l)))}
                {c.languages.length > 0 && ' · '}
                {t('communities.memberCount', { count: Number(c.members) })}
              </p>
            </li>
          ))}
        </ul>
      )}
      {data.canDefine && (
        <section aria-labelledby="new-community">
          <h2 id="new-community">{t('communities.new')}</h2>
          <ErrorSummary ctx={ctx} errors={state.errors} summaryKey={state.summaryKey} />
          <Form ctx={ctx} action="/communities">
            <ActingFor ctx={ctx} value={state.values.actingFor} errors={state.errors} />
            <Field ctx={ctx} name="name" label={t('communities.name')} hint={t('communities.nameHint')} value={state.values.name} errors={state.errors} required maxLength={120} />
            <Textarea ctx={ctx} name="description" label={t('communities.description')} value={state.values.description} errors={state.errors} rows={3} maxLength={2000} />
            <MultiSelect ctx={ctx} name="languages" label={t('communities.languages')} options={languageOptions(locale)} value={state.values.languages} errors={state.errors} />
            <Textarea ctx={ctx} name="dimensions" label={t('communities.dimensions')} hint={t('communities.dimensionsHint')} value={state.values.dimensions} errors={state.errors} rows={5} required maxLength={4000} />
            <button type="submit">{t('communities.create')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

export function FatigueView({ ctx, fatigue }: { ctx: ViewContext; fatigue: CommunityData['fatigue'] }) {
  const { t, number } = ctx.intl;
  return (
    <section aria-labelledby="fatigue">
      <h2 id="fatigue">{t('fatigue.title')}</h2>
      <p>{t('fatigue.intro')}</p>
      <TableWrap label={t('fatigue.title')}>
        <table>
          <caption class="visually-hidden">{t('fatigue.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fatigue.window')}</th>
              <th scope="col">{t('fatigue.asked')}</th>
              <th scope="col">{t('fatigue.loopsClosed')}</th>
              <th scope="col">{t('fatigue.medianDays')}</th>
              <th scope="col">{t('fatigue.byWhom')}</th>
            </tr>
          </thead>
          <tbody>
            {fatigue.windows.map((w) => (
              <tr key={w.months}>
                <th scope="row">{t('fatigue.months', { months: w.months })}</th>
                <td>{number(w.asked)}</td>
                <td>{t('fatigue.ofEnded', { closed: w.loopsClosed, ended: w.ended })}</td>
                <td>{w.medianDays === null ? t('fatigue.noneYet') : t('fatigue.days', { days: Math.round(w.medianDays * 10) / 10 })}</td>
                <td>{w.organisations.length === 0 ? '—' : listOf(ctx, w.organisations.map((o) => `${o.name} (${number(o.count)})`))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

export function CommunityPage({ ctx, data, form }: { ctx: ViewContext; data: CommunityData; form?: FormState | undefined }) {
  const { t, locale } = ctx.intl;
  const c = data.community;
  const errors = form?.errors ?? {};
  return (
    <Layout ctx={ctx} title={c.name}>
      <h1>{c.name}</h1>
      {c.description && <p dir="auto">{c.description}</p>}
      {c.languages.length > 0 && <p>{t('communities.languagesList', { list: listOf(ctx, c.languages.map((l) => languageName(locale, l))) })}</p>}
      <h2>{t('communities.wantHeard')}</h2>
      <p>{t('communities.wantHeardIntro')}</p>
      <ul>
        {data.dimensions.map((d) => (
          <li key={d.id}>
            <strong>{d.label}</strong>: {listOf(ctx, d.groups.map((g) => g.label))}
          </li>
        ))}
      </ul>
      {data.canBelong && (
        <section aria-labelledby="belong">
          <h2 id="belong">{t('communities.youTitle')}</h2>
          {!data.member ? (
            <>
              <p>{t('communities.joinIntro')}</p>
              <PostButton ctx={ctx} action={`/communities/${c.id}/join`} label={t('communities.join')} />
            </>
          ) : (
            <>
              <p>{t('communities.describeIntro')}</p>
              <ErrorSummary ctx={ctx} errors={errors} summaryKey={form?.summaryKey} />
              <Form ctx={ctx} action={`/communities/${c.id}/describe`}>
                {data.dimensions.map((d) => {
                  const current = data.answers.has(d.id) ? (data.answers.get(d.id) ?? PREFER_NOT) : '';
                  return (
                    <fieldset class="field choices" id={`d_${d.id}`} key={d.id}>
                      <legend>{d.label}</legend>
                      {errors[`d_${d.id}`] && <p class="error-message">{t(errors[`d_${d.id}`]?.key ?? 'errors.choice')}</p>}
                      <label>
                        <input type="radio" name={`d_${d.id}`} value="" checked={current === ''} /> {t('communities.noAnswer')}
                      </label>
                      {d.groups.map((g) => (
                        <label key={g.id}>
                          <input type="radio" name={`d_${d.id}`} value={g.id} checked={current === g.id} /> {g.label}
                        </label>
                      ))}
                      <label>
                        <input type="radio" name={`d_${d.id}`} value={PREFER_NOT} checked={current === PREFER_NOT} /> {t('communities.preferNot')}
                      </label>
                    </fieldset>
                  );
                })}
                <p class="hint">{t('communities.describePrivacy')}</p>
                <button type="submit">{t('communities.saveAnswers')}</button>
              </Form>
              <PostButton ctx={ctx} action={`/communities/${c.id}/leave`} label={t('communities.leave')} secondary />
            </>
          )}
        </section>
      )}
      <FatigueView ctx={ctx} fatigue={data.fatigue} />
      {data.fatigue.consultations.length > 0 && (
        <ul>
          {data.fatigue.consultations.map((x) => (
            <li key={x.id}>
              <a href={`/consultations/${x.id}`}>{x.title}</a> — {x.organisation_name} · {t(`consultations.state.${x.state}`)}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
