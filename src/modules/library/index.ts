import { defineModule } from '../../platform/module.ts';
import { libraryApi } from './library.api.ts';
import { libraryPages } from './library.pages.tsx';
import { LibraryService } from './library.service.ts';

/**
 * The library (issue 15, ADR 0022): reports, briefings, podcasts, poetry, toolkits, cases,
 * training, funding opportunities and self-care guidance, added by member organisations, read
 * per their visibility and searched in the network's languages.
 */
export const libraryModule = defineModule({
  name: 'library',
  services(p): { library: LibraryService } {
    return { library: new LibraryService(p) };
  },
  routes(app, services) {
    libraryPages(app, services.library);
    libraryApi(app, services.library);
  },
});
