import { parseFeed } from '@rowanmanning/feed-parser';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, postForm, type TestApp, text } from '../../../test/helpers.ts';

/**
 * Issue 13, items 4 (published data), 8 and 9: commitments quoted from replies stay with the post,
 * the person and their party when the post changes hands; ratings need evidence and keep their
 * history; the tracker, its CSV, the JSON-LD, the Atom feed and the API are read by real parsers,
 * and a co-signatory who chose to be counted only is never named in any of them.
 */
let t: TestApp;
const agents: Record<string, Agent> = {};
const ids: Record<string, string> = {};
let statementId = '';
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86400_000).toISOString().slice(0, 10);
const future = (n: number) => new Date(Date.now() + n * 86400_000).toISOString().slice(0, 10);
const post = (who: string, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agents[who] as Agent, url, form);
const get = (who: string, url: string) => (agents[who] as Agent).get(url);
const SECRET_NAME = 'Zainab Counted-Only';
const REPLY_TEXT = 'Thank you for your letter.\n\nIf elected, we will appoint a special envoy for Sudan within one hundred days.\n\nWe will also fund the monitoring mission.';

/**
 * The schema.org context, served locally: the tests have no network, and a real consumer would
 * fetch https://schema.org/ once. Its vocabulary mapping is what expansion needs here.
 */
const documentLoader = async (url: string) => {
  if (url.replace(/\/$/, '') === 'https://schema.org' || url.startsWith('https://schema.org/'))
    return { contextUrl: undefined, documentUrl: url, document: { '@context': { '@vocab': 'https://schema.org/', id: '@id', type: '@type' } } };
  throw new Error(`no network in tests: ${url}`);
};
const SCHEMA = 'https://schema.org/';

async function publishedStatement(): Promise<string> {
  const res = await post('lead', '/statements', {
    kind: 'open_letter',
    language: 'en',
    title: 'Letter to every party leader on atrocity prevention',
    summary: 'Set out your commitments on atrocity prevention before the election.',
    asks: 'Appoint a special envoy for Sudan\nFund the monitoring mission',
    body: 'We write to ask each party to set out its commitments.',
    countries: ['SDN'],
    alerts: [],
    allowIndividuals: 'yes',
  });
  expect(res.statusCode, text(res.body).slice(0, 300)).toBe(303);
  const id = String(res.headers.location).match(/\/statements\/([0-9a-f-]{36})/)?.[1] as string;
  expect((await post('lead', `/statements/${id}/circulate`, { deadline: future(10) })).statusCode).toBe(303);
  expect((await post('lead', `/statements/${id}/sign`)).statusCode).toBe(303);
  expect((await post('adminB', `/statements/${id}/sign`)).statusCode).toBe(303);
  expect((await post('named', `/statements/${id}/cosign`, { appearsAs: 'name', displayName: 'Amal Haddad' })).statusCode).toBe(303);
  expect((await post('counted', `/statements/${id}/cosign`, { appearsAs: 'counted', displayName: SECRET_NAME })).statusCode).toBe(303);
  expect((await post('lead', `/statements/${id}/publish`)).statusCode).toBe(303);
  return id;
}

