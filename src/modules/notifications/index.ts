import { defineModule } from '../../platform/module.ts';
import { notificationsPages } from './notifications.pages.tsx';
import { NotificationsService } from './notifications.service.ts';

/**
 * Digests and announcements (issue 15, item 4; ADR 0024). Listed after the modules whose news it
 * carries: they register their digest sources on the platform as their services are made.
 */
export const notificationsModule = defineModule({
  name: 'notifications',
  services(p): { notifications: NotificationsService } {
    return { notifications: new NotificationsService(p) };
  },
  routes(app, services) {
    notificationsPages(app, services.notifications);
    app.addHook('onReady', async () => services.notifications.startClock());
    app.addHook('onClose', async () => services.notifications.stopClock());
  },
});
