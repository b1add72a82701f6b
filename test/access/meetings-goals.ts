import type { Row } from '../access-rows.ts';

/** Meetings routes, the goals part: who may call what (see access-table.ts). */
export const MEETINGS_GOALS: Record<string, Row> = {};
