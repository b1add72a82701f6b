import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const agent = new Agent(t);
    await agent.get('/');
    const before = agent.cookies.get('ns_session');
    const res = await agent.signIn(person);
    expect(res.headers.location).toBe('/');
    const session = agent.cookies.get('ns_session');
    expect(session).toBeTruthy();
    expect(session).not.toBe(before);
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
    expect(text(a.body)).toContain('The name or the password is not right');
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

  it('accepts a TOTP code once only', async () => {
    const secret = generateSecret();
    const person = await createPerson(t, 'convener', { totpSecret: secret });
    const noCode = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password });
    expect(noCode.statusCode).toBe(400);
    expect(text(noCode.body)).toContain('Enter the 6-digit code');
    const code = await totpNow(secret);
    const first = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code });
    expect(first.statusCode).toBe(303);
    const replay = await new Agent(t).post('/sign-in', { identifier: person.identifier, password: person.password, code });
    expect(replay.statusCode).toBe(400);
    expect(text(replay.body)).toContain('already used');
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
