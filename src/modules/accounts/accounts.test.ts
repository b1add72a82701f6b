import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { generateSecret } from 'otplib';
import { Agent, auditCount, buildTestApp, createPerson, type TestApp, text, totpNow } from '../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('sign-in', () => {
  it('signs in with a password, gives a new session id, and signs out', async () => {
    const person = await createPerson(t, 'member');
    // Fixation: an attacker signs in, plants their own valid session cookie in the victim's
    // browser, and waits. Signing in must replace it, never adopt it.
    const attacker = new Agent(t);
    await attacker.signIn(await createPerson(t, 'participant'));
    const planted = attacker.cookies.get('ns_session')!;
    expect(planted).toBeTruthy();
    const agent = new Agent(t);
    await agent.get('/');
    agent.cookies.set('ns_session', planted);
    const res = await agent.signIn(person);
    expect(res.headers.location).toBe('/');
    const session = agent.cookies.get('ns_session');
    expect(session).toBeTruthy();
    expect(session).not.toBe(planted);
    // signing in again (already signed in) rotates the id again
    await agent.signIn(person);
    expect(agent.cookies.get('ns_session')).not.toBe(session);
    expect(res.headers['set-cookie']).toMatch(/HttpOnly/);
    const account = await agent.get('/account');
    expect(account.statusCode).toBe(200);
    expect(text(account.body)).toContain('Test Person');
    const out = await agent.post('/sign-out');
    expect(out.statusCode).toBe(303);
    expect((await agent.get('/account')).statusCode).toBe(303);
  });

  it('answers an unknown account and a wrong password alike', async () => {
    const person = await createPerson(t, 'member');
    const a = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: 'wrong password!!' });
    const b = await new Agent(t).post('/sign-in', { identifier: 'nobody@example.org', password: 'wrong password!!' });
    expect(a.statusCode).toBe(400);
    expect(b.statusCode).toBe(400);
    const strip = (s: string) => text(s).replace(/_csrf" value="[^"]+"/g, '').replace(/person[^ ]+@example.org|nobody@example.org/g, 'X');
    expect(strip(a.body)).toBe(strip(b.body));
    expect(text(a.body)).toContain('The name, the password or the two-step code is not right');
    // the identifier is kept, the password is not
    expect(a.body).toContain(`value="${person.identifier}"`);
    expect(a.body).not.toContain('wrong password!!');
  });

  it('refuses the 6th failed attempt on an account with 429 while other accounts sign in', async () => {
    const victim = await createPerson(t, 'member');
    const other = await createPerson(t, 'participant');
    const attacker = new Agent(t);
    for (let i = 1; i <= 5; i++) {
      const res = await attacker.post('/sign-in', { identifier: victim.identifier, password: `guess number ${i}` });
      expect(res.statusCode).toBe(400);
    }
    const sixth = await attacker.post('/sign-in', { identifier: victim.identifier, password: victim.password });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['retry-after']).toBe('900');
    expect(text(sixth.body)).toContain('Too many attempts');
    // same address, another account: unaffected
    const ok = await attacker.post('/sign-in', { identifier: other.identifier, password: other.password });
    expect(ok.statusCode).toBe(303);
  });

  it('accepts a TOTP code once only, and never says the password was right', async () => {
    const secret = generateSecret();
    const person = await createPerson(t, 'convener', { totpSecret: secret });
    const strip = (s: string) => s.replace(/name="_csrf" value="[^"]+"/g, '');
    const wrongPassword = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: 'not the password at all' });
    const noCode = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password });
    const badCode = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code: '000000' });
    expect(wrongPassword.statusCode).toBe(400);
    expect(noCode.statusCode).toBe(400);
    expect(badCode.statusCode).toBe(400);
    // right password without a code reads exactly like a wrong password
    expect(strip(noCode.body)).toBe(strip(wrongPassword.body));
    expect(strip(badCode.body).replace(' value="000000"', '')).toBe(strip(wrongPassword.body));
    expect(text(noCode.body)).toContain('The name, the password or the two-step code is not right');
    // people without two-step sign-in see the code field as optional
    expect(noCode.body).not.toMatch(/name="code"[^>]*required/);
    const code = await totpNow(secret);
    const first = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code });
    expect(first.statusCode).toBe(303);
    const replay = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code });
    expect(replay.statusCode).toBe(400);
    expect(strip(replay.body).replace(` value="${code}"`, '')).toBe(strip(wrongPassword.body));
  });
});

