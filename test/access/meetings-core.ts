import { all, type Row, signedIn, staffAndConvener } from '../access-rows.ts';

/** Meetings routes, the core part: who may call what (see access-table.ts). */
export const MEETINGS_CORE: Record<string, Row> = {
  // The list and a meeting's page: anyone (visitors see publicly listed meetings' public details;
  // whoever may not see a meeting gets 404 from meetingAccess).
  'GET /meetings': all,
  'GET /meetings/:id': all,
  // Convening, in a member organisation's name (the convener without one is told to choose one).
  'GET /meetings/new': staffAndConvener,
  'POST /meetings': staffAndConvener,
  // Anyone signed in may set their own zone.
  'GET /meetings/time-zone': signedIn,
  'POST /meetings/time-zone': signedIn,
  // Per record from here: organisers (edit, schedule, cancel, offer roles, check in), the person
  // offered a role, invitees (reply). Anyone else signed in gets 404 from the service.
  'GET /meetings/:id/edit': signedIn,
  'POST /meetings/:id/edit': signedIn,
  'POST /meetings/:id/schedule': signedIn,
  'POST /meetings/:id/cancel': signedIn,
  'POST /meetings/:id/roles': signedIn,
  'POST /meetings/:id/roles/answer': signedIn,
  'POST /meetings/:id/reply': signedIn,
  'GET /meetings/:id/check-in': signedIn,
  'POST /meetings/:id/check-in': signedIn,
};
