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
import { type Browser, type BrowserContext, chromium, type Locator, type Page, request, type Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/platform/i18n.ts';
import { buildTestApp, type TestApp } from '../helpers.ts';
import { serverUrl } from '../template.ts';

export const CHROMIUM = '/usr/bin/chromium';
// A step that hangs fails after this; a busy two-core machine may take a while for a long one.
export const TIMEOUT = 120_000;
// The WCAG rules and axe's best practices (landmarks, heading order, one h1, unique labels).
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
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
  // Every context the journey makes from now on is watched: each page it lands on is kept, in
  // both languages, for the phone check at the journey's end (everyPageFitsAPhone).
  const newContext = browser.newContext.bind(browser);
  if (sweeping()) browser.newContext = async (options) => watch(await newContext(options));
  running = { t, browser, auditContext, baseUrl };
  visited.length = 0;
  return running;
}

export async function stopBrowserApp(): Promise<void> {
  await running?.browser.close();
  await running?.t.close();
  running = undefined;
}

/** A page as the server sent it, in one language. */
interface Visited {
  url: string;
  method: string;
  status: number;
  lang: string;
  html: string;
}

const LOCALES = ['en', 'ar'] as const;

/** The phone drawing runs on the embedded database's run only: it does not depend on the database. */
export function sweeping(): boolean {
  return !serverUrl;
}

/** Kinds of page (with their language) drawn by an earlier journey of this run: not drawn again. */
const drawnBefore = new Set<string>();

/** What the journey's browsers were sent, or why a page could not be had in a language. */
const visited: Promise<Visited[] | string>[] = [];

/**
 * Keeps every HTML page a context lands on (after redirects, and the pages a failed form answers
 * with), and the same address in the other language as the person sees it then (`?lang=`, asked
 * at once with the same cookies, so while the state is the same). A GET only: a form is not sent
 * twice. The context waits for these before it closes.
 */
/** The captures each context has under way: a click that may change the state waits for them. */
const capturing = new WeakMap<BrowserContext, Promise<unknown>[]>();

function watch(context: BrowserContext): BrowserContext {
  const mine: Promise<unknown>[] = [];
  capturing.set(context, mine);
  context.on('response', (response) => {
    const sent = response.request();
    if (!sent.isNavigationRequest() || sent.frame().parentFrame() !== null) return;
    if (response.status() >= 300 && response.status() < 400) return;
    if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) return;
    const kept = (async (): Promise<Visited[] | string> => {
      const url = response.url();
      const html = await response.text();
      const lang = /<html lang="([a-z-]+)"/.exec(html)?.[1] ?? '?';
      const seen: Visited[] = [{ url, method: sent.method(), status: response.status(), lang, html }];
      if (sent.method() !== 'GET') return seen;
      // With a copy of the cookies, not the context's own jar: what the copy is answered with
      // (a language kept for a visitor, a CSRF secret) must not change the journey's browser.
      const copy = await request.newContext({ storageState: await context.storageState() });
      try {
        for (const other of LOCALES.filter((l) => l !== lang)) {
          const address = new URL(url);
          address.searchParams.set('lang', other);
          const again = await copy.get(address.href, { maxRedirects: 0, failOnStatusCode: false });
          if (again.status() !== response.status()) return `${url} answered ${response.status()} and then ${again.status()} in ${other}`;
          seen.push({ url: address.href, method: 'GET', status: again.status(), lang: other, html: await again.text() });
        }
      } finally {
        await copy.dispose();
      }
      return seen;
    })().catch((err: Error) => `${response.url()}: ${err.message}`);
    visited.push(kept);
    mine.push(kept);
  });
  const close = context.close.bind(context);
  context.close = async (options) => {
    await Promise.allSettled(mine);
    return close(options);
  };
  return context;
}

/** One address per page, whatever record it shows: ids and numbers in the path are alike. */
function pageOf(url: string): string {
  const { pathname } = new URL(url);
  return pathname
    .split('/')
    .map((part) => (/^[0-9a-f]{8}-[0-9a-f-]{27}$|^\d+$|^[A-Za-z0-9_-]{20,}$/.test(part) ? ':id' : part))
    .join('/');
}

/** Controls (links, buttons, fields) a person on this screen cannot reach: outside the viewport. */
async function controlsOutside(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const e of Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary'))) {
      const r = e.getBoundingClientRect();
      // A box that scrolls on its own (a named region that takes focus, with a hint on narrow
      // screens) may hold more than the screen shows: its controls are reached by scrolling it.
      if (r.width === 0 || e.closest('.skip') || e.closest('.table-wrap[tabindex="0"][aria-label]')) continue;
      if (r.right > width + 1 || r.left < -1) {
        out.push(`${e.tagName.toLowerCase()} "${(e.textContent || e.getAttribute('name') || '').trim().replace(/\s+/g, ' ').slice(0, 40)}" at ${Math.round(r.left)}–${Math.round(r.right)} px`);
      }
    }
    return out.slice(0, 8);
  });
}

