import { definePolicy } from '../../platform/policy.ts';

export const outboxPolicy = definePolicy('outbox', { read: ['convener'] });
