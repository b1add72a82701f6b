import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { countryName } from '../../platform/countries.ts';
import { isAppError } from '../../platform/errors.ts';
import { formAction, isUpload, recordAction, type Upload } from '../../platform/http.tsx';
import { viewContext } from '../../views/context.ts';
import { PUBLIC } from '../../platform/policy.ts';
import { cleanForm, parse } from '../../platform/validation.ts';
import { IdParam } from '../../platform/schemas.ts';
import { AlertInput, CloseInput, ConfirmInput, MeetingInput, ModeInput, ProposeQuery, ResponseInput, SubscriptionInput, SubscriptionParams } from './alerts.schemas.ts';
import type { AlertsService } from './alerts.service.ts';
import { alertsAtom, signsCsv, signsTable } from './exchange.ts';
import type { ForecastsService } from './forecasts.service.ts';
import type { PictureService } from './picture.service.ts';
import { CountryParam, DocumentParams, ReviewInput, SignInput, SignQuery, VerifyInput } from './signs.schemas.ts';
import type { SignsService } from './signs.service.ts';
import { AlertPage, type AlertForms, AlertsPage, ProposeAlertPage, SubscriptionsPage } from './views/alerts.tsx';
import { CountriesPage, CountryPage } from './views/country.tsx';
import { ForecastsPage, ImportPage } from './views/forecasts.tsx';
import { SignFormPage, SignPage, SignsListPage } from './views/signs.tsx';
import type { FormState } from '../../views/form.ts';
import { warningsPolicy } from './warnings.policy.ts';

/** Query-string filters of the signs list, the exports and the API. */
export function signFilters(query: unknown): SignQuery {
  const values = cleanForm(query);
  if (typeof values.page === 'string' && /^\d{1,6}$/.test(values.page)) values.page = Number(values.page);
  if (typeof values.country === 'string') values.country = values.country.toUpperCase();
  return parse(SignQuery, values);
}

