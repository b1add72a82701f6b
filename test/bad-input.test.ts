import { createHash, randomInt } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/platform/policy.ts';
import { VALID } from './access-requests.ts';
import { ACCESS } from './access-table.ts';
import { type FormShape, formsIn, routeOf } from './forms.ts';
import { Agent, buildTestApp, createPerson, type TestApp } from './helpers.ts';
import { buildWorld, realUrl, type World } from './world.ts';

/**
 * Bad input never breaks anything: on every route of the router, as anonymous and as every
 * role, generated inputs (control characters and NUL, lone surrogates, bidi overrides, 100 KB
 * strings, `__proto__`, wrong types, query strings, the real form with one field spoiled, ids
 * of real records and junk). Never a response ≥ 500; a refused request writes nothing.
 *
 * A fresh seed each run, printed; replay one with FUZZ_SEED=<seed> (and FUZZ_ROUTE='POST /x'
 * to replay one route, FUZZ_MATCH='statements|signatories' for the routes matching a pattern).
 * FUZZ_RUNS sets the inputs per route (default 40: over 10,000 in all on 279 routes).
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31 - 1);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
// Routes that end or change their caller's own credentials: each input gets a throw-away identity.
const RUNS_THROWAWAY = Number(process.env.FUZZ_RUNS_THROWAWAY ?? 12);
const ONLY = process.env.FUZZ_ROUTE;
// A pattern for a set of routes (e.g. FUZZ_MATCH='statements|signatories' for one module's), while developing.
const MATCH = process.env.FUZZ_MATCH ? new RegExp(process.env.FUZZ_MATCH) : undefined;
const SELF_ENDING = /^(POST|PATCH|DELETE) (\/sign-out|\/account\/(password|totp|recovery|email|security|reauth)|\/api\/v1\/me$|\/organisations\/:id\/leave)/;
const ORIGIN = 'http://localhost:3000';

let t: TestApp;
let w: World;
const shapes = new Map<string, FormShape[]>();
const apiFields = new Map<string, string[]>();

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildWorld(t);
  // The forms people really post: read from every page each role can open, by target route.
  const patterns = (method: string) => t.app.routeTable.filter((r) => r.method === method).map((r) => r.url);
  for (const route of t.app.routeTable.filter((r) => r.method === 'GET' && !r.url.startsWith('/api/'))) {
    for (const role of ROLES.filter((r) => ACCESS[`GET ${route.url}`]?.[r] !== 'deny')) {
      const url = realUrl(w, `GET ${route.url}`, role);
      if (!url) continue;
      const res = await w.agents[role].get(url);
      if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('html')) continue;
      for (const form of formsIn(res.body, url)) {
        const target = routeOf(form.action, patterns(form.method));
        if (!target) continue;
        const key = `${form.method} ${target}`;
        shapes.set(key, [...(shapes.get(key) ?? []), form].slice(0, 6));
      }
    }
  }
  // Where no page shows the form (it appears only in some states), the valid request of the access table.
  for (const route of t.app.routeTable.map((r) => `${r.method} ${r.url}`)) {
    if (route.startsWith('GET ') || shapes.has(route) || !VALID[route]) continue;
    const role = ROLES.find((r) => r !== 'anonymous' && ACCESS[route]?.[r] === 'allow') ?? 'anonymous';
    const valid = await VALID[route]({ t, w, role, person: role === 'anonymous' ? undefined : w.people[role], agent: w.agents[role], url: realUrl(w, route, role) });
    const form = valid?.form ?? (valid?.json as Record<string, string | string[]> | undefined) ?? (valid ? {} : undefined);
    if (!form) continue;
    const fields = new Map(Object.entries(form).map(([k, v]) => [k, [v].flat().map(String)] as [string, string[]]));
    shapes.set(route, [{ method: 'POST', action: '', enctype: 'application/x-www-form-urlencoded', fields, multi: new Set(Object.keys(form).filter((k) => Array.isArray(form[k]))) }]);
  }
  // The API's bodies, from its own description.
  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      const props = Object.values(op.requestBody?.content ?? {})[0]?.schema?.properties;
      if (props) apiFields.set(`${method.toUpperCase()} /api/v1${path.replace(/^\/api\/v1/, '').replace(/\{([^}]+)\}/g, ':$1')}`, Object.keys(props));
    }
  }
}, 180_000);
afterAll(async () => t?.close());

// ---- what is sent ---------------------------------------------------------------------------

const CONTROL = [...Array(32).keys()].map((c) => String.fromCharCode(c)).concat(['\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff']);
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', 'a\ud83d', '\ude00b'];
const big = (unit: string, size = 100_000) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const constants = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '\r\n',
  'x\r\nSet-Cookie: a=b',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'javascript:alert(1)',
  '//evil.example',
  '/\t/evil.example',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e308',
  '99999999999999999999',
  '2999-01-01',
  '0000-00-00',
  '١٢٣',
  '😀',
  'e\u0301',
  'ﬁ',
  'evil\u202efdp.exe',
  'null',
  'true',
  '[]',
  '{}',
  '00000000-0000-0000-0000-000000000000',
);
const nasty: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...CONTROL, ...BIDI, ...SURROGATES, 'a', 'ب', ' '), maxLength: 20 }) },
  { weight: 3, arbitrary: constants },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...CONTROL, ...BIDI, ...SURROGATES), fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c) },
  { weight: 1, arbitrary: fc.constantFrom(big('a'), big('ب'), big('a\u0000'), big('\u202e'), big('😀', 50_000), big('\ud800', 40_000)) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
const junkKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', '_csrf', '', 'a[b]', 'a.b', '0', 'x\u0000'), fc.string({ unit: 'binary', maxLength: 12 }));
/** A JSON value of the wrong kind. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 4 }),
  fc.dictionary(junkKey, nasty, { maxKeys: 3 }),
  fc.constant({ __proto__: { isAdmin: true } }),
  fc.array(fc.array(fc.integer(), { maxLength: 2 }), { maxLength: 2 }),
  nasty,
);

/** Percent-encoding of any UTF-16 string, lone surrogates included (as WTF-8, as an attacker can send). */
function bytes(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out.push(...Buffer.from(s.slice(i, i + 2), 'utf8'));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(...Buffer.from(s[i] as string, 'utf8'));
  }
  return Buffer.from(out);
}
const pct = (s: string) => [...bytes(s)].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
const urlencoded = (pairs: [string, string][]) => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
function multipart(pairs: [string, string][], file?: { name: string; data: string }): { body: Buffer; type: string } {
  const boundary = `----fuzz${randomInt(1e9)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of pairs) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '_')}"\r\n\r\n`), bytes(v), Buffer.from('\r\n'));
  if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="documents"; filename="`), bytes(file.name), Buffer.from('"\r\nContent-Type: application/pdf\r\n\r\n'), bytes(file.data), Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}
