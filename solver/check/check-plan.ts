import { distance as greatCircle } from '@turf/distance';
import type {
  LocationInput,
  NurseInput,
  ObjectiveName,
  ProblemInput,
  ProfileInput,
  VisitInput,
} from '../model/input.ts';
import { DEFAULT_CIRCUITY, DEFAULT_SPEED_KMH } from '../model/profile-defaults.ts';
import { validateProblem } from '../model/validate.ts';
import type { Plan, PlanRoute } from '../model/plan.ts';
import { careDuration, careTerms, checkCareRules, type CareViolationCode } from './check-care.ts';
import { recurringRules } from '../calendar/resolve-times.ts';
import {
  checkHorizonRules,
  checkPatientRules,
  positionShift,
  routeShift,
  type HorizonViolationCode,
} from './check-horizon.ts';

/**
 * The independent plan checker: recomputes a plan from scratch against the problem and lists
 * every violation. It shares no evaluation code with the search: no ProblemData, segments,
 * operators, plan builder, not even the solver's travel model. It reads the input format as
 * documented (docs/problem-format.md, "The problem format") and imports only the input and plan types, input
 * validation, the format's documented travel defaults and Turf's great-circle distance.
 */
export type ViolationCode =
  | 'unknown_vehicle'
  | 'duplicate_vehicle'
  | 'unknown_visit'
  | 'visit_twice'
  | 'visit_missing'
  | 'capacity'
  | 'time_window'
  | 'arrival'
  | 'start_before_arrival'
  | 'end'
  | 'shift_start'
  | 'shift_end'
  | 'return'
  | 'route_figures'
  | 'summary'
  | 'empty_route'
  | 'unknown_shift'
  | CareViolationCode
  | HorizonViolationCode;

export interface Violation {
  code: ViolationCode;
  vehicle?: string;
  visit?: string;
  message: string;
}

export interface CheckReport {
  feasible: boolean;
  violations: Violation[];
  /**
   * Figures recomputed from the problem. Distance, travel time and cost cover only the routes that
   * could be timed (a route of an unknown nurse, or past an unknown visit, cannot be).
   */
  recomputed: { cost: number; distance: number; travelTime: number; routes: number; unassigned: number };
}

// ---------------------------------------------------------------------------------------------
// Travel, rewritten from the format's documentation.

/** Documented defaults (part of the format, shared): detour factor and km/h per built-in profile. */
const CIRCUITY = DEFAULT_CIRCUITY;
const SPEED_KMH = DEFAULT_SPEED_KMH;

interface Leg {
  time: number;
  distance: number;
}
type LegOf = (a: LocationInput, b: LocationInput) => Leg;

/** Travel of one profile: matrices by index, great circle for lon/lat, Euclidean for x/y. */
function travelOf(input: ProblemInput, name: string): LegOf {
  const profiles = input.profiles ?? {};
  const prof: ProfileInput = Object.hasOwn(profiles, name) ? profiles[name] : {};
  const perHour = input.timeUnit === 'second' ? 3600 : 60;
  const kmh = prof.speed ?? (Object.hasOwn(SPEED_KMH, name) ? SPEED_KMH[name] : SPEED_KMH.car);
  return (a, b) => {
    if ('index' in a && 'index' in b) {
      const durations = prof.durations;
      if (durations === undefined) throw new Error(`profile '${name}' has no durations matrix`);
      return { time: durations[a.index][b.index], distance: (prof.distances ?? durations)[a.index][b.index] };
    }
    if ('lon' in a && 'lon' in b) {
      const crowKm =
        a.lon === b.lon && a.lat === b.lat
          ? 0
          : greatCircle([a.lon, a.lat], [b.lon, b.lat], { units: 'kilometers' });
      const km = crowKm * (prof.circuity ?? CIRCUITY);
      return { time: (km / kmh) * perHour, distance: km * 1000 };
    }
    if ('x' in a && 'x' in b) {
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      return { time: d / (prof.speed ?? 1), distance: d };
    }
    throw new Error('locations of different kinds');
  };
}

// ---------------------------------------------------------------------------------------------
// Comparisons and messages.

/** Equal up to double-precision noise: |a − b| ≤ 1e-6 × max(1, |b|), b the recomputed value. */
function same(stated: number, recomputed: number): boolean {
  return Math.abs(stated - recomputed) <= 1e-6 * Math.max(1, Math.abs(recomputed));
}
/** a ≤ b up to the same tolerance, relative to the bound b. */
function atMost(a: number, b: number): boolean {
  return a <= b || same(a, b);
}
/** A number for messages: 12 significant digits, enough to show any difference the checker flags. */
function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}

