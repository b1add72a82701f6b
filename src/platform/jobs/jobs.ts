import type { Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import { type Database, transactionSql } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

/**
 * A durable job queue in the same PostgreSQL as the data (pg-boss; see ADR 0004). A job is
 * enqueued inside the transaction of the write that causes it, so either both commit or
 * neither does: a crash after the response cannot lose it. Failed jobs retry with backoff.
 */
export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

export interface JobsOptions {
  work: boolean;
  pollingSeconds: number;
  onError: (err: unknown) => void;
}

const RETRY = { retryLimit: 6, retryDelay: 15, retryBackoff: true } as const;
/** Jobs fetched at once. Handlers are idempotent, so a retried batch repeats no effect. */
const BATCH_SIZE = 20;

export class Jobs {
  readonly boss: PgBoss;
  private handlers = new Map<string, JobHandler>();
  private batchSizes = new Map<string, number>();

  constructor(database: Database,
    private options: JobsOptions,
  ) {
    this.boss = new PgBoss({
      db: { executeSql: database.executeSql },
      schema: 'pgboss',
      supervise: options.work,
      schedule: false,
      migrate: true,
    });
    this.boss.on('error', options.onError);
  }

  /** `batchSize`: jobs fetched at once from this queue (the mail queue takes few, see mail.ts). */
  define(name: string, handler: JobHandler, options: { batchSize?: number } = {}): void {
    this.handlers.set(name, handler);
    if (options.batchSize) this.batchSizes.set(name, options.batchSize);
  }

  /** The queues this process defines: the owner role creates them when the roles are split. */
  get names(): string[] {
    return [...this.handlers.keys()];
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const name of this.handlers.keys()) {
      if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name);
    }
    if (!this.options.work) return;
    for (const [name, handler] of this.handlers) {
      let workerId = '';
      const batchSize = this.batchSizes.get(name) ?? BATCH_SIZE;
      workerId = await this.boss.work(name, { pollingIntervalSeconds: this.options.pollingSeconds, batchSize }, async (jobs) => {
        for (const job of jobs) await handler(job.data as Record<string, unknown>);
        // pg-boss sleeps a polling interval after every fetch; after a full batch more jobs are
        // likely waiting (an alert to thousands), so fetch again at once.
        if (jobs.length === batchSize && workerId) this.boss.notifyWorker(workerId);
      });
    }
  }

  /**
   * Enqueue inside the caller's transaction. `priority`: higher is fetched first (pg-boss orders
   * by it): the mail a person is waiting for goes ahead of bulk mail (platform/mail/mail.ts).
   */
  async enqueue(trx: Transaction<DB>, name: string, data: Record<string, unknown>, options: { startAfter?: Date; priority?: number } = {}): Promise<void> {
    if (!this.handlers.has(name)) throw new Error(`No job handler named ${name}`);
    await this.boss.send(name, data, { ...RETRY, ...options, db: { executeSql: transactionSql(trx) } });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
  }
}