/** The sign form: boxes as lists, one link per line, files apart from the fields. */
export function signFromForm(body: unknown): { values: Record<string, unknown>; uploads: Upload[] } {
  const values = cleanForm(body, ['description'], ['indicators', 'audience', 'documents']);
  const uploads = ((values.documents as unknown[]) ?? []).filter(isUpload);
  delete values.documents;
  const linksText = typeof values.links === 'string' ? values.links : '';
  values.linksText = linksText;
  values.links = linksText
    .split(/\s+/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (typeof values.description === 'string') {
    values.description = values.description.trim();
    if (values.description === '') delete values.description;
  }
  return { values, uploads };
}

function withoutFormOnly(values: Record<string, unknown>): Record<string, unknown> {
  const { linksText: _l, ...rest } = values;
  return rest;
}

export function warningsPages(
  app: FastifyInstance,
  services: { signs: SignsService; picture: PictureService; forecasts: ForecastsService; alerts: AlertsService },
  config: Config,
) {
  const { signs, picture, forecasts, alerts } = services;
  const url = (path: string) => new URL(path, config.publicUrl).href;

  // ---- signs -------------------------------------------------------------------------------

  app.get('/signs', { config: { access: PUBLIC } }, async (req, reply) => {
    try {
      return reply.page(<SignsListPage ctx={viewContext(req, reply)} data={await signs.list(req.actor, signFilters(req.query))} />);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_input') throw err;
      return reply.page(<SignsListPage ctx={viewContext(req, reply)} data={await signs.list(req.actor, {})} errors={err.fields} />, 400);
    }
  });

  app.get('/signs/export.csv', { config: { access: PUBLIC } }, async (req, reply) => {
    const { signs: rows, links } = await signs.export(req.actor, signFilters(req.query));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="northstar-warning-signs.csv"')
      .header('cache-control', 'no-store')
      .send(signsCsv(rows, links, (id) => url(`/signs/${id}`)));
  });

  app.get('/signs/export.json', { config: { access: PUBLIC } }, async (req, reply) => {
    const { signs: rows, links } = await signs.export(req.actor, signFilters(req.query));
    // HXL JSON: an array of rows, headers first, then hashtags (readable by HXL tools as is).
    return reply
      .header('content-disposition', 'attachment; filename="northstar-warning-signs.json"')
      .header('cache-control', 'no-store')
      .send(signsTable(rows, links, (id) => url(`/signs/${id}`)));
  });

  const signForm = async (req: FastifyRequest, reply: FastifyReply, state?: FormState) => (
    <SignFormPage ctx={viewContext(req, reply)} options={await signs.formOptions(req.actor)} {...(state ? { state } : {})} />
  );

  app.get('/signs/new', { config: { access: warningsPolicy.rule('record') } }, async (req, reply) => reply.page(await signForm(req, reply)));

  app.post('/signs', { config: { access: warningsPolicy.rule('record') } }, async (req, reply) => {
    const { values, uploads } = signFromForm(req.body);
    const id = await formAction(
      reply,
      () => signs.record(req.actor, parse(SignInput, withoutFormOnly(values)), uploads),
      (errors, summaryKey) => signForm(req, reply, { values, errors, summaryKey }),
    );
    if (!id) return reply;
    return reply.redirect(`/signs/${id}?done=signRecorded`, 303);
  });

  app.get('/signs/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(<SignPage ctx={viewContext(req, reply)} data={await signs.sign(req.actor, id)} />);
  });

  app.get('/signs/:id/documents/:documentId', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id, documentId } = parse(DocumentParams, req.params);
    const doc = await signs.document(req.actor, id, documentId);
    // Always a download, never rendered in our origin: a document cannot run as a page here.
    return reply
      .header('content-type', doc.media_type)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
      .header('cache-control', 'private, no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(doc.content);
  });

  app.post('/signs/:id/reviews', { config: { access: warningsPolicy.rule('review') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const done = await formAction(
      reply,
      async () => {
        await signs.review(req.actor, id, parse(ReviewInput, values));
        return true;
      },
      async (errors, summaryKey) => <SignPage ctx={viewContext(req, reply)} data={await signs.sign(req.actor, id)} reviewForm={{ values, errors, summaryKey }} />,
    );
    if (!done) return reply;
    return reply.redirect(`/signs/${id}?done=signReviewed`, 303);
  });

  app.post('/signs/:id/verify', { config: { access: warningsPolicy.rule('verify') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const done = await formAction(
      reply,
      async () => {
        await signs.verify(req.actor, id, parse(VerifyInput, values));
        return true;
      },
      async (errors, summaryKey) => <SignPage ctx={viewContext(req, reply)} data={await signs.sign(req.actor, id)} verifyForm={{ values, errors, summaryKey }} />,
    );
    if (!done) return reply;
    return reply.redirect(`/signs/${id}?done=signVerified`, 303);
  });

  // ---- country picture ---------------------------------------------------------------------

  app.get('/countries', { config: { access: PUBLIC } }, async (req, reply) =>
    reply.page(<CountriesPage ctx={viewContext(req, reply)} data={await picture.overview(req.actor)} />),
  );

  app.get('/countries/:code', { config: { access: PUBLIC } }, async (req, reply) => {
    const { code } = parse(CountryParam, req.params);
    return reply.page(<CountryPage ctx={viewContext(req, reply)} data={await picture.country(req.actor, code)} />);
  });

  // ---- statistical baseline ----------------------------------------------------------------

  app.get('/forecasts', { config: { access: warningsPolicy.rule('importForecasts') } }, async (req, reply) =>
    reply.page(<ForecastsPage ctx={viewContext(req, reply)} data={await forecasts.overview(req.actor)} />),
  );

  app.post('/forecasts/imports', { config: { access: warningsPolicy.rule('importForecasts') } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const file = isUpload(body.file) ? body.file : undefined;
    const id = await formAction(
      reply,
      () => forecasts.upload(req.actor, file),
      async (errors, summaryKey) => <ForecastsPage ctx={viewContext(req, reply)} data={await forecasts.overview(req.actor)} errors={errors} summaryKey={summaryKey} />,
    );
    if (!id) return reply;
    return reply.redirect(`/forecasts/imports/${id}`, 303);
  });

  app.get('/forecasts/imports/:id', { config: { access: warningsPolicy.rule('importForecasts') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(<ImportPage ctx={viewContext(req, reply)} data={await forecasts.preview(req.actor, id)} />);
  });

  app.post('/forecasts/imports/:id/commit', { config: { access: warningsPolicy.rule('importForecasts') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const values = cleanForm(req.body);
    const changed = await formAction(
      reply,
      () => forecasts.commit(req.actor, id, values),
      async (errors, summaryKey) => <ImportPage ctx={viewContext(req, reply)} data={await forecasts.preview(req.actor, id)} errors={errors} values={values} summaryKey={summaryKey} />,
    );
    if (changed === undefined) return reply;
    return reply.redirect(`/forecasts/imports/${id}?done=forecastsImported`, 303);
  });

  app.post('/forecasts/imports/:id/discard', { config: { access: warningsPolicy.rule('importForecasts') } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    const done = await formAction(
      reply,
      async () => {
        await forecasts.discard(req.actor, id);
        return true;
      },
      async (errors, summaryKey) => <ImportPage ctx={viewContext(req, reply)} data={await forecasts.preview(req.actor, id)} errors={errors} summaryKey={summaryKey} />,
    );
    if (!done) return reply;
    return reply.redirect('/forecasts?done=importDiscarded', 303);
  });

  // ---- alerts ------------------------------------------------------------------------------

  app.get('/alerts', { config: { access: PUBLIC } }, async (req, reply) => reply.page(<AlertsPage ctx={viewContext(req, reply)} data={await alerts.list(req.actor)} />));

  app.get('/alerts/feed.atom', { config: { access: PUBLIC } }, async (req, reply) => {
    const { t, locale } = req.intl;
    const list = await alerts.publicAlerts();
    return reply
      .header('content-type', 'application/atom+xml; charset=utf-8')
      // In the reader's language (Accept-Language, or the language chosen, a cookie): a shared cache keeps one copy per language.
      .header('vary', 'Accept-Language, Cookie')
      .header('cache-control', 'public, max-age=300')
      .send(
        alertsAtom(list, {
          feedUrl: url('/alerts/feed.atom'),
          siteUrl: url('/alerts'),
          title: t('alerts.feedTitle'),
          entryTitle: (a) => t('alerts.itemTitle', { number: a.number, severity: t(`alerts.severity.${a.severity}`), country: countryName(locale, a.country) }),
          alertUrl: (id) => url(`/alerts/${id}`),
        }),
      );
  });

  const proposePage = async (req: FastifyRequest, reply: FastifyReply, state: FormState) => {
    const country = typeof state.values.country === 'string' ? state.values.country : undefined;
    return <ProposeAlertPage ctx={viewContext(req, reply)} options={await alerts.proposeOptions(req.actor, country)} state={state} />;
  };

  app.get('/alerts/new', { config: { access: warningsPolicy.rule('propose') } }, async (req, reply) => {
    const values = cleanForm(req.query, [], ['sign']);
    if (typeof values.country === 'string') values.country = values.country.toUpperCase();
    try {
      parse(ProposeQuery, values);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'invalid_input') throw err;
      return reply.page(await proposePage(req, reply, { values: {}, errors: err.fields }), 400);
    }
    return reply.page(await proposePage(req, reply, { values: { country: values.country, signs: values.sign }, errors: {} }));
  });

  app.post('/alerts', { config: { access: warningsPolicy.rule('propose') } }, async (req, reply) => {
    const values = cleanForm(req.body, [], ['signs', 'actions']);
    const id = await formAction(
      reply,
      () => alerts.propose(req.actor, parse(AlertInput, values)),
      (errors, summaryKey) => proposePage(req, reply, { values, errors, summaryKey }),
    );
    if (!id) return reply;
    return reply.redirect(`/alerts/${id}?done=alertProposed`, 303);
  });

  const subscriptionsPage = async (req: FastifyRequest, reply: FastifyReply, state?: FormState) => (
    <SubscriptionsPage ctx={viewContext(req, reply)} data={await alerts.subscriptions(req.actor)} {...(state ? { state } : {})} />
  );

  app.get('/alerts/subscriptions', { config: { access: warningsPolicy.rule('subscribe') } }, async (req, reply) => reply.page(await subscriptionsPage(req, reply)));

  app.post('/alerts/subscriptions', { config: { access: warningsPolicy.rule('subscribe') } }, async (req, reply) => {
    const values = cleanForm(req.body, [], ['countries', 'factors']);
    const done = await formAction(
      reply,
      async () => {
        await alerts.subscribe(req.actor, parse(SubscriptionInput, values));
        return true;
      },
      (errors, summaryKey) => subscriptionsPage(req, reply, { values, errors, summaryKey }),
    );
    if (!done) return reply;
    return reply.redirect('/alerts/subscriptions?done=subscribed', 303);
  });

  app.post('/alerts/subscriptions/mode', { config: { access: warningsPolicy.rule('subscribe') } }, async (req, reply) => {
    const values = cleanForm(req.body);
    const done = await formAction(
      reply,
      async () => {
        await alerts.setMode(req.actor, parse(ModeInput, values));
        return true;
      },
      (errors, summaryKey) => subscriptionsPage(req, reply, { values: {}, errors, summaryKey }),
    );
    if (!done) return reply;
    return reply.redirect('/alerts/subscriptions?done=modeSaved', 303);
  });

  app.post('/alerts/subscriptions/:id/delete', { config: { access: warningsPolicy.rule('subscribe') } }, async (req, reply) => {
    const { id } = parse(SubscriptionParams, req.params);
    await alerts.unsubscribe(req.actor, id);
    return reply.redirect('/alerts/subscriptions?done=unsubscribed', 303);
  });

  const alertPage = async (req: FastifyRequest, reply: FastifyReply, id: string, forms: AlertForms = {}) => (
    <AlertPage ctx={viewContext(req, reply)} data={await alerts.alert(req.actor, id)} forms={forms} />
  );

  app.get('/alerts/:id', { config: { access: PUBLIC } }, async (req, reply) => {
    const { id } = parse(IdParam, req.params);
    return reply.page(await alertPage(req, reply, id));
  });

  const alertAction = (
    path: string,
    rule: Parameters<typeof warningsPolicy.rule>[0],
    form: keyof AlertForms,
    run: (req: FastifyRequest, id: string, values: Record<string, unknown>) => Promise<void>,
    done: string,
  ) =>
    recordAction(app, path, warningsPolicy.rule(rule), {
      run,
      refused: (req, reply, id, posted) => alertPage(req, reply, id, { [form]: posted }),
      done: (id) => `/alerts/${id}?done=${done}`,
    });

  alertAction('/alerts/:id/confirm', 'confirm', 'confirm', (req, id, v) => alerts.confirm(req.actor, id, parse(ConfirmInput, v)), 'alertConfirmed');
  alertAction('/alerts/:id/responses', 'respond', 'respond', (req, id, v) => alerts.respond(req.actor, id, parse(ResponseInput, v)), 'alertResponded');
  alertAction('/alerts/:id/meeting', 'respond', 'meeting', (req, id, v) => alerts.requestMeeting(req.actor, id, parse(MeetingInput, v)), 'meetingRequested');
  alertAction('/alerts/:id/close', 'close', 'close', (req, id, v) => alerts.close(req.actor, id, parse(CloseInput, v)), 'alertClosed');
}