describe('sessions', () => {
  it('revokes every other session when the password changes', async () => {
    const person = await createPerson(t, 'associate');
    const laptop = new Agent(t);
    const phone = new Agent(t);
    await laptop.signIn(person);
    await phone.signIn(person);
    const res = await laptop.post('/account/password', { current: person.password, password: 'a brand new password 1' });
    expect(res.statusCode).toBe(303);
    expect((await laptop.get('/account')).statusCode).toBe(200);
    expect((await phone.get('/account')).statusCode).toBe(303);
  });

  it('keeps the form and writes nothing on a bad password change', async () => {
    const person = await createPerson(t, 'associate');
    const agent = new Agent(t);
    await agent.signIn(person);
    const before = await auditCount(t);
    const res = await agent.post('/account/password', { current: 'not it at all', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Use at least 12 characters');
    expect(await auditCount(t)).toBe(before);
  });

  it('lists sessions and revokes one from account settings', async () => {
    const person = await createPerson(t, 'participant');
    const a = new Agent(t, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/130.0' });
    const b = new Agent(t);
    await a.signIn(person);
    await b.signIn(person);
    const page = await a.get('/account');
    expect(text(page.body)).toContain('Chrome · Android');
    const revoke = /action="(\/account\/sessions\/[0-9a-f-]+\/revoke)"/.exec(page.body)?.[1];
    expect(revoke).toBeTruthy();
    expect((await a.post(revoke!)).statusCode).toBe(303);
    expect((await b.get('/account')).statusCode).toBe(303);
  });
});

describe('community registration', () => {
  it('registers with a pseudonym and the generated passphrase only', async () => {
    const agent = new Agent(t);
    const page = await agent.get('/register');
    const passphrase = /name="passphrase" value="([^"]+)"/.exec(page.body)?.[1];
    expect(passphrase?.split('-').length).toBe(5);
    const res = await agent.post('/register', { pseudonym: 'نجمة الصباح', passphrase: passphrase!, saved: 'yes' });
    expect(res.statusCode).toBe(303);
    const again = new Agent(t);
    expect((await again.post('/sign-in', { identifier: 'نجمة الصباح', password: passphrase! })).statusCode).toBe(303);
  });

  it('keeps the pseudonym and passphrase when the box is not ticked', async () => {
    const agent = new Agent(t);
    const res = await agent.post('/register', { pseudonym: 'Blue Heron', passphrase: 'one-two-three-four-five' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('value="Blue Heron"');
    expect(res.body).toContain('one-two-three-four-five');
    expect(text(res.body)).toContain('Tick the box');
  });
});

describe('password reset by emailed link', () => {
  it('is not used up by opening the link, and works once by POST', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    const res = await agent.post('/password/forgot', { email: person.identifier });
    expect(res.statusCode).toBe(303);
    const unknown = await new Agent(t).post('/password/forgot', { email: 'nobody-here@example.org' });
    expect(unknown.statusCode).toBe(303);
    expect(unknown.headers.location).toBe(res.headers.location);
    const mail = await t.platform.db.selectFrom('mail_messages').selectAll().where('recipient', '=', person.identifier).executeTakeFirstOrThrow();
    const link = /\/password\/reset\/[A-Za-z0-9_-]+/.exec(mail.body_text)![0];
    expect((await agent.get(link)).statusCode).toBe(200);
    expect((await agent.get(link)).statusCode).toBe(200); // GET twice: still usable
    expect((await agent.post(link, { password: 'my new password 123' })).statusCode).toBe(303);
    expect((await agent.post(link, { password: 'another password 456' })).statusCode).toBe(404);
    expect((await new Agent(t).post('/sign-in', { identifier: person.identifier, password: 'my new password 123' })).statusCode).toBe(303);
  });
});

describe('the convener command (npm run convener)', () => {
  const run = (args: string[], dataDir: string) =>
    promisify(execFile)('node', ['--import', 'tsx', 'scripts/convener.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_URL: '', LOG_LEVEL: 'warn' } }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );

  it('makes a convener with a one-time link to choose the password; refuses a second account and a reset for one who is not a convener', async () => {
    const { link, personId } = await t.services.accounts.convenerLink('create', { email: 'first-convener@example.org' });
    const path = new URL(link).pathname;
    const person = await t.platform.db.selectFrom('people').select(['network_role', 'password_hash']).where('id', '=', personId).executeTakeFirstOrThrow();
    expect(person).toEqual({ network_role: 'convener', password_hash: null });
    const agent = new Agent(t);
    expect((await agent.get(path)).statusCode).toBe(200);
    expect((await agent.post(path, { password: 'a convener passphrase 77' })).statusCode).toBe(303);
    expect((await agent.post(path, { password: 'once only passphrase 88' })).statusCode).toBe(404);
    const signedIn = new Agent(t);
    expect((await signedIn.post('/sign-in', { identifier: 'first-convener@example.org', password: 'a convener passphrase 77' })).statusCode).toBe(303);
    // Refused, with the reason, and nothing written.
    const before = await auditCount(t);
    await expect(t.services.accounts.convenerLink('create', { email: 'First-Convener@example.org' })).rejects.toMatchObject({ fields: { email: { key: 'errors.convenerExists' } } });
    const member = await createPerson(t, 'member');
    await expect(t.services.accounts.convenerLink('reset', { email: member.identifier })).rejects.toMatchObject({ fields: { email: { key: 'errors.convenerNotConvener' } } });
    await expect(t.services.accounts.convenerLink('create', { email: member.identifier })).rejects.toMatchObject({ fields: { email: { key: 'errors.convenerNotConvener' } } });
    await expect(t.services.accounts.convenerLink('reset', { email: 'nobody-convener@example.org' })).rejects.toMatchObject({ fields: { email: { key: 'errors.convenerUnknown' } } });
    expect(await auditCount(t)).toBe(before);
    // An address typed at a pseudonymous registration (unverified) does not block the convener: it gives way, as to an invitation.
    const blocker = await t.platform.db.insertInto('people').values({ display_name: 'Blocker', pseudonym: `blocker-${Date.now()}`, email: 'planned-convener@example.org', network_role: 'participant', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
    const planned = await t.services.accounts.convenerLink('create', { email: 'planned-convener@example.org', displayName: 'Amina Convener' });
    expect(await t.platform.db.selectFrom('people').select(['email']).where('id', '=', blocker.id).executeTakeFirstOrThrow()).toEqual({ email: null });
    expect(await t.platform.db.selectFrom('people').select(['display_name', 'network_role']).where('id', '=', planned.personId).executeTakeFirstOrThrow()).toEqual({ display_name: 'Amina Convener', network_role: 'convener' });
    // A lost password: a new link, and the old password no longer matters once it is used.
    const again = await t.services.accounts.convenerLink('reset', { email: 'first-convener@example.org' });
    expect((await new Agent(t).post(new URL(again.link).pathname, { password: 'the next convener phrase 99' })).statusCode).toBe(303);
    expect((await new Agent(t).post('/sign-in', { identifier: 'first-convener@example.org', password: 'a convener passphrase 77' })).statusCode).toBe(400);
  });

  it('prints the link, says why when it refuses, and how to use it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'northstar-convener-'));
    const made = await run(['create', 'new-convener@example.org', 'Amina', 'Yusuf'], dataDir);
    expect(made.code).toBe(0);
    expect(made.stderr).toContain('PUBLIC_URL is not set');
    expect(made.stdout).toMatch(/A convener account for new-convener@example\.org is made\.[\s\S]*\/password\/reset\/[A-Za-z0-9_-]{20,}/);
    const twice = await run(['create', 'new-convener@example.org'], dataDir);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('A convener with this e-mail address exists already');
    const usage = await run(['promote'], dataDir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('npm run convener -- create EMAIL');
  }, 120_000);
});

describe('invitations', () => {
  it('invites by email; the link shows a confirmation page and is redeemed by POST once', async () => {
    const convener = await createPerson(t, 'convener');
    const agent = new Agent(t);
    await agent.signIn(convener);
    const org = await t.platform.db.insertInto('organisations').values({ name: 'Invite Org', slug: 'invite-org' }).returning('id').executeTakeFirstOrThrow();
    const res = await agent.post('/people/invitations', { email: 'new.staff@example.org', networkRole: 'member', organisationId: org.id, orgRole: 'org_admin' });
    expect(res.statusCode).toBe(303);
    const outbox = await agent.get('/outbox');
    expect(text(outbox.body)).toContain('new.staff@example.org');
    const mail = await t.platform.db.selectFrom('mail_messages').selectAll().where('recipient', '=', 'new.staff@example.org').executeTakeFirstOrThrow();
    const link = /\/invitations\/[A-Za-z0-9_-]+/.exec(mail.body_text)![0];
    const invitee = new Agent(t);
    const page = await invitee.get(link);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Invite Org');
    const bad = await invitee.post(link, { displayName: '', password: 'x' });
    expect(bad.statusCode).toBe(400);
    const ok = await invitee.post(link, { displayName: 'Nadia', password: 'a long enough password' });
    expect(ok.statusCode).toBe(303);
    const account = await invitee.get('/account');
    expect(text(account.body)).toContain('Invite Org (Organisation admin)');
    expect((await new Agent(t).get(link)).statusCode).toBe(404);
  });

  it('a member without an organisation is refused with a field message', async () => {
    const convener = await createPerson(t, 'convener');
    const agent = new Agent(t);
    await agent.signIn(convener);
    const res = await agent.post('/people/invitations', { email: 'x@example.org', networkRole: 'member' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Choose the organisation');
    expect(res.body).toContain('value="x@example.org"');
  });

  it('disabling an account ends its sessions', async () => {
    const convener = await createPerson(t, 'convener');
    const person = await createPerson(t, 'associate');
    const admin = new Agent(t);
    const them = new Agent(t);
    await admin.signIn(convener);
    await them.signIn(person);
    expect((await admin.post(`/people/${person.id}/disable`)).statusCode).toBe(303);
    expect((await them.get('/account')).statusCode).toBe(303);
    expect((await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password })).statusCode).toBe(400);
  });
});

// ---- issue 12: sign-in and credentials --------------------------------------------------------

/** A personal access token made on the account page (the password asked again). */
async function mintToken(agent: Agent, password: string, name = 'script'): Promise<string> {
  const page = await agent.post('/account/tokens', { name, tokenPassword: password });
  expect(page.statusCode).toBe(200);
  return /ns_[A-Za-z0-9_-]{40,}/.exec(page.body)![0];
}

async function apiMe(token: string) {
  return t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
}

/** Turns on two-step sign-in from the account pages; answers the secret and the page shown. */
async function enableTotp(agent: Agent, password: string) {
  const setup = await agent.get('/account/totp');
  const secret = /name="secret" value="([A-Z2-7]+)"/.exec(setup.body)![1]!;
  const res = await agent.post('/account/totp', { secret, code: await totpNow(secret), current: password });
  return { secret, res };
}

const CODE = /<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code>/g;

describe('where to go after signing in (next)', () => {
  const hostile = ['/%09/evil.example', '/%5C/evil.example', '/%0d/evil.example', '%0d%0a', '//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)'];

  it.each(hostile)('sends %s to the home page, never elsewhere and never a 500', async (next) => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    const res = await agent.post(`/sign-in?next=${next}`, { identifier: person.identifier, password: person.password });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    // already signed in: the sign-in page redirects straight away
    const again = await agent.get(`/sign-in?next=${next}`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/');
  });

  it('never puts a line break into the Location header', async () => {
    const person = await createPerson(t, 'member');
    const res = await new Agent(t).post('/sign-in?next=/%0d%0aSet-Cookie:%20x=1', { identifier: person.identifier, password: person.password });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/Set-Cookie:%20x=1'); // a harmless local path
    expect(res.headers['set-cookie']).not.toContain('x=1');
  });

  it('keeps a path of our own, with its query and fragment', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    const next = encodeURIComponent('/signs?country=SY&page=2#list');
    const res = await agent.post(`/sign-in?next=${next}`, { identifier: person.identifier, password: person.password });
    expect(res.headers.location).toBe('/signs?country=SY&page=2#list');
  });
});

describe('personal access tokens', () => {
  it('end with a password change, a reset, and turning two-step sign-in on and off', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    await agent.signIn(person);

    const beforeChange = await mintToken(agent, person.password);
    expect((await apiMe(beforeChange)).statusCode).toBe(200);
    const changed = await agent.post('/account/password', { current: person.password, password: 'a brand new password 7' });
    expect(changed.statusCode).toBe(303);
    expect((await apiMe(beforeChange)).statusCode).toBe(401);
    person.password = 'a brand new password 7';

    const beforeTotp = await mintToken(agent, person.password);
    const { secret, res } = await enableTotp(agent, person.password);
    expect(res.statusCode).toBe(200);
    expect((await apiMe(beforeTotp)).statusCode).toBe(401);

    const beforeOff = await mintToken(agent, person.password);
    const off = await agent.post('/account/totp/disable', { totpPassword: person.password });
    expect(off.statusCode).toBe(303);
    expect((await apiMe(beforeOff)).statusCode).toBe(401);
    expect(secret).toBeTruthy();

    const beforeReset = await mintToken(agent, person.password);
    await new Agent(t).post('/password/forgot', { email: person.identifier });
    const mail = await t.platform.db.selectFrom('mail_messages').select('body_text').where('recipient', '=', person.identifier).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const link = /\/password\/reset\/[A-Za-z0-9_-]+/.exec(mail.body_text)![0];
    expect((await new Agent(t).post(link, { password: 'yet another new password 8' })).statusCode).toBe(303);
    expect((await apiMe(beforeReset)).statusCode).toBe(401);
  });

  it('cannot be minted by a token, nor without the password', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    await agent.signIn(person);
    const token = await mintToken(agent, person.password);
    const byToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'second', tokenPassword: person.password },
    });
    expect(byToken.statusCode).toBe(403);
    expect(byToken.json().error.message).toContain('A token cannot create tokens');
    const wrong = await agent.post('/account/tokens', { name: 'x', tokenPassword: 'not my password' });
    expect(wrong.statusCode).toBe(400);
    expect(text(wrong.body)).toContain('Your current password is not right');
    const missing = await agent.post('/account/tokens', { name: 'x' });
    expect(missing.statusCode).toBe(400);
    // with a session and the password, the API mints one too
    const bySession = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: agent.cookieHeader()!, 'x-csrf-token': await agent.csrf(), origin: 'http://localhost:3000' },
      payload: { name: 'from the api', tokenPassword: person.password },
    });
    expect(bySession.statusCode).toBe(201);
    const names = await t.platform.db.selectFrom('api_tokens').select('name').where('person_id', '=', person.id).where('revoked_at', 'is', null).execute();
    expect(names.map((n) => n.name).sort()).toEqual(['from the api', 'script']);
  });
});

