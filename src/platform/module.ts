import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Platform } from './context.ts';

/**
 * One capability as the app sees it (src/modules/<name>/index.ts): what it prepares in the
 * database at start-up, the services it makes from the platform and the services of the
 * modules listed before it, and its pages and API routes. src/app.tsx is a list of these, so
 * adding a module is a folder and one line.
 */
export interface NorthstarModule<Needs extends object, Provides extends object> {
  name: string;
  /** Runs after the migrations, before anything is served (e.g. reference data). */
  prepare?(db: Db): Promise<void>;
  services(platform: Platform, needs: Needs): Provides;
  routes(app: FastifyInstance, services: Provides & Needs, platform: Platform): void;
}

export function defineModule<Needs extends object, Provides extends object>(m: NorthstarModule<Needs, Provides>): NorthstarModule<Needs, Provides> {
  return m;
}
