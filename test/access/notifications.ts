import { all, convener, type Row, signedIn } from '../access-rows.ts';

/** Digests and announcements: who may call what (see access-table.ts). */
export const NOTIFICATIONS: Record<string, Row> = {
  // Each person's own choices.
  'GET /notifications': signedIn,
  'POST /notifications': signedIn,
  // The one-click address in a digest: its token is the authority (no session).
  'GET /notifications/unsubscribe/:token': all,
  'POST /notifications/unsubscribe/:token': all,
  // The convener announces; each announcement is read by its audience.
  'GET /announcements/new': convener,
  'POST /announcements': convener,
  'GET /announcements/:id': signedIn,
};
