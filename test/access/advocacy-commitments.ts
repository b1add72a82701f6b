import { all, type Row, staff } from '../access-rows.ts';

/** Advocacy routes (commitments, the statements feed, the API): who may call what (see access-table.ts). */
export const ADVOCACY_COMMITMENTS: Record<string, Row> = {
  'GET /commitments': all,
  'GET /commitments/export.csv': all,
  'GET /commitments/:id': all,
  'GET /commitments/:id/ratings/:ratingId/evidence': all,
  // Rating needs an organisation standing behind it: staff of member organisations.
  'POST /commitments/:id/ratings': staff,
  // The statement's owners only (404 for other staff, from the service).
  'GET /statements/:id/replies/:replyId/commitments/new': staff,
  'POST /statements/:id/replies/:replyId/commitments': staff,
  'GET /statements/feed.atom': all,
  'GET /api/v1/statements': all,
  'GET /api/v1/statements/:id': all,
  'GET /api/v1/commitments': all,
  'GET /api/v1/commitments/:id': all,
};
