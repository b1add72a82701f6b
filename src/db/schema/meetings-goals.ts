// Meetings, the goals part (migration 2026-12-02T07x0-meetings-goals). Being written this
// session: replace with an interface of this part's tables.
export type MeetingsGoalsTables = Record<never, never>;
