import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import { type Database, openDatabase, postgresDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { currentRole, grantApplicationRole } from './db/roles.ts';
import { accountsApi } from './modules/accounts/accounts.api.ts';
import { accountsPages } from './modules/accounts/accounts.pages.tsx';
import { AccountsService } from './modules/accounts/accounts.service.ts';
import { directoryApi } from './modules/directory/directory.api.ts';
import { directoryPages } from './modules/directory/directory.pages.tsx';
import { DirectoryService } from './modules/directory/directory.service.ts';
import { membershipPages } from './modules/directory/membership.pages.tsx';
import { MembershipService } from './modules/directory/membership.service.ts';
import { networkPages } from './modules/directory/network.pages.tsx';
import { NetworkService } from './modules/directory/network.service.ts';
import { CommunitiesService } from './modules/engagement/communities.service.ts';
import { ConsultationsService } from './modules/engagement/consultations.service.ts';
import { MediaService } from './modules/engagement/media.service.ts';
import { OpportunitiesService } from './modules/engagement/opportunities.service.ts';
import { PaymentsService } from './modules/engagement/payments.service.ts';
import { engagementApi } from './modules/engagement/engagement.api.ts';
import { engagementPages } from './modules/engagement/engagement.pages.tsx';
import { homePages } from './modules/home/home.pages.tsx';
import { outboxPages } from './modules/outbox/outbox.pages.tsx';
import { OutboxService } from './modules/outbox/outbox.service.ts';
import { peopleApi } from './modules/people/people.api.ts';
import { peoplePages } from './modules/people/people.pages.tsx';
import { PeopleService } from './modules/people/people.service.ts';
import { AlertsService } from './modules/warnings/alerts.service.ts';
import { ForecastsService } from './modules/warnings/forecasts.service.ts';
import { loadFrameworks } from './modules/warnings/framework.ts';
import { PictureService } from './modules/warnings/picture.service.ts';
import { SignsService } from './modules/warnings/signs.service.ts';
import { warningsApi } from './modules/warnings/warnings.api.ts';
import { warningsPages } from './modules/warnings/warnings.pages.tsx';
import { registerApiDocs, registerApiDocsRoute } from './platform/api.ts';
import { useAuditKey } from './platform/audit/audit.service.ts';
import type { Platform } from './platform/context.ts';
import { registerHttpPlatform } from './platform/http.tsx';
import { registerInputChecks } from './platform/input.ts';
import { Jobs } from './platform/jobs/jobs.ts';
import { Mailer } from './platform/mail/mail.ts';
import { addNorthstarFormats, ajvOptions } from './platform/validation.ts';

export interface BuildOptions {
  config: Config;
  /** Tests hand in a cloned database; otherwise it is opened from the config. */
  database?: Database;
  /**
   * The owner role's connection that migrates (DATABASE_MIGRATION_URL, or handed in by the
   * test set-up); closed once the database is ready. Unset: `database` migrates itself.
   */
  migrationDatabase?: Database;
  logStream?: DestinationStream;
}

export interface Services {
  accounts: AccountsService;
  people: PeopleService;
  outbox: OutboxService;
  directory: DirectoryService;
  membership: MembershipService;
  network: NetworkService;
  signs: SignsService;
  picture: PictureService;
  forecasts: ForecastsService;
  alerts: AlertsService;
  communities: CommunitiesService;
  consultations: ConsultationsService;
  payments: PaymentsService;
  opportunities: OpportunitiesService;
  media: MediaService;
}

export interface Built {
  app: FastifyInstance;
  platform: Platform;
  services: Services;
}

// Never logged, wherever they appear: a safety net behind logging only what we choose.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passphrase',
  '*.token',
  '*.email',
  '*.body',
];

/**
 * TRUST_PROXY as Fastify takes it. A hop count is a function: this Fastify reads a bare number
 * as "trust nothing" (it cannot tell the proxy from a client that reached the port directly),
 * so hop counts are for a port that only the proxy can reach; an address list checks the peer.
 */
