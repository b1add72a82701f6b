import { readFileSync } from 'node:fs';
import { parseFeed } from '@rowanmanning/feed-parser';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Register } from '../src/modules/accounts/accounts.schemas.ts';
import { profileFields } from '../src/modules/directory/directory.schemas.ts';
import type { AlertRow } from '../src/modules/warnings/alerts.repository.ts';
import { alertsAtom } from '../src/modules/warnings/exchange.ts';
import { safeFilename } from '../src/platform/http.tsx';
import { normaliseName, stripBidiControls, textProblem, withPlainLineBreaks } from '../src/platform/input.ts';
import { asciiDigits, cleanForm, parse } from '../src/platform/validation.ts';
import { Agent, auditCount, buildTestApp, createOrganisation, createPerson, type TestApp, text } from './helpers.ts';

/**
 * Text at the edge (ADR 0017): control characters and broken encodings are refused with a 400
 * in the reader's language on every route, before anything is written; names lose their bidi
 * controls and pseudonyms are one NFC string; the Atom feed stays well-formed whatever is stored.
 */
const en = JSON.parse(readFileSync(new URL('../locales/en.json', import.meta.url), 'utf8')) as Record<string, string>;
const ar = JSON.parse(readFileSync(new URL('../locales/ar.json', import.meta.url), 'utf8')) as Record<string, string>;
const ORIGIN = 'http://localhost:3000';

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

// ---- unit: the rules ---------------------------------------------------------------------------

describe('the rules for text', () => {
  it('refuses C0 and C1 controls and lone surrogates, keeps tab, line breaks and real text', () => {
    for (const bad of ['a\u0000b', '\u0001', 'x\u0008', '\u001B[31m', '\u007F', '\u0080', '\u009F', 'a\uD800b', '\uDC00']) expect(textProblem(bad), JSON.stringify(bad)).toBeDefined();
    for (const good of ['', 'plain', 'two\nlines\r\n', 'a\tb', 'page\u000Cbreak', 'vertical\u000Btab', 'next\u0085line', 'مرحبا', 'ဗမာ', '😀', 'é', '\uFFFD', '\u202E']) expect(textProblem(good), JSON.stringify(good)).toBeUndefined();
    // In a path nothing is multi-line text.
    expect(textProblem('a\tb', 'path')).toBe('control');
    expect(textProblem('a\nb', 'path')).toBe('control');
  });

  it('strips bidi embeddings, overrides and isolates, and NFC-normalises names', () => {
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(stripBidiControls(`A${all}li`)).toBe('Ali');
    // Marks that are not overrides, and Arabic text itself, stay.
    expect(stripBidiControls('علي\u200F')).toBe('علي\u200F');
    expect(normaliseName('Rene\u0301e')).toBe('Ren\u00e9e');
    expect(normaliseName('Ren\u00e9e')).toBe('Ren\u00e9e');
    expect(normaliseName('\u202E Salwa ')).toBe('Salwa');
  });

  it('applies both to names in the schemas, before their length and pattern are checked', () => {
    const reg = parse(Register, { pseudonym: 'Mo\u202Ehannad', passphrase: 'x'.repeat(24), saved: 'yes' });
    expect(reg.pseudonym).toBe('Mohannad');
    expect(parse(Register, { pseudonym: 'Zoe\u0308', passphrase: 'x'.repeat(24), saved: 'yes' }).pseudonym).toBe('Zo\u00eb');
    // Only overrides: nothing left, so "enter a pseudonym", not "not allowed characters".
    expect(() => parse(Register, { pseudonym: '\u202E\u202E', passphrase: 'x'.repeat(24), saved: 'yes' })).toThrow();
    const org = parse(Type.Object({ name: profileFields.name, shortName: profileFields.shortName }), { name: 'Nile \u2067Voices\u2069', shortName: '\u202DNV' });
    expect(org).toEqual({ name: 'Nile Voices', shortName: 'NV' });
  });

  it('takes bidi controls out of file names', () => {
    // "report\u202Efdp.exe" reads as "reportexe.pdf".
    expect(safeFilename('report\u202Efdp.exe', 'document')).toBe('reportfdp.exe');
    expect(safeFilename('a\u2066b\u2069.pdf\u0000', 'document')).toBe('ab.pdf_');
  });
});

