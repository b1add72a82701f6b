import type { Platform } from '../../platform/context.ts';

export class CommitmentsService {
  constructor(private p: Platform) {}
}
