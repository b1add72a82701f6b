import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { MeetingsServices } from './services.ts';

// Being written this session (agenda, convening from an alert, time polls).
export function agendaPages(_app: FastifyInstance, _services: MeetingsServices, _config: Config): void {}
