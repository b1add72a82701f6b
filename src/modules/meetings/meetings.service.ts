import type { Platform } from '../../platform/context.ts';

// Being written this session (meetings core).
export class MeetingsService {
  constructor(readonly p: Platform) {}
}
