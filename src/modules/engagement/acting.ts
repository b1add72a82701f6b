import { ACTING_FOR_FIELD, actingFor } from '../../platform/acting.ts';
import { AppError } from '../../platform/errors.ts';
import { memberOrganisations, type PersonActor } from '../../platform/policy.ts';

/**
 * The organisation this person acts for on a record that belongs to one of `owners` (the
 * consultation's lead, the organisation that owes a payment, the one that posted the work).
 * Someone in none of them is answered "not found", whatever they chose: the record is not
 * theirs to act on. Someone in several organisations says which, every time (nothing is
 * guessed); one who picks an organisation that does not own the record is told so.
 */
export function actingAsOwner(me: PersonActor, chosen: unknown, owners: readonly (string | null | undefined)[]): string {
  const own = new Set(owners.filter((o): o is string => !!o));
  if (!memberOrganisations(me).some((m) => own.has(m.organisationId))) throw AppError.notFound();
  const organisationId = actingFor(me, chosen);
  if (!own.has(organisationId)) throw AppError.field(ACTING_FOR_FIELD, 'errors.actingForNotOwner');
  return organisationId;
}

/** The form's values without its `actingFor` choice, which no input schema carries. */
export function withoutActingFor(values: Record<string, unknown>): { chosen: unknown; rest: Record<string, unknown> } {
  const { [ACTING_FOR_FIELD]: chosen, ...rest } = values;
  return { chosen, rest };
}
