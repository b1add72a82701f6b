import { timingSafeEqual } from 'node:crypto';
import { type DigestKind, type Frequency, TOPICS, type Topic } from '../../db/schema/notifications.ts';
import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { hmac } from '../../platform/crypto.ts';
import { AppError, type FieldErrors } from '../../platform/errors.ts';
import type { OutgoingMail } from '../../platform/mail/mail.ts';
import { DEFAULT_LOCALE, isSupportedLocale, translator } from '../../platform/i18n.ts';
import type { DigestItem } from '../../platform/notifications.ts';
import { type Actor, type PersonActor, rolesOf } from '../../platform/policy.ts';
import { notificationsPolicy } from './notifications.policy.ts';
import * as repo from './notifications.repository.ts';
import type { AnnouncementInput, PreferencesInput } from './notifications.schemas.ts';

export const DIGEST_JOB = 'notifications.digest';
export const ANNOUNCE_JOB = 'notifications.announce';
/** Announcements are mailed in batches, each in its own transaction, resumable after a crash. */
const ANNOUNCE_BATCH = 500;
/** The order topics fill a digest's 20 places: what cannot wait first, what is only good to know last. */
const FILL_ORDER: readonly Topic[] = ['announcements', 'statements', 'meetings', 'surveys', 'work', 'members', 'library'];
/** What a person hears when they chose nothing: weekly news, announcements at once. */
export const DEFAULTS: Record<Topic, Frequency> = {
  members: 'weekly',
  statements: 'weekly',
  meetings: 'weekly',
  library: 'weekly',
  surveys: 'weekly',
  work: 'weekly',
  announcements: 'immediate',
};
const DIGESTED: readonly Frequency[] = ['daily', 'weekly', 'never'];
/** "At once" is for announcements (and, apart, for alerts and for work a person asked to hear of); the rest comes in digests or not at all. */
export const ALLOWED: Record<Topic, readonly Frequency[]> = {
  members: DIGESTED,
  statements: DIGESTED,
  meetings: DIGESTED,
  library: DIGESTED,
  surveys: DIGESTED,
  work: DIGESTED,
  announcements: ['immediate', 'daily', 'weekly', 'never'],
};
/** Where "and N more" sends the reader: the page that lists all of a topic's news. */
const MORE_AT: Record<Topic, string> = {
  members: '/directory',
  statements: '/statements',
  meetings: '/meetings',
  library: '/library',
  surveys: '/surveys',
  work: '/opportunities',
  announcements: '/notifications',
};
export const MAX_ITEMS = 20;
const INACTIVE_DAYS = 90;
const PEOPLE_PER_JOB = 200;
const DAY_MS = 86_400_000;
/** Digests go out from this hour (UTC): before the working day in Europe and East Africa. */
const DIGEST_HOUR_UTC = 6;