describe('two-step sign-in', () => {
  it('asks for the password again before turning on, and throttles guesses like sign-in', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    await agent.signIn(person);
    const setup = await agent.get('/account/totp');
    const secret = /name="secret" value="([A-Z2-7]+)"/.exec(setup.body)![1]!;
    const wrong = await agent.post('/account/totp', { secret, code: await totpNow(secret), current: 'a stolen session only' });
    expect(wrong.statusCode).toBe(400);
    expect(text(wrong.body)).toContain('Your current password is not right');
    const row = await t.platform.db.selectFrom('people').select('totp_secret').where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row.totp_secret).toBeNull();
    for (let i = 2; i <= 5; i++) expect((await agent.post('/account/totp', { secret, code: '123456', current: `guess ${i}` })).statusCode).toBe(400);
    const sixth = await agent.post('/account/totp', { secret, code: await totpNow(secret), current: person.password });
    expect(sixth.statusCode).toBe(429);
    expect(text(sixth.body)).toContain('Too many attempts');
  });

  it('shows ten recovery codes once, stores them hashed, and each signs in once', async () => {
    const person = await createPerson(t, 'associate');
    const agent = new Agent(t);
    await agent.signIn(person);
    const { res } = await enableTotp(agent, person.password);
    expect(res.statusCode).toBe(200);
    const codes = [...res.body.matchAll(CODE)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await t.platform.db.selectFrom('recovery_codes').select('code_hash').where('person_id', '=', person.id).execute();
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(stored.some((s) => s.code_hash.includes(code.replace(/-/g, '')))).toBe(false);
    // not shown again
    expect((await agent.get('/account')).body).not.toContain(codes[0]);
    expect(text((await agent.get('/account')).body)).toContain('You have 10 recovery codes left');

    const withCode = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code: codes[0]!.toUpperCase() });
    expect(withCode.statusCode).toBe(303);
    const again = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code: codes[0]! });
    expect(again.statusCode).toBe(400);
    // used in parallel: only one of two sign-ins gets in
    const race = await Promise.all([1, 2].map(() => new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code: codes[1]! })));
    expect(race.map((r) => r.statusCode).sort()).toEqual([303, 400]);
    expect(text((await agent.get('/account')).body)).toContain('You have 8 recovery codes left');
  });

  it('makes new recovery codes with the password again; the old ones stop working', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    await agent.signIn(person);
    const { res } = await enableTotp(agent, person.password);
    const old = [...res.body.matchAll(CODE)].map((m) => m[1]!);
    const refused = await agent.post('/account/recovery-codes', { recoveryPassword: 'wrong password here' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('Your current password is not right');
    const renewed = await agent.post('/account/recovery-codes', { recoveryPassword: person.password });
    expect(renewed.statusCode).toBe(200);
    const fresh = [...renewed.body.matchAll(CODE)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    expect((await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code: old[0]! })).statusCode).toBe(400);
    expect((await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code: fresh[0]! })).statusCode).toBe(303);
  });
});

