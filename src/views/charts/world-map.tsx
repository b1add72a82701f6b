import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type GeoContext, type GeoPermissibleObjects, geoContains, geoEqualEarth, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature, mergeArcs } from 'topojson-client';
import type { GeometryCollection, MultiPolygon, Polygon, Topology } from 'topojson-specification';
import { alpha3FromNumeric, collatorFor } from '../../platform/countries.ts';
import { TableWrap } from '../components.tsx';
import { DEFAULT_BREAKS, EMPTY_FILL, fillFor, numberFormat, PAPER } from './scale.tsx';

export const MAP_WIDTH = 960;
const MARGIN = 8;
const ANTARCTICA = '010';
const RUSSIA = '643';
const UKRAINE = '804';
const CRIMEA: [number, number] = [34.1, 45.0];

type CountryGeometry = Polygon<{ name: string }> | MultiPolygon<{ name: string }>;
type Atlas = Topology<{ countries: GeometryCollection<{ name: string }> }>;

function loadAtlas(): Atlas {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Atlas;
}

/**
 * Natural Earth's "de facto" boundaries, which world-atlas 2 ships, draw Crimea as part of
 * Russia. The UN General Assembly (resolution 68/262) and ISO 3166 treat it as Ukraine, and for a
 * network working with Ukrainian communities on atrocity prevention the difference is not
 * cosmetic. Crimea is its own ring in Russia's multipolygon, so it is moved and merged into
 * Ukraine along their shared arc. If a future atlas already draws it in Ukraine, nothing changes.
 */
function withCrimeaInUkraine(atlas: Atlas): CountryGeometry[] {
  const geometries = atlas.objects.countries.geometries.filter(
    (g): g is CountryGeometry => g.type === 'Polygon' || g.type === 'MultiPolygon',
  );
  const russia = geometries.find((g) => g.id === RUSSIA);
  const ukraine = geometries.find((g) => g.id === UKRAINE);
  if (russia?.type !== 'MultiPolygon' || !ukraine) return geometries;
  const crimea = russia.arcs.findIndex((rings) => geoContains(feature(atlas, { type: 'Polygon', arcs: rings }), CRIMEA));
  if (crimea < 0) return geometries;
  const crimeaPolygon: Polygon = { type: 'Polygon', arcs: russia.arcs[crimea]! };
  const newRussia: CountryGeometry = { ...russia, arcs: russia.arcs.filter((_, i) => i !== crimea) };
  const newUkraine: CountryGeometry = { ...mergeArcs(atlas, [ukraine, crimeaPolygon]), id: UKRAINE, properties: ukraine.properties };
  return geometries.map((g) => (g === russia ? newRussia : g === ukraine ? newUkraine : g));
}

/**
 * A d3 path context that writes the shortest SVG path data it can: coordinates rounded to whole
 * viewBox units (under a screen pixel at any size the map is shown), relative "l" commands,
 * repeated points dropped and rings that round away to nothing skipped. This is less than half
 * the bytes of geoPath().digits(0), which writes every point in absolute form.
 */
class CompactPath implements GeoContext {
  private out = '';
  private ring: [number, number][] = [];

  moveTo(x: number, y: number): void {
    this.flush();
    this.ring.push([Math.round(x), Math.round(y)]);
  }

  lineTo(x: number, y: number): void {
    const [px, py] = this.ring[this.ring.length - 1] ?? [Number.NaN, Number.NaN];
    const point: [number, number] = [Math.round(x), Math.round(y)];
    if (point[0] !== px || point[1] !== py) this.ring.push(point);
  }

  closePath(): void {
    this.flush();
  }

  beginPath(): void {}

  arc(): void {}

  result(): string {
    this.flush();
    return this.out;
  }

  private flush(): void {
    const ring = this.ring;
    this.ring = [];
    const [first, last] = [ring[0], ring[ring.length - 1]];
    if (first && last && ring.length > 1 && first[0] === last[0] && first[1] === last[1]) ring.pop();
    if (ring.length < 3) return;
    let [x, y] = ring[0]!;
    let d = `M${x}${sep(y)}${y}l`;
    ring.slice(1).forEach(([nx, ny], i) => {
      const dx = nx - x;
      const dy = ny - y;
      d += `${i === 0 ? '' : sep(dx)}${dx}${sep(dy)}${dy}`;
      x = nx;
      y = ny;
    });
    this.out += `${d}z`;
  }
}

/** A minus sign already separates two numbers in SVG path data. */
function sep(n: number): string {
  return n < 0 ? '' : ' ';
}

interface Shapes {
  height: number;
  /** alpha-3 → path data, for every country the atlas draws. */
  byCountry: ReadonlyMap<string, string>;
  /** Shapes with no ISO code (Kosovo, Northern Cyprus, Somaliland): always plain background. */
  unnamed: string;
}

