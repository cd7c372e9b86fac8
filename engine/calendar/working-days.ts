import { TZDate } from '@date-fns/tz';
import { add, addDays, endOfDay, startOfDay } from 'date-fns';
import { getHolidays } from 'feiertagejs';
import type { Delay } from '../definition/definition.schema.ts';

/** German federal states (Länder) by their two-letter code, as the holiday calendar knows them. */
export const LAENDER = [
  'BW',
  'BY',
  'BE',
  'BB',
  'HB',
  'HE',
  'HH',
  'MV',
  'NI',
  'NW',
  'RP',
  'SL',
  'SN',
  'ST',
  'SH',
  'TH',
] as const;
export type Land = (typeof LAENDER)[number];

/** A tenant's working-day calendar: its Land's public holidays plus local days off (`YYYY-MM-DD`). */
export type CalendarSettings = { land: Land; extraHolidays?: readonly string[]; timeZone?: string };

const TIME_ZONE = 'Europe/Berlin';

function isoDay(d: TZDate): string {
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${m}-${day}`;
}

/** True for Monday to Friday that is no public holiday of the Land and no local day off. */
export function isWorkingDay(day: TZDate, settings: CalendarSettings): boolean {
  const weekday = day.getDay();
  if (weekday === 0 || weekday === 6) return false;
  if (settings.extraHolidays?.includes(isoDay(day))) return false;
  return !holidays(day.getFullYear(), settings.land).has(isoDay(day));
}

const holidayCache = new Map<string, Set<string>>();

/** Public holidays of a Land in a year as `YYYY-MM-DD`, computed once per year and Land. */
function holidays(year: number, land: Land): Set<string> {
  const key = `${land}${year}`;
  let days = holidayCache.get(key);
  if (!days) {
    days = new Set(getHolidays(year, land).map((h) => h.dateString));
    holidayCache.set(key, days);
  }
  return days;
}

/**
 * The end (24:00 local time) of the n-th working day after `from`: a deadline counted in working days
 * ends with the expiry of its last day (§ 31 VwVfG with § 188 BGB).
 */
export function addWorkingDaysUncached(from: Date, days: number, settings: CalendarSettings): Date {
  let day = new TZDate(from.getTime(), settings.timeZone ?? TIME_ZONE);
  let left = days;
  while (left > 0) {
    day = add(day, { days: 1 });
    if (isWorkingDay(day, settings)) left--;
  }
  return new Date(endOfDay(day).getTime());
}

/** Last answers by calendar and count: the local day they hold for (`[start, end)` in ms) and the deadline. */
const deadlineCache = new Map<string, { start: number; end: number; deadline: number }>();

/**
 * {@link addWorkingDaysUncached}, remembered per local calendar day: the deadline depends only on the day `from`
 * falls on (the steps count whole days), so every case started on the same day gets it without the time-zone
 * arithmetic.
 */
export function addWorkingDays(from: Date, days: number, settings: CalendarSettings): Date {
  const timeZone = settings.timeZone ?? TIME_ZONE;
  const key = `${timeZone}|${settings.land}|${days}|${settings.extraHolidays?.join(',') ?? ''}`;
  const at = from.getTime();
  const cached = deadlineCache.get(key);
  if (cached && cached.start <= at && at < cached.end) return new Date(cached.deadline);
  const deadline = addWorkingDaysUncached(from, days, settings).getTime();
  const start = startOfDay(new TZDate(at, timeZone));
  if (deadlineCache.size >= 1000) deadlineCache.clear();
  deadlineCache.set(key, { start: start.getTime(), end: addDays(start, 1).getTime(), deadline });
  return new Date(deadline);
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Adds an ISO 8601 duration in calendar time of the tenant's time zone (P1D is one calendar day across DST). */
export function addDuration(from: Date, duration: string, timeZone = TIME_ZONE): Date {
  const m = DURATION.exec(duration);
  if (!m) throw new RangeError(`not an ISO 8601 duration: ${duration}`);
  const n = (i: number) => Number(m[i] ?? 0);
  const seconds = n(7);
  const base = new TZDate(from.getTime(), timeZone);
  const date = add(base, { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6) });
  return new Date(date.getTime() + Math.round(seconds * 1000));
}

/** Local time of day at which a timer that names only a date is due. */
const DATE_ONLY_DUE_HOUR = 8;

/**
 * The instant a computed `at` value names: `YYYY-MM-DD` (due 08:00 local time), an ISO date-time with offset or
 * `Z`, or FEEL's `YYYY-MM-DDTHH:mm:ss@Zone`. Undefined for anything else.
 */
export function parseInstant(value: unknown, timeZone = TIME_ZONE): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const local = new TZDate(Number(day[1]), Number(day[2]) - 1, Number(day[3]), DATE_ONLY_DUE_HOUR, 0, 0, timeZone);
    return new Date(local.getTime());
  }
  const zoned = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?@([A-Za-z_]+\/[A-Za-z_]+)$/.exec(value);
  if (zoned) {
    const [, y, mo, d, h, mi, sec, zone] = zoned;
    const local = new TZDate(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h),
      Number(mi),
      Number(sec ?? 0),
      zone ?? timeZone,
    );
    return new Date(local.getTime());
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const parsed = new Date(value);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  return undefined;
}

/**
 * When a delay that starts at `from` runs out. An `at` delay needs its expression's value (`atValue`); when it
 * names no instant, or one already past, the timer is due at once.
 */
export function dueDate(from: Date, delay: Delay, settings: CalendarSettings, atValue?: unknown): Date {
  if ('workingDays' in delay) return addWorkingDays(from, delay.workingDays, settings);
  if ('duration' in delay) return addDuration(from, delay.duration, settings.timeZone);
  const at = parseInstant(atValue, settings.timeZone);
  return at && at > from ? at : from;
}
