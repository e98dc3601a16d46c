import { type Improvement, improvementReporter } from '../search/improvement.ts';
import { type AnnealingState, anneal } from '../search/annealing.ts';
import { Rng } from '../search/rng.ts';
import { DEFAULT_STRINGS } from '../search/string-removal.ts';
import type { StopCondition } from '../search/stop.ts';
import type { CareData } from './care-data.ts';
import { CareLocalSearch } from './care-move-space.ts';
import { CareRecreate } from './care-recreate.ts';
import { CareRuin } from './care-ruin.ts';
import { Schedule } from './schedule.ts';
import { repairHardRules } from './repair.ts';
import { restoreSnapshot, takeSnapshot } from './snapshot.ts';
import { careWarmStart, seedSchedule } from './warm-start.ts';

export interface CareSearchOptions {
  seed?: number;
  stop: StopCondition;
  onImprovement?: (e: Improvement) => void;
  /**
   * Start from these routes (task indices per nurse, breaks included; see careWarmStartTasks)
   * instead of building a first solution: each nurse's tasks are put in the given order where
   * they fit, the rest by the usual construction.
   */
  initial?: readonly (readonly number[])[];
  /** Average number of visits removed per step (SISR's c̄) and the longest string. */
  averageRemoved?: number;
  maxString?: number;
  blinkRate?: number;
  /** Share of recreate steps that try only granular routes first (the rest try every qualified route). */
  granularShare?: number;
  /** Annealing temperatures as multiples of the first solution's cost per visit. */
  startTemperature?: number;
  finalTemperature?: number;
  /**
   * Local search (CareLocalSearch, default true) on the first schedule and on the best one at
   * the end; with `localSearchOnNewBest` (default: on days of NEW_BEST_SEARCH_MIN_VISITS visits
   * or more), around the visits a step reinserted when it beats the best schedule found so far,
   * on at most NEW_BEST_SEARCH_SHARE of the steps; with `localSearchEveryStep`, around the
   * visits every step reinserted (measured slower at equal time on the committed days:
   * docs/solver.md).
   */
  localSearch?: boolean;
  localSearchOnNewBest?: boolean;
  localSearchEveryStep?: boolean;
  /** Called after every ruin-and-recreate step with the schedule it made (tests: invariant checks). */
  afterStep?: (sched: Schedule, iteration: number) => void;
}

/**
 * Most steps, as a share of those made, that get a local search for beating the best schedule
 * (measured: all of them cost 3.5% on the 3000-visit day at 10 s, where new bests come every
 * few steps; with this cap −0.5% there and −0.95% on the 600-visit day at 30 s; docs/benchmarks.md).
 */
export const NEW_BEST_SEARCH_SHARE = 0.02;

/**
 * Days with fewer visits get no local search on new bests by default: steps are cheap there and
 * the annealing explores better without it (Mankowska D, 75 visits, 10 s, seeds 1-3: 0.17% off
 * against 0.58% on; E-F, 100 and 200 visits, seeds 1-2: 0.55% off against 0.26% on;
 * docs/benchmarks.md).
 */
export const NEW_BEST_SEARCH_MIN_VISITS = 100;

/**
 * Recreate orders a step draws from: random, latest due first, farthest first, fewest nurses
 * first (CareRecreate), and regret (the fifth: a fifth of the steps; docs/benchmarks.md).
 */
const RECREATE_ORDERS = 5;

export interface CareSearchResult {
  best: Schedule;
  cost: number;
  iterations: number;
}

/**
 * Ruin and recreate under simulated annealing for home care: strings around a seed visit and
 * its nearest visits (SISR, as the core), visits close in time or late, are removed with every
 * sync or dependency partner (care-ruin.ts), then reinserted one by one at their cheapest
 * position (exact cost change across routes, see Schedule), partners right after each other,
 * skipping positions at the blink rate.
 */
