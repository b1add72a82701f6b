/**
 * `npm run bench` — not part of `npm test`.
 *
 * Starts Northstar on the embedded database in a fresh temporary folder and prints one JSON
 * object to stdout:
 *  - cold start (empty folder: initdb + migrations) and warm restart (same folder), in ms;
 *  - compressed bytes (br and gzip) of each page against the 14 KB budget (one TCP initial window);
 *  - requests/s and p99 latency of the home page, of a database-backed page (/account, a session
 *    lookup per request) and of a bare Fastify route measured in the same run, with the ratios;
 *  - resident memory after the load;
 *  - the directory with 10,000 generated organisations (test/bench/directory.ts), on the embedded
 *    database and on the PostgreSQL server (BENCH_DATABASE_URL, an admin connection; default
 *    postgres://postgres@127.0.0.1:5432/postgres, skipped with a note when unreachable).
 *  - early warning (test/bench/warnings.ts): one alert to 10,000 subscribers through the queue to
 *    a local SMTP sink on both databases, and country pages with 1,000,000 signs on PostgreSQL.
 *  - collective advocacy (test/bench/advocacy.ts): 200 published statements with 20 signatory
 *    organisations each, 1,000 posts, 10,000 commitments with 5 ratings each, on both databases:
 *    p50/p95 and requests/s of the statement page, the commitments tracker (unfiltered and
 *    filtered) and the API, and each page's compressed size against the budget.
 *  - meetings (test/bench/meetings.ts): 500 meetings, 20,000 agenda items, 50,000 actions on both
 *    databases: a person's "my actions", a goal's progress page, a 500-event calendar feed; and
 *    200 organisations voting on one secret-ballot motion, with the time from close to result.
 *  - the library (test/bench/library.ts): 50,000 resources in eleven languages with their files'
 *    text on both databases: the index build, p50/p95 of 30 searches (page and API) and whether
 *    each finds what it must; and 40,000 people's weekly digest to a local SMTP sink, with a
 *    password-reset mail asked for in the middle of it and timed to its arrival.
 * `npm run bench -- --directory` runs only the directory part; `-- --warnings` only early warning;
 * `-- --advocacy` only collective advocacy (under three minutes); `-- --meetings` only meetings; `-- --library` only the library and the digest.
 * Progress goes to stderr so stdout stays pure JSON. Exits 1 only if the app fails to start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Result } from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';
import { seedDemoIfEmpty } from '../../src/demo/seed.ts';
import { benchAdvocacy } from './advocacy.ts';
import { benchDirectory } from './directory.ts';
import { benchDigest, benchLibrary } from './library.ts';
import { benchMeetings } from './meetings.ts';
import { freePort } from './temp-app.ts';
import { benchFanout, benchPicture } from './warnings.ts';

const BUDGET_BYTES = 14 * 1024;
const LOAD_SECONDS = 8;
const WARMUP_SECONDS = 1;
const CONNECTIONS = 50;
const HOST = '127.0.0.1';
/** What a browser sends: the load runs pay for HTML rendering and compression, as in real use. */
const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
  'accept-language': 'en',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 northstar-bench',
};

const MiB = 1024 * 1024;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Status line and header block as sent, including the blank line. */
  headerBytes: number;
  /** Body bytes on the wire after undoing chunked framing; content-encoding is NOT undone. */
  bodyBytes: number;
  body: Buffer;
}

/** node:http, not fetch: fetch decompresses transparently, and we want the bytes as sent. */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        let headerBytes = Buffer.byteLength(`HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}\r\n\r\n`);
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          headerBytes += Buffer.byteLength(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`);
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, headerBytes, bodyBytes: body.length, body });
      });
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout on ${path}`)));
  });
}