// ---------------------------------------------------------------------------------------------
// The checker.

type Add = (code: ViolationCode, message: string, vehicle?: string, visit?: string) => void;

interface Context {
  input: ProblemInput;
  nurses: Map<string, NurseInput>;
  visits: Map<string, VisitInput>;
  /** Where each visit was seen first. */
  placed: Map<string, string>;
  add: Add;
}

/** Records a visit as planned somewhere; reports unknown ids and second appearances. */
function place(ctx: Context, visit: string, where: string, vehicle?: string): boolean {
  if (!ctx.visits.has(visit)) {
    ctx.add('unknown_visit', `${where} names visit '${visit}', which is not in the problem`, vehicle, visit);
    return false;
  }
  const first = ctx.placed.get(visit);
  if (first !== undefined) ctx.add('visit_twice', `in ${first} and again in ${where}`, vehicle, visit);
  else ctx.placed.set(visit, where);
  return true;
}

/** Checks one route of a known nurse; returns its recomputed figures, or null if it cannot be timed. */
function checkRoute(ctx: Context, route: PlanRoute, nurse: NurseInput): Leg | null {
  const { add } = ctx;
  const id = nurse.id;
  const leg = travelOf(ctx.input, nurse.profile ?? 'car');
  const shift = routeShift(nurse, route) ?? { start: -Infinity, end: Infinity };
  const own = nurse.shifts === undefined ? undefined : nurse.shifts[route.shift ?? -1];
  const endLoc: LocationInput | null =
    nurse.end === null || own?.openEnd === true ? null : (nurse.end ?? nurse.start);

  if (!atMost(shift.start, route.departure))
    add(
      'shift_start',
      `leaves at ${num(route.departure)}, before her shift starts at ${num(shift.start)}`,
      id,
    );

  let timed = true;
  let here = nurse.start;
  let t = route.departure; // when she leaves `here`, recomputed
  let load = 0;
  const total: Leg = { time: 0, distance: 0 };
  // Breaks are taken where she is, after the visit they name (null: before the first), in order.
  const breaksAfter = new Map<string | null, { id: string; start: number; end: number }[]>();
  for (const b of [...(route.breaks ?? [])].sort((x, y) => x.start - y.start))
    breaksAfter.set(b.after, [...(breaksAfter.get(b.after) ?? []), b]);
  const takeBreaks = (after: string | null) => {
    for (const b of breaksAfter.get(after) ?? []) {
      if (!atMost(t, b.start))
        add('break', `break '${b.id}' starts at ${num(b.start)}, before she is free at ${num(t)}`, id);
      t = Math.max(t, b.end);
    }
  };
  // Re-planning: visits done or under way come first, as given; her day goes on from her
  // position (or the end of her last frozen visit), no earlier than she is free there.
  let k = 0;
  let free = -Infinity;
  for (; k < route.stops.length; k++) {
    const visit = ctx.visits.get(route.stops[k].visit);
    if (visit?.frozen === undefined || visit.frozen.nurse !== id) break;
    const end = visit.frozen.start + careDuration(visit, nurse);
    const stop = route.stops[k];
    if (!same(stop.start, visit.frozen.start) || !same(stop.end, end))
      add(
        'frozen',
        `frozen at [${num(visit.frozen.start)}, ${num(end)}], planned at [${num(stop.start)}, ${num(stop.end)}]`,
        id,
        visit.id,
      );
    if (end > free) [free, here] = [end, visit.location];
  }
  // Where she is applies to her day (with several shifts: to the shift holding that time, and
  // not to a day already over, which holds only its frozen visits).
  if (nurse.position !== undefined && !(nurse.shifts !== undefined && shift.end < nurse.position.time)) {
    free = nurse.position.time;
    if (positionShift(nurse, ctx.input) === (route.shift ?? 0)) here = nurse.position.location;
  }
  if (!atMost(free, route.departure))
    add('position', `leaves at ${num(route.departure)}, before she is free at ${num(free)}`, id);
  takeBreaks(null);
  // A break after a frozen visit is taken once she is free, like one before her first visit.
  for (const stop of route.stops.slice(0, k)) takeBreaks(stop.visit);
  for (const stop of route.stops.slice(k)) {
    const visit = ctx.visits.get(stop.visit);
    if (visit === undefined) {
      timed = false; // reported by place(); what follows cannot be timed
      continue;
    }
    load += visit.demand ?? 0;
    if (!timed) continue;
    const l = leg(here, visit.location);
    total.time += l.time;
    total.distance += l.distance;
    const arrival = t + l.time;
    if (!same(stop.arrival, arrival))
      add(
        'arrival',
        `stated arrival ${num(stop.arrival)}, but leaving at ${num(t)} with ${num(l.time)} of travel she arrives at ${num(arrival)}`,
        id,
        visit.id,
      );
    if (!atMost(arrival, stop.start) || !atMost(stop.arrival, stop.start))
      add(
        'start_before_arrival',
        `care starts at ${num(stop.start)}, before she arrives at ${num(arrival)}` +
          (same(stop.arrival, arrival) ? '' : ` (stated arrival ${num(stop.arrival)})`),
        id,
        visit.id,
      );
    const windows = visit.timeWindows ?? [];
    if (windows.length > 0 && !windows.some((w) => atMost(w.start, stop.start) && atMost(stop.start, w.end)))
      add(
        'time_window',
        `care starts at ${num(stop.start)}, outside its window${windows.length > 1 ? 's' : ''} ` +
          windows.map((w) => `[${num(w.start)}, ${num(w.end)}]`).join(', '),
        id,
        visit.id,
      );
    const duration = careDuration(visit, nurse);
    const end = stop.start + duration;
    if (!same(stop.end, end))
      add(
        'end',
        `stated end ${num(stop.end)}, but ${num(duration)} of care from ${num(stop.start)} ends at ${num(end)}`,
        id,
        visit.id,
      );
    // She leaves once care is done, and care cannot start before she is there.
    t = Math.max(stop.start, arrival) + duration;
    here = visit.location;
    takeBreaks(visit.id);
  }
  if (nurse.capacity !== undefined && !atMost(load, nurse.capacity))
    add('capacity', `carries ${num(load)}, more than her capacity ${num(nurse.capacity)}`, id);
  if (!timed) return null;

  let back = t;
  if (endLoc !== null) {
    const l = leg(here, endLoc);
    back = t + l.time;
    total.time += l.time;
    total.distance += l.distance;
  }
  const where = endLoc === null ? 'at her last visit (open end)' : 'back';
  if (!same(route.return, back))
    add('return', `stated return ${num(route.return)}, but she is ${where} at ${num(back)}`, id);
  const latest = Math.max(back, route.return);
  const overtime = (own?.overtime ?? nurse.overtime)?.max ?? 0;
  if (!atMost(latest, shift.end + overtime))
    add(
      'shift_end',
      `${where} at ${num(latest)}, after her shift ends at ${num(shift.end)}` +
        (overtime > 0 ? ` plus ${num(overtime)} of allowed overtime` : ''),
      id,
    );
  if (!same(route.distance, total.distance) || !same(route.travelTime, total.time))
    add(
      'route_figures',
      `stated distance ${num(route.distance)} and travel time ${num(route.travelTime)}, recomputed ${num(total.distance)} and ${num(total.time)}`,
      id,
    );
  return total;
}