describe('sessions and reset links', () => {
  it('a session ends 30 days after sign-in, however active it was', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    await agent.signIn(person);
    expect((await agent.get('/account')).statusCode).toBe(200);
    await t.platform.db
      .updateTable('sessions')
      .set({ created_at: sql<Date>`now() - interval '31 days'`, last_seen_at: new Date(), expires_at: new Date(Date.now() + 24 * 3600 * 1000) } as never)
      .where('person_id', '=', person.id)
      .execute();
    expect((await agent.get('/account')).statusCode).toBe(303);
  });

  it('a successful reset ends every other open reset link of that person', async () => {
    const person = await createPerson(t, 'member');
    await new Agent(t).post('/password/forgot', { email: person.identifier });
    await new Agent(t).post('/password/forgot', { email: person.identifier });
    const mails = await t.platform.db.selectFrom('mail_messages').select('body_text').where('recipient', '=', person.identifier).execute();
    const links = mails.map((m) => /\/password\/reset\/[A-Za-z0-9_-]+/.exec(m.body_text)![0]);
    expect(links).toHaveLength(2);
    expect((await new Agent(t).post(links[0]!, { password: 'my new password 123' })).statusCode).toBe(303);
    expect((await new Agent(t).get(links[1]!)).statusCode).toBe(404);
    expect((await new Agent(t).post(links[1]!, { password: 'an attacker password 9' })).statusCode).toBe(404);
  });
});