// ---- every route ---------------------------------------------------------------------------------

/** Names the forms and the API use, and a few they do not: each carries a NUL. */
const FIELDS = [
  'identifier', 'password', 'code', 'pseudonym', 'passphrase', 'saved', 'email', 'current', 'secret', 'totpPassword',
  'name', 'shortName', 'locale', 'next', 'displayName', 'networkRole', 'organisationId', 'orgRole', 'mission', 'website',
  'yearFounded', 'countries', 'activities', 'stakeholders', 'languages', 'statement', 'termsVersion', 'acceptTerms',
  'applicantName', 'applicantEmail', 'body', 'reason', 'decision', 'status', 'confirm', 'q', 'page', 'expertise',
  'organisation', 'country', 'area', 'observedOn', 'reportedOn', 'indicators', 'description', 'links', 'confidence',
  'sensitivity', 'audience', 'language', 'kind', 'severity', 'summary', 'actions', 'deadline', 'signs', 'outcome',
  'purpose', 'title', 'format', 'communities', 'intent', 'amount', 'currency', 'person', 'paidOn', 'method', 'note',
  'topic', 'outlet', 'answer', 'x',
];
const NUL = 'a\u0000b';
const SOME_ID = '00000000-0000-4000-8000-000000000000';

function fill(url: string, value: string): string {
  return url.replace(/:[A-Za-z]+/g, value).replace(/\*/g, value);
}

async function send(agent: Agent, method: string, url: string, body?: { type: string; payload: string | Buffer }, extra: Record<string, string> = {}) {
  const cookie = agent.cookieHeader();
  return t.app.inject({
    method: method as 'GET',
    url,
    ...(body ? { payload: body.payload } : {}),
    headers: {
      accept: 'text/html',
      origin: ORIGIN,
      'x-csrf-token': await agent.csrf(),
      ...(body ? { 'content-type': body.type } : {}),
      ...(cookie ? { cookie } : {}),
      ...extra,
    },
  });
}

async function bodies(agent: Agent): Promise<{ type: string; payload: string | Buffer }[]> {
  const csrf = await agent.csrf();
  const form = new URLSearchParams();
  for (const f of FIELDS) form.append(f, NUL);
  form.set('_csrf', csrf);
  const json = JSON.stringify({ ...Object.fromEntries(FIELDS.map((f) => [f, NUL])), _csrf: csrf });
  const surrogate = `{"name":"\\ud800","body":"x","_csrf":"${csrf}"}`;
  const fd = new FormData();
  fd.append('_csrf', csrf);
  for (const f of FIELDS) fd.append(f, NUL);
  fd.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes\u0000.txt');
  const request = new Request('http://localhost/', { method: 'POST', body: fd });
  const multipart = Buffer.from(await request.arrayBuffer());
  return [
    { type: 'application/x-www-form-urlencoded', payload: form.toString() },
    // A surrogate percent-encoded, and bytes that are not UTF-8 at all.
    { type: 'application/x-www-form-urlencoded', payload: Buffer.concat([Buffer.from(`_csrf=${csrf}&name=%ED%A0%80&body=`), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('&q=%C0%AF')]) },
    { type: 'application/json', payload: json },
    { type: 'application/json', payload: surrogate },
    { type: request.headers.get('content-type') as string, payload: multipart },
  ];
}

