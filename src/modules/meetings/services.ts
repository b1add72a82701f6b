import type { ActionsService } from './actions.service.ts';
import type { AgendaService } from './agenda.service.ts';
import type { BallotsService } from './ballots.service.ts';
import type { CalendarsService } from './calendars.service.ts';
import type { GoalsService } from './goals.service.ts';
import type { MeetingsService } from './meetings.service.ts';
import type { MinutesService } from './minutes.service.ts';

/** The module's services, as its page and API registrations receive them. */
export interface MeetingsServices {
  meetings: MeetingsService;
  agenda: AgendaService;
  minutes: MinutesService;
  actions: ActionsService;
  goals: GoalsService;
  ballots: BallotsService;
  calendars: CalendarsService;
}
