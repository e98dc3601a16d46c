import type { InputIssue } from '../model/errors.ts';
import {
  Calendar,
  MAX_HORIZON_DAYS,
  floatingTimeOfDay,
  isDateString,
  isDateTime,
  isTimeOfDay,
  isTimeZone,
} from './calendar.ts';
import { expandCareNeeds, type RecurringRule } from './recurring.ts';

type Obj = Record<string, unknown>;
type Add = (code: InputIssue['code'], where: string, message: string) => void;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Minimum rest between two working days when a nurse's contract does not say (11 h, in minutes). */
export const DEFAULT_MIN_REST_MINUTES = 11 * 60;

export interface ResolvedTimes {
  problem: Obj;
  calendar: Calendar | null;
  broken?: true;
  /** Pointers of generated visits and dependencies, and the care need each came from. */
  origins: Map<string, string>;
  /** The recurring needs' rules, for the checker. */
  rules?: RecurringRule[];
}

/**
 * Turns a problem's calendar notation into numbers on its time axis (docs/calendar.md): every
 * time field may be a number (kept exactly), a time of day (`08:00`) on its context day, or a
 * local date-time (`2026-12-07T08:00`); in a horizon of several days a nurse's `shift` and
 * `breaks` given as times of day repeat every day (her `shifts`: shift k on day k). Returns the
 * problem unchanged when nothing needed converting, else a copy; issues name each bad field.
 */
