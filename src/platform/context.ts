import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/database.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { Mailer } from './mail/mail.ts';
import type { DigestSources } from './notifications.ts';

/** What a service needs from the platform; no web framework types. */
export interface Platform {
  config: Config;
  database: Database;
  db: Db;
  jobs: Jobs;
  mailer: Mailer;
  /** What each module has new for a person's digest (platform/notifications.ts). */
  digests: DigestSources;
  log: FastifyBaseLogger;
}

/** Who sent a request, as far as services need to know. */
export interface ClientContext {
  /** Only ever used through an HMAC; the address itself is never stored. */
  ip: string;
  device: string;
}
