import type { InputIssue } from '../model/errors.ts';
import { CARE_NEED_VISIT_FIELDS } from '../model/input.ts';
import type { Calendar } from './calendar.ts';
import { isDateString, isTimeOfDay } from './calendar.ts';

type Obj = Record<string, unknown>;
type Add = (code: InputIssue['code'], where: string, message: string) => void;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One recurring need after expansion: its visits in order and the spacing rules between them. */
export interface RecurringRule {
  patient: string;
  need: string;
  /** The need's pointer in the problem (`/patients/0/care/1`). */
  at: string;
  per: 'day' | 'week';
  /** Occurrences by period (a day, or a week of the horizon), each in order. */
  periods: string[][];
  /** Per week: least whole days between two occurrences of a week. */
  minDaysApart: number;
  /** Per day: least and most time between two occurrences of a day. */
  minGap?: number;
  maxGap?: number;
}

/**
 * Expands each patient's recurring needs (`patients[].care`, docs/calendar.md "Periodic care")
 * into visits with their day choices and dependencies for their spacing; a pure function of
 * the problem and its calendar, which the checker also uses to read the rules back.
 *
 * - `per: 'day'`: on each day of the horizon (or each of `dates`, or each of `weekdays`),
 *   `times` visits (default 1), the k-th inside `windows[k]` (else `window`, else `at` ±
 *   `tolerance`, else the whole day), consecutive ones `minGap` to `maxGap` apart.
 * - `per: 'week'`: in each week of the horizon (7 days from its start; a shorter last part gets
 *   `times` × its days / 7, rounded), `times` visits, each allowed on every candidate day of the
 *   week inside the daily window (the solver picks the days), at least `minDaysApart` whole days
 *   apart; or on the given `dates`, one each. Spacing in days is a dependency between
 *   any two of a week's visits whose least delay admits exactly the allowed day pairs, which holds when
 *   the daily window is shorter than half a day; a wider one is refused (E_CONFLICT).
 */