export function trustProxyOption(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

export async function buildApp({ config, database, migrationDatabase, logStream }: BuildOptions): Promise<Built> {
  useAuditKey(config.secretKey);
  const db = database ?? (await openDatabase(config));
  const owner = migrationDatabase ?? (config.databaseMigrationUrl ? postgresDatabase(config.databaseMigrationUrl, 2) : undefined);
  let appRole: string | undefined;
  try {
    if (owner) {
      await migrate(owner.db);
      appRole = await currentRole(db.db);
      if (appRole === (await currentRole(owner.db))) appRole = undefined; // one role after all
      else await grantApplicationRole(owner.db, appRole);
    } else {
      await migrate(db.db);
    }
    await loadFrameworks(db.db);
  } catch (err) {
    await owner?.close();
    await db.close();
    throw err;
  }
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, ...(logStream ? { stream: logStream } : {}) },
    // We log each request ourselves, by route pattern, without addresses or URLs with tokens.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { ...ajvOptions, coerceTypes: 'array' as const, removeAdditional: true }, plugins: [addNorthstarFormats as never] },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });

  const jobs = new Jobs(db, {
    work: config.jobs,
    pollingSeconds: config.jobPollingSeconds,
    onError: (err) => app.log.error({ err: { message: (err as Error).message } }, 'job queue error'),
  });
  const mailer = new Mailer(db.db, jobs, { smtpUrl: config.smtpUrl, from: config.mailFrom });
  const platform: Platform = { config, database: db, db: db.db, jobs, mailer, log: app.log };
  for (const warning of config.warnings) app.log.warn(warning);

  const accounts = new AccountsService(platform);
  const people = new PeopleService(platform, accounts);
  const outbox = new OutboxService(platform);
  const directory = new DirectoryService(platform, accounts);
  const membership = new MembershipService(platform, accounts, directory);
  const network = new NetworkService(platform);
  const signs = new SignsService(platform);
  const picture = new PictureService(platform, signs);
  const forecasts = new ForecastsService(platform);
  const alerts = new AlertsService(platform, signs);
  const communities = new CommunitiesService(platform);
  const payments = new PaymentsService(platform);
  const consultations = new ConsultationsService(platform, payments);
  const opportunities = new OpportunitiesService(platform, payments);
  const media = new MediaService(platform);

  await registerApiDocs(app);
  await registerHttpPlatform(app, config, accounts);
  registerInputChecks(app); // before the routes: they get only the hooks added before them
  homePages(app);
  accountsPages(app, accounts, config);
  peoplePages(app, people);
  outboxPages(app, outbox);
  directoryPages(app, directory, config);
  membershipPages(app, membership);
  networkPages(app, network);
  warningsPages(app, { signs, picture, forecasts, alerts }, config);
  engagementPages(app, { communities, consultations, opportunities, media });
  accountsApi(app, accounts);
  peopleApi(app, people);
  directoryApi(app, directory, config);
  warningsApi(app, { signs, picture, alerts }, config);
  engagementApi(app, { consultations, opportunities }, config);
  registerApiDocsRoute(app);

  app.addHook('onClose', async () => {
    await jobs.stop();
    mailer.close();
    await db.close();
  });
  try {
    if (owner) await prepareJobQueues(owner, jobs.names, appRole);
    await jobs.start();
    await app.ready();
  } catch (err) {
    await app.close();
    throw err;
  } finally {
    await owner?.close();
  }
  return { app, platform, services: { accounts, people, outbox, directory, membership, network, signs, picture, forecasts, alerts, communities, consultations, payments, opportunities, media } };
}

/**
 * With two roles, the owner creates the job queue's schema and one table per queue (pg-boss
 * creates them as partitions of its job table, which only the owner may alter), then grants
 * the application role its rights on them; the application's own pg-boss finds them ready.
 */
async function prepareJobQueues(owner: Database, names: string[], appRole: string | undefined): Promise<void> {
  const jobs = new Jobs(owner, { work: false, pollingSeconds: 60, onError: () => {} });
  for (const name of names) jobs.define(name, async () => {});
  await jobs.start();
  await jobs.stop();
  if (appRole) await grantApplicationRole(owner.db, appRole);
}
