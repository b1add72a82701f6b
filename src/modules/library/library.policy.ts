import { definePolicy } from '../../platform/policy.ts';

/**
 * The library. Who reads one resource is decided per record by its visibility (public, the
 * network, or named organisations: library.repository `visibleTo`); these rules say who may try.
 */
export const libraryPolicy = definePolicy('library', {
  // Any member organisation adds, in its name (actingFor); its staff edit what it added.
  add: ['member', 'org_admin', 'convener'],
  // The convener features resources on the library's first page.
  feature: ['convener'],
});
