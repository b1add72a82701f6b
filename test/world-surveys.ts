import { randomUUID } from 'node:crypto';
import type { PersonActor } from '../src/platform/policy.ts';
import { Agent, postForm, type TestApp } from './helpers.ts';
import type { World } from './world.ts';
import { must } from './world-meetings.ts';

/**
 * The surveys of the test world (world.ts), run by A's staff member through the forms: a draft
 * with one question; an open survey of the network; a survey closed with six answers, free text
 * among them (unread); an open survey for anyone with its link.
 */
export interface SurveysWorld {
  draft: string;
  draftQuestion: string;
  /** The question of B's draft. */
  otherDraftQuestion: string;
  open: string;
  closed: string;
  link: string;
  linkToken: string;
  /** B's: a draft, and an open survey for B's own staff only. */
  otherDraft: string;
  otherOnly: string;
  otherOnlyQuestion: string;
}

const idFrom = (location: unknown) => String(location).split('?')[0]?.split('/').pop() as string;
export const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
export const surveyForm = (title: string, audience = 'network'): Record<string, string> => ({ title, language: 'en', audience, closesOn: day(7), minGroup: '5' });

/** A survey through its forms, with one question of each kind given; opened unless it stays a draft. */
export async function makeSurvey(t: TestApp, agent: Agent, title: string, opts: { audience?: string; open?: boolean; questions?: Record<string, string>[] } = {}): Promise<{ id: string; questions: string[] }> {
  const id = idFrom((await must(await postForm(t, agent, '/surveys', surveyForm(title, opts.audience)), `survey "${title}"`)).headers.location);
  for (const q of opts.questions ?? [{ kind: 'single', text: 'Is the network useful?', options: 'Yes\nNo' }]) await must(await postForm(t, agent, `/surveys/${id}/questions`, q), 'question');
  if (opts.open !== false) await must(await postForm(t, agent, `/surveys/${id}/open`, {}), 'open');
  const questions = (await t.platform.db.selectFrom('survey_questions').select('id').where('survey_id', '=', id).orderBy('position').execute()).map((q) => q.id);
  return { id, questions };
}

/** Someone of the network, as the services see them (respondents need no account here: nobody is named). */
const respondent = (organisationId: string): PersonActor => ({ kind: 'person', id: randomUUID(), displayName: 'Respondent', networkRole: 'member', memberships: [{ organisationId, role: 'staff', name: 'B', standing: 'member' }], locale: null });

export async function buildSurveysWorld(t: TestApp, w: Omit<World, 'advocacy' | 'meetings' | 'library' | 'surveys' | 'notifications'>): Promise<SurveysWorld> {
  const agent = new Agent(t);
  await agent.signIn(w.A.staff);
  const draft = await makeSurvey(t, agent, 'Draft survey of A', { open: false });
  const open = await makeSurvey(t, agent, 'Open survey of A');
  const closed = await makeSurvey(t, agent, 'Closed survey of A', { questions: [{ kind: 'single', text: 'Is the network useful?', options: 'Yes\nNo' }, { kind: 'long', text: 'What should change?' }] });
  for (let i = 0; i < 6; i++) {
    await t.services.surveys.answer(respondent(w.B.org.id), closed.id, { [`q_${closed.questions[0]}`]: '0', [`q_${closed.questions[1]}`]: `Change number ${i}.` });
  }
  await must(await postForm(t, agent, `/surveys/${closed.id}/close`, {}), 'close');
  const link = await makeSurvey(t, agent, 'Survey for anyone with the link', { audience: 'link', questions: [{ kind: 'short', text: 'One word?' }] });
  const other = new Agent(t);
  await other.signIn(w.B.staff);
  const otherDraft = await makeSurvey(t, other, 'Draft survey of B', { open: false });
  const otherOnly = idFrom((await must(await postForm(t, other, '/surveys', { ...surveyForm('For B only', 'organisations'), organisations: [w.B.org.id] }), 'B survey')).headers.location);
  await must(await postForm(t, other, `/surveys/${otherOnly}/questions`, { kind: 'single', text: 'Yes or no?', options: 'Yes\nNo' }), 'question');
  await must(await postForm(t, other, `/surveys/${otherOnly}/open`, {}), 'open');
  const otherOnlyQuestion = (await t.platform.db.selectFrom('survey_questions').select('id').where('survey_id', '=', otherOnly).executeTakeFirstOrThrow()).id;
  return { otherDraft: otherDraft.id, otherDraftQuestion: otherDraft.questions[0] as string, otherOnly, otherOnlyQuestion, draft: draft.id, draftQuestion: draft.questions[0] as string, open: open.id, closed: closed.id, link: link.id, linkToken: t.services.surveys.linkToken(link.id) };
}
