import type { NurseInput, ProblemInput, VisitInput } from '../model/input.ts';
import { countsDistinctNurses, resolveWeights } from '../model/weights.ts';
import type { Plan, PlanRoute, PlanStop } from '../model/plan.ts';
import { expectedBreaks, routeShift } from './check-horizon.ts';

/**
 * The checker's home-care rules, read from the format's documentation like the rest of the
 * checker: who may do a visit, sync groups, dependencies, visit and working-time limits, and
 * the weighted objective's terms recomputed from the plan's times.
 */
export type CareViolationCode =
  | 'skills'
  | 'excluded_nurse'
  | 'required_nurse'
  | 'sync'
  | 'sync_nurses'
  | 'dependency'
  | 'dependency_nurses'
  | 'max_visits'
  | 'working_time'
  | 'break'
  | 'break_missing'
  | 'frozen'
  | 'position'
  | 'pinned';

type Add = (code: CareViolationCode, message: string, vehicle?: string, visit?: string) => void;

interface Placed {
  stop: PlanStop;
  nurse: string;
}

/** The care duration of a visit by a nurse, as documented: `durationByNurse`, else the shortest `durationBySkill` she has, else `duration`. */
export function careDuration(visit: VisitInput, nurse: NurseInput): number {
  const own = visit.durationByNurse?.[nurse.id];
  if (own !== undefined) return own;
  const bySkill = Object.entries(visit.durationBySkill ?? {})
    .filter(([skill]) => (nurse.skills ?? []).includes(skill))
    .map(([, d]) => d);
  return bySkill.length > 0 ? Math.min(...bySkill) : (visit.duration ?? 0);
}

export function checkCareRules(input: ProblemInput, plan: Plan, add: Add, num: (x: number) => string): void {
  const nurses = new Map<string, NurseInput>(input.nurses.map((n) => [n.id, n]));
  const visits = new Map<string, VisitInput>(input.visits.map((v) => [v.id, v]));
  const at = new Map<string, Placed>();
  for (const route of plan.routes) {
    const nurse = nurses.get(route.vehicle);
    if (nurse === undefined) continue;
    const skills = new Set(nurse.skills ?? []);
    for (const stop of route.stops) {
      const v = visits.get(stop.visit);
      if (v === undefined) continue;
      if (!at.has(v.id)) at.set(v.id, { stop, nurse: nurse.id });
      const missing = (v.skills ?? []).filter((s) => !skills.has(s));
      if (missing.length > 0)
        add('skills', `needs ${missing.join(', ')}, which the nurse lacks`, nurse.id, v.id);
      if ((v.excludedNurses ?? []).includes(nurse.id))
        add('excluded_nurse', 'the patient excluded this nurse', nurse.id, v.id);
      if (v.requiredNurse !== undefined && v.requiredNurse !== nurse.id)
        add('required_nurse', `must be done by '${v.requiredNurse}'`, nurse.id, v.id);
      if (v.pinned !== undefined && v.pinned.nurse !== nurse.id)
        add('pinned', `is pinned to '${v.pinned.nurse}'`, nurse.id, v.id);
      if (
        v.pinned?.start !== undefined &&
        Math.abs(stop.start - v.pinned.start) > 1e-6 * Math.max(1, Math.abs(v.pinned.start))
      )
        add(
          'pinned',
          `is pinned to start at ${num(v.pinned.start)}, planned at ${num(stop.start)}`,
          nurse.id,
          v.id,
        );
      if (v.frozen !== undefined && v.frozen.nurse !== nurse.id)
        add('frozen', `was done by '${v.frozen.nurse}'`, nurse.id, v.id);
    }
    if (route.stops.length > 0) checkBreaks(expectedBreaks(input, nurse, route), nurse, route, add, num);
    if (nurse.maxVisits !== undefined && route.stops.length > nurse.maxVisits)
      add('max_visits', `${route.stops.length} visits, more than her limit of ${nurse.maxVisits}`, nurse.id);
    if (route.stops.length > 0) {
      const work = route.return - route.departure;
      if (nurse.maxWorkingTime !== undefined && work > nurse.maxWorkingTime + 1e-6 * Math.max(1, work))
        add(
          'working_time',
          `works ${num(work)}, more than her limit of ${num(nurse.maxWorkingTime)}`,
          nurse.id,
        );
    }
  }
  for (const v of input.visits)
    if (v.frozen !== undefined && !at.has(v.id))
      add(
        'frozen',
        `done or under way, it must stay at the head of '${v.frozen.nurse}'s day`,
        v.frozen.nurse,
        v.id,
      );
  for (const g of input.syncGroups ?? []) {
    const placed = g.visits.map((id) => at.get(id));
    if (placed.some((p) => p === undefined)) continue; // partly planned groups: the visits left out are listed
    const starts = placed.map((p) => p!.stop.start);
    const spread = Math.max(...starts) - Math.min(...starts);
    const tol = g.tolerance ?? 0;
    if (spread > tol + 1e-6 * Math.max(1, Math.abs(starts[0])))
      add(
        'sync',
        `group ${g.visits.join(' + ')} starts ${num(spread)} apart, more than its tolerance ${num(tol)}`,
        undefined,
        g.visits[0],
      );
    const ids = placed.map((p) => p!.nurse);
    if (new Set(ids).size < ids.length)
      add(
        'sync_nurses',
        `group ${g.visits.join(' + ')} needs distinct nurses, got ${ids.join(', ')}`,
        undefined,
        g.visits[0],
      );
  }
  for (const d of input.dependencies ?? []) {
    const a = at.get(d.before);
    const b = at.get(d.after);
    if (a === undefined || b === undefined) continue;
    const gap = b.stop.start - a.stop.start;
    const lo = d.minDelay ?? 0;
    const hi = d.maxDelay ?? Infinity;
    const tol = 1e-6 * Math.max(1, Math.abs(b.stop.start));
    if (gap < lo - tol || gap > hi + tol)
      add(
        'dependency',
        `starts ${num(gap)} after '${d.before}', outside [${num(lo)}, ${num(hi)}]`,
        b.nurse,
        d.after,
      );
    if ((d.nurse === 'same' && a.nurse !== b.nurse) || (d.nurse === 'different' && a.nurse === b.nurse))
      add(
        'dependency_nurses',
        `must be done by ${d.nurse === 'same' ? 'the same nurse' : 'another nurse'} as '${d.before}'`,
        b.nurse,
        d.after,
      );
  }
}

