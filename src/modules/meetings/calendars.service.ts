import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { newToken, sha256 } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { DEFAULT_LOCALE, isSupportedLocale, translator } from '../../platform/i18n.ts';
import type { Actor, PersonActor } from '../../platform/policy.ts';
import { meetingAccess, readerOf } from './access.ts';
import type { MeetingRow } from './access.repository.ts';
import * as repo from './calendars.repository.ts';
import type { FeedSettings } from './calendars.schemas.ts';
import { feedIcs } from './ical.ts';
import { meetingsPolicy } from './meetings.policy.ts';

const DAY = 86_400_000;
/** A feed shows the last 30 days and the coming year; cancelled meetings for 30 days after. */
export const FEED_PAST_DAYS = 30;
export const FEED_AHEAD_DAYS = 366;
export const CANCELLED_KEPT_DAYS = 30;
/** Bounded all the same: a year of a busy network's meetings fits many times over. */
export const FEED_LIMIT = 2000;
/** Subscribed calendars refresh every 12–24 hours whatever we say; an hour is what we ask. */
export const FEED_REFRESH_SECONDS = 3600;
export const API_PAGE_SIZE = 100;

function window(now: Date) {
  return {
    from: new Date(now.getTime() - FEED_PAST_DAYS * DAY),
    to: new Date(now.getTime() + FEED_AHEAD_DAYS * DAY),
    cancelledSince: new Date(now.getTime() - CANCELLED_KEPT_DAYS * DAY),
    limit: FEED_LIMIT,
  };
}

export class CalendarsService {
  constructor(readonly p: Platform) {}

  private url(path: string): string {
    return new URL(path, this.p.config.publicUrl).href;
  }

  meetingUrl(id: string): string {
    return this.url(`/meetings/${id}`);
  }

  feedUrl(token: string): string {
    return this.url(`/calendar/${token}.ics`);
  }

  publicFeedUrl(): string {
    return this.url('/meetings/public.ics');
  }

  /** The person's feed as the settings page shows it (never its address: only its hash is kept). */
  async settings(actor: Actor) {
    const me = meetingsPolicy.person(actor, 'calendar');
    const feed = await repo.feedOf(this.p.db, me.id);
    return { feed: feed ?? null, publicFeedUrl: this.publicFeedUrl() };
  }

  /**
   * Makes the person's feed, or renews it: a new 256-bit token whose address is shown once; the
   * old address answers 404 from the moment this commits.
   */
  async makeFeed(actor: Actor, input: FeedSettings): Promise<{ url: string; renewed: boolean }> {
    const me = meetingsPolicy.person(actor, 'calendar');
    const token = newToken();
    const renewed = await this.p.db.transaction().execute(async (trx) => {
      const existed = await repo.lockFeed(trx, me.id);
      await repo.saveFeed(trx, me.id, sha256(token), input.discreet === 'yes');
      await audit(trx, me, { action: existed ? 'calendar_feed.renew' : 'calendar_feed.create', recordType: 'person', recordId: me.id });
      return existed;
    });
    return { url: this.feedUrl(token), renewed };
  }