export function expandCareNeeds(
  patients: unknown,
  calendar: Calendar | null,
  add: Add,
  unit: 'minute' | 'second',
  maxVisits = Infinity,
): { visits: Obj[]; dependencies: Obj[]; rules: RecurringRule[] } {
  const visits: Obj[] = [];
  // Counted before anything is made: the horizon's days times each need's visits a day or week.
  let planned = 0;
  if (Array.isArray(patients) && calendar !== null)
    for (const p of patients)
      if (isObj(p) && Array.isArray(p.care))
        for (const need of p.care)
          if (isObj(need))
            planned +=
              (isNum(need.times) ? Math.min(24, Math.max(1, need.times)) : 1) *
              (need.per === 'week' ? Math.ceil(calendar.days / 7) : calendar.days);
  if (planned > maxVisits) {
    add(
      'E_LIMIT',
      '/patients',
      `makes ${planned} visits from recurring care; at most ${maxVisits} are accepted (limit maxVisits)`,
    );
    return { visits, dependencies: [], rules: [] };
  }
  const dependencies: Obj[] = [];
  const rules: RecurringRule[] = [];
  if (!Array.isArray(patients)) return { visits, dependencies, rules };
  const perMinute = unit === 'second' ? 60 : 1;
  patients.forEach((p: unknown, i: number) => {
    // A patient without a proper id is reported by validation; her care is not read.
    if (!isObj(p) || p.care === undefined || typeof p.id !== 'string' || p.id.length === 0) return;
    const at = `/patients/${i}/care`;
    if (!Array.isArray(p.care)) return add('E_TYPE', at, 'must be an array of care needs');
    if (calendar === null)
      return add('E_MISSING', at, 'recurring care needs the problem to have a /date or a /horizon');
    p.care.forEach((need: unknown, j: number) => {
      const nAt = `${at}/${j}`;
      if (!isObj(need)) return add('E_TYPE', nAt, 'must be an object');
      const needId = need.id ?? `care-${j}`;
      if (typeof needId !== 'string' || needId.length === 0)
        return add('E_TYPE', `${nAt}/id`, 'must be a non-empty string');
      if (need.per !== 'day' && need.per !== 'week')
        return add('E_RANGE', `${nAt}/per`, "must be 'day' or 'week'");
      const times = need.times ?? 1;
      if (!(Number.isInteger(times) && (times as number) >= 1 && (times as number) <= 24))
        return add('E_RANGE', `${nAt}/times`, 'must be an integer from 1 to 24');
      if (!isObj(need.location) && !isObj(p.location))
        return add('E_MISSING', `${nAt}/location`, 'a care need needs a location, its own or its patient’s');
      const days = candidateDays(need, nAt, calendar, add);
      if (days === null) return;
      const daily = dailyWindows(need, nAt, times as number, perMinute, add);
      if (daily === null) return;
      const base: Obj = {
        patient: p.id,
        location: need.location ?? p.location,
        ...(p.address !== undefined && { address: p.address }),
        ...(need.notes !== undefined ? { notes: need.notes } : p.notes !== undefined && { notes: p.notes }),
      };
      for (const key of CARE_NEED_VISIT_FIELDS) if (need[key] !== undefined) base[key] = need[key];
      const window = (d: number, k: number) => {
        const [s, e] = daily[Math.min(k, daily.length - 1)];
        const start = calendar.timeOfDay(d, s)!;
        let end = calendar.timeOfDay(d, e)!;
        if (end < start) end = calendar.timeOfDay(d + 1, e)!;
        return { start, end };
      };
      const rule: RecurringRule = {
        patient: String(p.id),
        need: needId,
        at: nAt,
        per: need.per,
        periods: [],
        minDaysApart: 0,
      };
      const id = (suffix: string) => `${String(p.id)}:${needId}:${suffix}`;
      if (need.per === 'day') {
        for (const k of ['minGap', 'maxGap'] as const)
          if (need[k] !== undefined && !(isNum(need[k]) && (need[k] as number) >= 0))
            return add('E_RANGE', `${nAt}/${k}`, 'must be a non-negative number');
        if (isNum(need.minGap) && isNum(need.maxGap) && need.maxGap < need.minGap)
          return add('E_WINDOW_ORDER', `${nAt}/maxGap`, `is below minGap (${need.minGap})`);
        rule.minGap = need.minGap as number | undefined;
        rule.maxGap = need.maxGap as number | undefined;
        for (const d of days) {
          const date = calendar.dateOfDay(d);
          const ids: string[] = [];
          for (let k = 0; k < (times as number); k++) {
            const vid = times === 1 ? id(date) : id(`${date}:${k + 1}`);
            visits.push({ ...base, id: vid, timeWindows: [window(d, k)] });
            if (k > 0)
              dependencies.push({
                before: ids[k - 1],
                after: vid,
                minDelay: (need.minGap as number | undefined) ?? 0,
                ...(need.maxGap !== undefined && { maxDelay: need.maxGap }),
              });
            ids.push(vid);
          }
          rule.periods.push(ids);
        }
        rules.push(rule);
        return;
      }
      // Per week: occurrences over each week of the horizon.
      const gap = need.minDaysApart ?? 0;
      if (!(Number.isInteger(gap) && (gap as number) >= 0 && (gap as number) <= 6))
        return add('E_RANGE', `${nAt}/minDaysApart`, 'must be an integer from 0 to 6');
      rule.minDaysApart = gap as number;
      const fixed = need.dates !== undefined;
      if (fixed && (gap as number) > 0 && days.some((d, k) => k > 0 && d - days[k - 1] < (gap as number)))
        return add(
          'E_CONFLICT',
          `${nAt}/dates`,
          `has dates fewer than minDaysApart (${String(gap)}) days apart`,
        );
      for (let w = 0; w * 7 < calendar.days; w++) {
        const week = days.filter((d) => d >= w * 7 && d < w * 7 + 7);
        const span = Math.min(7, calendar.days - w * 7);
        const count = fixed ? week.length : Math.round(((times as number) * span) / 7);
        if (count === 0) continue;
        if (!fixed && week.length === 0) continue;
        const ids: string[] = [];
        const windowsOf = (k: number) => (fixed ? [week[k]] : week).map((d) => window(d, 0));
        if (!fixed && (gap as number) > 0) {
          // Exactness of the day spacing: any start in a window of day d' ≥ d + g is at least
          // `least` after any start of day d, and none of a closer day reaches it.
          const all = week.map((d) => ({ d, ...window(d, 0) }));
          let least = Infinity;
          let closest = -Infinity;
          for (const a of all)
            for (const b of all) {
              if (b.d - a.d >= (gap as number)) least = Math.min(least, b.start - a.end);
              else if (b.d >= a.d) closest = Math.max(closest, b.end - a.start);
            }
          if (!(closest < least))
            return add(
              'E_CONFLICT',
              `${nAt}/minDaysApart`,
              'spacing in days needs a daily window shorter than about half a day',
            );
          if (least === Infinity) {
            add(
              'E_CONFLICT',
              `${nAt}/minDaysApart`,
              `week ${w + 1} has no two candidate days ${String(gap)} days apart`,
            );
            return;
          }
          // The k-th visit can only fall on a day leaving room for the k before it and the
          // ones after it, each g days apart: its day choices are cut to those.
          const g = gap as number;
          const earliest: number[] = [];
          for (let k = 0; k < count; k++) {
            const from = k === 0 ? -Infinity : earliest[k - 1] + g;
            earliest.push(week.find((d) => d >= from) ?? Infinity);
          }
          const latest: number[] = new Array<number>(count);
          for (let k = count - 1; k >= 0; k--) {
            const to = k === count - 1 ? Infinity : latest[k + 1] - g;
            latest[k] = week.findLast((d) => d <= to) ?? -Infinity;
          }
          if (earliest.some((d, k) => d > latest[k])) {
            add(
              'E_CONFLICT',
              `${nAt}/minDaysApart`,
              `${count} visits ${g} days apart do not fit in the candidate days of week ${w + 1}`,
            );
            return;
          }
          for (let k = 0; k < count; k++) {
            const vid = id(`w${w + 1}:${k + 1}`);
            const days = week.filter((d) => d >= earliest[k] && d <= latest[k]);
            visits.push({ ...base, id: vid, timeWindows: days.map((d) => window(d, 0)) });
            // Every earlier visit, not only the one before: with one of them left out, the
            // others still keep their days apart.
            for (const before of ids) dependencies.push({ before, after: vid, minDelay: least });
            ids.push(vid);
          }
        } else
          for (let k = 0; k < count; k++) {
            const vid = fixed ? id(calendar.dateOfDay(week[k])) : id(`w${w + 1}:${k + 1}`);
            visits.push({ ...base, id: vid, timeWindows: windowsOf(k) });
            // Interchangeable visits in order: fewer equal solutions to search.
            if (k > 0 && !fixed) dependencies.push({ before: ids[k - 1], after: vid, minDelay: 0 });
            ids.push(vid);
          }
        rule.periods.push(ids);
      }
      rules.push(rule);
    });
  });
  return { visits, dependencies, rules };
}

