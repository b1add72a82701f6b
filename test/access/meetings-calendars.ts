import { all, networkMembers, type Row, signedIn } from '../access-rows.ts';

/** Meetings routes, the calendars part: who may call what (see access-table.ts). */
export const MEETINGS_CALENDARS: Record<string, Row> = {
  // A person's own feed settings.
  'GET /calendar': signedIn,
  'POST /calendar/feed': signedIn,
  'POST /calendar/feed/discreet': signedIn,
  'POST /calendar/feed/revoke': signedIn,
  // The token is the capability: whoever holds the address (404 for any other token).
  'GET /calendar/:token.ics': all,
  // Publicly listed meetings, public details only.
  'GET /meetings/public.ics': all,
  // The API: each answers what the caller may see (publicly listed meetings for anyone).
  'GET /api/v1/meetings': all,
  'GET /api/v1/meetings/:id': all,
  'GET /api/v1/decisions': signedIn,
  'GET /api/v1/actions': signedIn,
  // Goals are read by the network (members, associates, the convener): 404 for participants.
  'GET /api/v1/goals': networkMembers,
};
