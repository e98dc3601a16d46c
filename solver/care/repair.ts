import type { CareData } from './care-data.ts';
import type { Schedule } from './schedule.ts';

/**
 * The plan handed out never breaks a hard rule, even when the search ends (a very short or
 * degenerate run) on a schedule that still pays the penalty of a working nurse's missing break,
 * or that works a nurse past her limit: such a nurse gives up visits, the least costly to leave
 * out first (optional before mandatory, later in her day before earlier), with their sync and
 * dependency partners, until her break fits and her day is within the limit. The visits taken
 * out are reported unassigned like any other. Returns how many visits it took out.
 */
export function repairHardRules(data: CareData, sched: Schedule): number {
  let dropped = 0;
  for (let guard = 0; guard <= data.n; guard++) {
    const r = firstBrokenRoute(data, sched);
    if (r < 0) return dropped;
    if (placeBreaks(data, sched, r)) continue;
    const route = sched.routes[r];
    let victim = -1;
    for (const x of route)
      if (data.isBreak[x] === 0 && (victim < 0 || data.penalty[x] <= data.penalty[victim])) victim = x;
    if (victim < 0) return dropped;
    const out = [victim, ...data.partners[victim].filter((u) => sched.routeOf[u] >= 0)];
    sched.remove(out);
    dropped += out.length;
  }
  return dropped;
}

/** A working route with a break of its nurse unplaced, or working past her limit (-1: none). */
function firstBrokenRoute(data: CareData, sched: Schedule): number {
  for (let b = data.nv; b < data.n; b++) {
    if (sched.routeOf[b] >= 0) continue;
    for (let r = 0; r < data.V; r++) if (data.canDo[b * data.V + r] === 1 && sched.realCount[r] > 0) return r;
  }
  return sched.overworkedRoute();
}

/** Inserts route r's unplaced breaks at their cheapest feasible positions; false if one does not fit. */
function placeBreaks(data: CareData, sched: Schedule, r: number): boolean {
  if (sched.overworkedRoute() === r) return false;
  for (let b = data.nv; b < data.n; b++) {
    if (sched.routeOf[b] >= 0 || data.canDo[b * data.V + r] === 0) continue;
    let best = Infinity;
    let at = -1;
    for (let p = 0; p <= sched.routes[r].length; p++) {
      const delta = sched.evaluateInsert(b, r, p);
      if (delta < best) [best, at] = [delta, p];
    }
    if (at < 0) return false;
    sched.insert(b, r, at);
  }
  return true;
}
