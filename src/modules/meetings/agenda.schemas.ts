import { Type, type Static } from '@sinclair/typebox';
import { ACTING_FOR_FIELD } from '../../platform/acting.ts';
import { oneOf, uuid } from '../../platform/schemas.ts';
import { MEETING_LIMITS } from './meetings.schemas.ts';

export const AGENDA_LIMITS = { title: 200, why: 2000, reason: 1000, minutes: 600, organisations: 200, purpose: 2000 } as const;
/** A time poll offers this many slots (issue 14, item 4). */
export const POLL_SLOTS = { min: 2, max: 5 } as const;
/** Free text whose line breaks matter. */
export const AGENDA_LONG_TEXT = ['why', 'reason', 'purpose'] as const;
/** Fields of the convening form that repeat: the organisations ticked, the poll's slots. */
export const CONVENE_LISTS = ['organisations', 'slots'] as const;

const actingFor = Type.Optional(Type.String({ format: 'uuid', errorKey: 'errors.actingForChoose' }));
/** Wall-clock time as <input type="datetime-local"> sends it; the zone is a field of its own. */
const localTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$', maxLength: 16, errorKey: 'errors.agendaDateTime' });
/** A whole number of minutes, as a form sends it; the service checks the range. */
const minutes = Type.String({ pattern: '^[0-9]{1,3}$', maxLength: 8, errorKey: 'errors.agendaMinutes' });

export const ItemParams = Type.Object({ id: uuid, itemId: uuid });

export const ProposeInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: AGENDA_LIMITS.title }),
    why: Type.Optional(Type.String({ maxLength: AGENDA_LIMITS.why })),
    minutes,
    [ACTING_FOR_FIELD]: actingFor,
  },
  { additionalProperties: false },
);
export type ProposeInput = Static<typeof ProposeInput>;

export const AcceptInput = Type.Object({ minutes: Type.Optional(minutes) }, { additionalProperties: false });
export type AcceptInput = Static<typeof AcceptInput>;

export const TimeboxInput = Type.Object({ minutes }, { additionalProperties: false });
export type TimeboxInput = Static<typeof TimeboxInput>;

// The reason is checked in the service, so that a missing one gets its own message.
export const DeclineInput = Type.Object({ reason: Type.Optional(Type.String({ maxLength: AGENDA_LIMITS.reason })) }, { additionalProperties: false });
export type DeclineInput = Static<typeof DeclineInput>;

export const MoveInput = Type.Object({ direction: oneOf(['up', 'down'] as const) }, { additionalProperties: false });
export type MoveInput = Static<typeof MoveInput>;

export const ConveneQuery = Type.Object({ alert: uuid }, { additionalProperties: true });

export const ConveneInput = Type.Object(
  {
    alert: uuid,
    title: Type.String({ minLength: 1, maxLength: AGENDA_LIMITS.title }),
    purpose: Type.Optional(Type.String({ maxLength: AGENDA_LIMITS.purpose })),
    // Where, if already known (scheduling needs a place or a link; a draft may wait for them).
    place: Type.Optional(Type.String({ maxLength: MEETING_LIMITS.place })),
    onlineUrl: Type.Optional(Type.String({ maxLength: MEETING_LIMITS.link, format: 'uri', pattern: '^https://[^\\s/?#]+\\.[^\\s/?#]+', errorKey: 'errors.meetingOnlineUrl' })),
    startsAt: localTime,
    endsAt: localTime,
    timeZone: Type.String({ minLength: 1, maxLength: 64, errorKey: 'errors.agendaTimeZone' }),
    organisations: Type.Array(Type.String({ format: 'uuid', errorKey: 'errors.choice' }), { maxItems: AGENDA_LIMITS.organisations }),
    // Checked in the service (none, or two to five) so that the message names the rule.
    slots: Type.Array(localTime, { maxItems: 20 }),
    [ACTING_FOR_FIELD]: actingFor,
  },
  { additionalProperties: false },
);
export type ConveneInput = Static<typeof ConveneInput>;

export const PollInput = Type.Object({ slots: Type.Array(localTime, { maxItems: 20 }) }, { additionalProperties: false });
export type PollInput = Static<typeof PollInput>;

export const MarksInput = Type.Object({ canMake: Type.Array(Type.String({ format: 'uuid', errorKey: 'errors.choice' }), { maxItems: POLL_SLOTS.max }) }, { additionalProperties: false });
export type MarksInput = Static<typeof MarksInput>;

export const PickInput = Type.Object(
  {
    slot: Type.String({ format: 'uuid', errorKey: 'errors.pollPickSlot' }),
    schedule: Type.Optional(Type.Literal('yes')),
  },
  { additionalProperties: false },
);
export type PickInput = Static<typeof PickInput>;
