import { audit } from '../platform/audit/audit.service.ts';
import type { Platform } from '../platform/context.ts';
import { newToken } from '../platform/crypto.ts';
import * as accountsRepo from '../modules/accounts/accounts.repository.ts';
import { hashPassword, newPassphrase } from '../modules/accounts/passwords.ts';

/**
 * Demo data for a first look: fictional organisations and people, every one marked as demo
 * (names end in "(demo)", addresses use the reserved .invalid domain, is_demo is true).
 * Loaded only into an empty database.
 */
const ORGANISATIONS = [
  'Bridgewater Atrocity Prevention Forum (demo)',
  'Nile Voices Diaspora Network (demo)',
  'Salween Documentation Project (demo)',
  'Jaffna Memory Archive (demo)',
  'Dnipro Accountability Lab (demo)',
  'Orontes Futures Education Trust (demo)',
];

export interface DemoCredentials {
  email: string;
  password: string;
}

export async function seedDemoIfEmpty(p: Platform): Promise<DemoCredentials | undefined> {
  if ((await accountsRepo.countPeople(p.db)) > 0) return undefined;
  const password = `${newPassphrase()}-${newToken(3)}`;
  const convenerHash = await hashPassword(password);
  const otherHash = await hashPassword(newToken()); // nobody knows these: sign-in needs a reset
  const email = 'convener@demo.northstar.invalid';
  await p.db.transaction().execute(async (trx) => {
    const orgIds: string[] = [];
    for (const name of ORGANISATIONS) {
      const slug = name.toLowerCase().replace(/\(demo\)/, '').trim().replace(/[^a-z0-9]+/g, '-');
      const { id } = await accountsRepo.insertOrganisation(trx, { name, slug, is_demo: true });
      orgIds.push(id);
      await audit(trx, null, { action: 'organisation.create', recordType: 'organisation', recordId: id });
    }
    const people = [
      { display_name: 'Demo Convener', email, network_role: 'convener' as const, hash: convenerHash, org: 0, role: 'org_admin' as const },
      { display_name: 'Amal Haddad (demo)', email: 'amal@demo.northstar.invalid', network_role: 'member' as const, hash: otherHash, org: 1, role: 'org_admin' as const },
      { display_name: 'Ko Min (demo)', email: 'ko@demo.northstar.invalid', network_role: 'member' as const, hash: otherHash, org: 2, role: 'staff' as const },
      { display_name: 'Dr Leila Demo', email: 'leila@demo.northstar.invalid', network_role: 'associate' as const, hash: otherHash, org: -1, role: 'staff' as const },
    ];
    for (const person of people) {
      const { id } = await accountsRepo.insertPerson(trx, {
        display_name: person.display_name,
        email: person.email,
        network_role: person.network_role,
        password_hash: person.hash,
        is_demo: true,
      });
      const orgId = orgIds[person.org];
      if (orgId) await accountsRepo.insertMembership(trx, { person_id: id, organisation_id: orgId, role: person.role });
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
  });
  return { email, password };
}
