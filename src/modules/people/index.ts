import type { AccountsService } from '../accounts/accounts.service.ts';
import { defineModule } from '../../platform/module.ts';
import { peopleApi } from './people.api.ts';
import { peoplePages } from './people.pages.tsx';
import { PeopleService } from './people.service.ts';

/** The convener's list of people and their invitations. */
export const peopleModule = defineModule({
  name: 'people',
  services: (p, { accounts }: { accounts: AccountsService }) => ({ people: new PeopleService(p, accounts) }),
  routes(app, { people }) {
    peoplePages(app, people);
    peopleApi(app, people);
  },
});
