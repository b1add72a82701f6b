import type { Platform } from '../../platform/context.ts';

// Being written this session (minutes, decisions).
export class MinutesService {
  constructor(readonly p: Platform) {}
}
