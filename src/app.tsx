import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import { accountsModule } from './modules/accounts/index.ts';
import { advocacyModule } from './modules/advocacy/index.ts';
import { directoryModule } from './modules/directory/index.ts';
import { engagementModule } from './modules/engagement/index.ts';
import { libraryModule } from './modules/library/index.ts';
import { surveysModule } from './modules/surveys/index.ts';
import { notificationsModule } from './modules/notifications/index.ts';
import { meetingsModule } from './modules/meetings/index.ts';
import { homeModule } from './modules/home/index.ts';
import { outboxModule } from './modules/outbox/index.ts';
import { peopleModule } from './modules/people/index.ts';
import { warningsModule } from './modules/warnings/index.ts';
import { type Database, openDatabase, postgresDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { currentRole, grantApplicationRole } from './db/roles.ts';
import { registerApiDocs, registerApiDocsRoute } from './platform/api.ts';
import { useAuditKey } from './platform/audit/audit.service.ts';
import type { Platform } from './platform/context.ts';
import { registerHttpPlatform } from './platform/http.tsx';
import { registerHealth } from './platform/health.ts';
import type { NorthstarModule } from './platform/module.ts';
import { httpViews } from './views/http.tsx';
import { registerInputChecks } from './platform/input.ts';
import { Jobs } from './platform/jobs/jobs.ts';
import { Mailer } from './platform/mail/mail.ts';
import { DigestSources } from './platform/notifications.ts';
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

/**
 * Every module, in the order their services are made: a module may use the services of those
 * listed before it. Adding a module is a folder with an index.ts and one line here.
 */
const MODULES = [accountsModule, peopleModule, outboxModule, homeModule, directoryModule, warningsModule, engagementModule, advocacyModule, meetingsModule, libraryModule, surveysModule, notificationsModule] as const;

type ProvidedBy<M> = M extends NorthstarModule<never, infer P> ? P : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** The services of every module, by name (tests and the demo data use them). */
export type Services = Intersection<ProvidedBy<(typeof MODULES)[number]>>;

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
    for (const m of MODULES) await m.prepare?.(db.db);
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
  const platform: Platform = { config, database: db, db: db.db, jobs, mailer, digests: new DigestSources(), log: app.log };
  for (const warning of config.warnings) app.log.warn(warning);

  const services = {} as Services;
  for (const m of MODULES) Object.assign(services, m.services(platform, services as never));

  await registerApiDocs(app);
  await registerHttpPlatform(app, config, services.accounts, httpViews);
  registerInputChecks(app); // before the routes: they get only the hooks added before them
  for (const m of MODULES) m.routes(app, services as never, platform);
  registerHealth(app, db);
  registerApiDocsRoute(app);

  app.addHook('onClose', async () => {
    try {
      await jobs.stop();
    } finally {
      // The database is closed (and the data folder let go) even when the job worker would not stop.
      mailer.close();
      await db.close();
    }
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
  return { app, platform, services };
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
