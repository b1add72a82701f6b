import { AppError } from './errors.ts';
import { type Actor, memberOrganisations } from './policy.ts';

/**
 * The organisation a form acts for. A person in one organisation acts for it; a person in
 * several must say which on the form (field `actingFor`), every time: nothing is guessed,
 * because a restricted warning sign filed under the wrong organisation is read by the wrong
 * people. Only member organisations count: actor.memberships holds no suspended or departed
 * ones, and an associate organisation records nothing in the network's name (ADR 0014).
 */
export const ACTING_FOR_FIELD = 'actingFor';

export function actingOptions(actor: Actor): { organisationId: string; name: string }[] {
  return actor.kind === 'person' ? memberOrganisations(actor).map((m) => ({ organisationId: m.organisationId, name: m.name })) : [];
}

/**
 * The organisation id this request acts for. `chosen` is the form's `actingFor` value.
 * No organisation: `errors.noOrganisation`. Several and none (or a foreign one) chosen:
 * a field error on `actingFor`, so the form is shown again with the choice to make.
 */
export function actingFor(actor: Actor, chosen: unknown): string {
  const options = actingOptions(actor);
  if (options.length === 0) throw AppError.invalid({}, 'errors.noOrganisation');
  if (typeof chosen === 'string' && chosen !== '') {
    const match = options.find((o) => o.organisationId === chosen);
    if (!match) throw AppError.field(ACTING_FOR_FIELD, 'errors.actingForChoose');
    return match.organisationId;
  }
  if (options.length === 1) return (options[0] as { organisationId: string }).organisationId;
  throw AppError.field(ACTING_FOR_FIELD, 'errors.actingForChoose');
}

/** Whether this person can act for any organisation at all (to offer a form). */
export function canActForAny(actor: Actor): boolean {
  return actingOptions(actor).length > 0;
}

/**
 * For statements someone may make without an organisation (a comment, the convener's
 * verification): none when they belong to none, otherwise exactly as `actingFor`.
 */
export function actingForIfAny(actor: Actor, chosen: unknown): string | undefined {
  return canActForAny(actor) ? actingFor(actor, chosen) : undefined;
}
