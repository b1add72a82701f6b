import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * One schema over process.env, checked once at boot. Zero configuration gives a working
 * embedded set-up; every problem is reported together so an operator fixes them in one go.
 */
export interface Config {
  port: number;
  host: string;
  publicUrl: URL;
  /** Unset: embedded PGlite in dataDir. Set: a PostgreSQL server through a pool. */
  databaseUrl: string | undefined;
  dataDir: string;
  databasePoolSize: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Keys the throttle buckets' HMACs and seals TOTP secrets. Never stored in the database. */
  secretKey: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  demoData: boolean;
  jobs: boolean;
  trustProxy: boolean;
  jobPollingSeconds: number;
  /** A payment still owed after this many days is overdue: flagged, and its organisation reminded. */
  paymentOverdueDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Northstar cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function bool(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

/** The embedded set-up keeps its own key beside its data so restarts keep sessions valid. */
function embeddedSecret(dataDir: string): string {
  const file = resolve(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const port = int('PORT', env.PORT, 3000, 0, 65535, problems);
  const host = env.HOST || 'localhost';
  let publicUrl = new URL(`http://localhost:${port}`);
  if (env.PUBLIC_URL) {
    try {
      publicUrl = new URL(env.PUBLIC_URL);
      if (!['http:', 'https:'].includes(publicUrl.protocol)) problems.push('PUBLIC_URL must start with http:// or https://');
    } catch {
      problems.push(`PUBLIC_URL is not a URL (got "${env.PUBLIC_URL}")`);
    }
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const dataDir = resolve(env.DATA_DIR || 'data');
  let secretKey = env.SECRET_KEY || '';
  if (secretKey && secretKey.length < 32) problems.push('SECRET_KEY must be at least 32 characters');
  if (!secretKey) {
    if (databaseUrl && env.NODE_ENV === 'production') {
      problems.push('SECRET_KEY is required with DATABASE_URL in production (32+ random characters)');
    } else if (problems.length === 0) {
      secretKey = embeddedSecret(dataDir);
    }
  }
  const config: Config = {
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir,
    databasePoolSize: int('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 200, problems),
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'Northstar <no-reply@northstar.invalid>',
    secretKey,
    logLevel,
    // Demo data is for a first look on the embedded database, never by default on a server.
    demoData: bool('DEMO_DATA', env.DEMO_DATA, !databaseUrl, problems),
    jobs: bool('JOBS', env.JOBS, true, problems),
    trustProxy: bool('TRUST_PROXY', env.TRUST_PROXY, false, problems),
    jobPollingSeconds: int('JOB_POLLING_SECONDS', env.JOB_POLLING_SECONDS, 2, 1, 60, problems),
    paymentOverdueDays: int('PAYMENT_OVERDUE_DAYS', env.PAYMENT_OVERDUE_DAYS, 30, 1, 365, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
