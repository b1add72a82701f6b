// Meetings, the agenda part (migration 2026-12-02T07x0-meetings-agenda). Being written this
// session: replace with an interface of this part's tables.
export type MeetingsAgendaTables = Record<never, never>;
