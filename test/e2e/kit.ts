/**
 * What every browser journey needs: the app listening on a free port, Debian's chromium driven by
 * playwright-core (no downloaded browsers), axe on every page (with a twin page for browsers
 * without JavaScript), navigation that checks the status of the page one ends on, steps that stop
 * after the first failure, and a signed-in context per person.
 *
 * The state (app, browser, audit context, address) is this module's: each journey starts its own
 * app and browser in its beforeAll and stops them in its afterAll; the journeys run one after
 * another in one file (journeys.test.ts), so one is running at a time.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page, type Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/platform/i18n.ts';
import { buildTestApp, type TestApp } from '../helpers.ts';

export const CHROMIUM = '/usr/bin/chromium';
// A step that hangs fails after this; a busy two-core machine may take a while for a long one.
export const TIMEOUT = 120_000;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const PHONE = { width: 360, height: 740 };

export const haveChromium = existsSync(CHROMIUM);

/**
 * `describe` when chromium is there; otherwise a failing test on CI (a missing browser must not
 * pass for a green journey) and a skipped suite with a warning elsewhere.
 */
export function browserSuite(): typeof describe | typeof describe.skip {
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
  return haveChromium ? describe : describe.skip;
}

/** A port nobody is listening on, so PUBLIC_URL can be known before the app listens. */
export function freePort(): Promise<number> {
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

/** Where the text of an element is drawn (not its box, which spans the line). */
export async function textBox(locator: Locator): Promise<{ left: number; right: number }> {
  // A plain synchronous evaluation: it runs even where the page's own scripts are disabled.
  return locator.evaluate((element) => {
    const range = element.ownerDocument.createRange();
    range.selectNodeContents(element);
    const { left, right } = range.getBoundingClientRect();
    return { left, right };
  });
}

/**
 * What sticks out past the right (or, right to left, the left) edge of the viewport: the page's
 * scroll width, and the innermost elements and runs of text that overflow, described so that the
 * one who owns the view can find them (tag, classes, start of the text).
 */
export async function sideways(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
  // A plain synchronous evaluation: it runs even where the page's own scripts are disabled.
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = (r: DOMRect) => r.width > 0 && (r.right > width + 1 || r.left < -1);
    const describe = (e: Element) => {
      const classes = e.getAttribute('class') ? `.${(e.getAttribute('class') as string).trim().split(/\s+/).join('.')}` : '';
      const parent = e.parentElement ? `${e.parentElement.tagName.toLowerCase()} > ` : '';
      return `${parent}${e.tagName.toLowerCase()}${classes} "${(e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60)}"`;
    };
    const culprits = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim() || !node.parentElement) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      if (out(range.getBoundingClientRect())) culprits.add(`text in ${describe(node.parentElement)}`);
    }
    for (const e of Array.from(document.body.querySelectorAll('*'))) {
      if (!out(e.getBoundingClientRect())) continue;
      if (Array.from(e.children).some((c) => out(c.getBoundingClientRect()))) continue;
      culprits.add(`box of ${describe(e)} (${Math.round(e.getBoundingClientRect().width)} px wide)`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, culprits: [...culprits].slice(0, 10) };
  });
}

/**
 * Ids used more than once, with what carries them. axe's WCAG 2.2 rules no longer look for them
 * (4.1.1 is gone), yet a second `id="name"` leaves the second field without its label: every
 * `<label for>` and `aria-describedby` finds the first one only.
 */
export async function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Map<string, string[]>();
    for (const e of Array.from(document.querySelectorAll('[id]'))) {
      const what = `${e.tagName.toLowerCase()}${e.getAttribute('name') ? `[name=${e.getAttribute('name')}]` : ''}`;
      seen.set(e.id, [...(seen.get(e.id) ?? []), what]);
    }
    return [...seen].filter(([, all]) => all.length > 1).map(([id, all]) => `id="${id}" on ${all.join(', ')}`);
  });
}

/** Browser contexts made with JavaScript disabled. */
export const withoutScripts = new WeakSet<BrowserContext>();

export interface Running {
  t: TestApp;
  browser: Browser;
  /** A context with scripts on, where axe audits the pages of contexts without them. */
  auditContext: BrowserContext;
  baseUrl: string;
}

let running: Running | undefined;

function current(): Running {
  if (!running) throw new Error('startBrowserApp() has not run (call it in beforeAll)');
  return running;
}

/** The app listening on a free port (jobs running, as in production) and chromium launched. */
export async function startBrowserApp(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Jobs run, as in production: alerts reach subscribers through the queue.
  const t = await buildTestApp({ PUBLIC_URL: baseUrl, JOBS: 'true', JOB_POLLING_SECONDS: '1', ...env });
  await t.app.listen({ port, host: '127.0.0.1' });
  const address = t.app.server.address();
  expect(typeof address === 'object' && address?.port).toBe(port);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const auditContext = await browser.newContext({ javaScriptEnabled: true, locale: 'en-GB' });
  running = { t, browser, auditContext, baseUrl };
  return running;
}

export async function stopBrowserApp(): Promise<void> {
  await running?.browser.close();
  await running?.t.close();
  running = undefined;
}

/**
 * Runs axe and fails with a readable list (rule, element, what to fix) if anything is wrong.
 *
 * axe needs JavaScript (it waits on timers, which never fire when scripts are disabled). Northstar
 * serves no scripts at all, so the DOM a no-JavaScript browser builds is exactly the HTML it was
 * sent: for that browser, the very same document is audited in a twin page that may run scripts,
 * at the same address, size and stylesheet.
 */
