/**
 * Meetings, goals and actions in a real browser, with and without JavaScript (issue 14, "Browser
 * journey"): an alert → a meeting convened from it with a time poll → an invitee marks the times
 * they can make → the chair picks one (scheduled) → agenda items proposed, accepted and ordered →
 * the invitee replies with a need, the chair sees it and checks them in (the meeting is held) →
 * minutes drafted, circulated, corrected by the attendee, a new version, approved → a decision and
 * two actions serving a goal → one action done → the goal's progress moves → the next meeting of
 * the series (convened through the ordinary form, a refused end time first) shows the other action
 * under matters arising. The chair works on a 360 px phone in English; the invitee on a 360 px
 * phone in Arabic, right to left, in another time zone. Every page passes axe and none scrolls
 * sideways; a visitor gets 404 for the meeting.
 *
 * Set up through the services: the organisations, people, the alert (the early-warning journey
 * clicks through it already) and the goal (the goals part's own tests click its form).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonActor } from '../../src/platform/policy.ts';
import { instantToZoned, zonedToInstant } from '../../src/platform/timezones.ts';
import { zonedDateTime } from '../../src/views/format.ts';
import { createOrganisation, createPerson, type TestApp, type TestPerson } from '../helpers.ts';
import { browserSuite, checked, strict, navigateBy, newPageFor, PHONE, signedInPageFor, startBrowserApp, steps, stopBrowserApp, TIMEOUT, everyPageFitsAPhone, sweeping } from './kit.ts';

const suite = browserSuite();

const en = strict('en');
const ar = strict('ar');

const LONDON = 'Europe/London';
const KHARTOUM = 'Africa/Khartoum';
/** A wall-clock time in London, `days` from now, as a datetime-local field takes it. */
const london = (days: number, hhmm: string) => `${instantToZoned(new Date(Date.now() + days * 86_400_000), LONDON).slice(0, 10)}T${hhmm}`;

let t: TestApp | undefined;

