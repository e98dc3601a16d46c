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
  const needs = data.input.visits[v].skills ?? [];
  if (eligible.length === 0)
    return {
      visit,
      reason: 'skills',
      message:
        needs.length > 0
          ? `no nurse has ${needs.join(' and ')} and may see this patient on its day (or every qualified nurse is excluded)`
          : 'no nurse may do it (every nurse is excluded, or none works on its day)',
    };

  const clock = (t: number) => data.calendar?.format(t) ?? String(Math.round(t * 100) / 100);
  const nurse = (r: number) => data.input.nurses[data.routeNurse[r]].id;
  let reachable = false;
  let withinLimits = false;
  /** Qualified nurses who could reach it in time, but whose limits it would break. */
  const limited: number[] = [];
  // The closest miss: the earliest a qualified nurse can start it, or the least she would be back too late.
  let earliest = { t: Infinity, r: -1 };
  let lateBack = { by: Infinity, r: -1, back: 0 };
  for (const r of eligible) {
    const arrive = data.shiftStart[r] + data.travelTime(r, data.nurseStart[r], v);
    if (arrive < earliest.t) earliest = { t: arrive, r };
    const s = data.earliestIn(v, arrive);
    if (s === Infinity) continue;
    const end = s + data.service[v * V + r];
    const back = data.nurseEnd[r] < 0 ? end : end + data.travelTime(r, v, data.nurseEnd[r]);
    const limit = data.shiftEnd[r] + data.overtimeMax[r];
    if (back > limit + 1e-9) {
      if (back - limit < lateBack.by) lateBack = { by: back - limit, r, back };
      continue;
    }
    reachable = true;
    const work = back - Math.max(data.shiftStart[r], s - data.travelTime(r, data.nurseStart[r], v));
    if (work <= data.maxWork[r] + 1e-9 && sched.realCount[r] < data.maxVisits[r] && data.maxVisits[r] > 0)
      withinLimits = true;
    else limited.push(r);
  }
  if (!reachable) {
    const closes = data.lastWindowEnd(v);
    return {
      visit,
      reason: 'time_window',
      message:
        lateBack.r >= 0
          ? `no qualified nurse can do it within its time windows and be back by the end of her shift: ` +
            `${nurse(lateBack.r)} would be back at ${clock(lateBack.back)}, ${Math.round(lateBack.by * 100) / 100} ${data.input.timeUnit === 'second' ? 's' : 'min'} after her shift (overtime included) ends`
          : `no qualified nurse can reach it within its time windows: the earliest is ${nurse(earliest.r)} at ${clock(earliest.t)}, ` +
            `after its last window closes at ${clock(closes)}`,
    };
  }
  if (!withinLimits)
    return {
      visit,
      reason: 'limits',
      message: `every qualified nurse is at her visit limit or working-time limit (${limited
        .slice(0, 5)
        .map((r) =>
          sched.realCount[r] >= data.maxVisits[r]
            ? `${nurse(r)}: ${sched.realCount[r]} visits of ${data.maxVisits[r]}`
            : `${nurse(r)}: it would take her working time past ${Math.round(data.maxWork[r] * 100) / 100}`,
        )
        .join('; ')}${limited.length > 5 ? '; …' : ''})`,
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
  if (data.partners[v].length > 0)
    return {
      visit,
      reason: 'partner',
      message: `its double-handed partner or dependency (${data.partners[v]
        .slice(0, 3)
        .map(
          (u) =>
            data.taskId[u] +
            (sched.routeOf[u] >= 0
              ? ` with ${nurse(sched.routeOf[u])} at ${clock(sched.start[u])}`
              : ', left out'),
        )
        .join('; ')}) cannot be met at any position of any qualified nurse`,
    };
  return { visit, reason: 'no_room', message: 'a nurse could do it alone, but no route had room for it' };
}
