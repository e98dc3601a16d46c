import type { CareData } from './care-data.ts';
import type { Schedule } from './schedule.ts';

/**
 * The plan handed out never breaks a hard rule, even when the search ends (a very short or
 * degenerate run) on a schedule that still pays the penalty of a working nurse's missing break,
 * or that works a nurse past her limit: such a nurse gives up visits, the least costly to leave
 * out first (optional before mandatory, later in her day before earlier), with their sync and
 * dependency partners, until her break fits and her day is within the limit; then the visits
 * taken out go back wherever they fit in a working nurse's day. Those that do not are reported
 * unassigned like any other. Returns how many visits it left out.
 */
export function repairHardRules(data: CareData, sched: Schedule): number {
  const dropped = new Set<number>();
  for (let guard = 0; guard <= data.n; guard++) {
    const r = firstBrokenRoute(data, sched);
    if (r < 0) break;
    if (placeBreaks(data, sched, r)) continue;
    // The visit whose leaving out costs least, its placed partners' penalties included.
    let victim = -1;
    let victimCost = Infinity;
    for (const x of sched.routes[r]) {
      if (data.isBreak[x] === 1) continue;
      let cost = data.penalty[x];
      for (const u of data.partners[x]) if (sched.routeOf[u] >= 0) cost += data.penalty[u];
      if (cost <= victimCost) [victim, victimCost] = [x, cost];
    }
    if (victim < 0) break;
    const out = [victim, ...data.partners[victim].filter((u) => sched.routeOf[u] >= 0)];
    sched.remove(out);
    for (const x of out) dropped.add(x);
  }
  // Dropping visits made room: put back, at their cheapest place in a working nurse's day,
  // those that fit without breaking anything.
  for (const x of dropped) if (sched.routeOf[x] < 0) reinsert(data, sched, x);
  return [...dropped].filter((x) => sched.routeOf[x] < 0).length;
}

function reinsert(data: CareData, sched: Schedule, x: number): void {
  let best = Infinity;
  let at: [number, number] | null = null;
  for (let r = 0; r < data.V; r++) {
    if (sched.realCount[r] === 0 || !sched.canInsertInto(x, r)) continue;
    for (let p = 0; p <= sched.routes[r].length; p++) {
      const delta = sched.evaluateInsertAt(x, r, p, best);
      if (delta < best) [best, at] = [delta, [r, p]];
    }
  }
  // As recreate: only where it lowers the cost (an optional visit may not be worth its detour).
  if (at !== null && best < 0) sched.insert(x, at[0], at[1]);
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
