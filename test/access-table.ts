import type { Role } from '../src/platform/policy.ts';
import { STYLESHEET_URL } from '../src/views/assets.ts';

/**
 * Who may call what: every route × every role, declared here and checked by access.test.ts
 * against the router's own table. A new route fails the test until it is added here.
 */
export type Outcome = 'allow' | 'deny';
type Row = Record<Role, Outcome>;

const all: Row = { anonymous: 'allow', participant: 'allow', associate: 'allow', member: 'allow', org_admin: 'allow', convener: 'allow' };
const signedIn: Row = { ...all, anonymous: 'deny' };
const convener: Row = { anonymous: 'deny', participant: 'deny', associate: 'deny', member: 'deny', org_admin: 'deny', convener: 'allow' };

// Org admins act only for their own organisation: the service answers 404 for any other.
const orgAdmin: Row = { ...convener, org_admin: 'allow' };
const orgAdminOnly: Row = { ...convener, convener: 'deny', org_admin: 'allow' };
const networkMembers: Row = { ...signedIn, participant: 'deny' };
const associate: Row = { ...convener, convener: 'deny', associate: 'allow' };
// Staff of member organisations (record signs, propose alerts); with the convener (review, respond).
const staff: Row = { ...convener, convener: 'deny', member: 'allow', org_admin: 'allow' };
const staffAndConvener: Row = { ...staff, convener: 'allow' };

export const ACCESS: Record<string, Row> = {
  'GET /': all,
  [`GET ${STYLESHEET_URL}`]: all,
  'GET /sign-in': all,
  'POST /sign-in': all,
  'POST /sign-out': signedIn,
  'GET /register': all,
  'POST /register': all,
  'POST /language': all,
  'GET /account': signedIn,
  'POST /account/password': signedIn,
  'GET /account/totp': signedIn,
  'POST /account/totp': signedIn,
  'POST /account/totp/disable': signedIn,
  'POST /account/sessions/:id/revoke': signedIn,
  'POST /account/sessions/revoke-others': signedIn,
  'POST /account/tokens': signedIn,
  'POST /account/tokens/:id/revoke': signedIn,
  'GET /password/forgot': all,
  'POST /password/forgot': all,
  'GET /password/reset/:token': all,
  'POST /password/reset/:token': all,
  'GET /invitations/:token': all,
  'POST /invitations/:token': all,
  'GET /people': convener,
  'POST /people/invitations': convener,
  'POST /people/:id/disable': convener,
  'POST /people/:id/enable': convener,
  'GET /outbox': convener,
  'GET /outbox/:id': convener,
  'GET /api/v1/me': signedIn,
  'PATCH /api/v1/me': signedIn,
  'GET /api/v1/me/sessions': signedIn,
  'DELETE /api/v1/me/sessions/:id': signedIn,
  'GET /api/v1/me/tokens': signedIn,
  'POST /api/v1/me/tokens': signedIn,
  'DELETE /api/v1/me/tokens/:id': signedIn,
  'GET /api/v1/people': convener,
  'POST /api/v1/invitations': convener,
  'GET /api/v1/openapi.json': all,
  'GET /directory': all,
  'GET /directory/export.csv': all,
  'GET /directory/:slug': all,
  'GET /map': all,
  'GET /organisations/:id/edit': orgAdmin,
  'POST /organisations/:id/edit': orgAdmin,
  'GET /organisations/:id/staff': orgAdmin,
  'POST /organisations/:id/staff': orgAdmin,
  'POST /organisations/:id/staff/:personId/remove': orgAdmin,
  'POST /organisations/:id/leave': orgAdminOnly,
  'POST /organisations/:id/status': convener,
  'GET /terms': all,
  'GET /terms/:version': all,
  'GET /terms/edit': convener,
  'POST /terms': convener,
  'GET /apply': all,
  'POST /apply': all,
  'GET /apply/sent': all,
  'GET /apply/answer/:token': all,
  'POST /apply/answer/:token': all,
  'GET /applications': convener,
  'GET /applications/:id': convener,
  'POST /applications/:id/comment': convener,
  'POST /applications/:id/request-info': convener,
  'POST /applications/:id/decision': convener,
  'GET /network': networkMembers,
  'GET /network/profile': associate,
  'POST /network/profile': associate,
  'GET /api/v1/organisations': all,
  'GET /api/v1/organisations/:slug': all,

  'GET /signs': all,
  'GET /signs/new': staff,
  'POST /signs': staff,
  'GET /signs/export.csv': all,
  'GET /signs/export.json': all,
  'GET /signs/:id': all,
  'GET /signs/:id/documents/:documentId': all,
  'POST /signs/:id/reviews': staffAndConvener,
  'POST /signs/:id/verify': convener,
  'GET /countries': all,
  'GET /countries/:code': all,
  'GET /forecasts': convener,
  'POST /forecasts/imports': convener,
  'GET /forecasts/imports/:id': convener,
  'POST /forecasts/imports/:id/commit': convener,
  'POST /forecasts/imports/:id/discard': convener,
  'GET /alerts': all,
  'GET /alerts/feed.atom': all,
  'GET /alerts/new': staff,
  'POST /alerts': staff,
  'GET /alerts/subscriptions': signedIn,
  'POST /alerts/subscriptions': signedIn,
  'POST /alerts/subscriptions/mode': signedIn,
  'POST /alerts/subscriptions/:id/delete': signedIn,
  'GET /alerts/:id': all,
  'POST /alerts/:id/confirm': staffAndConvener,
  'POST /alerts/:id/responses': staffAndConvener,
  'POST /alerts/:id/meeting': staffAndConvener,
  'POST /alerts/:id/close': staffAndConvener,
  'GET /api/v1/signs': all,
  'POST /api/v1/signs': staff,
  'GET /api/v1/signs/:id': all,
  'GET /api/v1/countries/:code': all,
  'GET /api/v1/alerts': all,
  'GET /api/v1/alerts/:id': all,
};
