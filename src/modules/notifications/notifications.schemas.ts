import { type Static, Type } from '@sinclair/typebox';
import { oneOf } from '../../platform/schemas.ts';

export const ANNOUNCEMENT_LIMITS = { title: 200, body: 8000 } as const;
const frequency = Type.Unsafe<'immediate' | 'daily' | 'weekly' | 'never'>(Type.String({ enum: ['immediate', 'daily', 'weekly', 'never'], errorKey: 'errors.notificationFrequency' }));

export const PreferencesInput = Type.Object(
  {
    // Each optional: a person's form holds only the topics offered to them.
    members: Type.Optional(frequency),
    statements: Type.Optional(frequency),
    meetings: Type.Optional(frequency),
    library: Type.Optional(frequency),
    surveys: Type.Optional(frequency),
    work: Type.Optional(frequency),
    announcements: Type.Optional(frequency),
    keepWhenInactive: Type.Optional(Type.Literal('yes')),
  },
  { additionalProperties: false },
);
export type PreferencesInput = Static<typeof PreferencesInput>;

export const AnnouncementInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: ANNOUNCEMENT_LIMITS.title, pattern: '\\S', errorKey: 'errors.required' }),
    body: Type.String({ minLength: 1, maxLength: ANNOUNCEMENT_LIMITS.body, pattern: '\\S', errorKey: 'errors.required' }),
    audience: oneOf(['everyone', 'network', 'participants'] as const),
  },
  { additionalProperties: false },
);
export type AnnouncementInput = Static<typeof AnnouncementInput>;

export const UnsubscribeParam = Type.Object({ token: Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_.-]+$' }) });
