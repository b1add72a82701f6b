import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
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
  /** Origins whose form posts are ours: PUBLIC_URL's, plus the other loopback names when it is a loopback address. */
  allowedOrigins: string[];
  /** Unset: embedded PGlite in dataDir. Set: a PostgreSQL server through a pool. */
  databaseUrl: string | undefined;
  /**
   * The owner role that runs migrations on a PostgreSQL server; the application then works as
   * the DATABASE_URL role, which may not alter or drop the audit log (ADR 0009). Unset: the
   * DATABASE_URL role does both (a warning in production).
   */
  databaseMigrationUrl: string | undefined;
  dataDir: string;
  databasePoolSize: number;
  smtpUrl: string | undefined;
  /** Without SMTP in production, the operator's explicit yes to the outbox (MAIL_OUTBOX=true). */
  mailOutbox: boolean;
  mailFrom: string;
  /** Keys the throttle buckets' HMACs and seals TOTP secrets. Never stored in the database. */
  secretKey: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  demoData: boolean;
  jobs: boolean;
  /** Fastify's trustProxy: no proxy, a hop count, or the proxies' addresses (never "every hop"). */
  trustProxy: false | number | string[];
  /** Where audit:verify keeps the audit log's head (count and hash), outside the database. */
  auditHeadFile: string;
  /** Things that work but that an operator should fix, logged at start-up. */
  warnings: string[];
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

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * With a loopback PUBLIC_URL (the default), someone may open http://127.0.0.1:3000 or
 * http://[::1]:3000 as well as localhost: all three are the same machine, so all are accepted.
 * Any other PUBLIC_URL is the one origin; nothing is guessed.
 */
export function allowedOriginsFor(publicUrl: URL): string[] {
  if (!LOOPBACK_HOSTS.includes(publicUrl.hostname)) return [publicUrl.origin];
  return [publicUrl.origin, ...LOOPBACK_HOSTS.map((host) => {
    const u = new URL(publicUrl.origin);
    u.hostname = host;
    return u.origin;
  })].filter((o, i, all) => all.indexOf(o) === i);
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

/**
 * TRUST_PROXY: `false`, a hop count, or the proxies' addresses and CIDR ranges. `true` (trust
 * every hop) is refused: with it, a client that sends its own X-Forwarded-For chooses the
 * address that per-address throttling counts.
 */
const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxySetting(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  const value = (raw ?? '').trim();
  if (value === '' || ['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(value.toLowerCase())) {
    problems.push(
      `TRUST_PROXY=${value} would trust every proxy hop, so any client could choose the address it is counted under. ` +
        'Set the number of proxies in front of Northstar (usually TRUST_PROXY=1) or their addresses (e.g. TRUST_PROXY=127.0.0.1 or 10.0.0.0/8)',
    );
    return false;
  }
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) problems.push(`TRUST_PROXY must be a hop count from 1 to 10, or proxy addresses (got "${value}")`);
    return hops;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => {
    if (PROXY_KEYWORDS.includes(e)) return false;
    const [address, prefix, ...rest] = e.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || rest.length > 0) return true;
    return prefix !== undefined && !(/^[0-9]+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  if (bad.length > 0) {
    problems.push(`TRUST_PROXY must be false, a hop count (1, 2, …) or comma-separated proxy addresses or CIDR ranges (not an address: ${bad.join(', ')})`);
  }
  return entries;
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
  const databaseMigrationUrl = env.DATABASE_MIGRATION_URL || undefined;
  if (databaseMigrationUrl && !databaseUrl) problems.push('DATABASE_MIGRATION_URL needs DATABASE_URL (the role the application works as)');
  if (databaseMigrationUrl && !/^postgres(ql)?:\/\//.test(databaseMigrationUrl)) {
    problems.push('DATABASE_MIGRATION_URL must start with postgres:// or postgresql://');
  }
  const production = env.NODE_ENV === 'production';
  const warnings: string[] = [];
  if (databaseUrl && !databaseMigrationUrl && production) {
    warnings.push(
      'DATABASE_MIGRATION_URL is not set: the application role runs the migrations and owns the audit log, so it could alter or drop it. ' +
        'Set up an owner role and an application role (docs/operations.md, "Two database roles")',
    );
  }
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  const mailOutbox = bool('MAIL_OUTBOX', env.MAIL_OUTBOX, false, problems);
  if (mailOutbox && smtpUrl) problems.push('MAIL_OUTBOX=true and SMTP_URL are both set: choose one');
  if (production && !smtpUrl && !mailOutbox) {
    problems.push(
      'SMTP_URL is required in production. Without it mail stays in the outbox, where conveners read invitation links by hand. ' +
        'Set SMTP_URL, or set MAIL_OUTBOX=true to use the outbox knowingly (password-reset mail is then withheld: nobody can pass it on)',
    );
  }
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
    allowedOrigins: allowedOriginsFor(publicUrl),
    databaseUrl,
    databaseMigrationUrl,
    dataDir,
    databasePoolSize: int('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1, 200, problems),
    smtpUrl,
    mailOutbox,
    mailFrom: env.MAIL_FROM || 'Northstar <no-reply@northstar.invalid>',
    secretKey,
    logLevel,
    // Demo data is for a first look on the embedded database, never by default on a server.
    demoData: bool('DEMO_DATA', env.DEMO_DATA, !databaseUrl, problems),
    jobs: bool('JOBS', env.JOBS, true, problems),
    trustProxy: trustProxySetting(env.TRUST_PROXY, problems),
    auditHeadFile: resolve(env.AUDIT_HEAD_FILE || resolve(dataDir, 'audit-head.json')),
    warnings,
    jobPollingSeconds: int('JOB_POLLING_SECONDS', env.JOB_POLLING_SECONDS, 2, 1, 60, problems),
    paymentOverdueDays: int('PAYMENT_OVERDUE_DAYS', env.PAYMENT_OVERDUE_DAYS, 30, 1, 365, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
