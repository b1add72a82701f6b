/**
 * The whole path a community member takes, in a real browser, with and without JavaScript:
 * home → join (a mistake first, then for real) → account → sign out → sign in → Arabic → sign out.
 * Every page on the way must pass axe (WCAG 2.2 AA rules) with no violations.
 *
 * Needs Debian's chromium at /usr/bin/chromium (playwright-core drives it; no downloaded browsers).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as membershipRepo from '../../src/modules/directory/membership.repository.ts';
import { createPerson, type TestApp } from '../helpers.ts';
import { browserSuite, expectAccessible, navigateBy, signedInPageFor, startBrowserApp, steps, stopBrowserApp, TIMEOUT, textBox, withoutScripts, everyPageFitsAPhone, tick, ticked, sweeping } from './kit.ts';

const SCREENSHOT = '/tmp/northstar-ar.png';

const suite = browserSuite();

let t: TestApp | undefined;
let browser: Browser | undefined;
let baseUrl = '';

suite('browser end-to-end', () => {
  beforeAll(async () => {
    ({ t, browser, baseUrl } = await startBrowserApp());
  }, TIMEOUT);

  afterAll(async () => {
    await stopBrowserApp();
  }, TIMEOUT);

  describe.each([true, false])('JavaScript enabled: %s', (javaScriptEnabled) => {
    let context: BrowserContext;
    let page: Page;
    const pseudonym = `Heron${Date.now()}${javaScriptEnabled ? 'J' : 'N'}`;
    let passphrase = '';

    beforeAll(async () => {
      context = await browser!.newContext({
        javaScriptEnabled,
        viewport: { width: 360, height: 740 },
        locale: 'en-GB',
        baseURL: baseUrl,
      });
      if (!javaScriptEnabled) withoutScripts.add(context);
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
    }, TIMEOUT);

    afterAll(async () => {
      await context?.close();
    }, TIMEOUT);

    const step = steps();

    const main = () => page.getByRole('main');
    const nav = (name = 'Main') => page.getByRole('navigation', { name });

    it('answers an unknown address with a 404 page', { timeout: TIMEOUT }, async () => {
      const response = await page.goto('/no-such-page');
      expect(response?.status()).toBe(404);
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
      expect(await page.title()).toContain('Page not found');
      expect(await main().getByRole('link', { name: 'Go to the home page' }).isVisible()).toBe(true);
      await expectAccessible(page, '404');
    });

    step('shows the home page', async () => {
      const response = await page.goto('/');
      expect(response?.status()).toBe(200);
      await expect(page.title()).resolves.toBe('Welcome to Northstar · Northstar');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Welcome to Northstar');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
      await expectAccessible(page, 'home');
    });

    step('keeps what was typed and explains the problem when the passphrase box is not ticked', async () => {
      await navigateBy(page, () => main().getByRole('link', { name: 'Join as a community member' }).click(), 200, 'GET');
      expect(new URL(page.url()).pathname).toBe('/register');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Join as a community member');

      passphrase = (await page.locator('input[type=hidden][name=passphrase]').inputValue()).trim();
      expect(passphrase, 'a passphrase of five words').toMatch(/^[a-z]+(-[a-z]+){4,}$/);
      const shown = page.locator('output');
      expect((await shown.textContent())?.trim(), 'the passphrase is shown to the person').toBe(passphrase);
      expect(await shown.isVisible()).toBe(true);
      await expectAccessible(page, 'register');

      await page.getByLabel('Made-up name').fill(pseudonym);
      const saved = page.getByLabel('I have written down my passphrase');
      expect(await saved.isChecked()).toBe(false);
      await navigateBy(page, () => main().getByRole('button', { name: 'Join' }).click(), 400);

      const summary = page.getByRole('alert');
      expect(await summary.isVisible()).toBe(true);
      expect(await summary.textContent()).toContain('There is a problem');
      expect(await summary.getByRole('link', { name: 'Tick the box to say you have written down your passphrase.' }).count()).toBe(1);
      expect(await page.title()).toMatch(/Join as a community member/);
      // Nothing is lost: the name typed and the passphrase already written down stay the same.
      expect(await page.getByLabel('Made-up name').inputValue()).toBe(pseudonym);
      expect((await page.locator('input[type=hidden][name=passphrase]').inputValue()).trim()).toBe(passphrase);
      expect((await page.locator('output').textContent())?.trim()).toBe(passphrase);
      expect(await saved.getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'register with errors');
    });

    step('joins and lands on the account page', async () => {
      await page.getByLabel('I have written down my passphrase').check();
      await navigateBy(page, () => main().getByRole('button', { name: 'Join' }).click(), 200);
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
      expect(await main().getByText(pseudonym, { exact: true }).isVisible()).toBe(true);
      expect(await nav().getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
      await expectAccessible(page, 'account after joining');
    });

    step('signs out and back in with the made-up name and passphrase', async () => {
      await navigateBy(page, () => nav().getByRole('button', { name: 'Sign out' }).click(), 200);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await page.getByRole('status').textContent()).toBe('You are signed out.');

      await navigateBy(page, () => nav().getByRole('link', { name: 'Sign in' }).click(), 200, 'GET');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
      await expectAccessible(page, 'sign-in');

      await page.getByLabel('Email or made-up name').fill(pseudonym);
      await page.getByLabel('Password or passphrase').fill(passphrase);
      await navigateBy(page, () => main().getByRole('button', { name: 'Sign in' }).click(), 200);
      expect(await main().getByText(`You are signed in as ${pseudonym}.`).isVisible()).toBe(true);

      await navigateBy(page, () => nav().getByRole('link', { name: 'Your account' }).click(), 200, 'GET');
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(await main().getByText(pseudonym, { exact: true }).isVisible()).toBe(true);
    });

    step('switches to Arabic, right to left', async () => {
      const languages = page.getByRole('form', { name: 'Language' });
      await navigateBy(page, () => languages.getByRole('button', { name: 'العربية' }).click(), 200);
      expect(new URL(page.url()).pathname, 'the language switch comes back to the same page').toBe('/account');
      const html = page.locator('html');
      expect(await html.getAttribute('lang')).toBe('ar');
      expect(await html.getAttribute('dir')).toBe('rtl');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('حسابك');
      expect(await page.getByRole('form', { name: 'اللغة' }).getByRole('button', { name: 'العربية' }).getAttribute('aria-pressed')).toBe('true');
      expect(await main().getByText(pseudonym, { exact: true }).isVisible()).toBe(true);

      // Right to left in fact, not only in markup: the heading starts at the right edge,
      // and nothing is wider than a small phone.
      const viewport = page.viewportSize()!;
      const heading = await textBox(main().getByRole('heading', { level: 1 }));
      const name = await textBox(main().getByText(pseudonym, { exact: true }));
      const brand = (await page.getByRole('link', { name: 'Northstar', exact: true }).boundingBox())!;
      expect(viewport.width - heading.right, 'the heading starts at the right edge').toBeLessThan(40);
      expect(heading.left, 'the heading is not at the left edge').toBeGreaterThan(viewport.width / 2);
      expect(name.left >= 0 && name.right <= viewport.width, 'the made-up name is on screen').toBe(true);
      expect(viewport.width - (brand.x + brand.width), 'the brand is at the right of the header').toBeLessThan(40);
      const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(pageWidth, 'no sideways scrolling of the page on a 360px phone').toBeLessThanOrEqual(viewport.width);

      if (javaScriptEnabled) await page.screenshot({ path: SCREENSHOT, fullPage: true });
      await expectAccessible(page, 'account in Arabic');
    });

    step('signs out in Arabic and shows the home page', async () => {
      await navigateBy(page, () => nav('القائمة الرئيسية').getByRole('button', { name: 'تسجيل الخروج' }).click(), 200);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('مرحبًا بك في Northstar');
      expect(await page.getByRole('status').textContent()).toBe('تم تسجيل خروجك.');
      expect(await nav('القائمة الرئيسية').getByRole('link', { name: 'تسجيل الدخول' }).isVisible()).toBe(true);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await expectAccessible(page, 'home in Arabic');
    });
  });

  /**
   * The membership journey: an organisation applies (a mistake first), the convener approves,
   * its contact accepts the emailed invitation, edits the profile and hides a field from the
   * public; the organisation then shows in the directory, the matrix and the map.
   */
  describe.each([true, false])('joining the directory — JavaScript enabled: %s', (javaScriptEnabled) => {
    const suffix = javaScriptEnabled ? 'Jade' : 'Nova';
    const orgName = `Lake Kivu ${suffix} Listening Circle`;
    const slug = `lake-kivu-${suffix.toLowerCase()}-listening-circle`;
    const contact = `contact.${suffix.toLowerCase()}@example.org`;
    const contexts: BrowserContext[] = [];
    let visitor: Page;
    let convenerPage: Page;
    let contactPage: Page;

    async function newPage(): Promise<Page> {
      const context = await browser!.newContext({ javaScriptEnabled, viewport: { width: 360, height: 740 }, locale: 'en-GB', baseURL: baseUrl });
      if (!javaScriptEnabled) withoutScripts.add(context);
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return context.newPage();
    }

    beforeAll(async () => {
      const version = await t!.platform.db.selectFrom('terms_versions').select('version').executeTakeFirst();
      if (!version) await t!.platform.db.transaction().execute((trx) => membershipRepo.insertTerms(trx, { version: 1, body: '# Terms of reference\n\nWe work to prevent atrocities.', created_by: null }));
      visitor = await newPage();
      convenerPage = await newPage();
      contactPage = await newPage();
      const convener = await createPerson(t!, 'convener');
      await convenerPage.goto('/sign-in');
      await convenerPage.getByLabel('Email or made-up name').fill(convener.identifier);
      await convenerPage.getByLabel('Password or passphrase').fill(convener.password);
      await navigateBy(convenerPage, () => convenerPage.getByRole('main').getByRole('button', { name: 'Sign in' }).click(), 200);
    }, TIMEOUT);

    afterAll(async () => {
      for (const context of contexts) await context.close();
    }, TIMEOUT);

    const step = steps();

    step('applies to join: a mistake first, then for real', async () => {
      await visitor.goto('/directory');
      await expectAccessible(visitor, 'directory');
      await navigateBy(visitor, () => visitor.getByRole('main').getByRole('link', { name: 'Apply to join the network' }).click(), 200, 'GET');
      await expectAccessible(visitor, 'apply');
      const main = visitor.getByRole('main');
      await main.getByLabel('Name of the organisation').fill(orgName);
      await main.getByRole('textbox', { name: 'Mission' }).fill('Young people from the Kivu region record family memories and run school workshops.');
      await main.getByRole('textbox', { name: 'Website' }).fill(`${suffix.toLowerCase()}.kivu.example.org`);
      await main.getByRole('textbox', { name: 'Year founded' }).fill('2016');
      await tick(main, 'Countries of focus', ['COD', 'RWA']);
      await main.getByRole('group', { name: 'Who you reach' }).getByLabel('Young people').check();
      await main.getByLabel('Your name').fill(`Amani ${suffix}`);
      await main.getByLabel('Your email address').fill(contact);
      await main.getByLabel('How does your organisation meet the terms of reference?').fill('We teach the history of mass violence to prevent it.');
      await main.getByLabel(/I have read version \d+ of the terms of reference/).check();
      await navigateBy(visitor, () => main.getByRole('button', { name: 'Send the application' }).click(), 400);
      const summary = visitor.getByRole('alert');
      expect(await summary.getByRole('link', { name: 'Choose at least one activity.' }).count()).toBe(1);
      expect(await main.getByLabel('Name of the organisation').inputValue(), 'nothing typed is lost').toBe(orgName);
      expect(await ticked(main, 'Countries of focus')).toEqual(['COD', 'RWA']);
      await expectAccessible(visitor, 'apply with errors');

      await main.getByRole('group', { name: 'Activities' }).getByLabel('Memorialisation').check();
      await main.getByRole('group', { name: 'Activities' }).getByLabel('Education').check();
      await main.getByLabel(/I have read version \d+ of the terms of reference/).check();
      await navigateBy(visitor, () => main.getByRole('button', { name: 'Send the application' }).click(), 200);
      expect(new URL(visitor.url()).pathname).toBe('/apply/sent');
      expect(await visitor.getByRole('heading', { level: 1 }).textContent()).toBe('Application sent');
    });

    step('the convener approves it from the review queue', async () => {
      await convenerPage.goto('/applications');
      await expectAccessible(convenerPage, 'review queue');
      await navigateBy(convenerPage, () => convenerPage.getByRole('main').getByRole('link', { name: orgName }).click(), 200, 'GET');
      await expectAccessible(convenerPage, 'application');
      const main = convenerPage.getByRole('main');
      await main.getByRole('group', { name: 'Decision' }).getByLabel('Approve').check();
      await main.getByLabel('Reason').fill('Welcome: your education work fills a gap in the network.');
      await navigateBy(convenerPage, () => main.getByRole('button', { name: 'Record the decision' }).click(), 200);
      expect(new URL(convenerPage.url()).pathname).toBe(`/directory/${slug}`);
      expect(await convenerPage.getByRole('status').textContent()).toContain('Approved');
    });

    step('the contact accepts the emailed invitation and edits the profile', async () => {
      const mail = await t!.platform.db
        .selectFrom('mail_messages')
        .select('body_text')
        .where('recipient', '=', contact)
        .where('subject', '=', 'You are invited to Northstar')
        .executeTakeFirstOrThrow();
      const link = new URL(/https?:\/\/\S+\/invitations\/\S+/.exec(mail.body_text)![0]);
      await contactPage.goto(link.pathname);
      await expectAccessible(contactPage, 'invitation');
      await contactPage.getByLabel('Your name').fill(`Amani ${suffix}`);
      await contactPage.getByLabel('New password').fill('a long and private sentence 42');
      await navigateBy(contactPage, () => contactPage.getByRole('main').getByRole('button', { name: 'Accept and create my account' }).click(), 200);
      expect(new URL(contactPage.url()).pathname).toBe('/account');

      await contactPage.goto(`/directory/${slug}`);
      await navigateBy(contactPage, () => contactPage.getByRole('main').getByRole('link', { name: 'Edit this profile' }).click(), 200, 'GET');
      await expectAccessible(contactPage, 'edit profile');
      const main = contactPage.getByRole('main');
      await main.getByRole('textbox', { name: 'Mission' }).fill('Young people from the Kivu region record **family memories** and run school workshops on the roots of mass violence.');
      await main.getByRole('group', { name: 'Show only to network members' }).getByLabel('Year founded').check();
      await navigateBy(contactPage, () => main.getByRole('button', { name: 'Save the profile' }).click(), 200);
      expect(await contactPage.getByRole('status').textContent()).toBe('The profile is saved.');
      expect(await contactPage.getByText('2016').count(), 'members still see the hidden field').toBeGreaterThan(0);
    });

    step('the organisation is in the directory, the matrix and the map; the hidden field is not shown to the public', async () => {
      await visitor.goto(`/directory?q=${encodeURIComponent(`kivu ${suffix}`)}`);
      await navigateBy(visitor, () => visitor.getByRole('main').getByRole('link', { name: orgName }).click(), 200, 'GET');
      expect(await visitor.getByRole('heading', { level: 1 }).textContent()).toContain(orgName);
      expect(await visitor.getByRole('main').textContent()).toContain('school workshops on the roots of mass violence');
      expect(await visitor.getByRole('main').textContent(), 'the members-only year is not shown').not.toContain('2016');
      expect(await visitor.getByRole('main').textContent()).not.toContain('Year founded');
      await expectAccessible(visitor, 'profile');

      await visitor.goto('/map');
      await expectAccessible(visitor, 'sector map');
      const cell = visitor.locator('a[href="/directory?activity=memorialisation&stakeholder=young_people"]').first();
      expect(await cell.count(), 'a matrix square for memorialisation × young people').toBe(1);
      const country = visitor.locator('a[href="/directory?country=COD"]').first();
      expect(await country.count(), 'DR Congo is on the map').toBe(1);
      await navigateBy(visitor, () => cell.click(), 200, 'GET');
      expect(await visitor.getByRole('main').getByRole('link', { name: orgName }).count()).toBe(1);
    });

    step('reads the directory and the map in Arabic, right to left', async () => {
      await visitor.goto('/directory');
      const languages = visitor.getByRole('form', { name: 'Language' });
      await navigateBy(visitor, () => languages.getByRole('button', { name: 'العربية' }).click(), 200);
      expect(await visitor.locator('html').getAttribute('dir')).toBe('rtl');
      const heading = await textBox(visitor.getByRole('main').getByRole('heading', { level: 1 }));
      expect(visitor.viewportSize()!.width - heading.right, 'the heading starts at the right edge').toBeLessThan(40);
      await expectAccessible(visitor, 'directory in Arabic');
      await visitor.goto('/map');
      expect(await visitor.locator('html').getAttribute('dir')).toBe('rtl');
      await expectAccessible(visitor, 'sector map in Arabic');
    });
  });
  /**
   * Early warning: two organisations record and corroborate signs on one country, the heat grid
   * and the map change, an alert is proposed, confirmed by the second organisation, delivered to
   * a subscriber through the job queue, answered and closed.
   */
  describe.each([true, false])('early warning — JavaScript enabled: %s', (javaScriptEnabled) => {
    const country = javaScriptEnabled ? 'KEN' : 'TZA';
    const countryName = javaScriptEnabled ? 'Kenya' : 'Tanzania';
    const contexts: BrowserContext[] = [];
    let pageA: Page;
    let pageB: Page;
    let subscriber: Awaited<ReturnType<typeof createPerson>>;
    let signA = '';

    const signedInPage = (person: { identifier: string; password: string }) => signedInPageFor(person, contexts, javaScriptEnabled);

    beforeAll(async () => {
      const db = t!.platform.db;
      const org = async (name: string) => (await createOrganisationRow(name)).id;
      const createOrganisationRow = (name: string) =>
        db.insertInto('organisations').values({ name, slug: `${name.toLowerCase().replace(/[^a-z]+/g, '-')}-${country.toLowerCase()}` }).returning('id').executeTakeFirstOrThrow();
      const a = await org(`Coast Monitors ${country}`);
      const b = await org(`Lakeside Rights ${country}`);
      const c = await org(`Observers ${country}`);
      pageA = await signedInPage(await createPerson(t!, 'member', { organisationId: a }));
      pageB = await signedInPage(await createPerson(t!, 'member', { organisationId: b }));
      subscriber = await createPerson(t!, 'member', { organisationId: c });
      await db.insertInto('alert_subscriptions').values({ person_id: subscriber.id, countries: [country], factor_codes: [], min_severity: 'moderate' }).execute();
    }, TIMEOUT);

    afterAll(async () => {
      for (const context of contexts) await context.close();
    }, TIMEOUT);

    const step = steps();
    const observed = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);

    async function recordSign(page: Page, description: string, indicator: string): Promise<string> {
      await page.goto('/signs/new');
      await expectAccessible(page, 'record a sign');
      const main = page.getByRole('main');
      await main.getByRole('combobox', { name: 'Country' }).selectOption(country);
      await main.getByLabel('Area within the country (optional)').fill('Coast region');
      await main.getByLabel('Date observed').fill(observed);
      await main.locator('summary', { hasText: /^\s*7\./ }).click();
      await main.locator(`input[name="indicators"][value="${indicator}"]`).check();
      await main.getByRole('textbox', { name: 'What happened' }).fill(description);
      await main.getByLabel(/Network: staff of member organisations/).check();
      await navigateBy(page, () => main.getByRole('button', { name: 'Record the sign' }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe('The warning sign is recorded.');
      await expectAccessible(page, 'warning sign');
      return new URL(page.url()).pathname.split('/').pop() as string;
    }

    async function corroborate(page: Page, id: string, body: string) {
      await page.goto(`/signs/${id}`);
      const main = page.getByRole('main');
      await main.getByLabel('We corroborate it: we have seen the same').check();
      await main.getByRole('textbox', { name: 'Your comment' }).fill(body);
      await navigateBy(page, () => main.getByRole('button', { name: 'Send' }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe('Your review is recorded.');
    }

    step('two organisations record signs on one country and corroborate each other; the grid and the map change', async () => {
      await pageA.goto(`/countries/${country}`);
      const cellsBefore = await pageA.locator('svg.matrix a').count();
      await pageA.goto('/countries');
      expect(await pageA.locator(`a[href="/countries/${country}"]`).count(), 'not on the map before').toBe(0);

      signA = await recordSign(pageA, 'Armed men registering fishermen by ethnicity at the landing sites.', '7.4');
      const signB = await recordSign(pageB, 'Local radio calls for a community to be driven out before the vote.', '7.1');
      await corroborate(pageB, signA, 'Our monitors saw the same registrations.');
      await corroborate(pageA, signB, 'We heard the broadcast too.');

      await pageA.goto(`/countries/${country}`);
      await expectAccessible(pageA, 'country picture');
      expect(await pageA.getByRole('heading', { level: 1 }).textContent()).toBe(countryName);
      expect(await pageA.locator('svg.matrix a').count(), 'heat grid squares for the new signs').toBeGreaterThan(cellsBefore);
      expect(await pageA.getByRole('main').textContent()).toContain('2 new signs');
      await pageA.goto('/countries');
      await expectAccessible(pageA, 'countries map');
      expect(await pageA.locator(`a[href="/countries/${country}"]`).count(), 'shaded and linked on the map').toBeGreaterThan(0);
    });

    step('an alert is proposed, cannot go out on one organisation\'s word, and is confirmed by the second', async () => {
      await pageA.goto(`/signs/${signA}`);
      await navigateBy(pageA, () => pageA.getByRole('main').getByRole('link', { name: 'Propose an alert from this sign' }).click(), 200, 'GET');
      await expectAccessible(pageA, 'propose an alert');
      const main = pageA.getByRole('main');
      expect(await main.locator(`input[name="signs"][value="${signA}"]`).isChecked(), 'the sign is already chosen').toBe(true);
      await main.getByRole('group', { name: 'Severity' }).getByLabel('High').check();
      await main.getByRole('textbox', { name: 'What is happening' }).fill('Registration of a community by armed men ahead of the vote.');
      await main.getByRole('group', { name: 'Proposed actions' }).getByLabel('Joint statement').check();
      await navigateBy(pageA, () => main.getByRole('button', { name: 'Propose the alert' }).click(), 200);
      expect(await pageA.getByRole('main').textContent()).toContain('This alert has not gone out.');
      expect(await pageA.getByRole('main').getByRole('button', { name: 'Confirm and send' }).count(), 'the proposer cannot confirm').toBe(0);
      await expectAccessible(pageA, 'proposed alert');
      const alertPath = new URL(pageA.url()).pathname;

      await pageB.goto(alertPath);
      await navigateBy(pageB, () => pageB.getByRole('main').getByRole('button', { name: 'Confirm and send' }).click(), 200);
      expect(await pageB.getByRole('status').textContent()).toContain('confirmed');

      // Delivered through the queue: the subscriber's mail is in the outbox within seconds.
      let mail: { subject: string } | undefined;
      for (let i = 0; i < 40 && !mail; i++) {
        mail = await t!.platform.db.selectFrom('mail_messages').select('subject').where('recipient', '=', subscriber.identifier).executeTakeFirst();
        if (!mail) await new Promise((r) => setTimeout(r, 250));
      }
      expect(mail?.subject).toContain(`High, ${countryName}`);
    });

    step('members respond and the proposer closes it with an outcome', async () => {
      const alertPath = new URL(pageB.url()).pathname;
      const main = pageB.getByRole('main');
      await main.getByRole('group', { name: 'Your response' }).getByLabel('We will act').check();
      await main.getByRole('textbox', { name: 'What you will do, or your comment' }).fill('We will brief the electoral commission.');
      await navigateBy(pageB, () => main.getByRole('button', { name: 'Send the response' }).click(), 200);
      expect(await pageB.getByRole('main').textContent()).toContain('1 organisation will act');
      await expectAccessible(pageB, 'alert with a response');

      await pageA.goto(alertPath);
      await pageA.getByRole('main').getByRole('textbox', { name: 'Outcome' }).fill('Statement issued; registrations stopped.');
      await navigateBy(pageA, () => pageA.getByRole('main').getByRole('button', { name: 'Close with this outcome' }).click(), 200);
      expect(await pageA.getByRole('status').textContent()).toBe('The alert is closed.');
      expect(await pageA.getByRole('main').textContent()).toContain('Statement issued; registrations stopped.');
    });
  });

  /**
   * Diaspora engagement: an organisation drafts a consultation, is stopped from opening it until
   * expectations and "who is missing" are filled in, opens it; three participants join (on a
   * phone-sized screen, one in Arabic); the organiser records participation and payment, closes
   * it, cannot close the loop until feedback is published; participants are told; the track
   * record and the community's fatigue view change.
   */
  describe.each([true, false])('diaspora engagement — JavaScript enabled: %s', (javaScriptEnabled) => {
    const suffix = javaScriptEnabled ? 'J' : 'N';
    const title = `Listening session on the advocacy plan ${suffix}`;
    const orgName = `Witness Collective ${suffix}`;
    const contexts: BrowserContext[] = [];
    let organiser: Page;
    const joiners: { page: Page; person: Awaited<ReturnType<typeof createPerson>> }[] = [];
    let communityId = '';
    let arabicEmail = '';

    const signedInPage = (person: { identifier: string; password: string }, viewport?: { width: number; height: number }) => signedInPageFor(person, contexts, javaScriptEnabled, viewport);

    beforeAll(async () => {
      const db = t!.platform.db;
      const org = await db.insertInto('organisations').values({ name: orgName, slug: `witness-collective-${suffix.toLowerCase()}` }).returning('id').executeTakeFirstOrThrow();
      const staff = await createPerson(t!, 'member', { organisationId: org.id });
      communityId = await t!.services.communities.create(
        { kind: 'person', id: staff.id, displayName: 'Staff', networkRole: 'member', memberships: [{ organisationId: org.id, role: 'staff', name: 'Staff organisation' }], locale: null },
        { name: `Eritrean diaspora in the Netherlands ${suffix}`, dimensions: 'Age band: 18–29, 30–49, 50 and over', languages: ['ti', 'ar', 'en'] },
      );
      organiser = await signedInPage(staff, { width: 1280, height: 900 });
      for (let i = 0; i < 3; i++) {
        const person = await createPerson(t!, 'participant');
        if (i === 1) {
          arabicEmail = `reader.${suffix.toLowerCase()}@example.org`;
          await db.updateTable('people').set({ locale: 'ar', email: arabicEmail }).where('id', '=', person.id).execute();
        }
        joiners.push({ person, page: await signedInPage(person) });
      }
    }, TIMEOUT);

    afterAll(async () => {
      for (const context of contexts) await context.close();
    }, TIMEOUT);

    const step = steps();
    let consultationPath = '';

    step('a draft cannot open until participants are told what to expect and who is missing', async () => {
      await organiser.goto('/consultations/new');
      await expectAccessible(organiser, 'plan a consultation');
      const main = organiser.getByRole('main');
      await main.getByRole('textbox', { name: 'Title' }).fill(title);
      await tick(main, 'Communities asked', [communityId]);
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Save and open' }).click(), 400);
      expect(await organiser.getByRole('alert').textContent()).toContain('It cannot open yet');
      expect(await main.getByRole('textbox', { name: 'Title' }).inputValue(), 'the form is kept').toBe(title);
      await expectAccessible(organiser, 'consultation form with errors');
      await main.getByRole('textbox', { name: 'What it is for' }).fill('Hear what the community wants in our advocacy plan.');
      await main.getByRole('textbox', { name: 'The decision it informs' }).fill('Which issues come first in the plan.');
      await main.getByRole('textbox', { name: 'Who takes that decision' }).fill('Our board, in March.');
      await main.getByRole('textbox', { name: 'What can change as a result' }).fill('The order of the issues.');
      await main.getByRole('textbox', { name: 'What cannot change' }).fill('The budget.');
      await tick(main, 'Languages', ['ti', 'en']);
      await main.getByRole('textbox', { name: 'Amount' }).fill('30');
      await main.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
      await main.getByRole('textbox', { name: 'Basis' }).fill('per session');
      await main.getByRole('textbox', { name: 'Who is missing' }).fill('People over 50 outside Amsterdam.');
      await main.getByRole('textbox', { name: 'Why they are missing' }).fill('Travel costs and evening sessions.');
      await main.getByRole('textbox', { name: 'What we will do about it' }).fill('A daytime session in Rotterdam, travel paid.');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Save and open' }).click(), 200);
      expect(await organiser.getByRole('status').textContent()).toBe('The consultation is open.');
      await expectAccessible(organiser, 'open consultation (organiser)');
      consultationPath = new URL(organiser.url()).pathname;
    });

    step('three participants join on a phone, one in Arabic, right to left', async () => {
      for (const [i, { page }] of joiners.entries()) {
        await page.goto(consultationPath);
        if (i === 1) {
          expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
          expect(await page.locator('html').getAttribute('lang')).toBe('ar');
        } else {
          expect(await page.getByRole('main').textContent()).toContain('The budget.');
        }
        await expectAccessible(page, `consultation for participant ${i + 1}`);
        if (i === 0) await page.locator('input[name="visible"]').check();
        await navigateBy(page, () => page.locator(`form[action="${consultationPath}/join"] button`).click(), 200);
        expect(await page.getByRole('status').count()).toBe(1);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling on a phone').toBeLessThanOrEqual(360);
      }
    });

    step('the organiser records participation and payment, closes, and must publish feedback to close the loop', async () => {
      await organiser.goto(consultationPath);
      const main = organiser.getByRole('main');
      await main.getByRole('combobox', { name: 'Participant' }).selectOption(joiners[0]!.person.id);
      await main.getByRole('textbox', { name: 'Hours' }).fill('2');
      await main.getByRole('textbox', { name: 'Amount agreed' }).fill('30');
      await main.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Record', exact: true }).click(), 200);
      await main.getByRole('textbox', { name: 'How' }).fill('bank transfer');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Mark as paid' }).click(), 200);
      expect(await organiser.getByRole('status').textContent()).toBe('Payment recorded.');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Close the consultation' }).click(), 200);
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Publish and tell participants' }).click(), 400);
      expect(await organiser.getByRole('alert').textContent()).toContain('There is a problem');
      await expectAccessible(organiser, 'feedback refused');
      await main.getByRole('textbox', { name: 'What we heard' }).fill('Detention of relatives back home worries people most.');
      await main.getByRole('textbox', { name: 'What we did or decided' }).fill('It now leads our plan.');
      await main.getByRole('textbox', { name: 'What we did not do, and why' }).fill('No media campaign: people asked us not to.');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Publish and tell participants' }).click(), 200);
      expect(await organiser.getByRole('status').textContent()).toContain('Feedback published');
    });

    step('participants are told; the track record and the fatigue view change', async () => {
      const mail = await t!.platform.db.selectFrom('mail_messages').select(['subject', 'body_text']).where('recipient', '=', arabicEmail).executeTakeFirst();
      expect(mail?.body_text).toContain('It now leads our plan.');
      const paid = joiners[0]!.page;
      await paid.goto('/consultations/mine');
      await expectAccessible(paid, 'my consultations and payments');
      // Totals per currency used: euros only, no pounds nobody was paid in.
      expect(await paid.getByRole('main').textContent()).toContain('In Euro: owed to you €0.00, paid to you €30.00.');
      expect(await paid.getByRole('main').textContent()).not.toContain('£');
      await paid.goto(consultationPath);
      expect(await paid.getByRole('main').textContent()).toContain('You said, we did');
      await organiser.goto('/consultations/track-record');
      await expectAccessible(organiser, 'track record');
      expect(await organiser.getByRole('row', { name: new RegExp(orgName) }).textContent()).toContain('1 of 1 (100%)');
      await organiser.goto(`/communities/${communityId}`);
      await expectAccessible(organiser, 'community with fatigue view');
      expect(await organiser.getByRole('row', { name: /Last 3 months/ }).textContent()).toContain(orgName);
    });

    step('paid work: a participant opts in (in Arabic), the organiser posts, a participant on a phone applies and is paid', async () => {
      const arabic = joiners[1]!.page;
      await arabic.goto('/opportunities/preferences');
      expect(await arabic.locator('html').getAttribute('dir')).toBe('rtl');
      await expectAccessible(arabic, 'work preferences (Arabic)');
      await arabic.locator('input[name="notify"]').check();
      await arabic.locator('input[name="skills"][value="translation"]').check();
      await navigateBy(arabic, () => arabic.locator('form[action="/opportunities/preferences"] button').click(), 200);
      expect(await arabic.getByRole('status').count()).toBe(1);

      await organiser.goto('/opportunities/new');
      await expectAccessible(organiser, 'offer paid work');
      const main = organiser.getByRole('main');
      const workTitle = `Translate our leaflet into Tigrinya ${suffix}`;
      await main.getByRole('textbox', { name: 'Title' }).fill(workTitle);
      await main.getByRole('textbox', { name: 'Pay' }).fill('-40');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Offer this work' }).click(), 400);
      expect(await organiser.getByRole('alert').textContent()).toContain('There is a problem');
      expect(await main.getByRole('textbox', { name: 'Title' }).inputValue(), 'the form is kept').toBe(workTitle);
      await expectAccessible(organiser, 'offer paid work with errors');
      await main.getByRole('textbox', { name: 'What the work is' }).fill('Two pages about our advice sessions, in plain Tigrinya.');
      await main.getByRole('textbox', { name: 'Pay' }).fill('90');
      await main.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
      await main.getByRole('radio', { name: 'for the whole job' }).check();
      await tick(main, 'Languages', ['ti', 'ar']);
      await main.getByRole('textbox', { name: 'Apply by' }).fill(new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10));
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Offer this work' }).click(), 200);
      expect(await organiser.getByRole('status').textContent()).toContain('The work is offered');
      const workPath = new URL(organiser.url()).pathname;
      const offer = await t!.platform.db.selectFrom('mail_messages').select('subject').where('recipient', '=', arabicEmail).where('subject', 'like', `%${workTitle}%`).executeTakeFirst();
      expect(offer?.subject, 'the Arabic participant who opted in is told, in Arabic').toMatch(/[\u0600-\u06FF]/);

      const phone = joiners[0]!.page;
      await phone.goto('/opportunities');
      await expectAccessible(phone, 'paid work board on a phone');
      await navigateBy(phone, () => phone.getByRole('link', { name: workTitle }).click(), 200, 'GET');
      await expectAccessible(phone, 'paid work on a phone');
      await phone.getByRole('textbox', { name: /Anything you want to tell them/ }).fill('Free on weekends.');
      await navigateBy(phone, () => phone.getByRole('button', { name: 'Apply for this work' }).click(), 200);
      expect(await phone.getByRole('status').textContent()).toContain('You applied');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling on a phone').toBeLessThanOrEqual(360);

      await organiser.goto(workPath);
      await expectAccessible(organiser, 'paid work with an applicant (organiser)');
      await main.getByRole('combobox', { name: 'Applicant' }).selectOption(joiners[0]!.person.id);
      await main.getByRole('textbox', { name: 'Amount agreed' }).fill('90');
      await main.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Give the work' }).click(), 200);
      await main.getByRole('textbox', { name: 'How' }).fill('bank transfer');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Mark as paid' }).click(), 200);
      expect(await organiser.getByRole('status').textContent()).toBe('Payment recorded.');
      await phone.goto('/consultations/mine');
      expect(await phone.getByRole('main').textContent()).toContain('paid to you €120.00');
    });

    step('a media request: training and support must be offered; only the member says yes, and can take it back', async () => {
      await organiser.goto('/media-requests');
      await expectAccessible(organiser, 'media requests');
      const main = organiser.getByRole('main');
      await main.getByRole('combobox', { name: 'Community member' }).selectOption(joiners[0]!.person.id);
      await main.getByRole('textbox', { name: 'Journalist or media outlet' }).fill(`Radio Erena ${suffix}`);
      await main.getByRole('textbox', { name: 'What they want to talk about' }).fill('Families separated by the war.');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Send the request' }).click(), 400);
      expect(await organiser.getByRole('alert').textContent()).toContain('Say what media training you offered');
      await expectAccessible(organiser, 'media request refused');
      await main.getByRole('textbox', { name: 'Media training offered' }).fill('A practice interview with our press officer.');
      await main.getByRole('textbox', { name: 'Support offered' }).fill('Someone with you at the interview.');
      await navigateBy(organiser, () => main.getByRole('button', { name: 'Send the request' }).click(), 200);
      expect(await main.textContent()).toContain('Waiting for their answer');

      const phone = joiners[0]!.page;
      await phone.goto('/consultations/mine');
      await expectAccessible(phone, 'a media request for me, on a phone');
      await navigateBy(phone, () => phone.getByRole('button', { name: 'Yes, I agree' }).click(), 200);
      expect(await phone.getByRole('main').textContent()).toContain('You said yes.');
      await navigateBy(phone, () => phone.getByRole('button', { name: 'Take my yes back' }).click(), 200);
      expect(await phone.getByRole('status').textContent()).toContain('The organisation was told');
      await organiser.goto('/media-requests');
      expect(await main.textContent()).toContain('Took their agreement back');
    });
  });

  // The drawing does not depend on the database: it runs once per CI run, on the embedded one.
  it.skipIf(!sweeping())('every page it visited fits a 360 px phone in English and Arabic, and passes axe', { timeout: 10 * TIMEOUT }, async () => {
    const { pages, drawn, list } = await everyPageFitsAPhone();
    console.info(`[e2e] ${pages} pages visited; ${drawn} drawings at 360 px not done by an earlier journey: ${list.join(', ')}`);
  });
});
