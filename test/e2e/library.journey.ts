/**
 * The library in a real browser, with and without JavaScript (issue 15, "Browser journey", its
 * library part): a staff member on a 360 px phone in Arabic, right to left, adds a report with a
 * PDF in Arabic; a colleague adds its English translation with its own PDF, linked by number →
 * once the job has read the files, a visitor finds each by a word from the middle of its PDF, in
 * each language, with the passage marked → the report's page says it is also in English and
 * carries its JSON-LD → a testimony with a content warning stays folded until opened. Every page
 * passes axe and none scrolls sideways on the phone.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createPerson, type TestApp, type TestPerson } from '../helpers.ts';
import { browserSuite, checked, strict, navigateBy, newPageFor, PHONE, signedInPageFor, startBrowserApp, steps, stopBrowserApp, TIMEOUT, everyPageFitsAPhone, sweeping } from './kit.ts';

const suite = browserSuite();

const en = strict('en');
const ar = strict('ar');
const fixture = (name: string) => new URL(`../fixtures/library/${name}`, import.meta.url).pathname;


let t: TestApp | undefined;

suite('library journey', () => {
  beforeAll(async () => {
    ({ t } = await startBrowserApp());
  }, TIMEOUT);

  afterAll(async () => {
    await stopBrowserApp();
  }, TIMEOUT);

  describe.each([true, false])('a report and its translation, found by the words of their PDFs — JavaScript enabled: %s', (javaScriptEnabled) => {
    const suffix = javaScriptEnabled ? 'Acacia' : 'Tamarind';
    const contexts: BrowserContext[] = [];
    let author: TestPerson;
    let colleague: TestPerson;
    let arabicPage: Page;
    let englishPage: Page;
    let visitor: Page;
    let reportPath = '';
    let reportNumber = '';
    let translationPath = '';
    const arabicTitle = `تقرير عن النزوح في دارفور (${suffix})`;
    const englishTitle = `Report on displacement in Darfur (${suffix})`;

    beforeAll(async () => {
      const org = (await createOrganisation(t!, `Library Circle ${suffix}`)).id;
      author = await createPerson(t!, 'member', { organisationId: org });
      colleague = await createPerson(t!, 'member', { organisationId: org });
      arabicPage = await signedInPageFor(author, contexts, javaScriptEnabled, PHONE);
      englishPage = await signedInPageFor(colleague, contexts, javaScriptEnabled, PHONE);
      visitor = await newPageFor(contexts, javaScriptEnabled, PHONE);
    }, TIMEOUT);

    afterAll(async () => {
      for (const context of contexts) await context.close();
    }, TIMEOUT);

    const step = steps();

    step('a staff member adds an Arabic report with its PDF, in Arabic, right to left, on a phone', async () => {
      const page = arabicPage;
      await page.goto('/library');
      await navigateBy(page, () => page.getByRole('form', { name: 'Language' }).getByRole('button', { name: 'العربية' }).click(), 200);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await checked(page, 'library');
      await navigateBy(page, () => page.getByRole('main').getByRole('link', { name: ar('library.add') }).click(), 200, 'GET');
      await checked(page, 'add a resource');
      const main = page.getByRole('main');
      // A file without a link or title first: refused, with every field kept and the file asked for again.
      await main.getByLabel(ar('library.file')).setInputFiles(fixture('report-ar.pdf'));
      await main.getByLabel(ar('library.language')).selectOption('ar');
      await navigateBy(page, () => main.getByRole('button', { name: ar('library.addButton') }).click(), 400);
      await checked(page, 'add a resource, refused');
      expect(await page.getByRole('alert').textContent()).toContain(ar('errors.required'));
      expect(await main.textContent()).toContain(ar('library.attachAgain'));
      await main.getByLabel(ar('library.titleField')).fill(arabicTitle);
      await main.getByLabel(ar('library.summary')).fill('شهادات العائلات التي غادرت قراها.');
      await main.getByLabel(ar('library.file')).setInputFiles(fixture('report-ar.pdf'));
      await main.getByRole('radio', { name: ar('library.visibilityChoice.public') }).check();
      await navigateBy(page, () => main.getByRole('button', { name: ar('library.addButton') }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe(ar('notice.libraryAdded'));
      reportPath = new URL(page.url()).pathname;
      reportNumber = String((await t!.platform.db.selectFrom('library_resources').select('number').where('title', '=', arabicTitle).executeTakeFirstOrThrow()).number);
      expect(await page.locator('h1').textContent()).toBe(arabicTitle);
      await checked(page, 'resource');
    });

    step('a colleague adds the English translation with its PDF, linked by the report’s number', async () => {
      const page = englishPage;
      await page.goto('/library/new');
      const main = page.getByRole('main');
      await main.getByLabel(en('library.titleField')).fill(englishTitle);
      await main.getByLabel(en('library.language')).selectOption('en');
      await main.getByLabel(en('library.translationOf')).fill(reportNumber);
      await main.getByLabel(en('library.file')).setInputFiles(fixture('report-en.pdf'));
      await main.getByRole('radio', { name: en('library.visibilityChoice.public') }).check();
      await navigateBy(page, () => main.getByRole('button', { name: en('library.addButton') }).click(), 200);
      translationPath = new URL(page.url()).pathname;
      expect(await main.getByRole('link', { name: arabicTitle }).getAttribute('href')).toBe(reportPath);
      await checked(page, 'resource (English)');
    });

    step('a visitor finds each by a word from the middle of its PDF, in its language, with the passage marked', async () => {
      const page = visitor;
      const search = async (q: string) => {
        await page.goto('/library');
        await page.getByRole('search').getByLabel(en('library.search')).fill(q);
        await navigateBy(page, () => page.getByRole('search').getByRole('button', { name: en('library.apply') }).click(), 200, 'GET');
      };
      // The files are read by a job: the page says so until it has run.
      for (let tries = 0; tries < 30; tries++) {
        await search(`humanitarian ${suffix}`);
        if ((await page.getByRole('main').getByRole('link', { name: englishTitle }).count()) > 0) break;
        await page.waitForTimeout(500);
      }
      await checked(page, 'library search');
      expect(await page.getByRole('main').getByRole('link', { name: englishTitle }).count()).toBe(1);
      expect(await page.locator('mark').first().textContent()).toBe('humanitarian');
      for (let tries = 0; tries < 30; tries++) {
        await search(`المخيمات ${suffix}`);
        if ((await page.getByRole('main').getByRole('link', { name: arabicTitle }).count()) > 0) break;
        await page.waitForTimeout(500);
      }
      expect(await page.getByRole('main').getByRole('link', { name: arabicTitle }).count()).toBe(1);
      expect(await page.getByRole('main').getByRole('link', { name: englishTitle }).count()).toBe(0);
      await navigateBy(page, () => page.getByRole('main').getByRole('link', { name: arabicTitle }).click(), 200, 'GET');
      expect(new URL(page.url()).pathname).toBe(reportPath);
      expect(await page.getByRole('main').getByRole('link', { name: englishTitle }).getAttribute('href')).toBe(translationPath);
      const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}') as { inLanguage: string; workTranslation: { inLanguage: string }[] };
      expect(jsonLd.inLanguage).toBe('ar');
      expect(jsonLd.workTranslation.map((w) => w.inLanguage)).toEqual(['en']);
      await checked(page, 'resource (visitor)');
    });

    step('the author corrects the report’s summary on its edit page, in Arabic; the translation stays linked', async () => {
      const page = arabicPage;
      await page.goto(`${reportPath}/edit`);
      await checked(page, 'edit a resource');
      const main = page.getByRole('main');
      await main.getByLabel(ar('library.summary')).fill('شهادات العائلات التي غادرت قراها في شمال دارفور.');
      await navigateBy(page, () => main.getByRole('button', { name: ar('library.save') }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe(ar('notice.librarySaved'));
      expect(await main.textContent()).toContain('في شمال دارفور');
      expect(await main.getByRole('link', { name: englishTitle }).getAttribute('href')).toBe(translationPath);
      await checked(page, 'resource, edited');
    });

    step('a testimony with a content warning stays folded until the reader opens it', async () => {
      const page = englishPage;
      await page.goto('/library/new');
      const main = page.getByRole('main');
      await main.getByLabel(en('library.titleField')).fill(`Testimonies from Tawila (${suffix})`);
      await main.getByLabel(en('library.summary')).fill('Accounts of the attack on the market.');
      await main.getByLabel(en('library.language')).selectOption('en');
      await main.getByLabel(en('library.link')).fill('https://example.org/testimonies');
      await main.getByLabel(en('library.contentWarning')).fill('testimonies of killings');
      await main.getByRole('radio', { name: en('library.visibilityChoice.public') }).check();
      await navigateBy(page, () => main.getByRole('button', { name: en('library.addButton') }).click(), 200);
      await checked(page, 'resource with a content warning');
      expect(await main.getByText('Accounts of the attack on the market.').isVisible()).toBe(false);
      await main.getByText(en('library.showAnyway')).click();
      expect(await main.getByText('Accounts of the attack on the market.').isVisible()).toBe(true);
    });
  });

  // The drawing does not depend on the database: it runs once per CI run, on the embedded one.
  it.skipIf(!sweeping())('every page it visited fits a 360 px phone in English and Arabic, and passes axe', { timeout: 10 * TIMEOUT }, async () => {
    const { pages, drawn, list } = await everyPageFitsAPhone();
    console.info(`[e2e] ${pages} pages visited; ${drawn} drawings at 360 px not done by an earlier journey: ${list.join(', ')}`);
  });
});