export function resolveTimes(raw: Obj, add: Add, maxVisits = Infinity): ResolvedTimes {
  let broken = false;
  const calendar = readCalendar(raw, (code, where, message) => {
    broken = true;
    add(code, where, message);
  });
  // Wrong calendar fields: nothing else can be read on the time axis.
  if (broken) return { problem: raw, calendar: null, broken: true, origins: new Map() };
  const unit = raw.timeUnit === 'second' ? 'second' : 'minute';
  const dayLength = unit === 'second' ? 86_400 : 1_440;
  const several = calendar !== null && calendar.days > 1;

  /** A time field on context day `day` (null: no context date given). */
  const time = (x: unknown, at: string, day: number | null): unknown => {
    if (typeof x !== 'string') return x;
    if (isTimeOfDay(x)) {
      if (calendar === null) return floatingTimeOfDay(x, unit) ?? bad(x);
      if (day === null) {
        add(
          'E_MISSING',
          at,
          `'${x}' is a time of day: in a horizon of several days give a date-time, or a date on the object`,
        );
        return x;
      }
      return calendar.timeOfDay(day, x) ?? bad(x);
    }
    if (isDateTime(x)) {
      if (calendar === null) {
        add('E_MISSING', at, `'${x}' is a date-time: give the problem a /date or a /horizon`);
        return x;
      }
      return calendar.dateTime(x) ?? bad(x);
    }
    return bad(x);
  };
  // Any other string is left for the numeric checks to report where they always have.
  const bad = (x: string): string => x;
  /** A window's start and end; an end before its start given as times of day is on the next day. */
  const window = (w: unknown, at: string, day: number | null): unknown => {
    if (!isObj(w)) return w;
    const start = time(w.start, `${at}/start`, day);
    let end = time(w.end, `${at}/end`, day);
    if (
      isTimeOfDay(w.start) &&
      isTimeOfDay(w.end) &&
      typeof start === 'number' &&
      typeof end === 'number' &&
      end < start
    )
      end = calendar === null || day === null ? end + dayLength : time(w.end, `${at}/end`, day + 1);
    return start === w.start && end === w.end ? w : { ...w, start, end };
  };
  /** The context day of an object: its `date` when given, else the first day of a one-day horizon. */
  const contextDay = (o: Obj, at: string): number | null => {
    if (o.date === undefined) return several ? null : 0;
    if (calendar === null) {
      add('E_MISSING', `${at}/date`, 'a date needs the problem to have a /date or a /horizon');
      return null;
    }
    const d = calendar.dayIndex(String(o.date));
    if (d === null) {
      add('E_FORMAT', `${at}/date`, 'must be a date YYYY-MM-DD');
      return null;
    }
    return d;
  };
  const list = <T>(x: unknown, f: (item: unknown, k: number) => T): unknown => {
    if (!Array.isArray(x)) return x;
    let changed = false;
    const out = x.map((item, k) => {
      const y = f(item, k);
      if (y !== item) changed = true;
      return y;
    });
    return changed ? out : x;
  };
  const breaks = (x: unknown, at: string, day: number | null): unknown =>
    list(x, (b, k) => {
      if (!isObj(b)) return b;
      const w = window(b.window, `${at}/${k}/window`, day);
      return w === b.window ? b : { ...b, window: w };
    });

  let shiftCount = 0;
  const nurses = list(raw.nurses, (n, i) => {
    if (!isObj(n)) return n;
    const at = `/nurses/${i}`;
    const out: Obj = { ...n };
    const day = contextDay({}, at);
    checkDaysOff(n, at, calendar, add);
    if (n.shift !== undefined && n.shifts !== undefined)
      add('E_CONFLICT', `${at}/shifts`, 'give shift (one day, or every day) or shifts, not both');
    const template =
      several &&
      isObj(n.shift) &&
      isTimeOfDay(n.shift.start) &&
      isTimeOfDay(n.shift.end) &&
      n.shifts === undefined;
    if (template) {
      // A daily shift: one per day of the horizon but her days off, each with her daily breaks.
      const shift = n.shift as Obj;
      const shifts: Obj[] = [];
      for (let d = 0; d < calendar.days; d++) {
        const w = window(shift, `${at}/shift`, d) as Obj;
        const dayBreaks = breaks(n.breaks, `${at}/breaks`, d);
        shifts.push({
          date: calendar.dateOfDay(d),
          start: w.start,
          end: w.end,
          ...(Array.isArray(dayBreaks) && {
            breaks: dayBreaks.map((b: unknown, k) =>
              isObj(b)
                ? { ...b, id: `${String(b.id ?? `${String(n.id)}-break-${k}`)}@${calendar.dateOfDay(d)}` }
                : b,
            ),
          }),
        });
      }
      delete out.shift;
      delete out.breaks;
      out.shifts = shifts;
      shiftCount += shifts.length;
    } else {
      out.shift = window(n.shift, `${at}/shift`, day);
      out.breaks = breaks(n.breaks, `${at}/breaks`, day);
      if (Array.isArray(n.shifts)) {
        const kept: unknown[] = [];
        n.shifts.forEach((s: unknown, k: number) => {
          const sAt = `${at}/shifts/${k}`;
          if (!isObj(s)) return kept.push(s);
          const d = contextDay(s, sAt);
          const w = window(s, sAt, d) as Obj;
          const b = breaks(s.breaks, `${sAt}/breaks`, d);
          kept.push({ ...s, start: w.start, end: w.end, ...(b !== undefined && { breaks: b }) });
        });
        out.shifts = kept;
        shiftCount += kept.length;
      }
    }
    out.unavailable = list(n.unavailable, (u, k) => window(u, `${at}/unavailable/${k}`, day));
    if (isObj(n.position)) {
      const t = time(n.position.time, `${at}/position/time`, day);
      if (t !== n.position.time) out.position = { ...n.position, time: t };
    }
    for (const key of Object.keys(out)) if (out[key] === undefined && n[key] === undefined) delete out[key];
    return Object.keys(out).every((key) => out[key] === n[key]) && Object.keys(n).every((key) => key in out)
      ? n
      : out;
  });

  const visits = list(raw.visits, (v, i) => {
    if (!isObj(v)) return v;
    const at = `/visits/${i}`;
    const day = contextDay(v, at);
    const out: Obj = { ...v };
    out.timeWindows = list(v.timeWindows, (w, k) => window(w, `${at}/timeWindows/${k}`, day));
    out.preferredWindow = window(v.preferredWindow, `${at}/preferredWindow`, day);
    for (const key of ['pinned', 'frozen'] as const) {
      const p = v[key];
      if (!isObj(p)) continue;
      const t = time(p.start, `${at}/${key}/start`, day);
      if (t !== p.start) out[key] = { ...p, start: t };
    }
    return Object.keys(v).every((key) => out[key] === v[key]) ? v : out;
  });

  if (shiftCount > 20_000)
    add('E_LIMIT', '/nurses', `has ${shiftCount} shifts over the horizon; at most 20000 are accepted`);
  // Patients that are not a list are reported by validation, and read no further.
  if (!Array.isArray(raw.patients)) {
    if (nurses === raw.nurses && visits === raw.visits) return { problem: raw, calendar, origins: new Map() };
    return { problem: { ...raw, nurses, visits }, calendar, origins: new Map() };
  }
  return { ...withPatients({ ...raw, nurses, visits }, calendar, unit, add, maxVisits), calendar };
}

/**
 * The patients' part (docs/calendar.md, "Patients"): their recurring needs expanded into visits
 * and dependencies (recurring.ts), and every visit of a listed patient given the patient's
 * excluded nurses and, as known nurses, her preferred nurses and `history`. The patients stay,
 * without their `care`, so that a resolved problem resolves to itself. `origins` maps each
 * generated visit and dependency pointer to the need it came from.
 */
