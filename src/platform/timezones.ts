/**
 * IANA time zones without a library: the runtime's Intl carries the tz database (Node ships
 * full ICU), so a zone's offset at an instant is read from Intl.DateTimeFormat. Meetings are
 * stored as instants (timestamptz) with the zone they were set in; forms speak wall-clock time
 * in that zone ("18:00 in London"), which is what stays fixed across a change of summer time.
 */
export const DEFAULT_TIME_ZONE = 'Europe/London';

let zones: Set<string> | undefined;

/** The zones this runtime knows, canonical names only (plus UTC). */
export function timeZones(): readonly string[] {
  return [...knownZones()].sort();
}

function knownZones(): Set<string> {
  if (!zones) zones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return zones;
}

/** An IANA zone name this runtime knows ("Europe/London", "Africa/Khartoum", "UTC"). */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return false;
  if (knownZones().has(name)) return true;
  // Aliases (e.g. "Asia/Calcutta") are valid IANA names that Intl lists under the canonical one.
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/.test(name);
  } catch {
    return false;
  }
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timeZone: string) {
  let fmt = partFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormats.set(timeZone, fmt);
  }
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(date)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** The zone's offset from UTC at an instant, in minutes (London in summer: 60). */
export function offsetMinutes(date: Date, timeZone: string): number {
  const p = partsIn(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a wall-clock time ('YYYY-MM-DDTHH:mm', as an <input type="datetime-local">
 * sends it) names in a zone. In the hour skipped when clocks go forward the time is read with
 * the offset from before the change (02:30 becomes 03:30); in the hour repeated when they go
 * back, the first of the two. Undefined when the text is not such a time.
 */
export function zonedToInstant(local: string, timeZone: string): Date | undefined {
  const m = LOCAL.exec(local);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  // The offsets in force a day either side and at the wall time read as UTC: every instant
  // that shows this wall time uses one of them (zones change offset at most once a day).
  const offsets = [...new Set([-86_400_000, 0, 86_400_000].map((d) => offsetMinutes(new Date(wall + d), timeZone)))];
  const wanted = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`;
  const shows = offsets.map((o) => wall - o * 60_000).filter((t) => instantToZoned(new Date(t), timeZone) === wanted);
  // A repeated hour: the earlier of the two. A skipped hour: the offset from before the change.
  if (shows.length > 0) return new Date(Math.min(...shows));
  return new Date(wall - Math.min(...offsets) * 60_000);
}

/** The wall-clock time of an instant in a zone, as 'YYYY-MM-DDTHH:mm' (for a form's value). */
export function instantToZoned(date: Date, timeZone: string): string {
  const p = partsIn(date, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}
