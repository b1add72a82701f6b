import { all, convener, networkMembers, type Row, signedIn, staff, staffAndConvener } from '../access-rows.ts';

/** Meetings routes, the goals part: who may call what (see access-table.ts). */
export const MEETINGS_GOALS: Record<string, Row> = {
  // Goals are the network's: its members, associates and the convener read them (404 otherwise).
  'GET /goals': networkMembers,
  'GET /goals/print': networkMembers,
  'GET /goals/:id': networkMembers,
  // Setting goals, linking to them, answering as a lead: members and the convener (policy goals);
  // a lead's answer is its admin's and an update its staff's (404/field error from the service).
  'POST /goals': staffAndConvener,
  'POST /goals/:id/leads': staffAndConvener,
  'POST /goals/:id/updates': staffAndConvener,
  'POST /goals/:id/links': staffAndConvener,
  // The support page: anyone reads it, the convener keeps it.
  'GET /support': all,
  'GET /support/:version': all,
  'GET /support/edit': convener,
  'POST /support': convener,
  // AGM business: per meeting, invitees only (404 for anyone else, from meetingAccess).
  'GET /meetings/:id/motions': signedIn,
  'POST /meetings/:id/motions': signedIn,
  'POST /meetings/:id/motions/:motionId/open': signedIn,
  'POST /meetings/:id/motions/:motionId/close': signedIn,
  // One vote per member organisation: its admin or the delegate it named (policy vote).
  'POST /meetings/:id/motions/:motionId/vote': staff,
  'POST /meetings/:id/delegates': staff,
  'POST /meetings/:id/delegates/answer': staff,
};
