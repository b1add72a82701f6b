import type { Platform } from '../../platform/context.ts';

// Being written this session (goals, support page).
export class GoalsService {
  constructor(readonly p: Platform) {}
}
