import type { Platform } from '../../platform/context.ts';
import { isCountryCode } from '../../platform/countries.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/policy.ts';
import * as repo from './picture.repository.ts';
import * as signsRepo from './signs.repository.ts';
import { readerOf, type SignsService } from './signs.service.ts';

/** The map counts signs observed in this many days that two organisations stand behind. */
export const MAP_WINDOW_DAYS = 90;
export const GRID_MONTHS = 12;
export const TIMELINE_LENGTH = 20;
/** The Early Warning Project's rule of thumb: the top 30 warrant attention. */
export const FORECAST_TOP = 30;

function dayString(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function daysAgo(days: number, from = new Date()): Date {
  return new Date(from.getTime() - days * 86_400_000);
}

/** The last `count` months, oldest first, as 'YYYY-MM'. */
export function lastMonths(count: number, now = new Date()): string[] {
  const months: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

export interface Changes {
  days: number;
  newSigns: number;
  corroborations: number;
  disputes: number;
  verifications: number;
  /** Factors named in the window that no visible sign named in the 90 days before it. */
  newFactors: string[];
}

export class PictureService {
  constructor(
    private p: Platform,
    private signs: SignsService,
  ) {}

  async overview(actor: Actor) {
    const reader = readerOf(actor);
    const fromDay = dayString(daysAgo(MAP_WINDOW_DAYS));
    const [counts, edition] = await Promise.all([repo.corroboratedByCountry(this.p.db, reader, fromDay), repo.latestEdition(this.p.db)]);
    const forecasts = edition ? await repo.topForecasts(this.p.db, edition.edition, FORECAST_TOP) : [];
    return { counts, fromDay, days: MAP_WINDOW_DAYS, edition, forecasts };
  }

  private async changes(actor: Actor, country: string, days: number): Promise<Changes> {
    const reader = readerOf(actor);
    const since = daysAgo(days);
    const [recent, reviews, before, within] = await Promise.all([
      repo.countRecentSigns(this.p.db, reader, country, since),
      repo.recentReviews(this.p.db, reader, country, since),
      repo.factorsObserved(this.p.db, reader, country, dayString(daysAgo(days + 90)), dayString(since)),
      repo.factorsObserved(this.p.db, reader, country, dayString(since), dayString(daysAgo(-1))),
    ]);
    const seen = new Set(before);
    return {
      days,
      newSigns: recent,
      corroborations: reviews.get('corroborate') ?? 0,
      disputes: reviews.get('dispute') ?? 0,
      verifications: reviews.get('verify') ?? 0,
      newFactors: within.filter((f) => !seen.has(f)).sort((a, b) => Number(a) - Number(b)),
    };
  }

  async country(actor: Actor, code: string) {
    const country = code.toUpperCase();
    if (!isCountryCode(country)) throw AppError.notFound();
    const reader = readerOf(actor);
    const months = lastMonths(GRID_MONTHS);
    const [cells, week, month, timeline, total, forecast, alerts, framework] = await Promise.all([
      repo.factorMonths(this.p.db, reader, country, `${months[0]}-01`),
      this.changes(actor, country, 7),
      this.changes(actor, country, 30),
      signsRepo.listSigns(this.p.db, reader, { country }, TIMELINE_LENGTH),
      signsRepo.countSigns(this.p.db, reader, { country }),
      repo.latestForecast(this.p.db, country),
      repo.alertsOfCountry(this.p.db, country, reader.network),
      this.signs.currentFramework(),
    ]);
    const grid = new Map(cells.map((c) => [`${c.factor}|${c.month}`, c.count]));
    return { country, months, grid, changes: [week, month], timeline, total, forecast, alerts, framework };
  }
}
