import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createPerson, type TestApp } from './helpers.ts';

/**
 * Enumeration: for every form that takes an email or a pseudonym, a value that has an account
 * and one that has none give the same status, the same page (less the CSRF token and what
 * the person typed) and about the same time. A difference in any of the three tells a
 * stranger who is in the network.
 *
 * Timing is compared by the median of RUNS alternating runs, within FACTOR: generous, because
 * the machine is shared, yet far below what an extra Argon2 hash, a skipped hash or an extra
 * transaction would show (each known/unknown pair costs the same hashing work here).
 */

const RUNS = 7;
const FACTOR = 2;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

let n = 0;
const unique = () => `${Date.now().toString(36)}${++n}`;

/** A page as an observer compares it: without the CSRF token, the typed values, or digits (times, ids). */
function comparable(res: LightMyRequestResponse, typed: string[] = []): string {
  let body = res.body.replace(/name="_csrf" value="[^"]*"/g, '');
  for (const value of typed) body = body.split(value).join('TYPED');
  return body.replace(/[0-9]/g, '0');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

/**
 * Runs `known(i)` and `unknown(i)` alternately RUNS times (i = 1..RUNS, after a warm-up with
 * i = 0); checks the status and the comparable page are the same every time, and the median
 * times are alike. Make accounts beforehand (`people`): only the request itself is timed.
 */
async function expectAlike(
  known: (i: number) => Promise<{ res: LightMyRequestResponse; typed: string[] }>,
  unknown: (i: number) => Promise<{ res: LightMyRequestResponse; typed: string[] }>,
): Promise<void> {
  await known(0);
  await unknown(0);
  const times = { known: [] as number[], unknown: [] as number[] };
  for (let i = 1; i <= RUNS; i++) {
    const [a, ta] = await timed(() => known(i));
    const [b, tb] = await timed(() => unknown(i));
    times.known.push(ta);
    times.unknown.push(tb);
    expect(a.res.statusCode).toBe(b.res.statusCode);
    expect(a.res.headers.location).toBe(b.res.headers.location);
    expect(comparable(a.res, a.typed)).toBe(comparable(b.res, b.typed));
  }
  const [mk, mu] = [median(times.known), median(times.unknown)];
  expect(Math.max(mk, mu) / Math.min(mk, mu), `median ms: known ${mk.toFixed(1)}, unknown ${mu.toFixed(1)}`).toBeLessThan(FACTOR);
}

/** RUNS + 1 accounts, one per run: the per-account sign-in limit must not be what answers. */
async function people(role: 'member' | 'participant') {
  const list = [];
  for (let i = 0; i <= RUNS; i++) list.push(await createPerson(t, role));
  return list;
}

describe('enumeration: sign-in, registration and password reset', () => {
  it('sign-in with an email: an account with a wrong password reads like no account', async () => {
    const known = await people('member');
    await expectAlike(
      async (i) => {
        const person = known[i]!;
        const res = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: 'not the right password' });
        return { res, typed: [person.identifier] };
      },
      async () => {
        const email = `nobody.${unique()}@example.org`;
        const res = await new Agent(t).post('/sign-in', { identifier: email, password: 'not the right password' });
        return { res, typed: [email] };
      },
    );
  }, 60_000);

  it('sign-in with a pseudonym: the same', async () => {
    const known = await people('participant');
    await expectAlike(
      async (i) => {
        const person = known[i]!;
        const res = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: 'not the right password' });
        return { res, typed: [person.identifier] };
      },
      async () => {
        const pseudonym = `Nobody${unique()}`;
        const res = await new Agent(t).post('/sign-in', { identifier: pseudonym, password: 'not the right password' });
        return { res, typed: [pseudonym] };
      },
    );
  }, 60_000);

  it('forgotten password: the same answer, in the same time, with or without an account', async () => {
    const known = await people('member');
    await expectAlike(
      async (i) => {
        const person = known[i]!;
        const res = await new Agent(t).post('/password/forgot', { email: person.identifier });
        return { res, typed: [person.identifier] };
      },
      async () => {
        const email = `nobody.${unique()}@example.org`;
        const res = await new Agent(t).post('/password/forgot', { email });
        return { res, typed: [email] };
      },
    );
  }, 60_000);

  it('registration with an email that has an account reads like a new one, down to the account page', async () => {
    const passphrase = 'filler-antibody-calculus-headfirst-deceased';
    const register = async (email: string) => {
      const agent = new Agent(t);
      const pseudonym = `Heron ${unique()}`;
      const res = await agent.post('/register', { pseudonym, passphrase, saved: 'yes', email });
      // what the new account then sees of itself is alike too
      const account = await agent.get(res.headers.location as string);
      expect(account.statusCode).toBe(200);
      return { res, typed: [pseudonym, email], account: comparable(account, [pseudonym]) };
    };
    const pages: { known: string[]; unknown: string[] } = { known: [], unknown: [] };
    // Runs are capped by the per-address registration limit (20 in 15 minutes): 2 + 2 × 7 = 16.
    const owners = await people('member');
    await expectAlike(
      async (i) => {
        const r = await register(owners[i]!.identifier);
        pages.known.push(r.account);
        return r;
      },
      async () => {
        const r = await register(`new.${unique()}@example.org`);
        pages.unknown.push(r.account);
        return r;
      },
    );
    expect(pages.known.length).toBe(pages.unknown.length);
    expect(pages.known).toEqual(pages.unknown);
  }, 60_000);
});