/**
 * The pages axe found clean in this file, by what they are (the journey's name for the page),
 * width and language. The journeys run twice, with JavaScript on and off, through the same pages
 * with other records; Northstar sends no scripts (asserted on every visit, below), so the document
 * a browser without JavaScript builds is the very one a browser with it builds, and axe, which
 * judges the markup and its styles, would judge it the same the second time. Each page is
 * audited once per run: the first time it is visited (the journey with JavaScript on).
 */
const auditedClean = new Set<string>();

export async function expectAccessible(page: Page, what: string) {
  // Data blocks (schema.org JSON-LD) are not scripts that run.
  expect(await page.locator('script:not([type="application/ld+json"])').count(), `${what}: Northstar sends no scripts`).toBe(0);
  const key = `${what} @${page.viewportSize()?.width ?? 0} ${await page.locator('html').getAttribute('lang')} ${await page.locator('html').getAttribute('dir')}`;
  if (auditedClean.has(key)) return;
  await audit(page, what);
  auditedClean.add(key);
}

async function audit(page: Page, what: string) {
  let target = page;
  let twin: Page | undefined;
  if (withoutScripts.has(page.context())) {
    twin = await current().auditContext.newPage();
    await twin.setViewportSize(page.viewportSize()!);
    const url = page.url();
    const html = await page.content();
    await twin.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await twin.goto(url);
    target = twin;
  }
  try {
    // Only violations are wanted: axe then skips gathering the details of every rule that passed
    // (`options` replaces what `withTags` would set, so the tags are given here).
    const results = await new AxeBuilder({ page: target }).options({ runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] }).analyze();
    const problems = results.violations.flatMap((v) =>
      v.nodes.map((n) => `${what} [${v.id}] ${v.help} — ${n.target.join(' ')} — ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')),
    );
    expect(problems, `axe violations on ${what} (${page.url()})`).toEqual([]);
  } finally {
    await twin?.close();
  }
}

/**
 * Clicks something that submits a form or follows a link, waits for the new page, and checks
 * the status of the page the person ends up on (after any redirect).
 */
export async function navigateBy(page: Page, click: () => Promise<void>, expectedStatus: number, method: 'GET' | 'POST' = 'POST'): Promise<void> {
  const [first] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()),
    click(),
  ]);
  await page.waitForLoadState('load');
  let response: Response | null = first;
  for (let request = first.request().redirectedTo(); request; request = request.redirectedTo()) {
    response = await request.response();
  }
  const heading = await page.locator('h1').first().textContent().catch(() => null);
  expect(response?.status(), `${method} ${new URL(first.url()).pathname} ended on ${page.url()} with "${heading}"`).toBe(expectedStatus);
}

/** Steps of one visit: once a step fails, the later ones are skipped, not failed again. */
export function steps() {
  let broken = false;
  return (name: string, fn: () => Promise<void>) =>
    it(name, { timeout: TIMEOUT }, async (ctx) => {
      if (broken) ctx.skip('an earlier step failed');
      try {
        await fn();
      } catch (err) {
        broken = true;
        throw err;
      }
    });
}

/** A browser context of its own (phone-sized unless told otherwise), not signed in. */
export async function newPageFor(contexts: BrowserContext[], javaScriptEnabled: boolean, viewport = PHONE): Promise<Page> {
  const { browser, baseUrl } = current();
  const context = await browser.newContext({ javaScriptEnabled, viewport, locale: 'en-GB', baseURL: baseUrl });
  if (!javaScriptEnabled) withoutScripts.add(context);
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

/** A browser context of its own (phone-sized unless told otherwise), signed in as this person. */
export async function signedInPageFor(person: { identifier: string; password: string }, contexts: BrowserContext[], javaScriptEnabled: boolean, viewport = PHONE): Promise<Page> {
  const page = await newPageFor(contexts, javaScriptEnabled, viewport);
  await page.goto('/sign-in');
  await page.getByLabel('Email or made-up name').fill(person.identifier);
  await page.getByLabel('Password or passphrase').fill(person.password);
  await navigateBy(page, () => page.getByRole('main').getByRole('button', { name: 'Sign in' }).click(), 200);
  return page;
}

/** A catalog message, and a failure (not the key echoed back) if the key does not exist. */
export function strict(locale: 'en' | 'ar') {
  const t = translator(locale);
  return (key: string, values?: Record<string, string | number>) => {
    const text = t(key, values);
    if (text === key) throw new Error(`no message ${key} in ${locale}`);
    return text;
  };
}

/**
 * A page of a journey checked: axe clean (a hard failure); every id once only and no sideways
 * scrolling on the 360 px phone (soft: the page is named with what is wrong, the journey goes on).
 */
export async function checked(page: Page, what: string): Promise<void> {
  await expectAccessible(page, what);
  const where = `${what} (${new URL(page.url()).pathname})`;
  expect.soft(await duplicateIds(page), `${where}: ids used twice leave fields without their label`).toEqual([]);
  const { scrollWidth, culprits } = await sideways(page);
  expect.soft(scrollWidth > PHONE.width ? { scrollWidth, culprits } : undefined, `${where}: no sideways scrolling on a 360 px phone`).toBeUndefined();
}
