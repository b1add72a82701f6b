import type { Row } from '../access-rows.ts';

/** Meetings routes, the core part: who may call what (see access-table.ts). */
export const MEETINGS_CORE: Record<string, Row> = {};