/**
 * Forms run by organisations and the convener that take someone's email: the org admin's staff
 * form and the application's contact address. Each must answer a known and an unknown address
 * alike (use `expectAlike` and `comparable` above).
 */
describe('enumeration: staff invitations and applications', () => {
  it('the org admin staff form answers a known and an unknown email alike', async () => {
    const admin = new Agent(t);
    const adminPerson = await createPerson(t, 'org_admin');
    await admin.signIn(adminPerson);
    const [membership] = await t.platform.db.selectFrom('memberships').select('organisation_id').where('person_id', '=', adminPerson.id).execute();
    const url = `/organisations/${membership?.organisation_id}/staff`;
    const known = await people('member');
    const invite = async (email: string) => {
      const res = await admin.post(url, { email, orgRole: 'staff' });
      // The page the admin lands on says the same, and lists both invitations the same way.
      const notice = /<div class="notice" role="status">[^<]*<\/div>/.exec((await admin.get(String(res.headers.location))).body)?.[0];
      expect(notice).toContain('Invitation sent.');
      return { res, typed: [email] };
    };
    await expectAlike(
      (i) => invite(known[i]!.identifier),
      (i) => invite(`nobody.${unique()}.${i}@example.org`),
    );
  }, 60_000);

  it('the application form answers a known and an unknown contact email alike', async () => {
    const convener = new Agent(t);
    await convener.signIn(await createPerson(t, 'convener'));
    await convener.post('/terms', { body: 'Members work to prevent mass atrocities and share early warnings.' });
    const version = (await t.platform.db.selectFrom('terms_versions').select('version').orderBy('version', 'desc').executeTakeFirstOrThrow()).version;
    const known = await people('member');
    const form = new Agent(t);
    const apply = async (email: string, address: string) => {
      const name = `Applicant ${unique()}`;
      const body = new URLSearchParams({
        name,
        mission: 'We document and prevent violence against civilians.',
        countries: 'KEN',
        activities: 'advocacy',
        languages: 'en',
        applicantName: 'Contact Person',
        applicantEmail: email,
        statement: 'Our work is prevention.',
        termsVersion: String(version),
        acceptTerms: 'yes',
        notDuplicate: 'yes',
      });
      body.set('_csrf', await form.csrf());
      const cookie = form.cookieHeader();
      // A fresh address each time: the per-address limit on applications must not be what answers.
      const res = await t.app.inject({
        method: 'POST',
        url: '/apply',
        remoteAddress: address,
        payload: body.toString(),
        headers: { origin: 'http://localhost:3000', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      });
      expect(res.statusCode).toBe(303);
      return { res, typed: [email, name] };
    };
    await expectAlike(
      (i) => apply(known[i]!.identifier, `10.1.0.${i + 1}`),
      (i) => apply(`nobody.${unique()}.${i}@example.org`, `10.2.0.${i + 1}`),
    );
  }, 60_000);
});
