import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import { formAction } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import { FeedSettings, FeedTokenParam } from './calendars.schemas.ts';
import { meetingsApi } from './meetings.api.ts';
import { meetingsPolicy } from './meetings.policy.ts';
import type { MeetingsServices } from './services.ts';
import { CalendarPage } from './views/calendars.tsx';

const ICS = 'text/calendar; charset=utf-8';

function sendIcs(reply: FastifyReply, body: string, personal: boolean) {
  return (
    reply
      .header('content-type', ICS)
      // A personal feed is a capability: never kept by a shared cache, never indexed, and its
      // address is not passed on as a referrer by whatever opens links from it.
      .header('cache-control', personal ? 'private, no-store' : 'public, max-age=900')
      .header('x-robots-tag', 'noindex')
      .header('referrer-policy', 'no-referrer')
      .header('content-disposition', `inline; filename="${personal ? 'northstar' : 'northstar-public'}.ics"`)
      .send(body)
  );
}

/** The calendar settings page, the personal and public feeds (item 10), and the API (item 12). */
export function calendarsPages(app: FastifyInstance, services: MeetingsServices, config: Config): void {
  const { calendars } = services;
  const own = { access: meetingsPolicy.rule('calendar') };

  app.get('/calendar', { config: own }, async (req, reply) => {
    return reply.header('cache-control', 'private, no-store').page(<CalendarPage ctx={viewContext(req, reply)} settings={await calendars.settings(req.actor)} />);
  });

  // Make or renew: the new address is shown on this response only (it is stored hashed).
  app.post('/calendar/feed', { config: own }, async (req, reply) => {
    const values = cleanForm(req.body);
    const made = await formAction(
      reply,
      () => calendars.makeFeed(req.actor, parse(FeedSettings, values, { form: true })),
      async (errors, summaryKey) => <CalendarPage ctx={viewContext(req, reply)} settings={await calendars.settings(req.actor)} state={{ values, errors, summaryKey }} />,
    );
    if (!made) return reply;
    const notice = made.renewed ? 'notice.calendarsFeedRenewed' : 'notice.calendarsFeedMade';
    return reply.header('cache-control', 'private, no-store').page(<CalendarPage ctx={viewContext(req, reply, notice)} settings={await calendars.settings(req.actor)} newUrl={made.url} />);
  });

  app.post('/calendar/feed/discreet', { config: own }, async (req, reply) => {
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await calendars.setDiscreet(req.actor, parse(FeedSettings, values, { form: true }));
        return true;
      },
      async (errors, summaryKey) => <CalendarPage ctx={viewContext(req, reply)} settings={await calendars.settings(req.actor)} state={{ values, errors, summaryKey }} />,
    );
    if (!ok) return reply;
    return reply.redirect('/calendar?done=calendarsDiscreetSaved', 303);
  });

  app.post('/calendar/feed/revoke', { config: own }, async (req, reply) => {
    await calendars.revokeFeed(req.actor);
    return reply.redirect('/calendar?done=calendarsFeedRevoked', 303);
  });

  // The token is the capability: whoever holds the address reads that person's feed.
  app.get('/calendar/:token.ics', { config: { access: PUBLIC } }, async (req, reply) => {
    // A malformed token is bad input (400); a well-formed one that opens nothing (never made,
    // renewed, revoked) is 404, so nothing tells which of those it was.
    const { token } = parse(FeedTokenParam, req.params);
    return sendIcs(reply, await calendars.personalFeed(token), true);
  });

  app.get('/meetings/public.ics', { config: { access: PUBLIC } }, async (_req, reply) => sendIcs(reply, await calendars.publicFeed(), false));

  meetingsApi(app, services, config);
}