  async setDiscreet(actor: Actor, input: FeedSettings): Promise<void> {
    const me = meetingsPolicy.person(actor, 'calendar');
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.setDiscreet(trx, me.id, input.discreet === 'yes'))) throw AppError.field('discreet', 'errors.calendarsNoFeed');
      await audit(trx, me, { action: 'calendar_feed.discreet', recordType: 'person', recordId: me.id });
    });
  }

  async revokeFeed(actor: Actor): Promise<void> {
    const me = meetingsPolicy.person(actor, 'calendar');
    await this.p.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteFeed(trx, me.id))) return;
      await audit(trx, me, { action: 'calendar_feed.revoke', recordType: 'person', recordId: me.id });
    });
  }

  /**
   * The feed a token opens: the meetings its owner may see today (their memberships and roles
   * read afresh on every fetch, so that leaving an organisation takes its meetings out at once).
   * A wrong, renewed or revoked token, or a disabled account: 404, as for anything unknown.
   */
  async personalFeed(token: string, now = new Date()): Promise<string> {
    const feed = await repo.feedByHash(this.p.db, sha256(token));
    if (!feed) throw AppError.notFound();
    const memberships = await repo.membershipsOf(this.p.db, feed.person_id);
    const owner: PersonActor = {
      kind: 'person',
      id: feed.person_id,
      displayName: feed.display_name,
      networkRole: feed.network_role,
      locale: feed.locale,
      memberships: memberships.map((m) => ({ organisationId: m.organisationId, role: m.role, name: m.name, standing: m.status === 'associate' ? 'associate' : 'member' })),
    };
    if (!meetingsPolicy.can(owner, 'calendar')) throw AppError.notFound();
    const meetings = await repo.feedMeetings(this.p.db, readerOf(owner), window(now));
    const t = translator(isSupportedLocale(feed.locale) ? feed.locale : DEFAULT_LOCALE);
    return feedIcs(meetings, {
      name: t('calendars.feedName'),
      urlOf: (m) => this.meetingUrl(m.id),
      discreet: feed.discreet,
      discreetTitle: t('calendars.discreetTitle'),
      refreshSeconds: FEED_REFRESH_SECONDS,
      now,
    });
  }

  /** Publicly listed meetings, public details only (ical.ts leaves the online link out of feeds). */
  async publicFeed(now = new Date()): Promise<string> {
    const meetings = await repo.feedMeetings(this.p.db, undefined, window(now));
    return feedIcs(meetings, {
      name: translator(DEFAULT_LOCALE)('calendars.publicFeedName'),
      urlOf: (m) => this.meetingUrl(m.id),
      refreshSeconds: FEED_REFRESH_SECONDS,
      now,
    });
  }

  // ---- the API -------------------------------------------------------------------------------

  private meetingJson(m: MeetingRow, invited: boolean, organisations: Map<string, string>) {
    return {
      id: m.id,
      number: m.number,
      uid: m.uid,
      url: this.meetingUrl(m.id),
      kind: m.kind,
      state: m.state,
      title: m.title,
      purpose: m.purpose,
      startsAt: m.starts_at.toISOString(),
      endsAt: m.ends_at.toISOString(),
      timeZone: m.time_zone,
      place: m.place,
      // The online link is for invitees only, as on the meeting page.
      onlineUrl: invited ? m.online_url : null,
      online: !!m.online_url,
      accessibility: m.accessibility,
      interpretation: m.interpretation,
      audience: m.audience,
      listedPublicly: m.listed_publicly,
      chathamHouse: m.chatham_house,
      capacity: m.capacity,
      seriesId: m.series_id,
      sequence: m.sequence,
      convener: organisations.get(m.organisation_id) ?? null,
      invited,
    };
  }

  /** Meetings the caller may see (publicly listed ones' public details for anyone), soonest first. */
  async apiMeetings(actor: Actor, page: number, now = new Date()) {
    const reader = readerOf(actor);
    const rows = await repo.apiMeetings(this.p.db, reader, { from: new Date(now.getTime() - FEED_PAST_DAYS * DAY), limit: API_PAGE_SIZE, offset: (page - 1) * API_PAGE_SIZE });
    const names = await repo.organisationNames(this.p.db, [...new Set(rows.map((m) => m.organisation_id))]);
    return { page, pageSize: API_PAGE_SIZE, items: rows.map(({ invited, ...m }) => this.meetingJson(m, invited === true, names)) };
  }

  /** One meeting as the caller may see it (the API adds its agenda from the agenda part). */
  async apiMeeting(actor: Actor, id: string) {
    const access = await meetingAccess(this.p.db, actor, id);
    const m = access.meeting;
    const names = await repo.organisationNames(this.p.db, [m.organisation_id]);
    return { meeting: this.meetingJson(m, access.invited, names), agendaPublished: m.agenda_published_at !== null };
  }
}
