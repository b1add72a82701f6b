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
/** What a person hears when they chose nothing: weekly news, announcements at once. */
export const DEFAULTS: Record<Topic, Frequency> = { library: 'weekly', surveys: 'weekly', announcements: 'immediate' };
/** "At once" is for announcements; the rest comes in digests (or not at all). */
export const ALLOWED: Record<Topic, readonly Frequency[]> = { library: ['daily', 'weekly', 'never'], surveys: ['daily', 'weekly', 'never'], announcements: ['immediate', 'daily', 'weekly', 'never'] };
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
    p.jobs.define(DIGEST_JOB, async (data) => {
      await this.digestBatch(data.kind as DigestKind, (data.personIds as string[]) ?? [], new Date(String(data.at)));
    });
    p.digests.register({
      topic: 'announcements',
      newFor: async (reader, since, limit) => {
        const { rows, total } = await repo.announcementsSince(this.p.db, audiencesOf(reader), since, limit);
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
    return { topics: TOPICS.map((topic) => ({ topic, frequency: chosen.get(topic) ?? DEFAULTS[topic], allowed: ALLOWED[topic] })), keepWhenInactive, recent };
  }

  async savePreferences(actor: Actor, input: PreferencesInput): Promise<void> {
    const me = notificationsPolicy.person(actor, 'own');
    const errors: FieldErrors = {};
    for (const topic of TOPICS) if (!ALLOWED[topic].includes(input[topic])) errors[topic] = { key: 'errors.notificationAtOnce' };
    if (Object.keys(errors).length > 0) throw AppError.invalid(errors);
    await this.p.db.transaction().execute(async (trx) => {
      await repo.setPreferences(trx, me.id, { library: input.library, surveys: input.surveys, announcements: input.announcements }, input.keepWhenInactive === 'yes');
      await audit(trx, me, { action: 'notifications.preferences', recordType: 'person', recordId: me.id });
    });
  }

  /** The one-click address of one person's digests of one kind: an HMAC, so it is checked without a table. */
  unsubscribeToken(personId: string, kind: DigestKind): string {
    return `${kind}.${personId}.${hmac(this.p.config.secretKey, `unsubscribe:${kind}:${personId}`)}`;
  }

  private fromToken(token: string): { kind: DigestKind; personId: string } {
    const [kind, personId, mac] = token.split('.');
    if ((kind !== 'daily' && kind !== 'weekly') || !personId || !mac || !/^[0-9a-f-]{36}$/.test(personId)) throw AppError.notFound();
    const expected = Buffer.from(hmac(this.p.config.secretKey, `unsubscribe:${kind}:${personId}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw AppError.notFound();
    return { kind, personId };
  }

  async unsubscribePage(token: string) {
    return { kind: this.fromToken(token).kind };
  }

  async unsubscribe(token: string): Promise<DigestKind> {
    const { kind, personId } = this.fromToken(token);
    await this.p.db.transaction().execute(async (trx) => {
      await repo.stopKind(trx, personId, kind, TOPICS, DEFAULTS);
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
    const people = await repo.digestCandidates(this.p.db, kind, DEFAULTS, activeSince);
    const period = periodOf(kind, now);
    return this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.startRun(trx, kind, period))) return 0;
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
    for (const topic of TOPICS) {
      if ((chosen.get(topic) ?? DEFAULTS[topic]) !== kind) continue;
      const source = this.p.digests.get(topic);
      if (!source) continue;
      const { items, total } = await source.newFor(actor, since, Math.max(room, 0));
      if (total === 0) continue;
      sections.push({ topic, items: items.slice(0, room), total });
      room -= Math.min(items.length, room);
    }
    if (sections.length === 0) return undefined;
    const locale = isSupportedLocale(person.locale) ? person.locale : DEFAULT_LOCALE;
    const t = translator(locale);
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(since);
    const parts = sections.map((s) => {
      const lines = s.items.map((i) => `- ${i.what ? `${t(i.what)}: ` : ''}${i.title}\n  ${i.url}`);
      const more = s.total - s.items.length;
      if (more > 0) lines.push(t('digest.more', { count: more, url: this.url(`/${s.topic === 'announcements' ? 'notifications' : s.topic}`) }));
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
    const people = await repo.recipients(this.p.db, personIds);
    const mails: OutgoingMail[] = [];
    for (const person of people) {
      const mail = await this.digestFor(kind, person, at);
      if (mail) mails.push(mail);
    }
    await this.p.db.transaction().execute(async (trx) => {
      if (mails.length > 0) await this.p.mailer.queueMany(trx, mails, { bulk: true });
      // Everyone of the batch has had this period's digest, or nothing to get: next time starts here.
      await repo.markSent(trx, people.map((p) => p.id), kind, at);
      await audit(trx, null, { action: `notifications.digest.${kind}.batch`, recordType: 'digest_run', recordId: null });
    });
    return mails.length;
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

  /** The convener's announcement: at once to those who want it so, in the digests of the others. */
  async announce(actor: Actor, input: AnnouncementInput): Promise<string> {
    const me = notificationsPolicy.person(actor, 'announce');
    const recipients = await repo.immediateFor(this.p.db, input.audience);
    return this.p.db.transaction().execute(async (trx) => {
      const id = await repo.insertAnnouncement(trx, { title: input.title.trim(), body: input.body.trim(), audience: input.audience, created_by: me.id });
      const url = this.url(`/announcements/${id}`);
      const mails = recipients.map((r) => {
        const t = translator(isSupportedLocale(r.locale) ? r.locale : DEFAULT_LOCALE);
        return { to: r.email, subject: t('mail.announcement.subject'), text: t('mail.announcement.body', { title: input.title.trim(), body: input.body.trim(), url, preferences: this.url('/notifications') }) };
      });
      await this.p.mailer.queueMany(trx, mails, { bulk: true });
      await audit(trx, me, { action: 'announcement.create', recordType: 'announcement', recordId: id });
      return id;
    });
  }

  async announcement(actor: Actor, id: string) {
    const me = notificationsPolicy.person(actor, 'own');
    const a = await repo.findAnnouncement(this.p.db, id);
    if (!a || !audiencesOf(me).includes(a.audience)) throw AppError.notFound();
    return a;
  }
}
