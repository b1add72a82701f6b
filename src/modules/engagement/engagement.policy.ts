import { definePolicy } from '../../platform/policy.ts';

/**
 * Diaspora engagement. Communities, open consultations, their published feedback and each
 * organisation's track record are public: accountability to communities is the point.
 * Staff of member organisations organise consultations and keep the ledger of what they owe;
 * community participants belong to communities, describe themselves if they wish, take part
 * and see what they are owed and paid.
 */
export const engagementPolicy = definePolicy('engagement', {
  defineCommunity: ['member', 'org_admin', 'convener'],
  organise: ['member', 'org_admin'],
  belong: ['participant'],
  takePart: ['participant'],
});
