/**
 * The directory with 10,000 generated organisations, on the embedded database and on the
 * PostgreSQL server: p50/p95 of search and filtered listing (one request at a time, so the
 * figure is the time one reader waits), the sector map's render time, and compressed sizes.
 */
import http from 'node:http';
import { profileInput } from '../../src/modules/directory/directory.service.ts';
import { generateOrganisations } from './generate-organisations.ts';
import { HOST, withBenchApp } from './temp-app.ts';

export const ORGANISATIONS = 10_000;
const SAMPLES = 120;

const SEARCHES = ['syria', 'sudan', 'accountability', 'documentation', 'memory', 'justice network', 'سوريا', 'العدالة', 'မြန်မာ', 'youth', 'diaspora', 'monitorng', 'acountability', 'xyzzy'];
const FILTERS = [
  'activity=advocacy',
  'activity=education&country=SYR',
  'stakeholder=survivors&diasporaLed=yes',
  'country=MMR&language=my',
  'activity=research&stakeholder=policymakers&country=UKR',
  'language=ar&page=3',
  'diasporaLed=no&activity=technology',
  'country=SDN&page=2',
];

function get(base: string, path: string, encoding = 'identity'): Promise<{ status: number; bytes: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), { headers: { accept: 'text/html', 'accept-encoding': encoding, 'accept-language': 'en' }, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout on ${path}`)));
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

export async function sample(base: string, paths: string[], count: number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const path = paths[i % paths.length]!;
    const r = await get(base, path);
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    times.push(r.ms);
  }
  return { requests: count, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), maxMs: percentile(times, 100) };
}

async function sizes(base: string, path: string) {
  const br = await get(base, path, 'br');
  const gzip = await get(base, path, 'gzip');
  const identity = await get(base, path, 'identity');
  return { path, brBytes: br.bytes, gzipBytes: gzip.bytes, identityBytes: identity.bytes };
}

export interface DirectoryBench {
  database: string;
  organisations: number;
  loadSeconds: number;
  search: Awaited<ReturnType<typeof sample>>;
  filteredListing: Awaited<ReturnType<typeof sample>>;
  apiSearch: Awaited<ReturnType<typeof sample>>;
  profile: Awaited<ReturnType<typeof sample>>;
  sectorMapRender: Awaited<ReturnType<typeof sample>>;
  pageSizes: Awaited<ReturnType<typeof sizes>>[];
}

/** Runs on the embedded database, or on a fresh database on the server when adminUrl is given. */
export async function benchDirectory(adminUrl?: string): Promise<DirectoryBench> {
  return withBenchApp(adminUrl, { DEMO_DATA: 'false' }, async (built) => {
    const started = performance.now();
    await built.services.directory.bulkLoad(generateOrganisations(ORGANISATIONS, 7).map(profileInput));
    const loadSeconds = Math.round((performance.now() - started) / 100) / 10;
    await built.app.listen({ port: 0, host: HOST });
    const address = built.app.server.address();
    const base = `http://${HOST}:${typeof address === 'object' && address ? address.port : 0}`;
    const slug = (await built.services.directory.list({ kind: 'anonymous' }, { page: 3 })).items[0]?.slug ?? '';
    await sample(base, ['/directory', '/map'], 6); // warm caches and the query planner
    const result: DirectoryBench = {
      database: adminUrl ? 'PostgreSQL server' : 'embedded (PGlite)',
      organisations: ORGANISATIONS,
      loadSeconds,
      search: await sample(base, SEARCHES.map((q) => `/directory?q=${encodeURIComponent(q)}`), SAMPLES),
      filteredListing: await sample(base, FILTERS.map((f) => `/directory?${f}`), SAMPLES),
      apiSearch: await sample(base, SEARCHES.map((q, i) => `/api/v1/organisations?q=${encodeURIComponent(q)}&${FILTERS[i % FILTERS.length]}`), SAMPLES / 2),
      profile: await sample(base, [`/directory/${slug}`], SAMPLES / 2),
      sectorMapRender: await sample(base, ['/map'], SAMPLES / 4),
      pageSizes: [await sizes(base, '/directory'), await sizes(base, '/directory?q=syria&activity=advocacy'), await sizes(base, `/directory/${slug}`), await sizes(base, '/map')],
    };
    return result;
  });
}