export function careSearch(data: CareData, opts: CareSearchOptions): CareSearchResult {
  const rng = new Rng(opts.seed ?? 1);
  const sched = new Schedule(data);
  const blink = opts.blinkRate ?? 0.01;
  const ruin = new CareRuin(data, sched, {
    ...DEFAULT_STRINGS,
    avgRemoved: opts.averageRemoved ?? DEFAULT_STRINGS.avgRemoved,
    maxString: opts.maxString ?? DEFAULT_STRINGS.maxString,
  });
  // Trying every qualified nurse costs in proportion to their number: with many nurses, most
  // steps stay granular (half of them up to 60 nurses, 85% at 200, 90% at 300).
  const granularShare = opts.granularShare ?? Math.max(0.5, 1 - 30 / data.V);

  let all = Array.from({ length: data.n }, (_, v) => v);
  if (opts.initial) {
    seedSchedule(data, sched, opts.initial);
    all = all.filter((v) => sched.routeOf[v] < 0);
  }
  const recreate = new CareRecreate(data, sched, blink);
  recreate.recreate(rng, all, 0, true, new Uint8Array(data.n), new Uint8Array(data.V));
  const ls = opts.localSearch === false ? null : new CareLocalSearch(sched);
  const lsEveryStep = ls !== null && opts.localSearchEveryStep === true;
  const lsOnNewBest = ls !== null && (opts.localSearchOnNewBest ?? data.nv >= NEW_BEST_SEARCH_MIN_VISITS);
  let newBestSearches = 0;
  // The temperatures follow the construction's cost, before local search improves it.
  // (Nurse-days' cost under the `vehicles` objective aside: it must not heat the annealing.)
  const perVisit =
    Math.max(sched.cost - sched.penaltyTotal - data.nurseDayCost * working(sched), 1e-9) /
    Math.max(1, data.n);
  // Local search on the construction, unless it is a warm start the construction had nothing
  // to add to (taken as it is: same cost at iteration 0), or a nurse works without her break
  // (tightening her day would keep it out: the steps place it first).
  const breakOut = () => data.isBreak.some((b, v) => b === 1 && sched.routeOf[v] < 0);
  if (!breakOut() && !(opts.initial && all.every((v) => sched.routeOf[v] < 0)))
    ls?.runRoutes(sched.routes.keys());
  let best = takeSnapshot(sched);
  let current = takeSnapshot(sched);
  const improved = improvementReporter(opts.onImprovement, () => careWarmStart(data, best.routes));
  // Reported in the plan's terms: without the nurse-days' cost of the `vehicles` objective.
  const report = (iteration: number, cost: number) =>
    improved({ iteration, cost: cost - data.nurseDayCost * working(sched), ...counts(sched) });
  report(0, best.cost);

  const removed: number[] = [];
  const inRemoved = new Uint8Array(data.n);
  // Visits left out before this step, and the routes the step's removals changed. On a day with
  // more visits than the nurses can take, many stay out, and offering each of them every nurse
  // at every step is most of the work: a visit that did not fit an unchanged route still does
  // not, so past a few they are offered only the changed routes.
  const carried = new Uint8Array(data.n);
  const carriedFreely = Math.max(10, Math.ceil(data.nv / 100));
  const lengthBefore = new Int32Array(data.V);
  const changed = new Uint8Array(data.V);
  const state: AnnealingState = {
    step(iteration) {
      removed.length = 0;
      let out = 0;
      for (let v = 0; v < data.n; v++)
        out += carried[v] = sched.routeOf[v] < 0 && data.isBreak[v] === 0 ? 1 : 0;
      if (out <= carriedFreely) carried.fill(0);
      for (let r = 0; r < data.V; r++) lengthBefore[r] = sched.routes[r].length;
      ruin.ruin(rng, removed, inRemoved);
      sched.remove(removed);
      for (let r = 0; r < data.V; r++) changed[r] = sched.routes[r].length !== lengthBefore[r] ? 1 : 0;
      for (let v = 0; v < data.n; v++) if (sched.routeOf[v] < 0 && inRemoved[v] === 0) removed.push(v);
      for (const v of removed) inRemoved[v] = 0;
      // Removal schedules the rest as early as it can: a nurse whose first visit can now start
      // earlier leaves earlier and may work past her limit. Insertion cannot shorten her day, so
      // the step is given up (a plan never breaks the limit, even for a moment).
      if (sched.overworkedRoute() >= 0) {
        restoreSnapshot(sched, current);
        return undefined;
      }
      recreate.recreate(
        rng,
        removed,
        rng.int(RECREATE_ORDERS),
        rng.next() < granularShare,
        carried,
        changed,
        ruin.lead,
      );
      // A step that beats the best found so far is polished before the annealing judges it, on
      // at most NEW_BEST_SEARCH_SHARE of the steps (a large day still far from good finds a
      // new best every few steps, and there the steps are worth more).
      const polish =
        lsOnNewBest && sched.cost < best.cost - 1e-9 && newBestSearches < NEW_BEST_SEARCH_SHARE * iteration;
      if (lsEveryStep || (polish && !breakOut())) {
        if (polish) newBestSearches++;
        ls!.run(removed);
      }
      opts.afterStep?.(sched, iteration);
      return sched.cost;
    },
    accept() {
      current = takeSnapshot(sched, current);
    },
    reject() {
      restoreSnapshot(sched, current);
    },
    keepBest() {
      best = takeSnapshot(sched, best);
    },
  };
  const { iterations: it } = anneal(state, {
    rng,
    stop: opts.stop,
    startCost: current.cost,
    startTemperature: (opts.startTemperature ?? 10) * perVisit,
    finalTemperature: (opts.finalTemperature ?? 0.01) * perVisit,
    onBest: report,
  });
  restoreSnapshot(sched, best);
  // A last local search on the best schedule, reported like any improvement (not on a warm
  // start that no step ran from: it is handed back as it was given; nor while a break is out,
  // which the repair below fits in).
  if (ls && !(opts.initial && it === 0) && !breakOut() && ls.runRoutes(sched.routes.keys()) > 0) {
    best = takeSnapshot(sched, best);
    report(it, sched.cost);
  }
  repairHardRules(data, sched);
  return { best: sched, cost: sched.cost, iterations: it };
}

/** Nurse-days with visits (breaks alone are no work). */
function working(s: Schedule): number {
  let k = 0;
  for (const c of s.realCount) if (c > 0) k++;
  return k;
}

function counts(s: Schedule): { routes: number; unassigned: number } {
  let unassigned = 0;
  for (const r of s.routeOf) if (r < 0) unassigned++;
  return { routes: s.routes.filter((r) => r.length > 0).length, unassigned };
}
