import type { Platform } from '../../platform/context.ts';

// Being written this session (action items).
export class ActionsService {
  constructor(readonly p: Platform) {}
}
