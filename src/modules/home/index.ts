import { defineModule } from '../../platform/module.ts';
import { homePages } from './home.pages.tsx';

export const homeModule = defineModule({
  name: 'home',
  services: () => ({}),
  routes(app) {
    homePages(app);
  },
});
