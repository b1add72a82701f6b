import { defineModule } from '../../platform/module.ts';
import { surveysApi } from './surveys.api.ts';
import { surveysPages } from './surveys.pages.tsx';
import { SurveysService } from './surveys.service.ts';

/**
 * Anonymous surveys (issue 15, ADR 0023): answers that cannot be joined to anyone, results only
 * once closed and never a figure below the survey's minimum group size.
 */
export const surveysModule = defineModule({
  name: 'surveys',
  services(p): { surveys: SurveysService } {
    return { surveys: new SurveysService(p) };
  },
  routes(app, services) {
    surveysPages(app, services.surveys);
    surveysApi(app, services.surveys);
  },
});
