/**
 * Early-warning benchmarks (issue 4), part of `npm run bench` (alone: `-- --warnings`):
 *  - fan-out: one confirmed alert to 10,000 subscribers through the job queue to a local SMTP
 *    sink (smtp-server), on the embedded database and on the PostgreSQL server: total time,
 *    messages/s, and duplicates (must be 0);
 *  - country picture with 1,000,000 generated warning signs on the PostgreSQL server: p50/p95 of
 *    a country page and of the world map page.
 */
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import type { Built } from '../../src/app.tsx';
import type { PersonActor } from '../../src/platform/policy.ts';
import { sample } from './directory.ts';
import { freePort, HOST, withBenchApp } from './temp-app.ts';

export const SUBSCRIBERS = 10_000;
export const SIGNS = 1_000_000;
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function twoOrganisations(built: Built) {
  const db = built.platform.db;
  const org = async (name: string) => (await db.insertInto('organisations').values({ name, slug: name.toLowerCase().replace(/\s+/g, '-') }).returning('id').executeTakeFirstOrThrow()).id;
  const person = async (name: string, organisationId: string): Promise<PersonActor> => {
    const { id } = await db.insertInto('people').values({ display_name: name, network_role: 'member', email: `${name.toLowerCase()}@bench.invalid` }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('memberships').values({ person_id: id, organisation_id: organisationId, role: 'staff' }).execute();
    return { kind: 'person', id, displayName: name, networkRole: 'member', memberships: [{ organisationId, role: 'staff', name: 'Bench organisation' }], locale: null };
  };
  const a = await org('Bench Monitors A');
  const b = await org('Bench Monitors B');
  return { proposer: await person('Proposer', a), confirmer: await person('Confirmer', b) };
}

export interface FanoutFigures {
  database: string;
  subscribers: number;
  delivered: number;
  duplicates: number;
  seconds: number;
  messagesPerSecond: number;
}

export async function benchFanout(adminUrl?: string): Promise<FanoutFigures> {
  const received = new Map<string, number>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) received.set(r.address, (received.get(r.address) ?? 0) + 1);
        callback();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, HOST, resolve));
  try {
    return await withBenchApp(adminUrl, { JOBS: 'true', JOB_POLLING_SECONDS: '1', SMTP_URL: `smtp://${HOST}:${smtpPort}`, DEMO_DATA: 'false' }, async (built) => {
      const { proposer, confirmer } = await twoOrganisations(built);
      const db = built.platform.db;
      // 10,000 subscribers: generated in SQL, each with a subscription to the country.
      await sql`insert into people (display_name, email, network_role)
                select 'Subscriber ' || g, 'subscriber' || g || '@bench.invalid', 'member' from generate_series(1, ${SUBSCRIBERS}) g`.execute(db);
      await sql`insert into alert_subscriptions (person_id, countries) select id, '{SDN}' from people where email like 'subscriber%'`.execute(db);
      const signId = await built.services.signs.record(proposer, {
        country: 'SDN', observedOn: new Date().toISOString().slice(0, 10), indicators: ['7.4'], description: 'Bench sign', links: [], confidence: 'medium', sensitivity: 'network', audience: [], language: 'en',
      });
      const alertId = await built.services.alerts.propose(proposer, { country: 'SDN', signs: [signId], severity: 'high', summary: 'Bench alert', actions: ['briefing'], sensitivity: 'network' });
      log(`fan-out to ${SUBSCRIBERS} subscribers (${adminUrl ? 'PostgreSQL' : 'PGlite'})`);
      const started = performance.now();
      await built.services.alerts.confirm(confirmer, alertId);
      const deadline = Date.now() + 20 * 60_000;
      let total = 0;
      while (Date.now() < deadline) {
        total = [...received.values()].reduce((a, b) => a + b, 0);
        if (total >= SUBSCRIBERS) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const seconds = (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 2000)); // anything late would be a duplicate
      const sent = [...received.values()];
      return {
        database: adminUrl ? 'PostgreSQL server' : 'embedded (PGlite)',
        subscribers: SUBSCRIBERS,
        delivered: received.size,
        duplicates: sent.reduce((a, n) => a + (n - 1), 0),
        seconds: Math.round(seconds * 10) / 10,
        messagesPerSecond: Math.round(received.size / seconds),
      };
    });
  } finally {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}

export interface PictureFigures {
  database: string;
  signs: number;
  loadSeconds: number;
  countryPage: Awaited<ReturnType<typeof sample>>;
  worldMap: Awaited<ReturnType<typeof sample>>;
  countryApi: Awaited<ReturnType<typeof sample>>;
}

/** A million signs over 60 countries and two years, a third corroborated, mixed sensitivity. */
export async function benchPicture(adminUrl: string): Promise<PictureFigures> {
  return withBenchApp(adminUrl, { DEMO_DATA: 'false' }, async (built) => {
    const { proposer } = await twoOrganisations(built);
    const db = built.platform.db;
    const framework = await built.services.signs.currentFramework();
    const countries = ['SDN', 'MMR', 'COD', 'ETH', 'SSD', 'SYR', 'YEM', 'AFG', 'NGA', 'MLI', 'BFA', 'NER', 'TCD', 'CAF', 'SOM', 'HTI', 'UKR', 'IRQ', 'PAK', 'IND'];
    log(`generating ${SIGNS.toLocaleString('en')} warning signs on PostgreSQL`);
    const started = performance.now();
    const orgId = proposer.memberships[0]?.organisationId as string;
    // Recorded on the day reported, as a real network's signs are, not all at once today.
    await sql`insert into warning_signs (organisation_id, country, observed_on, reported_on, created_at, framework_id, factor_codes, indicator_codes, description, confidence, sensitivity, language, state)
      select ${orgId}::uuid,
             (${sql.val(countries)}::text[])[1 + (g % ${countries.length})],
             current_date - (g % 730),
             current_date - (g % 730),
             (current_date - (g % 730))::timestamptz + interval '9 hours',
             ${framework.id}::uuid,
             array[(1 + (g % 14))::text],
             array[(1 + (g % 14))::text || '.1'],
             'Generated sign ' || g,
             'medium',
             (array['public','network','restricted'])[1 + (g % 3)],
             'en',
             (array['unverified','corroborated','verified','disputed'])[1 + (g % 4)]
      from generate_series(1, ${SIGNS}) g`.execute(db);
    await sql`analyze warning_signs`.execute(db);
    const loadSeconds = Math.round((performance.now() - started) / 100) / 10;
    await built.app.listen({ port: 0, host: HOST });
    const address = built.app.server.address();
    const base = `http://${HOST}:${typeof address === 'object' && address ? address.port : 0}`;
    await sample(base, ['/countries/SDN', '/countries'], 6);
    return {
      database: 'PostgreSQL server',
      signs: SIGNS,
      loadSeconds,
      countryPage: await sample(base, countries.slice(0, 10).map((c) => `/countries/${c}`), 60),
      worldMap: await sample(base, ['/countries'], 30),
      countryApi: await sample(base, countries.slice(0, 10).map((c) => `/api/v1/countries/${c}`), 40),
    };
  });
}
