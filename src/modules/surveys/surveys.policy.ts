import { definePolicy } from '../../platform/policy.ts';

/**
 * Surveys. Who answers one, and who reads its results, is decided per record by its audience
 * (surveys.service); these rules say who may build and run them: member organisations' staff, in
 * their organisation's name, and the convener.
 */
export const surveysPolicy = definePolicy('surveys', {
  run: ['member', 'org_admin', 'convener'],
});
