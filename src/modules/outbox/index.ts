import { defineModule } from '../../platform/module.ts';
import { outboxPages } from './outbox.pages.tsx';
import { OutboxService } from './outbox.service.ts';

/** Mail kept for the convener to pass on when there is no SMTP server. */
export const outboxModule = defineModule({
  name: 'outbox',
  services: (p) => ({ outbox: new OutboxService(p) }),
  routes(app, { outbox }) {
    outboxPages(app, outbox);
  },
});
