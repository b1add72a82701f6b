/**
 * A survey in a real browser, with and without JavaScript (issue 15, "Browser journey", its survey
 * part): the organiser builds it through the forms on a 360 px phone and opens it → a respondent
 * on a phone in Arabic, right to left, answers it (five more answer through the service, as the
 * rest of the network would) → before closing, the results page says they come later → the
 * organiser closes it and publishes the written answers one by one → the results show them and
 * hide the small group (one person chose "South", so neither count is shown) → the weekly digest
 * lists the results → the respondent chooses what they hear about, and the digest's one-click
 * address stops it → anyone with a survey's link answers it without signing in → the convener
 * sends an announcement. Every page passes axe and none scrolls sideways on the phone.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonActor } from '../../src/platform/policy.ts';
import { createOrganisation, createPerson, type TestApp, type TestPerson } from '../helpers.ts';
import { browserSuite, checked, navigateBy, newPageFor, PHONE, signedInPageFor, startBrowserApp, steps, stopBrowserApp, strict, TIMEOUT, everyPageFitsAPhone, sweeping } from './kit.ts';

const suite = browserSuite();
const t_en = strict('en');
const t_ar = strict('ar');
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);


let t: TestApp | undefined;

suite('surveys journey', () => {
  beforeAll(async () => {
    ({ t } = await startBrowserApp());
  }, TIMEOUT);

  afterAll(async () => {
    await stopBrowserApp();
  }, TIMEOUT);

  describe.each([true, false])('a survey built, answered by six people, its results only once closed — JavaScript enabled: %s', (javaScriptEnabled) => {
    const suffix = javaScriptEnabled ? 'Baobab' : 'Cedar';
    const title = `How the network works together (${suffix})`;
    const contexts: BrowserContext[] = [];
    let organiser: Page;
    let respondent: Page;
    let orgB = '';
    let surveyPath = '';
    let questions: { id: string; kind: string }[] = [];
    let respondentEmail = '';

    beforeAll(async () => {
      const orgA = (await createOrganisation(t!, `Survey Circle ${suffix}`)).id;
      orgB = (await createOrganisation(t!, `Answering Circle ${suffix}`)).id;
      const o: TestPerson = await createPerson(t!, 'member', { organisationId: orgA });
      const r: TestPerson = await createPerson(t!, 'member', { organisationId: orgB });
      respondentEmail = r.identifier;
      organiser = await signedInPageFor(o, contexts, javaScriptEnabled, PHONE);
      respondent = await signedInPageFor(r, contexts, javaScriptEnabled, PHONE);
    }, TIMEOUT);

    afterAll(async () => {
      for (const context of contexts) await context.close();
    }, TIMEOUT);

    const step = steps();

    step('the organiser builds the survey through its forms on a phone and opens it', async () => {
      const page = organiser;
      await page.goto('/surveys');
      await checked(page, 'surveys');
      const main = page.getByRole('main');
      await main.getByLabel(t_en('surveys.titleField'), { exact: true }).fill(title);
      await main.getByRole('radio', { name: t_en('surveys.audiences.network') }).check();
      await main.getByLabel(t_en('surveys.closesOn')).fill(day(7));
      await navigateBy(page, () => main.getByRole('button', { name: t_en('surveys.create') }).click(), 200);
      surveyPath = new URL(page.url()).pathname;
      await checked(page, 'survey builder');
      await main.getByLabel(t_en('surveys.questionText'), { exact: true }).fill('Where do you wrok');
      await main.getByLabel(t_en('surveys.options'), { exact: true }).fill('North\nSouth');
      await navigateBy(page, () => main.getByRole('button', { name: t_en('surveys.addQuestionButton') }).click(), 200);
      // A typo mended on the question's own page before the survey opens.
      await navigateBy(page, () => main.getByRole('link', { name: t_en('surveys.editQuestionOf', { question: 'Where do you wrok' }) }).click(), 200, 'GET');
      await checked(page, 'survey question edit');
      expect(await main.getByLabel(t_en('surveys.options'), { exact: true }).inputValue()).toBe('North\nSouth');
      await main.getByLabel(t_en('surveys.questionText'), { exact: true }).fill('Where do you work?');
      await navigateBy(page, () => main.getByRole('button', { name: t_en('surveys.saveQuestion') }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe(t_en('notice.surveyQuestionSaved'));
      await main.getByLabel(t_en('surveys.kind'), { exact: true }).selectOption('long');
      await main.getByLabel(t_en('surveys.questionText'), { exact: true }).fill('What should change?');
      await navigateBy(page, () => main.getByRole('button', { name: t_en('surveys.addQuestionButton') }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe(t_en('notice.surveyQuestionAdded'));
      await navigateBy(page, () => main.getByRole('button', { name: t_en('surveys.openButton') }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe(t_en('notice.surveyOpened'));
      await checked(page, 'survey running');
      questions = await t!.platform.db.selectFrom('survey_questions').select(['id', 'kind']).where('survey_id', '=', surveyPath.split('/').pop() as string).orderBy('position').execute();
    });

    step('a respondent answers on a phone in Arabic, right to left; five more answer', async () => {
      const page = respondent;
      await page.goto(surveyPath);
      await navigateBy(page, () => page.getByRole('form', { name: 'Language' }).getByRole('button', { name: 'العربية' }).click(), 200);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await checked(page, 'survey to answer');
      const main = page.getByRole('main');
      // Sent without the required answer first: the page says which question, and keeps what was written.
      await main.getByLabel('What should change?').fill('مزيد من التدريب المشترك.');
      await navigateBy(page, () => main.getByRole('button', { name: t_ar('surveys.send') }).click(), 400);
      await checked(page, 'survey answer refused');
      expect(await page.getByRole('alert').textContent()).toContain(t_ar('errors.surveyRequired'));
      expect(await main.getByLabel('What should change?').inputValue()).toBe('مزيد من التدريب المشترك.');
      await main.getByRole('radio', { name: 'North' }).check();
      await navigateBy(page, () => main.getByRole('button', { name: t_ar('surveys.send') }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe(t_ar('notice.surveyAnswered'));
      expect(await main.textContent()).toContain(t_ar('surveys.thanks'));
      const id = surveyPath.split('/').pop() as string;
      const [choice, text] = questions;
      for (let i = 0; i < 5; i++) {
        const actor: PersonActor = { kind: 'person', id: randomUUID(), displayName: 'R', networkRole: 'member', memberships: [{ organisationId: orgB, role: 'staff', name: 'B', standing: 'member' }], locale: null };
        await t!.services.surveys.answer(actor, id, { [`q_${choice?.id}`]: i === 0 ? '1' : '0', [`q_${text?.id}`]: `Answer ${i} (${suffix}).` });
      }
      await page.goto(`${surveyPath}/results`);
      expect(await page.getByRole('main').textContent()).toContain(t_ar('surveys.resultsAfterClosing', { date: '|' }).split('|')[0]?.trim() ?? '');
      await checked(page, 'results before closing');
    });

    step('the organiser closes it and publishes the written answers one by one; the results hide the small group', async () => {
      const page = organiser;
      await page.goto(surveyPath);
      await navigateBy(page, () => page.getByRole('main').getByRole('button', { name: t_en('surveys.closeNow') }).click(), 200);
      await navigateBy(page, () => page.getByRole('main').getByRole('link', { name: t_en('surveys.readTexts') }).click(), 200, 'GET');
      await checked(page, 'written answers to read');
      for (let i = 0; i < 6; i++) await navigateBy(page, () => page.getByRole('main').getByRole('button', { name: t_en('surveys.publish'), exact: true }).click(), 200);
      expect(await page.getByRole('main').textContent()).toContain(t_en('surveys.textsDone'));
      const reader = respondent;
      await reader.goto(`${surveyPath}/results`);
      await checked(reader, 'results');
      const main = reader.getByRole('main');
      expect(await main.textContent()).toContain('مزيد من التدريب المشترك.');
      const table = main.getByRole('table').first();
      const cells = await table.locator('tbody td:last-child').allTextContents();
      expect(cells).toEqual([t_ar('surveys.fewer', { k: 5 }), t_ar('surveys.fewer', { k: 5 })]);
      expect(await reader.locator('svg.chart').count()).toBe(1);
    });

    step('a weekly digest in the outbox lists a new report and the survey results, in the respondent’s language', async () => {
      const staffPerson = await createPerson(t!, 'member', { organisationId: orgB });
      const staff: PersonActor = { kind: 'person', id: staffPerson.id, displayName: 'S', networkRole: 'member', memberships: [{ organisationId: orgB, role: 'staff', name: 'B', standing: 'member' }], locale: null };
      const report = `Report on displacement in Darfur (${suffix})`;
      await t!.services.library.add(staff, { kind: 'report', title: report, summary: '', language: 'en', licence: 'CC-BY-4.0', link: 'https://example.org/r', countries: [], activities: [], themes: [], visibility: 'public', readers: [], authorOrganisations: [], authorNames: '', contentWarning: '' });
      // Each run of the journey is this week's run (the first one's record is cleared for the second);
      // the queue, running here, builds and stores the digests.
      await t!.platform.db.deleteFrom('digest_runs').execute();
      await t!.services.notifications.runDigests('weekly');
      let digest: { body_text: string; subject: string } | undefined;
      for (let tries = 0; tries < 40 && !digest; tries++) {
        digest = await t!.platform.db.selectFrom('mail_messages').select(['body_text', 'subject']).where('recipient', '=', respondentEmail).where('unsubscribe_url', 'is not', null).where('body_text', 'like', `%${report}%`).executeTakeFirst();
        if (!digest) await new Promise((r) => setTimeout(r, 250));
      }
      expect(digest?.subject).toBe(t_ar('mail.digest.weekly.subject'));
      expect(digest?.body_text).toContain(report);
      expect(digest?.body_text).toContain(`${t_ar('digest.item.surveyResults')}: ${title}`);
    });

    step('the respondent chooses what they hear about, in Arabic; the digest’s one-click address stops it for someone not signed in', async () => {
      const page = respondent;
      await page.goto('/notifications');
      await checked(page, 'what you hear about');
      const main = page.getByRole('main');
      expect(await main.getByLabel(t_ar('digest.topic.statements')).count()).toBe(1);
      // Paid work is for community participants: not offered to staff.
      expect(await main.getByLabel(t_ar('digest.topic.work')).count()).toBe(0);
      await main.getByLabel(t_ar('digest.topic.library')).selectOption('daily');
      await navigateBy(page, () => main.getByRole('button', { name: t_ar('notifications.save') }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe(t_ar('notice.notificationsSaved'));
      expect(await main.getByLabel(t_ar('digest.topic.library')).inputValue()).toBe('daily');
      const mail = await t!.platform.db.selectFrom('mail_messages').select('unsubscribe_url').where('recipient', '=', respondentEmail).where('unsubscribe_url', 'like', '%/notifications/unsubscribe/weekly.%').orderBy('created_at').executeTakeFirstOrThrow();
      const visitor = await newPageFor(contexts, javaScriptEnabled, PHONE);
      await visitor.goto(new URL(String(mail.unsubscribe_url)).pathname);
      await checked(visitor, 'stop these digests');
      await navigateBy(visitor, () => visitor.getByRole('main').getByRole('button', { name: t_en('notifications.unsubscribeButton') }).click(), 200);
      expect(await visitor.getByRole('status').textContent()).toBe(t_en('notifications.unsubscribed', { kind: t_en('notifications.kind.weekly') }));
      await checked(visitor, 'digests stopped');
    });

    step('anyone with the link answers a survey on a phone without signing in', async () => {
      const page = organiser;
      await page.goto('/surveys');
      const main = page.getByRole('main');
      await main.getByLabel(t_en('surveys.titleField'), { exact: true }).fill(`Open call for feedback (${suffix})`);
      await main.getByRole('radio', { name: t_en('surveys.audiences.link') }).check();
      await main.getByLabel(t_en('surveys.closesOn')).fill(day(7));
      await navigateBy(page, () => main.getByRole('button', { name: t_en('surveys.create') }).click(), 200);
      await main.getByLabel(t_en('surveys.kind'), { exact: true }).selectOption('short');
      await main.getByLabel(t_en('surveys.questionText'), { exact: true }).fill('One word for the network');
      await navigateBy(page, () => main.getByRole('button', { name: t_en('surveys.addQuestionButton') }).click(), 200);
      await navigateBy(page, () => main.getByRole('button', { name: t_en('surveys.openButton') }).click(), 200);
      // The address as the organiser copies it from the page.
      const link = new URL(((await main.locator('code').filter({ hasText: '/s/' }).first().textContent()) ?? '').trim()).pathname;
      expect(link).toBeDefined();
      const visitor = await newPageFor(contexts, javaScriptEnabled, PHONE);
      await visitor.goto(link);
      await checked(visitor, 'survey by its link');
      await visitor.getByRole('main').getByLabel('One word for the network').fill('Solidarity');
      await navigateBy(visitor, () => visitor.getByRole('main').getByRole('button', { name: t_en('surveys.send') }).click(), 200);
      expect(await visitor.getByRole('main').textContent()).toContain(t_en('surveys.thanks'));
      await checked(visitor, 'survey by its link, answered');
    });

    step('the convener sends an announcement: a blank title is refused with the text kept, then it has its page', async () => {
      const convener = await createPerson(t!, 'convener');
      const page = await signedInPageFor(convener, contexts, javaScriptEnabled, PHONE);
      await page.goto('/announcements/new');
      await checked(page, 'send an announcement');
      const main = page.getByRole('main');
      await main.getByLabel(t_en('notifications.announcementTitle')).fill(' ');
      await main.getByLabel(t_en('notifications.announcementBody')).fill(`The general assembly meets in March (${suffix}).`);
      await navigateBy(page, () => main.getByRole('button', { name: t_en('notifications.send') }).click(), 400);
      await checked(page, 'send an announcement, refused');
      expect(await main.getByLabel(t_en('notifications.announcementBody')).inputValue()).toBe(`The general assembly meets in March (${suffix}).`);
      await main.getByLabel(t_en('notifications.announcementTitle')).fill(`General assembly (${suffix})`);
      await main.getByRole('radio', { name: t_en('notifications.audiences.everyone') }).check();
      await navigateBy(page, () => main.getByRole('button', { name: t_en('notifications.send') }).click(), 200);
      expect(await page.getByRole('status').textContent()).toBe(t_en('notice.announcementSent'));
      expect(await page.locator('h1').textContent()).toBe(`General assembly (${suffix})`);
      await checked(page, 'announcement');
    });
  });

  // The drawing does not depend on the database: it runs once per CI run, on the embedded one.
  it.skipIf(!sweeping())('every page it visited fits a 360 px phone in English and Arabic, and passes axe', { timeout: 10 * TIMEOUT }, async () => {
    const { pages, drawn, list } = await everyPageFitsAPhone();
    console.info(`[e2e] ${pages} pages visited; ${drawn} drawings at 360 px not done by an earlier journey: ${list.join(', ')}`);
  });
});
