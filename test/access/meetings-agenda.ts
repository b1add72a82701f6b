import type { Row } from '../access-rows.ts';

/** Meetings routes, the agenda part: who may call what (see access-table.ts). */
export const MEETINGS_AGENDA: Record<string, Row> = {};
