/**
 * Collective advocacy in a real browser, with and without JavaScript (issue 13, "Browser journey"):
 * an alert asking for a joint statement → a draft → co-drafted by a second organisation that
 * accepts → circulated with a deadline → two organisations sign (one on a 360 px phone, one in
 * Arabic, right to left), one declines → an edit makes version 2 and asks them to sign again →
 * they sign again → published → sent to two posts → a reply recorded → a commitment extracted and
 * rated "in the works" with evidence → the public tracker shows it to an anonymous visitor.
 * Every page visited passes axe.
 *
 * The alert is set up through the services (the early-warning journey in browser.journey.ts clicks
 * through it already); everything from the alert page on is clicked, as people would.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonActor } from '../../src/platform/policy.ts';
import { createOrganisation, createPerson, type TestApp, type TestPerson } from '../helpers.ts';
import { browserSuite, strict, duplicateIds, expectAccessible as axeClean, navigateBy, newPageFor, PHONE, sideways, signedInPageFor, startBrowserApp, steps, stopBrowserApp, TIMEOUT, everyPageFitsAPhone, tick, ticked, sweeping } from './kit.ts';

const suite = browserSuite();
const DESKTOP = { width: 1280, height: 900 };

const en = strict('en');
const ar = strict('ar');

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/**
 * No sideways scrolling on a 360 px phone. A soft failure: the page is named with what sticks out,
 * and the journey goes on, so one run reports every page that overflows.
 */
const noSidewaysScrolling = async (page: Page, what: string) => {
  const { scrollWidth, culprits } = await sideways(page);
  // What scrolls inside its own box (a wide table in TableWrap) is not the page scrolling sideways.
  const overflow = scrollWidth > PHONE.width ? { scrollWidth, culprits } : undefined;
  expect.soft(overflow, `${what} (${new URL(page.url()).pathname}): no sideways scrolling on a 360 px phone`).toBeUndefined();
};

/**
 * axe clean (a hard failure), and every id once only (soft: the page is named with the ids, and
 * the journey goes on).
 */
const expectAccessible = async (page: Page, what: string) => {
  await axeClean(page, what);
  expect.soft(await duplicateIds(page), `${what} (${new URL(page.url()).pathname}): ids used twice leave fields without their label`).toEqual([]);
};

let t: TestApp | undefined;

