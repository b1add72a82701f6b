import type { Role } from '../src/platform/policy.ts';

/** The rows the access table is made of (access-table.ts), shared by its per-capability parts. */
export type Outcome = 'allow' | 'deny';
export type Row = Record<Role, Outcome>;

export const all: Row = { anonymous: 'allow', participant: 'allow', associate: 'allow', member: 'allow', org_admin: 'allow', convener: 'allow' };
export const signedIn: Row = { ...all, anonymous: 'deny' };
export const convener: Row = { anonymous: 'deny', participant: 'deny', associate: 'deny', member: 'deny', org_admin: 'deny', convener: 'allow' };

// Org admins act only for their own organisation: the service answers 404 for any other.
export const orgAdmin: Row = { ...convener, org_admin: 'allow' };
export const orgAdminOnly: Row = { ...convener, convener: 'deny', org_admin: 'allow' };
export const networkMembers: Row = { ...signedIn, participant: 'deny' };
export const associate: Row = { ...convener, convener: 'deny', associate: 'allow' };
// Staff of member organisations (record signs, propose alerts); with the convener (review, respond).
export const staff: Row = { ...convener, convener: 'deny', member: 'allow', org_admin: 'allow' };
export const staffAndConvener: Row = { ...staff, convener: 'allow' };
// Community participants: belonging to communities, taking part in consultations.
export const participantOnly: Row = { ...convener, convener: 'deny', participant: 'allow' };

