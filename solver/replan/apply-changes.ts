import type {
  DependencyInput,
  LocationInput,
  NurseInput,
  ProblemInput,
  ShiftInput,
  SyncGroupInput,
  VisitInput,
} from '../model/input.ts';
import type { ValidateOptions } from '../model/limits.ts';
import { validateProblem } from '../model/validate.ts';
import { resolveChangeTimes } from './change-times.ts';
import { InputError } from '../model/errors.ts';
import { Travel } from '../model/travel.ts';
import { findChangesIssues } from './validate-changes.ts';
import type { Plan } from '../model/plan.ts';

/** What changed since a plan was made (docs/problem-format.md, "Re-planning during the day"); times as numbers or, like the problem's, date-times (docs/calendar.md). */
export interface DayChanges<T = number | string> {
  /** The time now: visits started before it are done or under way, and nothing new starts before it. */
  now?: T;
  /** Nurses who stop (fall ill, are called away) from `from` (default: now) until `to` (default: the end of the horizon). */
  absentNurses?: { nurse: string; from?: T; to?: T }[];
  /** Visits to add (an urgent visit), in the native format. */
  newVisits?: VisitInput[];
  /** Visits that will not take place. */
  cancelledVisits?: string[];
  /** A visit under way that runs longer: it ends at `end`. */
  overruns?: { visit: string; end: T }[];
  /**
   * Where a nurse is now (she was already at the next patient's door), and from when she is free
   * (default: now, or the end of her visit under way when later): her day goes on from there.
   */
  positions?: { nurse: string; location: LocationInput; time?: T }[];
  /** A coordinator's decision: this visit goes to this nurse, at exactly `start` when given (the visit's `pinned`). */
  pins?: { visit: string; nurse: string; start?: T }[];
}

/**
 * The problem of a re-plan: the previous problem and its plan, with the changes applied. Stops
 * that started before `now` become frozen (an overrun lengthens its care for that nurse); each
 * nurse goes on from where her frozen stops leave her and not before now; an absent nurse's day
 * ends when she stops (her later visits go to others); cancelled visits and the rules naming
 * them go; new visits join; the previous plan is attached so that the new one changes little.
 * Changes naming a nurse or a visit that is not there are refused: an InputError with a pointer
 * into the changes for each (findChangesIssues).
 */
