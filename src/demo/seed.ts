import type { Services } from '../app.tsx';
import { audit } from '../platform/audit/audit.service.ts';
import type { Platform } from '../platform/context.ts';
import { newToken } from '../platform/crypto.ts';
import type { PersonActor } from '../platform/policy.ts';
import * as accountsRepo from '../modules/accounts/accounts.repository.ts';
import { hashPassword, newPassphrase } from '../modules/accounts/passwords.ts';
import * as membershipRepo from '../modules/directory/membership.repository.ts';
import * as networkRepo from '../modules/directory/network.repository.ts';
import { profileInput } from '../modules/directory/directory.service.ts';
import { DEMO_ORGANISATIONS } from './organisations.ts';
import { seedDemoAdvocacy } from './advocacy.ts';
import { seedDemoMeetings } from './meetings.ts';
import { seedDemoEngagement } from './engagement.ts';
import { seedDemoSigns } from './signs.ts';

/**
 * Demo data for a first look: fictional organisations and people, every one marked as demo
 * (names end in "(demo)", addresses use the reserved .invalid domain, is_demo is true).
 * Loaded only into an empty database.
 */
const DEMO_TERMS = `These terms of reference are **demo text**: the convener replaces them with the network's own.

## Purpose
The network brings together civil-society organisations that work to predict and prevent mass atrocities and identity-based violence, and the diaspora communities they work with.

## Who can join
- Organisations whose work contributes to preventing atrocities: advocacy, education, research, memorialisation, monitoring, accountability and justice, peacebuilding, technology, training, network building.
- Organisations that respect the safety and dignity of survivors and communities, and never put them at risk for a story or a statistic.

## What members do
- Share what they know about warning signs, in confidence where needed.
- Take part in joint responses when the network sounds the alarm, as far as their capacity allows.
- Attend the annual meeting, or send apologies.

## Leaving
An organisation may leave at any time by telling the convener; its profile then leaves the public directory.
`;

export interface DemoCredentials {
  email: string;
  password: string;
}

export async function seedDemoIfEmpty(p: Platform, services: Pick<Services, 'directory' | 'statements' | 'recipients' | 'commitments' | 'meetings' | 'agenda' | 'goals' | 'actions'>): Promise<DemoCredentials | undefined> {
  if ((await accountsRepo.countPeople(p.db)) > 0) return undefined;
  const password = `${newPassphrase()}-${newToken(3)}`;
  const convenerHash = await hashPassword(password);
  const otherHash = await hashPassword(newToken()); // nobody knows these: sign-in needs a reset
  const email = 'convener@demo.northstar.invalid';
  const actors: PersonActor[] = [];
  await p.db.transaction().execute(async (trx) => {
    const orgIds: string[] = [];
    for (const profile of DEMO_ORGANISATIONS) {
      const { id } = await services.directory.createWithin(trx, null, profileInput(profile), { status: 'member', reason: 'Demo data', isDemo: true });
      orgIds.push(id);
    }
    await seedDemoSigns(trx, orgIds);
    const people = [
      { display_name: 'Demo Convener', email, network_role: 'convener' as const, hash: convenerHash, org: 0, role: 'org_admin' as const },
      { display_name: 'Amal Haddad (demo)', email: 'amal@demo.northstar.invalid', network_role: 'member' as const, hash: otherHash, org: 1, role: 'org_admin' as const },
      { display_name: 'Ko Min (demo)', email: 'ko@demo.northstar.invalid', network_role: 'member' as const, hash: otherHash, org: 2, role: 'staff' as const },
      { display_name: 'Dr Leila Demo', email: 'leila@demo.northstar.invalid', network_role: 'associate' as const, hash: otherHash, org: -1, role: 'staff' as const },
    ];
    let convenerId = '';
    for (const person of people) {
      const { id } = await accountsRepo.insertPerson(trx, {
        display_name: person.display_name,
        email: person.email,
        network_role: person.network_role,
        password_hash: person.hash,
        is_demo: true,
      });
      if (person.network_role === 'convener') convenerId = id;
      const orgId = orgIds[person.org];
      if (orgId) await accountsRepo.insertMembership(trx, { person_id: id, organisation_id: orgId, role: person.role });
      if (orgId && person.role === 'org_admin') {
        const name = DEMO_ORGANISATIONS[person.org]?.name ?? '';
        actors.push({ kind: 'person', id, displayName: person.display_name, networkRole: person.network_role, memberships: [{ organisationId: orgId, role: 'org_admin', name, standing: 'member' }], locale: 'en' });
      }
      if (person.network_role === 'associate') {
        await networkRepo.saveProfile(trx, {
          person_id: id,
          expertise: 'Demo profile: forensic anthropologist; documentation of mass graves and training of local teams in evidence preservation.',
          countries: ['BIH', 'GTM', 'SYR'],
          languages: ['en', 'ar', 'es'],
          organisation: null,
        });
      }
      await audit(trx, null, { action: 'person.create', recordType: 'person', recordId: id });
    }
    for (const pseudonym of ['River (demo)', 'Saffron (demo)']) {
      const { id } = await accountsRepo.insertPerson(trx, {
        display_name: pseudonym,
        pseudonym,
        network_role: 'participant',
        password_hash: otherHash,
        is_demo: true,
      });
      await audit(trx, null, { action: 'person.create', recordType: 'person', recordId: id });
    }
    await seedDemoEngagement(trx, orgIds, convenerId);
    await membershipRepo.insertTerms(trx, { version: 1, body: DEMO_TERMS, created_by: convenerId });
    await audit(trx, null, { action: 'terms.publish', recordType: 'terms', recordId: '1' });
    // One application waiting, so the convener's queue is not empty on a first look.
    const { id } = await membershipRepo.insertApplication(trx, {
      profile: JSON.stringify({
        name: 'Kivu Youth Memory Circle (demo)',
        mission: 'Young people from eastern DR Congo living in Belgium record their families’ memories and run school workshops on the roots of mass violence.',
        countries: ['COD', 'BEL'],
        activities: ['memorialisation', 'education'],
        stakeholders: ['young_people', 'schools_universities', 'diaspora_communities'],
        languages: ['fr', 'sw'],
        diasporaLed: true,
        membersOnly: ['staffSize', 'preventionShare'],
      }),
      statement: 'Demo application: we share the aims in the terms of reference and would like to connect with members working on the Great Lakes.',
      terms_version: 1,
      contact_name: 'Demo Applicant',
      contact_email: 'applicant@demo.northstar.invalid',
      locale: 'en',
    });
    await audit(trx, null, { action: 'application.create', recordType: 'application', recordId: id });
  });
  // Amal's organisation leads, the convener's co-signs: through the services, after the people exist.
  const [convener, amal] = actors;
  if (convener && amal) {
    await seedDemoAdvocacy(services, amal, convener);
    await seedDemoMeetings(services, amal, convener);
  }
  return { email, password };
}

