import { audit } from '../../platform/audit/audit.service.ts';
import type { Platform } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/policy.ts';
import { actingFor, canActForAny } from '../../platform/acting.ts';
import * as repo from './communities.repository.ts';
import { type CommunityInput, PREFER_NOT } from './engagement.schemas.ts';
import { engagementPolicy } from './engagement.policy.ts';

const MAX_DIMENSIONS = 8;
const MAX_GROUPS = 12;
/** The fatigue view's windows, in months. */
export const FATIGUE_MONTHS = [3, 6, 12] as const;

/**
 * "Region of origin: Darfur, Khartoum, Kordofan" — one dimension per line, its groups after
 * the colon. Plain text keeps the form usable without JavaScript.
 */
export function parseDimensions(text: string): { label: string; groups: string[] }[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) throw AppError.field('dimensions', 'errors.dimensions');
  if (lines.length > MAX_DIMENSIONS) throw AppError.field('dimensions', 'errors.tooMany', { limit: MAX_DIMENSIONS });
  return lines.map((line, i) => {
    const colon = line.indexOf(':');
    const label = colon > 0 ? line.slice(0, colon).trim() : '';
    const groups = (colon > 0 ? line.slice(colon + 1) : '')
      .split(/[,،]/)
      .map((g) => g.trim())
      .filter(Boolean);
    const unique = new Set(groups.map((g) => g.toLowerCase()));
    if (!label || label.length > 80 || groups.length === 0 || groups.length > MAX_GROUPS || groups.some((g) => g.length > 80) || unique.size !== groups.length) {
      throw AppError.field('dimensions', 'errors.dimensionsLine', { line: i + 1, max: MAX_GROUPS });
    }
    return { label, groups };
  });
}

/**
 * The same day n months earlier, or the last day of that month when it is shorter: setUTCMonth
 * alone overflows (31 March less one month gave 3 March, leaving out the last days of February).
 */
export function monthsAgo(n: number, now = new Date()): Date {
  const d = new Date(now);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - n);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export class CommunitiesService {
  constructor(private p: Platform) {}

  async list(actor: Actor) {
    return { communities: await repo.listCommunities(this.p.db), canDefine: engagementPolicy.can(actor, 'defineCommunity') };
  }

  async options() {
    return (await repo.listCommunities(this.p.db)).map((c) => ({ value: c.id, label: c.name }));
  }

  /**
   * Defined in the name of the organisation the person acts for (`chosen`: the form's
   * `actingFor`); a convener who belongs to none defines it for the network.
   */
  async create(actor: Actor, input: CommunityInput, chosen?: unknown): Promise<string> {
    const me = engagementPolicy.person(actor, 'defineCommunity');
    const organisationId = canActForAny(me) ? actingFor(me, chosen) : null;
    const name = input.name.trim();
    const dimensions = parseDimensions(input.dimensions);
    return this.p.db.transaction().execute(async (trx) => {
      if (await repo.nameTaken(trx, name)) throw AppError.field('name', 'errors.communityTaken', { name });
      const id = await repo.insertCommunity(
        trx,
        { name, description: input.description?.trim() ?? '', languages: input.languages ?? [], created_by_org: organisationId },
        dimensions,
      );
      await audit(trx, me, { action: 'community.create', recordType: 'community', recordId: id });
      return id;
    });
  }

  async community(actor: Actor, id: string) {
    const community = await repo.findCommunity(this.p.db, id);
    if (!community) throw AppError.notFound();
    const [dimensions, fatigue] = await Promise.all([repo.dimensions(this.p.db, [id]), this.fatigue(id)]);
    const belongs = actor.kind === 'person' && engagementPolicy.can(actor, 'belong');
    const member = belongs && (await repo.isMember(this.p.db, id, actor.id));
    const answers = member && actor.kind === 'person' ? await repo.ownAnswers(this.p.db, id, actor.id) : new Map<string, string | null>();
    return { community, dimensions, fatigue, canBelong: belongs, member, answers };
  }

  /** How often this community was asked, by whom, and whether and how fast loops closed. */
  async fatigue(communityId: string, now = new Date()) {
    const year = await repo.askedSince(this.p.db, communityId, monthsAgo(12, now));
    const windows = FATIGUE_MONTHS.map((months) => {
      const since = monthsAgo(months, now);
      const asked = year.filter((c) => c.opened_at && c.opened_at >= since);
      const ended = asked.filter((c) => c.state === 'closed' || c.state === 'loop_closed');
      const closedLoop = asked.filter((c) => c.state === 'loop_closed' && c.closed_at && c.loop_closed_at);
      const organisations = new Map<string, number>();
      for (const c of asked) organisations.set(c.organisation_name, (organisations.get(c.organisation_name) ?? 0) + 1);
      return {
        months,
        asked: asked.length,
        ended: ended.length,
        loopsClosed: closedLoop.length,
        medianDays: median(closedLoop.map((c) => ((c.loop_closed_at as Date).getTime() - (c.closed_at as Date).getTime()) / 86_400_000)),
        organisations: [...organisations].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      };
    });
    return { windows, consultations: year };
  }

  async join(actor: Actor, id: string): Promise<void> {
    const me = engagementPolicy.person(actor, 'belong');
    if (!(await repo.findCommunity(this.p.db, id))) throw AppError.notFound();
    await this.p.db.transaction().execute(async (trx) => {
      if (await repo.addMember(trx, id, me.id)) await audit(trx, me, { action: 'community.join', recordType: 'community', recordId: id });
    });
  }

  async leave(actor: Actor, id: string): Promise<void> {
    const me = engagementPolicy.person(actor, 'belong');
    await this.p.db.transaction().execute(async (trx) => {
      if (await repo.removeMember(trx, id, me.id)) await audit(trx, me, { action: 'community.leave', recordType: 'community', recordId: id });
    });
  }

  /** Each answer optional; "prefer not to say" is an answer too. Replaces earlier answers. */
  async describe(actor: Actor, id: string, answers: Record<string, string>): Promise<void> {
    const me = engagementPolicy.person(actor, 'belong');
    if (!(await repo.isMember(this.p.db, id, me.id))) throw AppError.notFound();
    const dimensions = await repo.dimensions(this.p.db, [id]);
    const rows: { dimension_id: string; group_id: string | null }[] = [];
    for (const [dimensionId, answer] of Object.entries(answers)) {
      if (answer === '') continue;
      const d = dimensions.find((x) => x.id === dimensionId);
      if (!d) throw AppError.field(`d_${dimensionId}`, 'errors.choice');
      if (answer === PREFER_NOT) rows.push({ dimension_id: d.id, group_id: null });
      else if (d.groups.some((g) => g.id === answer)) rows.push({ dimension_id: d.id, group_id: answer });
      else throw AppError.field(`d_${dimensionId}`, 'errors.choice');
    }
    await this.p.db.transaction().execute(async (trx) => {
      await repo.replaceAnswers(trx, id, me.id, rows);
      await audit(trx, me, { action: 'community.describe', recordType: 'community', recordId: id });
    });
  }
}
