import type { Services } from '../app.tsx';
import type { PersonActor } from '../platform/policy.ts';

type AdvocacyServices = Pick<Services, 'statements' | 'recipients' | 'commitments'>;

/**
 * One open letter carried the whole way, for a first look at collective advocacy: drafted by one
 * demo organisation, signed by two, published, sent to a party leader, answered, and one
 * commitment from the answer rated "in the works" in the public tracker. It goes through the
 * services, as a person would, so the demo shows only what the rules allow.
 */
export async function seedDemoAdvocacy(services: AdvocacyServices, lead: PersonActor, second: PersonActor): Promise<void> {
  const { statements, recipients, commitments } = services;
  const id = await statements.create(
    lead,
    {
      kind: 'open_letter',
      language: 'en',
      title: 'Letter to every party leader on atrocity prevention (demo)',
      summary: 'Demo letter: member organisations ask each party to set out its commitments on atrocity prevention before the general election.',
      asks: 'Appoint a special envoy for Sudan\nPublish an atrocity prevention strategy within a year',
      body: 'Demo text.\n\nAhead of the general election, we — organisations that work to predict and prevent mass atrocities — ask every party to set out **what it will do** to prevent atrocities abroad.\n\nWe ask each party to commit to the steps below, and we will publish every answer.',
      countries: ['SDN'],
      alerts: [],
      signs: [],
      allowIndividuals: 'yes',
    },
    undefined,
  );
  const deadline = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  await statements.circulate(lead, id, { deadline }, undefined);
  await statements.sign(lead, id, undefined);
  await statements.sign(second, id, undefined);
  await statements.publish(lead, id, undefined);

  const today = new Date().toISOString().slice(0, 10);
  const party = await recipients.createBody(lead, { name: 'Common Ground Party (demo)', classification: 'party' });
  const post = await recipients.createPost(lead, { label: 'Leader of the Common Ground Party (demo)', body: party });
  const leader = await recipients.createPerson(lead, { name: 'Alex Morgan (demo)', email: 'leader@demo.northstar.invalid' });
  await recipients.addHolder(lead, post, { person: leader, startDate: '2024-07-05' });
  await recipients.addParty(lead, leader, { party, startDate: '2010-01-01' });
  await recipients.addRecipients(lead, id, { posts: [post], people: [], channel: 'email' });
  await recipients.send(lead, id);
  const [recipient] = (await recipients.statementRecipients(lead, id)).recipients;
  if (!recipient) return;
  const replyText = 'Demo reply. Thank you for your letter.\n\nIf elected, we will appoint a special envoy for Sudan within our first hundred days.';
  const replyId = await recipients.recordReply(lead, id, recipient.id, { kind: 'substantive', body: replyText, receivedOn: today });
  await recipients.setPublished(lead, id, replyId, true);
  const commitment = await commitments.extract(lead, id, replyId, { quote: 'we will appoint a special envoy for Sudan within our first hundred days', summary: 'A special envoy for Sudan in the first 100 days (demo)', countries: ['SDN'] });
  await commitments.rate(second, commitment, { rating: 'in_the_works', ratedOn: today, evidenceUrl: 'https://example.org/demo-evidence', note: 'Demo: the party named a shortlist.' });
}
