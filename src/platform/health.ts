import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { PUBLIC } from './policy.ts';

/** How long a readiness check waits for the database before it says "unreachable". */
const CHECK_TIMEOUT_MS = 2_000;

type Check = 'ok' | 'unreachable';

async function check(run: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch {
    // The cause stays out of the answer (and of the log): a connection string or host name is not for the public.
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * For a load balancer or a process supervisor: `/healthz` answers while the process is alive
 * (it reads nothing); `/readyz` answers 200 only when the database and the job queue's tables
 * answer, 503 otherwise, and while the server is shutting down (Fastify answers 503 to requests
 * that arrive while it closes), so traffic moves elsewhere before the process exits. Neither is
 * logged per request (a balancer asks every few seconds); neither is cached.
 */
export function registerHealth(app: FastifyInstance, database: Database): void {
  const options = { config: { access: PUBLIC }, logLevel: 'warn' as const };
  app.get('/healthz', options, async (_req, reply) => reply.header('cache-control', 'no-store').type('application/json').send({ status: 'alive' }));
  app.get('/readyz', options, async (_req, reply) => {
    const [db, jobs] = await Promise.all([check(() => sql`select 1`.execute(database.db)), check(() => database.executeSql('select version from pgboss.version'))]);
    const ready = db === 'ok' && jobs === 'ok';
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .type('application/json')
      .send({ status: ready ? 'ready' : 'not ready', database: db, jobQueue: jobs });
  });
}
