import type { Services } from '../app.tsx';
import { instantToZoned } from '../platform/timezones.ts';
import type { PersonActor } from '../platform/policy.ts';

type MeetingsServices = Pick<Services, 'meetings' | 'agenda' | 'goals' | 'actions'>;

/**
 * A first look at the network's own work: this year's goal, a quarterly members' meeting in ten
 * days (18:00 London) with a co-created agenda, and an action towards the goal owned by the
 * convening organisation. Through the services, as people would, so the demo shows only what
 * the rules allow.
 */
export async function seedDemoMeetings(services: MeetingsServices, lead: PersonActor, convener: PersonActor): Promise<void> {
  const { meetings, agenda, goals, actions } = services;
  const year = new Date().getUTCFullYear();
  const goalId = await goals.create(convener, {
    year,
    title: 'Answer every confirmed alert within a week (demo)',
    success: 'Demo goal: every confirmed alert has a joint statement, a meeting or a briefing within seven days, and the network can show which.',
    leads: [],
  });
  const day = (n: number) => instantToZoned(new Date(Date.now() + n * 86_400_000), 'Europe/London').slice(0, 10);
  const id = await meetings.create(
    lead,
    {
      kind: 'other',
      title: 'Quarterly members’ meeting (demo)',
      purpose: 'Demo meeting: review the early-warning picture, agree the joint advocacy plan for the quarter and check on each other.',
      startsAt: `${day(10)}T18:00`,
      endsAt: `${day(10)}T19:30`,
      timeZone: 'Europe/London',
      place: 'Community hall, London (demo)',
      onlineUrl: 'https://meet.example.org/northstar-demo',
      accessibility: 'Step-free access; live captions online.',
      interpretation: ['ar'],
      audience: 'network',
      organisations: [],
      listedPublicly: 'yes',
      agendaDays: '3',
      newSeries: 'Quarterly members’ meeting (demo)',
    },
    undefined,
  );
  await meetings.schedule(lead, id);
  const item = await agenda.propose(convener, id, { title: 'Early-warning round-up', why: 'Two new alerts since the last meeting.', minutes: '20' });
  await agenda.accept(lead, id, item, {});
  await agenda.propose(convener, id, { title: 'Self-care check-in', why: 'The network agreed to give it more weight.', minutes: '15' });
  await actions.create(convener, { title: 'Share the alert response times for the goal’s first report (demo)', owner: lead.memberships[0]?.organisationId, dueOn: day(20), goal: goalId }, undefined, {
    goals,
    alertVisible: async () => false,
  });
}
