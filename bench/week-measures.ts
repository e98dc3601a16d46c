import type { Calendar } from '../solver/calendar/calendar.ts';
import { routeShift } from '../solver/check/check-horizon.ts';
import type { ProblemInput } from '../solver/model/input.ts';
import type { Plan } from '../solver/model/plan.ts';

/**
 * What bench/week.ts compares between the week plan and the week put together day by day: the
 * same measures for both, on the week problem and the week's time axis.
 */

export interface Measures {
  travelTime: number;
  meanNurses: number;
  worstNurses: number;
  /** Share of a patient's visits by a nurse in her history (the week problem's known nurses), mean over patients. */
  meanKnownShare: number;
  /** The same, a nurse being known also once she saw the patient on an earlier day. */
  meanKnownShareSoFar: number;
  overtime: number;
  nursesOverContract: number;
  overContract: number;
  mandatoryLeftOut: number;
  optionalLeftOut: number;
  routes: number;
  /** The week objective (summary.cost) of the plan. */
  cost: number;
}

export function measureWeekPlan(input: ProblemInput, calendar: Calendar, plan: Plan): Measures {
  const visitById = new Map(input.visits.map((v) => [v.id, v]));
  const mandatory = new Set(input.visits.filter((v) => v.optional !== true).map((v) => v.id));
  const nurses = new Map(input.nurses.map((n) => [n.id, n]));
  const perPatient = new Map<string, { day: number; nurse: string; visit: string }[]>();
  let overtime = 0;
  const work = new Map<string, number>();
  for (const r of plan.routes) {
    const nurse = nurses.get(r.vehicle)!;
    const shift = routeShift(nurse, r);
    if (shift !== undefined) overtime += Math.max(0, r.return - shift.end);
    work.set(r.vehicle, (work.get(r.vehicle) ?? 0) + (r.return - r.departure));
    for (const s of r.stops) {
      const v = visitById.get(s.visit)!;
      const p = v.patient ?? v.id;
      const list = perPatient.get(p) ?? [];
      list.push({ day: calendar.dayOf(s.start), nurse: r.vehicle, visit: v.id });
      perPatient.set(p, list);
    }
  }
  const counts: number[] = [];
  const known: number[] = [];
  const soFar: number[] = [];
  for (const list of perPatient.values()) {
    counts.push(new Set(list.map((x) => x.nurse)).size);
    const history = new Set(visitById.get(list[0].visit)!.preferredNurses ?? []);
    known.push(list.filter((x) => history.has(x.nurse)).length / list.length);
    let k = 0;
    for (const x of list)
      if (history.has(x.nurse) || list.some((y) => y.nurse === x.nurse && y.day < x.day)) k++;
    soFar.push(k / list.length);
  }
  let nursesOver = 0;
  let over = 0;
  for (const [id, w] of work) {
    const cap = nurses.get(id)!.contract?.maxWorkingTime;
    if (cap !== undefined && w > cap + 1e-6) {
      nursesOver++;
      over += w - cap;
    }
  }
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const left = plan.unassigned.filter((u) => mandatory.has(u.visit)).length;
  return {
    travelTime: plan.summary.travelTime,
    meanNurses: mean(counts),
    worstNurses: Math.max(0, ...counts),
    meanKnownShare: mean(known),
    meanKnownShareSoFar: mean(soFar),
    overtime,
    nursesOverContract: nursesOver,
    overContract: over,
    mandatoryLeftOut: left,
    optionalLeftOut: plan.unassigned.length - left,
    routes: plan.routes.length,
    cost: plan.summary.cost,
  };
}
