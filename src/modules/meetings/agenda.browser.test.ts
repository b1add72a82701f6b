/**
 * Convening from an alert, the time poll and the agenda in a real browser, with and without
 * JavaScript: the chair on a 360 px phone goes from the alert page to a draft meeting with a
 * poll in two steps; an invitee reading Arabic, right to left, marks the times they can make;
 * the chair picks one; the invitee proposes an agenda item and the chair accepts it. Every page
 * visited passes axe and does not scroll sideways on the phone.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createOrganisation, createPerson, type TestApp, type TestPerson } from '../../../test/helpers.ts';
import { browserSuite, duplicateIds, expectAccessible as axeClean, navigateBy, PHONE, sideways, signedInPageFor, startBrowserApp, steps, stopBrowserApp, TIMEOUT } from '../../../test/e2e/kit.ts';
import { translator } from '../../platform/i18n.ts';
import type { PersonActor } from '../../platform/policy.ts';
import { instantToZoned } from '../../platform/timezones.ts';

const suite = browserSuite();

function strict(locale: 'en' | 'ar') {
  const t = translator(locale);
  return (key: string, values?: Record<string, string | number>) => {
    const text = t(key, values);
    if (text === key) throw new Error(`no message ${key} in ${locale}`);
    return text;
  };
}
const en = strict('en');
const ar = strict('ar');
const london = (days: number, hhmm: string) => `${instantToZoned(new Date(Date.now() + days * 86_400_000), 'Europe/London').slice(0, 10)}T${hhmm}`;

const expectAccessible = async (page: Page, what: string) => {
  await axeClean(page, what);
  expect.soft(await duplicateIds(page), `${what}: ids used twice`).toEqual([]);
  const { scrollWidth, culprits } = await sideways(page);
  expect.soft(scrollWidth > PHONE.width ? { scrollWidth, culprits } : undefined, `${what}: no sideways scrolling on a 360 px phone`).toBeUndefined();
};

let t: TestApp | undefined;

suite('agenda journey', () => {
  beforeAll(async () => {
    ({ t } = await startBrowserApp());
  }, TIMEOUT);
  afterAll(async () => {
    await stopBrowserApp();
  }, TIMEOUT);

  describe.each([false, true])('alert → convene → poll → agenda — JavaScript enabled: %s', (javaScriptEnabled) => {
    const suffix = javaScriptEnabled ? 'Cedar' : 'Baobab';
    const country = javaScriptEnabled ? 'SDN' : 'SSD';
    const names = { chair: `Convening Circle ${suffix}`, invitee: `Following Friends ${suffix}` };
    type Who = keyof typeof names;
    const contexts: BrowserContext[] = [];
    const orgs = {} as Record<Who, string>;
    const people = {} as Record<Who, TestPerson>;
    const pages = {} as Record<Who, Page>;
    let alertId = '';
    let meetingPath = '';
    const step = steps();
    const main = (who: Who) => pages[who].getByRole('main');
    const actorOf = (who: Who): PersonActor => ({
      kind: 'person',
      id: people[who].id,
      displayName: who,
      networkRole: 'member',
      memberships: [{ organisationId: orgs[who], role: 'org_admin', name: names[who], standing: 'member' }],
      locale: null,
    });

    beforeAll(async () => {
      const db = t!.platform.db;
      for (const who of Object.keys(names) as Who[]) {
        orgs[who] = (await createOrganisation(t!, names[who])).id;
        people[who] = await createPerson(t!, 'org_admin', { organisationId: orgs[who] });
      }
      await db.insertInto('alert_subscriptions').values({ person_id: people.invitee.id, countries: [country], factor_codes: [], min_severity: 'moderate' }).execute();
      const observedOn = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
      const sign = await t!.services.signs.record(actorOf('chair'), { country, observedOn, indicators: ['7.4'], description: `Checkpoints registering families (${suffix}).`, links: [], confidence: 'high', sensitivity: 'network', audience: [], language: 'en' });
      alertId = await t!.services.alerts.propose(actorOf('chair'), { country, signs: [sign], severity: 'high', summary: `Registration ahead of the rains (${suffix}).`, actions: ['ad_hoc_meeting'], sensitivity: 'network' });
      await t!.services.alerts.confirm(actorOf('invitee'), alertId);
      pages.chair = await signedInPageFor(people.chair, contexts, javaScriptEnabled);
      pages.invitee = await signedInPageFor(people.invitee, contexts, javaScriptEnabled);
    }, TIMEOUT);

    afterAll(async () => {
      for (const c of contexts) await c.close();
    });

    step('the chair convenes from the alert page in two steps, with a time poll', async () => {
      const page = pages.chair;
      await page.goto(`/alerts/${alertId}`);
      await navigateBy(page, () => main('chair').getByRole('link', { name: en('agenda.conveneFromAlert') }).click(), 200, 'GET');
      await expectAccessible(page, 'convening form');
      // The subscribed organisation is ticked already.
      expect(await main('chair').getByRole('checkbox', { name: new RegExp(names.invitee) }).isChecked()).toBe(true);
      await main('chair').getByLabel(en('agenda.pollSlotLabel', { number: 1 })).fill(london(4, '10:00'));
      await main('chair').getByLabel(en('agenda.pollSlotLabel', { number: 2 })).fill(london(5, '15:00'));
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('agenda.conveneSubmit') }).click(), 200);
      meetingPath = new URL(page.url()).pathname;
      expect(meetingPath).toMatch(/^\/meetings\/[0-9a-f-]{36}$/);
      await page.goto(`${meetingPath}/agenda`);
      expect(await main('chair').textContent()).toContain(`Checkpoints registering families (${suffix}).`);
      await expectAccessible(page, 'agenda of the draft, for its chair');
    });

    step('an invitee reading Arabic marks the times they can make', async () => {
      const page = pages.invitee;
      await page.goto(`${meetingPath}/poll`);
      await navigateBy(page, () => page.getByRole('form', { name: 'Language' }).getByRole('button', { name: 'العربية' }).click(), 200);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await expectAccessible(page, 'time poll, in Arabic');
      await main('invitee').getByRole('checkbox').first().check();
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('agenda.pollMarkSubmit') }).click(), 200);
      expect(await page.getByRole('status').first().textContent()).toBe(ar('notice.pollMarked'));
      await expectAccessible(page, 'time poll answered, in Arabic');
    });

    step('the chair picks the time and schedules the meeting', async () => {
      const page = pages.chair;
      await page.goto(`${meetingPath}/poll`);
      await expectAccessible(page, 'time poll, for its chair');
      await main('chair').getByRole('radio').first().check();
      await navigateBy(page, () => main('chair').getByRole('button', { name: en('agenda.pollPickSubmit') }).click(), 200);
      expect(new URL(page.url()).pathname).toBe(meetingPath);
    });

    step('the invitee proposes an item and the chair accepts it', async () => {
      const page = pages.invitee;
      await page.goto(`${meetingPath}/agenda`);
      await main('invitee').getByLabel(ar('agenda.itemTitle')).fill(`Safe routes (${suffix})`);
      await main('invitee').getByLabel(ar('agenda.itemMinutes')).fill('20');
      await navigateBy(page, () => main('invitee').getByRole('button', { name: ar('agenda.proposeSubmit') }).click(), 200);
      expect(await main('invitee').textContent()).toContain(ar('agenda.state.proposed'));
      await expectAccessible(page, 'agenda with a proposal, in Arabic');
      const chair = pages.chair;
      await chair.goto(`${meetingPath}/agenda`);
      await expectAccessible(chair, 'agenda with a proposal, for its chair');
      await navigateBy(chair, () => main('chair').getByRole('button', { name: en('agenda.acceptSubmit') }).click(), 200);
      expect(await chair.getByRole('status').first().textContent()).toBe(en('notice.agendaAccepted'));
      await expectAccessible(chair, 'agenda with two items, for its chair');
    });
  });
});
