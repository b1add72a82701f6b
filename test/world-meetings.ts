import { Agent, postForm, type TestApp, type TestPerson } from './helpers.ts';
import type { World } from './world.ts';

/**
 * The meetings records of the test world (world.ts), for organisations A and B alike, made as
 * people make them (the module's forms, through its services). Each organisation's staff member
 * convenes; its admin and the associate are offered the chair and accept (consent), so that the
 * access table's member, org_admin and associate are organisers of their side's meetings and the
 * convener an invitee (it sees every scheduled meeting). The participant takes part through a
 * community: the side's community meeting.
 */
export interface MeetingsRecords {
  /**
   * Scheduled in a month, for the named organisation (this one), publicly listed, agenda not yet
   * published (seven days before). Chairs: the staff member (who made it), the admin, the
   * associate. The staff member replied yes and checked the admin in.
   */
  meeting: string;
  /** On `meeting`: proposed by the admin, not decided; and one the staff member proposed and accepted. */
  item: string;
  accepted: string;
  /** Convened from this organisation's alert: a draft with a time poll open (two slots), the same chairs. */
  draft: string;
  slots: string[];
  /** Held yesterday (the same chairs, all three checked in): minutes saved and circulated, a decision recorded. */
  held: string;
  decision: string;
  /** Owned by this organisation, from the held meeting: offered to its removable staff member, unanswered. */
  action: string;
  /** This year's goals: `goal` led by this organisation (its admin accepted), `goalInvited` not answered yet. */
  goal: string;
  goalInvited: string;
  /** An AGM for this organisation, scheduled in a month, the same chairs, with a motion open (open ballot). */
  agm: string;
  motion: string;
  /** An AGM for a community of this organisation that the participant (P for A, Q for B) joined. */
  communityMeeting: string;
  /** A draft for the same community with a time poll open: the participant marks the times they can make. */
  communityDraft: string;
  communitySlots: string[];
  community: string;
  /** The staff member's personal calendar feed token (as its address shows it). */
  feedToken: string;
}

export interface MeetingsWorld {
  A: MeetingsRecords;
  B: MeetingsRecords;
  /** The support page's version, published by the convener. */
  supportVersion: string;
}

