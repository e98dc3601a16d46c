import type { Plan, PlanBreak, PlanRoute, PlanStop, PlanTerm } from '../model/plan.ts';
import type { CareData } from './care-data.ts';
import { defaultPenalty } from './care-tasks.ts';
import { countsDistinctNurses } from '../model/weights.ts';
import { continuityReport } from '../plan/continuity.ts';
import { Contributors } from '../plan/contributors.ts';
import type { Schedule } from './schedule.ts';
import { explainCareUnassigned } from './unassigned-reasons.ts';

/**
 * The plan of a home-care schedule: times are the schedule's (already in the input's units,
 * double precision), legs and every objective term are recomputed from the input's travel.
 * Each nurse leaves just in time for her first visit (never before her shift).
 */
export function buildCarePlan(data: CareData, sched: Schedule): Plan {
  const { input, travel, weights: w } = data;
  const perHour = input.timeUnit === 'second' ? 3600 : 60;
  const routes: PlanRoute[] = [];
  let distance = 0;
  let travelTime = 0;
  let lateness = 0;
  let maxLateness = 0;
  let overtime = 0;
  let hourly = 0;
  let perKm = 0;
  let fixed = 0;
  let continuity = 0;
  const work = new Float64Array(data.N);
  let moved = 0;
  let shifted = 0;
  const frozen = frozenStops(data);
  const top = new Contributors();
  let latest = '';
  /** A stop's share of the visit terms: lateness and earliness, continuity, moves from the previous plan. */
  const visitTerms = (x: number, r: number, start: number, late: number, early: number) => {
    const id = data.taskId[x];
    lateness += data.lateCost[x] * (late + early);
    top.add('lateness', 'visit', id, w.lateness * data.lateCost[x] * (late + early));
    if (late > maxLateness) latest = id;
    maxLateness = Math.max(maxLateness, late);
    if (data.hasPreferred[x] === 1 && data.preferred[x * data.V + r] === 0) {
      continuity++;
      top.add('continuity', 'visit', id, w.continuity);
    }
    if (data.prevNurse[x] !== -1 && data.prevNurse[x] !== data.routeNurse[r]) {
      moved++;
      top.add('moved', 'visit', id, w.moved);
    }
    if (!Number.isNaN(data.prevStart[x])) {
      shifted += Math.abs(start - data.prevStart[x]);
      top.add('shifted', 'visit', id, w.shifted * Math.abs(start - data.prevStart[x]));
    }
  };
  sched.routes.forEach((tasks, r) => {
    // Breaks alone are no working day; frozen visits are, even with nothing after them.
    const route = sched.realCount[r] > 0 ? tasks : [];
    if (route.length === 0 && frozen[r].length === 0) return;
    for (const stop of frozen[r]) {
      // Done or under way: fixed, but still part of the day's figures.
      const x = data.visitIndex.get(stop.visit)!;
      const late = stop.start > data.due[x] ? stop.start - data.due[x] : 0;
      const early = data.earliness(x, stop.start);
      visitTerms(x, r, stop.start, late, early);
    }
    const nurse = input.nurses[data.routeNurse[r]];
    const p = data.nurseProfile[r];
    const endLoc = data.nurseEnd[r] < 0 ? null : (nurse.end ?? nurse.start);
    let loc = data.nodeLocation[data.nurseStart[r]];
    const first = route[0];
    const firstLeg =
      first === undefined || data.isBreak[first] === 1
        ? 0
        : travel.duration(p, loc, input.visits[first].location);
    const departure = Math.max(
      data.shiftStart[r],
      first === undefined ? -Infinity : sched.start[first] - firstLeg,
    );
    let t = departure;
    let routeDist = 0;
    let routeTime = 0;
    // A break names the last visit before it, frozen ones included (null: none at all).
    let after: string | null = frozen[r].length > 0 ? frozen[r][frozen[r].length - 1].visit : null;
    const breaks: PlanBreak[] = [];
    const stops: PlanStop[] = [];
    for (const x of route) {
      const start = sched.start[x];
      const end = start + data.service[x * data.V + r];
      if (data.isBreak[x] === 1) {
        breaks.push({ id: data.taskId[x], after, start, end });
        t = end; // she leaves once the break is over
        continue;
      }
      const v = input.visits[x];
      const leg = travel.duration(p, loc, v.location);
      routeDist += travel.distance(p, loc, v.location);
      routeTime += leg;
      const arrival = t + leg;
      const late = start > data.due[x] ? start - data.due[x] : 0;
      const early = data.earliness(x, start);
      visitTerms(x, r, start, late, early);
      loc = v.location;
      after = v.id;
      stops.push(
        late > 0
          ? { visit: v.id, arrival, start, end, lateness: late }
          : early > 0
            ? { visit: v.id, arrival, start, end, earliness: early }
            : { visit: v.id, arrival, start, end },
      );
      t = end;
    }
    let back = t;
    if (endLoc !== null) {
      back += travel.duration(p, loc, endLoc);
      routeTime += travel.duration(p, loc, endLoc);
      routeDist += travel.distance(p, loc, endLoc);
    }
    overtime += data.overtimeCost[r] * Math.max(0, back - data.shiftEnd[r]);
    hourly += (data.costPerHour[r] * (back - departure)) / perHour;
    work[data.routeNurse[r]] += back - departure;
    perKm += data.costPerKm[r] * (routeDist / 1000);
    fixed += data.fixedCost[r];
    distance += routeDist;
    travelTime += routeTime;
    top.add('travelTime', 'nurse', nurse.id, w.travelTime * routeTime);
    top.add('distance', 'nurse', nurse.id, w.distance * routeDist);
    top.add(
      'overtime',
      'nurse',
      nurse.id,
      w.overtime * data.overtimeCost[r] * Math.max(0, back - data.shiftEnd[r]),
    );
    top.add('hourlyCost', 'nurse', nurse.id, (data.costPerHour[r] * (back - departure)) / perHour);
    top.add('kmCost', 'nurse', nurse.id, data.costPerKm[r] * (routeDist / 1000));
    top.add('fixedCost', 'nurse', nurse.id, data.fixedCost[r]);
    routes.push({
      vehicle: nurse.id,
      ...(nurse.shifts !== undefined && { shift: data.routeShift[r] }),
      ...(data.calendar !== null && { date: data.calendar.dateOfDay(data.routeDay[r]) }),
      departure,
      return: back,
      distance: routeDist,
      travelTime: routeTime,
      stops: [...frozen[r], ...stops],
      ...(breaks.length > 0 && { breaks }),
    });
  });
  let penalties = 0;
  const unassigned = [];
  for (let v = 0; v < data.nv; v++) {
    if (sched.routeOf[v] >= 0 || data.frozen[v] === 1) continue;
    if (data.mandatory[v] === 0) {
      const penalty = input.visits[v].penalty ?? defaultPenalty(input.visits[v]);
      penalties += penalty;
      top.add('unassigned', 'visit', data.taskId[v], w.unassigned * penalty);
    }
    unassigned.push(explainCareUnassigned(data, sched, v));
  }
  const term = (value: number, weight: number): PlanTerm => ({ value, weight, cost: value * weight });
  const terms: Record<string, PlanTerm> = {
    travelTime: term(travelTime, w.travelTime),
    distance: term(distance, w.distance),
    lateness: term(lateness, w.lateness),
    maxLateness: term(maxLateness, w.maxLateness),
    overtime: term(overtime, w.overtime),
    continuity: term(continuity, w.continuity),
    moved: term(moved, w.moved),
    shifted: term(shifted, w.shifted),
    balance: term(Math.max(...work) - Math.min(...work), w.balance),
    unassigned: term(penalties, w.unassigned),
    hourlyCost: term(hourly, 1),
    kmCost: term(perKm, 1),
    fixedCost: term(fixed, 1),
  };
  // Continuity over time: only where the problem plans patients over a horizon or lists them.
  const report = countsDistinctNurses(input) ? continuityReport(input, { routes }) : null;
  top.add('maxLateness', 'visit', latest, w.maxLateness * maxLateness);
  if (w.balance > 0 && data.N > 0) {
    const busiest = work.indexOf(Math.max(...work));
    top.add('balance', 'nurse', input.nurses[busiest].id, terms.balance.cost);
  }
  for (const p of report?.patients ?? [])
    top.add('distinctNurses', 'patient', p.patient, w.distinctNurses * Math.max(0, p.nurses.length - 1));
  if (report !== null)
    terms.distinctNurses = term(
      report.patients.reduce((sum, p) => sum + Math.max(0, p.nurses.length - 1), 0),
      w.distinctNurses,
    );
  const cost = Object.values(terms).reduce((sum, t) => sum + t.cost, 0);
  return {
    summary: {
      objective: 'weighted',
      cost,
      distance,
      travelTime,
      routes: routes.length,
      unassigned: unassigned.length,
      terms,
      topContributors: top.top(),
      ...(report !== null && { continuity: report.continuity }),
    },
    routes,
    unassigned,
    ...(report !== null && { patients: report.patients }),
  };
}

/** Per route, its frozen visits (done or under way) as they were, in start order. */
function frozenStops(data: CareData): PlanStop[][] {
  const { input } = data;
  const out: PlanStop[][] = Array.from({ length: data.V }, () => []);
  input.visits.forEach((v, x) => {
    if (v.frozen === undefined) return;
    const k = data.frozenRoute[x];
    if (k < 0) return; // her nurse has no day left to hold it (the checker says so)
    const { start } = v.frozen;
    out[k].push({
      visit: v.id,
      arrival: start,
      start,
      end: start + data.service[x * data.V + k],
      frozen: true,
    });
  });
  for (const stops of out) stops.sort((a, b) => a.start - b.start);
  return out;
}
