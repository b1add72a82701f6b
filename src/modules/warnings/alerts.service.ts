import { today } from '../../platform/calendar.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { countryName, isCountryCode } from '../../platform/countries.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import { DEFAULT_LOCALE, isSupportedLocale, translator } from '../../platform/i18n.ts';
import { actingFor, actingForIfAny, canActForAny } from '../../platform/acting.ts';
import { type Actor, rolesOf } from '../../platform/policy.ts';
import * as repo from './alerts.repository.ts';
import type { AlertRow } from './alerts.repository.ts';
import type { AlertInput, CloseInput, ConfirmInput, MeetingInput, ModeInput, ResponseInput, SubscriptionInput } from './alerts.schemas.ts';
import { readerOf, type SignsService } from './signs.service.ts';
import { warningsPolicy } from './warnings.policy.ts';

export const ALERT_FANOUT_JOB = 'alerts.fanout';
export const ALERT_MAIL_JOB = 'alerts.mail';
export const ALERT_DIGEST_JOB = 'alerts.digest';
/** People per mail job: small enough to retry cheaply, large enough to keep the queue short. */
export const MAIL_BATCH = 100;
/** Signs an alert may cite: observed within this many days. */
export const CITABLE_DAYS = 180;
/** Daily digests go out at this hour (UTC). */
export const DIGEST_HOUR_UTC = 7;


export function nextDigestTime(now = new Date()): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR_UTC));
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

export class AlertsService {
  constructor(
    private p: Platform,
    private signs: SignsService,
  ) {
    p.jobs.define(ALERT_FANOUT_JOB, async (data) => {
      await this.fanOut(String(data.alertId));
    });
    p.jobs.define(ALERT_MAIL_JOB, (data) => this.mailBatch(String(data.alertId), (data.personIds as string[]) ?? []));
    p.jobs.define(ALERT_DIGEST_JOB, (data) => this.sendDigest(String(data.personId)));
  }

  async list(actor: Actor) {
    const network = readerOf(actor).network;
    const [proposed, active, closed] = await Promise.all([
      network ? repo.listAlerts(this.p.db, network, 'proposed', 50) : Promise.resolve([]),
      repo.listAlerts(this.p.db, network, 'active', 50),
      repo.listAlerts(this.p.db, network, 'closed', 20),
    ]);
    return { proposed, active, closed, canPropose: warningsPolicy.can(actor, 'propose') && canActForAny(actor) };
  }

  async publicAlerts(limit = 50) {
    return repo.listAlerts(this.p.db, false, undefined, limit);
  }

  async alert(actor: Actor, id: string) {
    const reader = readerOf(actor);
    const alert = await repo.findAlert(this.p.db, reader.network, id);
    if (!alert) throw AppError.notFound();
    const [signs, responses, meetings, deliveries] = await Promise.all([
      repo.alertSigns(this.p.db, reader, id),
      // Responses are the network's, unless the responding organisation made one public.
      repo.responses(this.p.db, id, reader.network),
      reader.network ? repo.meetingRequests(this.p.db, id) : Promise.resolve([]),
      reader.network ? repo.deliveryCount(this.p.db, id) : Promise.resolve(null),
    ]);
    if (actor.kind === 'person') await repo.markRead(this.p.db, id, actor.id);
    const acts = canActForAny(actor);
    const proposerSide = reader.organisationIds.includes(alert.organisation_id);
    const isConvener = rolesOf(actor).has('convener');
    return {
      alert,
      signs,
      responses,
      meetings,
      deliveries,
      framework: await this.signs.currentFramework(),
      canConfirm: alert.status === 'proposed' && warningsPolicy.can(actor, 'confirm') && (isConvener || (acts && !proposerSide)),
      confirmBlockedOwn: alert.status === 'proposed' && proposerSide && !isConvener,
      canRespond: alert.status === 'active' && warningsPolicy.can(actor, 'respond') && reader.network,
      canClose: alert.status !== 'closed' && warningsPolicy.can(actor, 'close') && (proposerSide || isConvener),
      canRequestMeeting: alert.status === 'active' && warningsPolicy.can(actor, 'respond') && reader.network,
    };
  }

