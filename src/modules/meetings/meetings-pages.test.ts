/**
 * The meetings core in a real browser with JavaScript off, on a 360 px phone: convene through the
 * form (a refused end time first), schedule, reply, check in, set one's time zone; the same
 * meeting page in Arabic, right to left; a visitor on the public page. Every page passes axe and
 * none scrolls sideways.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { expectAccessible, navigateBy, PHONE, sideways, signedInPageFor, newPageFor, startBrowserApp, steps, stopBrowserApp } from '../../../test/e2e/kit.ts';
import { browserSuite } from '../../../test/e2e/kit.ts';
import { createOrganisation, createPerson, type TestApp, type TestPerson } from '../../../test/helpers.ts';
import { translator } from '../../platform/i18n.ts';

const suite = browserSuite();
const en = translator('en');
const ar = translator('ar');
const year = new Date().getUTCFullYear() + 1;

async function checked(page: Page, what: string) {
  await expectAccessible(page, what);
  const { scrollWidth, culprits } = await sideways(page);
  expect(scrollWidth, `${what}: no sideways scrolling at 360 px (${culprits.join(', ')})`).toBeLessThanOrEqual(PHONE.width);
}

suite('meetings core pages, JavaScript off', () => {
  let t: TestApp;
  const contexts: BrowserContext[] = [];
  let lead: TestPerson;
  let staff: TestPerson;
  let arabic: TestPerson;
  let leadPage: Page;
  let meetingUrl = '';
  const step = steps();

  beforeAll(async () => {
    ({ t } = await startBrowserApp());
    const L = await createOrganisation(t, 'Lead organisation for the meetings journey');
    const A = await createOrganisation(t, 'Second organisation for the meetings journey');
    lead = await createPerson(t, 'org_admin', { organisationId: L.id });
    staff = await createPerson(t, 'member', { organisationId: A.id });
    arabic = await createPerson(t, 'member', { organisationId: A.id });
    await t.platform.db.updateTable('people').set({ locale: 'ar' }).where('id', '=', arabic.id).execute();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await stopBrowserApp();
  });

  step('the convening form refuses an end before the start, then saves a draft', async () => {
    leadPage = await signedInPageFor(lead, contexts, false);
    await leadPage.goto('/meetings');
    await checked(leadPage, 'meetings list');
    await navigateBy(leadPage, () => leadPage.getByRole('link', { name: en('meetings.convene') }).click(), 200, 'GET');
    await checked(leadPage, 'convening form');
    await leadPage.getByLabel(en('meetings.titleLabel'), { exact: true }).fill('Members meeting on the new visa rules');
    await leadPage.getByLabel(en('meetings.startsAt'), { exact: true }).fill(`${year}-10-20T18:00`);
    await leadPage.getByLabel(en('meetings.endsAt'), { exact: true }).fill(`${year}-10-20T17:00`);
    await leadPage.getByLabel(en('meetings.place'), { exact: true }).fill('Room 2, 1 Example Street');
    await leadPage.getByLabel(en('meetings.onlineUrl'), { exact: true }).fill('https://meet.example.org/room');
    await leadPage.getByLabel(en('meetings.audienceOption.members'), { exact: true }).check();
    await navigateBy(leadPage, () => leadPage.getByRole('button', { name: en('meetings.createDraft') }).click(), 400);
    await expect.poll(() => leadPage.getByRole('alert').textContent()).toContain(en('errors.meetingEndsBeforeStart'));
    await checked(leadPage, 'convening form, refused');
    await leadPage.getByLabel(en('meetings.endsAt'), { exact: true }).fill(`${year}-10-20T19:30`);
    await navigateBy(leadPage, () => leadPage.getByRole('button', { name: en('meetings.createDraft') }).click(), 200);
    meetingUrl = new URL(leadPage.url()).pathname;
    expect(meetingUrl).toMatch(/^\/meetings\/[0-9a-f-]{36}$/);
    await checked(leadPage, 'draft meeting page (organiser)');
  });

  step('scheduling it invites the members', async () => {
    await navigateBy(leadPage, () => leadPage.getByRole('button', { name: en('meetings.schedule') }).click(), 200);
    expect(await leadPage.getByRole('status').textContent()).toContain(en('notice.meetingScheduled'));
    await checked(leadPage, 'scheduled meeting page (organiser)');
  });

  step('an invitee sets their time zone, sees both times, and replies with a need', async () => {
    const page = await signedInPageFor(staff, contexts, false);
    await page.goto('/meetings/time-zone');
    await checked(page, 'time zone page');
    await page.getByLabel(en('meetings.timeZone'), { exact: true }).selectOption('Africa/Khartoum');
    await navigateBy(page, () => page.getByRole('button', { name: en('meetings.saveZone') }).click(), 200);
    await page.goto(meetingUrl);
    const main = (await page.getByRole('main').textContent()) ?? '';
    expect(main).toContain('18:00');
    expect(main).toContain('19:00');
    await page.getByLabel(en('meetings.answer.yes'), { exact: true }).check();
    await page.getByLabel(en('meetings.needs'), { exact: true }).fill('A step-free way in');
    await navigateBy(page, () => page.getByRole('button', { name: en('meetings.sendReply') }).click(), 200);
    await checked(page, 'meeting page (invitee, replied)');
  });

  step('the organiser sees the need and checks the invitee in', async () => {
    await leadPage.goto(meetingUrl);
    expect(await leadPage.getByRole('main').textContent()).toContain('A step-free way in');
    await navigateBy(leadPage, () => leadPage.getByRole('link', { name: en('meetings.checkInLink') }).click(), 200, 'GET');
    await checked(leadPage, 'check-in list');
    await navigateBy(leadPage, () => leadPage.getByRole('button', { name: en('meetings.checkIn') }).first().click(), 200);
    expect(await leadPage.getByRole('status').textContent()).toContain(en('notice.meetingCheckedIn'));
    await checked(leadPage, 'check-in list after a check-in');
  });

  step('the meeting page in Arabic, right to left', async () => {
    const page = await signedInPageFor(arabic, contexts, false);
    await page.goto(meetingUrl);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.getByRole('heading', { name: ar('meetings.replyTitle') }).count()).toBe(1);
    await checked(page, 'meeting page in Arabic');
  });

  step('a visitor gets 404 for a meeting that is not listed publicly', async () => {
    const page = await newPageFor(contexts, false);
    const res = await page.goto(meetingUrl);
    expect(res?.status()).toBe(404);
  });
});