describe('digits typed on Arabic and Persian phone keyboards', () => {
  it('become ASCII in codes, amounts, hours and dates, with the Arabic separators', () => {
    expect(asciiDigits('١٢٣٤٥٦')).toBe('123456');
    expect(asciiDigits('۱۲۳۴۵۶')).toBe('123456');
    expect(asciiDigits('٢٠٢٦-٠٣-١٤')).toBe('2026-03-14');
    expect(asciiDigits('١٤:٣٠')).toBe('14:30');
    expect(asciiDigits('٣٠٫٥٠')).toBe('30.50');
    expect(asciiDigits('١٬٠٠٠')).toBe('1,000');
  });

  it('leave text with words in it as it was typed, and ASCII as it is', () => {
    expect(asciiDigits('اجتماع ٣')).toBe('اجتماع ٣');
    expect(asciiDigits('2026-03-14')).toBe('2026-03-14');
    expect(asciiDigits('')).toBe('');
  });

  it('are normalised in every form field but the secrets, which are kept as typed', () => {
    expect(cleanForm({ paidOn: ' ٢٠٢٦-٠٣-١٤ ', code: '۱۲۳۴۵۶', password: '١٢٣٤٥٦٧٨٩٠١٢' }, ['password'])).toEqual({
      paidOn: '2026-03-14',
      code: '123456',
      password: '١٢٣٤٥٦٧٨٩٠١٢',
    });
  });
});

