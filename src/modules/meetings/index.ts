import { defineModule } from '../../platform/module.ts';
import { ActionsService } from './actions.service.ts';
import { actionsPages } from './actions.pages.tsx';
import { AgendaService, type WarningsForMeetings } from './agenda.service.ts';
import { agendaPages } from './agenda.pages.tsx';
import { BallotsService } from './ballots.service.ts';
import { ballotsPages } from './ballots.pages.tsx';
import { CalendarsService } from './calendars.service.ts';
import { calendarsPages } from './calendars.pages.tsx';
import { GoalsService } from './goals.service.ts';
import { goalsPages } from './goals.pages.tsx';
import { MeetingsService } from './meetings.service.ts';
import { meetingsPages } from './meetings.pages.tsx';
import { MinutesService } from './minutes.service.ts';
import { minutesPages } from './minutes.pages.tsx';
import type { MeetingsServices } from './services.ts';

/**
 * Meetings, goals and actions (ADR 0020): meetings with a co-created agenda and shared chairs,
 * convened from an alert in two steps, minutes kept version by version, decisions and actions
 * carried until done, the network's goals and their progress, AGM ballots, calendar feeds.
 */
export const meetingsModule = defineModule({
  name: 'meetings',
  // Needs early warning's services: a meeting convened from an alert cites it and its signs.
  services(p, needs: WarningsForMeetings): MeetingsServices {
    return {
      meetings: new MeetingsService(p),
      agenda: new AgendaService(p, needs),
      minutes: new MinutesService(p),
      actions: new ActionsService(p),
      goals: new GoalsService(p),
      ballots: new BallotsService(p),
      calendars: new CalendarsService(p),
    };
  },
  routes(app, services, p) {
    meetingsPages(app, services, p.config);
    agendaPages(app, services, p.config);
    minutesPages(app, services, p.config);
    actionsPages(app, services, p.config);
    goalsPages(app, services, p.config);
    ballotsPages(app, services, p.config);
    calendarsPages(app, services, p.config);
  },
});
