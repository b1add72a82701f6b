import { all, convener, type Row, staffAndConvener } from '../access-rows.ts';

/** Library routes: who may call what (see access-table.ts). */
export const LIBRARY: Record<string, Row> = {
  // Anyone reads the library; each resource per its visibility (404 for those it is not for).
  'GET /library': all,
  'GET /library/feed.atom': all,
  'GET /library/:id': all,
  'GET /library/:id/file': all,
  'GET /api/v1/library': all,
  'GET /api/v1/library/:id': all,
  // Member organisations' staff add in their organisation's name (the convener only if on a
  // staff: with none, the page says so and a post is refused); the adding organisation edits.
  'GET /library/new': staffAndConvener,
  'POST /library': staffAndConvener,
  'POST /api/v1/library': staffAndConvener,
  'GET /library/:id/edit': staffAndConvener,
  'POST /library/:id': staffAndConvener,
  // The convener features.
  'POST /library/:id/feature': convener,
};