const OBJECTIVES: readonly ObjectiveName[] = ['distance', 'duration', 'vehicles'];

/**
 * Checks a plan against its problem. Throws the InputError of `validateProblem` when the problem
 * itself is invalid; otherwise lists every violation (none: the plan is feasible and its figures
 * are right).
 */
export function checkPlan(rawInput: ProblemInput, plan: Plan): CheckReport {
  const input = validateProblem(rawInput);
  const violations: Violation[] = [];
  const add: Add = (code, message, vehicle, visit) =>
    violations.push({
      code,
      ...(vehicle !== undefined && { vehicle }),
      ...(visit !== undefined && { visit }),
      message,
    });
  const ctx: Context = {
    input,
    nurses: new Map(input.nurses.map((n) => [n.id, n])),
    visits: new Map(input.visits.map((v) => [v.id, v])),
    placed: new Map(),
    add,
  };

  const routed = new Set<string>();
  const paying = new Set<string>();
  let complete = true;
  let distance = 0;
  let travelTime = 0;
  let routes = 0;
  plan.routes.forEach((route, r) => {
    const id = route.vehicle;
    const where = `route ${r} (nurse '${id}')`;
    for (const stop of route.stops) place(ctx, stop.visit, where, id);
    if (route.stops.length > 0) routes++;
    const nurse = ctx.nurses.get(id);
    if (nurse === undefined) {
      add('unknown_vehicle', `${where} belongs to a nurse who is not in the problem`, id);
      if (route.stops.length > 0) complete = false;
      return;
    }
    // A nurse with several shifts has a route per shift (a nurse-day), named by `shift`.
    const key = `${id}\u0000${route.shift ?? 0}`;
    if (routed.has(key))
      add(
        'duplicate_vehicle',
        `nurse '${id}' has more than one route${route.shift === undefined ? '' : ` for shift ${route.shift}`} (${where} is another)`,
        id,
      );
    routed.add(key);
    if (nurse.shifts !== undefined && routeShift(nurse, route) === undefined) {
      add('unknown_shift', `${where} names shift ${String(route.shift)}, which she does not have`, id);
      complete = false;
      return;
    }
    if (nurse.shifts === undefined && route.shift !== undefined)
      add('unknown_shift', `${where} names shift ${route.shift}, but she has one shift`, id);
    if (route.stops.length === 0) {
      add('empty_route', `${where} has no stop: an unused nurse is left out of the routes`, id);
      return;
    }
    paying.add(id);
    const figures = checkRoute(ctx, route, nurse);
    if (figures === null) complete = false;
    else {
      distance += figures.distance;
      travelTime += figures.time;
    }
  });
  for (const u of plan.unassigned) place(ctx, u.visit, 'the unassigned list');
  for (const v of input.visits)
    if (!ctx.placed.has(v.id))
      add('visit_missing', 'neither in a route nor in the unassigned list', undefined, v.id);

  checkCareRules(input, plan, add, num);
  checkHorizonRules(input, plan, add, num);
  checkPatientRules(input, recurringRules(rawInput), plan, add, num);
  let fixed = 0;
  for (const id of paying) fixed += ctx.nurses.get(id)?.fixedCost ?? 0;
  const stated = plan.summary;
  const weighted = stated.objective === 'weighted';
  const objective: ObjectiveName = OBJECTIVES.includes(stated.objective as ObjectiveName)
    ? (stated.objective as ObjectiveName)
    : (input.objective ?? 'duration');
  let cost = (objective === 'distance' ? distance : travelTime) + fixed;
  if (weighted) {
    const terms = careTerms(input, plan, { distance, travelTime });
    cost = 0;
    for (const [name, t] of Object.entries(terms)) {
      cost += t.value * t.weight;
      const s = stated.terms?.[name];
      if (complete && (s === undefined || !same(s.value, t.value) || !same(s.weight, t.weight)))
        add(
          'summary',
          `summary.terms.${name} is ${s === undefined ? 'missing' : `${num(s.value)} × ${num(s.weight)}`}, recomputed ${num(t.value)} × ${num(t.weight)}`,
        );
    }
  }
  const recomputed = { cost, distance, travelTime, routes, unassigned: plan.unassigned.length };
  const keys = complete
    ? (['cost', 'distance', 'travelTime', 'routes', 'unassigned'] as const)
    : (['routes', 'unassigned'] as const);
  for (const k of keys)
    if (!same(stated[k], recomputed[k]))
      add(
        'summary',
        `summary.${k} is ${num(stated[k])}, recomputed ${num(recomputed[k])}` +
          (k === 'cost'
            ? weighted
              ? ' (weighted sum of the terms)'
              : ` (objective '${objective}', fixed costs ${num(fixed)})`
            : ''),
      );
  return { feasible: violations.length === 0, violations, recomputed };
}

/**
 * For people and the CLI: one line per violation, `code [vehicle X] [visit Y]: message`, or a
 * single `feasible: …` line with the recomputed figures.
 */
export function formatViolations(report: CheckReport): string {
  if (report.feasible) {
    const r = report.recomputed;
    return (
      `feasible: ${r.routes} routes, distance ${num(r.distance)}, travel time ${num(r.travelTime)}, ` +
      `cost ${num(r.cost)}, ${r.unassigned} unassigned`
    );
  }
  return report.violations
    .map((v) => {
      const vehicle = v.vehicle !== undefined ? ` [vehicle ${v.vehicle}]` : '';
      const visit = v.visit !== undefined ? ` [visit ${v.visit}]` : '';
      return `${v.code}${vehicle}${visit}: ${v.message}`;
    })
    .join('\n');
}
