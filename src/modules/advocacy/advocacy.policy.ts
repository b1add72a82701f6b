import { definePolicy, SIGNED_IN } from '../../platform/policy.ts';

/**
 * Collective advocacy. Published statements, recipients and the commitments tracker are public.
 * Who reads a statement before publication, who drafts it and who signs for an organisation is
 * decided per record (access.ts `statementAccess`, `canSignFor`), not by these rules.
 */
export const advocacyPolicy = definePolicy('advocacy', {
  // Staff of member organisations start and co-draft statements and comment once circulated.
  draft: ['member', 'org_admin'],
  comment: ['member', 'org_admin'],
  // Signing for an organisation: its admin or a signatory it named (checked per organisation);
  // associates only where the drafters chose to circulate to associate organisations.
  sign: ['member', 'org_admin', 'associate'],
  // Individual co-signatures, where a statement allows them: anyone signed in.
  cosign: [...SIGNED_IN],
  // An org admin names the staff who may sign for the organisation.
  nameSignatories: ['org_admin'],
  answerSignatory: ['member', 'org_admin'],
  // The public figures, bodies and posts statements are sent to: kept by the network.
  recipients: ['member', 'org_admin', 'convener'],
  // Rating a commitment needs an organisation standing behind the rating.
  rate: ['member', 'org_admin'],
});