describe('common and easily guessed passwords', () => {
  it('are refused, with the reason, wherever a password is set', async () => {
    const person = await createPerson(t, 'member');
    const agent = new Agent(t);
    await agent.signIn(person);
    const change = await agent.post('/account/password', { current: person.password, password: 'password1234' });
    expect(change.statusCode).toBe(400);
    expect(text(change.body)).toContain('too easy to guess: it is, or is close to, a commonly used password');
    const pattern = await agent.post('/account/password', { current: person.password, password: 'qwertyuiopasdfgh' });
    expect(text(pattern.body)).toContain('too easy to guess');

    await new Agent(t).post('/password/forgot', { email: person.identifier });
    const mail = await t.platform.db.selectFrom('mail_messages').select('body_text').where('recipient', '=', person.identifier).executeTakeFirstOrThrow();
    const link = /\/password\/reset\/[A-Za-z0-9_-]+/.exec(mail.body_text)![0];
    const reset = await new Agent(t).post(link, { password: 'iloveyou12345' });
    expect(reset.statusCode).toBe(400);
    expect(text(reset.body)).toContain('too easy to guess');
    expect((await new Agent(t).get(link)).statusCode).toBe(200); // the link still works

    // a registration whose passphrase was swapped for a weak one
    const register = await new Agent(t).post('/register', { pseudonym: 'Weak Heron', passphrase: 'aaaaaaaaaaaaaaaaaaaaaaa', saved: 'yes' });
    expect(register.statusCode).toBe(400);
    expect(text(register.body)).toContain('too easy to guess');

    const convener = await createPerson(t, 'convener');
    const admin = new Agent(t);
    await admin.signIn(convener);
    await admin.post('/people/invitations', { email: 'weak.invitee@example.org', networkRole: 'associate' });
    const invite = await t.platform.db.selectFrom('mail_messages').select('body_text').where('recipient', '=', 'weak.invitee@example.org').executeTakeFirstOrThrow();
    const invitation = /\/invitations\/[A-Za-z0-9_-]+/.exec(invite.body_text)![0];
    const weakInvite = await new Agent(t).post(invitation, { displayName: 'Weak Invitee', password: 'inviteeinvitee' });
    expect(weakInvite.statusCode).toBe(400);
    expect(text(weakInvite.body)).toContain('too easy to guess: it contains your name or email address');
    expect(text((await new Agent(t).post(invitation, { displayName: 'Weak Invitee', password: 'Password12345' })).body)).toContain('too easy to guess');
  });
});

