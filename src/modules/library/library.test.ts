import { readFileSync } from 'node:fs';
import { parseFeed } from '@rowanmanning/feed-parser';
import { zipSync } from 'fflate';
import jsonld from 'jsonld';
import sharp from 'sharp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, buildTestApp, createOrganisation, createPerson, type TestApp, text } from '../../../test/helpers.ts';
import { changedTables, snapshot } from '../../../test/world.ts';
import { EXTRACT_JOB } from './library.service.ts';

/**
 * Issue 15, items 1, 2, 5, 6 and 7: resources added by member organisations with a link or a
 * file (type from the content, images without their metadata, text extracted by a job), read
 * per their visibility, searched by words from the middle of their text in each language,
 * published as JSON-LD and Atom.
 */
let t: TestApp;
const agents: Record<string, Agent> = {};
let orgA = '';
let orgB = '';
let orgC = '';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/library/${name}`, import.meta.url));

type Form = Record<string, string | string[]>;
interface File {
  field?: string;
  name: string;
  type: string;
  data: Buffer;
}

/** A form with a file, multipart as a browser sends it. */
async function postMultipart(who: string, url: string, form: Form, files: File[] = []) {
  const agent = agents[who] as Agent;
  const boundary = `----northstar${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ ...form, _csrf: await agent.csrf() })) {
    for (const one of [value].flat()) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${one}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const cookie = (agent as unknown as { cookieHeader(): string }).cookieHeader();
  return t.app.inject({
    method: 'POST',
    url,
    payload: Buffer.concat(parts),
    headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}`, origin: 'http://localhost:3000', ...(cookie ? { cookie } : {}) },
  });
}

const resourceForm = (overrides: Form = {}): Form => ({
  kind: 'report',
  title: 'Report on displacement in Darfur',
  summary: 'Testimonies of families who left their villages.',
  language: 'en',
  licence: 'CC-BY-4.0',
  link: '',
  visibility: 'public',
  authorNames: 'Amal Hassan',
  ...overrides,
});

const documentLoader = async (url: string) => {
  if (url.replace(/\/$/, '') === 'https://schema.org') return { contextUrl: undefined, documentUrl: url, document: { '@context': { '@vocab': 'https://schema.org/', id: '@id', type: '@type' } } };
  throw new Error(`no network in tests: ${url}`);
};

const idFrom = (location: unknown) => /\/library\/([0-9a-f-]{36})/.exec(String(location))?.[1] as string;

async function add(who: string, form: Form, files: File[] = []): Promise<string> {
  const res = await postMultipart(who, '/library', resourceForm(form), files);
  expect(res.statusCode, text(res.body).slice(0, 600)).toBe(303);
  return idFrom(res.headers.location);
}

/** What the extraction job does when the queue runs it (jobs do not run in tests). */
async function runExtraction(resourceId: string) {
  const file = await t.platform.db.selectFrom('library_files').select('id').where('resource_id', '=', resourceId).executeTakeFirstOrThrow();
  const { rows } = await sql<{ data: { fileId: string } }>`select data from pgboss.job where name = ${EXTRACT_JOB}`.execute(t.platform.db);
  expect(rows.map((j) => j.data.fileId)).toContain(file.id);
  await t.services.library.extract(file.id);
}

const get = async (who: string, url: string) => {
  const res = await (agents[who] as Agent).get(url);
  return { status: res.statusCode, body: res.body, text: text(res.body) };
};

beforeAll(async () => {
  t = await buildTestApp();
  orgA = (await createOrganisation(t, 'Darfur Witness Network')).id;
  orgB = (await createOrganisation(t, 'Nile Voices')).id;
  orgC = (await createOrganisation(t, 'Bystander Project')).id;
  for (const [name, role, org] of [
    ['staffA', 'member', orgA],
    ['staffB', 'member', orgB],
    ['staffC', 'member', orgC],
    ['convener', 'convener', undefined],
    ['participant', 'participant', undefined],
  ] as const) {
    const person = await createPerson(t, role, org ? { organisationId: org } : {});
    agents[name] = new Agent(t);
    await (agents[name] as Agent).signIn(person);
  }
  agents.visitor = new Agent(t);
}, 60_000);
afterAll(async () => t?.close());

describe('adding, translations and search by the text of a PDF', () => {
  let arabic = '';
  let english = '';

  it('adds an Arabic report with its PDF and an English translation linked to it', async () => {
    arabic = await add('staffA', { title: 'تقرير عن النزوح في دارفور', summary: 'شهادات العائلات.', language: 'ar', authorOrganisations: orgA }, [
      { name: 'report-ar.pdf', type: 'application/pdf', data: fixture('report-ar.pdf') },
    ]);
    const number = (await t.platform.db.selectFrom('library_resources').select('number').where('id', '=', arabic).executeTakeFirstOrThrow()).number;
    english = await add('staffA', { translationOf: String(number) }, [{ name: 'report-en.pdf', type: 'application/pdf', data: fixture('report-en.pdf') }]);
    const page = await get('visitor', `/library/${english}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Also in:');
    expect(page.body).toContain(`href="/library/${arabic}"`);
    expect(page.text).toContain('Its text is being read');
  });

  it('finds each by a word from the middle of its PDF once the job has read it, with the passage', async () => {
    // Before extraction the PDF's words are not known.
    expect((await get('visitor', `/library?q=${encodeURIComponent('humanitarian')}`)).text).toContain('Nothing matches');
    await runExtraction(arabic);
    await runExtraction(english);
    const en = await get('visitor', `/library?q=${encodeURIComponent('humanitarian')}`);
    expect(en.body).toContain(`href="/library/${english}"`);
    expect(en.body).toMatch(/<mark>humanitarian<\/mark>/);
    // Arabic from the PDF (presentation forms, visual order) reads as typed: "الإنسانية" and "المخيمات".
    for (const word of ['الإنسانية', 'المخيمات', 'مخيمات']) {
      const ar = await get('visitor', `/library?q=${encodeURIComponent(word)}`);
      expect(ar.body, word).toContain(`href="/library/${arabic}"`);
      expect(ar.body).not.toContain(`href="/library/${english}"`);
    }
    const text = (await t.platform.db.selectFrom('library_files').select('extracted_text').innerJoin('library_resources', 'library_resources.id', 'library_files.resource_id').where('library_resources.id', '=', arabic).executeTakeFirstOrThrow()).extracted_text;
    expect(text).toContain('تقرير عن النزوح في دارفور');
    expect(text).toContain('وتطالب المنظمات بحماية المدنيين');
  });

  it('answers the same search in the API, with facets', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/library?q=${encodeURIComponent('camps')}` });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { total: number; items: { id: string; passage: string | null }[]; facets: { dimension: string; value: string; count: number }[] };
    expect(body.items.map((i) => i.id)).toEqual([english]);
    expect(body.items[0]?.passage).toMatch(/camps/);
    expect(body.facets).toContainEqual({ dimension: 'language', value: 'en', count: 1 });
    const one = (await t.app.inject({ method: 'GET', url: `/api/v1/library/${arabic}` })).json() as { translations: { id: string }[]; file: { mediaType: string }; textState: string };
    expect(one.translations.map((x) => x.id)).toEqual([english]);
    expect(one.file.mediaType).toBe('application/pdf');
    expect(one.textState).toBe('done');
  });

  it('publishes JSON-LD a JSON-LD processor reads (inLanguage, workTranslation) and an Atom feed', async () => {
    const page = await get('visitor', `/library/${english}`);
    const data = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '{}');
    const expanded = await jsonld.expand(data, { documentLoader: documentLoader as never });
    const node = expanded[0] as Record<string, { '@value'?: string; '@id'?: string }[]>;
    expect(node['@type']).toEqual(['https://schema.org/Report']);
    expect(node['https://schema.org/inLanguage']?.[0]?.['@value']).toBe('en');
    const translation = node['https://schema.org/workTranslation']?.[0] as unknown as Record<string, { '@value': string }[]>;
    expect(translation['https://schema.org/inLanguage']?.[0]?.['@value']).toBe('ar');
    const feed = parseFeed((await get('visitor', '/library/feed.atom')).body);
    expect(feed.items.map((i) => i.title)).toEqual(expect.arrayContaining(['Report on displacement in Darfur', 'تقرير عن النزوح في دارفور']));
  });
});

describe('who reads what', () => {
  let network = '';
  let named = '';

  beforeAll(async () => {
    network = await add('staffA', { title: 'Funding note on rapid response grants', kind: 'funding', visibility: 'network', link: 'https://example.org/grants' });
    named = await add('staffA', { title: 'Briefing kept to two organisations', kind: 'briefing', visibility: 'organisations', readers: orgB, link: 'https://example.org/briefing' }, [
      { name: 'briefing.pdf', type: 'application/pdf', data: fixture('report-en.pdf') },
    ]);
  });

  it('keeps network-only and named-organisation resources from everyone else, in pages, search, files and the API', async () => {
    for (const who of ['visitor', 'participant']) {
      expect((await get(who, `/library/${network}`)).status).toBe(who === 'visitor' ? 404 : 404);
      expect((await get(who, '/library?q=grants')).body).not.toContain(network);
    }
    expect((await get('staffB', `/library/${network}`)).status).toBe(200);
    expect((await get('staffB', `/library/${named}`)).status).toBe(200);
    expect((await get('staffB', `/library/${named}/file`)).status).toBe(200);
    expect((await get('staffC', `/library/${named}`)).status).toBe(404);
    expect((await get('staffC', `/library/${named}/file`)).status).toBe(404);
    expect((await get('staffC', '/library?q=briefing')).body).not.toContain(named);
    expect((await get('convener', `/library/${named}`)).status).toBe(404);
    // Nor may the convener feature it, or learn that it exists.
    expect((await (agents.convener as Agent).post(`/library/${named}/feature`, { featured: 'yes' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/library/${network}` })).statusCode).toBe(404);
    // The readers of a named-organisation resource are shown only to the adding organisation.
    expect((await get('staffB', `/library/${named}`)).text).not.toContain('Nile Voices');
    expect((await get('staffA', `/library/${named}`)).text).toContain('Nile Voices');
  });

  it('lets only the adding organisation edit, and only the convener feature', async () => {
    expect((await get('staffB', `/library/${network}/edit`)).status).toBe(404);
    const before = await snapshot(t);
    const refused = await postMultipart('staffB', `/library/${network}`, resourceForm({ title: 'Taken over', link: 'https://example.org/x', visibility: 'public' }));
    expect(refused.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/library/${network}/feature` })).statusCode).toBe(303);
    expect(changedTables(before, await snapshot(t))).toEqual([]);
    const edit = await get('staffA', `/library/${network}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.body).toContain('Funding note on rapid response grants');
    const saved = await postMultipart('staffA', `/library/${network}`, resourceForm({ title: 'Funding note on rapid response grants (2027)', kind: 'funding', visibility: 'network', link: 'https://example.org/grants' }));
    expect(saved.statusCode, text(saved.body).slice(0, 400)).toBe(303);
    expect((await (agents.staffB as Agent).post(`/library/${network}/feature`, { featured: 'yes' })).statusCode).toBe(404);
    expect((await (agents.convener as Agent).post(`/library/${network}/feature`, { featured: 'yes' })).statusCode).toBe(303);
    const first = await get('staffB', '/library');
    expect(first.text).toContain('Featured');
    expect(first.text).toContain('Funding note on rapid response grants (2027)');
    // Featured items the reader may not see are not shown to them.
    expect((await get('visitor', '/library')).text).not.toContain('rapid response');
  });
});

