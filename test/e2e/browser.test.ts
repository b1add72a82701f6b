/**
 * The whole path a community member takes, in a real browser, with and without JavaScript:
 * home → join (a mistake first, then for real) → account → sign out → sign in → Arabic → sign out.
 * Every page on the way must pass axe (WCAG 2.2 AA rules) with no violations.
 *
 * Needs Debian's chromium at /usr/bin/chromium (playwright-core drives it; no downloaded browsers).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT = 60_000;
const SCREENSHOT = '/tmp/northstar-ar.png';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) {
  if (process.env.CI) {
    describe('browser end-to-end', () => {
      it('needs chromium', () => {
        throw new Error(`${CHROMIUM} is missing — install chromium: apt-get install -y chromium`);
      });
    });
  } else {
    console.warn(`[e2e] ${CHROMIUM} not found: skipping the browser tests (install chromium: apt-get install -y chromium)`);
  }
}

const suite = haveChromium ? describe : describe.skip;

/** A port nobody is listening on, so PUBLIC_URL can be known before the app listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') return reject(new Error('no port'));
      server.close(() => resolve(address.port));
    });
  });
}

/** Runs axe and fails with a readable list (rule, element, what to fix) if anything is wrong. */
async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const problems = results.violations.flatMap((v) =>
    v.nodes.map((n) => `${what} [${v.id}] ${v.help} — ${n.target.join(' ')} — ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')),
  );
  expect(problems, `axe violations on ${what} (${page.url()})`).toEqual([]);
}

/**
 * Clicks something that submits a form or follows a link, waits for the new page, and answers
 * the status of the page the person ends up on (after any redirect).
 */
async function navigateBy(page: Page, click: () => Promise<void>, method: 'GET' | 'POST' = 'POST'): Promise<number> {
  const [first] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()),
    click(),
  ]);
  await page.waitForLoadState('load');
  let response: Response | null = first;
  for (let request = first.request().redirectedTo(); request; request = request.redirectedTo()) {
    response = await request.response();
  }
  return response?.status() ?? 0;
}

let t: TestApp | undefined;
let browser: Browser | undefined;
let baseUrl = '';

suite('browser end-to-end', () => {
  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    t = await buildTestApp({ PUBLIC_URL: baseUrl });
    await t.app.listen({ port, host: '127.0.0.1' });
    const address = t.app.server.address();
    expect(typeof address === 'object' && address?.port).toBe(port);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
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
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
    }, TIMEOUT);

    afterAll(async () => {
      await context?.close();
    }, TIMEOUT);

    const main = () => page.getByRole('main');
    const nav = () => page.getByRole('navigation', { name: 'Main' });

    it('shows the home page', { timeout: TIMEOUT }, async () => {
      const response = await page.goto('/');
      expect(response?.status()).toBe(200);
      await expect(page.title()).resolves.toBe('Welcome to Northstar · Northstar');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Welcome to Northstar');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
      await expectAccessible(page, 'home');
    });

    it('keeps what was typed and explains the problem when the passphrase box is not ticked', { timeout: TIMEOUT }, async () => {
      expect(await navigateBy(page, () => main().getByRole('link', { name: 'Join as a community member' }).click(), 'GET')).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/register');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Join as a community member');

      passphrase = (await page.locator('input[type=hidden][name=passphrase]').inputValue()).trim();
      expect(passphrase.split(/\s+/).length, 'a passphrase of several words').toBeGreaterThanOrEqual(4);
      const shown = page.locator('output');
      expect((await shown.textContent())?.trim(), 'the passphrase is shown to the person').toBe(passphrase);
      expect(await shown.isVisible()).toBe(true);
      await expectAccessible(page, 'register');

      await page.getByLabel('Made-up name').fill(pseudonym);
      const saved = page.getByLabel('I have written down my passphrase');
      expect(await saved.isChecked()).toBe(false);
      expect(await navigateBy(page, () => main().getByRole('button', { name: 'Join' }).click())).toBe(400);

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

    it('joins and lands on the account page', { timeout: TIMEOUT }, async () => {
      await page.getByLabel('I have written down my passphrase').check();
      expect(await navigateBy(page, () => main().getByRole('button', { name: 'Join' }).click())).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
      expect(await main().getByText(pseudonym, { exact: true }).isVisible()).toBe(true);
      expect(await nav().getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
      await expectAccessible(page, 'account after joining');
    });

    it('signs out and back in with the made-up name and passphrase', { timeout: TIMEOUT }, async () => {
      expect(await navigateBy(page, () => nav().getByRole('button', { name: 'Sign out' }).click())).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await page.getByRole('status').textContent()).toBe('You are signed out.');

      expect(await navigateBy(page, () => nav().getByRole('link', { name: 'Sign in' }).click(), 'GET')).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
      await expectAccessible(page, 'sign-in');

      await page.getByLabel('Email or made-up name').fill(pseudonym);
      await page.getByLabel('Password or passphrase').fill(passphrase);
      expect(await navigateBy(page, () => main().getByRole('button', { name: 'Sign in' }).click())).toBe(200);
      expect(await main().getByText(`You are signed in as ${pseudonym}.`).isVisible()).toBe(true);

      expect(await navigateBy(page, () => nav().getByRole('link', { name: 'Your account' }).click(), 'GET')).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/account');
      expect(await main().getByText(pseudonym, { exact: true }).isVisible()).toBe(true);
    });

    it('switches to Arabic, right to left', { timeout: TIMEOUT }, async () => {
      const languages = page.getByRole('form', { name: 'Language' });
      expect(await navigateBy(page, () => languages.getByRole('button', { name: 'العربية' }).click())).toBe(200);
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
      const heading = (await main().getByRole('heading', { level: 1 }).boundingBox())!;
      const brand = (await page.getByRole('link', { name: 'Northstar', exact: true }).boundingBox())!;
      expect(viewport.width - (heading.x + heading.width), 'h1 hugs the right edge').toBeLessThan(40);
      expect(heading.x, 'h1 does not start at the left').toBeGreaterThan(viewport.width / 3);
      expect(brand.x + brand.width, 'brand on the right').toBeGreaterThan(viewport.width - 60);
      const pageBox = (await page.locator('body').boundingBox())!;
      expect(pageBox.width, 'no sideways scrolling on a 360px phone').toBeLessThanOrEqual(viewport.width);

      await expectAccessible(page, 'account in Arabic');
      if (javaScriptEnabled) await page.screenshot({ path: SCREENSHOT, fullPage: true });
    });

    it('signs out in Arabic and shows the home page', { timeout: TIMEOUT }, async () => {
      expect(await navigateBy(page, () => nav().getByRole('button', { name: 'تسجيل الخروج' }).click())).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('مرحبًا بك في Northstar');
      expect(await page.getByRole('status').textContent()).toBe('تم تسجيل خروجك.');
      expect(await nav().getByRole('link', { name: 'تسجيل الدخول' }).isVisible()).toBe(true);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await expectAccessible(page, 'home in Arabic');
    });

    it('answers an unknown address with a 404 page', { timeout: TIMEOUT }, async () => {
      // Back to English for this one, in the same browser.
      expect(await navigateBy(page, () => page.getByRole('form', { name: 'اللغة' }).getByRole('button', { name: 'English' }).click())).toBe(200);
      const response = await page.goto('/no-such-page');
      expect(response?.status()).toBe(404);
      expect(await main().getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
      expect(await page.title()).toContain('Page not found');
      expect(await main().getByRole('link', { name: 'Go to the home page' }).isVisible()).toBe(true);
      await expectAccessible(page, '404');
    });
  });
});
