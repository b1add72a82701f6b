import { all, orgAdminOnly, type Row, signedIn, staff } from '../access-rows.ts';

// Signing for an organisation: staff of member organisations, and of associate ones where a
// statement is circulated to them; the service answers 404 for an organisation one does not sign for.
const signers: Row = { ...staff, associate: 'allow' };

/** Advocacy routes (statements): who may call what (see access-table.ts). */
export const ADVOCACY_STATEMENTS: Record<string, Row> = {
  // Published statements for all; drafts to their drafters and audience only (404 otherwise).
  'GET /statements': all,
  'GET /statements/new': staff,
  'POST /statements': staff,
  'GET /statements/:id': all,
  'GET /statements/:id/edit': staff,
  'POST /statements/:id/edit': staff,
  'POST /statements/:id/correction': staff,
  'GET /statements/:id/versions/:version': all,
  'POST /statements/:id/drafters': staff,
  'POST /statements/:id/drafters/:organisationId/accept': staff,
  'POST /statements/:id/drafters/:organisationId/decline': staff,
  'POST /statements/:id/translations': staff,
  'POST /statements/:id/comments': staff,
  'POST /statements/:id/circulate': staff,
  'POST /statements/:id/publish': staff,
  'POST /statements/:id/sign': signers,
  'POST /statements/:id/decline': signers,
  'POST /statements/:id/withdraw': signers,
  // Individuals co-sign where a statement allows it: anyone signed in.
  'POST /statements/:id/cosign': signedIn,
  'POST /statements/:id/cosign/withdraw': signedIn,
  // Org admins name who signs; the named staff member answers.
  'GET /organisations/signatories': staff,
  'POST /organisations/:id/signatories': orgAdminOnly,
  'POST /organisations/:id/signatories/:personId/remove': orgAdminOnly,
  'POST /signatories/:organisationId/accept': staff,
  'POST /signatories/:organisationId/decline': staff,
};
