import type { ProblemData } from './problem-data.ts';
import type { Rng } from '../search/rng.ts';
import { Solution } from './solution.ts';
import type { StopCondition } from '../search/stop.ts';
import type { Recreate } from './recreate.ts';
import type { CoreRuin } from './core-ruin.ts';

/**
 * Fleet minimization (Christiaens & Vanden Berghe 2020, section 5): empty the smallest route,
 * then ruin and recreate with no new route allowed, accepting a step when it leaves fewer
 * visits out or visits that were left out less often (absence counters steer the search to
 * the visits that are hard to place). Each time every visit fits, the fleet shrinks by one.
 * Returns the routes of the smallest complete solution found (the input when none is smaller).
 */
export function minimizeFleet(
  data: ProblemData,
  start: Solution,
  ruin: CoreRuin,
  recreate: Recreate,
  rng: Rng,
  stop: StopCondition,
  firstIteration: number,
): { best: Solution; iterations: number } {
  const best = new Solution(data);
  best.copyFrom(start);
  const current = new Solution(data);
  current.copyFrom(start);
  const candidate = new Solution(data);
  const absences = new Float64Array(data.numNodes);
  const touched = new Set<number>();

  const removeSmallestRoute = () => {
    let smallest = -1;
    for (let r = 0; r < current.routes.length; r++) {
      const size = current.routes[r].size;
      if (size > 0 && (smallest < 0 || size < current.routes[smallest].size)) smallest = r;
    }
    if (smallest < 0) return false;
    touched.clear();
    current.removeMany(current.routes[smallest].visits(), touched);
    current.maxRoutes = current.usedRoutes();
    return true;
  };
  if (start.unassigned().length > 0 || !removeSmallestRoute()) return { best, iterations: 0 };
  let currentOut = current.unassigned();
  candidate.copyFrom(current);
  candidate.maxRoutes = current.maxRoutes;

  let it = 0;
  const removed: number[] = [];
  while (!stop.shouldStop(firstIteration + it) && current.maxRoutes > 0) {
    it++;
    touched.clear();
    removed.length = 0;
    ruin.ruin(candidate, rng, removed, touched);
    for (const n of currentOut) if (!removed.includes(n)) removed.push(n);
    recreate.recreate(candidate, removed, rng, touched);
    const out = candidate.unassigned();
    const absence = sum(absences, out);
    // Counters grow as the search goes, so the current state's sum is taken afresh.
    const currentAbsence = sum(absences, currentOut);
    if (out.length < currentOut.length || absence < currentAbsence) {
      for (const r of touched) current.copyRouteFrom(candidate, r);
      currentOut = out;
    } else {
      for (const r of touched) candidate.copyRouteFrom(current, r);
    }
    for (const n of out) absences[n]++;
    if (currentOut.length === 0) {
      best.copyFrom(current);
      if (!removeSmallestRoute()) break;
      candidate.copyFrom(current);
      candidate.maxRoutes = current.maxRoutes;
      currentOut = current.unassigned();
    }
  }
  return { best, iterations: it };
}

function sum(values: Float64Array, nodes: number[]): number {
  let s = 0;
  for (const n of nodes) s += values[n];
  return s;
}
