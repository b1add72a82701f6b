import type { Row } from '../access-rows.ts';

/** Advocacy routes (recipients): who may call what (see access-table.ts). */
export const ADVOCACY_RECIPIENTS: Record<string, Row> = {};