function withPatients(
  raw: Obj,
  calendar: Calendar | null,
  unit: 'minute' | 'second',
  add: Add,
  maxVisits: number,
): { problem: Obj; origins: Map<string, string>; rules: RecurringRule[] } {
  const origins = new Map<string, string>();
  const own = Array.isArray(raw.visits) ? raw.visits : [];
  const expanded = expandCareNeeds(raw.patients, calendar, add, unit, maxVisits - own.length);
  const deps = Array.isArray(raw.dependencies) ? raw.dependencies : [];
  const needOf = new Map(expanded.rules.flatMap((r) => r.periods.flat().map((id) => [id, r.at] as const)));
  const needPath = (v: Obj) => needOf.get(String(v.id)) ?? '/patients';
  expanded.visits.forEach((v, k) => origins.set(`/visits/${own.length + k}`, needPath(v)));
  expanded.dependencies.forEach((d, k) =>
    origins.set(`/dependencies/${deps.length + k}`, needPath({ id: d.after })),
  );
  const patients = new Map<unknown, Obj>();
  if (Array.isArray(raw.patients)) for (const p of raw.patients) if (isObj(p)) patients.set(p.id, p);
  const union = (a: unknown, ...more: unknown[]): unknown => {
    const lists = [a, ...more].filter((x) => Array.isArray(x)) as unknown[][];
    if (lists.length <= 1) return lists[0] ?? a;
    return [...new Set(lists.flat())];
  };
  const visits = [...own, ...expanded.visits].map((v: unknown) => {
    if (!isObj(v)) return v;
    const p = patients.get(v.patient ?? v.id);
    if (p === undefined) return v;
    const out: Obj = { ...v };
    const excluded = union(v.excludedNurses, p.excludedNurses);
    const known = union(v.preferredNurses, p.preferredNurses, p.history);
    if (excluded !== undefined) out.excludedNurses = excluded;
    if (known !== undefined) out.preferredNurses = known;
    if (v.patient === undefined) out.patient = p.id;
    return out;
  });
  const problem: Obj = {
    ...raw,
    visits,
    ...(expanded.dependencies.length > 0 && { dependencies: [...deps, ...expanded.dependencies] }),
    patients: (raw.patients as unknown[]).map((p) => {
      if (!isObj(p) || p.care === undefined) return p;
      const { care: _care, ...rest } = p;
      void _care;
      return rest;
    }),
  };
  return { problem, origins, rules: expanded.rules };
}

/** The calendar fields, checked; null when the problem has none or they are wrong (issues added). */
function readCalendar(raw: Obj, add: Add): Calendar | null {
  let ok = true;
  if (raw.timeZone !== undefined && !isTimeZone(raw.timeZone)) {
    add('E_FORMAT', '/timeZone', `must be an IANA time zone such as 'Europe/Paris'`);
    ok = false;
  }
  if (raw.date !== undefined && raw.horizon !== undefined) {
    add('E_CONFLICT', '/horizon', 'give date (one day) or horizon, not both');
    return null;
  }
  if (raw.date !== undefined && !isDateString(raw.date)) {
    add('E_FORMAT', '/date', 'must be a date YYYY-MM-DD');
    return null;
  }
  if (raw.horizon !== undefined) {
    const h = raw.horizon;
    if (!isObj(h)) {
      add('E_TYPE', '/horizon', 'must be an object {start, days}');
      return null;
    }
    if (!isDateString(h.start)) {
      add('E_FORMAT', '/horizon/start', 'must be a date YYYY-MM-DD');
      ok = false;
    }
    if (!(Number.isInteger(h.days) && (h.days as number) >= 1 && (h.days as number) <= MAX_HORIZON_DAYS)) {
      add('E_RANGE', '/horizon/days', `must be an integer from 1 to ${MAX_HORIZON_DAYS}`);
      ok = false;
    }
  }
  if (!ok) return null;
  return Calendar.of({
    timeZone: raw.timeZone as string | undefined,
    date: raw.date as string | undefined,
    horizon: raw.horizon as { start: string; days: number } | undefined,
    timeUnit: raw.timeUnit === 'second' ? 'second' : 'minute',
  });
}

/** A nurse's days off: dates, in a problem with a calendar (her shifts on them are not worked). */
function checkDaysOff(n: Obj, at: string, calendar: Calendar | null, add: Add): void {
  const contract = n.contract;
  if (!isObj(contract) || contract.daysOff === undefined) return;
  if (!Array.isArray(contract.daysOff))
    return add('E_TYPE', `${at}/contract/daysOff`, 'must be an array of dates YYYY-MM-DD');
  if (calendar === null)
    return add(
      'E_MISSING',
      `${at}/contract/daysOff`,
      'days off need the problem to have a /date or a /horizon',
    );
  contract.daysOff.forEach((d: unknown, k: number) => {
    if (typeof d !== 'string' || calendar.dayIndex(d) === null)
      add('E_FORMAT', `${at}/contract/daysOff/${k}`, 'must be a date YYYY-MM-DD');
  });
}

/** The recurring needs' rules of a problem as given (none once resolved: its needs are visits then). */
export function recurringRules(raw: unknown): RecurringRule[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  return resolveTimes(raw as Obj, () => {}).rules ?? [];
}
