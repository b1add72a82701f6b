import { type AccessRule, type Actor, definePolicy, rolesOf, SIGNED_IN } from '../../platform/policy.ts';

/**
 * The directory itself is public (routes use PUBLIC). These rules are for changing it; the
 * service also checks that an org admin acts on their own organisation, or answers 404.
 */
export const directoryPolicy = definePolicy('directory', {
  changeStatus: ['convener'],
});

/**
 * Whether this person administers this organisation (or any, without an id). Not the network
 * role 'org_admin', which only a member organisation's admin has (rolesOf): an associate
 * organisation's admin is an associate in the network and still looks after their own
 * organisation's profile and staff (ADR 0014). Only organisations in good standing count:
 * actor.memberships holds no suspended or departed ones.
 */
export function administers(actor: Actor, organisationId?: string): boolean {
  return actor.kind === 'person' && actor.memberships.some((m) => m.role === 'org_admin' && (organisationId === undefined || m.organisationId === organisationId));
}

/** Editing a profile and managing staff: the organisation's own admins and the convener. */
export const manageOrganisation: AccessRule = {
  name: 'directory.manageOrganisation',
  allows: (actor) => rolesOf(actor).has('convener') || administers(actor),
};

/** Leaving the network is the organisation's own decision: its admins only. */
export const leaveNetwork: AccessRule = { name: 'directory.leave', allows: (actor) => administers(actor) };

export const membershipPolicy = definePolicy('membership', {
  editTerms: ['convener'],
  review: ['convener'],
  /** Seeing and answering one's own invitations to organisations (the service finds them by email). */
  answerInvitation: [...SIGNED_IN],
});

export const answerInvitation = membershipPolicy.rule('answerInvitation');

/**
 * The wider network of individual experts: seen by members and associates (an associate
 * organisation's staff included), written by individual associates about themselves.
 */
export const networkPolicy = definePolicy('network', {
  browse: ['associate', 'member', 'org_admin', 'convener'],
  editOwn: ['associate'],
});

/** Only an individual associate has an expert profile, not the staff of an associate organisation. */
export function isIndividualAssociate(actor: Actor): boolean {
  return actor.kind === 'person' && actor.networkRole === 'associate';
}
