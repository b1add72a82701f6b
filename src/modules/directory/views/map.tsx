import { countryName } from '../../../platform/countries.ts';
import { Matrix, MatrixTable } from '../../../views/charts/matrix.tsx';
import { catalogLegendLabel, ChartLegend } from '../../../views/charts/scale.tsx';
import { WorldMap, WorldMapTable } from '../../../views/charts/world-map.tsx';
import { TableWrap } from '../../../views/components.tsx';
import type { ViewContext } from '../../../views/context.ts';
import { Layout } from '../../../views/layout.tsx';
import type { DirectoryService } from '../directory.service.ts';
import { ACTIVITIES, STAKEHOLDERS } from '../directory.vocabulary.ts';

type MapData = Awaited<ReturnType<DirectoryService['sectorMap']>>;

/**
 * The sector map: who does what for whom (activity × stakeholder), and where (countries of
 * focus). Server-drawn SVG; every mark links to the directory filtered to it; each picture has
 * a table with the same numbers.
 */
export function SectorMapPage({ ctx, data }: { ctx: ViewContext; data: MapData }) {
  const { t, locale, dir } = ctx.intl;
  const title = t('map.title');
  const activity = (a: string) => t(`activity.${a}`);
  const stakeholder = (s: string) => t(`stakeholder.${s}`);
  const cellHref = (s: string, a: string) => `/directory?activity=${a}&stakeholder=${s}`;
  const countryHref = (c: string) => `/directory?country=${c}`;
  // The same grid for the picture and its table.
  const grid = { rows: STAKEHOLDERS, columns: ACTIVITIES, counts: data.matrix, href: cellHref, rowLabel: stakeholder, columnLabel: activity };
  const legendLabel = catalogLegendLabel(ctx.intl);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t('map.intro', { count: data.total })}</p>
      {data.audience === 'public' && <p class="hint">{t('map.publicOnly')}</p>}

      <h2 id="matrix">{t('map.matrixTitle')}</h2>
      <p>{t('map.matrixIntro')}</p>
      <ChartLegend locale={locale} title={t('map.legend')} noneLabel={t('map.legendNone')} legendLabel={legendLabel} idPrefix="matrix-legend" />
      <TableWrap label={t('map.matrixTitle')} hint={t('chart.scrollSideways')}>
        <Matrix
          {...grid}
          cellLabel={(s, a, n) => t('map.cellLabel', { count: n, activity: activity(a), stakeholder: stakeholder(s) })}
          title={t('map.matrixTitle')}
          description={t('map.matrixDescription')}
          dir={dir}
          locale={locale}
        />
      </TableWrap>
      <details>
        <summary>{t('map.asTable')}</summary>
        <MatrixTable
          {...grid}
          caption={t('map.matrixTitle')}
          rowHeader={t('directory.stakeholder')}
          locale={locale}
        />
      </details>

      <h2 id="world">{t('map.worldTitle')}</h2>
      <p>{t('map.worldIntro')}</p>
      <ChartLegend locale={locale} title={t('map.legend')} noneLabel={t('map.legendNone')} legendLabel={legendLabel} idPrefix="world-legend" />
      <WorldMap
        counts={data.countries}
        href={countryHref}
        label={(c, n) => t('map.countryLabel', { count: n, country: countryName(locale, c) })}
        title={t('map.worldTitle')}
        description={t('map.worldDescription')}
        locale={locale}
      />
      <details>
        <summary>{t('map.asTable')}</summary>
        <WorldMapTable
          counts={data.countries}
          href={countryHref}
          countryName={(c) => countryName(locale, c)}
          caption={t('map.worldTitle')}
          headers={{ country: t('directory.country'), count: t('map.organisations') }}
          locale={locale}
        />
      </details>
    </Layout>
  );
}
