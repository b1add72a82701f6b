import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import * as accountsRepo from '../accounts/accounts.repository.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import { peoplePolicy } from './people.policy.ts';
import type { Invite } from './people.schemas.ts';

/** The convener's view of who is in the network, and the invitations that bring people in. */
export class PeopleService {
  constructor(
    private p: Platform,
    private accounts: AccountsService,
  ) {}

  private allowed(actor: Actor, action: 'list' | 'invite' | 'setStatus'): PersonActor {
    if (actor.kind !== 'person' || !peoplePolicy.can(actor, action)) throw AppError.notFound();
    return actor;
  }

  async overview(actor: Actor) {
    this.allowed(actor, 'list');
    const { db } = this.p;
    const [people, invitations, organisations] = await Promise.all([
      accountsRepo.listPeople(db),
      accountsRepo.listOpenInvitations(db),
      accountsRepo.listOrganisations(db),
    ]);
    return { people, invitations, organisations };
  }

  async organisations(actor: Actor) {
    this.allowed(actor, 'list');
    return accountsRepo.listOrganisations(this.p.db);
  }

  async invite(actor: Actor, input: Invite, locale: string): Promise<void> {
    const me = this.allowed(actor, 'invite');
    if (input.networkRole === 'member' && !input.organisationId) throw AppError.field('organisationId', 'errors.organisationRequired');
    await this.accounts.invite(me, input, locale);
  }

  async setStatus(actor: Actor, personId: string, status: 'active' | 'disabled'): Promise<void> {
    await this.accounts.setStatus(this.allowed(actor, 'setStatus'), personId, status);
  }
}
