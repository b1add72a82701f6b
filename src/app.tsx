import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
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
import type { Platform } from './platform/context.ts';
import { registerHttpPlatform } from './platform/http.tsx';
import { Jobs } from './platform/jobs/jobs.ts';
import { Mailer } from './platform/mail/mail.ts';
import { addNorthstarFormats, ajvOptions } from './platform/validation.ts';

export interface BuildOptions {
  config: Config;
  /** Tests hand in a cloned database; otherwise it is opened from the config. */
  database?: Database;
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

export async function buildApp({ config, database, logStream }: BuildOptions): Promise<Built> {
  const db = database ?? (await openDatabase(config));
  try {
    await migrate(db.db);
    await loadFrameworks(db.db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' }, ...(logStream ? { stream: logStream } : {}) },
    // We log each request ourselves, by route pattern, without addresses or URLs with tokens.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
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
    await jobs.start();
    await app.ready();
  } catch (err) {
    await app.close();
    throw err;
  }
  return { app, platform, services: { accounts, people, outbox, directory, membership, network, signs, picture, forecasts, alerts, communities, consultations, payments, opportunities, media } };
}
