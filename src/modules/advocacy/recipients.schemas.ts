import { type Static, Type } from '@sinclair/typebox';
import { isoDate, oneOf, uuid } from '../../platform/schemas.ts';

export const BODY_CLASSIFICATIONS = ['party', 'legislature', 'executive', 'committee', 'other'] as const;
export const CHANNELS = ['email', 'hand', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];
export const REPLY_KINDS = ['substantive', 'acknowledgement', 'declined'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

export const RECIPIENT_LIMITS = { name: 200, label: 200, email: 254, reply: 40000, link: 500, query: 100 } as const;
/** Free text whose white space matters: a reply keeps its paragraphs. */
export const REPLY_LONG_TEXT = ['body'] as const;

const choice = Type.String({ format: 'uuid', errorKey: 'errors.choice' });
const email = Type.Optional(Type.String({ maxLength: RECIPIENT_LIMITS.email, format: 'email' }));
const link = Type.String({ maxLength: RECIPIENT_LIMITS.link, format: 'uri', pattern: '^https?://[^\\s/?#]+\\.[^\\s/?#]+', errorKey: 'errors.url' });

export const RecipientsQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: RECIPIENT_LIMITS.query })), done: Type.Optional(Type.String({ maxLength: 40 })) });

export const PersonInput = Type.Object(
  { name: Type.String({ minLength: 2, maxLength: RECIPIENT_LIMITS.name, normalise: 'name' }), email },
  { additionalProperties: false },
);
export type PersonInput = Static<typeof PersonInput>;

export const BodyInput = Type.Object(
  { name: Type.String({ minLength: 2, maxLength: RECIPIENT_LIMITS.name, normalise: 'name' }), classification: oneOf(BODY_CLASSIFICATIONS) },
  { additionalProperties: false },
);
export type BodyInput = Static<typeof BodyInput>;

export const PostInput = Type.Object(
  { label: Type.String({ minLength: 2, maxLength: RECIPIENT_LIMITS.label, normalise: 'name' }), body: Type.Optional(choice), email },
  { additionalProperties: false },
);
export type PostInput = Static<typeof PostInput>;

/** Who holds a post from when (to when: the last day held, inclusive). */
export const HolderInput = Type.Object({ person: choice, startDate: isoDate, endDate: Type.Optional(isoDate) }, { additionalProperties: false });
export type HolderInput = Static<typeof HolderInput>;

export const PartyInput = Type.Object({ party: choice, startDate: isoDate, endDate: Type.Optional(isoDate) }, { additionalProperties: false });
export type PartyInput = Static<typeof PartyInput>;

export const EndInput = Type.Object({ endDate: isoDate }, { additionalProperties: false });
export type EndInput = Static<typeof EndInput>;

/** Posts and/or people at once, each by one channel. */
export const AddRecipientsInput = Type.Object(
  {
    posts: Type.Array(choice, { maxItems: 100 }),
    people: Type.Array(choice, { maxItems: 100 }),
    channel: oneOf(CHANNELS),
  },
  { additionalProperties: false },
);
export type AddRecipientsInput = Static<typeof AddRecipientsInput>;
export const RECIPIENT_LISTS = ['posts', 'people'] as const;

export const DeliveredInput = Type.Object({ deliveredOn: isoDate }, { additionalProperties: false });
export type DeliveredInput = Static<typeof DeliveredInput>;

export const ReplyInput = Type.Object(
  {
    kind: oneOf(REPLY_KINDS),
    body: Type.Optional(Type.String({ maxLength: RECIPIENT_LIMITS.reply })),
    receivedOn: isoDate,
    link: Type.Optional(link),
  },
  { additionalProperties: false },
);
export type ReplyInput = Static<typeof ReplyInput>;

/** A recipient's own reply through the link in the mail: the text only. */
export const TokenReplyInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: RECIPIENT_LIMITS.reply }) }, { additionalProperties: false });
export type TokenReplyInput = Static<typeof TokenReplyInput>;

export const RecipientParams = Type.Object({ id: uuid, recipientId: uuid });
export const ReplyParams = Type.Object({ id: uuid, replyId: uuid });
