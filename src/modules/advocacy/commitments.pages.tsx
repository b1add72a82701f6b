import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { AdvocacyServices } from './services.ts';

export function commitmentsPages(_app: FastifyInstance, _services: AdvocacyServices, _config: Config) {}