describe('a NUL byte, anywhere, on every route', () => {
  it('is never a 500 and never a write, for anonymous visitors and for a convener', async () => {
    // Signing out goes last, so the convener stays signed in for every other route.
    const routes = [...t.app.routeTable].sort((a, b) => Number(a.url === '/sign-out') - Number(b.url === '/sign-out'));
    expect(routes.length).toBeGreaterThan(100);
    const failures: string[] = [];
    let requests = 0;
    for (const agent of [anonymous, convener]) {
      const who = agent === convener ? 'convener' : 'anonymous';
      for (const route of routes) {
        const tries: { url: string; body?: { type: string; payload: string | Buffer } }[] = [];
        if (route.method === 'GET') {
          tries.push({ url: `${fill(route.url, SOME_ID)}?q=a%00b&x=%00` });
          tries.push({ url: `${fill(route.url, SOME_ID)}?${FIELDS.map((f) => `${f}=a%00b`).join('&')}` });
          tries.push({ url: `${fill(route.url, SOME_ID)}?q=%E0%A4%A&next=%C0%AF` });
        } else {
          for (const body of await bodies(agent)) tries.push({ url: fill(route.url, SOME_ID), body });
          tries.push({ url: `${fill(route.url, SOME_ID)}?q=a%00b`, body: { type: 'application/x-www-form-urlencoded', payload: `_csrf=${await agent.csrf()}` } });
        }
        if (route.url.includes(':')) tries.push({ url: fill(route.url, 'a%00b'), ...(route.method === 'GET' ? {} : { body: { type: 'application/x-www-form-urlencoded', payload: `_csrf=${await agent.csrf()}` } }) });
        for (const one of tries) {
          const before = await auditCount(t);
          const res = await send(agent, route.method, one.url, one.body);
          requests++;
          const label = `${who} ${route.method} ${route.url} → ${one.url.slice(0, 60)} ${one.body?.type.slice(0, 30) ?? ''}`;
          if (res.statusCode >= 500) failures.push(`${res.statusCode} ${label}`);
          else if (res.statusCode >= 400 && (await auditCount(t)) !== before) failures.push(`wrote after refusing (${res.statusCode}): ${label}`);
        }
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
    expect(requests).toBeGreaterThan(800);
  }, 300_000);

  it('answers GET /directory?q=a%00b with a 400 in the reader language, signed in or not', async () => {
    const plain = await new Agent(t).get('/directory?q=a%00b');
    expect(plain.statusCode).toBe(400);
    expect(text(plain.body)).toContain(en['errors.controlCharacter']);
    const arabic = await new Agent(t).get('/directory?q=a%00b', { 'accept-language': 'ar' });
    expect(arabic.statusCode).toBe(400);
    expect(text(arabic.body)).toContain(ar['errors.controlCharacter']);
    // The same search without the NUL works, and a stray "%" or bytes that are not UTF-8 are
    // only text that matches nothing.
    expect((await new Agent(t).get('/directory?q=ab')).statusCode).toBe(200);
    expect((await new Agent(t).get('/directory?q=100%')).statusCode).toBe(200);
    expect((await new Agent(t).get('/directory?q=%ED%A0%80%FF')).statusCode).toBe(200);
  });

  it('answers the API in JSON, naming the field', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/organisations?q=a%00b', headers: { 'accept-language': 'ar' } });
    expect(res.statusCode).toBe(400);
    const json = res.json();
    expect(json.error.code).toBe('invalid_input');
    expect(json.error.message).toBe(ar['errors.controlCharacter']);
    expect(Object.keys(json.error.fields)).toEqual(['q']);
  });

  it('refuses a form with a NUL in one field and writes nothing', async () => {
    const person = await createPerson(t, 'org_admin', { organisationId: (await createOrganisation(t)).id });
    const staff = new Agent(t);
    await staff.signIn(person);
    const before = await auditCount(t);
    const refused = await staff.post('/account/tokens', { name: 'laptop\u0000' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain(en['errors.controlCharacter']);
    expect(await auditCount(t)).toBe(before);
    // However the form is sent: urlencoded, JSON or multipart (parsed before the check). A
    // visitor's multipart body is refused before it is read at all (no form open to visitors
    // takes a file): 415.
    const visitor = new Agent(t);
    for (const body of await bodies(visitor)) {
      const res = await send(visitor, 'POST', '/register', body);
      expect(res.statusCode, body.type).toBe(body.type.startsWith('multipart/') ? 415 : 400);
    }
    for (const body of await bodies(staff)) {
      const res = await send(staff, 'POST', '/account/tokens', body);
      expect(res.statusCode, `signed in, ${body.type}`).toBe(400);
    }
    expect(await auditCount(t)).toBe(before);
    // A lone surrogate in JSON is refused the same way.
    const cookie = staff.cookieHeader() as string;
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      payload: '{"name":"\\ud800laptop"}',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': await staff.csrf(), origin: ORIGIN },
    });
    expect(api.statusCode).toBe(400);
    expect(api.json().error.fields).toHaveProperty('name');
    expect(await auditCount(t)).toBe(before);
  });

  it('keeps text pasted with page and line breaks from word processors: they become line breaks', async () => {
    expect(withPlainLineBreaks('one\u000Btwo\u000Cthree\u0085four')).toBe('one\ntwo\nthree\nfour');
    expect((await new Agent(t).get('/directory?q=Nile%0CVoices')).statusCode).toBe(200);
    expect((await new Agent(t).get('/signs?q=a%0Bb')).statusCode).toBe(200);
  });

  it('survives control characters in cookies and headers (they never reach the database raw)', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/directory',
      headers: { accept: 'text/html', cookie: 'ns_session=a%00b; ns_lang=a%00b; ns_csrf=%00', 'accept-language': 'a\u0001b', 'user-agent': 'x\u0001' },
    });
    expect(res.statusCode).toBe(200);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer a\u0001b' } });
    expect(api.statusCode).toBe(401);
  });

  it('refuses a NUL in a path parameter, percent-encoded or not', async () => {
    const agent = new Agent(t);
    for (const url of ['/api/v1/organisations/a%00b', '/alerts/a%00b', '/invitations/a%00bcdefghijklmnopqrstuvwxyz']) {
      const res = await agent.get(url);
      expect(res.statusCode, url).toBe(400);
    }
  });
});

// ---- pseudonyms -----------------------------------------------------------------------------

