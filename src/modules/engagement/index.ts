import { defineModule } from '../../platform/module.ts';
import { CommunitiesService } from './communities.service.ts';
import { ConsultationsService } from './consultations.service.ts';
import { engagementApi } from './engagement.api.ts';
import { engagementPages } from './engagement.pages.tsx';
import { MediaService } from './media.service.ts';
import { OpportunitiesService } from './opportunities.service.ts';
import { PaymentsService } from './payments.service.ts';

/** Diaspora engagement: communities, consultations, paid work, media requests, one ledger. */
export const engagementModule = defineModule({
  name: 'engagement',
  services(p) {
    const payments = new PaymentsService(p);
    return {
      communities: new CommunitiesService(p),
      payments,
      consultations: new ConsultationsService(p, payments),
      opportunities: new OpportunitiesService(p, payments),
      media: new MediaService(p),
    };
  },
  routes(app, { communities, consultations, opportunities, media }, p) {
    engagementPages(app, { communities, consultations, opportunities, media });
    engagementApi(app, { consultations, opportunities }, p.config);
  },
});
