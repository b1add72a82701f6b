import type { Platform } from '../../platform/context.ts';

// Being written this session (calendars, published data, API).
export class CalendarsService {
  constructor(readonly p: Platform) {}
}
