import { defineModule } from '../../platform/module.ts';
import { advocacyApi } from './advocacy.api.ts';
import { CommitmentsService } from './commitments.service.ts';
import { commitmentsPages } from './commitments.pages.tsx';
import { RecipientsService } from './recipients.service.ts';
import { recipientsPages } from './recipients.pages.tsx';
import { StatementsService, type WarningsForStatements } from './statements.service.ts';
import { statementsPages } from './statements.pages.tsx';

/**
 * Collective advocacy (ADR 0019): statements drafted together, signed version by version,
 * published, sent to the holders of posts, their replies and the commitments in them, tracked.
 */
export const advocacyModule = defineModule({
  name: 'advocacy',
  // Needs early warning's services: a statement cites alerts and signs as their rules allow.
  services(p, needs: WarningsForStatements) {
    return { statements: new StatementsService(p, needs), recipients: new RecipientsService(p), commitments: new CommitmentsService(p) };
  },
  routes(app, { statements, recipients, commitments }, p) {
    statementsPages(app, { statements, recipients, commitments }, p.config);
    recipientsPages(app, { statements, recipients, commitments }, p.config);
    commitmentsPages(app, { statements, recipients, commitments }, p.config);
    advocacyApi(app, { statements, recipients, commitments }, p.config);
  },
});