const idFrom = (location: unknown) => String(location).split('?')[0]?.split('#')[0]?.split('/').pop() as string;
/** A wall-clock time as <input type="datetime-local"> sends it, `days` from now (UTC date), at `time`. */
export const localTime = (days: number, time = '10:00') => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${time}`;

/** The new-meeting form as a convener fills it in (MeetingInput). */
export const meetingForm = (title: string, organisations: string[], opts: { days?: number; kind?: string; community?: string; listed?: boolean } = {}): Record<string, string | string[]> => {
  const days = opts.days ?? 30;
  return {
    kind: opts.kind ?? 'other',
    title,
    purpose: 'Agree how members respond to the reports from Darfur.',
    startsAt: localTime(days, '10:00'),
    endsAt: localTime(days, '12:00'),
    timeZone: 'Europe/London',
    place: 'Conference room, 12 Example Street, London',
    accessibility: 'Step-free access; a quiet room.',
    interpretation: ['ar'],
    audience: opts.community ? 'community' : 'organisations',
    organisations: opts.community ? [] : organisations,
    ...(opts.community ? { community: opts.community } : {}),
    ...(opts.listed === false ? {} : { listedPublicly: 'yes' }),
    agendaDays: '7',
  };
};

type Res = { statusCode: number; body: string; headers: Record<string, unknown> };
export async function must(res: Res, what: string): Promise<Res> {
  if (res.statusCode !== 303 || String(res.headers.location).startsWith('/sign-in')) {
    throw new Error(`world (meetings): ${what} answered ${res.statusCode} ${String(res.headers.location ?? '')}: ${res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`);
  }
  return res;
}

async function signedIn(t: TestApp, person: TestPerson): Promise<Agent> {
  const agent = new Agent(t);
  await agent.signIn(person);
  return agent;
}

/** `organiser` offers the chair of a meeting to each of `people`, who each accept (their own act). */
export async function chairs(t: TestApp, organiser: Agent, meeting: string, people: { person: TestPerson; agent: Agent }[]): Promise<void> {
  for (const { person, agent } of people) {
    await must(await postForm(t, organiser, `/meetings/${meeting}/roles`, { role: 'chair', candidate: person.id }), 'chair offered');
    await must(await postForm(t, agent, `/meetings/${meeting}/roles/answer`, { role: 'chair', answer: 'accept' }), 'chair accepted');
  }
}

/** A meeting through its forms: created by `organiser` (its first chair), and scheduled unless asked not to. */
export async function makeMeeting(t: TestApp, organiser: Agent, form: Record<string, string | string[]>, steps: { schedule?: boolean; chairs?: { person: TestPerson; agent: Agent }[] } = {}): Promise<string> {
  const id = idFrom((await must(await postForm(t, organiser, '/meetings', form), `meeting "${String(form.title)}"`)).headers.location);
  await chairs(t, organiser, id, steps.chairs ?? []);
  if (steps.schedule !== false) await must(await postForm(t, organiser, `/meetings/${id}/schedule`, {}), `"${String(form.title)}" scheduled`);
  return id;
}

/** An agenda item proposed through the form; its id (the newest of that title). */
export async function proposeItem(t: TestApp, agent: Agent, meeting: string, title: string): Promise<string> {
  await must(await postForm(t, agent, `/meetings/${meeting}/agenda/items`, { title, why: 'Members asked for it.', minutes: '15' }), `item "${title}"`);
  return (await t.platform.db.selectFrom('agenda_items').select('id').where('meeting_id', '=', meeting).where('title', '=', title).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
}

/** A draft convened from an alert, with a poll of two slots; the slots' ids. */
export async function convened(t: TestApp, agent: Agent, alert: string, organisation: string, title: string): Promise<{ id: string; slots: string[] }> {
  const res = await postForm(t, agent, '/meetings/convene', {
    alert,
    title,
    purpose: 'Agree a response to the alert.',
    startsAt: localTime(10, '09:00'),
    endsAt: localTime(10, '10:00'),
    timeZone: 'Europe/London',
    place: 'Room 4, 1 Example Street',
    organisations: [organisation],
    slots: [localTime(10, '09:00'), localTime(11, '14:00')],
  });
  const id = idFrom((await must(res, `convened "${title}"`)).headers.location);
  const slots = (await t.platform.db.selectFrom('meeting_poll_slots').select('id').where('meeting_id', '=', id).orderBy('starts_at').execute()).map((s) => s.id);
  return { id, slots };
}

export async function buildMeetingsWorld(t: TestApp, w: Pick<World, 'A' | 'B' | 'associate' | 'convener' | 'P' | 'Q'>): Promise<MeetingsWorld> {
  const post = (agent: Agent, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agent, url, form);
  const associate = { person: w.associate, agent: await signedIn(t, w.associate) };
  const db = t.platform.db;

  const side = async (key: 'A' | 'B'): Promise<MeetingsRecords> => {
    const org = w[key];
    const staff = await signedIn(t, org.staff);
    const admin = { person: org.admin, agent: await signedIn(t, org.admin) };
    const participant = { person: key === 'A' ? w.P : w.Q, agent: await signedIn(t, key === 'A' ? w.P : w.Q) };
    const others = [admin, associate];

    const meeting = await makeMeeting(t, staff, meetingForm(`Members' meeting of ${key}`, [org.org.id]), { chairs: others });
    await must(await post(staff, `/meetings/${meeting}/reply`, { answer: 'yes', needs: 'A seat near the door.', named: 'yes' }), `${key} replies`);
    await must(await post(staff, `/meetings/${meeting}/check-in`, { person: org.admin.id }), `${key} checks its admin in`);
    const item = await proposeItem(t, admin.agent, meeting, `Item proposed by ${key}'s admin`);
    const accepted = await proposeItem(t, staff, meeting, `Item accepted for ${key}`);
    await must(await post(staff, `/meetings/${meeting}/agenda/items/${accepted}/accept`, { minutes: '20' }), `${key} accepts an item`);

    const draft = await convened(t, staff, org.alert, org.org.id, `Ad hoc meeting on the alert of ${key}`);
    await chairs(t, staff, draft.id, others);

    const held = await makeMeeting(t, staff, meetingForm(`Meeting held by ${key}`, [org.org.id], { days: -1 }), { chairs: others });
    for (const person of [org.staff, org.admin, w.associate]) await must(await post(staff, `/meetings/${held}/check-in`, { person: person.id }), `${key} checks in at the held meeting`);
    await must(await post(staff, `/meetings/${held}/minutes`, { body: `Present: the members of ${key}.\n\nThe meeting agreed to brief the desk officer.` }), `${key} minutes`);
    await must(await post(staff, `/meetings/${held}/minutes/circulate`), `${key} circulates the minutes`);
    await must(await post(staff, `/meetings/${held}/decisions`, { text: `Brief the desk officer (${key}).` }), `${key} decision`);
    const decision = (await db.selectFrom('decisions').select('id').where('meeting_id', '=', held).executeTakeFirstOrThrow()).id;

    const actionRes = await post(staff, '/actions', { title: `Brief the desk officer (${key})`, owner: org.org.id, dueOn: localTime(14).slice(0, 10), meeting: held, decision });
    const action = idFrom((await must(actionRes, `${key} action`)).headers.location);
    await must(await post(staff, `/actions/${action}/offer`, { person: org.removable.id }), `${key} offers the action`);

    const year = String(new Date().getUTCFullYear());
    const goal = idFrom((await must(await post(staff, '/goals', { year, title: `Protect civilians in Darfur (${key})`, success: 'Two statements answered.', leads: [org.org.id] }), `${key} goal`)).headers.location);
    await must(await post(admin.agent, `/goals/${goal}/leads`, { organisation: org.org.id, answer: 'accept' }), `${key} leads its goal`);
    const goalInvited = idFrom((await must(await post(staff, '/goals', { year, title: `Fund the monitors (${key})`, success: 'A fund in place.', leads: [org.org.id] }), `${key} second goal`)).headers.location);

    const agm = await makeMeeting(t, staff, meetingForm(`AGM of ${key}`, [org.org.id], { kind: 'agm' }), { chairs: others });
    await must(await post(staff, `/meetings/${agm}/motions`, { text: `Adopt the annual report of ${key}.`, ballot: 'open' }), `${key} motion`);
    const motion = (await db.selectFrom('motions').select('id').where('meeting_id', '=', agm).executeTakeFirstOrThrow()).id;
    await must(await post(staff, `/meetings/${agm}/motions/${motion}/open`), `${key} opens the motion`);

    const community = idFrom((await must(await post(staff, '/communities', { name: `Meeting circle of ${key} ${meeting.slice(0, 6)}`, languages: ['ar'], dimensions: 'Region of origin: Darfur, Khartoum' }), `${key} circle`)).headers.location);
    await must(await post(participant.agent, `/communities/${community}/join`), `${key}'s participant joins the circle`);
    const communityMeeting = await makeMeeting(t, staff, meetingForm(`Community AGM of ${key}`, [], { kind: 'agm', community, listed: false }), { chairs: others });

    const communityDraft = await makeMeeting(t, staff, meetingForm(`Community circle of ${key}`, [], { community, listed: false }), { schedule: false });
    await must(await post(staff, `/meetings/${communityDraft}/poll`, { slots: [localTime(20, '09:00'), localTime(21, '15:00')] }), `${key} community poll`);
    const communitySlots = (await db.selectFrom('meeting_poll_slots').select('id').where('meeting_id', '=', communityDraft).orderBy('starts_at').execute()).map((s) => s.id);

    const feed = await staff.post('/calendar/feed', {});
    const feedToken = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(feed.body)?.[1];
    if (!feedToken) throw new Error(`world (meetings): ${key}'s feed address not shown (${feed.statusCode})`);

    return { meeting, item, accepted, draft: draft.id, slots: draft.slots, held, decision, action, goal, goalInvited, agm, motion, communityMeeting, communityDraft, communitySlots, community, feedToken };
  };

  const A = await side('A');
  const B = await side('B');
  const convener = await signedIn(t, w.convener);
  // Each world adds a version (several worlds share one database): its text differs.
  await must(await post(convener, '/support', { body: `Look after yourself and each other: talk to someone you trust after a hard meeting (${A.meeting.slice(0, 8)}).` }), 'support page');
  const supportVersion = String((await db.selectFrom('support_versions').select('version').orderBy('version', 'desc').executeTakeFirstOrThrow()).version);
  return { A, B, supportVersion };
}
