import { Calendar } from '../calendar/calendar.ts';
import type { NurseInput, ProblemInput, ShiftInput, TimeWindowInput } from '../model/input.ts';
import type { RecurringRule } from '../calendar/recurring.ts';
import type { Plan, PlanRoute } from '../model/plan.ts';

/**
 * The checker's rules over a horizon of several days (docs/calendar.md), read from the
 * documentation: which shift a route is, the breaks each nurse-day owes, days off, contract
 * hours, rest between working days and consecutive working days, and each route's date.
 */
export type HorizonViolationCode =
  'day_off' | 'contract_hours' | 'rest' | 'consecutive_days' | 'route_date' | 'max_nurses' | 'recurring';

type Add = (code: HorizonViolationCode, message: string, vehicle?: string, visit?: string) => void;

/** Documented default least rest between two working days: 11 hours. */
const DEFAULT_REST_HOURS = 11;

/** The shift a route works: her `shift` (or none), or `shifts[route.shift]`; undefined for an unknown index. */
export function routeShift(
  nurse: NurseInput,
  route: PlanRoute,
): (TimeWindowInput & Pick<ShiftInput, 'overtime'>) | undefined {
  if (nurse.shifts === undefined) return nurse.shift;
  const k = route.shift;
  return k !== undefined && Number.isInteger(k) && k >= 0 && k < nurse.shifts.length
    ? nurse.shifts[k]
    : undefined;
}

/** The day a time falls on: the calendar's local day, else whole days of 24 h from time 0. */
function dayOf(input: ProblemInput, calendar: Calendar | null, t: number): number {
  if (!Number.isFinite(t)) return 0;
  if (calendar !== null) return calendar.dayOf(t);
  return Math.floor(t / (input.timeUnit === 'second' ? 86_400 : 1_440));
}

/** Indices of a nurse's shifts she works (not on a day off), in time order. */
function workedShifts(input: ProblemInput, nurse: NurseInput): number[] {
  const calendar = Calendar.of(input);
  const off = new Set((nurse.contract?.daysOff ?? []).map((d) => calendar?.dayIndex(d)));
  const shifts = nurse.shifts ?? [];
  return shifts
    .map((_, j) => j)
    .filter((j) => !off.has(dayOf(input, calendar, shifts[j].start)))
    .sort((a, b) => shifts[a].start - shifts[b].start);
}

/** The shift whose route starts from her `position`: her only one, or the worked shift holding its time (-1: none). */
export function positionShift(nurse: NurseInput, input?: ProblemInput): number {
  if (nurse.shifts === undefined || nurse.position === undefined || input === undefined) return 0;
  const t = nurse.position.time;
  return (
    workedShifts(input, nurse).find((j) => nurse.shifts![j].start <= t && t <= nurse.shifts![j].end) ?? -1
  );
}

/**
 * The breaks and unavailable periods a route owes, by id: with one shift all of hers; with
 * several, the shift's own breaks, each of her breaks in the first worked shift it meets, and
 * each unavailable period cut to every worked shift it meets (its id, then `id@k` after the first).
 */
export function expectedBreaks(
  input: ProblemInput,
  nurse: NurseInput,
  route: PlanRoute,
): Map<string, { duration: number; start: number; end: number }> {
  const out = new Map<string, { duration: number; start: number; end: number }>();
  const own = (nurse.breaks ?? []).map((b, k) => ({
    id: b.id ?? `${nurse.id}-break-${k}`,
    duration: b.duration,
    ...b.window,
  }));
  const away = (nurse.unavailable ?? []).map((u, k) => ({
    id: u.id ?? `${nurse.id}-unavailable-${k}`,
    start: u.start,
    end: u.end,
  }));
  if (nurse.shifts === undefined) {
    for (const b of own) out.set(b.id, { duration: b.duration, start: b.start, end: b.end });
    for (const u of away) out.set(u.id, { duration: u.end - u.start, start: u.start, end: u.end });
    return out;
  }
  const shifts: ShiftInput[] = nurse.shifts;
  const taken = new Set<string>();
  for (const j of workedShifts(input, nurse)) {
    const w = shifts[j];
    const mine = j === route.shift;
    if (mine)
      (w.breaks ?? []).forEach((b, i) =>
        out.set(b.id ?? `${nurse.id}-break-${j}-${i}`, { duration: b.duration, ...b.window }),
      );
    for (const b of own)
      if (!taken.has(b.id) && b.start < w.end && b.end > w.start) {
        taken.add(b.id);
        if (mine) out.set(b.id, { duration: b.duration, start: b.start, end: b.end });
      }
    for (const u of away) {
      const start = Math.max(u.start, w.start);
      const end = Math.min(u.end, w.end);
      if (start >= end) continue;
      const id = taken.has(u.id) ? `${u.id}@${j}` : u.id;
      taken.add(u.id);
      if (mine) out.set(id, { duration: end - start, start, end });
    }
  }
  return out;
}

