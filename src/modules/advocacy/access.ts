import { AppError } from '../../platform/errors.ts';
import { type Actor, memberOrganisations, type PersonActor, rolesOf } from '../../platform/policy.ts';
import type { Db } from '../../db/database.ts';
import * as repo from './access.repository.ts';
import type { StatementRow } from './access.repository.ts';

export type { StatementRow } from './access.repository.ts';

/**
 * What one reader may do with one statement, decided from the record (ADR 0019):
 * - while drafting, only staff of the drafting organisations see it (and staff of an
 *   organisation invited to co-draft, so that it can decide);
 * - once circulated, also staff of member organisations (and of associate organisations when the
 *   drafters chose so), the convener, and, where individuals may co-sign, anyone signed in;
 * - once published, everyone.
 * Anyone else gets 404, as if it did not exist.
 */
export interface StatementAccess {
  statement: StatementRow;
  /** The reader's organisations that are accepted drafters: the statement's owners. */
  ownerOrganisations: string[];
  /** The reader's organisations invited to co-draft, not yet answered. */
  invitedOrganisations: string[];
  owner: boolean;
  /** Circulated to one of the reader's organisations: they may sign or decline for it. */
  audienceOrganisations: string[];
  published: boolean;
}

export async function statementAccess(db: Db, actor: Actor, id: string): Promise<StatementAccess> {
  const statement = await repo.findStatement(db, id);
  if (!statement) throw AppError.notFound();
  const access = await accessTo(db, actor, statement);
  if (!access) throw AppError.notFound();
  return access;
}

/** As `statementAccess`, for a statement already read (e.g. locked in a transaction). */
export async function accessTo(db: Db, actor: Actor, statement: StatementRow): Promise<StatementAccess | undefined> {
  const published = statement.state === 'published';
  const person = actor.kind === 'person' ? actor : undefined;
  const drafters = await repo.drafters(db, statement.id);
  const mine = new Set(person ? memberOrganisations(person).map((m) => m.organisationId) : []);
  const ownerOrganisations = drafters.filter((d) => d.state === 'accepted' && mine.has(d.organisation_id)).map((d) => d.organisation_id);
  const invitedOrganisations = drafters.filter((d) => d.state === 'invited' && mine.has(d.organisation_id)).map((d) => d.organisation_id);
  const owner = ownerOrganisations.length > 0;
  const audienceOrganisations = person && statement.state !== 'drafting' ? audienceOf(person, statement) : [];
  const access = { statement, ownerOrganisations, invitedOrganisations, owner, audienceOrganisations, published };
  if (published || owner || invitedOrganisations.length > 0) return access;
  if (statement.state !== 'circulated' || !person) return undefined;
  if (audienceOrganisations.length > 0 || rolesOf(person).has('convener') || statement.allow_individuals) return access;
  return undefined;
}

/** The reader's organisations a circulated statement was sent to for signature. */
export function audienceOf(person: PersonActor, statement: StatementRow): string[] {
  return person.memberships
    .filter((m) => (m.standing ?? 'member') === 'member' || (statement.include_associates && m.standing === 'associate'))
    .map((m) => m.organisationId);
}

/**
 * Signs for an organisation: its admin, or a staff member the admin named signatory and who
 * accepted. Anyone else is told nothing (404), as for an organisation they do not belong to.
 */
export async function assertSignsFor(db: Db, person: PersonActor, organisationId: string): Promise<void> {
  const membership = person.memberships.find((m) => m.organisationId === organisationId);
  if (!membership) throw AppError.notFound();
  if (membership.role === 'org_admin') return;
  if (!(await repo.acceptedSignatory(db, organisationId, person.id))) throw AppError.notFound();
}

/** The statement's owners only; 404 for everyone else (they must not learn what is drafted). */
export function assertOwner(access: StatementAccess): void {
  if (!access.owner) throw AppError.notFound();
}
