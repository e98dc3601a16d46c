import type { LocationInput, ObjectiveName } from '../model/input.ts';
import type { ProblemData } from '../structures/problem-data.ts';
import { Segment } from '../structures/segment.ts';
import type { Solution } from '../structures/solution.ts';

/** The plan as users receive it; every figure is in the input's own units, double precision. */
export interface PlanStop {
  visit: string;
  arrival: number;
  start: number;
  end: number;
  /** Problems with a calendar: the same times as ISO 8601 local date-times with their offset. */
  arrivalTime?: string;
  startTime?: string;
  endTime?: string;
  /** Time past the visit's preferred window end (home-care problems only, when positive). */
  lateness?: number;
  /** Time before the visit's preferred window start (home-care problems only, when positive). */
  earliness?: number;
  /** Re-planning: a visit done or under way, kept as given (its arrival is its start). */
  frozen?: boolean;
}

/** A break or unavailable period in a nurse's day, taken where she is after visit `after` (null: before the first). */
export interface PlanBreak {
  id: string;
  after: string | null;
  start: number;
  end: number;
  startTime?: string;
  endTime?: string;
}

export interface PlanRoute {
  vehicle: string;
  /** Nurses with `shifts`: which of them this route is (a nurse-day); absent for a nurse's only route. */
  shift?: number;
  /** Problems with a calendar: the local date of the route's shift (`YYYY-MM-DD`). */
  date?: string;
  departure: number;
  /** Arrival back at the end location (or at the last visit when the end is open). */
  return: number;
  departureTime?: string;
  returnTime?: string;
  distance: number;
  travelTime: number;
  stops: PlanStop[];
  /** Home-care problems with breaks or unavailable periods: when each is taken. */
  breaks?: PlanBreak[];
}

export type UnassignedReason =
  'capacity' | 'time_window' | 'no_room' | 'skills' | 'partner' | 'limits' | 'penalty';

export interface PlanUnassigned {
  visit: string;
  reason: UnassignedReason;
  message: string;
}

/** One term of the home-care objective: its amount in the input's units, its weight and its cost. */
export interface PlanTerm {
  value: number;
  weight: number;
  cost: number;
}

export interface PlanSummary {
  objective: ObjectiveName | 'weighted';
  cost: number;
  distance: number;
  travelTime: number;
  routes: number;
  unassigned: number;
  /** Home-care problems: every term of the weighted objective (docs/problem-format.md, "Objective"); `cost` is their sum. */
  terms?: Record<string, PlanTerm>;
  /** Problems with a horizon or patients: distinct nurses per patient and share of visits by a known nurse, mean and worst. */
  continuity?: { meanNurses: number; worstNurses: number; meanKnownShare: number; worstKnownShare: number };
}

/** Per patient (problems with a horizon or patients): the nurses who see her, her planned visits, the share by a known nurse. */
export interface PlanPatient {
  patient: string;
  nurses: string[];
  visits: number;
  knownShare: number;
}

/** A plan's calendar (problems with a date or horizon): how its numbers map to clock times. */
export interface PlanCalendar {
  timeZone: string;
  start: string;
  days: number;
  /** Time 0: local midnight at the start of the horizon, with its offset. */
  origin: string;
  timeUnit: 'minute' | 'second';
}

export interface Plan {
  calendar?: PlanCalendar;
  summary: PlanSummary;
  routes: PlanRoute[];
  unassigned: PlanUnassigned[];
  patients?: PlanPatient[];
}

/**
 * Builds the plan of a solution, recomputing every time and distance from the input in double
 * precision. Each nurse leaves as late as lets her reach her first visit at its window start
 * (never before her shift), then waits wherever she arrives early.
 */
