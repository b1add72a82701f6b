import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/platform/policy.ts';
import { type Ctx, REFUSED_GET, THROWAWAY, VALID, writeRank } from './access-requests.ts';
import { ACCESS } from './access-table.ts';
import { Agent, buildTestApp, createPerson, type TestApp, type TestPerson, text, totpNow } from './helpers.ts';
import { buildWorld, changedTables, realUrl, snapshot, type World } from './world.ts';

let t: TestApp;
const agents = new Map<Role, Agent>();
const people = new Map<Role, Awaited<ReturnType<typeof createPerson>>>();

beforeAll(async () => {
  t = await buildTestApp();
  agents.set('anonymous', new Agent(t));
  for (const role of ROLES.filter((r) => r !== 'anonymous') as Exclude<Role, 'anonymous'>[]) {
    const agent = new Agent(t);
    const person = await createPerson(t, role);
    people.set(role, person);
    await agent.signIn(person);
    agents.set(role, agent);
  }
});
afterAll(async () => t?.close());

// Malformed parameters: a route that lets the role in answers 400, one that does not, 404/redirect.
const sample = (url: string) =>
  url.replace(':id', 'not-a-uuid').replace(':personId', 'not-a-uuid').replace(':token', 'x').replace(':slug', 'Not_A_Slug').replace(':version', '0').replace(':documentId', 'not-a-uuid').replace(':paymentId', 'not-a-uuid').replace(':code', 'x');

async function call(agent: Agent, method: string, url: string) {
  if (method === 'GET') return agent.get(url, url.startsWith('/api/') ? { accept: 'application/json' } : {});
  if (method === 'POST' && !url.startsWith('/api/')) return agent.post(url, {});
  const cookie = agent.cookieHeader() ?? '';
  return t.app.inject({
    method: method as 'POST',
    url,
    payload: {},
    headers: { 'x-csrf-token': await agent.csrf(), origin: 'http://localhost:3000', ...(cookie ? { cookie } : {}) },
  });
}

describe('access table', () => {
  it('declares every route of the router, and nothing else', () => {
    const routes = t.app.routeTable.map((r) => `${r.method} ${r.url}`).sort();
    expect(routes).toEqual(Object.keys(ACCESS).sort());
  });

  for (const [route, row] of Object.entries(ACCESS)) {
    const [method, url] = route.split(' ') as [string, string];
    it(`${route}`, async () => {
      for (const role of ROLES) {
        // Signing out would end the shared session: use a session of its own.
        let agent = agents.get(role)!;
        if (route === 'POST /sign-out' && role !== 'anonymous') {
          agent = new Agent(t);
          await agent.signIn(people.get(role)!);
        }
        const res = await call(agent, method, sample(url));
        const where = `${route} as ${role} → ${res.statusCode}`;
        expect(res.statusCode, where).toBeLessThan(500);
        const redirectedToSignIn = res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in');
        if (row[role] === 'deny') {
          if (role === 'anonymous') expect(redirectedToSignIn || res.statusCode === 401, where).toBe(true);
          else expect(res.statusCode, where).toBe(404);
        } else {
          expect([401, 403, 404].includes(res.statusCode) || redirectedToSignIn, where).toBe(false);
        }
      }
    });
  }
});

// ---- valid requests: each allowed cell, well formed, on real records, reaches the handler ------

/**
 * Below, each allowed cell is sent as a person would send it (world.ts: real records the role may
 * act on; access-requests.ts: the body and what must change). A cell "reaches the handler" when
 * a GET answers 200 with its page (not the 404 or 400 page) and a write answers as done and
 * changes what it says (rows, and an audit entry). The figure is printed and may not drop.
 */
