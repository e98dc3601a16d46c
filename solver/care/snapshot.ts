import type { Schedule } from './schedule.ts';

/** The typed arrays and the cost parts that make up a schedule's state (routes aside). */
const ARRAYS = ['routeOf', 'pos', 'realCount', 'start', 'late', 'ret', 'workStart'] as const;
const TOTALS = [
  'arcTotal',
  'lateTotal',
  'maxLate',
  'routeTimeTotal',
  'continuityTotal',
  'penaltyTotal',
  'fixedTotal',
  'spread',
  'movedTotal',
  'shiftTotal',
  'distinctTotal',
] as const;

/** A copy of a schedule's state, to return to after a rejected search step or to keep the best. */
export interface ScheduleSnapshot {
  routes: number[][];
  arrays: (Int32Array | Float64Array)[];
  totals: number[];
  cost: number;
}

export function takeSnapshot(s: Schedule, into?: ScheduleSnapshot): ScheduleSnapshot {
  if (into === undefined)
    return {
      routes: s.routes.map((r) => r.slice()),
      arrays: ARRAYS.map((k) => s[k].slice()),
      totals: TOTALS.map((k) => s[k]),
      cost: s.cost,
    };
  copyRoutes(s.routes, into.routes);
  ARRAYS.forEach((k, i) => into.arrays[i].set(s[k]));
  into.totals = TOTALS.map((k) => s[k]);
  into.cost = s.cost;
  return into;
}

export function restoreSnapshot(s: Schedule, snap: ScheduleSnapshot): void {
  s.placements++;
  // Only the routes that differ are copied (and marked changed: most steps touch a few).
  snap.routes.forEach((from, r) => {
    const to = s.routes[r];
    if (from.length === to.length && from.every((x, k) => x === to[k])) return;
    to.length = 0;
    to.push(...from);
    s.sequenceChanged(r);
  });
  ARRAYS.forEach((k, i) => s[k].set(snap.arrays[i]));
  TOTALS.forEach((k, i) => (s[k] = snap.totals[i]));
}

function copyRoutes(from: readonly number[][], to: number[][]): void {
  from.forEach((r, k) => {
    to[k].length = 0;
    to[k].push(...r);
  });
}
