import type { Transaction } from 'kysely';
import type { DB, Sensitivity, SignState } from '../db/schema.ts';
import { audit } from '../platform/audit/audit.service.ts';
import * as frameworkRepo from '../modules/warnings/framework.repository.ts';
import * as signsRepo from '../modules/warnings/signs.repository.ts';

/**
 * Fictional warning signs for a first look at the country pictures: a few countries of the
 * demo organisations, spread over the last months, some corroborated by a second demo
 * organisation. Invented events; any likeness to real reports is the framework's vocabulary.
 */
interface DemoSign {
  org: number;
  corroboratedBy?: number;
  country: string;
  area: string;
  daysAgo: number;
  indicators: string[];
  description: string;
  sensitivity: Sensitivity;
}

const DEMO_SIGNS: DemoSign[] = [
  { org: 1, corroboratedBy: 7, country: 'SDN', area: 'North Darfur', daysAgo: 3, indicators: ['7.4', '11'], description: 'Demo: armed groups set up checkpoints registering residents by ethnicity.', sensitivity: 'public' },
  { org: 1, corroboratedBy: 0, country: 'SDN', area: 'West Darfur', daysAgo: 12, indicators: ['9.4'], description: 'Demo: radio broadcasts call a community "foreigners" who must leave.', sensitivity: 'network' },
  { org: 7, country: 'SDN', area: 'Khartoum', daysAgo: 40, indicators: ['14.1'], description: 'Demo: aid convoy stopped and staff detained for a day.', sensitivity: 'public' },
  { org: 1, country: 'SDN', area: 'South Kordofan', daysAgo: 95, indicators: ['1.1', '5'], description: 'Demo: new fighting reported around supply routes.', sensitivity: 'public' },
  { org: 2, corroboratedBy: 0, country: 'MMR', area: 'Rakhine', daysAgo: 6, indicators: ['7.9', '10'], description: 'Demo: internet shut down in several townships ahead of military operations.', sensitivity: 'public' },
  { org: 2, country: 'MMR', area: 'Sagaing', daysAgo: 20, indicators: ['11.1'], description: 'Demo: villages burned after clashes; residents displaced to the forest.', sensitivity: 'network' },
  { org: 2, country: 'MMR', area: 'Kachin', daysAgo: 70, indicators: ['8.4'], description: 'Demo: commemoration gathering banned and organisers arrested.', sensitivity: 'public' },
  { org: 4, corroboratedBy: 0, country: 'UKR', area: 'Kherson', daysAgo: 9, indicators: ['13.1'], description: 'Demo: shelling of a residential area with no military objective nearby.', sensitivity: 'public' },
  { org: 7, country: 'COD', area: 'Ituri', daysAgo: 15, indicators: ['9', '4.1'], description: 'Demo: leaflets naming a community as enemies circulate in markets.', sensitivity: 'public' },
];

function day(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

export async function seedDemoSigns(trx: Transaction<DB>, orgIds: readonly string[]): Promise<void> {
  const framework = await frameworkRepo.latestFramework(trx);
  if (!framework) return;
  const { indicators } = await frameworkRepo.frameworkParts(trx, framework.id);
  const factorOf = new Map(indicators.map((i) => [i.code, i.factor_code]));
  for (const s of DEMO_SIGNS) {
    const organisationId = orgIds[s.org];
    if (!organisationId) continue;
    const corroborator = s.corroboratedBy === undefined ? undefined : orgIds[s.corroboratedBy];
    const state: SignState = corroborator ? 'corroborated' : 'unverified';
    const id = await signsRepo.insertSign(trx, {
      organisation_id: organisationId,
      reported_by: null,
      country: s.country,
      area: s.area,
      observed_on: day(s.daysAgo),
      reported_on: day(Math.max(0, s.daysAgo - 1)),
      framework_id: framework.id,
      factor_codes: [...new Set(s.indicators.map((c) => factorOf.get(c) ?? c))],
      indicator_codes: s.indicators,
      description: s.description,
      confidence: 'medium',
      sensitivity: s.sensitivity,
      language: 'en',
      state,
      is_demo: true,
    });
    await signsRepo.insertSources(trx, id, [{ url: 'https://example.org/demo-source' }]);
    if (corroborator) {
      await signsRepo.insertReview(trx, { sign_id: id, organisation_id: corroborator, person_id: null, kind: 'corroborate', body: 'Demo: our monitors saw the same.' });
    }
    await audit(trx, null, { action: 'sign.record', recordType: 'warning_sign', recordId: id });
  }
}
