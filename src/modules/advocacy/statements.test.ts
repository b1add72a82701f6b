import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';
import { translator } from '../../platform/i18n.ts';
import { insertAlert, insertAlertSigns } from '../warnings/alerts.repository.ts';
import { canonicalText, contentSha256 } from './canonical.ts';

/**
 * Issue 13, items 1–3 and 11: a statement from an alert to publication, co-drafted with
 * consent, its versions bound to the signatures given to them, and bad input refused.
 */
const en = translator('en');
let t: TestApp;
const orgs: Record<'L' | 'A' | 'B' | 'C' | 'D', { id: string; slug: string }> = {} as never;
const agents: Record<string, Agent> = {};
let id = '';

const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const page = async (who: string, url: string) => {
  const res = await (agents[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};
const future = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
const signatures = () => t.platform.db.selectFrom('statement_signatures').selectAll().where('statement_id', '=', id).orderBy('signed_at').execute();
const versionRows = () => t.platform.db.selectFrom('statement_versions').selectAll().where('statement_id', '=', id).orderBy('number').execute();
const statementRow = () => t.platform.db.selectFrom('statements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const mailTo = async (personEmail: string) => t.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', personEmail).execute();

const draft = {
  kind: 'joint_statement',
  language: 'en',
  title: 'Protect civilians in El Fasher now',
  summary: 'Member organisations call for the protection of civilians.',
  asks: 'Open humanitarian corridors\nFund the monitoring mission',
  body: 'The siege of El Fasher has lasted **months**.\n\nWe ask the government to act before it is too late.',
  countries: ['SDN'],
  // The edit form carries the alerts it responds to as hidden fields; the tests post them too.
  alerts: [] as string[],
};

beforeAll(async () => {
  t = await buildTestApp();
  for (const k of ['L', 'A', 'B', 'C', 'D'] as const) {
    const o = await createOrganisation(t, `Organisation ${k} for statements`);
    const row = await t.platform.db.selectFrom('organisations').select('slug').where('id', '=', o.id).executeTakeFirstOrThrow();
    orgs[k] = { id: o.id, slug: row.slug };
  }
  const people: [string, 'org_admin' | 'member' | 'participant', keyof typeof orgs | undefined][] = [
    ['lead', 'org_admin', 'L'],
    ['adminA', 'org_admin', 'A'],
    ['adminB', 'org_admin', 'B'],
    ['adminC', 'org_admin', 'C'],
    ['staffA', 'member', 'A'],
    ['staffD', 'member', 'D'],
    ['participant', 'participant', undefined],
  ];
  for (const [name, role, org] of people) {
    const person = await createPerson(t, role, org ? { organisationId: orgs[org].id } : {});
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
    (agents as Record<string, unknown>)[`${name}Email`] = person.identifier;
    (agents as Record<string, unknown>)[`${name}Id`] = person.id;
  }
  agents.anonymous = new Agent(t);
});
afterAll(async () => t?.close());

const email = (who: string) => (agents as Record<string, unknown>)[`${who}Email`] as string;
const personId = (who: string) => (agents as Record<string, unknown>)[`${who}Id`] as string;

describe('from an alert to a draft', () => {
  it('an alert asking for a joint statement offers to start one, prefilled with its country and signs', async () => {
    const framework = await t.services.signs.currentFramework();
    const alertId = await t.platform.db.transaction().execute(async (trx) => {
      const signId = (
        await trx
          .insertInto('warning_signs')
          .values({
            organisation_id: orgs.A.id,
            reported_by: personId('adminA'),
            country: 'SDN',
            observed_on: '2026-11-01',
            reported_on: '2026-11-02',
            framework_id: framework.id,
            factor_codes: [],
            indicator_codes: [],
            description: 'Shelling of the market',
            confidence: 'high',
            sensitivity: 'public',
            language: 'en',
            updated_at: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const a = await insertAlert(trx, { organisation_id: orgs.A.id, proposed_by: personId('adminA'), country: 'SDN', severity: 'high', summary: 'Siege', actions: ['joint_statement'], deadline: null, sensitivity: 'network' });
      await insertAlertSigns(trx, a, [signId]);
      return a;
    });
    const alertPage = await page('lead', `/alerts/${alertId}`);
    expect(alertPage.status).toBe(200);
    expect(alertPage.body).toContain(`/statements/new?alert=${alertId}`);
    expect(alertPage.text).toContain(en('statements.startFromAlert'));
    // A participant does not draft statements: no link.
    expect((await page('participant', `/alerts/${alertId}`)).body).not.toContain('/statements/new');
    const form = await page('lead', `/statements/new?alert=${alertId}`);
    expect(form.status).toBe(200);
    expect(form.body).toMatch(/<input type="checkbox" name="countries" value="SDN" checked/);
    expect(form.body).toContain(`name="alerts" value="${alertId}"`);
    expect(form.text).toContain('Shelling of the market');

    draft.alerts.push(alertId);
    const res = await post('lead', '/statements', draft);
    expect(res.statusCode).toBe(303);
    id = String(res.headers.location).split('?')[0]?.split('/').pop() as string;
    const shown = await page('lead', `/statements/${id}`);
    expect(shown.text).toContain(draft.title);
    expect(shown.body).toContain(`/alerts/${alertId}`);
    const [v1] = await versionRows();
    expect(v1?.content_sha256).toBe(contentSha256({ ...draft, asks: draft.asks.split('\n') }));
  });

  it('a draft is seen only by its drafters: another organisation and the public get 404', async () => {
    expect((await page('staffD', `/statements/${id}`)).status).toBe(404);
    expect((await page('anonymous', `/statements/${id}`)).status).toBe(404);
    expect((await page('staffD', '/statements')).text).not.toContain(draft.title);
    expect((await page('anonymous', '/statements')).text).not.toContain(draft.title);
    expect((await page('lead', '/statements')).text).toContain(draft.title);
  });

  it('an invited co-drafter has no rights before accepting; accepting gives them', async () => {
    const res = await post('lead', `/statements/${id}/drafters`, { organisation: orgs.A.id });
    expect(res.statusCode).toBe(303);
    expect((await mailTo(email('staffA'))).some((m) => m.subject.includes(draft.title))).toBe(true);
    // Invited: they read it to decide, but cannot edit, circulate or invite.
    expect((await page('adminA', `/statements/${id}`)).status).toBe(200);
    expect((await page('adminA', `/statements/${id}/edit`)).status).toBe(404);
    expect((await post('adminA', `/statements/${id}/edit`, { ...draft, title: 'Hijacked' })).statusCode).toBe(404);
    expect((await post('adminA', `/statements/${id}/circulate`, { deadline: future(10) })).statusCode).toBe(404);
    expect((await versionRows())[0]?.title).toBe(draft.title);
    // Only the invited organisation's own staff answer, for their own organisation.
    expect((await post('staffD', `/statements/${id}/drafters/${orgs.A.id}/accept`)).statusCode).toBe(404);
    expect((await post('adminA', `/statements/${id}/drafters/${orgs.A.id}/accept`)).statusCode).toBe(303);
    expect((await page('adminA', `/statements/${id}/edit`)).status).toBe(200);
  });

  it('while drafting, an edit changes version 1 in place and recomputes its hash', async () => {
    const res = await post('lead', `/statements/${id}/edit`, { ...draft, summary: 'Member organisations call, together, for the protection of civilians.' });
    expect(res.statusCode).toBe(303);
    const vs = await versionRows();
    expect(vs).toHaveLength(1);
    expect(vs[0]?.summary).toContain('together');
    expect(vs[0]?.content_sha256).toBe(createHash('sha256').update(canonicalText(vs[0] as never)).digest('hex'));
  });
});

describe('bad input changes nothing and says why', () => {
  const check = async (form: Record<string, string | string[]>, message: string) => {
    const before = await versionRows();
    const res = await post('lead', `/statements/${id}/edit`, { ...draft, ...form });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain(message);
    expect(await versionRows()).toEqual(before);
  };
  it('empty title, too long a title, control characters, an unknown country', async () => {
    await check({ title: '' }, en('errors.required'));
    await check({ title: 'x'.repeat(201) }, en('errors.maxLength', { limit: 200 }));
    await check({ title: 'Protect\u0000civilians' }, en('errors.controlCharacter'));
    await check({ body: 'text \u0007 bell' }, en('errors.controlCharacter'));
    await check({ countries: ['XXX'] }, en('errors.countryUnknown', { code: 'XXX' }));
  });
  it('a deadline in the past is refused and it stays a draft', async () => {
    const res = await post('lead', `/statements/${id}/circulate`, { deadline: '2020-01-01' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain(en('errors.statementDeadlinePast'));
    expect((await statementRow()).state).toBe('drafting');
  });
});

describe('sign-on, bound to versions', () => {
  it('circulating mails every member organisation in its language', async () => {
    const res = await post('lead', `/statements/${id}/circulate`, { deadline: future(20) });
    expect(res.statusCode).toBe(303);
    expect((await statementRow()).state).toBe('circulated');
    for (const who of ['adminB', 'adminC', 'staffD']) expect((await mailTo(email(who))).some((m) => m.subject === en('statements.mail.circulated.subject', { title: draft.title }))).toBe(true);
  });

  it('staff who are not signatories, and signing for another organisation, get 404', async () => {
    expect((await post('staffA', `/statements/${id}/sign`)).statusCode).toBe(404);
    expect((await post('adminA', `/statements/${id}/sign`, { actingFor: orgs.B.id })).statusCode).toBe(404);
    expect(await signatures()).toHaveLength(0);
  });

  it('A, B and C sign version 1; each signature holds the SHA-256 of version 1’s canonical text', async () => {
    const first = await post('adminA', `/statements/${id}/sign`);
    expect(first.statusCode).toBe(303);
    // Signing again answers exactly as the first time, and adds nothing.
    const again = await post('adminA', `/statements/${id}/sign`);
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.headers.location).toBe(first.headers.location);
    // Someone else's first signature answers the same as well.
    const b = await post('adminB', `/statements/${id}/sign`);
    expect(b.headers.location).toBe(first.headers.location);
    await post('adminC', `/statements/${id}/sign`);
    const sigs = await signatures();
    expect(sigs).toHaveLength(3);
    const [v1] = await versionRows();
    const expected = createHash('sha256').update(canonicalText(v1 as never), 'utf8').digest('hex');
    for (const s of sigs) {
      expect(s.version_number).toBe(1);
      expect(s.content_sha256).toBe(expected);
    }
    // The lead's staff are told of every signature.
    const signedMail = ['A', 'B', 'C'].map((k) => en('statements.mail.signed.subject', { organisation: `Organisation ${k} for statements`, title: draft.title }));
    expect((await mailTo(email('lead'))).filter((m) => signedMail.includes(m.subject))).toHaveLength(3);
  });

  it('comments from member organisations are read before publication', async () => {
    expect((await post('staffD', `/statements/${id}/comments`, { body: 'Please name the armed groups.' })).statusCode).toBe(303);
    expect((await page('adminB', `/statements/${id}`)).text).toContain('Please name the armed groups.');
  });

  it('an edit after circulation makes version 2, which lists 0 signatories until they sign again', async () => {
    const res = await post('lead', `/statements/${id}/edit`, { ...draft, body: `${draft.body}\n\nWe ask for an arms embargo.` });
    expect(res.statusCode).toBe(303);
    const vs = await versionRows();
    expect(vs.map((v) => v.number)).toEqual([1, 2]);
    expect(vs[1]?.author_id).toBe(personId('lead'));
    expect(vs[1]?.author_organisation_id).toBe(orgs.L.id);
    expect(vs[0]?.content_sha256).not.toBe(vs[1]?.content_sha256);
    // Signatures stay on version 1 with version 1's hash.
    for (const s of await signatures()) expect(s.content_sha256).toBe(vs[0]?.content_sha256);
    const p = await page('staffD', `/statements/${id}`);
    expect(p.text).toContain(en('statements.signatoryCount', { organisations: 0, individuals: 0, version: 2 }));
    expect(p.text).toContain(en('statements.earlierSignatories'));
    for (const k of ['A', 'B', 'C']) expect(p.text).toContain(`Organisation ${k} for statements — ${en('statements.signedVersion', { version: 1 })}`);
    // The signer sees what changed since their version, marked in text, not colour only.
    const mine = await page('adminB', `/statements/${id}`);
    expect(mine.text).toContain(en('statements.diffFrom', { version: 1 }));
    expect(mine.body).toMatch(/<ins><span class="visually-hidden">added: <\/span>\[\+[^<]*arms[^<]*\+\]<\/ins>/);
    // The version page shows the diff from version 1.
    const vp = await page('staffD', `/statements/${id}/versions/2`);
    expect(vp.status).toBe(200);
    expect(vp.body).toContain('<ins>');
  });

  it('after signing version 2 again, publishing needs a signature on it; the public sees the organisations', async () => {
    for (const who of ['adminA', 'adminB', 'adminC']) expect((await post(who, `/statements/${id}/sign`)).statusCode).toBe(303);
    expect((await post('lead', `/statements/${id}/publish`)).statusCode).toBe(303);
    const s = await statementRow();
    expect(s.state).toBe('published');
    expect(s.published_version).toBe(2);
    const pub = await page('anonymous', `/statements/${id}`);
    expect(pub.status).toBe(200);
    expect(pub.text).toContain(en('statements.signatoryCount', { organisations: 3, individuals: 0, version: 2 }));
    for (const k of ['A', 'B', 'C'] as const) expect(pub.body).toContain(`href="/directory/${orgs[k].slug}"`);
    // The alert it answers is network-only: the public page does not show it.
    expect(pub.body).not.toContain('/alerts/');
    expect((await page('staffD', `/statements/${id}`)).body).toContain('/alerts/');
    // Comments on the draft are not public.
    expect(pub.text).not.toContain('Please name the armed groups.');
    expect((await page('anonymous', '/statements')).text).toContain(draft.title);
  });

  it('editing a published version is refused, pointing to the correction; a correction needs a note', async () => {
    const before = await versionRows();
    const res = await post('lead', `/statements/${id}/edit`, { ...draft, title: 'Changed after publication' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain(en('errors.statementPublishedEdit'));
    expect(res.body).toContain('#correction');
    expect(await versionRows()).toEqual(before);
    const noNote = await post('lead', `/statements/${id}/correction`, { title: draft.title, body: `${draft.body}\n\nCorrected figure.` });
    expect(noNote.statusCode).toBe(400);
    expect(text(noNote.body)).toContain(en('errors.statementNoteRequired'));
    expect(noNote.body).not.toContain('href="#_"');
    expect(await versionRows()).toEqual(before);
    const ok = await post('lead', `/statements/${id}/correction`, { title: draft.title, body: `${draft.body}\n\nCorrected figure.`, note: 'The number of displaced people was wrong.' });
    expect(ok.statusCode).toBe(303);
    const after = await versionRows();
    expect(after).toHaveLength(3);
    expect(after.slice(0, 2)).toEqual(before); // the published version did not change
    expect(after[2]?.note).toBe('The number of displaced people was wrong.');
    expect((await statementRow()).published_version).toBe(2);
    // The public still reads version 2 and its signatories.
    expect((await page('anonymous', `/statements/${id}`)).text).not.toContain('Corrected figure.');
  });

  it('B withdraws: the public count falls from 3 to 2 and the dated withdrawal shows', async () => {
    expect((await post('adminB', `/statements/${id}/withdraw`)).statusCode).toBe(303);
    const pub = await page('anonymous', `/statements/${id}`);
    expect(pub.text).toContain(en('statements.signatoryCount', { organisations: 2, individuals: 0, version: 2 }));
    expect(pub.text).toContain(en('statements.withdrawals'));
    const withdrawn = (await signatures()).find((s) => s.organisation_id === orgs.B.id && s.version_number === 2);
    expect(withdrawn?.withdrawn_at).toBeInstanceOf(Date);
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(withdrawn?.withdrawn_at as Date);
    expect(pub.text).toContain(`Organisation B for statements — ${en('statements.withdrawnOn', { signed: date, withdrawn: date })}`);
    expect((await mailTo(email('lead'))).some((m) => m.subject === en('statements.mail.withdrawn.subject', { organisation: 'Organisation B for statements', title: draft.title }))).toBe(true);
  });
});

describe('translations', () => {
  it('a translation is a version in its language, linked from the page', async () => {
    const res = await post('lead', `/statements/${id}/translations`, { language: 'ar', title: 'احموا المدنيين في الفاشر الآن', body: 'طال حصار الفاشر شهورًا.' });
    expect(res.statusCode).toBe(303);
    const tr = (await versionRows()).at(-1);
    expect(tr?.translation_of).toBe(3);
    expect(tr?.language).toBe('ar');
    const vp = await page('lead', `/statements/${id}/versions/${tr?.number}`);
    expect(vp.body).toContain(`href="/statements/${id}/versions/3"`);
    expect((await post('lead', `/statements/${id}/translations`, { language: 'en', title: 'Same', body: 'Same' })).statusCode).toBe(400);
  });
});
