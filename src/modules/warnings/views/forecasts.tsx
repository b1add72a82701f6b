import { countryName, countryOptions } from '../../../platform/countries.ts';
import type { FieldErrors } from '../../../platform/errors.ts';
import { ErrorSummary, FileField, Form, message, PostButton, TableWrap } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { ForecastsService } from '../forecasts.service.ts';
import { Steps } from './common.tsx';

type Overview = Awaited<ReturnType<ForecastsService['overview']>>;
type Preview = Awaited<ReturnType<ForecastsService['preview']>>;

function stepNames(ctx: ViewContext) {
  const { t } = ctx.intl;
  return [t('forecasts.stepUpload'), t('forecasts.stepReview'), t('forecasts.stepDone')];
}

export function ForecastsPage({ ctx, data, errors = {}, summaryKey }: { ctx: ViewContext; data: Overview; errors?: FieldErrors; summaryKey?: string }) {
  const { t, dateTime, number } = ctx.intl;
  return (
    <Layout ctx={ctx} title={t('forecasts.title')}>
      <h1>{t('forecasts.title')}</h1>
      <Steps ctx={ctx} steps={stepNames(ctx)} current={1} />
      <p>{t('forecasts.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={summaryKey} />
      <form method="post" action="/forecasts/imports" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <FileField ctx={ctx} name="file" label={t('forecasts.file')} hint={t('forecasts.fileHint')} accept=".csv,text/csv" errors={errors} />
        <button type="submit">{t('forecasts.upload')}</button>
      </form>
      <h2>{t('forecasts.history')}</h2>
      {data.imports.length === 0 ? (
        <p>{t('forecasts.noImports')}</p>
      ) : (
        <TableWrap label={t('forecasts.history')}>
          <table>
            <caption>{t('forecasts.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('forecasts.fileName')}</th>
                <th scope="col">{t('forecasts.edition')}</th>
                <th scope="col">{t('forecasts.status')}</th>
                <th scope="col">{t('forecasts.changed')}</th>
                <th scope="col">{t('forecasts.when')}</th>
              </tr>
            </thead>
            <tbody>
              {data.imports.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <a href={`/forecasts/imports/${i.id}`}>{i.filename}</a>
                  </th>
                  <td>{t('forecasts.window', { first: i.first_year, last: i.last_year })}</td>
                  <td>{t(`forecasts.state.${i.status}`)}</td>
                  <td>{i.changed_rows === null ? '–' : number(i.changed_rows)}</td>
                  <td>{dateTime(i.committed_at ?? i.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}

export function ImportPage({ ctx, data, errors = {}, values = {}, summaryKey }: { ctx: ViewContext; data: Preview; errors?: FieldErrors; values?: Record<string, unknown>; summaryKey?: string }) {
  const { t, locale, number, dateTime } = ctx.intl;
  const imp = data.import;
  const done = imp.status !== 'preview';
  const countries = countryOptions(locale);
  return (
    <Layout ctx={ctx} title={t('forecasts.previewTitle')}>
      <h1>{t('forecasts.previewTitle')}</h1>
      <Steps ctx={ctx} steps={stepNames(ctx)} current={done ? 3 : 2} />
      <dl class="facts">
        <dt>{t('forecasts.fileName')}</dt>
        <dd>{imp.filename}</dd>
        <dt>{t('forecasts.edition')}</dt>
        <dd>
          {t('forecasts.window', { first: imp.first_year, last: imp.last_year })} (<code>{imp.edition}</code>)
        </dd>
        <dt>{t('forecasts.rows')}</dt>
        <dd>{number(data.total)}</dd>
        <dt>{t('forecasts.status')}</dt>
        <dd>{t(`forecasts.state.${imp.status}`)}</dd>
      </dl>
      {imp.status === 'committed' && (
        <p class="notice" role="status">
          {t('forecasts.committedSummary', { changed: imp.changed_rows ?? 0, date: dateTime(imp.committed_at ?? imp.created_at) })}
        </p>
      )}
      {data.sameFileCommittedAt && !done && <p class="warning">{t('forecasts.sameFile', { date: dateTime(data.sameFileCommittedAt) })}</p>}
      {!done && (
        <p>
          {t('forecasts.changesPreview', { added: data.added, changed: data.changed, unchanged: data.unchanged })}
        </p>
      )}
      <h2>{t('forecasts.unmappedTitle', { count: data.unmapped.length })}</h2>
      <p>{t('forecasts.unmappedIntro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} summaryKey={summaryKey} />
      {done ? (
        <ul>
          {data.unmapped.map((r) => {
            const d = imp.decisions?.[String(r.cowCode)];
            return (
              <li key={r.cowCode}>
                {t('forecasts.unmappedRow', { name: r.ewpName, code: r.cowCode, line: r.line })}:{' '}
                {d === 'skip' || !d ? t('forecasts.leftOut') : t('forecasts.matchedTo', { country: countryName(locale, d) })}
              </li>
            );
          })}
        </ul>
      ) : (
        <Form ctx={ctx} action={`/forecasts/imports/${imp.id}/commit`}>
          {data.unmapped.map((r) => {
            const field = `match-${r.cowCode}`;
            const chosen = (values[field] as string | undefined) ?? r.previous ?? '';
            const error = message(t, errors, field);
            return (
              <div class="field" key={r.cowCode}>
                <label for={field}>{t('forecasts.unmappedRow', { name: r.ewpName, code: r.cowCode, line: r.line })}</label>
                <span class="hint" id={`${field}-hint`}>
                  {r.suggestion ? t('forecasts.suggestion', { country: countryName(locale, r.suggestion) }) : t('forecasts.noSuggestion')}
                </span>
                {error && (
                  <span class="field-error" id={`${field}-error`}>
                    {error}
                  </span>
                )}
                <select id={field} name={field} aria-describedby={`${field}-hint${error ? ` ${field}-error` : ''}`} aria-invalid={error ? 'true' : undefined}>
                  <option value="" selected={chosen === ''}>
                    {t('forecasts.decide')}
                  </option>
                  {r.suggestion && (
                    <option value={r.suggestion} selected={chosen === r.suggestion}>
                      {t('forecasts.matchSuggestion', { country: countryName(locale, r.suggestion) })}
                    </option>
                  )}
                  <option value="skip" selected={chosen === 'skip'}>
                    {t('forecasts.leaveOut')}
                  </option>
                  <optgroup label={t('forecasts.otherCountry')}>
                    {countries.map((c) => (
                      <option value={c.value} key={c.value} selected={chosen === c.value && c.value !== r.suggestion}>
                        {c.label}
                      </option>
                    ))}
                  </optgroup>
                </select>
              </div>
            );
          })}
          <button type="submit">{t('forecasts.commit')}</button>
        </Form>
      )}
      {!done && <PostButton ctx={ctx} action={`/forecasts/imports/${imp.id}/discard`} label={t('forecasts.discard')} secondary />}
      <p>
        <a href="/forecasts">{t('forecasts.back')}</a>
      </p>
    </Layout>
  );
}