/** JSON text by hand: duplicate keys and `__proto__` as own keys, as a client can send them. */
const jsonText = (entries: [string, unknown][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;

type Mode = 'form' | 'multipart' | 'json' | 'random' | 'none';
interface Case {
  role: Role;
  realParams: boolean;
  junkParam: string;
  mode: Mode;
  shape: number;
  spoil: number;
  spoilHow: 'value' | 'repeat' | 'drop' | 'key';
  value: string;
  extra: [string, string][];
  jsonValue: unknown;
  contentType: string;
  file: boolean;
}

function caseOf(route: string): fc.Arbitrary<Case> {
  const row = ACCESS[route];
  const allowed = ROLES.filter((r) => row?.[r] === 'allow');
  const role = allowed.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...allowed) }, { weight: 1, arbitrary: fc.constantFrom(...ROLES) }) : fc.constantFrom(...ROLES);
  const isGet = route.startsWith('GET ');
  return fc.record({
    role,
    realParams: fc.boolean(),
    junkParam: fc.oneof(nasty.map((s) => s.slice(0, 300)), fc.constantFrom('not-a-uuid', '%E0%A4%A', '%ZZ', '..', '%2e%2e', '%00', 'x'.repeat(300))),
    mode: isGet ? fc.constantFrom<Mode>('form', 'random', 'none') : fc.constantFrom<Mode>('form', 'form', 'multipart', 'json', 'random'),
    shape: fc.nat(),
    spoil: fc.nat(),
    spoilHow: fc.constantFrom('value', 'value', 'value', 'repeat', 'drop', 'key'),
    value: nasty,
    extra: fc.array(fc.tuple(junkKey, nasty), { maxLength: 3 }),
    jsonValue: wrongType,
    contentType: fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', ''),
    file: fc.boolean(),
  });
}

// ---- who sends it -------------------------------------------------------------------------

