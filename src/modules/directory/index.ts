import type { AccountsService } from '../accounts/accounts.service.ts';
import { defineModule } from '../../platform/module.ts';
import { directoryApi } from './directory.api.ts';
import { directoryPages } from './directory.pages.tsx';
import { DirectoryService } from './directory.service.ts';
import { membershipPages } from './membership.pages.tsx';
import { MembershipService } from './membership.service.ts';
import { networkPages } from './network.pages.tsx';
import { NetworkService } from './network.service.ts';

/** The directory and sector map, membership of the network, and the wider network of experts. */
export const directoryModule = defineModule({
  name: 'directory',
  services(p, { accounts }: { accounts: AccountsService }) {
    const directory = new DirectoryService(p, accounts);
    return { directory, membership: new MembershipService(p, accounts, directory), network: new NetworkService(p) };
  },
  routes(app, { directory, membership, network }, p) {
    directoryPages(app, directory, p.config);
    membershipPages(app, membership);
    networkPages(app, network);
    directoryApi(app, directory, p.config);
  },
});
