import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, auditCount, buildTestApp, createPerson, type TestApp } from './helpers.ts';

/**
 * Bad input never breaks anything: random bodies, content types and parameters on every
 * route, as an anonymous visitor and as a convener. Never a 5xx; a refused request writes nothing.
 */
let t: TestApp;
let convener: Agent;
let anonymous: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  convener = new Agent(t);
  await convener.signIn(await createPerson(t, 'convener'));
  anonymous = new Agent(t);
  await anonymous.get('/');
});
afterAll(async () => t?.close());

const FIELDS = ['identifier', 'password', 'code', 'pseudonym', 'passphrase', 'saved', 'email', 'current', 'secret', 'totpPassword', 'name', 'locale', 'next', 'displayName', 'networkRole', 'organisationId', 'orgRole', 'mission', 'website', 'yearFounded', 'countries', 'activities', 'stakeholders', 'languages', 'membersOnly', 'diasporaLed', 'statement', 'termsVersion', 'acceptTerms', 'applicantEmail', 'body', 'reason', 'decision', 'status', 'confirm', 'q', 'page', 'expertise', 'country', 'area', 'observedOn', 'reportedOn', 'indicators', 'description', 'links', 'confidence', 'sensitivity', 'audience', 'language', 'kind', 'severity', 'summary', 'actions', 'deadline', 'signs', 'outcome', 'purpose', 'factors', 'minSeverity', 'mode', 'file', 'match-345', 'title', 'format', 'communities', 'canChange', 'cannotChange', 'decisionMaker', 'missingWho', 'missingWhy', 'missingSteps', 'compensationAmount', 'compensationCurrency', 'compensationBasis', 'noCompensationReason', 'intent', 'heard', 'did', 'didNot', 'hours', 'amount', 'currency', 'person', 'paidOn', 'method', 'visible', 'dimensions', 'rate', 'rateBasis', 'note', 'notify', 'skills', 'outlet', 'topic', 'trainingOffered', 'supportOffered', 'answer'];
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '<script>alert(1)</script>', "' or 1=1 --", '../../etc/passwd', 'a'.repeat(5000), '١٢٣٤٥٦', '😀', '%00', 'null', '[]', '{}', 'ar', 'en', 'xx', 'yes', 'member', 'convener', 'SDN', 'XXX', 'education', 'javascript:alert(1)', '1999', '99999', '2999-01-01', '7.4', '99.1', 'restricted', 'critical', 'skip', 'open', '-5', '25.50', 'GBP', 'prefer_not', 'translation', 'hour', 'given'),
  fc.uuid(),
);
const body = fc.dictionary(fc.constantFrom(...FIELDS, '_x', '__proto__', 'constructor'), nasty, { maxKeys: 6 });
const contentType = fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml');

function encode(type: string, data: Record<string, string>): string {
  if (type === 'application/json') return JSON.stringify(data);
  if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(data).toString();
  return `${Object.entries(data).map(([k, v]) => `${k}=${v}`).join('\n')}\u0000{`;
}

describe('fuzzed input on every route', () => {
  it('never answers 5xx and a refused request changes nothing', async () => {
    const routes = t.app.routeTable;
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(body, contentType, fc.boolean(), fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', 'x'.repeat(300), '%E0%A4%A'), async (data, type, asConvener, param) => {
          const agent = asConvener ? convener : anonymous;
          const url = route.url.replace(':id', param).replace(':personId', param).replace(':token', param).replace(':slug', param).replace(':version', param).replace(':documentId', param).replace(':paymentId', param).replace(':code', param);
          const cookie = agent.cookieHeader() ?? '';
          const before = await auditCount(t);
          const res = await t.app.inject({
            method: route.method as 'GET',
            url,
            payload: route.method === 'GET' ? undefined : encode(type, { ...data, _csrf: await agent.csrf() }),
            headers: {
              ...(route.method === 'GET' ? {} : { 'content-type': type }),
              'x-csrf-token': await agent.csrf(),
              origin: 'http://localhost:3000',
              accept: 'text/html',
              cookie,
            },
          });
          expect(res.statusCode, `${route.method} ${url} ${type} ${JSON.stringify(data).slice(0, 200)}`).toBeLessThan(500);
          if (res.statusCode >= 400) expect(await auditCount(t), `${route.method} ${url} wrote after refusing`).toBe(before);
        }),
        { numRuns: 12, seed: 20261121 },
      );
    }
  }, 240_000);

  it('answers JSON errors with field messages in the reader language on the API', async () => {
    const agent = new Agent(t);
    const person = await createPerson(t, 'member');
    await agent.signIn(person);
    const cookie = agent.cookieHeader() ?? '';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      payload: { name: '' },
      headers: { cookie, 'x-csrf-token': await agent.csrf(), origin: 'http://localhost:3000', 'accept-language': 'ar' },
    });
    expect(res.statusCode).toBe(400);
    const json = res.json();
    expect(json.error.code).toBe('invalid_input');
    expect(json.error.fields.name).toMatch(/[\u0600-\u06FF]/);
  });
});
