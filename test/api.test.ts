import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createPerson, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('JSON API', () => {
  it('works with a personal access token, which is stored hashed and can be revoked', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    await agent.signIn(person);
    const page = await agent.post('/account/tokens', { name: 'report script', tokenPassword: person.password });
    const token = /ns_[A-Za-z0-9_-]{40,}/.exec(page.body)![0];
    const stored = await t.platform.db.selectFrom('api_tokens').select('token_hash').executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: person.id, networkRole: 'member' });
    // a token is not a browser: no CSRF token needed, it cannot reach convener routes, and it
    // cannot mint more tokens (issue 12, item 7)
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/me/tokens', headers: { authorization: `Bearer ${token}` }, payload: { name: 'second', tokenPassword: person.password } });
    expect(created.statusCode).toBe(403);
    const people = await t.app.inject({ method: 'GET', url: '/api/v1/people', headers: { authorization: `Bearer ${token}` } });
    expect(people.statusCode).toBe(404);
    const id = (me.json() as { id: string }).id;
    expect(id).toBeTruthy();
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/me/tokens', headers: { authorization: `Bearer ${token}` } });
    const first = (list.json() as { id: string; name: string }[]).find((x) => x.name === 'report script')!;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${first.id}`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('not valid') } });
  });

  it('answers bad bodies with 400 and field messages, and malformed JSON without a 500', async () => {
    const person = await createPerson(t, 'convener');
    const agent = new Agent(t);
    await agent.signIn(person);
    const cookie = agent.cookieHeader() ?? '';
    const headers = { cookie, 'x-csrf-token': await agent.csrf(), origin: 'http://localhost:3000' };
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/invitations', headers, payload: { email: 'not an email', networkRole: 'emperor' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toMatchObject({ email: expect.stringContaining('email address'), networkRole: expect.any(String) });
    const broken = await t.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"email":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid_input');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: { cookie }, payload: { email: 'a@example.org', networkRole: 'associate' } });
    expect(noCsrf.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/invitations', headers, payload: { email: 'a@example.org', networkRole: 'associate' } });
    expect(ok.statusCode).toBe(202);
  });

  it('publishes an OpenAPI 3.1 document of the API routes only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/actions', '/api/v1/alerts', '/api/v1/alerts/{id}', '/api/v1/commitments', '/api/v1/commitments/{id}', '/api/v1/consultations', '/api/v1/consultations/track-record', '/api/v1/countries/{code}', '/api/v1/decisions', '/api/v1/goals', '/api/v1/invitations', '/api/v1/library', '/api/v1/library/{id}', '/api/v1/me', '/api/v1/me/sessions', '/api/v1/me/sessions/{id}', '/api/v1/me/tokens', '/api/v1/me/tokens/{id}', '/api/v1/meetings', '/api/v1/meetings/{id}', '/api/v1/opportunities', '/api/v1/organisations', '/api/v1/organisations/{slug}', '/api/v1/people', '/api/v1/signs', '/api/v1/signs/{id}', '/api/v1/statements', '/api/v1/statements/{id}', '/api/v1/surveys/{id}/results']);
  });
});
