import type { Platform } from '../../platform/context.ts';
import type { Actor } from '../../platform/policy.ts';

/** What convening from an alert needs of early warning, through its services (not its files). */
export interface WarningsForMeetings {
  alerts: {
    citable(
      actor: Actor,
      id: string,
    ): Promise<{ alert: { id: string; number: number; country: string; summary: string; severity: string }; signs: { id: string; observed_on: string; description: string }[] } | undefined>;
  };
}

// Being written this session (agenda, convening from an alert, time polls).
export class AgendaService {
  constructor(
    readonly p: Platform,
    readonly warnings: WarningsForMeetings,
  ) {}
}
