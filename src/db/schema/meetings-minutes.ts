// Meetings, the minutes part (migration 2026-12-02T07x0-meetings-minutes). Being written this
// session: replace with an interface of this part's tables.
export type MeetingsMinutesTables = Record<never, never>;