describe('translations', () => {
  it('links a translation only to a resource of the same organisation, and an edit leaves the work alone', async () => {
    const original = await add('staffB', { title: 'Nile Voices briefing', link: 'https://example.org/b' });
    const number = (await t.platform.db.selectFrom('library_resources').select('number').where('id', '=', original).executeTakeFirstOrThrow()).number;
    const refused = await postMultipart('staffA', '/library', resourceForm({ title: 'Our translation', language: 'ar', link: 'https://example.org/t', translationOf: String(number) }));
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain('A translation is linked to a resource your organisation added');
    const translation = await add('staffB', { title: 'إحاطة', language: 'ar', link: 'https://example.org/t', translationOf: String(number) });
    const work = async (id: string) => (await t.platform.db.selectFrom('library_resources').select('work_id').where('id', '=', id).executeTakeFirstOrThrow()).work_id;
    expect(await work(translation)).toBe(await work(original));
    // The edit form shows the number; saving it unchanged keeps the link, clearing it ends it.
    const edit = await get('staffB', `/library/${translation}/edit`);
    expect(edit.body).toContain(`name="translationOfBefore" value="${number}"`);
    await postMultipart('staffB', `/library/${translation}`, resourceForm({ title: 'إحاطة', language: 'ar', link: 'https://example.org/t', translationOf: String(number), translationOfBefore: String(number) }));
    expect(await work(translation)).toBe(await work(original));
    await postMultipart('staffB', `/library/${translation}`, resourceForm({ title: 'إحاطة', language: 'ar', link: 'https://example.org/t', translationOf: '', translationOfBefore: String(number) }));
    expect(await work(translation)).not.toBe(await work(original));
  });
});

