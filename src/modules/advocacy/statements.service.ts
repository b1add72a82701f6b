import type { Platform } from '../../platform/context.ts';

export class StatementsService {
  constructor(private p: Platform) {}
}