export function buildPlan(data: ProblemData, sol: Solution): Plan {
  const { input, travel } = data;
  const routes: PlanRoute[] = [];
  let distance = 0;
  let travelTime = 0;
  let fixed = 0;
  for (const route of sol.routes) {
    if (route.size === 0) continue;
    const nurse = input.nurses[route.vehicle];
    const p = travel.profileIndex(nurse.profile);
    const visits = route.visits().map((n) => input.visits[data.visitIndex(n)]);
    const endLoc: LocationInput | null = nurse.end === null ? null : (nurse.end ?? nurse.start);
    const shiftStart = nurse.shift?.start ?? 0;
    const locs = [nurse.start, ...visits.map((v) => v.location)];
    const legs = visits.map((_, k) => travel.duration(p, locs[k], locs[k + 1]));
    // Latest departure that keeps every start within its window and the return within the shift.
    const lastVisit = visits[visits.length - 1];
    const legHome = endLoc === null ? 0 : travel.duration(p, lastVisit.location, endLoc);
    let latest = (nurse.shift?.end ?? Infinity) - legHome - (lastVisit.duration ?? 0);
    for (let k = visits.length - 1; k >= 0; k--) {
      const w = visits[k].timeWindows?.[0];
      const lateStart = Math.min(w?.end ?? Infinity, latest);
      latest = lateStart - legs[k] - (k > 0 ? (visits[k - 1].duration ?? 0) : 0);
    }
    const firstOpen = visits[0].timeWindows?.[0]?.start ?? shiftStart;
    const departure = Math.max(shiftStart, Math.min(firstOpen - legs[0], latest));
    let t = departure;
    let routeDist = 0;
    let routeTime = 0;
    const stops: PlanStop[] = visits.map((v, k) => {
      const arrival = t + legs[k];
      routeTime += legs[k];
      routeDist += travel.distance(p, locs[k], locs[k + 1]);
      const start = Math.max(arrival, v.timeWindows?.[0]?.start ?? -Infinity);
      t = start + (v.duration ?? 0);
      return { visit: v.id, arrival, start, end: t };
    });
    let back = t;
    if (endLoc !== null) {
      const last = locs[locs.length - 1];
      const leg = travel.duration(p, last, endLoc);
      back = t + leg;
      routeTime += leg;
      routeDist += travel.distance(p, last, endLoc);
    }
    distance += routeDist;
    travelTime += routeTime;
    fixed += nurse.fixedCost ?? 0;
    routes.push({
      vehicle: nurse.id,
      departure,
      return: back,
      distance: routeDist,
      travelTime: routeTime,
      stops,
    });
  }
  const unassigned = sol.unassigned().map((n) => explainUnassigned(data, n));
  const objective = data.objective;
  const cost = (objective === 'duration' ? travelTime : distance) + fixed;
  return {
    summary: { objective, cost, distance, travelTime, routes: routes.length, unassigned: unassigned.length },
    routes,
    unassigned,
  };
}

const seg = new Segment();

/** Why a visit is out, found by testing it alone against every nurse. */
export function explainUnassigned(data: ProblemData, node: number): PlanUnassigned {
  const visit = data.input.visits[data.visitIndex(node)].id;
  let fitsLoad = false;
  for (let v = 0; v < data.numVehicles; v++) {
    if (data.demand[node] > data.vehCapacity[v]) continue;
    fitsLoad = true;
    const N = data.numNodes;
    const dur = data.durations[data.vehProfile[v]];
    const s0 = data.vehShiftStart[v];
    const s1 = data.vehShiftEnd[v];
    seg.set(0, 0, s0, s1);
    seg.concat(
      dur[data.vehStart[v] * N + node],
      data.service[node],
      0,
      data.twEarly[node],
      data.twLate[node],
    );
    seg.concat(dur[node * N + data.vehEnd[v]], 0, 0, s0, s1);
    if (seg.tw === 0)
      return {
        visit,
        reason: 'no_room',
        message: 'a nurse could serve it alone, but no route had room for it within the nurses available',
      };
  }
  if (!fitsLoad)
    return { visit, reason: 'capacity', message: 'its demand exceeds the capacity of every nurse' };
  return {
    visit,
    reason: 'time_window',
    message: 'no nurse can reach it within its time window and be back before the end of her shift',
  };
}