export function applyChanges(
  given: ProblemInput,
  plan: Plan,
  asGiven: DayChanges,
  options: ValidateOptions = {},
): ProblemInput {
  // The problem as the solver reads it (times as numbers, recurring care as visits), under the
  // caller's limits, and the changes' times on the same axis.
  const problem = validateProblem(given, options);
  const resolved = resolveChangeTimes(problem, asGiven);
  const changes = resolved.changes;
  const issues = [...resolved.issues, ...findChangesIssues(problem, plan, changes)];
  if (issues.length > 0) throw new InputError(issues);
  const now = changes.now ?? -Infinity;
  const cancelled = new Set(changes.cancelledVisits ?? []);
  const overrun = new Map((changes.overruns ?? []).map((o) => [o.visit, o.end]));
  const pins = new Map((changes.pins ?? []).map((p) => [p.visit, p]));
  const pin = (v: VisitInput): VisitInput => {
    const p = pins.get(v.id);
    return p === undefined
      ? v
      : { ...v, pinned: { nurse: p.nurse, ...(p.start !== undefined && { start: p.start }) } };
  };
  const started = new Map<string, { nurse: string; start: number }>();
  for (const route of plan.routes)
    for (const stop of route.stops)
      if (stop.start < now || overrun.has(stop.visit))
        started.set(stop.visit, { nurse: route.vehicle, start: stop.start });

  const visits: VisitInput[] = [];
  for (const v of problem.visits) {
    if (cancelled.has(v.id) && !started.has(v.id)) continue;
    const s = started.get(v.id);
    if (s === undefined) {
      // Nothing new starts in the past: windows are cut at now. A visit whose windows have all
      // passed keeps its last one: no nurse is free before now, so it is left out (a window
      // [now, now] could lie after every shift, and the problem would be refused).
      const windows = v.timeWindows
        ?.map((w) => ({ start: Math.max(w.start, now), end: w.end }))
        .filter((w) => w.start <= w.end);
      visits.push(
        pin(
          windows === undefined
            ? { ...v }
            : {
                ...v,
                timeWindows:
                  windows.length > 0
                    ? windows
                    : [v.timeWindows!.reduce((a, w) => (w.end > a.end ? w : a))].map((w) => ({ ...w })),
              },
        ),
      );
      continue;
    }
    const { pinned: _pinned, ...rest } = v;
    void _pinned;
    const end = overrun.get(v.id);
    visits.push({
      ...rest,
      frozen: { nurse: s.nurse, start: s.start },
      ...(end !== undefined && { durationByNurse: { ...v.durationByNurse, [s.nurse]: end - s.start } }),
    });
  }
  // A loop, not push(...): a spread of 200,000 arguments overflows the stack.
  for (const v of changes.newVisits ?? []) visits.push(pin(v));
  const kept = new Set(visits.map((v) => v.id));

  // Frozen visits by nurse, indexed once (not every visit scanned for every nurse).
  const frozenBy = new Map<string, VisitInput[]>();
  for (const v of visits) {
    if (v.frozen === undefined) continue;
    const list = frozenBy.get(v.frozen.nurse);
    if (list === undefined) frozenBy.set(v.frozen.nurse, [v]);
    else list.push(v);
  }
  const absent = new Map((changes.absentNurses ?? []).map((a) => [a.nurse, a.from ?? now]));
  const absentUntil = new Map((changes.absentNurses ?? []).map((a) => [a.nurse, a.to ?? Infinity]));
  const told = new Map((changes.positions ?? []).map((p) => [p.nurse, p]));
  let travel: Travel | undefined;
  // Breaks begun before now in the plan were taken: they leave the problem, like days gone by.
  const taken = new Set<string>();
  for (const route of plan.routes)
    for (const b of route.breaks ?? []) if (b.start < now) taken.add(`${route.vehicle}\u0000${b.id}`);
  const nurses = problem.nurses.map((given): NurseInput => {
    const n = withoutTakenBreaks(given, taken);
    // Where she goes on from: the first of her frozen visits to end last, or the position she
    // was given, when later.
    let lastEnd = -Infinity;
    let last: LocationInput | undefined;
    for (const v of frozenBy.get(n.id) ?? []) {
      const end = v.frozen!.start + (v.durationByNurse?.[n.id] ?? v.duration ?? 0);
      if (end > lastEnd || (last === undefined && end === lastEnd)) {
        lastEnd = end;
        last = v.location;
      }
    }
    if (n.position !== undefined && (last === undefined || n.position.time > lastEnd))
      [lastEnd, last] = [n.position.time, n.position.location];
    // Where she is now, as the changes tell: free from the time given (never before her visit under way ends).
    const where = told.get(n.id);
    if (where !== undefined) {
      last = where.location;
      if (where.time !== undefined) lastEnd = Math.max(lastEnd, where.time);
    }
    const stop = absent.get(n.id);
    if (n.shifts !== undefined)
      return replanNurseDays(
        n,
        stop,
        absentUntil.get(n.id) ?? Infinity,
        lastEnd,
        last,
        now,
        where !== undefined,
        (frozenBy.get(n.id) ?? []).map((v) => ({
          start: v.frozen!.start,
          end: v.frozen!.start + (v.durationByNurse?.[n.id] ?? v.duration ?? 0),
        })),
      );
    const shift = n.shift ?? { start: 0, end: Infinity };
    // An absence cuts her shift where she stops (never later than it ended already, never
    // before the visit under way ends); her day ends open, without overtime.
    const nurse: NurseInput =
      stop === undefined
        ? { ...n }
        : {
            ...n,
            shift: { start: shift.start, end: Math.max(shift.start, Math.min(stop, shift.end), lastEnd) },
            end: null,
            overtime: undefined,
          };
    const here = last ?? n.start;
    const shiftEnd = nurse.shift?.end ?? Infinity;
    // The latest she can leave where she is and still end her day within her shift.
    let home = 0;
    if (nurse.end !== null && Number.isFinite(shiftEnd)) {
      travel ??= new Travel(problem);
      home = travel.duration(travel.profileIndex(nurse.profile), here, nurse.end ?? nurse.start);
    }
    const latest = shiftEnd + (nurse.overtime?.max ?? 0) - home;
    // She is free from now, or once her visit under way ends; but never later than she must
    // leave to end her day within her shift (an absence, the end of her shift before now): no
    // new work fits then, and her frozen visits stay within her day.
    const free = Math.max(lastEnd, Math.min(now, latest));
    if (where !== undefined)
      nurse.position = { location: here, time: Number.isFinite(free) ? free : shift.start };
    else if (Number.isFinite(free) && free > shift.start) nurse.position = { location: here, time: free };
    if (nurse.overtime === undefined) delete nurse.overtime;
    return nurse;
  });

  const syncGroups: SyncGroupInput[] = (problem.syncGroups ?? []).filter((g) =>
    g.visits.every((id) => kept.has(id)),
  );
  const dependencies: DependencyInput[] = (problem.dependencies ?? []).filter(
    (d) => kept.has(d.before) && kept.has(d.after),
  );
  return {
    ...problem,
    nurses,
    visits,
    syncGroups,
    dependencies,
    previousPlan: {
      routes: plan.routes.map((r) => ({
        vehicle: r.vehicle,
        stops: r.stops.map((s) => ({ visit: s.visit, start: s.start })),
      })),
    },
  };
}

