import type { Platform } from '../../platform/context.ts';

export class RecipientsService {
  constructor(private p: Platform) {}
}
