import type { PlanUnassigned } from '../model/plan.ts';
import type { CareData } from './care-data.ts';
import type { Schedule } from './schedule.ts';

/**
 * Why a visit is out of the plan, found by testing it against each nurse, not guessed: no nurse
 * qualified; no nurse able to reach it inside its windows and be back within her shift, even
 * alone; no nurse with a visit or working-time allowance left; a feasible position exists but
 * costs more than the visit's penalty (optional visits); its sync or dependency partners rule
 * every position out; otherwise the routes had no room for it.
 */
export function explainCareUnassigned(data: CareData, sched: Schedule, v: number): PlanUnassigned {
  const visit = data.input.visits[v].id;
  const V = data.V;
  const eligible: number[] = [];
  for (let r = 0; r < V; r++) if (data.canDo[v * V + r] === 1) eligible.push(r);
  if (eligible.length === 0)
    return {
      visit,
      reason: 'skills',
      message: 'no nurse has the skills it needs (or every qualified nurse is excluded)',
    };

  let reachable = false;
  let withinLimits = false;
  for (const r of eligible) {
    const t = data.shiftStart[r] + data.travelTime(r, data.nurseStart[r], v);
    const s = data.earliestIn(v, t);
    if (s === Infinity) continue;
    const end = s + data.service[v * V + r];
    const back = data.nurseEnd[r] < 0 ? end : end + data.travelTime(r, v, data.nurseEnd[r]);
    if (back > data.shiftEnd[r] + data.overtimeMax[r] + 1e-9) continue;
    reachable = true;
    const work = back - Math.max(data.shiftStart[r], s - data.travelTime(r, data.nurseStart[r], v));
    if (work <= data.maxWork[r] + 1e-9 && sched.routes[r].length < data.maxVisits[r] && data.maxVisits[r] > 0)
      withinLimits = true;
  }
  if (!reachable)
    return {
      visit,
      reason: 'time_window',
      message: 'no qualified nurse can reach it within its time windows and be back by the end of her shift',
    };
  if (!withinLimits)
    return {
      visit,
      reason: 'limits',
      message: 'every qualified nurse is at her visit limit or working-time limit',
    };

  let cheapest = Infinity;
  for (const r of eligible)
    for (let p = 0; p <= sched.routes[r].length; p++)
      cheapest = Math.min(cheapest, sched.evaluateInsert(v, r, p));
  if (cheapest < Infinity)
    return {
      visit,
      reason: 'penalty',
      message: 'optional, and serving it would cost more than its penalty for leaving it out',
    };
  const placedPartners = data.partners[v].filter((u) => sched.routeOf[u] >= 0);
  if (placedPartners.length > 0 || data.partners[v].length > 0)
    return {
      visit,
      reason: 'partner',
      message: 'its double-handed partner or dependency cannot be met at any position of any qualified nurse',
    };
  return { visit, reason: 'no_room', message: 'a nurse could do it alone, but no route had room for it' };
}