/** `name=value` of one cookie from Set-Cookie headers. */
function cookieFrom(setCookie: string[], name: string): string | undefined {
  for (const line of setCookie) {
    const pair = line.split(';')[0]?.trim();
    if (pair?.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

/** Signs in through the form, like a browser: CSRF cookie + hidden token, Origin header. */
async function signIn(base: string, identifier: string, password: string): Promise<string> {
  const form = await fetch(new URL('/sign-in', base), { redirect: 'manual', headers: { accept: 'text/html' } });
  const html = await form.text();
  const csrfCookie = cookieFrom(form.headers.getSetCookie(), 'ns_csrf');
  const token = /name="_csrf"\s+value="([^"]+)"/.exec(html)?.[1] ?? /value="([^"]+)"\s+name="_csrf"/.exec(html)?.[1];
  if (form.status !== 200 || !csrfCookie || !token) {
    throw new Error(`sign-in form: status ${form.status}, csrf cookie ${csrfCookie ? 'found' : 'missing'}, token ${token ? 'found' : 'missing'}`);
  }
  const res = await fetch(new URL('/sign-in', base), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      origin: new URL(base).origin,
      cookie: csrfCookie,
    },
    body: new URLSearchParams({ identifier, password, _csrf: token }).toString(),
  });
  await res.arrayBuffer();
  const session = cookieFrom(res.headers.getSetCookie(), 'ns_session');
  if (res.status !== 303 || !session) throw new Error(`sign-in: expected 303 with ns_session, got ${res.status}`);
  return session;
}

interface PageSize {
  path: string;
  status: number;
  brBytes: number | null;
  gzipBytes: number | null;
  identityBytes: number;
  headerBytes: number;
  withinBudget: boolean;
  note?: string;
}

async function measurePage(base: string, path: string, cookie?: string): Promise<PageSize> {
  const common: Record<string, string> = { accept: BROWSER_HEADERS.accept, 'accept-language': 'en', ...(cookie ? { cookie } : {}) };
  const br = await rawGet(base, path, { ...common, 'accept-encoding': 'br' });
  const gzip = await rawGet(base, path, { ...common, 'accept-encoding': 'gzip' });
  const identity = await rawGet(base, path, { ...common, 'accept-encoding': 'identity' });
  const brBytes = br.headers['content-encoding'] === 'br' ? br.bodyBytes : null;
  const gzipBytes = gzip.headers['content-encoding'] === 'gzip' ? gzip.bodyBytes : null;
  const notes: string[] = [];
  if (brBytes === null) notes.push(`br not applied (content-encoding: ${br.headers['content-encoding'] ?? 'none'})`);
  if (gzipBytes === null) notes.push(`gzip not applied (content-encoding: ${gzip.headers['content-encoding'] ?? 'none'})`);
  if (br.status >= 300 && br.status < 400) notes.push(`redirected to ${br.headers.location ?? '?'}`);
  // Uncompressed answers (below the compression threshold) count at their full size.
  const largest = Math.max(brBytes ?? br.bodyBytes, gzipBytes ?? gzip.bodyBytes);
  return {
    path,
    status: br.status,
    brBytes,
    gzipBytes,
    identityBytes: identity.bodyBytes,
    headerBytes: br.headerBytes,
    withinBudget: largest <= BUDGET_BYTES,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

interface LoadFigures {
  url: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

function runAutocannon(url: string, duration: number, headers: Record<string, string>): Promise<Result> {
  return new Promise((resolve, reject) => {
    // One worker thread: the load generator gets its own core instead of sharing the
    // server's event loop (the servers all run on this process's main thread).
    autocannon({ url, connections: CONNECTIONS, duration, workers: 1, headers, timeout: 10 }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

async function load(url: string, headers: Record<string, string>): Promise<LoadFigures> {
  log(`load ${url} (${WARMUP_SECONDS}s warm-up + ${LOAD_SECONDS}s)`);
  await runAutocannon(url, WARMUP_SECONDS, headers);
  const r = await runAutocannon(url, LOAD_SECONDS, headers);
  return {
    url,
    requestsPerSecond: round(r.requests.average, 0),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyMaxMs: r.latency.max,
    requests: r.latency.totalCount,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

function memory() {
  const m = process.memoryUsage();
  return { rssMiB: round(m.rss / MiB), heapUsedMiB: round(m.heapUsed / MiB), externalMiB: round(m.external / MiB) };
}

async function directoryFigures(errors: string[]) {
  const out: Record<string, unknown> = {};
  try {
    log('directory with 10,000 organisations on PGlite');
    out.embedded = await benchDirectory();
  } catch (err) {
    errors.push(`directory (embedded): ${errorText(err)}`);
  }
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  try {
    log('directory with 10,000 organisations on the PostgreSQL server');
    out.postgres = await benchDirectory(adminUrl);
  } catch (err) {
    errors.push(`directory (PostgreSQL at ${new URL(adminUrl).host}): ${errorText(err)}`);
  }
  return out;
}

async function warningFigures(errors: string[]) {
  const out: Record<string, unknown> = {};
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  // BENCH_EMBEDDED_FANOUT=0 skips the slowest part (the embedded database's single session).
  if (process.env.BENCH_EMBEDDED_FANOUT !== '0') {
    try {
      out.fanoutEmbedded = await benchFanout();
    } catch (err) {
      errors.push(`fan-out (embedded): ${errorText(err)}`);
    }
  }
  try {
    out.fanoutPostgres = await benchFanout(adminUrl);
  } catch (err) {
    errors.push(`fan-out (PostgreSQL): ${errorText(err)}`);
  }
  try {
    out.millionSigns = await benchPicture(adminUrl);
  } catch (err) {
    errors.push(`country picture with 1,000,000 signs (PostgreSQL): ${errorText(err)}`);
  }
  return out;
}

/** One capability's benchmark on both databases; an unreachable server is a note, not a failure. */
async function bothDatabases(name: string, bench: (adminUrl?: string) => Promise<{ pages?: Record<string, { error?: string }>; error?: string; database?: string }>, errors: string[]) {
  const out: Record<string, unknown> = {};
  const started = performance.now();
  try {
    out.embedded = await bench();
  } catch (err) {
    errors.push(`${name} (embedded): ${errorText(err)}`);
  }
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  try {
    out.postgres = await bench(adminUrl);
  } catch (err) {
    // An unreachable server is a note, the embedded figures stand; any other failure is an error.
    const code = (err as { code?: string }).code;
    const unreachable = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH';
    out.postgres = unreachable ? { skipped: `unreachable: ${errorText(err)}` } : { error: errorText(err) };
    errors.push(`${name} (PostgreSQL at ${new URL(adminUrl).host}): ${errorText(err)}`);
  }
  for (const part of [out.embedded, out.postgres] as ({ pages?: Record<string, { error?: string }>; error?: string } | undefined)[]) {
    if (part?.error) errors.push(`${name}: ${part.error}`);
    for (const [page, figures] of Object.entries(part?.pages ?? {})) if (figures.error) errors.push(`${name} ${page}: ${figures.error}`);
  }
  out.totalSeconds = round((performance.now() - started) / 1000);
  return out;
}

async function main(): Promise<number> {
  if (process.argv.includes('--advocacy')) {
    const errors: string[] = [];
    const advocacy = await bothDatabases('advocacy', benchAdvocacy, errors);
    process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, advocacy, errors }, null, 2)}\n`);
    return 0;
  }
  if (process.argv.includes('--library')) {
    const errors: string[] = [];
    const library = await bothDatabases('library', benchLibrary, errors);
    const digest = await bothDatabases('digest', benchDigest, errors);
    process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, library, digest, errors }, null, 2)}\n`);
    return 0;
  }
  if (process.argv.includes('--meetings')) {
    const errors: string[] = [];
    const meetings = await bothDatabases('meetings', benchMeetings, errors);
    process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, meetings, errors }, null, 2)}\n`);
    return 0;
  }
  if (process.argv.includes('--warnings')) {
    const errors: string[] = [];
    const warnings = await warningFigures(errors);
    process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, warnings, errors }, null, 2)}
`);
    return 0;
  }
  if (process.argv.includes('--directory')) {
    const errors: string[] = [];
    const directory = await directoryFigures(errors);
    process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, directory, errors }, null, 2)}\n`);
    return 0;
  }
  const dataDir = mkdtempSync(join(os.tmpdir(), 'northstar-bench-'));
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: String(port), PUBLIC_URL: base, JOBS: 'false', HOST };
  const errors: string[] = [];
  let app: FastifyInstance | undefined;
  let bare: FastifyInstance | undefined;

  // Builds and starts the app, timing each part; used for the cold start and the warm restart.
  const timedStart = async () => {
    const t0 = performance.now();
    const built = await buildApp({ config: loadConfig(env) });
    const t1 = performance.now();
    await built.app.listen({ port, host: HOST });
    const t2 = performance.now();
    return { built, t0, t2, buildMs: round(t1 - t0, 0), listenMs: round(t2 - t1, 0), ms: round(t2 - t0, 0) };
  };

  try {
    // --- Cold start: empty folder, so initdb + migrations ------------------------------------
    log(`cold start in ${dataDir}`);
    let coldStart: { ms: number; buildMs: number; listenMs: number; demoSeedMs: number };
    let demo: { email: string; password: string } | undefined;
    try {
      const { built, t2, ms, buildMs, listenMs } = await timedStart();
      app = built.app;
      // Not part of the cold start: server.ts loads demo data only into an empty database.
      demo = await seedDemoIfEmpty(built.platform, built.services);
      coldStart = { ms, buildMs, listenMs, demoSeedMs: round(performance.now() - t2, 0) };
    } catch (err) {
      log(`the app failed to start (cold): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return 1;
    }

    // --- Warm restart: same folder, database already initialised and migrated ------------------
    log('warm restart');
    let warmRestart: { ms: number; buildMs: number; listenMs: number; closeMs: number };
    try {
      const tc = performance.now();
      await app.close();
      app = undefined;
      const { built, t0, ms, buildMs, listenMs } = await timedStart();
      app = built.app;
      warmRestart = { ms, buildMs, listenMs, closeMs: round(t0 - tc, 0) };
    } catch (err) {
      log(`the app failed to start (warm): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return 1;
    }

    // --- Sign in as the demo convener ----------------------------------------------------------
    let session: string | undefined;
    if (demo) {
      try {
        session = await signIn(base, demo.email, demo.password);
      } catch (err) {
        errors.push(`sign-in failed: ${errorText(err)}`);
      }
    } else {
      errors.push('demo data was not loaded (database not empty?)');
    }

    // --- Page sizes -----------------------------------------------------------------------------
    log('page sizes');
    const pages: PageSize[] = [];
    const publicPages = ['/', '/sign-in', '/register', '/password/forgot', '/bench-no-such-page'];
    const privatePages = ['/account', '/people', '/outbox'];
    for (const path of publicPages) {
      try {
        pages.push(await measurePage(base, path));
      } catch (err) {
        errors.push(`size of ${path}: ${errorText(err)}`);
      }
    }
    for (const path of privatePages) {
      if (!session) {
        errors.push(`size of ${path}: skipped (not signed in)`);
        continue;
      }
      try {
        const size = await measurePage(base, path, session);
        if (size.status !== 200) errors.push(`size of ${path}: status ${size.status} (signed in)`);
        pages.push(size);
      } catch (err) {
        errors.push(`size of ${path}: ${errorText(err)}`);
      }
    }
    const memoryBeforeLoad = memory();

    // --- Throughput -----------------------------------------------------------------------------
    bare = Fastify();
    bare.get('/', async () => 'hello world');
    await bare.listen({ port: 0, host: HOST });
    const bareAddress = bare.server.address();
    const barePort = typeof bareAddress === 'object' && bareAddress ? bareAddress.port : 0;

    const throughput: Record<string, LoadFigures | { error: string }> = {};
    const attempt = async (name: string, url: string, headers: Record<string, string>) => {
      try {
        const figures = await load(url, headers);
        if (figures.non2xx > 0 || figures.errors > 0) {
          errors.push(`${name}: ${figures.non2xx} non-2xx responses, ${figures.errors} errors`);
        }
        throughput[name] = figures;
        return figures;
      } catch (err) {
        throughput[name] = { error: errorText(err) };
        errors.push(`${name}: ${errorText(err)}`);
        return undefined;
      }
    };
    const bareFigures = await attempt('bareFastify', `http://${HOST}:${barePort}/`, BROWSER_HEADERS);
    const homeFigures = await attempt('home', `${base}/`, BROWSER_HEADERS);
    const dbFigures = session
      ? await attempt('databasePage', `${base}/account`, { ...BROWSER_HEADERS, cookie: session })
      : undefined;
    if (!session) throughput.databasePage = { error: 'skipped: not signed in' };

    const ratio = (a: LoadFigures | undefined, b: LoadFigures | undefined) =>
      a && b && b.requestsPerSecond > 0 ? round(a.requestsPerSecond / b.requestsPerSecond, 3) : null;
    const p99Ratio = (a: LoadFigures | undefined, b: LoadFigures | undefined) =>
      a && b && b.latencyP99Ms > 0 ? round(a.latencyP99Ms / b.latencyP99Ms, 1) : null;

    await sleep(500); // let the load generator's worker thread exit
    const memoryAfterLoad = memory();
    const directory = await directoryFigures(errors);
    const warnings = await warningFigures(errors);
    const advocacy = await bothDatabases('advocacy', benchAdvocacy, errors);
    const meetings = await bothDatabases('meetings', benchMeetings, errors);
    const library = await bothDatabases('library', benchLibrary, errors);
    const digest = await bothDatabases('digest', benchDigest, errors);

    const result = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      database: 'embedded (PGlite)',
      startup: { coldStart, warmRestart },
      pageSizes: {
        budgetBytes: BUDGET_BYTES,
        rule: 'compressed body (br and gzip, whichever is larger) <= budget; headerBytes shown apart',
        allWithinBudget: pages.every((p) => p.withinBudget),
        pages,
      },
      throughput: {
        connections: CONNECTIONS,
        durationSeconds: LOAD_SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        loadGenerator: 'autocannon in 1 worker thread of this process; servers on the main thread',
        requestHeaders: 'browser-like: accept text/html, accept-encoding gzip, deflate, br',
        ...throughput,
        ratios: {
          homeToBareRequestsPerSecond: ratio(homeFigures, bareFigures),
          databaseToBareRequestsPerSecond: ratio(dbFigures, bareFigures),
          homeToBareP99: p99Ratio(homeFigures, bareFigures),
          databaseToBareP99: p99Ratio(dbFigures, bareFigures),
        },
      },
      memory: {
        note: 'process-wide: Northstar + bare Fastify + load generator',
        beforeLoad: memoryBeforeLoad,
        afterLoad: memoryAfterLoad,
      },
      directory,
      warnings,
      advocacy,
      meetings,
      library,
      digest,
      errors,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await bare?.close().catch(() => {});
    await app?.close().catch((err: unknown) => log(`closing the app: ${errorText(err)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main()
  .then((code) => {
    process.exitCode = code;
    // Keep-alive sockets of fetch must not hold the process open.
    setTimeout(() => process.exit(code), 200).unref();
  })
  .catch((err: unknown) => {
    log(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
