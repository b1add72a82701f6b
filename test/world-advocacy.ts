import { Agent, postForm, type TestApp, type TestPerson } from './helpers.ts';
import type { World } from './world.ts';

/**
 * The advocacy records of the test world (world.ts), for organisations A and B alike, made as
 * people make them (the module's forms, through its services). Kept apart from world.ts so that
 * each part of the module adds its records here.
 */
export interface AdvocacyRecords {
  /** Drafted by this organisation alone, not circulated: only its staff (and invited co-drafters) read it. */
  draft: string;
  /** Circulated to member organisations (deadline in two weeks), individuals may co-sign; nobody has signed or declined. */
  circulated: string;
  /** Circulated, signed by this organisation's admin, published (version 1). */
  published: string;
  /** Drafts of the OTHER organisation that invite this one to co-draft: one to accept, one to decline. */
  invitedToDraft: { accept: string; decline: string };
  /**
   * Public figures (recipients.pages.tsx), entered by this organisation's staff member: a person
   * holding a post since a month ago, in a party; the membership of the party.
   */
  person: string;
  party: string;
  post: string;
  holding: string;
  partyMembership: string;
  /**
   * The published statement sent to the post by email and to the person by hand. The emailed
   * recipient's reply (with a PDF) is recorded and published; an acknowledgement is recorded and
   * not published. The reply link from the letter in the outbox.
   */
  emailed: string;
  byHand: string;
  reply: string;
  replyUnpublished: string;
  replyToken: string;
  /** A commitment extracted from the published reply, rated "in the works" with a PDF as evidence. */
  commitment: string;
  rating: string;
}

export interface AdvocacyWorld {
  A: AdvocacyRecords;
  B: AdvocacyRecords;
}

const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const idFrom = (location: unknown) => String(location).split('?')[0]?.split('#')[0]?.split('/').pop() as string;

/** The new-statement form as a person fills it in (StatementInput). */
export const statementForm = (title: string, opts: { allowIndividuals?: boolean } = {}): Record<string, string | string[]> => ({
  kind: 'joint_statement',
  language: 'en',
  title,
  summary: 'Member organisations call for the protection of civilians.',
  asks: 'Open humanitarian corridors\nFund the monitoring mission',
  body: 'The siege has lasted **months**.\n\nWe ask the government to act before it is too late.',
  countries: ['SDN'],
  ...(opts.allowIndividuals ? { allowIndividuals: 'yes' } : {}),
});

export const circulateForm = () => ({ deadline: daysFromNow(14) });

type Res = { statusCode: number; body: string; headers: Record<string, unknown> };
async function must(res: Res, what: string): Promise<Res> {
  if (res.statusCode !== 303 || String(res.headers.location).startsWith('/sign-in')) {
    throw new Error(`world (advocacy): ${what} answered ${res.statusCode} ${String(res.headers.location ?? '')}: ${res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`);
  }
  return res;
}

async function signedIn(t: TestApp, person: TestPerson): Promise<Agent> {
  const agent = new Agent(t);
  await agent.signIn(person);
  return agent;
}

/** A statement through its forms: created, and (as asked) circulated, signed by `signers`, published. */
export async function makeStatement(
  t: TestApp,
  drafter: Agent,
  title: string,
  steps: { circulate?: boolean; allowIndividuals?: boolean; signers?: Agent[]; publish?: boolean } = {},
): Promise<string> {
  const post = (agent: Agent, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agent, url, form);
  const id = idFrom((await must(await post(drafter, '/statements', statementForm(title, steps)), `statement "${title}"`)).headers.location);
  if (steps.circulate || steps.publish) await must(await post(drafter, `/statements/${id}/circulate`, circulateForm()), `"${title}" circulated`);
  for (const signer of steps.signers ?? []) await must(await post(signer, `/statements/${id}/sign`), `"${title}" signed`);
  if (steps.publish) await must(await post(drafter, `/statements/${id}/publish`), `"${title}" published`);
  return id;
}