describe('pseudonyms', () => {
  const passphrase = 'orbit velvet canyon lantern mosaic thistle';

  it('are one pseudonym however "é" was typed, and lose bidi overrides', async () => {
    const suffix = Math.random().toString(36).slice(2, 7);
    const decomposed = `Rene\u0301e${suffix}`;
    const composed = `Ren\u00e9e${suffix}`;
    const first = await new Agent(t).post('/register', { pseudonym: decomposed, passphrase, saved: 'yes' });
    expect(first.statusCode, text(first.body).slice(0, 300)).toBe(303);
    const stored = await t.platform.db.selectFrom('people').select(['pseudonym', 'display_name']).where('pseudonym', '=', composed).execute();
    expect(stored).toEqual([{ pseudonym: composed, display_name: composed }]);
    // The other spelling of the same name is taken...
    const again = await new Agent(t).post('/register', { pseudonym: composed, passphrase, saved: 'yes' });
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain(en['errors.pseudonymTaken']);
    // ...and signs in to the same account, typed either way.
    expect((await new Agent(t).post('/sign-in', { identifier: composed, password: passphrase })).statusCode).toBe(303);
    expect((await new Agent(t).post('/sign-in', { identifier: decomposed, password: passphrase })).statusCode).toBe(303);

    const spoof = `Ali\u202E${suffix}`;
    const res = await new Agent(t).post('/register', { pseudonym: spoof, passphrase, saved: 'yes' });
    expect(res.statusCode, text(res.body).slice(0, 300)).toBe(303);
    const row = await t.platform.db.selectFrom('people').select('pseudonym').where('pseudonym', '=', `Ali${suffix}`).executeTakeFirst();
    expect(row?.pseudonym).toBe(`Ali${suffix}`);
  });

  it('stored before this rule, are brought into the same form by the migration, unless that would clash', async () => {
    const suffix = Math.random().toString(36).slice(2, 7);
    const { up } = await import('../src/db/migrations/2026-12-02T0500-normalise-names.ts');
    const lone = await createPerson(t, 'participant');
    const twin = await createPerson(t, 'participant');
    const holder = await createPerson(t, 'participant');
    const set = (id: string, pseudonym: string) => t.platform.db.updateTable('people').set({ pseudonym, display_name: pseudonym }).where('id', '=', id).execute();
    await set(lone.id, `Jose\u0301 \u202E${suffix}`);
    await set(holder.id, `Zo\u00eb${suffix}`);
    await set(twin.id, `Zoe\u0308${suffix}`);
    await up(t.platform.db as never);
    const get = async (id: string) => (await t.platform.db.selectFrom('people').select(['pseudonym', 'display_name']).where('id', '=', id).executeTakeFirstOrThrow());
    expect(await get(lone.id)).toEqual({ pseudonym: `Jos\u00e9 ${suffix}`, display_name: `Jos\u00e9 ${suffix}` });
    // The twin's normal form is someone else's pseudonym: it keeps its own spelling.
    expect((await get(twin.id)).pseudonym).toBe(`Zoe\u0308${suffix}`);
    expect((await get(holder.id)).pseudonym).toBe(`Zo\u00eb${suffix}`);
  });
});

// ---- the Atom feed --------------------------------------------------------------------------

/**
 * A strict XML 1.0 well-formedness check, as the strictest feed readers apply it: every character
 * a legal XML Char, markup only as tags, the five entities and character references to legal
 * characters, quoted attributes without "<", one root, every element closed in order.
 */
