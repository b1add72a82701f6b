import { defineModule } from '../../platform/module.ts';
import { AlertsService } from './alerts.service.ts';
import { ForecastsService } from './forecasts.service.ts';
import { loadFrameworks } from './framework.ts';
import { PictureService } from './picture.service.ts';
import { SignsService } from './signs.service.ts';
import { warningsApi } from './warnings.api.ts';
import { warningsPages } from './warnings.pages.tsx';

/** Early warning and coordinated response. */
export const warningsModule = defineModule({
  name: 'warnings',
  // The risk framework is reference data: loaded once per version, before anything is served.
  prepare: loadFrameworks,
  services(p) {
    const signs = new SignsService(p);
    return { signs, picture: new PictureService(p, signs), forecasts: new ForecastsService(p), alerts: new AlertsService(p, signs) };
  },
  routes(app, { signs, picture, forecasts, alerts }, p) {
    warningsPages(app, { signs, picture, forecasts, alerts }, p.config);
    warningsApi(app, { signs, picture, alerts }, p.config);
  },
});
