import { type Static, Type } from '@sinclair/typebox';
import { oneOf, uuid } from '../../platform/schemas.ts';

export const MEETING_KINDS = ['agm', 'goal_setting', 'ad_hoc', 'expert_briefing', 'social', 'other'] as const;
export const AUDIENCES = ['network', 'members', 'organisations', 'associates', 'community'] as const;
export const ANSWERS = ['yes', 'no', 'maybe'] as const;
export const ROLES = ['chair', 'minute_taker'] as const;

export const MEETING_LIMITS = { title: 200, purpose: 4000, place: 300, link: 500, accessibility: 2000, needs: 1000, series: 200, search: 100, organisations: 200, languages: 12 } as const;
/** Free text whose line breaks matter. */
export const MEETING_LONG_TEXT = ['purpose', 'accessibility', 'needs'] as const;
export const MEETING_LISTS = ['organisations', 'interpretation'] as const;

const choice = Type.String({ format: 'uuid', errorKey: 'errors.choice' });
const yes = Type.Optional(Type.Literal('yes', { errorKey: 'errors.choice' }));
const text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
/** A wall-clock time as <input type="datetime-local"> sends it; read in the chosen zone. */
const LocalTime = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$', maxLength: 19, errorKey: 'errors.meetingDateTime' });
/** Checked against the runtime's tz database by the service (`errors.meetingTimeZone`). */
const Zone = Type.String({ minLength: 1, maxLength: 64, errorKey: 'errors.meetingTimeZone' });
const Language = Type.String({ format: 'language-code', maxLength: 12, errorKey: 'errors.languageUnknown' });

export const MeetingInput = Type.Object(
  {
    kind: oneOf(MEETING_KINDS),
    title: Type.String({ minLength: 3, maxLength: MEETING_LIMITS.title }),
    purpose: text(MEETING_LIMITS.purpose),
    startsAt: LocalTime,
    endsAt: LocalTime,
    timeZone: Zone,
    place: text(MEETING_LIMITS.place),
    onlineUrl: Type.Optional(Type.String({ maxLength: MEETING_LIMITS.link, format: 'uri', pattern: '^https://[^\\s/?#]+\\.[^\\s/?#]+', errorKey: 'errors.meetingOnlineUrl' })),
    accessibility: text(MEETING_LIMITS.accessibility),
    interpretation: Type.Array(Language, { maxItems: MEETING_LIMITS.languages }),
    audience: oneOf(AUDIENCES),
    organisations: Type.Array(choice, { maxItems: MEETING_LIMITS.organisations }),
    community: Type.Optional(choice),
    listedPublicly: yes,
    chathamHouse: yes,
    distressing: yes,
    capacity: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,4}$', maxLength: 5, errorKey: 'errors.meetingCapacity' })),
    agendaDays: Type.String({ pattern: '^(60|[1-5]?[0-9])$', maxLength: 2, errorKey: 'errors.meetingAgendaDays' }),
    series: Type.Optional(choice),
    newSeries: Type.Optional(Type.String({ minLength: 3, maxLength: MEETING_LIMITS.series })),
  },
  { additionalProperties: false },
);
export type MeetingInput = Static<typeof MeetingInput>;

export const ReplyInput = Type.Object(
  {
    answer: oneOf(ANSWERS),
    organisation: Type.Optional(choice),
    needs: text(MEETING_LIMITS.needs),
    named: yes,
  },
  { additionalProperties: false },
);
export type ReplyInput = Static<typeof ReplyInput>;

/** A person offered a role: the person only (the organisation they hold it for is theirs to choose on accepting). */
export const OfferRoleInput = Type.Object(
  {
    role: oneOf(ROLES),
    candidate: choice,
  },
  { additionalProperties: false },
);
export type OfferRoleInput = Static<typeof OfferRoleInput>;

export const AnswerRoleInput = Type.Object({ role: oneOf(ROLES), answer: oneOf(['accept', 'decline'] as const) }, { additionalProperties: false });
export type AnswerRoleInput = Static<typeof AnswerRoleInput>;

/** The person only: which organisation they come for is theirs to say (their reply), never the organiser's. */
export const CheckInInput = Type.Object({ person: choice }, { additionalProperties: false });
export type CheckInInput = Static<typeof CheckInInput>;

export const CheckInQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: MEETING_LIMITS.search })) });

export const TimeZoneInput = Type.Object({ timeZone: Zone }, { additionalProperties: false });
export type TimeZoneInput = Static<typeof TimeZoneInput>;

export const MeetingIdParam = Type.Object({ id: uuid });
