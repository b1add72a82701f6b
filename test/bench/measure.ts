/**
 * What the benchmarks of one capability measure of a page (advocacy, meetings): requests/s and
 * exact p50/p95 under load, what one reader at a time waits, and the compressed size against the
 * 14 KB budget. Shared by test/bench/<capability>.ts.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const BUDGET_BYTES = 14 * 1024;
export const LOAD_SECONDS = 3;
export const WARMUP_SECONDS = 1;
/** A few readers at once: enough to show queueing on PGlite's single session, not a flood. */
export const LOAD_CONNECTIONS = 8;
const SINGLE_SAMPLES = 20;

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** What a browser sends: the load pays for rendering and compression, as in real use. */
export const BROWSER = { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', 'accept-encoding': 'gzip, deflate, br', 'accept-language': 'en' };
export const API = { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', 'accept-language': 'en' };

/**
 * autocannon run inside a worker thread of our own, without its `workers` option: there its
 * 'response' event reaches us with every response's time, so p95 is exact (autocannon's summary
 * has p90 and p97.5 only), and the load generator still does not share the server's event loop.
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require(workerData.autocannon);
let record = false;
const times = [];
const run = (opts) => new Promise((resolve, reject) => {
  const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  instance.on('response', (_client, status, _bytes, ms) => { if (record && status >= 200 && status < 300) times.push(ms); });
});
(async () => {
  await run({ ...workerData.opts, duration: workerData.warmup });
  record = true;
  const r = await run(workerData.opts);
  parentPort.postMessage({ times, completed: r.totalCompletedRequests, seconds: r.duration, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, statusCodeStats: r.statusCodeStats });
})().catch((err) => parentPort.postMessage({ error: String((err && err.stack) || err) }));
`;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
}

export interface LoadFigures {
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  note?: string;
}

export function load(base: string, paths: string[], headers: Record<string, string>): Promise<LoadFigures> {
  const opts = {
    url: base,
    connections: LOAD_CONNECTIONS,
    duration: LOAD_SECONDS,
    timeout: 30,
    headers,
    // Each connection goes through the paths in turn: several statements, not one cached row.
    requests: paths.map((path) => ({ method: 'GET', path })),
  };
  const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { autocannon: createRequire(import.meta.url).resolve('autocannon'), opts, warmup: WARMUP_SECONDS } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { error?: string; times: number[]; completed: number; seconds: number; non2xx: number; errors: number; timeouts: number }) => {
      void worker.terminate();
      if (m.error) return reject(new Error(m.error));
      const sorted = [...m.times].sort((a, b) => a - b);
      resolve({
        connections: LOAD_CONNECTIONS,
        seconds: m.seconds,
        requestsPerSecond: round(m.completed / m.seconds, 0),
        latencyP50Ms: percentile(sorted, 50),
        latencyP95Ms: percentile(sorted, 95),
        latencyMaxMs: percentile(sorted, 100),
        requests: m.completed,
        non2xx: m.non2xx,
        errors: m.errors,
        timeouts: m.timeouts,
        // A page slower than the run is long gives too few answers for its percentiles to mean much.
        ...(m.completed < 20 ? { note: `only ${m.completed} answers in ${m.seconds} s: percentiles are indicative` } : {}),
      });
    });
  });
}

export interface Answer {
  status: number;
  encoding: string | undefined;
  bytes: number;
  ms: number;
}

export function get(base: string, path: string, headers: Record<string, string>): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, base), { headers, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], bytes, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout on ${path}`)));
  });
}

/** One reader at a time: what a single visitor waits, without queueing behind others. */
export async function single(base: string, paths: string[], headers: Record<string, string>) {
  const times: number[] = [];
  for (let i = 0; i < SINGLE_SAMPLES; i++) {
    const path = paths[i % paths.length] as string;
    const r = await get(base, path, { ...headers, 'accept-encoding': 'identity' });
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    times.push(r.ms);
  }
  const sorted = times.sort((a, b) => a - b);
  return { requests: SINGLE_SAMPLES, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: percentile(sorted, 100) };
}

/** Compressed body bytes as sent (br and gzip), the larger of the two against the budget. */
export async function size(base: string, path: string, headers: Record<string, string>) {
  const br = await get(base, path, { ...headers, 'accept-encoding': 'br' });
  const gzip = await get(base, path, { ...headers, 'accept-encoding': 'gzip' });
  const identity = await get(base, path, { ...headers, 'accept-encoding': 'identity' });
  const notes = [br.encoding !== 'br' ? `br not applied (${br.encoding ?? 'none'})` : '', gzip.encoding !== 'gzip' ? `gzip not applied (${gzip.encoding ?? 'none'})` : ''].filter(Boolean);
  return {
    brBytes: br.bytes,
    gzipBytes: gzip.bytes,
    identityBytes: identity.bytes,
    withinBudget: Math.max(br.bytes, gzip.bytes) <= BUDGET_BYTES,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

