import type { Rng } from '../search/rng.ts';
import { seedThenNearest, type StringParams, StringRemoval } from '../search/string-removal.ts';
import type { CareData } from './care-data.ts';
import type { Schedule } from './schedule.ts';
import { ScheduleView } from './schedule-view.ts';

/**
 * Removal for home care, one of three kinds per step (every removed visit takes its sync and
 * dependency partners along):
 *  - spatial (half the steps): SISR strings of adjacent visits in the routes of a random seed
 *    visit and of its nearest visits (search/string-removal.ts, written once for both engines);
 *  - lateness: the same strings around a mandatory visit left out, where it would go, or else
 *    around a late visit, drawn in proportion to its lateness, so the search keeps reworking
 *    what costs tardiness; on a day where nothing is late either, a visit its patient's
 *    preferred nurses do not serve, with a string from one of their routes around its time
 *    first (room for it where continuity wants it);
 *  - temporal: the visits starting closest in time to a random seed, across all routes, which
 *    frees the moments synchronised visits compete for.
 */
export class CareRuin {
  private readonly strings: StringRemoval;
  private readonly view: ScheduleView;
  /**
   * The visit the last ruin took away from nurses its patient does not prefer, with a string of
   * a preferred nurse's route around its time (-1 for other kinds): the recreate places it
   * first, into the room made for it, before the string's visits fill that room again.
   */
  lead = -1;

  constructor(
    private readonly data: CareData,
    sched: Schedule,
    private readonly params: StringParams,
  ) {
    this.strings = new StringRemoval(data.V, params);
    this.view = new ScheduleView(sched);
  }

  /** Appends the visits to remove to `out` (marked in `mark`); the caller removes them. */
  ruin(rng: Rng, out: number[], mark: Uint8Array): void {
    const { data, view } = this;
    const sched = view.sched;
    this.lead = -1;
    const placed: number[] = [];
    let used = 0;
    for (const r of sched.routes) {
      placed.push(...r);
      if (r.length > 0) used++;
    }
    if (placed.length === 0) return;
    const target = 1 + rng.int(Math.min(placed.length, 2 * this.params.avgRemoved));
    const take = (v: number) => {
      if (mark[v] === 1) return;
      mark[v] = 1;
      out.push(v);
      for (const u of data.partners[v]) if (sched.routeOf[u] >= 0 && mark[u] === 0) take(u);
    };
    const kind = rng.next();
    let seed = placed[rng.int(placed.length)];
    if (kind >= 0.75) {
      const at = sched.start[seed];
      const closer = (a: number, b: number) =>
        Math.abs(sched.start[a] - at) - Math.abs(sched.start[b] - at) || a - b;
      // Only the closest few are ever taken: sort those (a partial selection keeps the step
      // linear on a day of thousands of visits), all of them if partners used them up.
      for (const few of [Math.min(placed.length, 4 * target + 8), placed.length]) {
        const order = closest(placed, few, closer);
        for (const v of order) {
          if (out.length >= target) return;
          take(v);
        }
      }
      return;
    }
    const routes = this.strings.begin(used, placed.length, rng);
    if (kind >= 0.5) {
      const left = outSeed(data, sched, rng);
      const late = left === null ? lateSeed(sched, placed, rng) : null;
      if (left !== null) seed = left;
      else if (late !== null) seed = late;
      else {
        const stray = straySeed(data, sched, placed, rng);
        if (stray !== null) {
          seed = stray;
          const r = preferredRoute(data, sched, stray, rng);
          if (r >= 0) {
            this.strings.markRuined(r);
            const route = sched.routes[r];
            const len = Math.min(route.length, 1 + rng.int(this.params.maxString), target - 1);
            const at = closestInTime(sched, route, sched.start[stray]);
            const from = Math.max(0, Math.min(at - rng.int(len + 1), route.length - len));
            take(stray);
            this.lead = stray;
            for (let k = from; k < from + len; k++) take(route[k]);
          }
        }
      }
    }
    this.strings.removeStrings(view, seedThenNearest(seed, data.nearest[seed]), routes, rng, take);
  }
}

/** A placed visit whose patient has preferred nurses none of whom serves it (drawn uniformly), or null. */
function straySeed(data: CareData, sched: Schedule, placed: number[], rng: Rng): number | null {
  const V = data.V;
  let count = 0;
  let pick = -1;
  for (const v of placed) {
    if (data.hasPreferred[v] === 0 || data.preferred[v * V + sched.routeOf[v]] === 1) continue;
    // Reservoir sampling: one pass, no list.
    if (rng.int(++count) === 0) pick = v;
  }
  return pick >= 0 ? pick : null;
}

/** A route of one of v's preferred nurses that may take it (drawn uniformly), or -1. */
function preferredRoute(data: CareData, sched: Schedule, v: number, rng: Rng): number {
  const V = data.V;
  let count = 0;
  let pick = -1;
  for (let r = 0; r < V; r++)
    if (data.preferred[v * V + r] === 1 && data.canDo[v * V + r] === 1 && sched.routes[r].length > 0)
      if (rng.int(++count) === 0) pick = r;
  return pick;
}

/** The position in `route` of the task starting closest to t. */
function closestInTime(sched: Schedule, route: readonly number[], t: number): number {
  let best = 0;
  for (let k = 1; k < route.length; k++)
    if (Math.abs(sched.start[route[k]] - t) < Math.abs(sched.start[route[best]] - t)) best = k;
  return best;
}

/**
 * A mandatory visit left out (drawn uniformly), or null: strings are then taken around where it
 * would go (it is not routed itself, so its nearest visits' routes give them).
 */
function outSeed(data: CareData, sched: Schedule, rng: Rng): number | null {
  let count = 0;
  let pick = -1;
  for (let v = 0; v < data.nv; v++)
    if (sched.routeOf[v] < 0 && data.mandatory[v] === 1 && rng.int(++count) === 0) pick = v;
  return pick >= 0 ? pick : null;
}

/** A late visit drawn with probability proportional to its lateness, or null when none is late. */
function lateSeed(sched: Schedule, placed: number[], rng: Rng): number | null {
  let total = 0;
  for (const v of placed) total += sched.late[v];
  if (total <= 0) return null;
  let x = rng.next() * total;
  for (const v of placed) {
    x -= sched.late[v];
    if (x <= 0 && sched.late[v] > 0) return v;
  }
  return null;
}

/** The k first of `items` in the order `cmp` (a strict total order), sorted; `items` is reordered. */
function closest(items: number[], k: number, cmp: (a: number, b: number) => number): number[] {
  if (k >= items.length) return items.sort(cmp);
  // Quickselect: items[0..k) end up the k first, in any order.
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const pivot = items[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (cmp(items[i], pivot) < 0) i++;
      while (cmp(items[j], pivot) > 0) j--;
      if (i <= j) {
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
  return items.slice(0, k).sort(cmp);
}
