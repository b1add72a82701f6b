import type { NetworkRole, OrgRole } from '../db/schema.ts';
import { AppError } from './errors.ts';

/**
 * Who may do what. Each module declares its rules in `<name>.policy.ts` with `definePolicy`;
 * anything not declared is denied. Routes name the rule they need in `config.access`.
 */
export type Role = 'anonymous' | 'participant' | 'associate' | 'member' | 'org_admin' | 'convener';
export const ROLES: readonly Role[] = ['anonymous', 'participant', 'associate', 'member', 'org_admin', 'convener'];

export interface PersonActor {
  kind: 'person';
  id: string;
  displayName: string;
  networkRole: NetworkRole;
  /**
   * Memberships in organisations in good standing (status member or associate), by name. A
   * suspended or departed organisation's memberships are not here: they give nothing.
   * `standing` is the organisation's status; absent only on actors built by hand in tests and
   * benchmarks, where it means a member organisation.
   */
  memberships: { organisationId: string; role: OrgRole; name: string; standing?: 'member' | 'associate' }[];
  locale: string | null;
  /** The session this request came with; absent for personal access tokens. */
  sessionId?: string;
  tokenId?: string;
}

export type Actor = { kind: 'anonymous' } | PersonActor;

export const ANONYMOUS: Actor = { kind: 'anonymous' };

/** Memberships in member organisations (not associate ones): the only ones that make a member. */
export function memberOrganisations(actor: PersonActor): PersonActor['memberships'] {
  return actor.memberships.filter((m) => (m.standing ?? 'member') === 'member');
}

/**
 * The roles a person has now, from their stored network role and the state of their
 * organisations (ADR 0014), decided on every request so that a suspension takes effect at once:
 * - a stored 'member' is a member only while they belong to a member organisation; staff of
 *   associate organisations only are associates (they read no network-only signs); staff of no
 *   organisation in good standing are participants, what anyone who registers is;
 * - 'org_admin' comes only from administering a member organisation (an associate
 *   organisation's admin still manages its own profile and staff: directory.policy);
 * - conveners, associates and participants are what they are stored as.
 */
export function rolesOf(actor: Actor): Set<Role> {
  if (actor.kind === 'anonymous') return new Set(['anonymous']);
  const members = memberOrganisations(actor);
  let role: Role = actor.networkRole;
  if (role === 'member' && members.length === 0) role = actor.memberships.length > 0 ? 'associate' : 'participant';
  const roles = new Set<Role>([role]);
  if ((role === 'member' || role === 'convener') && members.some((m) => m.role === 'org_admin')) roles.add('org_admin');
  return roles;
}

export interface AccessRule {
  readonly name: string;
  allows(actor: Actor): boolean;
}

export const PUBLIC: AccessRule = { name: 'public', allows: () => true };

export function definePolicy<const A extends string>(module: string, rules: Record<A, readonly Role[]>) {
  const rule = (action: A): AccessRule => ({
    name: `${module}.${action}`,
    allows: (actor) => {
      const allowed = rules[action];
      if (!allowed) return false;
      for (const role of rolesOf(actor)) if (allowed.includes(role)) return true;
      return false;
    },
  });
  const can = (actor: Actor, action: A) => rule(action).allows(actor);
  /** The signed-in person allowed to do this, or "not found": nothing says what exists. */
  const person = (actor: Actor, action: A): PersonActor => {
    if (actor.kind !== 'person' || !can(actor, action)) throw AppError.notFound();
    return actor;
  };
  return { rule, can, person };
}

export const SIGNED_IN: readonly Role[] = ['participant', 'associate', 'member', 'org_admin', 'convener'];
