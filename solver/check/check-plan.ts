import type { LocationInput, ProblemInput, VisitInput } from '../model/input.ts';
import { validateProblem } from '../model/validate.ts';
import type { Plan } from '../plan/plan.ts';
import { legFunction } from './check-travel.ts';

/**
 * The independent plan checker: recomputes a plan from scratch against the problem and lists
 * every violation. It shares no evaluation code with the search (no ProblemData, segments,
 * operators or plan builder): only the input types, input validation and its own travel.
 */
export type ViolationCode =
  | 'unknown_vehicle'
  | 'duplicate_vehicle'
  | 'empty_route'
  | 'unknown_visit'
  | 'visit_twice'
  | 'visit_missing'
  | 'capacity'
  | 'shift_start'
  | 'arrival'
  | 'start_before_arrival'
  | 'time_window'
  | 'end'
  | 'return'
  | 'shift_end'
  | 'route_figures'
  | 'summary';

export interface Violation {
  code: ViolationCode;
  vehicle?: string;
  visit?: string;
  message: string;
}

export interface CheckReport {
  feasible: boolean;
  violations: Violation[];
  recomputed: { cost: number; distance: number; travelTime: number; routes: number; unassigned: number };
}

/** Equal up to double-precision noise relative to the magnitude. */
function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}
/** a ≤ b up to double-precision noise. */
function atMost(a: number, b: number): boolean {
  return a <= b || same(a, b);
}

export function checkPlan(rawInput: ProblemInput, plan: Plan): CheckReport {
  const input = validateProblem(rawInput);
  const violations: Violation[] = [];
  const add = (code: ViolationCode, message: string, vehicle?: string, visit?: string) =>
    violations.push({
      code,
      message,
      ...(vehicle !== undefined && { vehicle }),
      ...(visit !== undefined && { visit }),
    });
  const nurses = new Map(input.nurses.map((n) => [n.id, n]));
  const visits = new Map(input.visits.map((v) => [v.id, v]));
  const seenVisit = new Map<string, string>();
  const seenNurse = new Set<string>();
  const note = (id: string, where: string, vehicle?: string) => {
    if (!visits.has(id))
      return add('unknown_visit', `${where} names visit '${id}', which is not in the problem`, vehicle, id);
    const before = seenVisit.get(id);
    if (before !== undefined) add('visit_twice', `planned in ${before} and again in ${where}`, vehicle, id);
    else seenVisit.set(id, where);
  };

  let distance = 0;
  let travelTime = 0;
  let fixed = 0;
  let routes = 0;
  for (const route of plan.routes) {
    const id = route.vehicle;
    const nurse = nurses.get(id);
    for (const s of route.stops) note(s.visit, `the route of '${id}'`, id);
    if (nurse === undefined) {
      add('unknown_vehicle', `route of nurse '${id}', who is not in the problem`, id);
      continue;
    }
    if (seenNurse.has(id)) add('duplicate_vehicle', `nurse '${id}' has more than one route`, id);
    seenNurse.add(id);
    if (route.stops.length === 0) {
      add('empty_route', `nurse '${id}' has a route with no stop (leave her out of routes instead)`, id);
      continue;
    }
    routes++;
    fixed += nurse.fixedCost ?? 0;
    const leg = legFunction(input, nurse.profile ?? 'car');
    const shift = nurse.shift ?? { start: -Infinity, end: Infinity };
    const endLoc: LocationInput | null = nurse.end === null ? null : (nurse.end ?? nurse.start);

    if (!atMost(shift.start, route.departure))
      add('shift_start', `leaves at ${route.departure}, before her shift starts at ${shift.start}`, id);
    let here = nurse.start;
    let t = route.departure;
    let load = 0;
    let routeTime = 0;
    let routeDist = 0;
    for (const stop of route.stops) {
      const visit: VisitInput | undefined = visits.get(stop.visit);
      if (visit === undefined) break; // reported above; the rest of the route cannot be timed
      const l = leg(here, visit.location);
      routeTime += l.time;
      routeDist += l.distance;
      const arrival = t + l.time;
      if (!same(stop.arrival, arrival))
        add(
          'arrival',
          `stated arrival ${stop.arrival}, but leaving at ${t} with ${l.time} of travel arrives at ${arrival}`,
          id,
          visit.id,
        );
      if (!atMost(arrival, stop.start))
        add(
          'start_before_arrival',
          `care starts at ${stop.start}, before she can arrive at ${arrival}`,
          id,
          visit.id,
        );
      const w = visit.timeWindows?.[0];
      if (w && !(atMost(w.start, stop.start) && atMost(stop.start, w.end)))
        add(
          'time_window',
          `care starts at ${stop.start}, outside its window [${w.start}, ${w.end}]`,
          id,
          visit.id,
        );
      const end = stop.start + (visit.duration ?? 0);
      if (!same(stop.end, end))
        add(
          'end',
          `stated end ${stop.end}, but care of ${visit.duration ?? 0} from ${stop.start} ends at ${end}`,
          id,
          visit.id,
        );
      load += visit.demand ?? 0;
      t = Math.max(end, arrival + (visit.duration ?? 0));
      here = visit.location;
    }
    if (nurse.capacity !== undefined && load > nurse.capacity)
      add('capacity', `carries ${load}, more than her capacity ${nurse.capacity}`, id);
    let back = t;
    if (endLoc !== null) {
      const l = leg(here, endLoc);
      back = t + l.time;
      routeTime += l.time;
      routeDist += l.distance;
    }
    if (!same(route.return, back)) add('return', `stated return ${route.return}, recomputed ${back}`, id);
    if (!atMost(back, shift.end))
      add('shift_end', `back at ${back}, after her shift ends at ${shift.end}`, id);
    if (!same(route.distance, routeDist) || !same(route.travelTime, routeTime))
      add(
        'route_figures',
        `stated distance ${route.distance} and travel time ${route.travelTime}, recomputed ${routeDist} and ${routeTime}`,
        id,
      );
    distance += routeDist;
    travelTime += routeTime;
  }
  for (const u of plan.unassigned) note(u.visit, 'the unassigned list');
  for (const v of input.visits)
    if (!seenVisit.has(v.id))
      add('visit_missing', 'neither in a route nor in the unassigned list', undefined, v.id);

  const objective = plan.summary.objective ?? input.objective ?? 'distance';
  const cost = (objective === 'duration' ? travelTime : distance) + fixed;
  const recomputed = { cost, distance, travelTime, routes, unassigned: plan.unassigned.length };
  const s = plan.summary;
  for (const k of ['cost', 'distance', 'travelTime', 'routes', 'unassigned'] as const)
    if (!same(s[k], recomputed[k])) add('summary', `summary.${k} is ${s[k]}, recomputed ${recomputed[k]}`);
  return { feasible: violations.length === 0, violations, recomputed };
}

/** One line per violation (`code [nurse] [visit]: reason`), for people and the CLI. */
export function formatViolations(report: CheckReport): string {
  if (report.feasible) {
    const r = report.recomputed;
    return `feasible: ${r.routes} routes, distance ${r.distance}, travel time ${r.travelTime}, cost ${r.cost}, ${r.unassigned} unassigned`;
  }
  return report.violations
    .map((v) => {
      const who = [
        v.vehicle !== undefined && `nurse ${v.vehicle}`,
        v.visit !== undefined && `visit ${v.visit}`,
      ].filter(Boolean);
      return `${v.code}${who.length ? ` [${who.join(', ')}]` : ''}: ${v.message}`;
    })
    .join('\n');
}
