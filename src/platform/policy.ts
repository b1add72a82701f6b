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
  /** Memberships in organisations in good standing, by name: the ones this person may act for. */
  memberships: { organisationId: string; role: OrgRole; name: string }[];
  locale: string | null;
  /** The session this request came with; absent for personal access tokens. */
  sessionId?: string;
  tokenId?: string;
}

export type Actor = { kind: 'anonymous' } | PersonActor;

export const ANONYMOUS: Actor = { kind: 'anonymous' };

export function rolesOf(actor: Actor): Set<Role> {
  if (actor.kind === 'anonymous') return new Set(['anonymous']);
  const roles = new Set<Role>([actor.networkRole]);
  if (actor.memberships.some((m) => m.role === 'org_admin')) roles.add('org_admin');
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
