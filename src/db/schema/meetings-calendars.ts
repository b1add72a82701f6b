// Meetings, the calendars part (migration 2026-12-02T07x0-meetings-calendars). Being written this
// session: replace with an interface of this part's tables.
export type MeetingsCalendarsTables = Record<never, never>;
