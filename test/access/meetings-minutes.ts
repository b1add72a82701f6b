import type { Row } from '../access-rows.ts';

/** Meetings routes, the minutes part: who may call what (see access-table.ts). */
export const MEETINGS_MINUTES: Record<string, Row> = {};