export function checkHorizonRules(
  input: ProblemInput,
  plan: Plan,
  add: Add,
  num: (x: number) => string,
): void {
  const calendar = Calendar.of(input);
  const nurses = new Map(input.nurses.map((n) => [n.id, n]));
  const byNurse = new Map<string, { day: number; start: number; end: number }[]>();
  for (const route of plan.routes) {
    const nurse = nurses.get(route.vehicle);
    if (nurse === undefined) continue;
    const shift = routeShift(nurse, route);
    const day = dayOf(input, calendar, shift?.start ?? route.departure);
    if (calendar !== null && route.date !== undefined && route.date !== calendar.dateOfDay(day))
      add(
        'route_date',
        `the route says ${route.date}, but its shift is on ${calendar.dateOfDay(day)}`,
        nurse.id,
      );
    if (route.stops.length === 0) continue;
    const off = (nurse.contract?.daysOff ?? []).find((d) => calendar?.dayIndex(d) === day);
    if (off !== undefined) add('day_off', `works on ${off}, one of her days off`, nurse.id);
    const list = byNurse.get(nurse.id) ?? [];
    list.push({ day, start: route.departure, end: route.return });
    byNurse.set(nurse.id, list);
  }
  const unit = input.timeUnit === 'second' ? 3600 : 60;
  for (const [id, days] of byNurse) {
    const nurse = nurses.get(id)!;
    const c = nurse.contract ?? {};
    const total = days.reduce((sum, d) => sum + (d.end - d.start), 0);
    if (c.maxWorkingTime !== undefined && total > c.maxWorkingTime + 1e-6 * Math.max(1, total))
      add(
        'contract_hours',
        `works ${num(total)} over the horizon, more than her contract's ${num(c.maxWorkingTime)}`,
        id,
      );
    const shiftDays = new Set((nurse.shifts ?? []).map((s) => dayOf(input, calendar, s.start)));
    const minRest = c.minRest ?? (shiftDays.size > 1 ? DEFAULT_REST_HOURS * unit : 0);
    // Working days in order, each from her first departure to her last return.
    const perDay = new Map<number, { start: number; end: number }>();
    for (const d of days) {
      const x = perDay.get(d.day);
      perDay.set(
        d.day,
        x === undefined
          ? { start: d.start, end: d.end }
          : { start: Math.min(x.start, d.start), end: Math.max(x.end, d.end) },
      );
    }
    const order = [...perDay.keys()].sort((a, b) => a - b);
    let run = 0;
    order.forEach((day, k) => {
      run = k > 0 && order[k - 1] === day - 1 ? run + 1 : 1;
      if (c.maxConsecutiveDays !== undefined && run === c.maxConsecutiveDays + 1)
        add('consecutive_days', `works more than ${c.maxConsecutiveDays} days in a row`, id);
      if (k === 0) return;
      const rest = perDay.get(day)!.start - perDay.get(order[k - 1])!.end;
      if (rest < minRest - 1e-6 * Math.max(1, minRest))
        add('rest', `rests ${num(rest)} before day ${day}, less than ${num(minRest)}`, id);
    });
  }
}

/**
 * Patients' caps on distinct nurses, and the spacing of recurring care read back from the
 * problem as given (the same expansion that made its visits): the planned visits of a weekly
 * need fall on days at least `minDaysApart` apart; those of a daily need on their day, within
 * `minGap` and `maxGap` of each other.
 */
export function checkPatientRules(
  input: ProblemInput,
  rules: readonly RecurringRule[],
  plan: Plan,
  add: Add,
  num: (x: number) => string,
): void {
  const calendar = Calendar.of(input);
  const at = new Map<string, { nurse: string; start: number }>();
  for (const route of plan.routes)
    for (const s of route.stops) at.set(s.visit, { nurse: route.vehicle, start: s.start });
  const seen = new Map<string, Set<string>>();
  for (const v of input.visits) {
    const a = at.get(v.id);
    if (a === undefined) continue;
    const p = v.patient ?? v.id;
    seen.set(p, (seen.get(p) ?? new Set()).add(a.nurse));
  }
  for (const p of input.patients ?? []) {
    const n = seen.get(p.id)?.size ?? 0;
    if (p.maxNurses !== undefined && n > p.maxNurses)
      add('max_nurses', `patient '${p.id}' sees ${n} nurses, more than her limit of ${p.maxNurses}`);
  }
  for (const rule of rules)
    for (const period of rule.periods) {
      // A week's planned visits in time order (any two days apart); a day's visits one after
      // the other as listed, where both are planned.
      const all = period.map((id) => ({ id, ...at.get(id) }));
      const planned = all
        .filter((x): x is { id: string; nurse: string; start: number } => x.start !== undefined)
        .sort((a, b) => a.start - b.start);
      const pairs =
        rule.per === 'week'
          ? planned.slice(1).map((b, k) => [planned[k], b] as const)
          : all
              .slice(1)
              .map((b, k) => [all[k], b] as const)
              .filter((p): p is readonly [(typeof planned)[number], (typeof planned)[number]] =>
                p.every((x) => x.start !== undefined),
              );
      for (const [a, b] of pairs) {
        const where = `${rule.patient}'s ${rule.need}`;
        if (rule.per === 'week') {
          const gap = dayOf(input, calendar, b.start) - dayOf(input, calendar, a.start);
          if (gap < Math.max(1, rule.minDaysApart) && rule.minDaysApart > 0)
            add(
              'recurring',
              `${where}: '${a.id}' and '${b.id}' are ${gap} days apart, fewer than ${rule.minDaysApart}`,
              b.nurse,
              b.id,
            );
        } else {
          const gap = b.start - a.start;
          const tol = 1e-6 * Math.max(1, Math.abs(b.start));
          if (
            (rule.minGap !== undefined && gap < rule.minGap - tol) ||
            (rule.maxGap !== undefined && gap > rule.maxGap + tol)
          )
            add(
              'recurring',
              `${where}: '${b.id}' starts ${num(gap)} after '${a.id}', outside [${num(rule.minGap ?? 0)}, ${num(rule.maxGap ?? Infinity)}]`,
              b.nurse,
              b.id,
            );
          if (dayOf(input, calendar, a.start) !== dayOf(input, calendar, b.start))
            add('recurring', `${where}: '${a.id}' and '${b.id}' are not on the same day`, b.nurse, b.id);
        }
      }
    }
}
