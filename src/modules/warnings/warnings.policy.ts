import { definePolicy, SIGNED_IN } from '../../platform/policy.ts';

/**
 * Early warning. Reading is public for public signs and alerts; what else a reader sees is
 * decided per record by its sensitivity (signs.repository `visibleTo`), not by these rules.
 * Staff of member organisations record and review signs and propose, confirm and answer
 * alerts; the convener verifies signs, confirms alerts and imports the statistical baseline.
 */
export const warningsPolicy = definePolicy('warnings', {
  record: ['member', 'org_admin'],
  review: ['member', 'org_admin', 'convener'],
  verify: ['convener'],
  propose: ['member', 'org_admin'],
  confirm: ['member', 'org_admin', 'convener'],
  respond: ['member', 'org_admin', 'convener'],
  close: ['member', 'org_admin', 'convener'],
  importForecasts: ['convener'],
  subscribe: [...SIGNED_IN],
});
