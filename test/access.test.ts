import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/platform/policy.ts';
import { ACCESS } from './access-table.ts';
import { Agent, buildTestApp, createPerson, type TestApp } from './helpers.ts';

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