/** What a refused page says: its error summary, or its opening. */
const problemOf = (body: string) => {
  const all = text(body);
  const at = all.indexOf('There is a problem');
  return (at >= 0 ? all.slice(at, at + 240) : all.slice(0, 240)).trim();
};
// GET pages that send a signed-in person elsewhere, by design.
const REDIRECTS: Record<string, RegExp> = { 'GET /sign-in': /^\/$/, 'GET /register': /^\/account$/ };
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let address = 0;
/** A form as a browser sends it, from its own address (so per-address limits do not add up across cells). */
async function submit(agent: Agent, method: string, url: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
  body.set('_csrf', await agent.csrf());
  const cookie = agent.cookieHeader();
  address++;
  return t.app.inject({
    method: method as 'POST',
    url,
    payload: body.toString(),
    remoteAddress: `10.9.${address >> 8}.${address & 255}`,
    headers: { origin: 'http://localhost:3000', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
  });
}
/** A new account of the role, signed in (with TOTP on where the route needs it). */
async function throwaway(role: Exclude<Role, 'anonymous'>, route: string): Promise<{ person: TestPerson; agent: Agent; orgId?: string }> {
  const withTotp = /totp\/disable|recovery/.test(route);
  const person = await createPerson(t, role, withTotp ? { totpSecret: TOTP_SECRET } : {});
  const agent = new Agent(t);
  await agent.signIn(person, withTotp ? await totpNow(TOTP_SECRET) : undefined);
  const membership = await t.platform.db.selectFrom('memberships').select('organisation_id').where('person_id', '=', person.id).executeTakeFirst();
  return { person, agent, ...(membership ? { orgId: membership.organisation_id } : {}) };
}
// Reached on 3 December 2026 (1,079 of 1,081, the meetings routes included): raise it as cells are covered, never lower it.
const MIN_REACHED = Number(process.env.ACCESS_MIN_REACHED ?? 1238);
const coverage = { get: { reached: 0, total: 0 }, write: { reached: 0, total: 0 } };
const notReached: string[] = [];
/** Cells reached whose valid request the service refuses by design (counted as reached, listed apart). */
const refusedByDesign: string[] = [];
const worlds = new Map<Role, World>();

describe('valid requests on real records', () => {
  beforeAll(async () => {
    // One world per role, so that a cell using up a record (closing, paying) leaves the others theirs.
    for (const role of ROLES) worlds.set(role, await buildWorld(t));
  }, 900_000);

  const gets = Object.entries(ACCESS).filter(([route]) => route.startsWith('GET '));
  for (const [route, row] of gets) {
    it(`${route} answers its page`, async () => {
      const failures: string[] = [];
      for (const role of ROLES.filter((r) => row[r] === 'allow')) {
        coverage.get.total++;
        const w = worlds.get(role) as World;
        const url = realUrl(w, route, role);
        if (!url) {
          notReached.push(`${route} as ${role}: no record for its parameters`);
          continue;
        }
        const res = await w.agents[role].get(url, url.startsWith('/api/') ? { accept: 'application/json' } : {});
        const html = String(res.headers['content-type']).includes('html');
        const errorPage = html ? /<title>[^<]*(Page not found|Error)/.test(res.body) || res.body.includes('There is no such page') : res.body.includes('"code":"not_found"');
        const redirect = REDIRECTS[route];
        const refusal = REFUSED_GET[route]?.[role];
        if (refusal) {
          // Refused by design per record (access-requests.ts REFUSED_GET): the not-found page.
          if (res.statusCode === 404 && errorPage) {
            coverage.get.reached++;
            refusedByDesign.push(`${route} as ${role}: 404, ${refusal}`);
          } else failures.push(`${route} as ${role}: GET ${url} → ${res.statusCode}, expected 404 (${refusal}) ${problemOf(res.body)}`);
          continue;
        }
        if ((res.statusCode === 200 && !errorPage) || (role !== 'anonymous' && redirect && res.statusCode === 303 && redirect.test(String(res.headers.location)))) coverage.get.reached++;
        else failures.push(`${route} as ${role}: GET ${url} → ${res.statusCode} ${String(res.headers.location ?? '')} ${problemOf(res.body)}`);
      }
      expect(failures).toEqual([]);
    });
  }

  const writes = Object.entries(ACCESS)
    .filter(([route]) => !route.startsWith('GET '))
    .sort(([a], [b]) => writeRank(a) - writeRank(b));
  for (const [route, row] of writes) {
    const [method, pattern] = route.split(' ') as [string, string];
    it(`${route} does what it says`, async () => {
      const failures: string[] = [];
      for (const role of ROLES.filter((r) => row[r] === 'allow')) {
        coverage.write.total++;
        const w = worlds.get(role) as World;
        let agent = role === 'anonymous' ? new Agent(t) : w.agents[role];
        let person = role === 'anonymous' ? undefined : w.people[role];
        let cellUrl = realUrl(w, route, role);
        if (role === 'anonymous') await agent.get('/');
        else if (THROWAWAY.test(route)) {
          const own = await throwaway(role, route);
          ({ agent, person } = own);
          if (own.orgId && cellUrl) cellUrl = cellUrl.replace(/^\/organisations\/[^/]+/, `/organisations/${own.orgId}`);
        }
        const ctx: Ctx = { t, w, role, person, agent, url: cellUrl };
        const valid = VALID[route] ? await VALID[route](ctx) : undefined;
        const url = valid?.url ?? ctx.url;
        if (!valid || !url) {
          notReached.push(`${route} as ${role}: ${valid ? 'no record for its parameters' : 'no valid request in access-requests.ts'}`);
          continue;
        }
        const before = await snapshot(t);
        let res: Awaited<ReturnType<typeof agent.get>>;
        const cookie = agent.cookieHeader();
        const headers = { origin: 'http://localhost:3000', 'x-csrf-token': await agent.csrf(), ...(cookie ? { cookie } : {}) };
        if (valid.json || pattern.startsWith('/api/')) {
          res = await t.app.inject({ method: method as 'POST', url, ...(valid.json ? { payload: valid.json } : {}), headers: { ...headers, accept: 'application/json' } });
        } else if (valid.files) {
          const fd = new FormData();
          fd.append('_csrf', await agent.csrf());
          for (const [k, v] of Object.entries(valid.form ?? {})) for (const one of [v].flat()) fd.append(k, one);
          for (const f of valid.files) fd.append(f.field, new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
          const request = new Request('http://localhost/', { method: 'POST', body: fd });
          res = await t.app.inject({ method: 'POST', url, payload: Buffer.from(await request.arrayBuffer()), headers: { ...headers, accept: 'text/html', 'content-type': request.headers.get('content-type') as string } });
        } else res = await submit(agent, method, url, valid.form ?? {});
        const after = await snapshot(t);
        const changed = changedTables(before, after);
        const problems: string[] = [];
        const api = pattern.startsWith('/api/');
        if (valid.refused) {
          // Refused by design (access-requests.ts `refused`): the handler is reached and says why,
          // with its status, and nothing changes.
          const { status, says, why } = valid.refused;
          if (res.statusCode !== status || !text(res.body).includes(says)) problems.push(`expected ${status} saying "${says}", answered ${res.statusCode} ${String(res.headers.location ?? '')} ${problemOf(res.body)}`);
          if (changed.length) problems.push(`a refused request changed ${changed.join(', ')}`);
          if (problems.length) failures.push(`${route} as ${role} (${method} ${url}): ${problems.join('; ')}`);
          else {
            coverage.write.reached++;
            refusedByDesign.push(`${route} as ${role}: ${status}, ${why}`);
          }
          continue;
        }
        const done = api
          ? res.statusCode >= 200 && res.statusCode < 300
          : (res.statusCode === 303 && (valid.redirect?.test(String(res.headers.location)) || !String(res.headers.location).startsWith('/sign-in'))) ||
            (res.statusCode === 200 && !/<title>[^<]*(Error|Page not found)/.test(res.body));
        if (!done) problems.push(`answered ${res.statusCode} ${String(res.headers.location ?? '')} ${problemOf(res.body)}`);
        if (done) {
          if (!valid.noAudit && !changed.includes('audit_log')) problems.push('wrote no audit entry');
          const missing = (valid.changes ?? []).filter((table) => !changed.includes(table));
          if (missing.length) problems.push(`changed ${changed.join(', ') || 'nothing'}, not ${missing.join(', ')}`);
          if (valid.check) await valid.check().catch((err: Error) => problems.push(err.message));
        }
        if (problems.length) failures.push(`${route} as ${role} (${method} ${url}): ${problems.join('; ')}`);
        else coverage.write.reached++;
      }
      expect(failures).toEqual([]);
    });
  }

  it('reaches the handler in enough allowed cells (coverage may not drop)', () => {
    const reached = coverage.get.reached + coverage.write.reached;
    const total = coverage.get.total + coverage.write.total;
    console.log(
      `access: valid requests reached the handler in ${reached} of ${total} allowed cells (GET ${coverage.get.reached}/${coverage.get.total}, writes ${coverage.write.reached}/${coverage.write.total})`,
    );
    if (refusedByDesign.length) console.log(`access: reached, refused by design (${refusedByDesign.length}):\n  ${refusedByDesign.join('\n  ')}`);
    if (notReached.length) console.log(`access: not reached (${notReached.length}):\n  ${notReached.join('\n  ')}`);
    expect(reached).toBeGreaterThanOrEqual(MIN_REACHED);
  });
});