suite('meetings journey', () => {
  beforeAll(async () => {
    ({ t } = await startBrowserApp());
  }, TIMEOUT);

  afterAll(async () => {
    await stopBrowserApp();
  }, TIMEOUT);

  describe.each([true, false])('from an alert to matters arising at the next meeting — JavaScript enabled: %s', (javaScriptEnabled) => {
    const suffix = javaScriptEnabled ? 'Cedar' : 'Baobab';
    const country = javaScriptEnabled ? 'SDN' : 'SSD';
    const names = { chair: `Convening Circle ${suffix}`, invitee: `Following Friends ${suffix}` };
    type Who = keyof typeof names;
    const contexts: BrowserContext[] = [];
    const orgs = {} as Record<Who, string>;
    const people = {} as Record<Who, TestPerson>;
    const pages = {} as Record<Who, Page>;
    let anonymous: Page;
    let alertId = '';
    let goalId = '';
    let meetingPath = '';
    let meetingTitle = '';
    let nextPath = '';
    const actionPaths: string[] = [];
    const series = `Registration response (${suffix})`;
    const signText = `Checkpoints registering families (${suffix}).`;
    const goalTitle = `Safe passage before the rains (${suffix})`;
    const item = `Safe routes (${suffix})`;
    const place = `Room 2, 1 Example Street (${suffix})`;
    const need = `A step-free way in (${suffix})`;
    const draft = `Present: both organisations.\n\nThe routes were discussed (${suffix}).`;
    const correction = `Please add that the northern route is closed (${suffix}).`;
    const corrected = `${draft}\n\nThe northern route is closed.`;
    const decision = `Ask for a humanitarian corridor (${suffix})`;
    const actions = [`Map the open routes (${suffix})`, `Write to the governor (${suffix})`] as const;
    const slots = [london(4, '10:00'), london(5, '15:00')] as const;

    const main = (who: Who) => pages[who].getByRole('main');
    const actorOf = (who: Who): PersonActor => ({
      kind: 'person',
      id: people[who].id,
      displayName: who,
      networkRole: 'member',
      memberships: [{ organisationId: orgs[who], role: 'org_admin', name: names[who], standing: 'member' }],
      locale: null,
    });
    /** The notice after an action: said once (soft, so a page that says it twice is reported and the journey goes on). */
    const status = async (page: Page) => {
      expect.soft(await page.getByRole('status').count(), `${new URL(page.url()).pathname}: the notice is said once`).toBe(1);
      return page.getByRole('status').first().textContent();
    };
    /** The invitee's pages stay in Arabic, right to left, once chosen. */
    const arabic = async () => expect(await pages.invitee.locator('html').getAttribute('dir'), `${pages.invitee.url()} is right to left`).toBe('rtl');

    beforeAll(async () => {
      const db = t!.platform.db;
      for (const who of Object.keys(names) as Who[]) {
        orgs[who] = (await createOrganisation(t!, names[who])).id;
        people[who] = await createPerson(t!, 'org_admin', { organisationId: orgs[who] });
      }
      // The invitee's organisation follows the country: the convening form ticks it already.
      await db.insertInto('alert_subscriptions').values({ person_id: people.invitee.id, countries: [country], factor_codes: [], min_severity: 'moderate' }).execute();
      const observedOn = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
      const sign = await t!.services.signs.record(actorOf('chair'), { country, observedOn, indicators: ['7.4'], description: signText, links: [], confidence: 'high', sensitivity: 'network', audience: [], language: 'en' });
      alertId = await t!.services.alerts.propose(actorOf('chair'), { country, signs: [sign], severity: 'high', summary: `Registration ahead of the rains (${suffix}).`, actions: ['ad_hoc_meeting'], sensitivity: 'network' });
      await t!.services.alerts.confirm(actorOf('invitee'), alertId);
      goalId = await t!.services.goals.create(actorOf('chair'), { year: new Date().getUTCFullYear(), title: goalTitle, success: 'Aid convoys reach the south before the rains.', leads: [] });

      pages.chair = await signedInPageFor(people.chair, contexts, javaScriptEnabled, PHONE);
      pages.invitee = await signedInPageFor(people.invitee, contexts, javaScriptEnabled, PHONE);
      anonymous = await newPageFor(contexts, javaScriptEnabled, PHONE);
    }, TIMEOUT);

    afterAll(async () => {
      for (const context of contexts) await context.close();
    }, TIMEOUT);

    const step = steps();

    step('the chair convenes from the alert page in two steps, with a time poll, and puts it in a new series', async () => {
      const page = pages.chair;
      await page.goto(`/alerts/${alertId}`);
      await navigateBy(page, () => main('chair').getByRole('link', { name: en('agenda.conveneFromAlert') }).click(), 200, 'GET');
      await checked(page, 'convening from an alert');
      expect(await main('chair').getByRole('checkbox', { name: new RegExp(names.invitee) }).isChecked(), 'the subscribed organisation is ticked already').toBe(true);
      await main('chair').getByLabel(en('agenda.pollSlotLabel', { number: 1 }), { exact: true }).fill(slots[0]);
      await main('chair').getByLabel(en('agenda.pollSlotLabel', { number: 2 }), { exact: true }).fill(slots[1]);
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('agenda.conveneSubmit') }).click(), 200);
      meetingPath = new URL(page.url()).pathname;
      expect(meetingPath).toMatch(/^\/meetings\/[0-9a-f-]{36}$/);
      meetingTitle = (await main('chair').getByRole('heading', { level: 1 }).textContent()) ?? '';
      expect(meetingTitle, 'titled from the alert').not.toBe('');
      expect(await status(page)).toBe(en('notice.agendaConvened'));
      await checked(page, 'draft meeting (chair)');

      await navigateBy(page, () => main('chair').getByRole('link', { name: en('meetings.edit') }).click(), 200, 'GET');
      await checked(page, 'editing the meeting');
      await main('chair').getByLabel(en('meetings.newSeries'), { exact: true }).fill(series);
      // Convening from an alert asks for no place; changing the meeting needs one (or a link).
      await main('chair').getByLabel(en('meetings.place'), { exact: true }).fill(place);
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('meetings.save') }).click(), 200);
      expect(new URL(page.url()).pathname).toBe(meetingPath);
      expect(await main('chair').getByRole('heading', { level: 2, name: en('meetings.seriesTitle', { series }) }).count()).toBe(1);

      await page.goto(`${meetingPath}/agenda`);
      expect(await main('chair').textContent(), 'the alert is on the agenda with its sign').toContain(signText);
      await checked(page, 'agenda of the draft (chair)');
    });

    step('the invitee, switching to Arabic, marks the times they can make', async () => {
      const page = pages.invitee;
      await page.goto(`${meetingPath}/poll`);
      await navigateBy(page, () => page.getByRole('form', { name: 'Language' }).getByRole('button', { name: 'العربية' }).click(), 200);
      expect(new URL(page.url()).pathname, 'the language switch comes back to the poll').toBe(`${meetingPath}/poll`);
      await arabic();
      await checked(page, 'time poll, in Arabic');
      await main('invitee').getByRole('checkbox').first().check();
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('agenda.pollMarkSubmit') }).click(), 200);
      expect(await status(page)).toBe(ar('notice.pollMarked'));
      await checked(page, 'time poll answered, in Arabic');
    });

    step('the chair picks the first time: the meeting is scheduled for it', async () => {
      const page = pages.chair;
      await page.goto(`${meetingPath}/poll`);
      await checked(page, 'time poll (chair)');
      await main('chair').getByRole('radio').first().check();
      expect(await main('chair').getByRole('checkbox', { name: en('agenda.pollSchedule') }).isChecked(), 'a draft is scheduled by the pick').toBe(true);
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('agenda.pollPickSubmit') }).click(), 200);
      expect(new URL(page.url()).pathname).toBe(meetingPath);
      expect(await status(page)).toBe(en('notice.pollPicked'));
      expect(await main('chair').getByRole('button', { name: en('meetings.schedule') }).count(), 'no longer a draft').toBe(0);
      expect(await main('chair').locator('time').first().getAttribute('datetime')).toBe(zonedToInstant(slots[0], LONDON)?.toISOString());
    });

    step('the invitee proposes an item; the chair accepts it and moves it before the alert', async () => {
      const page = pages.invitee;
      await page.goto(`${meetingPath}/agenda`);
      await arabic();
      await main('invitee').getByLabel(ar('agenda.itemTitle'), { exact: true }).fill(item);
      await main('invitee').getByLabel(ar('agenda.itemMinutes'), { exact: true }).fill('20');
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('agenda.proposeSubmit') }).click(), 200);
      expect(await status(page)).toBe(ar('notice.agendaProposed'));
      expect(await main('invitee').getByRole('region', { name: ar('agenda.mineHeading'), exact: true }).textContent()).toContain(ar('agenda.state.proposed'));
      await checked(page, 'agenda with a proposal, in Arabic');

      const chair = pages.chair;
      await chair.goto(`${meetingPath}/agenda`);
      const pending = main('chair').getByRole('region', { name: en('agenda.pendingHeading'), exact: true });
      expect(await pending.textContent()).toContain(item);
      await checked(chair, 'agenda with a proposal (chair)');
      await navigateBy(chair, () => pending.getByRole('button', { name: en('agenda.acceptSubmit') }).click(), 200);
      expect(await status(chair)).toBe(en('notice.agendaAccepted'));
      const order = () => main('chair').getByRole('region', { name: en('agenda.itemsHeading'), exact: true }).locator('ol > li h3').allTextContents();
      expect(await order()).toEqual([expect.any(String), item]);
      await navigateBy(chair, () => main('chair').getByRole('button', { name: en('agenda.moveUp', { title: item }) }).click(), 200);
      expect(await status(chair)).toBe(en('notice.agendaMoved'));
      expect((await order())[0], 'the proposed item comes first now').toBe(item);
      await checked(chair, 'agenda of two items, reordered (chair)');
    });

    step('the invitee sets their time zone, sees both times, and replies with a need', async () => {
      const page = pages.invitee;
      await page.goto('/meetings/time-zone');
      await arabic();
      await checked(page, 'time zone, in Arabic');
      await main('invitee').getByLabel(ar('meetings.timeZone'), { exact: true }).selectOption(KHARTOUM);
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('meetings.saveZone') }).click(), 200);
      await page.goto(meetingPath);
      const starts = zonedToInstant(slots[0], LONDON) as Date;
      const text = (await main('invitee').textContent()) ?? '';
      expect(text, 'in the meeting’s zone').toContain(zonedDateTime('ar', starts, LONDON));
      expect(text, 'and in the reader’s').toContain(zonedDateTime('ar', starts, KHARTOUM));
      expect(await main('invitee').getByRole('heading', { level: 2, name: ar('meetings.replyTitle') }).count()).toBe(1);
      await main('invitee').getByRole('radio', { name: ar('meetings.answer.yes'), exact: true }).check();
      await main('invitee').getByLabel(ar('meetings.needs'), { exact: true }).fill(need);
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('meetings.sendReply') }).click(), 200);
      expect(await status(page)).toBe(ar('notice.meetingReplied'));
      expect(await main('invitee').textContent()).toContain(ar('meetings.yourAnswer', { answer: ar('meetings.answer.yes') }));
      await checked(page, 'meeting replied to, in Arabic');
    });

    step('the meeting is held: the chair reads the need and checks the invitee in', async () => {
      const page = pages.chair;
      await page.goto(meetingPath);
      expect(await main('chair').getByRole('region', { name: en('meetings.needsTitle'), exact: true }).textContent()).toContain(need);
      await checked(page, 'scheduled meeting with a reply (chair)');
      await navigateBy(page, () => main('chair').getByRole('link', { name: en('meetings.checkInLink') }).click(), 200, 'GET');
      await checked(page, 'check-in list');
      const row = main('chair').getByRole('listitem').filter({ hasText: names.invitee });
      await navigateBy(page, () => row.getByRole('button', { name: en('meetings.checkIn') }).click(), 200);
      expect(await status(page)).toBe(en('notice.meetingCheckedIn'));
      expect(await row.getByRole('button', { name: en('meetings.checkIn') }).count(), 'checked in').toBe(0);
      await checked(page, 'check-in list after a check-in');
    });

    step('a visitor gets 404 for the meeting, which is not listed publicly', async () => {
      const response = await anonymous.goto(meetingPath);
      expect(response?.status()).toBe(404);
      expect(await anonymous.getByRole('main').textContent()).not.toContain(need);
    });

    step('the chair drafts the minutes and circulates them to those who attended', async () => {
      const page = pages.chair;
      await page.goto(meetingPath);
      await navigateBy(page, () => main('chair').getByRole('link', { name: en('meetings.minutesLink') }).click(), 200, 'GET');
      await checked(page, 'minutes, none yet (chair)');
      await main('chair').getByRole('textbox', { name: en('minutes.body') }).fill(draft);
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('minutes.save') }).click(), 200);
      expect(await status(page)).toBe(en('notice.minutesSaved'));
      expect(await main('chair').getByRole('heading', { level: 2, name: en('minutes.text', { number: 1 }) }).count()).toBe(1);
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('minutes.circulate') }).click(), 200);
      expect(await status(page)).toBe(en('notice.minutesCirculated'));
      expect(await main('chair').textContent()).toContain(en('minutes.state.circulated'));
      await checked(page, 'circulated minutes (chair)');
      // The attendee is told by mail, in whichever language they read.
      const subjects = [en('minutes.mail.circulated.subject', { title: meetingTitle }), ar('minutes.mail.circulated.subject', { title: meetingTitle })];
      const mail = await t!.platform.db.selectFrom('mail_messages').select('subject').where('recipient', '=', people.invitee.identifier).where('subject', 'in', subjects).execute();
      expect(mail, 'the attendee is told the minutes are out').toHaveLength(1);
    });

    step('the invitee, who attended, sends a correction in Arabic', async () => {
      const page = pages.invitee;
      await page.goto(`${meetingPath}/minutes`);
      await arabic();
      expect(await main('invitee').textContent(), 'an attendee reads the circulated minutes').toContain(`The routes were discussed (${suffix}).`);
      await checked(page, 'circulated minutes, in Arabic');
      await main('invitee').getByRole('textbox', { name: ar('minutes.correction') }).fill(correction);
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('minutes.sendCorrection') }).click(), 200);
      expect(await status(page)).toBe(ar('notice.minutesCorrected'));
      expect(await main('invitee').getByRole('region', { name: ar('minutes.corrections'), exact: true }).textContent()).toContain(correction);
      await checked(page, 'minutes with a correction sent, in Arabic');
    });

    step('the chair answers the correction with a second version and approves the minutes', async () => {
      const page = pages.chair;
      await page.goto(`${meetingPath}/minutes`);
      const corrections = main('chair').getByRole('region', { name: en('minutes.corrections'), exact: true });
      expect(await corrections.textContent()).toContain(correction);
      await main('chair').getByRole('textbox', { name: en('minutes.body') }).fill(corrected);
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('minutes.save') }).click(), 200);
      expect(await status(page)).toBe(en('notice.minutesSaved'));
      expect(await main('chair').getByRole('heading', { level: 2, name: en('minutes.text', { number: 2 }) }).count()).toBe(1);
      expect(await corrections.textContent(), 'the correction is answered by version 2').toContain(en('minutes.answeredIn', { number: 2 }));
      await checked(page, 'corrected minutes (chair)');
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('minutes.approve') }).click(), 200);
      expect(await status(page)).toBe(en('notice.minutesApproved'));
      expect(await main('chair').textContent()).toContain(en('minutes.state.approved'));
      expect(await main('chair').getByRole('button', { name: en('minutes.save') }).count(), 'approved minutes are not written again').toBe(0);
      await checked(page, 'approved minutes (chair)');
    });

    step('a decision serving the goal, and two actions from it: one for each organisation', async () => {
      const page = pages.chair;
      await main('chair').getByRole('textbox', { name: en('minutes.decisionText') }).fill(decision);
      await main('chair').getByRole('combobox', { name: en('minutes.decisionGoal') }).selectOption({ label: `${goalTitle} (${new Date().getUTCFullYear()})` });
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('minutes.saveDecision') }).click(), 200);
      expect(await status(page)).toBe(en('notice.decisionRecorded'));
      const decisions = main('chair').getByRole('region', { name: en('minutes.decisions'), exact: true });
      expect(await decisions.getByRole('listitem').filter({ hasText: decision }).getByRole('link', { name: goalTitle }).count(), 'the decision links to its goal').toBe(1);
      await checked(page, 'minutes with a decision (chair)');

      const minutesPath = `${meetingPath}/minutes`;
      for (const [i, title] of actions.entries()) {
        if (i > 0) await page.goto(minutesPath);
        await navigateBy(page, () => main('chair').getByRole('link', { name: en('minutes.newAction') }).click(), 200, 'GET');
        if (i === 0) await checked(page, 'new action of the meeting');
        await main('chair').getByRole('textbox', { name: en('actions.titleField') }).fill(title);
        await main('chair').getByRole('combobox', { name: en('actions.owner') }).selectOption({ label: names[i === 0 ? 'invitee' : 'chair'] });
        // Decisions are numbered across the network's register: found by their text.
        const decisionSelect = main('chair').getByRole('combobox', { name: en('actions.decision') });
        await decisionSelect.selectOption((await decisionSelect.locator('option', { hasText: decision }).getAttribute('value')) ?? '');
        await main('chair').getByRole('combobox', { name: en('actions.goal') }).selectOption({ label: `${goalTitle} (${new Date().getUTCFullYear()})` });
        await navigateBy(page, () => main('chair').getByRole('button', { name: en('actions.create') }).click(), 200);
        expect(await status(page)).toBe(en('notice.actionCreated'));
        actionPaths.push(new URL(page.url()).pathname);
        expect(actionPaths[i]).toMatch(/^\/actions\/[0-9a-f-]{36}$/);
        expect(await main('chair').getByRole('link', { name: en('actions.seeGoal') }).count()).toBe(1);
      }
      await checked(page, 'a new action (chair)');
      await page.goto(minutesPath);
      const listed = main('chair').getByRole('region', { name: en('minutes.actions'), exact: true });
      for (const title of actions) expect(await listed.textContent(), 'the minutes list the actions').toContain(title);

      await page.goto(`/goals/${goalId}`);
      expect(await main('chair').textContent(), 'two actions serve the goal, none done').toContain(en('goals.progress', { done: '0', total: '2' }));
    });

    step('the invitee’s organisation marks its action done, in Arabic; the goal’s progress moves', async () => {
      const page = pages.invitee;
      await page.goto('/actions/mine');
      await arabic();
      await checked(page, 'my actions, in Arabic');
      const card = main('invitee').getByRole('region', { name: ar('actions.yourOrganisations'), exact: true }).getByRole('listitem').filter({ hasText: actions[0] });
      expect(await main('invitee').textContent(), 'the other organisation’s action is not theirs').not.toContain(actions[1]);
      await navigateBy(page, () => card.getByRole('link').first().click(), 200, 'GET');
      expect(new URL(page.url()).pathname).toBe(actionPaths[0]);
      await checked(page, 'an action, in Arabic');
      // Recorded for the invitee's organisation by the chair of another: theirs once they accept.
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('actions.orgAccept') }).click(), 200);
      expect(await status(page)).toBe(ar('notice.actionAnswered'));
      await main('invitee').getByRole('radio', { name: ar('actions.status.done'), exact: true }).check();
      await main('invitee').getByRole('textbox', { name: ar('actions.note') }).fill(`Routes mapped with the drivers (${suffix}).`);
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('actions.saveStatus') }).click(), 200);
      expect(await status(page)).toBe(ar('notice.actionUpdated'));
      expect(await main('invitee').getByRole('region', { name: ar('actions.updates'), exact: true }).textContent()).toContain(ar('actions.status.done'));
      await checked(page, 'an action done, in Arabic');

      await page.goto(`/goals/${goalId}`);
      expect(await main('invitee').textContent(), 'one of the two actions is done').toContain(ar('goals.progress', { done: new Intl.NumberFormat('ar').format(1), total: new Intl.NumberFormat('ar').format(2) }));
      await checked(page, 'the goal’s progress, in Arabic');
    });

    step('the next meeting of the series, convened through the form, lists the open action under matters arising', async () => {
      const page = pages.chair;
      await page.goto('/meetings');
      await checked(page, 'meetings list (chair)');
      await navigateBy(page, () => main('chair').getByRole('link', { name: en('meetings.convene') }).click(), 200, 'GET');
      await checked(page, 'convening form');
      const next = `Registration response, follow-up (${suffix})`;
      await main('chair').getByLabel(en('meetings.titleLabel'), { exact: true }).fill(next);
      await main('chair').getByLabel(en('meetings.startsAt'), { exact: true }).fill(london(21, '18:00'));
      await main('chair').getByLabel(en('meetings.endsAt'), { exact: true }).fill(london(21, '17:00'));
      await main('chair').getByRole('radio', { name: en('meetings.audienceOption.members'), exact: true }).check();
      await main('chair').getByLabel(en('meetings.place'), { exact: true }).fill(place);
      await main('chair').getByRole('combobox', { name: en('meetings.series') }).selectOption({ label: series });
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('meetings.createDraft') }).click(), 400);
      expect(await page.getByRole('alert').textContent()).toContain(en('errors.meetingEndsBeforeStart'));
      expect(await main('chair').getByLabel(en('meetings.titleLabel'), { exact: true }).inputValue(), 'what was typed is kept').toBe(next);
      await checked(page, 'convening form, refused');
      await main('chair').getByLabel(en('meetings.endsAt'), { exact: true }).fill(london(21, '19:30'));
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('meetings.createDraft') }).click(), 200);
      nextPath = new URL(page.url()).pathname;
      expect(nextPath).toMatch(/^\/meetings\/[0-9a-f-]{36}$/);
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('meetings.schedule') }).click(), 200);
      expect(await status(page)).toBe(en('notice.meetingScheduled'));
      const others = main('chair').getByRole('region', { name: en('meetings.seriesTitle', { series }), exact: true });
      expect(await others.getByRole('link', { name: meetingTitle }).count(), 'the first meeting is in the same series').toBe(1);
      await checked(page, 'the next meeting, scheduled (chair)');

      const invitee = pages.invitee;
      await invitee.goto(nextPath);
      await navigateBy(invitee, () => main('invitee').getByRole('link', { name: ar('meetings.agendaLink') }).click(), 200, 'GET');
      await arabic();
      const matters = main('invitee').getByRole('region', { name: ar('agenda.mattersArising'), exact: true });
      expect(await matters.textContent(), 'the open action carries over').toContain(actions[1]);
      expect(await matters.textContent(), 'the done one does not').not.toContain(actions[0]);
      expect(await matters.getByRole('link', { name: new RegExp(actions[1].replace(/[()]/g, '\\$&')) }).getAttribute('href')).toBe(actionPaths[1]);
      await checked(invitee, 'agenda of the next meeting with matters arising, in Arabic');
    });
  });

  // The drawing does not depend on the database: it runs once per CI run, on the embedded one.
  it.skipIf(!sweeping())('every page it visited fits a 360 px phone in English and Arabic, and passes axe', { timeout: 10 * TIMEOUT }, async () => {
    const { pages, drawn, list } = await everyPageFitsAPhone();
    console.info(`[e2e] ${pages} pages visited; ${drawn} drawings at 360 px not done by an earlier journey: ${list.join(', ')}`);
  });
});