/** Each break and unavailable period of a working nurse: once, with its duration, inside its window, after one of her visits. */
function checkBreaks(
  expected: Map<string, { duration: number; start: number; end: number }>,
  nurse: NurseInput,
  route: PlanRoute,
  add: Add,
  num: (x: number) => string,
): void {
  const visits = new Set(route.stops.map((s) => s.visit));
  const seen = new Set<string>();
  const tol = (x: number) => 1e-6 * Math.max(1, Math.abs(x));
  for (const b of route.breaks ?? []) {
    const want = expected.get(b.id);
    if (want === undefined || seen.has(b.id)) {
      add('break', `break '${b.id}' is ${want === undefined ? 'not one of hers' : 'listed twice'}`, nurse.id);
      continue;
    }
    seen.add(b.id);
    if (b.after !== null && !visits.has(b.after))
      add('break', `break '${b.id}' follows '${b.after}', which is not on her route`, nurse.id);
    if (Math.abs(b.end - b.start - want.duration) > tol(want.duration))
      add('break', `break '${b.id}' lasts ${num(b.end - b.start)}, not ${num(want.duration)}`, nurse.id);
    if (b.start < want.start - tol(want.start) || b.end > want.end + tol(want.end))
      add(
        'break',
        `break '${b.id}' [${num(b.start)}, ${num(b.end)}] is outside [${num(want.start)}, ${num(want.end)}]`,
        nurse.id,
      );
  }
  for (const id of expected.keys())
    if (!seen.has(id)) add('break_missing', `she works but break '${id}' is not in her day`, nurse.id);
}

