import { countryName } from '../../../platform/countries.ts';
import { Matrix, MatrixTable } from '../../../views/charts/matrix.tsx';
import { catalogLegendLabel, ChartLegend } from '../../../views/charts/scale.tsx';
import { WorldMap, WorldMapTable } from '../../../views/charts/world-map.tsx';
import { TableWrap } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { PictureService } from '../picture.service.ts';
import { CountryLink, day, month, monthEnd } from './common.tsx';
import { SignSummary } from './signs.tsx';

type Overview = Awaited<ReturnType<PictureService['overview']>>;
type CountryData = Awaited<ReturnType<PictureService['country']>>;

function percent(ctx: ViewContext, p: number): string {
  return new Intl.NumberFormat(ctx.intl.locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(p);
}

/** The Early Warning Project's model, always labelled as outside context, never blended in. */
function ForecastNote({ ctx }: { ctx: ViewContext }) {
  return <p class="hint">{ctx.intl.t('forecast.caveat')}</p>;
}

/** A forecast whose window has passed says so, and by how long, rather than pass for today's. */
function ForecastAge({ ctx, first, last }: { ctx: ViewContext; first: number; last: number }) {
  const years = new Date().getUTCFullYear() - last;
  return years > 0 ? <p class="warning">{ctx.intl.t('forecast.outdated', { first, last, years })}</p> : null;
}

export function CountriesPage({ ctx, data }: { ctx: ViewContext; data: Overview }) {
  const { t, locale, number } = ctx.intl;
  const title = t('country.overviewTitle');
  const href = (c: string) => `/countries/${c}`;
  const legendLabel = catalogLegendLabel(ctx.intl, 'country.legendOneCorroborated');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('country.overviewIntro', { days: data.days })}</p>
      <ChartLegend locale={locale} title={t('country.legend')} noneLabel={t('map.legendNone')} legendLabel={legendLabel} idPrefix="signs-legend" />
      <WorldMap
        counts={data.counts}
        href={href}
        label={(c, n) => t('country.mapLabel', { count: n, country: countryName(locale, c) })}
        title={t('country.mapTitle')}
        description={t('country.mapDescription', { days: data.days })}
        locale={locale}
        idPrefix="signs-map"
      />
      <details open={data.counts.size > 0 && data.counts.size < 8}>
        <summary>{t('map.asTable')}</summary>
        <WorldMapTable
          counts={data.counts}
          href={href}
          countryName={(c) => countryName(locale, c)}
          caption={t('country.mapTitle')}
          headers={{ country: t('signs.country'), count: t('country.corroboratedSigns') }}
          locale={locale}
        />
      </details>
      <h2>{t('forecast.title')}</h2>
      {data.edition ? (
        <>
          <p>{t('forecast.intro', { first: data.edition.first_year, last: data.edition.last_year })}</p>
          <ForecastAge ctx={ctx} first={data.edition.first_year} last={data.edition.last_year} />
          <ForecastNote ctx={ctx} />
          <TableWrap label={t('forecast.title')}>
            <table>
              <caption>{t('forecast.topCaption', { count: data.forecasts.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('forecast.rank')}</th>
                  <th scope="col">{t('signs.country')}</th>
                  <th scope="col">{t('forecast.risk')}</th>
                </tr>
              </thead>
              <tbody>
                {data.forecasts.map((f) => (
                  <tr key={f.country + f.ewp_name}>
                    <td>{f.rank === null ? '–' : number(f.rank)}</td>
                    <th scope="row">
                      <CountryLink ctx={ctx} code={f.country} />
                    </th>
                    <td>{percent(ctx, f.risk)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : (
        <p>{t('forecast.none')}</p>
      )}
    </Layout>
  );
}

export function CountryPage({ ctx, data }: { ctx: ViewContext; data: CountryData }) {
  const { t, locale, dir, number, date } = ctx.intl;
  const name = countryName(locale, data.country);
  const factorLabel = (f: string) => `${f}. ${data.framework.label(f, locale)}`;
  const href = (f: string, m: string) => `/signs?country=${data.country}&factor=${f}&from=${m}-01&to=${monthEnd(m)}`;
  const rows = data.framework.factors.map((f) => f.code);
  // Newest month first: on a phone the grid scrolls, and the months that matter are the latest.
  const grid = { rows, columns: [...data.months].reverse(), counts: data.grid, href, rowLabel: factorLabel, columnLabel: (m: string) => month(ctx, m) };
  // The grid counts every sign the reader may see, corroborated or not.
  const legendLabel = catalogLegendLabel(ctx.intl, 'country.legendOneSign');
  const f = data.forecast;
  return (
    <Layout ctx={ctx} title={name}>
      <h1>{name}</h1>
      <p>
        <a href={`/signs?country=${data.country}`}>{t('country.allSigns', { count: data.total })}</a>
      </p>

      <h2>{t('country.changesTitle')}</h2>
      <div class="cards">
        {data.changes.map((c) => (
          <section key={c.days} aria-labelledby={`changes-${c.days}`}>
            <h3 id={`changes-${c.days}`}>{t('country.lastDays', { days: c.days })}</h3>
            <ul>
              <li>{t('country.newSigns', { count: c.newSigns })}</li>
              <li>{t('country.corroborations', { count: c.corroborations })}</li>
              <li>{t('country.disputes', { count: c.disputes })}</li>
              <li>{t('country.verifications', { count: c.verifications })}</li>
              <li>
                {c.newFactors.length === 0
                  ? t('country.noNewFactors')
                  : t('country.newFactors', { factors: c.newFactors.map((x) => factorLabel(x)).join('; ') })}
              </li>
            </ul>
          </section>
        ))}
      </div>

      <h2 id="grid">{t('country.gridTitle')}</h2>
      <p>{t('country.gridIntro', { months: data.months.length })}</p>
      <ChartLegend locale={locale} title={t('country.gridLegend')} noneLabel={t('map.legendNone')} legendLabel={legendLabel} idPrefix="grid-legend" />
      <TableWrap label={t('country.gridTitle')} hint={t('chart.scrollSideways')}>
        <Matrix
          {...grid}
          cellLabel={(fc, m, n) => t('country.cellLabel', { count: n, factor: factorLabel(fc), month: month(ctx, m) })}
          title={t('country.gridTitle')}
          description={t('country.gridDescription', { country: name })}
          dir={dir}
          locale={locale}
          idPrefix="grid"
        />
      </TableWrap>
      <details>
        <summary>{t('map.asTable')}</summary>
        <MatrixTable {...grid} caption={t('country.gridTitle')} rowHeader={t('signs.factor')} locale={locale} />
      </details>

      <h2>{t('forecast.title')}</h2>
      {f ? (
        <div class="panel">
          <ForecastAge ctx={ctx} first={f.first_year} last={f.last_year} />
          <p>
            {t('forecast.countryRisk', {
              risk: percent(ctx, f.risk),
              first: f.first_year,
              last: f.last_year,
            })}
          </p>
          {f.rank !== null && <p>{t('forecast.countryRank', { rank: number(f.rank), total: number(Number(f.ranked)) })}</p>}
          <ForecastNote ctx={ctx} />
        </div>
      ) : (
        <p>{t('forecast.noneForCountry')}</p>
      )}

      <h2>{t('alerts.title')}</h2>
      {data.alerts.length === 0 ? (
        <p>{t('alerts.none')}</p>
      ) : (
        <ul>
          {data.alerts.map((a) => (
            <li key={a.id}>
              <a href={`/alerts/${a.id}`}>{t('alerts.linkLabel', { number: a.number, severity: t(`alerts.severity.${a.severity}`) })}</a> ·{' '}
              {t(`alerts.status.${a.status}`)} · {date(a.created_at)}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('country.timelineTitle')}</h2>
      {data.timeline.length === 0 ? (
        <p>{t('signs.none')}</p>
      ) : (
        <ul class="cards timeline">
          {data.timeline.map((s) => (
            <SignSummary ctx={ctx} sign={s} framework={data.framework} showCountry={false} key={s.id} />
          ))}
        </ul>
      )}
      {data.total > data.timeline.length && (
        <p>
          <a href={`/signs?country=${data.country}`}>{t('country.allSigns', { count: data.total })}</a>
        </p>
      )}
      <p class="hint">{t('country.asOf', { date: day(ctx, new Date().toISOString().slice(0, 10)) })}</p>
    </Layout>
  );
}
