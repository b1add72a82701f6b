import { defineModule } from '../../platform/module.ts';
import { accountsApi } from './accounts.api.ts';
import { accountsPages } from './accounts.pages.tsx';
import { AccountsService } from './accounts.service.ts';

/** Sign-in, sessions, credentials, invitations: the foundation other modules build on. */
export const accountsModule = defineModule({
  name: 'accounts',
  services: (p) => ({ accounts: new AccountsService(p) }),
  routes(app, { accounts }, p) {
    accountsPages(app, accounts, p.config);
    accountsApi(app, accounts);
  },
});
