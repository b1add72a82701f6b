import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { audit } from '../platform/audit/audit.service.ts';
import * as communitiesRepo from '../modules/engagement/communities.repository.ts';
import * as consultationsRepo from '../modules/engagement/consultations.repository.ts';
import * as opportunitiesRepo from '../modules/engagement/opportunities.repository.ts';

/**
 * A fictional community and two consultations for a first look at diaspora engagement: one
 * open (so participants have something to join), one whose loop was closed last month (so the
 * fatigue view and the track record are not empty), and two offers of paid work on the board.
 */
export async function seedDemoEngagement(trx: Transaction<DB>, orgIds: readonly string[], createdBy: string): Promise<void> {
  const [lead, other] = orgIds;
  if (!lead || !other) return;
  const community = await communitiesRepo.insertCommunity(
    trx,
    { name: 'Sudanese diaspora in the UK (demo)', description: 'Demo community: people from Sudan living in the United Kingdom.', languages: ['ar', 'en'], created_by_org: lead },
    [
      { label: 'Region of origin', groups: ['Darfur', 'Khartoum', 'Kordofan', 'Eastern Sudan', 'Northern Sudan'] },
      { label: 'Age band', groups: ['18–29', '30–49', '50 and over'] },
      { label: 'Gender', groups: ['Woman', 'Man', 'In another way'] },
    ],
  );
  await audit(trx, null, { action: 'community.create', recordType: 'community', recordId: community });
  const base = {
    format: 'meeting' as const,
    starts_on: null,
    ends_on: null,
    languages: ['ar', 'en'],
    interpretation: 'Arabic–English interpretation throughout.',
    accessibility: 'Step-free venue; childcare on request.',
    compensation_minor: 3000,
    compensation_currency: 'GBP',
    compensation_basis: 'per session of two hours, plus travel',
    no_compensation_reason: null,
    missing_who: 'Women from rural Darfur and people over 50.',
    missing_why: 'Evening meetings in central London; no childcare before.',
    missing_steps: 'A Saturday session in Birmingham with childcare and interpretation.',
    created_by: createdBy,
  };
  const past = await consultationsRepo.insertConsultation(
    trx,
    {
      ...base,
      organisation_id: other,
      title: 'What should our 2026 advocacy put first? (demo)',
      purpose: 'Demo: hear which issues the community wants us to raise with the UK government.',
      decision: 'The three priorities of our 2026 advocacy plan.',
      decision_maker: 'Our board, at its January meeting.',
      can_change: 'Which issues are in the plan, and in what order.',
      cannot_change: 'Our budget, already fixed by our funder.',
    },
    [community],
  );
  const month = 30 * 86_400_000;
  await trx
    .updateTable('consultations')
    .set({ state: 'loop_closed', opened_at: new Date(Date.now() - 3 * month), closed_at: new Date(Date.now() - 2 * month), loop_closed_at: new Date(Date.now() - 2 * month + 12 * 86_400_000) })
    .where('id', '=', past)
    .execute();
  await consultationsRepo.insertFeedback(
    trx,
    past,
    {
      heard: 'Demo: delays in family reunion visas came first, then safety of relatives still in Sudan.',
      did: 'Family reunion is now the first priority of our plan; we briefed two MPs in February.',
      did_not: 'We did not start a media campaign: several of you asked us not to, for your relatives’ safety.',
    },
    createdBy,
  );
  const open = await consultationsRepo.insertConsultation(
    trx,
    {
      ...base,
      organisation_id: lead,
      title: 'Listening session: support for survivors in the UK (demo)',
      purpose: 'Demo: learn what support survivors of violence in Sudan need here.',
      decision: 'Which services we ask funders to pay for next year.',
      decision_maker: 'The network’s funding working group.',
      can_change: 'The services we ask for, and who provides them.',
      cannot_change: 'Decisions of the Home Office.',
    },
    [community],
  );
  await consultationsRepo.setState(trx, open, 'open');
  // The other organisation asked to organise it too: the lead's staff see the request to answer.
  await consultationsRepo.requestOrganiser(trx, open, other, createdBy);
  for (const id of [past, open]) await audit(trx, null, { action: 'consultation.create', recordType: 'consultation', recordId: id });

  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const work = [
    {
      organisation_id: lead,
      kind: 'translation' as const,
      title: 'Translate a two-page summary into Arabic (demo)',
      description: 'Demo: a plain-language summary of our survivors’ support report, about 800 words. We send the text by email and need it back within a week.',
      rate_minor: 12000,
      currency: 'GBP',
      rate_basis: 'task' as const,
      languages: ['ar', 'en'],
      deadline: inDays(21),
      created_by: createdBy,
    },
    {
      organisation_id: other,
      kind: 'catering' as const,
      title: 'Sudanese lunch for thirty at a community meeting (demo)',
      description: 'Demo: lunch for about thirty people at our Saturday meeting in Birmingham, vegetarian options included.',
      rate_minor: 35000,
      currency: 'GBP',
      rate_basis: 'task' as const,
      languages: [],
      deadline: inDays(10),
      created_by: createdBy,
    },
  ];
  for (const w of work) {
    const id = await opportunitiesRepo.insertOpportunity(trx, w);
    await audit(trx, null, { action: 'opportunity.create', recordType: 'opportunity', recordId: id });
  }
}