/**
 * A and B each draft, circulate and publish; each invites the other to co-draft (twice, so that
 * one invitation can be accepted and one declined). Each organisation's admin names its staff
 * member signatory, who accepts (the access table's `member` signs for A), and names its
 * removable staff member too, who has not answered (a naming for nobody else to answer).
 */
export async function buildAdvocacyWorld(t: TestApp, w: Pick<World, 'A' | 'B'>): Promise<AdvocacyWorld> {
  const post = (agent: Agent, url: string, form: Record<string, string | string[]> = {}) => postForm(t, agent, url, form);
  const staff = { A: await signedIn(t, w.A.staff), B: await signedIn(t, w.B.staff) };
  const admin = { A: await signedIn(t, w.A.admin), B: await signedIn(t, w.B.admin) };

  for (const key of ['A', 'B'] as const) {
    const org = w[key];
    await must(await post(admin[key], `/organisations/${org.org.id}/signatories`, { person: org.staff.id }), `${key} names its staff member signatory`);
    await must(await post(staff[key], `/signatories/${org.org.id}/accept`), `${key}'s staff member accepts`);
    await must(await post(admin[key], `/organisations/${org.org.id}/signatories`, { person: org.removable.id }), `${key} names a second signatory`);
  }

  const side = async (key: 'A' | 'B') => {
    const draft = await makeStatement(t, staff[key], `Draft of ${key}: protect civilians`);
    const circulated = await makeStatement(t, staff[key], `Circulated by ${key}: open the corridors`, { circulate: true, allowIndividuals: true });
    const published = await makeStatement(t, staff[key], `Published by ${key}: end the siege`, { publish: true, signers: [admin[key]] });
    return { draft, circulated, published };
  };
  const mine = { A: await side('A'), B: await side('B') };

  const invitations = async (key: 'A' | 'B') => {
    const other = key === 'A' ? 'B' : 'A';
    const out: string[] = [];
    for (const answer of ['accept', 'decline']) {
      const id = await makeStatement(t, staff[other], `Draft of ${other} for ${key} to ${answer}`);
      await must(await post(staff[other], `/statements/${id}/drafters`, { organisation: w[key].org.id }), `${other} invites ${key} to co-draft`);
      out.push(id);
    }
    return { accept: out[0] as string, decline: out[1] as string };
  };

  const recipients = async (key: 'A' | 'B') => {
    const me = staff[key];
    const tag = `${key} ${mine[key].published.slice(0, 6)}`;
    const person = idFrom((await must(await post(me, '/recipients/people', { name: `Amina Minister ${tag}`, email: `amina.${key.toLowerCase()}.${mine[key].published.slice(0, 8)}@example.org` }), `${key} recipient person`)).headers.location);
    const partyName = `Unity Party ${tag}`;
    await must(await post(me, '/recipients/bodies', { name: partyName, classification: 'party' }), `${key} party`);
    const party = (await t.platform.db.selectFrom('advocacy_bodies').select('id').where('name', '=', partyName).executeTakeFirstOrThrow()).id;
    const postId = idFrom((await must(await post(me, '/recipients/posts', { label: `Minister for Africa ${tag}` }), `${key} post`)).headers.location);
    await must(await post(me, `/recipients/posts/${postId}/holders`, { person, startDate: daysFromNow(-30) }), `${key} holder`);
    await must(await post(me, `/recipients/people/${person}/parties`, { party, startDate: daysFromNow(-400) }), `${key} party membership`);
    const memberships = await t.platform.db.selectFrom('advocacy_memberships').select(['id', 'post_id']).where('person_id', '=', person).execute();
    const holding = memberships.find((m) => m.post_id === postId)?.id as string;
    const partyMembership = memberships.find((m) => m.post_id === null)?.id as string;

    const statement = mine[key].published;
    await must(await post(me, `/statements/${statement}/recipients`, { posts: [postId], channel: 'email' }), `${key} addresses the post`);
    await must(await post(me, `/statements/${statement}/recipients`, { people: [person], channel: 'hand' }), `${key} addresses the person`);
    const since = new Date();
    await must(await post(me, `/statements/${statement}/send`), `${key} sends`);
    const rows = await t.platform.db.selectFrom('statement_recipients').select(['id', 'channel']).where('statement_id', '=', statement).execute();
    const emailed = rows.find((r) => r.channel === 'email')?.id as string;
    const byHand = rows.find((r) => r.channel === 'hand')?.id as string;
    // The reply link, as the post holder receives it (the outbox keeps the letter).
    const letters = await t.platform.db.selectFrom('mail_messages').select('body_text').where('created_at', '>=', since).execute();
    const replyToken = letters.map((l) => /\/replies\/([A-Za-z0-9_-]+)/.exec(l.body_text)?.[1]).find(Boolean) ?? '';
    if (!replyToken) throw new Error(`world (advocacy): no reply link in ${key}'s letter`);

    const withPdf = await multipart(t, me, `/statements/${statement}/recipients/${emailed}/replies`, { kind: 'substantive', body: 'We will raise it with the government.', receivedOn: daysFromNow(0) }, {
      field: 'attachment',
      name: 'reply.pdf',
      data: '%PDF-1.4\n% the minister’s letter\n',
    });
    await must(withPdf, `${key} records a reply`);
    await must(await post(me, `/statements/${statement}/recipients/${byHand}/replies`, { kind: 'acknowledgement', receivedOn: daysFromNow(0) }), `${key} records an acknowledgement`);
    const replies = await t.platform.db.selectFrom('statement_replies').select(['id', 'kind']).where('recipient_id', 'in', [emailed, byHand]).execute();
    const reply = replies.find((r) => r.kind === 'substantive')?.id as string;
    const replyUnpublished = replies.find((r) => r.kind === 'acknowledgement')?.id as string;
    await must(await post(me, `/statements/${statement}/replies/${reply}/publish`), `${key} publishes the reply`);

    const extracted = await post(me, `/statements/${statement}/replies/${reply}/commitments`, { quote: 'We will raise it with the government.', summary: `Raise the siege with the government (${key})`, countries: ['SDN'] });
    const commitment = idFrom((await must(extracted, `${key} extracts a commitment`)).headers.location);
    const rated = await multipart(t, me, `/commitments/${commitment}/ratings`, { rating: 'in_the_works', ratedOn: daysFromNow(0), note: 'A question was tabled.' }, { field: 'evidenceFile', name: 'hansard.pdf', data: '%PDF-1.4\n% the question tabled\n' });
    await must(rated, `${key} rates the commitment`);
    const rating = (await t.platform.db.selectFrom('commitment_ratings').select('id').where('commitment_id', '=', commitment).executeTakeFirstOrThrow()).id;
    return { person, party, post: postId, holding, partyMembership, emailed, byHand, reply, replyUnpublished, replyToken, commitment, rating };
  };

  return {
    A: { ...mine.A, invitedToDraft: await invitations('A'), ...(await recipients('A')) },
    B: { ...mine.B, invitedToDraft: await invitations('B'), ...(await recipients('B')) },
  };
}

/** A form with one file, as a browser sends it (multipart). */
export async function multipart(t: TestApp, agent: Agent, url: string, form: Record<string, string>, file: { field: string; name: string; data: string; type?: string }): Promise<Res> {
  const fd = new FormData();
  fd.append('_csrf', await agent.csrf());
  for (const [k, v] of Object.entries(form)) fd.append(k, v);
  fd.append(file.field, new Blob([file.data], { type: file.type ?? 'application/pdf' }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: fd });
  return t.app.inject({
    method: 'POST',
    url,
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { origin: 'http://localhost:3000', accept: 'text/html', cookie: agent.cookieHeader() ?? '', 'content-type': request.headers.get('content-type') as string },
  });
}
