import { readFileSync } from 'node:fs';
import { Agent, postForm, type TestApp, type TestPerson } from './helpers.ts';
import type { World } from './world.ts';
import { must } from './world-meetings.ts';

/**
 * The library records of the test world (world.ts), for organisations A and B alike, added by
 * each side's staff member through the form: a public report with a PDF, and a network-only
 * funding note (a link).
 */
export interface LibraryRecords {
  resource: string;
  network: string;
}
export interface LibraryWorld {
  A: LibraryRecords;
  B: LibraryRecords;
}

const idFrom = (location: unknown) => String(location).split('?')[0]?.split('/').pop() as string;
const PDF = () => readFileSync(new URL('./fixtures/library/report-en.pdf', import.meta.url));

export const resourceForm = (title: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  kind: 'report',
  title,
  summary: 'Testimonies of families who left their villages.',
  language: 'en',
  licence: 'CC-BY-4.0',
  visibility: 'public',
  link: 'https://example.org/report',
  ...overrides,
});

async function records(t: TestApp, staff: TestPerson, side: string): Promise<LibraryRecords> {
  const agent = new Agent(t);
  await agent.signIn(staff);
  const withFile = await agent.postMultipart('/library', resourceForm(`Report on displacement (${side})`) as Record<string, string>, [
    { name: 'file', filename: 'report-en.pdf', content: PDF(), type: 'application/pdf' },
  ]);
  const resource = idFrom((await must(withFile, `library resource (${side})`)).headers.location);
  const network = idFrom((await must(await postForm(t, agent, '/library', resourceForm(`Funding note (${side})`, { kind: 'funding', visibility: 'network' })), `funding note (${side})`)).headers.location);
  return { resource, network };
}

export async function buildLibraryWorld(t: TestApp, w: Omit<World, 'advocacy' | 'meetings' | 'library' | 'surveys' | 'notifications'>): Promise<LibraryWorld> {
  return { A: await records(t, w.A.staff, 'A'), B: await records(t, w.B.staff, 'B') };
}
