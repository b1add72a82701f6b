import { all, type Row, staff, staffAndConvener } from '../access-rows.ts';

/** Advocacy routes (recipients, delivery, replies): who may call what (see access-table.ts). */
export const ADVOCACY_RECIPIENTS: Record<string, Row> = {
  // The posts, people and bodies are public (without their addresses); kept by staff and the convener.
  'GET /recipients': all,
  'GET /recipients/posts/:id': all,
  'GET /recipients/people/:id': all,
  'GET /recipients/new': staffAndConvener,
  'POST /recipients/people': staffAndConvener,
  'POST /recipients/bodies': staffAndConvener,
  'POST /recipients/posts': staffAndConvener,
  'POST /recipients/posts/:id/holders': staffAndConvener,
  'POST /recipients/memberships/:id/end': staffAndConvener,
  'POST /recipients/people/:id/parties': staffAndConvener,
  // A statement's recipients, sending and replies: its owners (staff of its drafting
  // organisations); the service answers 404 to anyone else.
  'GET /statements/:id/recipients': staff,
  'POST /statements/:id/recipients': staff,
  'POST /statements/:id/recipients/:recipientId/remove': staff,
  'POST /statements/:id/recipients/:recipientId/delivered': staff,
  'POST /statements/:id/recipients/:recipientId/replies': staff,
  'POST /statements/:id/send': staff,
  'POST /statements/:id/replies/:replyId/publish': staff,
  'POST /statements/:id/replies/:replyId/unpublish': staff,
  // Owners, and everyone once the statement and the reply are published (decided per record).
  'GET /statements/:id/replies/:replyId/attachment': all,
  // The recipient's own link: whoever holds the token.
  'GET /replies/:token': all,
  'POST /replies/:token': all,
};
