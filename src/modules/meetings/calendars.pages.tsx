import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { MeetingsServices } from './services.ts';

// Being written this session (calendars, published data, API).
export function calendarsPages(_app: FastifyInstance, _services: MeetingsServices, _config: Config): void {}
