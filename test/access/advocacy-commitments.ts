import type { Row } from '../access-rows.ts';

/** Advocacy routes (commitments): who may call what (see access-table.ts). */
export const ADVOCACY_COMMITMENTS: Record<string, Row> = {};