async function throwaway(role: Role): Promise<{ agent: Agent; orgId?: string }> {
  const agent = new Agent(t);
  if (role === 'anonymous') {
    await agent.get('/');
    return { agent };
  }
  const person = await createPerson(t, role);
  await agent.signIn(person);
  const membership = await t.platform.db.selectFrom('memberships').select('organisation_id').where('person_id', '=', person.id).executeTakeFirst();
  return { agent, ...(membership ? { orgId: membership.organisation_id } : {}) };
}

/**
 * The newest audit entry's number: it moves when anything is audited (the log only grows), and
 * the primary key answers it at once, where counting the rows after each of 10,000 requests
 * would read the whole log each time.
 */
async function auditHead(): Promise<number> {
  const row = await t.platform.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}

const stats = { requests: 0, errors: 0, wroteAfterRefusal: 0, byStatus: new Map<number, number>() };
const failures: string[] = [];
let lastCount = 0;

async function send(route: string, c: Case) {
  const [method, pattern] = route.split(' ') as [string, string];
  const own = SELF_ENDING.test(route) ? await throwaway(c.role) : { agent: w.agents[c.role] };
  const agent = own.agent;
  let url = (c.realParams && realUrl(w, route, c.role)) || pattern.replace(/:[A-Za-z]+/g, () => pct(c.junkParam) || 'x');
  if ('orgId' in own && own.orgId) url = url.replace(/^\/organisations\/[^/]+/, `/organisations/${own.orgId}`);
  const csrf = await agent.csrf();

  // The fields: of a real form for this route, or of the API's description, or junk.
  const forms = shapes.get(route) ?? [];
  const form = forms.length ? forms[c.shape % forms.length] : undefined;
  let pairs: [string, string][] = [];
  if (form) for (const [name, values] of form.fields) for (const v of form.multi.has(name) ? values.slice(0, 2) : values.slice(0, 1)) pairs.push([name, v]);
  else pairs = (apiFields.get(route) ?? []).map((k) => [k, 'x'] as [string, string]);
  if (c.mode === 'random' || pairs.length === 0) pairs = pairs.concat(c.extra);
  if (pairs.length) {
    const i = c.spoil % pairs.length;
    const [k] = pairs[i] as [string, string];
    if (c.spoilHow === 'value') pairs[i] = [k, c.value];
    else if (c.spoilHow === 'repeat') pairs.push([k, c.value]);
    else if (c.spoilHow === 'drop') pairs.splice(i, 1);
    else pairs[i] = [c.value.slice(0, 50), pairs[i]?.[1] ?? ''];
  }

  let payload: string | Buffer | undefined;
  let contentType: string | undefined;
  if (method === 'GET') {
    if (c.mode !== 'none') {
      const query = urlencoded(pairs.map(([k, v]) => [k, v.slice(0, 6000)]));
      url += (url.includes('?') ? '&' : '?') + query;
    }
  } else if (c.mode === 'form' || (c.mode === 'random' && c.contentType === 'application/x-www-form-urlencoded')) {
    payload = urlencoded([...pairs, ['_csrf', csrf]]);
    contentType = 'application/x-www-form-urlencoded';
  } else if (c.mode === 'multipart') {
    const mp = multipart([...pairs, ['_csrf', csrf]], c.file ? { name: c.value.slice(0, 200) || 'x.pdf', data: c.value.slice(0, 2000) } : undefined);
    payload = mp.body;
    contentType = mp.type;
  } else if (c.mode === 'json') {
    // Every field of the real shape, one of them of the wrong type.
    const entries: [string, unknown][] = pairs.map(([k, v], i) => [k, i === c.spoil % Math.max(pairs.length, 1) ? c.jsonValue : v]);
    payload = jsonText([...entries, ['_csrf', csrf], ['__proto__', { polluted: true }], ['constructor', { prototype: { polluted: true } }]]);
    contentType = 'application/json';
  } else {
    payload = c.contentType.startsWith('application/json') ? jsonText([...pairs, ['_csrf', csrf]]) : `${urlencoded(pairs)}\u0000{`;
    contentType = c.contentType || undefined;
  }

  const cookie = agent.cookieHeader();
  // The count after the previous request is the count before this one (throw-away sign-ins write).
  const before = own.agent === w.agents[c.role] ? lastCount : await auditHead();
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    ...(payload !== undefined ? { payload } : {}),
    headers: {
      accept: pattern.startsWith('/api/') ? 'application/json' : 'text/html',
      origin: ORIGIN,
      'x-csrf-token': csrf,
      ...(contentType ? { 'content-type': contentType } : {}),
      ...(cookie ? { cookie } : {}),
    },
  });
  stats.requests++;
  stats.byStatus.set(res.statusCode, (stats.byStatus.get(res.statusCode) ?? 0) + 1);
  const what = () => `${route} as ${c.role} → ${res.statusCode}: ${method} ${url.slice(0, 160)} ${contentType ?? ''} ${JSON.stringify(pairs).slice(0, 200)}`;
  if (res.statusCode >= 500) {
    stats.errors++;
    failures.push(what());
  }
  lastCount = await auditHead();
  if (res.statusCode >= 400 && lastCount !== before) {
    stats.wroteAfterRefusal++;
    failures.push(`wrote after refusing: ${what()}`);
  }
  if (({} as Record<string, unknown>).polluted !== undefined) failures.push(`prototype polluted: ${what()}`);
}

