import { type Row, signedIn, staffAndConvener } from '../access-rows.ts';

/** Meetings routes, the minutes part: who may call what (see access-table.ts). */
export const MEETINGS_MINUTES: Record<string, Row> = {
  // Minutes and decisions: anyone signed in may try; the meeting itself decides (404 otherwise).
  'GET /meetings/:id/minutes': signedIn,
  'POST /meetings/:id/minutes': signedIn,
  'POST /meetings/:id/minutes/circulate': signedIn,
  'POST /meetings/:id/minutes/corrections': signedIn,
  'POST /meetings/:id/minutes/approve': signedIn,
  'POST /meetings/:id/decisions': signedIn,
  'GET /decisions': signedIn,
  // Actions: recorded by the network's members and the convener; followed and answered by anyone
  // signed in whom they concern (the offered person, the owner organisation's staff, the chairs).
  'GET /actions': signedIn,
  'GET /actions/mine': signedIn,
  'GET /actions/new': staffAndConvener,
  'POST /actions': staffAndConvener,
  'GET /actions/:id': signedIn,
  'POST /actions/:id/status': signedIn,
  'POST /actions/:id/offer': signedIn,
  'POST /actions/:id/answer': signedIn,
};
