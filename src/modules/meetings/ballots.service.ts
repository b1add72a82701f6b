import type { Platform } from '../../platform/context.ts';

// Being written this session (AGM motions and ballots).
export class BallotsService {
  constructor(readonly p: Platform) {}
}