/** The days a need may fall on: its `dates`, else the horizon's days on its `weekdays` (default all). */
function candidateDays(need: Obj, at: string, calendar: Calendar, add: Add): number[] | null {
  if (need.dates !== undefined) {
    if (!Array.isArray(need.dates) || need.dates.length === 0) {
      add('E_TYPE', `${at}/dates`, 'must be a non-empty array of dates YYYY-MM-DD');
      return null;
    }
    const out: number[] = [];
    for (const [k, s] of need.dates.entries()) {
      const d = isDateString(s) ? calendar.dayIndex(s) : null;
      if (d === null || d < 0 || d >= calendar.days) {
        add('E_RANGE', `${at}/dates/${k}`, 'must be a date YYYY-MM-DD inside the horizon');
        return null;
      }
      out.push(d);
    }
    return [...new Set(out)].sort((a, b) => a - b);
  }
  let allowed: Set<string> | null = null;
  if (need.weekdays !== undefined) {
    if (
      !Array.isArray(need.weekdays) ||
      !need.weekdays.every((w) => WEEKDAYS.includes(w as (typeof WEEKDAYS)[number]))
    ) {
      add('E_RANGE', `${at}/weekdays`, `must be an array of ${WEEKDAYS.join(', ')}`);
      return null;
    }
    allowed = new Set(need.weekdays as string[]);
  }
  const out: number[] = [];
  for (let d = 0; d < calendar.days; d++) {
    const weekday = WEEKDAYS[calendar.origin.plus({ days: d }).weekday - 1];
    if (allowed === null || allowed.has(weekday)) out.push(d);
  }
  return out;
}