/** The period a run belongs to: a day, or an ISO week (Monday first). */
export function periodOf(kind: DigestKind, now: Date): string {
  if (kind === 'daily') return now.toISOString().slice(0, 10);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / DAY_MS + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const audiencesOf = (actor: PersonActor) => {
  const roles = rolesOf(actor);
  const network = ['member', 'org_admin', 'associate', 'convener'].some((r) => roles.has(r as never));
  return ['everyone', ...(network ? ['network' as const] : []), ...(roles.has('participant') ? ['participants' as const] : [])] as ('everyone' | 'network' | 'participants')[];
};

/**
 * Digests and announcements (issue 15, item 4; ADR 0024): each person chooses what they hear about
 * and how often; a digest is in their language, holds at most 20 items, says nothing sensitive in
 * its subject or first line, carries a one-click unsubscribe, and is queued only for those with
 * something new who signed in within 90 days (or asked to keep getting it). It is bulk mail: the
 * mail a person is waiting for goes ahead of it (platform/mail/mail.ts).
 */
export class NotificationsService {
  private clock: NodeJS.Timeout | undefined;

  constructor(readonly p: Platform) {
    p.jobs.define(ANNOUNCE_JOB, async (data) => {
      await this.fanOut(String(data.id));
    });
    p.jobs.define(DIGEST_JOB, async (data) => {
      await this.digestBatch(data.kind as DigestKind, (data.personIds as string[]) ?? [], new Date(String(data.at)));
    });
    p.digests.register({
      topic: 'announcements',
      newFor: async (reader, since, until, limit) => {
        const { rows, total } = await repo.announcementsSince(this.p.db, audiencesOf(reader), since, until, limit);
        return { items: rows.map((r) => ({ title: r.title, url: this.url(`/announcements/${r.id}`) })), total };
      },
    });
  }

  private url(path: string): string {
    return new URL(path, this.p.config.publicUrl).href;
  }

  // ---- preferences ----------------------------------------------------------------------------

  async preferences(actor: Actor) {
    const me = notificationsPolicy.person(actor, 'own');
    const { chosen, keepWhenInactive } = await repo.preferencesOf(this.p.db, me.id);
    const recent = await repo.recentAnnouncements(this.p.db, audiencesOf(me), 5);
    return { topics: this.offered(me).map((topic) => ({ topic, frequency: chosen.get(topic) ?? DEFAULTS[topic], allowed: ALLOWED[topic] })), keepWhenInactive, recent };
  }

  /** The topics this person may hear of: those whose source offers them (ADR 0024). */
  private offered(reader: PersonActor): Topic[] {
    return TOPICS.filter((topic) => {
      const source = this.p.digests.get(topic);
      // A topic no module has a source for is not offered: there would be nothing to hear of.
      return source ? (source.offeredTo?.(reader) ?? true) : false;
    });
  }

  /** Saves the topics given (a form shows those offered); a topic not offered, or "at once" where it cannot be, changes nothing. */
  async savePreferences(actor: Actor, input: PreferencesInput): Promise<void> {
    const me = notificationsPolicy.person(actor, 'own');
    const offered = new Set(this.offered(me));
    const errors: FieldErrors = {};
    const chosen: Partial<Record<Topic, Frequency>> = {};
    for (const topic of TOPICS) {
      const frequency = input[topic];
      if (frequency === undefined) continue;
      // Not on this person's form: said above the form, since there is no field to point to.
      if (!offered.has(topic)) throw AppError.invalid({}, 'errors.notificationNotOffered');
      if (!ALLOWED[topic].includes(frequency)) errors[topic] = { key: 'errors.notificationAtOnce' };
      else chosen[topic] = frequency;
    }
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    await this.p.db.transaction().execute(async (trx) => {
      await repo.setPreferences(trx, me.id, chosen, input.keepWhenInactive === 'yes');
      await audit(trx, me, { action: 'notifications.preferences', recordType: 'person', recordId: me.id });
    });
  }

  /** The one-click address of one person's digests of one kind (or announcements): an HMAC, checked without a table. */
  unsubscribeToken(personId: string, kind: DigestKind | 'announcements'): string {
    return `${kind}.${personId}.${hmac(this.p.config.secretKey, `unsubscribe:${kind}:${personId}`)}`;
  }

  /** The token's person and kind, or 404: checked before the request's body is read (notifications.pages). */
  fromToken(token: string): { kind: DigestKind | 'announcements'; personId: string } {
    const parts = token.split('.');
    const [kind, personId, mac] = parts;
    if (parts.length !== 3 || (kind !== 'daily' && kind !== 'weekly' && kind !== 'announcements') || !personId || !mac || !/^[0-9a-f-]{36}$/.test(personId)) throw AppError.notFound();
    const expected = Buffer.from(hmac(this.p.config.secretKey, `unsubscribe:${kind}:${personId}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw AppError.notFound();
    return { kind, personId };
  }

  async unsubscribePage(token: string) {
    return { kind: this.fromToken(token).kind };
  }

  async unsubscribe(token: string): Promise<DigestKind | 'announcements'> {
    const { kind, personId } = this.fromToken(token);
    await this.p.db.transaction().execute(async (trx) => {
      if (kind === 'announcements') await repo.setTopic(trx, personId, 'announcements', 'never');
      else await repo.stopKind(trx, personId, kind, TOPICS, DEFAULTS);
      await audit(trx, personId, { action: 'notifications.unsubscribe', recordType: 'person', recordId: personId });
    });
    return kind;
  }

  // ---- digests --------------------------------------------------------------------------------

  /**
   * This period's run, once across every instance (digest_runs): those who may get it, in jobs of
   * 200. Returns how many people were queued (0 when the period's run already exists).
   */
  async runDigests(kind: DigestKind, now = new Date()): Promise<number> {
    const activeSince = new Date(now.getTime() - INACTIVE_DAYS * DAY_MS);
    const period = periodOf(kind, now);
    return this.p.db.transaction().execute(async (trx) => {
      // The period's row first: an instance that finds it made does nothing more.
      if (!(await repo.startRun(trx, kind, period))) return 0;
      const people = await repo.digestCandidates(trx, kind, DEFAULTS, activeSince);
      for (let i = 0; i < people.length; i += PEOPLE_PER_JOB) await this.p.jobs.enqueue(trx, DIGEST_JOB, { kind, personIds: people.slice(i, i + PEOPLE_PER_JOB), at: now.toISOString() });
      await repo.setRunPeople(trx, kind, period, people.length);
      await audit(trx, null, { action: `notifications.digest.${kind}`, recordType: 'digest_run', recordId: null });
      return people.length;
    });
  }

  /** One person's digest, or undefined when there is nothing new for them. */
  private async digestFor(kind: DigestKind, person: Awaited<ReturnType<typeof repo.recipients>>[number], at: Date) {
    const actor: PersonActor = {
      kind: 'person',
      id: person.id,
      displayName: person.display_name,
      networkRole: person.network_role as PersonActor['networkRole'],
      memberships: (person.memberships ?? []).map((m) => ({ organisationId: m.organisationId, role: m.role, name: m.name, standing: m.standing })),
      locale: person.locale,
    };
    const chosen = new Map((person.prefs ?? []).map((x) => [x.topic, x.frequency]));
    const last = kind === 'daily' ? person.last_daily_at : person.last_weekly_at;
    const since = last ? new Date(last) : new Date(at.getTime() - (kind === 'daily' ? 1 : 7) * DAY_MS);
    const sections: { topic: Topic; items: DigestItem[]; total: number }[] = [];
    let room = MAX_ITEMS;
    for (const topic of FILL_ORDER) {
      if ((chosen.get(topic) ?? DEFAULTS[topic]) !== kind) continue;
      const source = this.p.digests.get(topic);
      // A topic no longer offered (a participant who became staff no longer hears of paid work).
      if (!source || !(source.offeredTo?.(actor) ?? true)) continue;
      // Asked for one at least, so a topic with no room left still says how many it has ("and N more").
      const { items, total } = await source.newFor(actor, since, at, Math.max(room, 1), kind);
      if (total === 0) continue;
      const shown = items.slice(0, Math.max(room, 0));
      sections.push({ topic, items: shown, total });
      room -= shown.length;
    }
    if (sections.length === 0) return undefined;
    const locale = isSupportedLocale(person.locale) ? person.locale : DEFAULT_LOCALE;
    const t = translator(locale);
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(since);
    const parts = sections.map((s) => {
      const lines = s.items.map((i) => `- ${i.what ? `${t(i.what)}: ` : ''}${i.title}\n  ${i.url}`);
      const more = s.total - s.items.length;
      if (more > 0) lines.push(t('digest.more', { count: more, url: this.url(MORE_AT[s.topic]) }));
      return `${t(`digest.topic.${s.topic}`)}\n\n${lines.join('\n')}`;
    });
    const unsubscribe = this.url(`/notifications/unsubscribe/${this.unsubscribeToken(person.id, kind)}`);
    return {
      to: person.email,
      // Subject and first line say only that it is a digest: a lock screen or a shared inbox shows them.
      subject: t(`mail.digest.${kind}.subject`),
      text: `${t('mail.digest.first', { date })}\n\n${parts.join('\n\n')}\n\n----\n${t('mail.digest.footer', { preferences: this.url('/notifications'), unsubscribe })}`,
      unsubscribeUrl: unsubscribe,
    };
  }

  async digestBatch(kind: DigestKind, personIds: readonly string[], at: Date): Promise<number> {
    const lastOf = (p: { last_daily_at: Date | null; last_weekly_at: Date | null }) => (kind === 'daily' ? p.last_daily_at : p.last_weekly_at);
    // A retried job finds those it already did: their last digest is this run's.
    const people = (await repo.recipients(this.p.db, personIds)).filter((p) => !lastOf(p) || new Date(lastOf(p) as Date) < at);
    const mails: (OutgoingMail & { personId: string })[] = [];
    for (const person of people) {
      const mail = await this.digestFor(kind, person, at);
      if (mail) mails.push({ ...mail, personId: person.id });
    }
    return this.p.db.transaction().execute(async (trx) => {
      const done = await repo.alreadySent(trx, people.map((p) => p.id), kind, at);
      const toSend = mails.filter((m) => !done.has(m.personId)).map(({ personId: _p, ...m }) => m);
      if (toSend.length > 0) await this.p.mailer.queueMany(trx, toSend, { bulk: true });
      // Everyone of the batch has had this period's digest, or nothing to get: next time starts here.
      await repo.markSent(trx, people.filter((p) => !done.has(p.id)).map((p) => p.id), kind, at);
      await audit(trx, null, { action: `notifications.digest.${kind}.batch`, recordType: 'digest_run', recordId: null });
      return toSend.length;
    });
  }

  /** Every quarter of an hour, when jobs run here: starts the daily and weekly runs that are due. */
  startClock(): void {
    if (!this.p.config.jobs || this.clock) return;
    const tick = async () => {
      const now = new Date();
      if (now.getUTCHours() < DIGEST_HOUR_UTC) return;
      try {
        await this.runDigests('daily', now);
        if (now.getUTCDay() === 1) await this.runDigests('weekly', now);
      } catch (err) {
        this.p.log.error({ err: { message: (err as Error).message } }, 'digest run failed');
      }
    };
    this.clock = setInterval(() => void tick(), 15 * 60_000);
    this.clock.unref();
  }

  stopClock(): void {
    if (this.clock) clearInterval(this.clock);
    this.clock = undefined;
  }

  // ---- announcements --------------------------------------------------------------------------

  /** The convener's announcement: stored now, mailed at once by a job to those who want it so; in the digests of the others. */
  async announce(actor: Actor, input: AnnouncementInput): Promise<string> {
    const me = notificationsPolicy.person(actor, 'announce');
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertAnnouncement(trx, { title: input.title.trim(), body: input.body.trim(), audience: input.audience, created_by: me.id });
      await this.p.jobs.enqueue(trx, ANNOUNCE_JOB, { id });
      await audit(trx, me, { action: 'announcement.create', recordType: 'announcement', recordId: id });
      return id;
    });
  }

  /**
   * The job: the announcement's audience in batches of 500, in id order, each batch in its own
   * transaction that also moves the cursor, so a crash resumes where it stopped and mails no one twice.
   */
  async fanOut(id: string): Promise<number> {
    const activeSince = new Date(Date.now() - INACTIVE_DAYS * DAY_MS);
    let sent = 0;
    for (;;) {
      const done = await this.p.db.transaction().execute(async (trx) => {
        const a = await repo.lockAnnouncement(trx, id);
        if (!a || a.fanned_out_at) return true;
        const batch = await repo.immediateBatch(trx, a.audience, a.fanned_out_to, activeSince, ANNOUNCE_BATCH);
        const url = this.url(`/announcements/${id}`);
        const mails: OutgoingMail[] = batch.map((r) => {
          const t = translator(isSupportedLocale(r.locale) ? r.locale : DEFAULT_LOCALE);
          const unsubscribe = this.url(`/notifications/unsubscribe/${this.unsubscribeToken(r.id, 'announcements')}`);
          return { to: r.email, subject: t('mail.announcement.subject'), text: t('mail.announcement.body', { title: a.title, body: a.body, url, preferences: this.url('/notifications') }), unsubscribeUrl: unsubscribe };
        });
        await this.p.mailer.queueMany(trx, mails, { bulk: true });
        const last = batch.at(-1)?.id ?? a.fanned_out_to;
        await repo.advanceFanOut(trx, id, last, batch.length < ANNOUNCE_BATCH);
        if (batch.length > 0) await audit(trx, null, { action: 'announcement.mail', recordType: 'announcement', recordId: id });
        sent += batch.length;
        return batch.length < ANNOUNCE_BATCH;
      });
      if (done) return sent;
    }
  }

  async announcement(actor: Actor, id: string) {
    const me = notificationsPolicy.person(actor, 'own');
    const a = await repo.findAnnouncement(this.p.db, id);
    // The convener reads every announcement (they wrote it); everyone else those for them.
    if (!a || (!notificationsPolicy.can(me, 'announce') && !audiencesOf(me).includes(a.audience))) throw AppError.notFound();
    return a;
  }
}
