import { type Row, signedIn, staffAndConvener } from '../access-rows.ts';

/** Meetings routes, the agenda part: who may call what (see access-table.ts). */
export const MEETINGS_AGENDA: Record<string, Row> = {
  // Anyone signed in may try; the meeting's own audience decides (404 for anyone not invited).
  'GET /meetings/:id/agenda': signedIn,
  'POST /meetings/:id/agenda/items': signedIn,
  // The chairs only (the service answers 404 to every other invitee).
  'POST /meetings/:id/agenda/items/:itemId/accept': signedIn,
  'POST /meetings/:id/agenda/items/:itemId/decline': signedIn,
  'POST /meetings/:id/agenda/items/:itemId/move': signedIn,
  'POST /meetings/:id/agenda/items/:itemId/time': signedIn,
  'POST /meetings/:id/agenda/publish': signedIn,
  // Convening (meetings.policy "convene"): staff of member organisations and the convener.
  'GET /meetings/convene': staffAndConvener,
  'POST /meetings/convene': staffAndConvener,
  // The poll: whoever the meeting invites marks; its organisers open it and pick.
  'GET /meetings/:id/poll': signedIn,
  'POST /meetings/:id/poll': signedIn,
  'POST /meetings/:id/poll/marks': signedIn,
  'POST /meetings/:id/poll/pick': signedIn,
};
