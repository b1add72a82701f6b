import { definePolicy } from '../../platform/policy.ts';

/**
 * The directory itself is public (routes use PUBLIC). These rules are for changing it; the
 * service also checks that an org admin acts on their own organisation, or answers 404.
 */
export const directoryPolicy = definePolicy('directory', {
  edit: ['org_admin', 'convener'],
  manageStaff: ['org_admin', 'convener'],
  leave: ['org_admin'],
  changeStatus: ['convener'],
});

export const membershipPolicy = definePolicy('membership', {
  editTerms: ['convener'],
  review: ['convener'],
});

/** The wider network of individual experts: members only. */
export const networkPolicy = definePolicy('network', {
  browse: ['associate', 'member', 'org_admin', 'convener'],
  editOwn: ['associate'],
});
