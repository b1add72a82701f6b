import type { Row } from '../access-rows.ts';

/** Advocacy routes (statements): who may call what (see access-table.ts). */
export const ADVOCACY_STATEMENTS: Record<string, Row> = {};
