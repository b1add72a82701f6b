import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { isCountryCode } from '../../platform/countries.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import { isLanguageCode } from '../../platform/languages.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import { isIndividualAssociate, networkPolicy } from './directory.policy.ts';
import * as repo from './network.repository.ts';
import type { AssociateProfile } from './network.schemas.ts';

/** The wider network of individual experts, visible to members only. */
export class NetworkService {
  constructor(private p: Platform) {}

  private allowed(actor: Actor, action: 'browse' | 'editOwn'): PersonActor {
    if (actor.kind !== 'person' || !networkPolicy.can(actor, action)) throw AppError.notFound();
    // Staff of an associate organisation are associates in the network (rolesOf), not experts
    // listed in it: only an individual associate writes a profile.
    if (action === 'editOwn' && !isIndividualAssociate(actor)) throw AppError.notFound();
    return actor;
  }

  async list(actor: Actor) {
    const me = this.allowed(actor, 'browse');
    return { associates: await repo.listAssociates(this.p.db), canEdit: networkPolicy.can(me, 'editOwn') && isIndividualAssociate(me) };
  }

  async own(actor: Actor) {
    const me = this.allowed(actor, 'editOwn');
    return repo.findProfile(this.p.db, me.id);
  }

  async save(actor: Actor, input: AssociateProfile): Promise<void> {
    const me = this.allowed(actor, 'editOwn');
    const errors: FieldErrors = {};
    const country = input.countries.find((c) => !isCountryCode(c));
    if (country) errors.countries = { key: 'errors.countryUnknown', values: { code: country } };
    const language = input.languages.find((l) => !isLanguageCode(l));
    if (language) errors.languages = { key: 'errors.languageUnknown', values: { code: language } };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    await this.p.db.transaction().execute(async (trx) => {
      await repo.saveProfile(trx, {
        person_id: me.id,
        expertise: input.expertise,
        countries: [...new Set(input.countries)],
        languages: [...new Set(input.languages)],
        organisation: input.organisation ?? null,
      });
      await audit(trx, me, { action: 'associate_profile.save', recordType: 'person', recordId: me.id });
    });
  }
}
