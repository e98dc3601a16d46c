import { DateTime, IANAZone } from 'luxon';

/** A problem's calendar fields (docs/calendar.md). */
export interface CalendarFields {
  timeZone?: string;
  /** One planning day, `YYYY-MM-DD`: a one-day horizon. */
  date?: string;
  horizon?: { start: string; days: number };
  timeUnit?: 'minute' | 'second';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_OF_DAY = /^([01]\d|2[0-4]):([0-5]\d)(?::([0-5]\d))?$/;
/** A local date-time, or an instant when it carries an offset or Z. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Longest horizon accepted, in days. */
export const MAX_HORIZON_DAYS = 62;

export const isDateString = (s: unknown): s is string =>
  typeof s === 'string' && DATE.test(s) && DateTime.fromISO(s, { zone: 'UTC' }).isValid;
export const isTimeOfDay = (s: unknown): s is string => typeof s === 'string' && TIME_OF_DAY.test(s);
export const isDateTime = (s: unknown): s is string => typeof s === 'string' && DATE_TIME.test(s);
export const isTimeZone = (s: unknown): s is string => typeof s === 'string' && IANAZone.isValidZone(s);

/**
 * The time axis of a problem with a calendar: a number is the elapsed time, in the problem's
 * unit, since local midnight at the start of the horizon in its time zone. Local clock times
 * and dates convert through Luxon (IANA rules, daylight-saving changes included), so a
 * 23-hour day is 1380 minutes long and 08:00 on the day after it is 24 × 60 − 60 + 480 after
 * the origin. Without a time zone the calendar runs in UTC.
 */
export class Calendar {
  readonly zone: string;
  readonly start: string;
  readonly days: number;
  /** Milliseconds per time unit. */
  readonly unitMs: number;
  readonly origin: DateTime;
  /** Start of each local day 0..days (days + 1 entries), in time units since the origin. */
  private readonly dayStarts: number[];

  constructor(fields: { timeZone?: string; start: string; days: number; timeUnit?: 'minute' | 'second' }) {
    this.zone = fields.timeZone ?? 'UTC';
    this.start = fields.start;
    this.days = fields.days;
    this.unitMs = fields.timeUnit === 'second' ? 1000 : 60_000;
    this.origin = DateTime.fromISO(fields.start, { zone: this.zone }).startOf('day');
    this.dayStarts = Array.from({ length: fields.days + 1 }, (_, d) =>
      this.toUnits(this.origin.plus({ days: d }).startOf('day')),
    );
  }

  /** The calendar of a problem, or null when it has none (no date, horizon nor time zone). */
  static of(p: CalendarFields): Calendar | null {
    if (p.horizon !== undefined)
      return new Calendar({
        timeZone: p.timeZone,
        start: p.horizon.start,
        days: p.horizon.days,
        timeUnit: p.timeUnit,
      });
    if (p.date !== undefined)
      return new Calendar({ timeZone: p.timeZone, start: p.date, days: 1, timeUnit: p.timeUnit });
    return null;
  }

  private toUnits(t: DateTime): number {
    return (t.toMillis() - this.origin.toMillis()) / this.unitMs;
  }

  /** The local date (`YYYY-MM-DD`) of day d of the horizon (d may lie outside it). */
  dateOfDay(d: number): string {
    return this.origin.plus({ days: d }).toISODate()!;
  }

  /** Index of a date in the horizon (may be negative or past its end), or null for a malformed date. */
  dayIndex(date: string): number | null {
    if (!isDateString(date)) return null;
    const t = DateTime.fromISO(date, { zone: this.zone }).startOf('day');
    return Math.round(t.diff(this.origin, 'days').days);
  }

  /** Local midnight of day d, in time units since the origin. */
  dayStart(d: number): number {
    if (d >= 0 && d < this.dayStarts.length) return this.dayStarts[d];
    return this.toUnits(this.origin.plus({ days: d }).startOf('day'));
  }

  /** The day (0-based; may be outside the horizon) a time falls on, in local time. */
  dayOf(t: number): number {
    let lo = 0;
    let hi = this.days;
    if (t < this.dayStarts[0] || t >= this.dayStarts[this.days]) {
      const local = this.origin.plus({ milliseconds: t * this.unitMs }).startOf('day');
      return Math.round(local.diff(this.origin, 'days').days);
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.dayStarts[mid] <= t) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Memo of timeOfDay: a week repeats the same few clock times on the same few days. */
  private readonly clockMemo = new Map<string, number | null>();

  /** A time of day (`HH:mm` or `HH:mm:ss`, 24:00 allowed) on day d, in time units; null when malformed. */
  timeOfDay(d: number, s: string): number | null {
    const key = `${d}|${s}`;
    let t = this.clockMemo.get(key);
    if (t === undefined) this.clockMemo.set(key, (t = this.computeTimeOfDay(d, s)));
    return t;
  }

  private computeTimeOfDay(d: number, s: string): number | null {
    const m = TIME_OF_DAY.exec(s);
    if (m === null) return null;
    const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    if (h === 24 && (min > 0 || sec > 0)) return null;
    const day = this.origin.plus({ days: d });
    const t =
      h === 24
        ? day.plus({ days: 1 }).startOf('day')
        : DateTime.fromObject(
            { year: day.year, month: day.month, day: day.day, hour: h, minute: min, second: sec },
            { zone: this.zone },
          );
    return t.isValid ? this.toUnits(t) : null;
  }

  /** A local date-time (`2026-12-07T08:00`) or an instant (`…+01:00`, `…Z`), in time units; null when malformed. */
  dateTime(s: string): number | null {
    if (!isDateTime(s)) return null;
    const t = DateTime.fromISO(s, { zone: this.zone, setZone: false });
    return t.isValid ? this.toUnits(t) : null;
  }

  /** A time as an ISO 8601 local date-time with its offset (`2027-03-28T08:00:00+02:00`), to the second. */
  format(t: number): string {
    const at = this.origin.plus({ milliseconds: Math.round((t * this.unitMs) / 1000) * 1000 });
    return at.setZone(this.zone).toISO({ suppressMilliseconds: true })!;
  }

  /** Time units after local midnight of day `d` on the clock (a 23-hour day's 08:00 is 8 h after its midnight). */
  clockSince(t: number, d: number): number {
    const at = this.origin.plus({ milliseconds: t * this.unitMs });
    const ms = at.hour * 3_600_000 + at.minute * 60_000 + at.second * 1000 + at.millisecond;
    return ms / this.unitMs + (this.dayOf(t) - d) * (86_400_000 / this.unitMs);
  }

  /** A time as a local clock time `HH:mm`, rounded to the minute. */
  clock(t: number): string {
    const at = this.origin.plus({ milliseconds: Math.round((t * this.unitMs) / 60_000) * 60_000 });
    return at.setZone(this.zone).toFormat('HH:mm');
  }
}

/** A time of day as units after midnight on a day without a calendar (no time zone: plain arithmetic). */
export function floatingTimeOfDay(s: string, unit: 'minute' | 'second' | undefined): number | null {
  const m = TIME_OF_DAY.exec(s);
  if (m === null) return null;
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h === 24 && (min > 0 || sec > 0)) return null;
  const seconds = h * 3600 + min * 60 + sec;
  return unit === 'second' ? seconds : seconds / 60;
}