suite('advocacy journey', () => {
  beforeAll(async () => {
    ({ t } = await startBrowserApp());
  }, TIMEOUT);

  afterAll(async () => {
    await stopBrowserApp();
  }, TIMEOUT);

  describe.each([true, false])('from an alert to a tracked commitment — JavaScript enabled: %s', (javaScriptEnabled) => {
    const suffix = javaScriptEnabled ? 'Jasmine' : 'Nutmeg';
    const country = javaScriptEnabled ? 'SDN' : 'SSD';
    const title = `Protect civilians before the rains (${suffix})`;
    const names = {
      lead: `Lead Voices ${suffix}`,
      codrafter: `Co-drafting Circle ${suffix}`,
      phone: `Phone Signers ${suffix}`,
      arabic: `Arabic Signers ${suffix}`,
      decliner: `Careful Network ${suffix}`,
    };
    type Who = keyof typeof names;
    const contexts: BrowserContext[] = [];
    const orgs = {} as Record<Who, { id: string; slug: string }>;
    const people = {} as Record<Who, TestPerson>;
    const pages = {} as Record<Who, Page>;
    let anonymous: Page;
    let alertId = '';
    let statementPath = '';
    let personPath = '';
    const party = `Unity Party ${suffix}`;
    const posts = [`Leader of the Unity Party ${suffix}`, `Minister for Humanitarian Affairs ${suffix}`] as const;
    const holders = [
      { name: `Amina Hassan ${suffix}`, email: `amina.${suffix.toLowerCase()}@parliament.example.org` },
      { name: `Daniel Okello ${suffix}`, email: `daniel.${suffix.toLowerCase()}@government.example.org` },
    ] as const;
    const quote = 'We will open the northern road to aid convoys within a month';
    const replyText = `Thank you for your letter. ${quote} (${suffix}).`;
    const commitmentSummary = `Will open the northern road to aid convoys (${suffix})`;
    const evidence = `https://news.example.org/${suffix.toLowerCase()}/road-survey`;
    let replyId = '';
    let commitmentPath = '';

    const actorOf = (who: Who): PersonActor => ({
      kind: 'person',
      id: people[who].id,
      displayName: who,
      networkRole: 'member',
      memberships: [{ organisationId: orgs[who].id, role: 'org_admin', name: names[who], standing: 'member' }],
      locale: null,
    });
    const main = (who: Who) => pages[who].getByRole('main');
    /** The notice after an action: said once (soft, so a page that says it twice is reported and the journey goes on). */
    const status = async (page: Page) => {
      expect.soft(await page.getByRole('status').count(), `${new URL(page.url()).pathname}: the notice is said once`).toBe(1);
      return page.getByRole('status').first().textContent();
    };

    beforeAll(async () => {
      const db = t!.platform.db;
      for (const who of Object.keys(names) as Who[]) {
        const { id } = await createOrganisation(t!, names[who]);
        const { slug } = await db.selectFrom('organisations').select('slug').where('id', '=', id).executeTakeFirstOrThrow();
        orgs[who] = { id, slug };
        // Each organisation's admin: they draft, sign and decline for it.
        people[who] = await createPerson(t!, 'org_admin', { organisationId: id });
      }
      // Two organisations' signs on one country, an alert proposed by one and confirmed by the other.
      const observedOn = future(-3);
      const signOf = (who: Who, description: string, indicator: string) =>
        t!.services.signs.record(actorOf(who), { country, observedOn, indicators: [indicator], description, links: [], confidence: 'high', sensitivity: 'network', audience: [], language: 'en' });
      const signs = [await signOf('lead', `Militia checkpoints registering families by origin (${suffix}).`, '7.4'), await signOf('codrafter', `Radio calls to drive a community out (${suffix}).`, '7.1')];
      alertId = await t!.services.alerts.propose(actorOf('lead'), { country, signs, severity: 'high', summary: `Registration of a community ahead of the rains (${suffix}).`, actions: ['joint_statement'], sensitivity: 'network' });
      await t!.services.alerts.confirm(actorOf('codrafter'), alertId);

      pages.lead = await signedInPageFor(people.lead, contexts, javaScriptEnabled, DESKTOP);
      pages.codrafter = await signedInPageFor(people.codrafter, contexts, javaScriptEnabled, DESKTOP);
      pages.phone = await signedInPageFor(people.phone, contexts, javaScriptEnabled, PHONE);
      pages.arabic = await signedInPageFor(people.arabic, contexts, javaScriptEnabled, PHONE);
      pages.decliner = await signedInPageFor(people.decliner, contexts, javaScriptEnabled, DESKTOP);
    }, TIMEOUT);

    afterAll(async () => {
      for (const context of contexts) await context.close();
    }, TIMEOUT);

    const step = steps();

    step('the alert offers to start a statement, prefilled with its country and signs; the draft is saved', async () => {
      const page = pages.lead;
      await page.goto(`/alerts/${alertId}`);
      await expectAccessible(page, 'alert asking for a joint statement');
      await navigateBy(page, () => main('lead').getByRole('link', { name: en('statements.startFromAlert') }).click(), 200, 'GET');
      expect(new URL(page.url()).pathname).toBe('/statements/new');
      expect(await main('lead').getByRole('heading', { level: 1 }).textContent()).toBe(en('statements.newTitle'));
      await expectAccessible(page, 'start a statement');
      const form = main('lead');
      expect(await ticked(form, en('statements.field.countries'))).toEqual([country]);
      const cited = form.getByRole('group', { name: en('statements.field.signs') }).getByRole('checkbox');
      expect(await cited.count(), 'both organisations’ signs are offered').toBe(2);
      for (const box of await cited.all()) expect(await box.isChecked(), 'and already chosen').toBe(true);
      expect(await form.getByRole('combobox', { name: en('statements.field.kind') }).inputValue()).toBe('joint_statement');

      await form.getByRole('textbox', { name: en('statements.field.title'), exact: true }).fill(title);
      await form.getByRole('textbox', { name: en('statements.field.summary'), exact: true }).fill('Member organisations call for civilians to be protected before the rains cut the roads.');
      await form.getByRole('textbox', { name: en('statements.field.asks'), exact: true }).fill('Open the roads to aid convoys\nStop the registration of families by origin');
      await form.getByRole('textbox', { name: en('statements.field.body'), exact: true }).fill('Families are being **registered by origin** at checkpoints.\n\nWe ask the authorities to stop it now.');
      await navigateBy(page, () => form.getByRole('button', { name: en('statements.create') }).click(), 200);
      statementPath = new URL(page.url()).pathname;
      expect(statementPath).toMatch(/^\/statements\/[0-9a-f-]{36}$/);
      expect(await status(page)).toBe(en('notice.statementCreated'));
      expect(await main('lead').getByRole('heading', { level: 1 }).textContent()).toBe(title);
      // Linked both ways: the statement shows the alert it answers.
      expect(await main('lead').locator(`a[href="/alerts/${alertId}"]`).count(), 'the statement links to its alert').toBe(1);
      await expectAccessible(page, 'draft statement (lead)');
    });

    step('a second organisation is invited to co-draft, has no say until it accepts, and accepts', async () => {
      const page = pages.lead;
      await main('lead').getByRole('combobox', { name: en('statements.inviteDrafter') }).selectOption({ label: names.codrafter });
      await navigateBy(page, () => main('lead').getByRole('button', { name: en('statements.inviteDrafterButton'), exact: true }).click(), 200);
      expect(await status(page)).toBe(en('notice.statementDrafterInvited'));
      expect(await main('lead').getByRole('listitem').filter({ hasText: names.codrafter }).first().textContent()).toContain(en('statements.drafterInvited'));
      await expectAccessible(page, 'draft with an invited co-drafter');

      const co = pages.codrafter;
      await co.goto(statementPath);
      expect(await main('codrafter').textContent()).toContain(en('statements.drafterInvitation', { organisation: names.codrafter }));
      expect(await main('codrafter').getByRole('link', { name: en('statements.edit') }).count(), 'no editing before accepting').toBe(0);
      await expectAccessible(co, 'invitation to co-draft');
      await navigateBy(co, () => main('codrafter').getByRole('button', { name: en('statements.drafterAccept') }).click(), 200);
      expect(await status(co)).toBe(en('notice.statementDraftingAccepted'));
      expect(await main('codrafter').getByRole('link', { name: en('statements.edit') }).count(), 'a co-drafter edits').toBe(1);
      const drafters = main('codrafter').getByRole('region', { name: en('statements.drafters'), exact: true });
      expect(await drafters.getByRole('link', { name: names.lead }).count()).toBe(1);
      expect(await drafters.textContent(), 'no longer only invited').not.toContain(en('statements.drafterInvited'));
      await expectAccessible(co, 'draft (co-drafter)');
    });

    step('circulated with a deadline: member organisations are told by mail', async () => {
      const page = pages.lead;
      await page.goto(statementPath);
      await main('lead').getByRole('textbox', { name: en('statements.field.deadline') }).fill(future(14));
      await navigateBy(page, () => main('lead').getByRole('button', { name: en('statements.circulateButton'), exact: true }).click(), 200);
      expect(await status(page)).toBe(en('notice.statementCirculated'));
      expect(await main('lead').textContent()).toContain(en('statements.state.circulated'));
      await expectAccessible(page, 'circulated statement (lead)');
      const mail = await t!.platform.db.selectFrom('mail_messages').select('subject').where('recipient', '=', people.phone.identifier).where('subject', '=', en('statements.mail.circulated.subject', { title })).execute();
      expect(mail, 'the phone signatory’s organisation is told').toHaveLength(1);
    });

    step('one organisation signs on a 360 px phone', async () => {
      const page = pages.phone;
      await page.goto(statementPath);
      await expectAccessible(page, 'statement to sign, on a phone');
      await noSidewaysScrolling(page, 'statement to sign');
      await navigateBy(page, () => main('phone').getByRole('button', { name: en('statements.signButton', { organisation: names.phone }) }).click(), 200);
      expect(await status(page)).toBe(en('notice.statementSigned'));
      expect(await main('phone').textContent()).toContain(en('statements.youSigned', { version: 1 }));
      await expectAccessible(page, 'signed statement, on a phone');
      await noSidewaysScrolling(page, 'signed statement');
    });

    step('another signs in Arabic, right to left', async () => {
      const page = pages.arabic;
      await page.goto(statementPath);
      await navigateBy(page, () => page.getByRole('form', { name: 'Language' }).getByRole('button', { name: 'العربية' }).click(), 200);
      expect(new URL(page.url()).pathname, 'the language switch comes back to the statement').toBe(statementPath);
      expect(await page.locator('html').getAttribute('lang')).toBe('ar');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await main('arabic').getByRole('heading', { level: 2, name: ar('statements.signHeading') }).count()).toBe(1);
      await expectAccessible(page, 'statement to sign, in Arabic');
      await noSidewaysScrolling(page, 'statement to sign, in Arabic');
      await navigateBy(page, () => main('arabic').getByRole('button', { name: ar('statements.signButton', { organisation: names.arabic }) }).click(), 200);
      expect(await status(page)).toBe(ar('notice.statementSigned'));
      expect(await main('arabic').textContent()).toContain(ar('statements.youSigned', { version: 1 }));
      await expectAccessible(page, 'signed statement, in Arabic');
      await noSidewaysScrolling(page, 'signed statement, in Arabic');
    });

    step('a third declines, with a reason only the drafters read', async () => {
      const page = pages.decliner;
      await page.goto(statementPath);
      await expectAccessible(page, 'statement to sign or decline');
      const reason = `We do not work in this region yet (${suffix}).`;
      await main('decliner').getByRole('textbox', { name: en('statements.declineReason') }).fill(reason);
      await navigateBy(page, () => main('decliner').getByRole('button', { name: en('statements.declineButton') }).click(), 200);
      expect(await status(page)).toBe(en('notice.statementDeclined'));
      await expectAccessible(page, 'declined statement');

      await pages.lead.goto(statementPath);
      expect(await main('lead').textContent()).toContain(en('statements.signatoryCount', { organisations: 2, individuals: 0, version: 1 }));
      expect(await main('lead').getByRole('listitem').filter({ hasText: names.decliner }).filter({ hasText: reason }).count(), 'the drafters read the reason').toBe(1);
      await expectAccessible(pages.lead, 'statement with two signatures and a decline (lead)');
      await pages.phone.goto(statementPath);
      expect(await main('phone').textContent(), 'a signatory does not read the reason').not.toContain(reason);
    });

    step('an edit makes version 2: the signatories see “signed version 1” and what changed', async () => {
      const page = pages.lead;
      await navigateBy(page, () => main('lead').getByRole('link', { name: en('statements.edit') }).click(), 200, 'GET');
      expect(await main('lead').textContent()).toContain(en('statements.editMakesVersion'));
      await expectAccessible(page, 'edit a circulated statement');
      const body = main('lead').getByRole('textbox', { name: en('statements.field.body'), exact: true });
      await body.fill(`${await body.inputValue()}\n\nWe also ask for an arms embargo.`);
      await navigateBy(page, () => main('lead').getByRole('button', { name: en('statements.save'), exact: true }).click(), 200);
      expect(await status(page)).toBe(en('notice.statementSaved'));
      expect(await main('lead').textContent()).toContain(en('statements.signatoryCount', { organisations: 0, individuals: 0, version: 2 }));
      const earlier = main('lead').getByRole('region', { name: en('statements.signatories'), exact: true });
      for (const who of ['phone', 'arabic'] as const) expect(await earlier.textContent()).toContain(`${names[who]} — ${en('statements.signedVersion', { version: 1 })}`);
      await expectAccessible(page, 'version 2 (lead)');

      const phone = pages.phone;
      await phone.goto(statementPath);
      const sign = main('phone').getByRole('region', { name: en('statements.signHeading'), exact: true });
      expect(await sign.textContent()).toContain(en('statements.signAgain', { version: 1, current: 2 }));
      expect(await sign.getByText(en('statements.diffFrom', { version: 1 })).isVisible(), 'the diff is shown open').toBe(true);
      expect(await sign.locator('ins').filter({ hasText: 'arms embargo' }).count(), 'the added words are marked').toBe(1);
      await expectAccessible(phone, 'sign again, on a phone');
      await noSidewaysScrolling(phone, 'sign again with the diff');

      const arabic = pages.arabic;
      await arabic.goto(statementPath);
      expect(await arabic.locator('html').getAttribute('dir'), 'the language chosen stays').toBe('rtl');
      const signAr = main('arabic').getByRole('region', { name: ar('statements.signHeading'), exact: true });
      expect(await signAr.textContent()).toContain(ar('statements.signAgain', { version: 1, current: 2 }));
      expect(await signAr.getByText(ar('statements.diffFrom', { version: 1 })).isVisible()).toBe(true);
      await expectAccessible(arabic, 'sign again, in Arabic');
      await noSidewaysScrolling(arabic, 'sign again with the diff, in Arabic');
    });

    step('they sign version 2 and the drafters publish it; the public reads it with its signatories', async () => {
      await navigateBy(pages.phone, () => main('phone').getByRole('button', { name: en('statements.signButton', { organisation: names.phone }) }).click(), 200);
      expect(await main('phone').textContent()).toContain(en('statements.youSigned', { version: 2 }));
      await navigateBy(pages.arabic, () => main('arabic').getByRole('button', { name: ar('statements.signButton', { organisation: names.arabic }) }).click(), 200);
      expect(await main('arabic').textContent()).toContain(ar('statements.youSigned', { version: 2 }));

      const page = pages.codrafter;
      await page.goto(statementPath);
      expect(await main('codrafter').textContent()).toContain(en('statements.publishIntro', { version: 2 }));
      await navigateBy(page, () => main('codrafter').getByRole('button', { name: en('statements.publishButton') }).click(), 200);
      expect(await status(page)).toBe(en('notice.statementPublished'));
      await expectAccessible(page, 'published statement (co-drafter)');

      anonymous = await newPageFor(contexts, javaScriptEnabled, PHONE);
      await anonymous.goto(statementPath);
      const shown = anonymous.getByRole('main');
      expect(await shown.getByRole('heading', { level: 1 }).textContent()).toBe(title);
      expect(await shown.textContent()).toContain(en('statements.state.published'));
      expect(await shown.textContent()).toContain(en('statements.signatoryCount', { organisations: 2, individuals: 0, version: 2 }));
      for (const who of ['phone', 'arabic'] as const) expect(await shown.locator(`a[href="/directory/${orgs[who].slug}"]`).count(), `${names[who]} is linked to its profile`).toBe(1);
      expect(await shown.textContent(), 'the organisation that declined is not named').not.toContain(names.decliner);
      expect(await shown.locator(`a[href="/alerts/${alertId}"]`).count(), 'the network-only alert is not shown to the public').toBe(0);
      await expectAccessible(anonymous, 'published statement (anonymous, phone)');
      await noSidewaysScrolling(anonymous, 'published statement');
    });

    step('a person and a post are recorded on the recipients pages; the person is in a party and holds the post', async () => {
      const page = pages.lead;
      // The party through the services: on /recipients/new its Name field shares id="name" with the
      // person's, so it has no label of its own to find it by (reported; duplicateIds names it).
      const recipients = t!.services.recipients;
      await recipients.createBody(actorOf('lead'), { name: party, classification: 'party' });
      const form = (section: string) => main('lead').getByRole('region', { name: en(section), exact: true });
      await page.goto('/recipients');
      await expectAccessible(page, 'recipients directory');
      await navigateBy(page, () => main('lead').getByRole('link', { name: en('recipients.new') }).click(), 200, 'GET');
      await expectAccessible(page, 'add posts, people and bodies');

      await form('recipients.person.new').getByRole('textbox', { name: en('recipients.person.name') }).fill(holders[0].name);
      await form('recipients.person.new').getByRole('textbox', { name: en('recipients.email') }).fill(holders[0].email);
      await navigateBy(page, () => form('recipients.person.new').getByRole('button', { name: en('recipients.person.create') }).click(), 200);
      expect(await status(page)).toBe(en('notice.recipientPersonCreated'));
      expect(await main('lead').getByRole('heading', { level: 1 }).textContent()).toBe(holders[0].name);
      personPath = new URL(page.url()).pathname;
      await main('lead').getByRole('combobox', { name: en('recipients.party') }).selectOption({ label: party });
      await main('lead').getByRole('textbox', { name: en('recipients.startDate') }).fill('2025-01-01');
      await navigateBy(page, () => main('lead').getByRole('button', { name: en('recipients.addPartyButton') }).click(), 200);
      expect(await status(page)).toBe(en('notice.recipientPartyAdded'));
      expect(await main('lead').textContent()).toContain(en('recipients.partyNow', { party }));
      await expectAccessible(page, 'a person, with their party');

      await page.goto('/recipients/new');
      await form('recipients.post.new').getByRole('textbox', { name: en('recipients.post.label') }).fill(posts[0]);
      await form('recipients.post.new').getByRole('combobox', { name: en('recipients.post.body') }).selectOption({ label: party });
      await navigateBy(page, () => form('recipients.post.new').getByRole('button', { name: en('recipients.post.create') }).click(), 200);
      expect(await status(page)).toBe(en('notice.recipientPostCreated'));
      expect(await main('lead').getByRole('heading', { level: 1 }).textContent()).toBe(posts[0]);
      await main('lead').getByRole('combobox', { name: en('recipients.person.label') }).selectOption({ label: holders[0].name });
      await main('lead').getByRole('textbox', { name: en('recipients.startDate') }).fill('2025-01-01');
      await navigateBy(page, () => main('lead').getByRole('button', { name: en('recipients.addHolderButton') }).click(), 200);
      expect(await status(page)).toBe(en('notice.recipientHolderAdded'));
      expect(await main('lead').getByRole('table').getByRole('link', { name: holders[0].name }).count()).toBe(1);
      await expectAccessible(page, 'a post and its holder');

      // The second post and its holder through the services: the same pages were just clicked through.
      const second = await recipients.createPerson(actorOf('lead'), { name: holders[1].name, email: holders[1].email });
      const post = await recipients.createPost(actorOf('lead'), { label: posts[1] });
      await recipients.addHolder(actorOf('lead'), post, { person: second, startDate: '2025-06-01' });
    });

    step('the published statement is addressed to the two posts and sent: each reaches its holder by mail', async () => {
      const page = pages.lead;
      await page.goto(statementPath);
      await navigateBy(page, () => main('lead').getByRole('link', { name: en('replies.section.manage') }).click(), 200, 'GET');
      expect(new URL(page.url()).pathname).toBe(`${statementPath}/recipients`);
      expect(await main('lead').getByRole('heading', { level: 1 }).textContent()).toBe(en('delivery.title', { title }));
      await expectAccessible(page, 'recipients of the statement (none yet)');
      const add = main('lead').getByRole('region', { name: en('delivery.add'), exact: true });
      await tick(add, en('delivery.posts'), [`${posts[0]} (${holders[0].name})`, `${posts[1]} (${holders[1].name})`], 'label');
      expect(await add.getByRole('radio', { name: en('delivery.channel.email') }).isChecked()).toBe(true);
      await navigateBy(page, () => add.getByRole('button', { name: en('delivery.addButton') }).click(), 200);
      expect(await status(page)).toBe(en('notice.recipientsAdded'));
      await expectAccessible(page, 'recipients of the statement, not sent');
      await navigateBy(page, () => main('lead').getByRole('button', { name: en('delivery.sendButton', { count: 2 }) }).click(), 200);
      expect(await status(page)).toBe(en('notice.recipientsSent'));
      const table = main('lead').getByRole('table');
      for (const [i, label] of posts.entries()) expect(await table.getByRole('row').filter({ hasText: label }).textContent()).toContain(holders[i]!.name);
      await expectAccessible(page, 'recipients of the statement, sent');
      // Delivered through the job queue: each holder's mail is in the outbox within seconds.
      for (const holder of holders) {
        let mail: { subject: string } | undefined;
        for (let i = 0; i < 40 && !mail; i++) {
          mail = await t!.platform.db.selectFrom('mail_messages').select('subject').where('recipient', '=', holder.email).executeTakeFirst();
          if (!mail) await new Promise((r) => setTimeout(r, 250));
        }
        expect(mail?.subject, `the letter reaches ${holder.name}`).toContain(title);
      }
      // The post resolved to its holder that day: the statement is on the person's record too.
      await anonymous.goto(personPath);
      const addressed = anonymous.getByRole('main').getByRole('region', { name: en('recipients.statementsAddressed'), exact: true });
      expect(await addressed.getByRole('link', { name: title }).count()).toBe(1);
      await expectAccessible(anonymous, 'a recipient’s public page (anonymous, phone)');
      await noSidewaysScrolling(anonymous, 'a recipient’s public page');
    });

    step('a reply is recorded against the first post and published', async () => {
      const page = pages.lead;
      await page.goto(`${statementPath}/recipients`);
      const record = main('lead').getByRole('region', { name: en('replies.record'), exact: true });
      const who = `${posts[0]} (${holders[0].name})`;
      await record.getByText(en('replies.recordFor', { who }), { exact: true }).click();
      const form = record.locator('details').filter({ hasText: en('replies.recordFor', { who }) });
      expect(await form.getByRole('radio', { name: en('replies.kind.substantive'), exact: true }).isChecked()).toBe(true);
      await form.getByRole('textbox', { name: en('replies.body') }).fill(replyText);
      await form.getByRole('textbox', { name: en('replies.receivedOn') }).fill(future(0));
      await expectAccessible(page, 'recording a reply');
      await navigateBy(page, () => form.getByRole('button', { name: en('replies.recordButton') }).click(), 200);
      expect(await status(page)).toBe(en('notice.replyRecorded'));
      const row = main('lead').getByRole('table').getByRole('row').filter({ hasText: posts[0] });
      expect(await row.textContent()).toContain(replyText);
      await navigateBy(page, () => row.getByRole('button', { name: en('replies.publish'), exact: true }).click(), 200);
      expect(await status(page)).toBe(en('notice.replyPublished'));
      await expectAccessible(page, 'recipients with a published reply');
      const unpublish = await row.locator('form').filter({ has: page.getByRole('button', { name: en('replies.unpublish'), exact: true }) }).getAttribute('action');
      replyId = /\/replies\/([0-9a-f-]{36})\/unpublish$/.exec(unpublish ?? '')?.[1] ?? '';
      expect(replyId, 'the published reply offers to unpublish it').not.toBe('');
      // The public reads the published reply on the statement's page, against the post that received it.
      await anonymous.goto(statementPath);
      const answered = anonymous.getByRole('main').getByRole('region', { name: en('replies.section.title'), exact: true });
      const item = answered.getByRole('listitem').filter({ has: anonymous.getByRole('link', { name: posts[0] }) });
      expect(await item.textContent()).toContain(replyText);
      expect(await item.textContent()).toContain(en('replies.kind.substantive'));
      expect(await answered.getByRole('listitem').filter({ has: anonymous.getByRole('link', { name: posts[1] }) }).textContent()).toContain(en('replies.section.noReply'));
      await expectAccessible(anonymous, 'published statement with a reply (anonymous, phone)');
      await noSidewaysScrolling(anonymous, 'published statement with a reply');
    });

    step('a commitment is extracted from the reply, word for word, and rated “in the works” — not without evidence', async () => {
      const page = pages.lead;
      await page.goto(`${statementPath}/replies/${replyId}/commitments/new`);
      expect(await main('lead').getByRole('heading', { level: 1 }).textContent()).toBe(en('commitments.extractTitle'));
      expect(await main('lead').locator('blockquote').textContent()).toContain(replyText);
      await expectAccessible(page, 'record a commitment from a reply');
      await main('lead').getByRole('textbox', { name: en('commitments.quote') }).fill(quote);
      await main('lead').getByRole('textbox', { name: en('commitments.summary') }).fill(commitmentSummary);
      await tick(main('lead'), en('commitments.countries'), [country]);
      await navigateBy(page, () => main('lead').getByRole('button', { name: en('commitments.extractSubmit') }).click(), 200);
      expect(await status(page)).toBe(en('notice.commitmentCreated'));
      commitmentPath = new URL(page.url()).pathname;
      expect(commitmentPath).toMatch(/^\/commitments\/[0-9a-f-]{36}$/);
      expect(await main('lead').getByRole('heading', { level: 1 }).textContent()).toBe(commitmentSummary);
      // Attached to the person, the post they held and their party.
      const madeBy = main('lead').locator('dl.facts');
      expect(await madeBy.getByRole('link', { name: holders[0].name }).count()).toBe(1);
      expect(await madeBy.getByRole('link', { name: posts[0] }).count()).toBe(1);
      expect(await madeBy.textContent()).toContain(`(${party})`);
      await expectAccessible(page, 'a new commitment (lead)');

      const rate = main('lead').getByRole('region', { name: en('commitments.rateTitle'), exact: true });
      await rate.getByRole('radio', { name: en('ratings.in_the_works'), exact: true }).check();
      await rate.getByRole('textbox', { name: en('commitments.ratedOnLabel') }).fill(future(0));
      await navigateBy(page, () => rate.getByRole('button', { name: en('commitments.rateSubmit') }).click(), 400);
      expect(await page.getByRole('alert').textContent()).toContain(en('errors.ratingEvidence'));
      expect(await main('lead').textContent(), 'nothing is rated').toContain(en('commitments.noRatings'));
      await expectAccessible(page, 'a rating refused without evidence');

      expect(await rate.getByRole('radio', { name: en('ratings.in_the_works'), exact: true }).isChecked(), 'the choice is kept').toBe(true);
      await rate.getByRole('textbox', { name: en('commitments.evidenceUrl') }).fill(evidence);
      await rate.getByRole('textbox', { name: en('commitments.note') }).fill('Convoy routes are being surveyed.');
      await navigateBy(page, () => rate.getByRole('button', { name: en('commitments.rateSubmit') }).click(), 200);
      expect(await status(page)).toBe(en('notice.commitmentRated'));
      const history = main('lead').locator('ol.history > li');
      expect(await history.count()).toBe(1);
      expect(await history.textContent()).toContain(en('ratings.in_the_works'));
      expect(await history.getByRole('link', { name: names.lead }).count(), 'the organisation standing behind the rating').toBe(1);
      expect(await history.getByRole('link', { name: evidence }).count()).toBe(1);
      await expectAccessible(page, 'a rated commitment (lead)');
    });

    step('an anonymous visitor on a phone finds it in the public tracker, rated “in the works”', async () => {
      const page = anonymous;
      await page.goto('/commitments');
      expect(await page.getByRole('main').getByRole('heading', { level: 1 }).textContent()).toBe(en('commitments.title'));
      await expectAccessible(page, 'commitments tracker (anonymous, phone)');
      await noSidewaysScrolling(page, 'commitments tracker');
      const filters = page.getByRole('main').locator('form.filters');
      await filters.getByRole('combobox', { name: en('commitments.party') }).selectOption({ label: party });
      await navigateBy(page, () => filters.getByRole('button', { name: en('commitments.filter') }).click(), 200, 'GET');
      const shown = page.getByRole('main');
      expect(await shown.textContent()).toContain(en('commitments.found', { count: 1 }));
      expect(await shown.textContent()).toContain(en('commitments.ratingCount', { rating: en('ratings.in_the_works'), count: 1 }));
      const card = shown.getByRole('listitem').filter({ has: page.getByRole('link', { name: commitmentSummary }) });
      expect(await card.textContent()).toContain(en('ratings.in_the_works'));
      await expectAccessible(page, 'commitments tracker filtered by party (anonymous, phone)');
      await noSidewaysScrolling(page, 'commitments tracker filtered by party');
      await navigateBy(page, () => card.getByRole('link', { name: commitmentSummary }).click(), 200, 'GET');
      expect(new URL(page.url()).pathname).toBe(commitmentPath);
      expect(await shown.locator('blockquote').textContent()).toContain(quote);
      expect(await shown.locator('ol.history').textContent()).toContain(en('ratings.in_the_works'));
      expect(await shown.getByRole('region', { name: en('commitments.rateTitle') }).count(), 'a visitor does not rate').toBe(0);
      await expectAccessible(page, 'a commitment (anonymous, phone)');
      await noSidewaysScrolling(page, 'a commitment');
    });
  });

  // The drawing does not depend on the database: it runs once per CI run, on the embedded one.
  it.skipIf(!sweeping())('every page it visited fits a 360 px phone in English and Arabic, and passes axe', { timeout: 10 * TIMEOUT }, async () => {
    const { pages, drawn, list } = await everyPageFitsAPhone();
    console.info(`[e2e] ${pages} pages visited; ${drawn} drawings at 360 px not done by an earlier journey: ${list.join(', ')}`);
  });
});
