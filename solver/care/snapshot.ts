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

/**
 * A copy of a schedule's state, to return to after a rejected search step or to keep the best;
 * only for the schedule it was taken from (`owner`: another throws). `versions` holds, per
 * route, the schedule's routeVersion when the copy of that route was made: while the two are
 * equal the route has not changed (every change of a sequence bumps its version), so taking
 * and restoring copy only the routes that changed (most steps touch a few).
 */
export interface ScheduleSnapshot {
  owner: Schedule;
  routes: number[][];
  versions: Float64Array;
  arrays: (Int32Array | Float64Array)[];
  totals: number[];
  cost: number;
}

export function takeSnapshot(s: Schedule, into?: ScheduleSnapshot): ScheduleSnapshot {
  if (into === undefined)
    return {
      owner: s,
      routes: s.routes.map((r) => r.slice()),
      versions: s.routeVersion.slice(),
      arrays: ARRAYS.map((k) => s[k].slice()),
      totals: TOTALS.map((k) => s[k]),
      cost: s.cost,
    };
  sameOwner(s, into);
  for (let r = 0; r < s.routes.length; r++) {
    if (into.versions[r] === s.routeVersion[r]) continue;
    copyInto(s.routes[r], into.routes[r]);
    into.versions[r] = s.routeVersion[r];
  }
  ARRAYS.forEach((k, i) => into.arrays[i].set(s[k]));
  into.totals = TOTALS.map((k) => s[k]);
  into.cost = s.cost;
  return into;
}

export function restoreSnapshot(s: Schedule, snap: ScheduleSnapshot): void {
  sameOwner(s, snap);
  s.placements++;
  for (let r = 0; r < s.routes.length; r++) {
    if (snap.versions[r] === s.routeVersion[r]) continue;
    // A route changed and changed back (a visit put back where it was) keeps its version, and
    // with it what is cached per route version (latest starts, travel cost).
    if (!equal(snap.routes[r], s.routes[r])) {
      copyInto(snap.routes[r], s.routes[r]);
      s.sequenceChanged(r);
    }
    // The schedule's route is the snapshot's again, under its version.
    snap.versions[r] = s.routeVersion[r];
  }
  ARRAYS.forEach((k, i) => s[k].set(snap.arrays[i]));
  TOTALS.forEach((k, i) => (s[k] = snap.totals[i]));
}

function copyInto(from: readonly number[], to: number[]): void {
  // Shrunk by its length, grown by pushes: a longer length would leave holes, and a route with
  // holes becomes a slower kind of array for every later read.
  if (to.length > from.length) to.length = from.length;
  for (let k = 0; k < to.length; k++) to[k] = from[k];
  for (let k = to.length; k < from.length; k++) to.push(from[k]);
}

function equal(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Versions are only comparable within one schedule. */
function sameOwner(s: Schedule, snap: ScheduleSnapshot): void {
  if (snap.owner !== s) throw new Error('a schedule snapshot is used with another schedule than its own');
}