/** A nurse without the breaks (and unavailable periods) she already took. */
function withoutTakenBreaks(n: NurseInput, taken: ReadonlySet<string>): NurseInput {
  if (taken.size === 0) return n;
  const keep = <T extends { id?: string }>(list: T[] | undefined, name: (k: number) => string) => {
    if (list === undefined) return undefined;
    const kept = list.filter((b, k) => !taken.has(`${n.id}\u0000${b.id ?? name(k)}`));
    // Ids by position must not shift: name the ones kept that had none.
    return kept.length === list.length
      ? list
      : list.flatMap((b, k) => (kept.includes(b) ? [{ ...b, id: b.id ?? name(k) }] : []));
  };
  const out: NurseInput = { ...n };
  if (n.breaks !== undefined) out.breaks = keep(n.breaks, (k) => `${n.id}-break-${k}`);
  if (n.unavailable !== undefined) out.unavailable = keep(n.unavailable, (k) => `${n.id}-unavailable-${k}`);
  if (n.shifts !== undefined)
    out.shifts = n.shifts.map((s, j) =>
      s.breaks === undefined ? s : { ...s, breaks: keep(s.breaks, (k) => `${n.id}-break-${j}-${k}`) },
    );
  return out;
}

/**
 * A nurse with several shifts (nurse-days) in a re-plan: absent from `from` to `to`, the shifts
 * inside the absence go, the one she stops in ends where she stops (open end, no overtime,
 * never before her visit under way ends) and the one she comes back in starts when she does.
 * Where she is applies to the shift holding that time (docs/calendar.md); nothing of hers starts
 * before now or before her frozen visits end.
 */
function replanNurseDays(
  n: NurseInput,
  from: number | undefined,
  to: number,
  lastEnd: number,
  last: LocationInput | undefined,
  now: number,
  told: boolean,
  frozen: { start: number; end: number }[],
): NurseInput {
  const shifts: ShiftInput[] = [];
  // A shift cut short keeps only the breaks that still fit in it.
  const within = (s: ShiftInput): ShiftInput => {
    if (s.breaks === undefined) return s;
    const breaks = s.breaks.filter(
      (b) => Math.max(b.window.start, s.start) + b.duration <= Math.min(b.window.end, s.end),
    );
    return breaks.length === s.breaks.length ? s : { ...s, breaks };
  };
  for (const s of n.shifts!) {
    if (from === undefined || s.end <= from || s.start >= to) {
      shifts.push(s);
      continue;
    }
    // Work already done or under way in this shift stays, and ends her day there at the earliest.
    const doneBy = Math.max(
      -Infinity,
      ...frozen.filter((f) => f.start >= s.start && f.start <= s.end).map((f) => f.end),
    );
    if (s.start >= from && s.end <= to) {
      // Absent all day: the shift goes, unless it holds such work.
      if (doneBy > -Infinity) shifts.push(within({ ...s, end: doneBy, openEnd: true, overtime: { max: 0 } }));
      continue;
    }
    if (s.start < from)
      // She stops in this shift: it ends where she stops (or her visit under way ends).
      shifts.push(
        within({ ...s, end: Math.max(s.start, from, doneBy), openEnd: true, overtime: { max: 0 } }),
      );
    else shifts.push(within({ ...s, start: to })); // back in the course of this shift
  }
  const free = Math.max(lastEnd, now);
  const nurse: NurseInput = { ...n, shifts };
  if (Number.isFinite(free) && (told || free > (shifts[0]?.start ?? -Infinity)))
    nurse.position = { location: last ?? n.start, time: free };
  return nurse;
}

/** What a new version changed against the previous one: visits moved to another nurse, retimed, added, dropped. */
export interface PlanChanges {
  moved: { visit: string; from: string; to: string }[];
  retimed: { visit: string; from: number; to: number }[];
  added: string[];
  removed: string[];
}

export function diffPlans(before: Plan, after: Plan, minShift = 1): PlanChanges {
  const index = (p: Plan) => {
    const m = new Map<string, { nurse: string; start: number }>();
    for (const r of p.routes) for (const s of r.stops) m.set(s.visit, { nurse: r.vehicle, start: s.start });
    return m;
  };
  const a = index(before);
  const b = index(after);
  const out: PlanChanges = { moved: [], retimed: [], added: [], removed: [] };
  for (const [visit, now] of b) {
    const was = a.get(visit);
    if (was === undefined) out.added.push(visit);
    else if (was.nurse !== now.nurse) out.moved.push({ visit, from: was.nurse, to: now.nurse });
    else if (Math.abs(was.start - now.start) >= minShift)
      out.retimed.push({ visit, from: was.start, to: now.start });
  }
  for (const visit of a.keys()) if (!b.has(visit)) out.removed.push(visit);
  return out;
}