describe('files', () => {
  it('stores a photo without its EXIF GPS position', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#884422' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Model X' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '13/1 37/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '25/1 21/1 0/1' } })
      .toBuffer();
    const exifBefore = (await sharp(photo).metadata()).exif;
    expect(exifBefore?.toString('latin1')).toContain('PhoneMaker');
    // The GPS IFD pointer (tag 0x8825) is there before.
    expect(exifBefore?.includes(Buffer.from([0x25, 0x88])) || exifBefore?.includes(Buffer.from([0x88, 0x25]))).toBe(true);
    const id = await add('staffA', { title: 'A photo of the camp', kind: 'writing', link: '' }, [{ name: 'camp.jpg', type: 'image/jpeg', data: photo }]);
    const stored = (await t.platform.db.selectFrom('library_files').select(['content', 'media_type']).where('resource_id', '=', id).executeTakeFirstOrThrow());
    expect(stored.media_type).toBe('image/jpeg');
    const after = await sharp(stored.content).metadata();
    expect(after.exif).toBeUndefined();
    expect(stored.content.includes(Buffer.from('PhoneMaker'))).toBe(false);
    expect(after.width).toBe(64);
    // Images and audio have no text to read: no job.
    expect((await t.platform.db.selectFrom('library_resources').select('text_state').where('id', '=', id).executeTakeFirstOrThrow()).text_state).toBe('none');
  });

  it('reads the text of an EPUB in spine order', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const epub = Buffer.from(
      zipSync({
        mimetype: [enc('application/epub+zip'), { level: 0 }],
        'META-INF/container.xml': enc('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'),
        'OEBPS/content.opf': enc('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest><item id="b" href="two.xhtml" media-type="application/xhtml+xml"/><item id="a" href="one.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/><itemref idref="b"/></spine></package>'),
        'OEBPS/one.xhtml': enc('<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title><style>p{}</style></head><body><p>First chapter: poems of the river.</p></body></html>'),
        'OEBPS/two.xhtml': enc('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Second chapter: songs of return &amp; memory.</p><script>alert(1)</script></body></html>'),
      }),
    );
    const id = await add('staffA', { title: 'Poems from exile', kind: 'writing', language: 'en' }, [{ name: 'poems.epub', type: 'application/epub+zip', data: epub }]);
    await runExtraction(id);
    const stored = await t.platform.db.selectFrom('library_files').select('extracted_text').where('resource_id', '=', id).executeTakeFirstOrThrow();
    expect(stored.extracted_text).toBe('First chapter: poems of the river.\n\nSecond chapter: songs of return & memory.');
    expect((await get('visitor', '/library?q=memory')).body).toContain(`/library/${id}`);
  });

  it('refuses a file too large, one that is not what its name says, and one of another type; nothing is kept', async () => {
    const pdf = fixture('report-en.pdf');
    const cases: [File, RegExp][] = [
      [{ name: 'huge.pdf', type: 'application/pdf', data: Buffer.concat([pdf, Buffer.alloc(21 * 1024 * 1024)]) }, /huge\.pdf is larger than 20 MB/],
      [{ name: 'photo.jpg', type: 'image/jpeg', data: pdf }, /photo\.jpg is not what its name says: its content is a pdf file/],
      [{ name: 'notes.txt', type: 'text/plain', data: Buffer.from('plain text notes') }, /notes\.txt is not a PDF, EPUB, audio file or image/],
      [{ name: 'empty.pdf', type: 'application/pdf', data: Buffer.alloc(0) }, /empty\.pdf is empty/],
    ];
    for (const [file, message] of cases) {
      const before = await snapshot(t);
      const res = await postMultipart('staffA', '/library', resourceForm({ title: 'Refused upload' }), [file]);
      expect(res.statusCode, file.name).toBe(400);
      expect(text(res.body)).toMatch(message);
      // The form comes back filled in, and says the file must be attached again.
      expect(res.body).toContain('value="Refused upload"');
      expect(text(res.body)).toContain('attach it again');
      expect(changedTables(before, await snapshot(t))).toEqual([]);
    }
  });
});