function buildShapes(): Shapes {
  const atlas = loadAtlas();
  const features = withCrimeaInUkraine(atlas)
    .filter((g) => g.id !== ANTARCTICA)
    .map((g) => feature(atlas, g) as Feature<Geometry, { name: string }>);
  const collection: FeatureCollection = { type: 'FeatureCollection', features };
  const projection = geoEqualEarth().fitWidth(MAP_WIDTH - 2 * MARGIN, collection);
  const [tx, ty] = projection.translate();
  projection.translate([tx + MARGIN, ty + MARGIN]);
  const [, [, bottom]] = geoPath(projection).bounds(collection);
  const byCountry = new Map<string, string>();
  let unnamed = '';
  for (const f of features) {
    const context = new CompactPath();
    geoPath(projection, context)(f as GeoPermissibleObjects);
    const d = context.result();
    if (!d) continue;
    const iso3 = typeof f.id === 'string' ? alpha3FromNumeric(f.id) : undefined;
    if (iso3) byCountry.set(iso3, (byCountry.get(iso3) ?? '') + d);
    else unnamed += d;
  }
  return { height: Math.ceil(bottom) + MARGIN, byCountry, unnamed };
}

// Built once at module load (about 70 ms), then every render is string concatenation.
const SHAPES = buildShapes();
export const MAP_HEIGHT = SHAPES.height;

/** Whether the country is big enough to be drawn at this scale. Those that are not are still in the table. */
export function isOnMap(iso3: string): boolean {
  return SHAPES.byCountry.has(iso3);
}

/** The alpha-3 code of the country drawn at a point (longitude, latitude in degrees); for tests. */
export function atlasCountryAt(point: [number, number]): string | undefined {
  const atlas = loadAtlas();
  for (const g of withCrimeaInUkraine(atlas)) {
    if (typeof g.id === 'string' && geoContains(feature(atlas, g), point)) return alpha3FromNumeric(g.id);
  }
  return undefined;
}

const BORDER = { stroke: PAPER, 'stroke-width': 0.5, 'stroke-linejoin': 'round' } as const;

/** A country shape; the link around it, if any, carries its name. */
function Shape({ d, fill, tooltip }: { d: string; fill: string; tooltip?: string }) {
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: Biome counts every SVG element as focusable; a <path> never is
    <path d={d} fill={fill} aria-hidden="true">
      {tooltip !== undefined && <title>{tooltip}</title>}
    </path>
  );
}

export interface WorldMapProps {
  /** Organisations per country, keyed by ISO alpha-3. Missing, zero or negative: not a link. */
  counts: ReadonlyMap<string, number>;
  href: (iso3: string) => string;
  /** The link's accessible name and tooltip, e.g. "Sudan: 12 organisations". */
  label: (iso3: string, count: number) => string;
  title: string;
  description: string;
  /** Orders the links alphabetically for keyboard and screen-reader users. */
  locale: string;
  /** Prefix for the ids of <title> and <desc>; must be unique on the page. */
  idPrefix?: string | undefined;
  breaks?: readonly number[] | undefined;
}

/**
 * Countries of focus as a choropleth. Each country with organisations is a link; the rest of the
 * world is a single hidden background shape. Tab order is alphabetical by label, since an order
 * by position on the map would mean nothing to someone who cannot see it.
 */
export function WorldMap({ counts, href, label, title, description, locale, idPrefix = 'world-map', breaks = DEFAULT_BREAKS }: WorldMapProps) {
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  let background = SHAPES.unnamed;
  const linked: { iso3: string; d: string; fill: string; text: string }[] = [];
  for (const [iso3, d] of SHAPES.byCountry) {
    const count = counts.get(iso3) ?? 0;
    if (count > 0) linked.push({ iso3, d, fill: fillFor(count, breaks), text: label(iso3, count) });
    else background += d;
  }
  const collator = collatorFor(locale);
  linked.sort((a, b) => collator.compare(a.text, b.text) || (a.iso3 < b.iso3 ? -1 : 1));
  return (
    // biome-ignore lint/a11y/useSemanticElements: an <svg> cannot be a <fieldset>; "group" keeps its links reachable where "img" would hide them
    <svg
      class="chart world-map"
      viewBox={`0 0 ${MAP_WIDTH} ${SHAPES.height}`}
      role="group"
      aria-labelledby={titleId}
      aria-describedby={descId}
    >
      <title id={titleId}>{title}</title>
      <desc id={descId}>{description}</desc>
      <Shape d={background} fill={EMPTY_FILL} />
      <g {...BORDER}>
        {linked.map((c) => (
          // The <title> is for the mouse tooltip; it sits on the hidden shape rather than the
          // link so that screen readers do not announce the name a second time as a description.
          <a href={href(c.iso3)} aria-label={c.text} key={c.iso3}>
            <Shape d={c.d} fill={c.fill} tooltip={c.text} />
          </a>
        ))}
      </g>
    </svg>
  );
}

export interface WorldMapTableProps {
  counts: ReadonlyMap<string, number>;
  href: (iso3: string) => string;
  countryName: (iso3: string) => string;
  caption: string;
  headers: { country: string; count: string };
  locale: string;
}

/**
 * The map as a table: every country with organisations, including those too small to draw
 * (Bahrain, Malta, the Maldives…), most organisations first.
 */
export function WorldMapTable({ counts, href, countryName, caption, headers, locale }: WorldMapTableProps) {
  const collator = collatorFor(locale);
  const format = numberFormat(locale);
  const rows = [...counts]
    .filter(([, count]) => count > 0)
    .map(([iso3, count]) => ({ iso3, count, name: countryName(iso3) }))
    .sort((a, b) => b.count - a.count || collator.compare(a.name, b.name));
  return (
    <TableWrap label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{headers.country}</th>
            <th scope="col">{headers.count}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.iso3}>
              <th scope="row">
                <a href={href(r.iso3)}>{r.name}</a>
              </th>
              <td>{format.format(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
