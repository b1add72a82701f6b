import type { Row } from '../access-rows.ts';

/** Meetings routes, the calendars part: who may call what (see access-table.ts). */
export const MEETINGS_CALENDARS: Record<string, Row> = {};
