import type { CommitmentsService } from './commitments.service.ts';
import type { RecipientsService } from './recipients.service.ts';
import type { StatementsService } from './statements.service.ts';

/** The module's services, as its page and API registrations receive them. */
export interface AdvocacyServices {
  statements: StatementsService;
  recipients: RecipientsService;
  commitments: CommitmentsService;
}