describe('bad input on the forms and the search', () => {
  it('says what is wrong and keeps nothing', async () => {
    const before = await snapshot(t);
    const cases: [Form, RegExp][] = [
      [{ link: '' }, /Give a link, attach a file, or both/],
      [{ link: 'ftp://example.org/x' }, /starts with https:\/\//],
      [{ link: 'https://example.org/x', visibility: 'organisations' }, /Name the organisations that may read it/],
      [{ link: 'https://example.org/x', translationOf: '999999' }, /There is no resource 999999 that you can see/],
      [{ link: 'https://example.org/x', translationOf: 'twelve' }, /Enter the resource's number/],
      [{ link: 'https://example.org/x', language: 'xx' }, /Choose the language it is in/],
      [{ link: 'https://example.org/x', title: 'x'.repeat(301) }, /Use 300 characters or fewer/],
      [{ link: 'https://example.org/x', title: 'Bad\u0000title' }, /control character|cannot be stored|character/i],
    ];
    for (const [form, message] of cases) {
      const res = await postMultipart('staffA', '/library', resourceForm(form));
      expect(res.statusCode, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(text(res.body)).toMatch(message);
    }
    for (const q of ['kind=poster', 'country=XXX', 'page=0', `q=${'a'.repeat(201)}`]) {
      const res = await get('staffA', `/library?${q}`);
      expect(res.status, q).toBe(400);
    }
    expect(changedTables(before, await snapshot(t))).toEqual([]);
  });

  it('hides what a content warning covers until the reader opens it', async () => {
    const id = await add('staffA', { title: 'Testimonies from Tawila', summary: 'Accounts of the attack on the market.', contentWarning: 'testimonies of killings', link: 'https://example.org/t' });
    const list = await get('visitor', '/library?q=tawila');
    expect(list.text).toContain('Content warning: testimonies of killings');
    expect(list.text).not.toContain('Accounts of the attack');
    const page = await get('visitor', `/library/${id}`);
    expect(page.body).toMatch(/<details class="content-warning"><summary>.*Content warning: testimonies of killings.*<\/summary>.*Accounts of the attack/s);
    expect(page.body).not.toMatch(/<details[^>]* open/);
  });
});