/** The weighted objective's terms recomputed from the plan's times and the routes' recomputed distances. */
export function careTerms(
  input: ProblemInput,
  plan: Plan,
  travel: { distance: number; travelTime: number },
): Record<string, { value: number; weight: number }> {
  const w = resolveWeights(input);
  const perHour = input.timeUnit === 'second' ? 3600 : 60;
  const nurses = new Map(input.nurses.map((n) => [n.id, n]));
  const visits = new Map(input.visits.map((v) => [v.id, v]));
  let lateness = 0;
  let maxLateness = 0;
  let overtime = 0;
  let continuity = 0;
  let hourly = 0;
  let kmCost = 0;
  let fixed = 0;
  // Working time per nurse over all her days (for balance).
  const work = new Map(input.nurses.map((n) => [n.id, 0]));
  for (const route of plan.routes) {
    const nurse = nurses.get(route.vehicle);
    if (nurse === undefined || route.stops.length === 0) continue;
    work.set(nurse.id, work.get(nurse.id)! + (route.return - route.departure));
    for (const stop of route.stops) {
      const v = visits.get(stop.visit);
      if (v === undefined) continue;
      const late = v.preferredWindow === undefined ? 0 : Math.max(0, stop.start - v.preferredWindow.end);
      // Starting before the preferred window's start costs alike (earliness), not in maxLateness.
      const early =
        v.preferredWindow?.start === undefined ? 0 : Math.max(0, v.preferredWindow.start - stop.start);
      lateness += (v.preferredWindow?.costPerMinute ?? 1) * (late + early);
      maxLateness = Math.max(maxLateness, late);
      if ((v.preferredNurses?.length ?? 0) > 0 && !v.preferredNurses!.includes(nurse.id)) continuity++;
    }
    const shift = routeShift(nurse, route);
    overtime +=
      ((shift?.overtime ?? nurse.overtime)?.cost ?? 1) * Math.max(0, route.return - (shift?.end ?? Infinity));
    hourly += ((nurse.costPerHour ?? 0) * (route.return - route.departure)) / perHour;
    kmCost += ((nurse.costPerKm ?? 0) * route.distance) / 1000;
    fixed += nurse.fixedCost ?? 0;
  }
  let penalties = 0;
  for (const u of plan.unassigned) {
    const v = visits.get(u.visit);
    if (v?.optional === true) penalties += v.penalty ?? 100 * (v.priority ?? 3);
  }
  return {
    travelTime: { value: travel.travelTime, weight: w.travelTime },
    distance: { value: travel.distance, weight: w.distance },
    lateness: { value: lateness, weight: w.lateness },
    maxLateness: { value: maxLateness, weight: w.maxLateness },
    overtime: { value: overtime, weight: w.overtime },
    continuity: { value: continuity, weight: w.continuity },
    ...changesAgainst(input, plan, w),
    balance: { value: Math.max(...work.values()) - Math.min(...work.values()), weight: w.balance },
    unassigned: { value: penalties, weight: w.unassigned },
    hourlyCost: { value: hourly, weight: 1 },
    kmCost: { value: kmCost, weight: 1 },
    fixedCost: { value: fixed, weight: 1 },
    ...(countsDistinctNurses(input) && {
      distinctNurses: { value: distinctBeyondFirst(input, plan), weight: w.distinctNurses },
    }),
  };
}

/** Re-planning terms: visits on another nurse than in the previous plan, and how far starts moved. */
function changesAgainst(
  input: ProblemInput,
  plan: Plan,
  w: { moved: number; shifted: number },
): Record<string, { value: number; weight: number }> {
  const before = new Map<string, { nurse: string; start: number }>();
  for (const route of input.previousPlan?.routes ?? [])
    for (const stop of route.stops) before.set(stop.visit, { nurse: route.vehicle, start: stop.start });
  let moved = 0;
  let shifted = 0;
  for (const route of plan.routes)
    for (const stop of route.stops) {
      const was = before.get(stop.visit);
      if (was === undefined) continue;
      if (was.nurse !== route.vehicle) moved++;
      shifted += Math.abs(stop.start - was.start);
    }
  return { moved: { value: moved, weight: w.moved }, shifted: { value: shifted, weight: w.shifted } };
}

/** Over all patients: the distinct nurses who see her in the plan, beyond the first. */
function distinctBeyondFirst(input: ProblemInput, plan: Plan): number {
  const patientOf = new Map(input.visits.map((v) => [v.id, v.patient ?? v.id]));
  const seen = new Map<string, Set<string>>();
  for (const route of plan.routes)
    for (const stop of route.stops) {
      const p = patientOf.get(stop.visit);
      if (p === undefined) continue;
      const set = seen.get(p) ?? new Set<string>();
      set.add(route.vehicle);
      seen.set(p, set);
    }
  let out = 0;
  for (const set of seen.values()) out += Math.max(0, set.size - 1);
  return out;
}