beforeAll(async () => {
  t = await buildTestApp();
  const lead = await createOrganisation(t, 'Protection Forum for commitments');
  const other = await createOrganisation(t, 'Diaspora Voices for commitments');
  ids.leadOrg = lead.id;
  ids.otherOrg = other.id;
  const people: [string, 'org_admin' | 'member' | 'participant', string | undefined][] = [
    ['lead', 'org_admin', lead.id],
    ['adminB', 'org_admin', other.id],
    ['staffB', 'member', other.id],
    ['named', 'participant', undefined],
    ['counted', 'participant', undefined],
  ];
  for (const [name, role, org] of people) {
    const person = await createPerson(t, role, org ? { organisationId: org } : {});
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
  }
  agents.anonymous = new Agent(t);
  statementId = await publishedStatement();

  // The Popolo records and a sent letter with a published reply (the recipients pages are
  // tested in recipients.test.ts; here they are only the ground the commitments stand on).
  const db = t.platform.db;
  const party = await db.insertInto('advocacy_bodies').values({ name: 'Green Future Party', classification: 'party' }).returning('id').executeTakeFirstOrThrow();
  const post_ = await db.insertInto('advocacy_posts').values({ label: 'Leader of the Green Future Party', body_id: party.id }).returning('id').executeTakeFirstOrThrow();
  const x = await db.insertInto('advocacy_persons').values({ name: 'Xavier Holder', email: 'xavier@example.org' }).returning('id').executeTakeFirstOrThrow();
  const y = await db.insertInto('advocacy_persons').values({ name: 'Yasmin Successor' }).returning('id').executeTakeFirstOrThrow();
  Object.assign(ids, { party: party.id, post: post_.id, x: x.id, y: y.id });
  await db
    .insertInto('advocacy_memberships')
    .values([
      { person_id: x.id, post_id: post_.id, body_id: party.id, start_date: daysAgo(400) },
      { person_id: x.id, body_id: party.id, start_date: daysAgo(3000) },
    ])
    .execute();
  const recipient = await db
    .insertInto('statement_recipients')
    .values({ statement_id: statementId, post_id: post_.id, person_id: x.id, channel: 'email', address: 'xavier@example.org', delivery: 'sent', sent_at: new Date(Date.now() - 5 * 86400_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reply = await db.insertInto('statement_replies').values({ recipient_id: recipient.id, kind: 'substantive', body: REPLY_TEXT, received_on: daysAgo(2), published: false }).returning('id').executeTakeFirstOrThrow();
  ids.reply = reply.id;
});
afterAll(async () => t?.close());

const extractUrl = () => `/statements/${statementId}/replies/${ids.reply}/commitments`;

describe('extracting a commitment', () => {
  it('only the statement’s owners see the reply to extract from; others get 404', async () => {
    expect((await get('lead', `${extractUrl()}/new`)).statusCode).toBe(200);
    expect((await get('staffB', `${extractUrl()}/new`)).statusCode).toBe(404);
    expect((await get('adminB', `${extractUrl()}/new`)).statusCode).toBe(404);
    const anonymous = await get('anonymous', `${extractUrl()}/new`);
    expect(anonymous.statusCode).toBe(303);
    expect((await post('staffB', extractUrl(), { quote: 'we will appoint a special envoy', summary: 'Envoy' })).statusCode).toBe(404);
  });

  it('refuses an unpublished reply, a quote that is not in the reply, and bad input, changing nothing', async () => {
    const count = async () => Number((await t.platform.db.selectFrom('commitments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const unpublished = await post('lead', extractUrl(), { quote: 'we will appoint a special envoy for Sudan', summary: 'A special envoy for Sudan' });
    expect(unpublished.statusCode).toBe(400);
    expect(text(unpublished.body)).toContain('Publish the reply before recording a commitment');
    await t.platform.db.updateTable('statement_replies').set({ published: true }).where('id', '=', ids.reply as string).execute();

    const invented = await post('lead', extractUrl(), { quote: 'we will appoint two special envoys', summary: 'Two envoys' });
    expect(invented.statusCode).toBe(400);
    expect(text(invented.body)).toContain('copied from the reply, word for word');
    expect(invented.body, 'the form keeps what was typed').toContain('value="Two envoys"');

    const control = await post('lead', extractUrl(), { quote: 'we will appoint', summary: 'Envoy\u0007' });
    expect(control.statusCode).toBe(400);
    const long = await post('lead', extractUrl(), { quote: 'we will appoint', summary: 'x'.repeat(5000) });
    expect(long.statusCode).toBe(400);
    const country = await post('lead', extractUrl(), { quote: 'we will appoint', summary: 'Envoy', countries: ['XXX'] });
    expect(country.statusCode).toBe(400);
    expect(await count()).toBe(0);
  });

  it('a quote from the reply (spacing aside) becomes a commitment on the post, the person and their party', async () => {
    const res = await post('lead', extractUrl(), { quote: 'we will appoint a special envoy for Sudan   within one hundred days', summary: 'A special envoy for Sudan in 100 days', countries: ['SDN'] });
    expect(res.statusCode, text(res.body).slice(0, 400)).toBe(303);
    ids.commitment = String(res.headers.location).match(/\/commitments\/([0-9a-f-]{36})/)?.[1] as string;
    const row = await t.platform.db.selectFrom('commitments').selectAll().where('id', '=', ids.commitment).executeTakeFirstOrThrow();
    expect({ post: row.post_id, person: row.person_id, party: row.party_id, rating: row.rating, countries: row.countries }).toEqual({ post: ids.post, person: ids.x, party: ids.party, rating: 'not_rated', countries: ['SDN'] });
    const page = text((await get('anonymous', `/commitments/${ids.commitment}`)).body);
    expect(page).toContain('A special envoy for Sudan in 100 days');
    expect(page).toContain('Xavier Holder');
    expect(page).toContain('Green Future Party');
    expect(page).toContain('Not rated yet.');
  });
});

describe('ratings', () => {
  const rate = (form: Record<string, string>, who = 'staffB') => post(who, `/commitments/${ids.commitment}/ratings`, form);

  it('a change of rating without evidence is refused and changes nothing', async () => {
    const res = await rate({ rating: 'in_the_works', ratedOn: today });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Give the evidence for this rating');
    expect(await t.platform.db.selectFrom('commitment_ratings').selectAll().execute()).toEqual([]);
    expect((await rate({ rating: 'in_the_works', ratedOn: future(3), evidenceUrl: 'https://example.org/a' })).statusCode).toBe(400);
    expect((await rate({ rating: 'kept-ish', ratedOn: today, evidenceUrl: 'https://example.org/a' })).statusCode).toBe(400);
    expect((await rate({ rating: 'kept', ratedOn: today, evidenceUrl: 'javascript:alert(1)' })).statusCode).toBe(400);
    expect((await get('anonymous', `/commitments/${ids.commitment}`)).body).toContain('Not yet rated');
  });

  it('ratings are dated, name the organisation behind them, may move back, and the history keeps every step', async () => {
    expect((await rate({ rating: 'in_the_works', ratedOn: today, evidenceUrl: 'https://example.org/envoy-shortlist', note: 'Shortlist announced.' })).statusCode).toBe(303);
    expect((await rate({ rating: 'kept', ratedOn: today, evidenceUrl: 'https://example.org/envoy-appointed' }, 'lead')).statusCode).toBe(303);
    expect((await rate({ rating: 'stalled', ratedOn: today, evidenceUrl: 'https://example.org/envoy-resigned' })).statusCode).toBe(303);
    const c = await t.platform.db.selectFrom('commitments').select(['rating', 'rated_on']).where('id', '=', ids.commitment as string).executeTakeFirstOrThrow();
    expect(c).toEqual({ rating: 'stalled', rated_on: today });
    const history = await t.platform.db.selectFrom('commitment_ratings').select(['rating', 'organisation_id']).where('commitment_id', '=', ids.commitment as string).orderBy('created_at').execute();
    expect(history).toEqual([
      { rating: 'in_the_works', organisation_id: ids.otherOrg },
      { rating: 'kept', organisation_id: ids.leadOrg },
      { rating: 'stalled', organisation_id: ids.otherOrg },
    ]);
    const page = text((await get('anonymous', `/commitments/${ids.commitment}`)).body);
    for (const step of ['In the works', 'Kept', 'Stalled', 'Diaspora Voices for commitments', 'Protection Forum for commitments', 'https://example.org/envoy-shortlist']) expect(page).toContain(step);
    const audits = await t.platform.db.selectFrom('audit_log').select('action').where('action', '=', 'commitment.rate').execute();
    expect(audits).toHaveLength(3);
  });

  it('evidence may be a document, checked by its content and served as a download', async () => {
    const fake = await (agents.staffB as Agent).postMultipart(`/commitments/${ids.commitment}/ratings`, { rating: 'in_the_works', ratedOn: today }, [{ name: 'evidenceFile', filename: 'minutes.pdf', content: Buffer.from('not a pdf'), type: 'application/pdf' }]);
    expect(fake.statusCode).toBe(400);
    const real = await (agents.staffB as Agent).postMultipart(`/commitments/${ids.commitment}/ratings`, { rating: 'in_the_works', ratedOn: today }, [{ name: 'evidenceFile', filename: 'minutes.pdf', content: Buffer.from('%PDF-1.4\n% envoy back at work\n'), type: 'application/pdf' }]);
    expect(real.statusCode, text(real.body).slice(0, 300)).toBe(303);
    const rating = await t.platform.db.selectFrom('commitment_ratings').select(['id', 'document_id']).where('commitment_id', '=', ids.commitment as string).where('document_id', 'is not', null).executeTakeFirstOrThrow();
    const file = await get('anonymous', `/commitments/${ids.commitment}/ratings/${rating.id}/evidence`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.headers['content-security-policy']).toContain('sandbox');
  });
});

describe('the post changes hands', () => {
  it("X's commitment stays on the post and on X after Y takes the post over; the tracker finds it both ways", async () => {
    const db = t.platform.db;
    await db.updateTable('advocacy_memberships').set({ end_date: daysAgo(1) }).where('person_id', '=', ids.x as string).where('post_id', '=', ids.post as string).execute();
    await db.insertInto('advocacy_memberships').values({ person_id: ids.y as string, post_id: ids.post as string, start_date: today }).execute();
    const row = await db.selectFrom('commitments').select(['post_id', 'person_id', 'party_id']).where('id', '=', ids.commitment as string).executeTakeFirstOrThrow();
    expect(row).toEqual({ post_id: ids.post, person_id: ids.x, party_id: ids.party });
    for (const filter of [`post=${ids.post}`, `person=${ids.x}`, `party=${ids.party}`, 'country=SDN', 'rating=in_the_works']) {
      const res = await get('anonymous', `/commitments?${filter}`);
      expect(res.statusCode, filter).toBe(200);
      expect(text(res.body), filter).toContain('A special envoy for Sudan in 100 days');
    }
    expect(text((await get('anonymous', `/commitments?person=${ids.y}`)).body)).toContain('No commitment matches.');
    expect(text((await get('anonymous', '/commitments?rating=kept')).body)).toContain('No commitment matches.');
  });

  it('answers bad filters with the whole tracker and a message, never a 500', async () => {
    for (const q of ['rating=maybe', 'country=ZZZ', 'post=not-a-uuid', 'page=0', `person=${'x'.repeat(3000)}`, 'rating[]=kept&rating[]=broken']) {
      const res = await get('anonymous', `/commitments?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(text(res.body), q).toContain('These filters cannot be used');
    }
    // A control character is refused at the edge for every route, with its own message.
    const control = await get('anonymous', '/commitments?party=%00');
    expect(control.statusCode).toBe(400);
    expect(text(control.body)).toContain('invisible control character');
    const api = await (agents.anonymous as Agent).get('/api/v1/commitments?rating=maybe', { accept: 'application/json' });
    expect(api.statusCode).toBe(400);
    expect(api.json()).toHaveProperty('error');
  });
});

describe('published data, read by real parsers', () => {
  it('the statement page carries schema.org JSON-LD that jsonld expands: a Message by its signatory organisations', async () => {
    const html = (await get('anonymous', `/statements/${statementId}`)).body;
    const data = html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)?.[1];
    expect(data).toBeDefined();
    const expanded = (await jsonld.expand(JSON.parse(data as string), { documentLoader: documentLoader as never })) as Record<string, unknown[]>[];
    const doc = expanded[0] as Record<string, { '@value'?: string; '@id'?: string }[] | string[]>;
    expect(doc['@type']).toEqual([`${SCHEMA}Message`]);
    expect((doc[`${SCHEMA}inLanguage`] as { '@value': string }[])[0]?.['@value']).toBe('en');
    expect((doc[`${SCHEMA}version`] as { '@value': string }[])[0]?.['@value']).toBe('1');
    expect((doc[`${SCHEMA}datePublished`] as { '@value': string }[])[0]?.['@value']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const authors = doc[`${SCHEMA}author`] as unknown as Record<string, { '@value': string }[]>[];
    expect(authors.map((a) => a[`${SCHEMA}name`]?.[0]?.['@value']).sort()).toEqual(['Diaspora Voices for commitments', 'Protection Forum for commitments']);
    expect(JSON.stringify(expanded)).toContain('Amal Haddad');
    expect(JSON.stringify(expanded)).not.toContain(SECRET_NAME);
    expect(html).not.toContain(SECRET_NAME);
  });

  it("a commitment's JSON-LD is a Claim with a ClaimReview for each rating", async () => {
    const html = (await get('anonymous', `/commitments/${ids.commitment}`)).body;
    const script = html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)?.[1] as string;
    const expanded = (await jsonld.expand(JSON.parse(script), { documentLoader: documentLoader as never })) as Record<string, unknown>[];
    const types = expanded.map((n) => (n['@type'] as string[])[0]);
    expect(types[0]).toBe(`${SCHEMA}Claim`);
    expect(types.filter((x) => x === `${SCHEMA}ClaimReview`)).toHaveLength(4);
    const review = expanded[1] as Record<string, Record<string, { '@value': unknown }[]>[]>;
    const rating = review[`${SCHEMA}reviewRating`]?.[0] as Record<string, { '@value': unknown }[]>;
    expect(rating[`${SCHEMA}alternateName`]?.[0]?.['@value']).toBe('In the works');
    expect(rating[`${SCHEMA}ratingValue`]?.[0]?.['@value']).toBe(4);
  });

  it('the Atom feed of published statements reads in a feed parser, authors are the organisations, individuals only counted', async () => {
    const res = await get('anonymous', '/statements/feed.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/atom+xml');
    // Cached publicly, and written in the reader's language: a shared cache must keep one per language.
    expect(res.headers['cache-control']).toContain('public');
    expect(res.headers.vary).toBe('Accept-Language, Cookie');
    const feed = parseFeed(res.body);
    const entry = feed.items.find((i) => i.title === 'Letter to every party leader on atrocity prevention');
    expect(entry).toBeDefined();
    expect(entry?.authors.map((a) => a.name).sort()).toEqual(['Diaspora Voices for commitments', 'Protection Forum for commitments']);
    expect(entry?.description).toContain('Co-signed by 2 individuals.');
    expect(res.body).not.toContain(SECRET_NAME);
    expect(res.body, 'a co-signatory who chose to be named is a contributor').toMatch(/<contributor>\s*<name>Amal Haddad<\/name>/);
  });

  it('the CSV carries an HXL hashtag row and the same filters', async () => {
    const res = await get('anonymous', `/commitments/export.csv?person=${ids.x}`);
    expect(res.statusCode).toBe(200);
    const rows = parseCsv(res.body, { bom: true }) as string[][];
    expect(rows[0]).toContain('summary');
    expect(rows[1]?.every((cell) => cell === '' || cell.startsWith('#'))).toBe(true);
    expect(rows).toHaveLength(3);
    expect(rows[2]).toContain('A special envoy for Sudan in 100 days');
    const none = parseCsv((await get('anonymous', `/commitments/export.csv?person=${ids.y}`)).body, { bom: true }) as string[][];
    expect(none).toHaveLength(2);
  });

  it('the API answers as its OpenAPI document says, with signatories as each chose and never an address', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: object }> }> }>> };
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: 'openapi' } as object);
    const check = async (path: string, url: string) => {
      const res = await (agents.anonymous as Agent).get(url, { accept: 'application/json' });
      expect(res.statusCode, url).toBe(200);
      const schema = doc.paths[path]?.get?.responses['200']?.content['application/json']?.schema as object;
      expect(schema, path).toBeDefined();
      const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"openapi#/components')));
      expect(validate(res.json()), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      return res;
    };
    await check('/api/v1/statements', '/api/v1/statements');
    const one = await check('/api/v1/statements/{id}', `/api/v1/statements/${statementId}`);
    const body = one.json() as { signatories: { organisations: unknown[]; individuals: { kind: string; name?: string }[]; individualCount: number }; recipients: unknown[]; replies: unknown[] };
    expect(body.signatories.organisations).toHaveLength(2);
    expect(body.signatories.individuals).toEqual([expect.objectContaining({ kind: 'name', name: 'Amal Haddad' })]);
    expect(body.signatories.individualCount).toBe(2);
    expect(body.recipients).toHaveLength(1);
    expect(body.replies).toHaveLength(1);
    expect(one.body).not.toContain(SECRET_NAME);
    expect(one.body).not.toContain('xavier@example.org');
    const list = await check('/api/v1/commitments', `/api/v1/commitments?post=${ids.post}`);
    expect((list.json() as { total: number }).total).toBe(1);
    const c = await check('/api/v1/commitments/{id}', `/api/v1/commitments/${ids.commitment}`);
    expect((c.json() as { ratings: unknown[] }).ratings).toHaveLength(4);
    expect((await (agents.anonymous as Agent).get('/api/v1/commitments/00000000-0000-4000-8000-000000000000', { accept: 'application/json' })).statusCode).toBe(404);
  });

  it('what was signed and published cannot be rewritten, even by a direct write to the database', async () => {
    const db = t.platform.db;
    await expect(db.updateTable('statement_versions').set({ body: 'Rewritten after publication.' }).where('statement_id', '=', statementId).execute()).rejects.toThrow(/can no longer change/);
    await expect(db.deleteFrom('statement_versions').where('statement_id', '=', statementId).execute()).rejects.toThrow(/cannot be deleted/);
    await expect(db.updateTable('statement_signatures').set({ version_number: 99 }).where('statement_id', '=', statementId).execute()).rejects.toThrow(/keeps what was signed/);
    await expect(db.updateTable('statement_signatures').set({ display_name: 'Someone else' }).where('statement_id', '=', statementId).execute()).rejects.toThrow(/keeps what was signed/);
    const body = (await db.selectFrom('statement_versions').select('body').where('statement_id', '=', statementId).executeTakeFirstOrThrow()).body;
    expect(body).toBe('We write to ask each party to set out its commitments.');
  });

  it('an unpublished reply takes its commitments out of the tracker and the API', async () => {
    await t.platform.db.updateTable('statement_replies').set({ published: false }).where('id', '=', ids.reply as string).execute();
    expect((await get('anonymous', `/commitments/${ids.commitment}`)).statusCode).toBe(404);
    expect(text((await get('anonymous', '/commitments')).body)).toContain('No commitment matches.');
    await t.platform.db.updateTable('statement_replies').set({ published: true }).where('id', '=', ids.reply as string).execute();
  });
});
