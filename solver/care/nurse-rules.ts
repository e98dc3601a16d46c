import type { CareData } from './care-data.ts';

const EPS = 1e-9;

/** A view of a nurse's days (routes): visits other than breaks, when work starts, when she is back. */
export interface RouteTimes {
  real(r: number): number;
  workStart(r: number): number;
  back(r: number): number;
}

/**
 * Whether nurse k keeps her rules over the horizon (docs/calendar.md, "Contracts") with her days
 * timed as `days` gives them: her working time in all, the rest between the end of one working
 * day and the start of the next, and her longest run of consecutive working days. A day with
 * only frozen work (done or under way) counts as a working day, as the plan shows it.
 */
export function nurseRulesHold(d: CareData, k: number, days: RouteTimes): boolean {
  let total = 0;
  let run = 0;
  let lastDay = -Infinity;
  let lastEnd = -Infinity;
  let dayStart = Infinity;
  let dayEnd = -Infinity;
  let day = -Infinity;
  const closeDay = (): boolean => {
    if (day === -Infinity) return true;
    if (dayStart - lastEnd < d.minRest[k] - EPS) return false;
    run = day === lastDay + 1 ? run + 1 : 1;
    if (run > d.maxDays[k]) return false;
    lastDay = day;
    lastEnd = dayEnd;
    return true;
  };
  for (const r of d.nurseRoutes[k]) {
    let ws: number;
    let back: number;
    if (days.real(r) > 0) {
      ws = days.workStart(r);
      back = days.back(r);
    } else if (d.frozenCount[r] > 0) {
      ws = d.shiftStart[r];
      back = ws + d.frozenWork[r];
    } else continue;
    total += back - ws;
    if (d.routeDay[r] !== day) {
      if (!closeDay()) return false;
      day = d.routeDay[r];
      dayStart = ws;
      dayEnd = back;
    } else dayEnd = Math.max(dayEnd, back);
  }
  return closeDay() && total <= d.contractWork[k] + EPS;
}
