import type { FastifyInstance } from 'fastify';
import { formAction } from '../../platform/http.tsx';
import { PUBLIC } from '../../platform/policy.ts';
import { IdParam } from '../../platform/schemas.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { viewContext } from '../../views/context.ts';
import { notificationsPolicy } from './notifications.policy.ts';
import { AnnouncementInput, PreferencesInput, UnsubscribeParam } from './notifications.schemas.ts';
import type { NotificationsService } from './notifications.service.ts';
import { AnnouncementFormPage, AnnouncementPage, PreferencesPage, UnsubscribePage } from './views/notifications.tsx';

export function notificationsPages(app: FastifyInstance, notifications: NotificationsService): void {
  const own = { config: { access: notificationsPolicy.rule('own') } };
  const announce = { config: { access: notificationsPolicy.rule('announce') } };

  app.get('/notifications', own, async (req, reply) => reply.page(<PreferencesPage ctx={viewContext(req, reply)} data={await notifications.preferences(req.actor)} />));

  app.post('/notifications', own, async (req, reply) => {
    const values = cleanForm(req.body);
    const ok = await formAction(
      reply,
      async () => {
        await notifications.savePreferences(req.actor, parse(PreferencesInput, values));
        return true;
      },
      async (errors, summaryKey) => <PreferencesPage ctx={viewContext(req, reply)} data={await notifications.preferences(req.actor)} state={{ values, errors, summaryKey }} />,
    );
    if (!ok) return reply;
    return reply.redirect('/notifications?done=notificationsSaved', 303);
  });

  // The address in a digest's List-Unsubscribe header and footer. The page asks before it acts (a
  // link preview must not unsubscribe anyone); the mail program's one-click POST acts at once.
  app.get('/notifications/unsubscribe/:token', { config: { access: PUBLIC } }, async (req, reply) => {
    const { token } = parse(UnsubscribeParam, req.params);
    const { kind } = await notifications.unsubscribePage(token);
    reply.header('referrer-policy', 'no-referrer');
    return reply.page(<UnsubscribePage ctx={viewContext(req, reply)} kind={kind} token={token} />);
  });

  app.post(
    '/notifications/unsubscribe/:token',
    {
      config: { access: PUBLIC, oneClick: true, multipartOptions: { limits: { files: 0, fields: 5, fieldSize: 256 } } },
      // The body is a few bytes ("List-Unsubscribe=One-Click"), and the token is checked before a byte of it is read.
      bodyLimit: 1024,
      onRequest: async (req) => {
        notifications.fromToken(parse(UnsubscribeParam, req.params).token);
      },
    },
    async (req, reply) => {
    const { token } = parse(UnsubscribeParam, req.params);
    const kind = await notifications.unsubscribe(token);
    return reply.page(<UnsubscribePage ctx={viewContext(req, reply)} kind={kind} token={token} done />);
    },
  );

  app.get('/announcements/new', announce, async (req, reply) => reply.page(<AnnouncementFormPage ctx={viewContext(req, reply)} />));

  app.post('/announcements', announce, async (req, reply) => {
    const values = cleanForm(req.body, ['body']);
    const id = await formAction(
      reply,
      () => notifications.announce(req.actor, parse(AnnouncementInput, values)),
      (errors, summaryKey) => <AnnouncementFormPage ctx={viewContext(req, reply)} state={{ values, errors, summaryKey }} />,
    );
    if (!id) return reply;
    return reply.redirect(`/announcements/${id}?done=announcementSent`, 303);
  });

  app.get('/announcements/:id', own, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(<AnnouncementPage ctx={viewContext(req, reply)} a={await notifications.announcement(req.actor, id)} />);
  });
}