function assertWellFormed(xml: string): void {
  const illegal = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(xml);
  expect(illegal, `illegal character U+${illegal?.[0].codePointAt(0)?.toString(16)}`).toBeNull();
  const ref = '&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);';
  const name = '[A-Za-z_][\\w.:-]*';
  const attr = `\\s+${name}\\s*=\\s*(?:"(?:[^"<&]|${ref})*"|'(?:[^'<&]|${ref})*')`;
  const token = new RegExp(`<\\?xml(?:${attr})*\\s*\\?>|<(${name})((?:${attr})*)\\s*(/?)>|</(${name})\\s*>|((?:[^<&]|${ref})+)`, 'uy');
  const stack: string[] = [];
  let roots = 0;
  let at = 0;
  while (at < xml.length) {
    token.lastIndex = at;
    const m = token.exec(xml);
    if (!m) throw new Error(`not well-formed at ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
    if (m[1]) {
      if (stack.length === 0) roots++;
      if (!m[3]) stack.push(m[1]);
    } else if (m[4]) {
      expect(stack.pop(), `</${m[4]}> closes the wrong element`).toBe(m[4]);
    } else if (m[5] !== undefined && stack.length === 0) {
      expect(m[5].trim(), 'text outside the root').toBe('');
    }
    for (const r of m[0].matchAll(/&#(x?)([0-9a-fA-F]+);/g)) {
      const cp = Number.parseInt(r[2] as string, r[1] ? 16 : 10);
      expect(/[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(String.fromCodePoint(cp)), `&#${r[1]}${r[2]}; is not a character`).toBe(true);
    }
    at = token.lastIndex;
  }
  expect(stack, 'unclosed elements').toEqual([]);
  expect(roots).toBe(1);
}

const HOSTILE = 'Leaders\u0001 arrested\u000B; risk\uFFFE of reprisals \uD800 & <b>"more"</b>.';

describe('the Atom feed', () => {
  it('the strict check refuses what the old hand-built feed produced', () => {
    expect(() => assertWellFormed('<?xml version="1.0"?><feed><summary>a\u0001b</summary></feed>')).toThrow();
    expect(() => assertWellFormed('<feed><a></b></feed>')).toThrow();
    expect(() => assertWellFormed('<feed>a & b</feed>')).toThrow();
    expect(() => assertWellFormed('<feed>&#1;</feed>')).toThrow();
    assertWellFormed('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="x"><a b="c &amp; d"/>t&lt;</feed>');
  });

  it('stays well-formed whatever an alert holds, lone surrogates included', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    const alert = { id: 'a1', number: 7, country: 'SDN', severity: 'high', summary: HOSTILE, organisation_name: 'Org\u0002 \uDFFF', created_at: now, confirmed_at: now, closed_at: null } as unknown as AlertRow;
    const xml = alertsAtom([alert], { feedUrl: 'https://ns.example/alerts/feed.atom?a=1&b=2', siteUrl: 'https://ns.example/alerts', title: 'Alerts\u0003', entryTitle: () => 'Alert 7\uFFFF', alertUrl: (id) => `https://ns.example/alerts/${id}` });
    assertWellFormed(xml);
    const feed = parseFeed(xml);
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]?.description).toContain('arrested');
    expect(feed.items[0]?.description).toContain('<b>"more"</b>');
    expect(feed.self).toBe('https://ns.example/alerts/feed.atom?a=1&b=2');
  });

  it('is served well-formed, with the Atom namespace, when a public alert holds control characters', async () => {
    const org = await createOrganisation(t, 'Witness\u0001 Network');
    await t.platform.db
      .insertInto('alerts')
      .values({ organisation_id: org.id, country: 'SDN', severity: 'critical', summary: HOSTILE, actions: ['Call\u0001'], sensitivity: 'public', status: 'active', confirmed_at: new Date(), updated_at: new Date() })
      .execute();
    const res = await new Agent(t).get('/alerts/feed.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/atom+xml');
    expect(res.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    assertWellFormed(res.body);
    const feed = parseFeed(res.body);
    const item = feed.items.find((i) => i.description?.includes('arrested'));
    expect(item, 'the alert is in the feed').toBeDefined();
    expect(item?.authors[0]?.name).toContain('Witness');
    expect(item?.title).toContain('Sudan');
  });
});
