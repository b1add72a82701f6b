import { all, type Row, staffAndConvener } from '../access-rows.ts';

/** Survey routes: who may call what (see access-table.ts). */
export const SURVEYS: Record<string, Row> = {
  // Anyone may ask; each survey answers per its audience and its organisers (404 for others).
  'GET /surveys': all,
  'GET /surveys/:id': all,
  'POST /surveys/:id/answers': all,
  'GET /surveys/:id/results': all,
  'GET /surveys/:id/results.csv': all,
  'GET /api/v1/surveys/:id/results': all,
  // Anyone with the link: the token is the capability.
  'GET /s/:token': all,
  'POST /s/:token': all,
  // Building and running: member organisations' staff and the convener (then the survey's own organisers).
  'POST /surveys': staffAndConvener,
  'POST /surveys/:id': staffAndConvener,
  'POST /surveys/:id/sections': staffAndConvener,
  'POST /surveys/:id/questions': staffAndConvener,
  'GET /surveys/:id/questions/:questionId': staffAndConvener,
  'POST /surveys/:id/questions/:questionId': staffAndConvener,
  'POST /surveys/:id/questions/:questionId/remove': staffAndConvener,
  'POST /surveys/:id/open': staffAndConvener,
  'POST /surveys/:id/close': staffAndConvener,
  'POST /surveys/:id/reminders': staffAndConvener,
  'GET /surveys/:id/texts': staffAndConvener,
  'POST /surveys/:id/texts/:handle': staffAndConvener,
};