const seedOf = (route: string) => createHash('sha256').update(`${SEED} ${route}`).digest().readUInt32BE(0) & 0x7fffffff;

describe('fuzzed input on every route', () => {
  it('never answers ≥ 500, and a refused request writes nothing', async () => {
    console.log(`bad-input: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} (replay: FUZZ_SEED=${SEED} npx vitest run test/bad-input.test.ts)`);
    const routes = t.app.routeTable.map((r) => `${r.method} ${r.url}`).filter((r) => (!ONLY || r === ONLY) && (!MATCH || MATCH.test(r)));
    expect(routes.length).toBeGreaterThan(ONLY || MATCH ? 0 : 100);
    const started = Date.now();
    lastCount = await auditHead();
    const noForm: string[] = [];
    for (const route of routes) {
      if (!route.startsWith('GET ') && !shapes.has(route) && !apiFields.has(route)) noForm.push(route);
      const runs = SELF_ENDING.test(route) ? RUNS_THROWAWAY : RUNS;
      for (const c of fc.sample(caseOf(route), { seed: seedOf(route), numRuns: runs })) await send(route, c);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `bad-input: ${stats.requests} requests on ${routes.length} routes in ${seconds} s; responses ≥ 500: ${stats.errors}; refused but wrote: ${stats.wroteAfterRefusal}; ` +
        `forms found for ${shapes.size} routes; by status ${JSON.stringify(Object.fromEntries([...stats.byStatus].sort((a, b) => a[0] - b[0])))}`,
    );
    if (noForm.length) console.log(`bad-input: no form shape found for ${noForm.length} routes (junk fields only): ${noForm.join(', ')}`);
    // Issue 12: at least 10,000 generated inputs in all (unless told to send fewer per route).
    if (!ONLY && !MATCH) expect(stats.requests).toBeGreaterThanOrEqual(process.env.FUZZ_RUNS ? Math.min(10_000, RUNS * routes.length * 0.9) : 10_000);
    // Every role was itself to the end: no input signed it out or took its rights.
    for (const role of ROLES.filter((r) => r !== 'anonymous')) {
      const res = await w.agents[role].get('/account');
      expect(res.statusCode, `${role} was signed out by the fuzzing (seed ${SEED})`).toBe(200);
    }
    // One line per failing route (the first input), with the seed to replay it.
    const byRoute = new Map<string, string[]>();
    for (const f of failures) {
      const key = f.replace(/^(wrote after refusing: |prototype polluted: )/, '').split(' as ')[0] as string;
      byRoute.set(key, [...(byRoute.get(key) ?? []), f]);
    }
    const report = [...byRoute].map(([route, list]) => `${list.length}× ${list[0]} [replay: FUZZ_SEED=${SEED} FUZZ_ROUTE='${route}']`);
    expect(report, `FUZZ_SEED=${SEED}: ${stats.errors} responses ≥ 500`).toEqual([]);
  }, 600_000);

  it('answers JSON errors with field messages in the reader language on the API', async () => {
    const agent = new Agent(t);
    const person = await createPerson(t, 'member');
    await agent.signIn(person);
    const cookie = agent.cookieHeader() ?? '';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      payload: { name: '' },
      headers: { cookie, 'x-csrf-token': await agent.csrf(), origin: ORIGIN, 'accept-language': 'ar' },
    });
    expect(res.statusCode).toBe(400);
    const json = res.json();
    expect(json.error.code).toBe('invalid_input');
    expect(json.error.fields.name).toMatch(/[\u0600-\u06FF]/);
  });
});