describe('registering with an email that already has an account', () => {
  it('answers as for a new address, mails the owner in their language, and does not attach the email', async () => {
    const owner = await createPerson(t, 'member');
    await t.platform.db.updateTable('people').set({ locale: 'ar' }).where('id', '=', owner.id).execute();
    const form = (pseudonym: string, email: string) => ({ pseudonym, passphrase: 'acorn-fondling-buzz-uranium-nanny', saved: 'yes', email });
    const taken = await new Agent(t).post('/register', form('Grey Heron', owner.identifier));
    const fresh = await new Agent(t).post('/register', form('White Heron', 'white.heron@example.org'));
    expect(taken.statusCode).toBe(303);
    expect(fresh.statusCode).toBe(303);
    expect(taken.headers.location).toBe(fresh.headers.location);
    expect(taken.body).toBe(fresh.body);
    const grey = await t.platform.db.selectFrom('people').select(['email', 'network_role']).where('pseudonym', '=', 'Grey Heron').executeTakeFirstOrThrow();
    expect(grey.email).toBeNull();
    const mail = await t.platform.db.selectFrom('mail_messages').selectAll().where('recipient', '=', owner.identifier).executeTakeFirstOrThrow();
    expect(mail.subject).toContain('Northstar');
    expect(mail.body_text).toMatch(/[\u0600-\u06FF]/);
    expect(mail.body_text).toContain('http://localhost:3000/password/forgot');
    // the owner keeps their account; the new one cannot sign in with the email either way
    expect((await new Agent(t).post('/sign-in', { identifier: owner.identifier, password: owner.password })).statusCode).toBe(303);
    const byEmail = await new Agent(t).post('/sign-in', { identifier: 'white.heron@example.org', password: 'acorn-fondling-buzz-uranium-nanny' });
    expect(byEmail.statusCode).toBe(400);
    expect((await new Agent(t).post('/sign-in', { identifier: 'White Heron', password: 'acorn-fondling-buzz-uranium-nanny' })).statusCode).toBe(303);
  });

  it('is throttled per email address, known or not, with its own message', async () => {
    const owner = await createPerson(t, 'member');
    for (const email of [owner.identifier, 'nobody.yet@example.org']) {
      for (let i = 1; i <= 3; i++) {
        const res = await new Agent(t).post('/register', { pseudonym: `Heron ${email.length} ${i}`, passphrase: 'filler-antibody-calculus-headfirst-deceased', saved: 'yes', email });
        expect(res.statusCode).toBe(303);
      }
      const fourth = await new Agent(t).post('/register', { pseudonym: `Heron ${email.length} 4`, passphrase: 'filler-antibody-calculus-headfirst-deceased', saved: 'yes', email });
      expect(fourth.statusCode).toBe(429);
      expect(text(fourth.body)).toContain('Many accounts were made from this connection');
      expect(fourth.body).toContain(`value="Heron ${email.length} 4"`);
    }
  });

  it('is throttled per client address, which also limits probing pseudonyms', async () => {
    const app = await buildTestApp();
    try {
      const taken = await createPerson(app, 'participant');
      let last = 0;
      for (let i = 0; i < 21; i++) last = (await new Agent(app).post('/register', { pseudonym: taken.identifier, passphrase: 'filler-antibody-calculus-headfirst-deceased', saved: 'yes' })).statusCode;
      expect(last).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('forms sent from another origin (PUBLIC_URL)', () => {
  it('accepts 127.0.0.1 and [::1] when PUBLIC_URL is localhost, and the session works there', async () => {
    const person = await createPerson(t, 'member');
    for (const origin of ['http://127.0.0.1:3000', 'http://[::1]:3000']) {
      const host = origin.slice(7);
      const agent = new Agent(t, { host });
      const res = await agent.post('/sign-in', { identifier: person.identifier, password: person.password }, { headers: { origin } });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/');
      expect((await agent.get('/account')).statusCode).toBe(200);
      expect((await agent.post('/account/tokens', { name: 'x', tokenPassword: person.password }, { headers: { origin } })).statusCode).toBe(200);
    }
  });

  it('says which origin was refused and which is expected, on the page and in the log', async () => {
    const agent = new Agent(t);
    const res = await agent.post('/sign-in', { identifier: 'x', password: 'y' }, { headers: { origin: 'http://192.168.1.20:3000' } });
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain('This form was sent from http://192.168.1.20:3000, but Northstar expects http://localhost:3000. Open Northstar at http://localhost:3000, or set PUBLIC_URL.');
    const warn = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg?.includes('Origin') && l.origin === 'http://192.168.1.20:3000');
    expect(warn).toMatchObject({ level: 40, origin: 'http://192.168.1.20:3000', expected: 'http://localhost:3000' });
    const hostile = await agent.post('/sign-in', { identifier: 'x', password: 'y' }, { headers: { origin: 'http://x"><script>alert(1)</script>' } });
    expect(hostile.statusCode).toBe(403);
    expect(hostile.body).not.toContain('<script>alert(1)');
  });

  it('accepts only PUBLIC_URL itself when it is not a loopback address', async () => {
    const { allowedOriginsFor } = await import('../../config.ts');
    expect(allowedOriginsFor(new URL('https://northstar.example'))).toEqual(['https://northstar.example']);
    expect(allowedOriginsFor(new URL('http://localhost:8080'))).toEqual(['http://localhost:8080', 'http://127.0.0.1:8080', 'http://[::1]:8080']);
  });

  it('refuses a visitor’s multipart body before reading it, and a foreign origin before the body', async () => {
    const boundary = 'x-boundary';
    const big = 'a'.repeat(2 * 1024 * 1024);
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${big}\r\n--${boundary}--\r\n`;
    let read = false;
    const body = new (await import('node:stream')).Readable({
      read() {
        read = true;
        this.push(payload);
        this.push(null);
      },
    });
    const res = await t.app.inject({ method: 'POST', url: '/sign-in', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: 'http://localhost:3000' } });
    expect(res.statusCode, text(res.body).slice(0, 900)).toBe(415);
    expect(read).toBe(false);
    const signedIn = new Agent(t);
    await signedIn.signIn(await createPerson(t, 'member'));
    const foreign = await t.app.inject({ method: 'POST', url: '/signs', payload: 'x=1', headers: { cookie: signedIn.cookieHeader() ?? '', 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
    expect(foreign.statusCode).toBe(403);
  });
});
