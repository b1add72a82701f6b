import { definePolicy } from '../../platform/policy.ts';

export const peoplePolicy = definePolicy('people', {
  list: ['convener'],
  invite: ['convener'],
  setStatus: ['convener'],
});