/** The daily window(s) of a need as times of day: `windows` (one per visit of a day), `window`, `at` ± `tolerance`, or the whole day. */
function dailyWindows(
  need: Obj,
  at: string,
  times: number,
  perMinute: number,
  add: Add,
): [string, string][] | null {
  const clock = (x: unknown, where: string): string | null => {
    if (isTimeOfDay(x)) return x;
    if (isNum(x) && x >= 0 && x <= 1440 * perMinute) {
      const m = Math.round(x / perMinute);
      return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    }
    add('E_TYPE', where, 'must be a time of day HH:mm (or minutes after midnight)');
    return null;
  };
  const pair = (w: unknown, where: string): [string, string] | null => {
    if (!isObj(w)) {
      add('E_TYPE', where, 'must be an object {start, end} of times of day');
      return null;
    }
    const s = clock(w.start, `${where}/start`);
    const e = clock(w.end, `${where}/end`);
    if (s === null || e === null) return null;
    // A need's visits fall on their day (the checker reads them so): no window past midnight.
    if (e < s) {
      add('E_WINDOW_ORDER', `${where}/end`, 'a care need’s daily window must end the same day');
      return null;
    }
    return [s, e];
  };
  if (need.windows !== undefined) {
    if (!Array.isArray(need.windows) || need.windows.length !== times) {
      add('E_TYPE', `${at}/windows`, `must be an array of ${times} windows, one per visit of a day`);
      return null;
    }
    const out = need.windows.map((w, k) => pair(w, `${at}/windows/${k}`));
    return out.some((w) => w === null) ? null : (out as [string, string][]);
  }
  if (need.window !== undefined) {
    const w = pair(need.window, `${at}/window`);
    return w === null ? null : [w];
  }
  if (need.at !== undefined) {
    const c = clock(need.at, `${at}/at`);
    const tol = need.tolerance ?? 0;
    if (!(isNum(tol) && tol >= 0)) {
      add('E_RANGE', `${at}/tolerance`, 'must be a non-negative number');
      return null;
    }
    if (c === null) return null;
    const [h, m] = c.split(':').map(Number);
    const mid = h * 60 + m;
    const t = tol / perMinute;
    if (mid - t < 0 || mid + t > 1440) {
      add(
        'E_RANGE',
        `${at}/tolerance`,
        'takes the window past midnight: a care need’s visits stay on their day',
      );
      return null;
    }
    const fmt = (x: number) => {
      const y = Math.max(0, Math.min(1440, Math.round(x)));
      return `${String(Math.floor(y / 60)).padStart(2, '0')}:${String(y % 60).padStart(2, '0')}`;
    };
    return [[fmt(mid - t), fmt(mid + t)]];
  }
  return [['00:00', '24:00']];
}
