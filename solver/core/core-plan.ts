import type { LocationInput } from '../model/input.ts';
import type { Plan, PlanRoute, PlanStop, PlanUnassigned } from '../model/plan.ts';
import type { ProblemData } from './problem-data.ts';
import { Segment } from './segment.ts';
import type { Solution } from './solution.ts';

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
  const cost = (objective === 'distance' ? distance : travelTime) + fixed;
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
  let mayServe = false;
  for (let v = 0; v < data.numVehicles; v++) {
    if (!data.canServe(v, node)) continue;
    mayServe = true;
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
  if (!mayServe)
    return {
      visit,
      reason: 'skills',
      message: 'no nurse has the skills it needs (or every qualified nurse is excluded)',
    };
  if (!fitsLoad)
    return { visit, reason: 'capacity', message: 'its demand exceeds the capacity of every nurse' };
  return {
    visit,
    reason: 'time_window',
    message: 'no nurse can reach it within its time window and be back before the end of her shift',
  };
}