  /**
   * An alert this reader may see, with the signs of it they may see, for a record that answers
   * it (a statement): nothing is marked read, nothing changes. Undefined when not visible.
   */
  async citable(actor: Actor, id: string) {
    const reader = readerOf(actor);
    const alert = await repo.findAlert(this.p.db, reader.network, id);
    if (!alert) return undefined;
    const signs = await repo.alertSigns(this.p.db, reader, id);
    return { alert, signs: signs.map((x) => ({ id: x.id, observed_on: x.observed_on, description: x.description })) };
  }

  async proposeOptions(actor: Actor, country: string | undefined) {
    warningsPolicy.person(actor, 'propose');
    if (!country) return { signs: [] };
    const from = new Date(Date.now() - CITABLE_DAYS * 86_400_000).toISOString().slice(0, 10);
    return { signs: await repo.citableSigns(this.p.db, readerOf(actor), country, from) };
  }

  /**
   * A proposal is not yet an alert: it goes out only when a second organisation or the
   * convener confirms it, so one organisation's word (or a planted report) cannot set the
   * network in motion.
   */
  async propose(actor: Actor, input: AlertInput): Promise<string> {
    const me = warningsPolicy.person(actor, 'propose');
    const organisationId = actingFor(me, input.actingFor);
    const errors: FieldErrors = {};
    const ids = [...new Set(input.signs)];
    const found = await repo.signsForAlert(this.p.db, readerOf(me), ids);
    if (found.length !== ids.length || found.some((s) => s.sensitivity === 'restricted')) errors.signs = { key: 'errors.alertSignsUnknown' };
    else if (found.some((s) => s.country !== input.country)) errors.signs = { key: 'errors.alertSignsCountry' };
    else if (input.sensitivity === 'public' && found.some((s) => s.sensitivity !== 'public')) errors.sensitivity = { key: 'errors.alertPublicSigns' };
    if (input.deadline && input.deadline < today()) errors.deadline = { key: 'errors.deadlinePast' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertAlert(trx, {
        organisation_id: organisationId,
        proposed_by: me.id,
        country: input.country,
        severity: input.severity,
        summary: input.summary,
        actions: [...new Set(input.actions)],
        deadline: input.deadline ?? null,
        sensitivity: input.sensitivity,
      });
      await repo.insertAlertSigns(trx, id, ids);
      await audit(trx, me, { action: 'alert.propose', recordType: 'alert', recordId: id });
      return id;
    });
  }

  async confirm(actor: Actor, id: string, input: ConfirmInput = {}): Promise<void> {
    const me = warningsPolicy.person(actor, 'confirm');
    const reader = readerOf(me);
    if (!(await repo.findAlert(this.p.db, reader.network, id))) throw AppError.notFound();
    const isConvener = rolesOf(me).has('convener');
    // A second organisation confirms in its name; the convener may confirm as the secretariat.
    if (!isConvener && !canActForAny(me)) throw AppError.invalid({}, 'errors.confirmOwn');
    const own = isConvener ? actingForIfAny(me, input.actingFor) : actingFor(me, input.actingFor);
    await this.p.db.transaction().execute(async (trx) => {
      const alert = await repo.lockAlert(trx, id);
      if (!alert) throw AppError.notFound();
      if (alert.status !== 'proposed') throw AppError.invalid({}, 'errors.alertNotProposed');
      if (!isConvener && (own === undefined || reader.organisationIds.includes(alert.organisation_id))) throw AppError.invalid({}, 'errors.confirmOwn');
      await repo.updateAlert(trx, id, { status: 'active', confirmed_by: me.id, confirmed_organisation_id: own ?? null, confirmed_at: new Date() });
      await this.p.jobs.enqueue(trx, ALERT_FANOUT_JOB, { alertId: id });
      await audit(trx, me, { action: 'alert.confirm', recordType: 'alert', recordId: id });
    });
  }

  async respond(actor: Actor, id: string, input: ResponseInput): Promise<void> {
    const me = warningsPolicy.person(actor, 'respond');
    const reader = readerOf(me);
    if (!reader.network || !(await repo.findAlert(this.p.db, true, id))) throw AppError.notFound();
    const body = input.body ?? '';
    if (input.kind !== 'cannot' && body === '') throw AppError.field('body', input.kind === 'will_act' ? 'errors.willActWhat' : 'errors.required');
    if (input.kind !== 'comment' && !canActForAny(me)) throw AppError.field('kind', 'errors.noOrganisation');
    const own = input.kind === 'comment' ? actingForIfAny(me, input.actingFor) : actingFor(me, input.actingFor);
    await this.p.db.transaction().execute(async (trx) => {
      const alert = await repo.lockAlert(trx, id);
      if (alert?.status !== 'active') throw AppError.invalid({}, 'errors.alertNotActive');
      await repo.insertResponse(trx, { alert_id: id, organisation_id: own ?? null, person_id: me.id, kind: input.kind, body, public: input.public === 'yes' });
      await audit(trx, me, { action: `alert.respond.${input.kind}`, recordType: 'alert', recordId: id });
    });
  }

  async close(actor: Actor, id: string, input: CloseInput): Promise<void> {
    const me = warningsPolicy.person(actor, 'close');
    const reader = readerOf(me);
    if (!(await repo.findAlert(this.p.db, reader.network, id))) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      const alert = await repo.lockAlert(trx, id);
      if (!alert) throw AppError.notFound();
      if (!rolesOf(me).has('convener') && !reader.organisationIds.includes(alert.organisation_id)) throw AppError.notFound();
      if (alert.status === 'closed') throw AppError.invalid({}, 'errors.alertClosed');
      await repo.updateAlert(trx, id, { status: 'closed', outcome: input.outcome, closed_by: me.id, closed_at: new Date() });
      await audit(trx, me, { action: 'alert.close', recordType: 'alert', recordId: id });
    });
  }

  /** Recorded for the meetings capability, which will schedule it. */
  async requestMeeting(actor: Actor, id: string, input: MeetingInput): Promise<void> {
    const me = warningsPolicy.person(actor, 'respond');
    if (!readerOf(me).network || !(await repo.findAlert(this.p.db, true, id))) throw AppError.notFound();
    const own = actingForIfAny(me, input.actingFor);
    await this.p.db.transaction().execute(async (trx) => {
      const alert = await repo.lockAlert(trx, id);
      if (alert?.status !== 'active') throw AppError.invalid({}, 'errors.alertNotActive');
      const requestId = await repo.insertMeetingRequest(trx, { alert_id: id, organisation_id: own ?? null, requested_by: me.id, purpose: input.purpose });
      await audit(trx, me, { action: 'meeting.request', recordType: 'meeting_request', recordId: requestId });
    });
  }

  // ---- subscriptions ----------------------------------------------------------------------

  async subscriptions(actor: Actor) {
    const me = warningsPolicy.person(actor, 'subscribe');
    const [subscriptions, mode, inbox] = await Promise.all([
      repo.subscriptionsOf(this.p.db, me.id),
      repo.deliveryMode(this.p.db, me.id),
      // Someone who is no longer in the network (their organisation suspended) no longer reads
      // the network-only alerts they were sent.
      repo.inbox(this.p.db, me.id, readerOf(me).network, 30),
    ]);
    return { subscriptions, mode, inbox, framework: await this.signs.currentFramework() };
  }

  async subscribe(actor: Actor, input: SubscriptionInput): Promise<void> {
    const me = warningsPolicy.person(actor, 'subscribe');
    const framework = await this.signs.currentFramework();
    const unknown = input.factors.find((f) => !framework.factorByCode.has(f));
    if (unknown) throw AppError.field('factors', 'errors.factorUnknown');
    const existing = await repo.subscriptionsOf(this.p.db, me.id);
    if (existing.length >= 20) throw AppError.invalid({}, 'errors.tooManySubscriptions');
    await this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertSubscription(trx, {
        person_id: me.id,
        countries: [...new Set(input.countries)].filter(isCountryCode),
        factor_codes: [...new Set(input.factors)],
        min_severity: input.minSeverity,
      });
      await audit(trx, me, { action: 'alert.subscribe', recordType: 'alert_subscription', recordId: id });
    });
  }

  async unsubscribe(actor: Actor, id: string): Promise<void> {
    const me = warningsPolicy.person(actor, 'subscribe');
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteSubscription(trx, me.id, id))) throw AppError.notFound();
      await audit(trx, me, { action: 'alert.unsubscribe', recordType: 'alert_subscription', recordId: id });
    });
  }

  async setMode(actor: Actor, input: ModeInput): Promise<void> {
    const me = warningsPolicy.person(actor, 'subscribe');
    await this.p.db.transaction().execute(async (trx) => {
      await repo.setDeliveryMode(trx, me.id, input.mode);
      await audit(trx, me, { action: 'alert.deliveryMode', recordType: 'person', recordId: me.id });
    });
  }

  // ---- delivery (jobs) --------------------------------------------------------------------

  /**
   * One delivery row per matching subscriber, then mail jobs in batches, all in one
   * transaction: a crash leaves either nothing (the job retries) or everything queued.
   */
  async fanOut(alertId: string): Promise<number> {
    const factors = await repo.alertFactors(this.p.db, alertId);
    return this.p.db.transaction().execute(async (trx) => {
      const alert = await repo.lockAlert(trx, alertId);
      if (alert?.status !== 'active') return 0;
      const created = await repo.createDeliveries(trx, alert, factors);
      const immediate = created.filter((d) => d.mode === 'immediate').map((d) => d.person_id);
      for (let i = 0; i < immediate.length; i += MAIL_BATCH) {
        await this.p.jobs.enqueue(trx, ALERT_MAIL_JOB, { alertId, personIds: immediate.slice(i, i + MAIL_BATCH) });
      }
      const startAfter = nextDigestTime();
      for (const d of created.filter((x) => x.mode === 'digest')) {
        await this.p.jobs.enqueue(trx, ALERT_DIGEST_JOB, { personId: d.person_id }, { startAfter });
      }
      return created.length;
    });
  }

  private alertMail(alert: AlertRow, locale: string) {
    const t = translator(locale);
    const url = new URL(`/alerts/${alert.id}`, this.p.config.publicUrl).href;
    const country = countryName(locale, alert.country);
    const severity = t(`alerts.severity.${alert.severity}`);
    const actions = alert.actions.map((a) => `- ${t(`alerts.action.${a}`)}`).join('\n');
    return {
      subject: t('mail.alert.subject', { number: alert.number, severity, country }),
      text: t('mail.alert.body', { number: alert.number, severity, country, summary: alert.summary, actions, deadline: alert.deadline ?? t('alerts.noDeadline'), url }),
    };
  }

  /** Mails each person of the batch whose delivery was not mailed yet; a retry skips the rest. */
  async mailBatch(alertId: string, personIds: readonly string[]): Promise<void> {
    const [alert] = await repo.alertsByIds(this.p.db, [alertId]);
    if (!alert) return;
    const byLocale = new Map<string, { subject: string; text: string }>();
    await this.p.db.transaction().execute(async (trx) => {
      const claimed = await repo.claimImmediate(trx, alertId, personIds, alert.sensitivity === 'network');
      // People without an address (pseudonymous accounts) see it in the app only. One insert and
      // one send job for the whole batch, claimed in the same transaction; each language's
      // message is written once.
      await this.p.mailer.queueInTheirLanguage(trx, claimed, (_t, locale) => {
        let mail = byLocale.get(locale);
        if (!mail) {
          mail = this.alertMail(alert, locale);
          byLocale.set(locale, mail);
        }
        return mail;
      });
    });
  }

  async sendDigest(personId: string): Promise<void> {
    await this.p.db.transaction().execute(async (trx) => {
      const person = await repo.personContact(trx, personId);
      const claimed = await repo.claimDigest(trx, personId);
      if (!person?.email || claimed.length === 0) return;
      const locale = isSupportedLocale(person.locale) ? person.locale : DEFAULT_LOCALE;
      const t = translator(locale);
      const alerts = await repo.alertsByIds(trx, claimed.map((c) => c.alert_id));
      const parts = alerts.map((a) => this.alertMail(a, locale).text);
      await this.p.mailer.queue(trx, {
        to: person.email,
        subject: t('mail.digest.subject', { count: alerts.length }),
        text: `${t('mail.digest.intro', { count: alerts.length })}\n\n${parts.join('\n\n----\n\n')}`,
      });
    });
  }
}