/**
 * Every page the journey's browsers landed on, once per kind of page and language, drawn at
 * 360 × 740 in English and in Arabic (right to left): nothing wider than the screen, no control
 * out of reach, every id once, and axe clean (WCAG and best practice). The page is drawn from
 * the very HTML the server sent (Northstar sends no scripts), with its stylesheet.
 */
export async function everyPageFitsAPhone(): Promise<{ pages: number; drawn: number; list: string[] }> {
  const { auditContext } = current();
  const all = await Promise.all(visited);
  const problems: string[] = all.filter((v): v is string => typeof v === 'string');
  const seen = new Map<string, Visited>();
  for (const page of all.filter((v): v is Visited[] => typeof v !== 'string').flat()) {
    // The fullest visit of each page: a consultation with its payments rather than before them.
    const key = `${page.method} ${pageOf(page.url)} ${page.status} ${page.lang}`;
    if ((seen.get(key)?.html.length ?? -1) < page.html.length) seen.set(key, page);
  }
  let drawn = 0;
  const twin = await auditContext.newPage();
  await twin.setViewportSize(PHONE);
  try {
    for (const [key, page] of seen) {
      if (drawnBefore.has(key)) continue;
      drawnBefore.add(key);
      drawn += 1;
      await twin.route((u) => u.href === page.url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page.html }));
      await twin.goto(page.url);
      await twin.unrouteAll();
      const { scrollWidth, culprits } = await sideways(twin);
      if (scrollWidth > PHONE.width) problems.push(`${key}: ${scrollWidth} px wide — ${culprits.join('; ')}`);
      // The language switch on the first screen, and the page's own content not pushed below a
      // third of it by the header.
      const screen = await twin.evaluate(() => ({
        language: document.querySelector('header form.language')?.getBoundingClientRect().bottom ?? Number.POSITIVE_INFINITY,
        main: document.querySelector('main')?.getBoundingClientRect().top ?? Number.POSITIVE_INFINITY,
        height: window.innerHeight,
      }));
      if (screen.language > screen.height) problems.push(`${key}: the language switch is not on the first screen`);
      // Facts (label and value) stacked on a phone, not two columns of a few words each.
      const sideBySide = await twin.evaluate(() =>
        Array.from(document.querySelectorAll('dl.facts > dd'))
          .filter((dd) => {
            const dt = dd.previousElementSibling;
            return dt?.tagName === 'DT' && dd.getBoundingClientRect().top < dt.getBoundingClientRect().bottom - 1;
          })
          .map((dd) => (dd.previousElementSibling?.textContent ?? '').trim().slice(0, 30)),
      );
      if (sideBySide.length) problems.push(`${key}: label and value side by side — ${sideBySide.slice(0, 3).join('; ')}`);
      if (screen.main > screen.height / 3) problems.push(`${key}: the content starts ${Math.round(screen.main)} px down the screen`);
      const unreachable = await controlsOutside(twin);
      if (unreachable.length) problems.push(`${key}: out of reach — ${unreachable.join('; ')}`);
      const twice = await duplicateIds(twin);
      if (twice.length) problems.push(`${key}: ${twice.join('; ')}`);
      const results = await new AxeBuilder({ page: twin }).options({ runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] }).analyze();
      for (const v of results.violations) problems.push(`${key}: axe [${v.id}] ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    }
  } finally {
    await twin.close();
  }
  expect(problems, `pages of this journey at 360 px, in ${LOCALES.join(' and ')}`).toEqual([]);
  expect(new Set([...seen.values()].map((p) => p.lang)), 'pages drawn in both languages').toEqual(new Set(LOCALES));
  const pages = [...new Set([...seen.keys()].map((k) => k.split(' ').slice(0, 3).join(' ')))];
  return { pages: pages.length, drawn, list: pages.sort() };
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
  // On a phone, where the journey's end draws every page it visited in both languages with the
  // same rules (everyPageFitsAPhone), the page is audited there, not twice.
  if (sweeping() && page.viewportSize()?.width === PHONE.width) return;
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
  // The page just shown is first had in the other language, while the state is the same (watch).
  await Promise.allSettled(capturing.get(page.context()) ?? []);
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

/**
 * Ticks choices of a list of checkboxes (views/components MultiSelect) by their values, as a
 * person does: a long list is folded by first letter, so the letter is opened first.
 */
export async function tick(scope: Page | Locator, legend: string, values: string[], by: 'value' | 'label' = 'value'): Promise<void> {
  const group = scope.getByRole('group', { name: legend });
  for (const value of values) {
    const box = by === 'value' ? group.locator(`input[type=checkbox][value="${value}"]`) : group.getByRole('checkbox', { name: value, exact: true });
    if (!(await box.isVisible())) await box.locator('xpath=ancestor::details[1]/summary').click();
    await box.check();
  }
}

/** The values ticked in a list of checkboxes, in the order shown. */
export async function ticked(scope: Page | Locator, legend: string): Promise<string[]> {
  return scope
    .getByRole('group', { name: legend })
    .locator('input[type=checkbox]:checked')
    .evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
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
