import { definePolicy, SIGNED_IN } from '../../platform/policy.ts';

/** Digests and announcements: each person keeps their own preferences; the convener announces. */
export const notificationsPolicy = definePolicy('notifications', {
  own: [...SIGNED_IN],
  announce: ['convener'],
});
