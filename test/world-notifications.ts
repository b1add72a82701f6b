import { Agent, postForm, type TestApp } from './helpers.ts';
import type { World } from './world.ts';
import { must } from './world-meetings.ts';

/** The convener's announcement to everyone (world.ts), through its form. */
export interface NotificationsWorld {
  announcement: string;
}

export async function buildNotificationsWorld(t: TestApp, w: Omit<World, 'advocacy' | 'meetings' | 'library' | 'surveys' | 'notifications'>): Promise<NotificationsWorld> {
  const agent = new Agent(t);
  await agent.signIn(w.convener);
  const res = await must(await postForm(t, agent, '/announcements', { title: 'The general assembly is on 12 March', body: 'Please hold the date.', audience: 'everyone' }), 'announcement');
  return { announcement: String(res.headers.location).split('?')[0]?.split('/').pop() as string };
}
