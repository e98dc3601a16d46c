import { MAX_ROUNDING_GAIN, type ProblemData } from './problem-data.ts';
import { Rng } from '../search/rng.ts';
import { Solution } from './solution.ts';
import { type StopCondition, stopPhase } from '../search/stop.ts';
import { chainCount, LARGE_LONG_ROUTE_CHAINS, searchChains } from './chains.ts';
import { CostEvaluator } from './cost-evaluator.ts';
import { CoreLocalSearch } from './core-move-space.ts';
import { Recreate } from './recreate.ts';
import { DEFAULT_RUIN, type RuinParams, CoreRuin } from './core-ruin.ts';
import { minimizeFleet } from './fleet-minimization.ts';
import { RoutePool } from './route-pool.ts';
import { seedRoutes, warmStartOf } from './warm-start.ts';
import { DEFAULT_ROUTE_DIVE, divesByDefault, type RouteDive, startDive } from './route-dive.ts';
import { type AnnealingState, anneal } from '../search/annealing.ts';
import { type Improvement, improvementReporter } from '../search/improvement.ts';

export interface SearchOptions {
  seed?: number;
  stop: StopCondition;
  onImprovement?: (e: Improvement) => void;
  ruin?: Partial<RuinParams>;
  blinkRate?: number;
  /**
   * Start and final annealing temperatures as multiples of the mean arc cost of the first
   * solution (default: defaultTemperatures, by route length and problem size).
   */
  startTemperature?: number;
  finalTemperature?: number;
  /**
   * Run local search on the routes each ruin-and-recreate step touched (default: on where the
   * first solution's routes average SHORT_ROUTES visits or more; see searchesLocally). Where the
   * default leaves it off, the best solution still gets one at the end; false: none at all.
   */
  localSearch?: boolean;
  /**
   * Share of the steps whose candidate gets that local search when the recreate left it no
   * better than the current solution, at the start and at the end of the budget (linear in
   * between; default DEFAULT_LOCAL_SEARCH_SHARE; [1, 1]: every step). A candidate the recreate
   * made better always gets it, and the best solution gets a full local search at the end.
   */
  localSearchShare?: readonly [start: number, end: number];
  /**
   * Start from these routes (visit nodes per vehicle, see warmStartNodes) instead of building a
   * first solution: each route's visits are put in the given order where they fit (time windows,
   * shift, capacity), the rest by the usual construction.
   */
  initial?: ArrayLike<number>[];
  /**
   * A dive with one route fewer during the search (route-dive.ts; default DEFAULT_ROUTE_DIVE
   * where divesByDefault says so, else none; false: none).
   */
  routeDive?: RouteDive | false;
  /**
   * Give up a step as soon as the visits put back have added more than the annealing's
   * threshold allows (default: where no local search follows the steps and an insertion's
   * cost change is bounded below, ProblemData.insertionGain: coordinates, or a matrix given
   * with its triangle slack; false: never, the threshold still drawn at the same point).
   */
  giveUp?: boolean;
  /**
   * Independent chains, each from its own construction and random stream, each on an equal
   * share of the budget one after the other; the best plan of all is returned (default:
   * chainsByDefault). 1: one chain on the whole budget; at most MAX_CHAINS; anything but a
   * whole number from 1 runs one chain. Each chain decides its local search and dive from its
   * own first solution, and keeps its own route pool.
   */
  chains?: number;
  /** Share of the budget spent on fleet minimization in `vehicles` mode (default 0.5). */
  fleetShare?: number;
  /** Every this many iterations, recombine the pool of good routes by set partitioning (0: never). */
  recombineEvery?: number;
  /** Most routes kept in that pool. */
  poolSize?: number;
}

/**
 * The local search costs some twenty ruin-and-recreate steps on 100 visits: after every step, a
 * 2 s Solomon solve makes about 3,700 steps; on one step in ten, 17,600. That measured no
 * better over all 56 (seeds 1-3: mean gap 0.40% against 0.38%; rc2 0.50% against 0.80%, but r1
 * 0.35% against 0.23%), and a share growing from 0.05 to 0.5 worse (0.48%), so every step it
 * is (docs/benchmarks.md, "Local search on a share of the steps").
 */
export const DEFAULT_LOCAL_SEARCH_SHARE = [1, 1] as const;

/**
 * Routes averaging fewer visits than this (in the first solution) are searched as SISR is
 * published: no local search, lower temperatures (SHORT_ROUTE_TEMPERATURES), ten to twenty times the steps.
 * Measured better there: Gehring-Homberger r1 and rc1 of 400 customers at 30 s, all twenty,
 * 1.56% -> 1.30%, c1 0.38% -> 0.22%; Solomon rc1 at 2 s 1.02% -> 0.71%; the 600-visit day
 * reduced to windows and skills at 10 s, -1.3%. Longer routes keep the local search after
 * every step (c2, r2 and rc2 of 400 lost 0.5-1.1 points without it). First solutions average
 * at most 9.8 visits a route on the short-route classes, at least 16.7 on the others.
 * docs/benchmarks.md, "Local search by route length".
 */
export const SHORT_ROUTES = 12;

/**
 * Start and final temperatures, in mean arcs of the first solution, of a search without local
 * search. SISR's published 3 to 0.03 at first; on Gehring-Homberger 400 at 30 s, 1 to 0.01
 * measured better (twenty r1 and rc1 instances, seeds 1-2: -0.19 points, better on 14; c1_4_3,
 * c1_4_4, c1_4_9: -0.10), 10 to 0.1 worse (six of them, +0.43), 0.3 to 0.003 no better than 1
 * to 0.01 (-0.08, better on three of six). docs/benchmarks.md, "Window-bounded recreate".
 */
export const SHORT_ROUTE_TEMPERATURES = [1, 0.01] as const;

/**
 * Start and final temperatures, in mean arcs of the first solution, of a search with local
 * search after every step (long routes) on problems of fewer than LARGE_MIN_VISITS visits.
 * Solomon's c2, r2 and rc2 at 2 s, seeds 1-3, lost 0.06 points with 3 to 0.03 (r207 2.61%).
 */
export const LONG_ROUTE_TEMPERATURES = [10, 0.1] as const;

/**
 * The same from LARGE_MIN_VISITS visits: cooler, as SISR publishes. Gehring-Homberger 400 at
 * 30 s, c2, r2 and rc2, seeds 6-8: -0.11 points over 90 pairs (standard error about 0.07), more
 * c2 runs ending on 12 routes; Gehring-Homberger 200, the same classes, seed 6: -0.02 (standard
 * error 0.05). docs/benchmarks.md, "Cooler annealing and a route dive on large long-route
 * problems".
 */
export const LARGE_LONG_ROUTE_TEMPERATURES = [3, 0.03] as const;

/** The size from which long-route searches anneal at LARGE_LONG_ROUTE_TEMPERATURES. */
export const LARGE_MIN_VISITS = 200;

/** The default start and final temperatures, in mean arcs of the first solution. */
export function defaultTemperatures(data: ProblemData, local: boolean): readonly [number, number] {
  if (!local) return SHORT_ROUTE_TEMPERATURES;
  return data.numClients >= LARGE_MIN_VISITS ? LARGE_LONG_ROUTE_TEMPERATURES : LONG_ROUTE_TEMPERATURES;
}

/**
 * Problems with fewer visits keep the local search whatever their routes (steps are cheap there
 * either way, and the local search finds the optimum of tiny problems that the steps alone
 * missed: tiny-exact.test.ts); 100 is the smallest size the rule was measured on (Solomon).
 */
export const SHORT_ROUTES_MIN_VISITS = 100;

/** Whether the search runs local search after its steps: asked, or by the first solution's route length. */
export function searchesLocally(data: ProblemData, first: Solution, asked: boolean | undefined): boolean {
  if (asked !== undefined) return asked;
  if (data.numClients < SHORT_ROUTES_MIN_VISITS) return true;
  return data.numClients >= SHORT_ROUTES * Math.max(1, first.usedRoutes());
}

export interface SearchResult {
  best: Solution;
  cost: number;
  iterations: number;
  /** Steps whose recreate gave up, the step unable to end below the acceptance threshold. */
  givenUp: number;
}

/** How many independent chains the search runs by default (chains.ts, LARGE_LONG_ROUTE_CHAINS). */
export function chainsByDefault(
  data: ProblemData,
  opts: Pick<SearchOptions, 'initial' | 'seed' | 'blinkRate' | 'localSearch'>,
): number {
  if (opts.initial !== undefined || data.objective === 'vehicles' || data.numClients < LARGE_MIN_VISITS)
    return 1;
  // The first solution decides whether the search runs local search, as in the chain itself.
  const first = new Solution(data);
  new Recreate(data, opts.blinkRate ?? 0.01).recreate(
    first,
    first.unassigned(),
    new Rng(opts.seed ?? 1),
    new Set(),
  );
  return divesByDefault(data, searchesLocally(data, first, opts.localSearch), LARGE_MIN_VISITS)
    ? LARGE_LONG_ROUTE_CHAINS
    : 1;
}

/**
 * Ruin and recreate under simulated annealing (SISR, Christiaens & Vanden Berghe 2020; the loop
 * is search/annealing.ts), with a granular local search on the routes each step touched; on
 * `chains` independent chains one after the other where there are several (chains.ts), the best kept.
 */
export function ruinRecreateSearch(data: ProblemData, opts: SearchOptions): SearchResult {
  const chains = opts.chains === undefined ? chainsByDefault(data, opts) : chainCount(opts.chains);
  if (chains === 1) return searchChain(data, opts);
  return searchChains(opts, chains, (o) => searchChain(data, o));
}

/** One chain of the search on the whole of `opts.stop`. */
function searchChain(data: ProblemData, opts: SearchOptions): SearchResult {
  const rng = new Rng(opts.seed ?? 1);
  const evaluator = new CostEvaluator(data);
  const ruin = new CoreRuin(data, { ...DEFAULT_RUIN, ...opts.ruin });
  const recreate = new Recreate(data, opts.blinkRate ?? 0.01);
  const current = new Solution(data);
  const touched = new Set<number>();
  const removed: number[] = [];
  if (opts.initial) seedRoutes(current, opts.initial);
  recreate.recreate(current, current.unassigned(), rng, touched);
  const local = searchesLocally(data, current, opts.localSearch);
  const ls = local ? new CoreLocalSearch(data) : null;
  const giveUp = ls === null && (opts.giveUp ?? data.insertionGain !== null);
  const gainPerVisit = data.insertionGain ?? MAX_ROUNDING_GAIN;
  // A warm start the construction had nothing to add to is taken as it is (the local search's
  // first run would try every pair): the search goes on from the same cost.
  if (ls && !(opts.initial && touched.size === 0)) ls.run(current, touched);
  let stop = opts.stop;
  let it = 0;
  if (data.objective === 'vehicles') {
    const share = opts.fleetShare ?? 0.5;
    // Fleet minimization removes strings only: its acceptance counts visits left out, not routes.
    const strings = new CoreRuin(data, { ...DEFAULT_RUIN, ...opts.ruin, routeRate: 0, routeCutRate: 0 });
    const fleet = minimizeFleet(data, current, strings, recreate, rng, stopPhase(stop, 0, share), 0);
    it = fleet.iterations;
    current.copyFrom(fleet.best);
    current.maxRoutes = current.usedRoutes();
    stop = stopPhase(stop, share, 1);
  }
  const startOut = current.unassigned().length;
  const startCost = evaluator.cost(current, startOut);
  const best = new Solution(data);
  best.copyFrom(current);
  const candidate = new Solution(data);
  candidate.copyFrom(current);
  candidate.maxRoutes = current.maxRoutes;
  const improved = improvementReporter(opts.onImprovement, () => warmStartOf(best));
  let bestOut = startOut;
  let bestCost = startCost;
  const report = (iteration: number, cost: number) =>
    improved({ iteration, cost, routes: best.usedRoutes(), unassigned: bestOut });
  report(0, startCost);

  const arcs = data.numClients + Math.max(1, current.usedRoutes());
  const meanArc = Math.max(1, current.routingCost() / arcs);
  const recombineEvery = opts.recombineEvery ?? 0;
  const pool = recombineEvery > 0 ? new RoutePool(data, opts.poolSize) : null;
  pool?.addSolution(current);
  let currentOut = startOut;
  let out = startOut;
  let givenUp = 0;
  let stepCost = startCost;
  let currentCost = startCost;
  const [share0, share1] = opts.localSearchShare ?? DEFAULT_LOCAL_SEARCH_SHARE;
  const everyStep = share0 >= 1 && share1 >= 1;
  const lsShareAt = (iteration: number) => share0 + (share1 - share0) * stop.progress(iteration);
  // The candidate's cost with `out` visits left out, from the current one's: during a step the
  // two differ only in the routes it touched (accept() and reject() copy just those).
  const candidateCost = (out: number) =>
    currentCost +
    evaluator.unassignedPenalty * (out - currentOut) +
    evaluator.costChange(current, candidate, touched);
  const state: AnnealingState = {
    step(iteration, threshold) {
      touched.clear();
      removed.length = 0;
      // Visits left out earlier get another chance every step.
      if (currentOut > 0) for (const n of candidate.unassigned()) removed.push(n);
      ruin.ruin(candidate, rng, removed, touched);
      // Without local search the step's cost only grows as visits go back in (to within the
      // rounding of costs that keep the triangle inequality): the recreate gives up once it
      // cannot end below the acceptance threshold (on r1_4_1 about 40% of the steps are
      // rejected; giving up early saves a sixth of the reinsertions).
      let limit = Infinity;
      if (ls === null) {
        const t = threshold();
        if (giveUp) limit = t - candidateCost(0) + gainPerVisit * removed.length;
      }
      out = recreate.recreate(candidate, removed, rng, touched, limit, evaluator.unassignedPenalty);
      if (out < 0) {
        for (const r of touched) candidate.copyRouteFrom(current, r);
        givenUp++;
        return undefined;
      }
      // With a share of the steps only, the recreated cost decides (a better one is always searched).
      if (
        ls !== null &&
        (everyStep || evaluator.cost(candidate, out) < currentCost || rng.next() < lsShareAt(iteration))
      )
        ls.run(candidate, touched);
      stepCost = candidateCost(out);
      return stepCost;
    },
    // The state only moves by copying the routes the step touched.
    accept() {
      for (const r of touched) current.copyRouteFrom(candidate, r);
      if (pool) for (const r of touched) pool.add(candidate.routes[r]);
      currentOut = out;
      currentCost = stepCost;
    },
    reject() {
      for (const r of touched) candidate.copyRouteFrom(current, r);
    },
    keepBest() {
      best.copyFrom(candidate);
      bestOut = out;
      bestCost = stepCost;
    },
    afterStep: pool
      ? (iteration) => {
          if (iteration % recombineEvery !== 0) return undefined;
          const routes = pool.recombine(best, current.maxRoutes);
          if (routes === null) return undefined;
          candidate.setRoutes(routes);
          if (ls) ls.run(candidate, null);
          const cost = evaluator.cost(candidate, candidate.unassigned().length);
          if (cost < bestCost) {
            best.copyFrom(candidate);
            current.copyFrom(candidate);
            bestOut = currentOut = candidate.unassigned().length;
            return (bestCost = currentCost = cost);
          }
          candidate.copyFrom(current);
          return undefined;
        }
      : undefined,
  };
  const temperatures = defaultTemperatures(data, local);
  const t0 = (opts.startTemperature ?? temperatures[0]) * meanArc;
  const t1 = (opts.finalTemperature ?? temperatures[1]) * meanArc;
  // The budget's part [from, to) annealed at the temperatures of the schedule's part [tFrom, tTo).
  const phase = (from: number, to: number, first: number, tFrom = from, tTo = to) =>
    anneal(state, {
      rng,
      stop: from === 0 && to === 1 ? stop : stopPhase(stop, from, to),
      firstIteration: first,
      startCost: currentCost,
      bestCost,
      startTemperature: tFrom === 0 ? t0 : t0 * Math.pow(t1 / t0, tFrom),
      finalTemperature: tTo === 1 ? t1 : t0 * Math.pow(t1 / t0, tTo),
      onBest: report,
    });
  const dive = opts.routeDive ?? (divesByDefault(data, local, LARGE_MIN_VISITS) ? DEFAULT_ROUTE_DIVE : false);
  let result: { iterations: number; cost: number };
  if (dive === false || ls === null) result = phase(0, 1, it);
  else {
    // Two shares must fit after `at`.
    const at = Math.min(Math.max(dive.at, 0), 1);
    const share = Math.min(Math.max(dive.share, 0), (1 - at) / 2);
    let iters = phase(0, at, it).iterations;
    const from = new Solution(data);
    from.copyFrom(best);
    // The main chain's own share first, so that the dive is measured against it.
    if (!stop.shouldStop(iters)) iters = phase(at, at + share, iters).iterations;
    const main = new Solution(data);
    main.copyFrom(current);
    const [mainCost, mainOut, mainBest, maxRoutes] = [currentCost, currentOut, bestCost, current.maxRoutes];
    let resume = at + share;
    if (!stop.shouldStop(iters) && startDive(candidate, from, recreate, ls, rng)) {
      resume = Math.min(1, at + 2 * share);
      current.copyFrom(candidate);
      current.maxRoutes = candidate.maxRoutes;
      currentOut = candidate.unassigned().length;
      currentCost = evaluator.cost(candidate, currentOut);
      // A start already better than both chains (one route's fixed cost or depot trips saved) is the best.
      if (currentCost < bestCost - 1e-9) {
        best.copyFrom(current);
        [bestCost, bestOut] = [currentCost, currentOut];
        report(iters, bestCost);
      }
      iters = phase(at + share, resume, iters, at, at + share).iterations;
      current.maxRoutes = candidate.maxRoutes = maxRoutes;
      // Kept only if it found a better solution than both chains had; else the main chain goes on.
      if (!(bestCost < mainBest - 1e-9)) {
        current.copyFrom(main);
        candidate.copyFrom(main);
        [currentCost, currentOut] = [mainCost, mainOut];
      }
    }
    result = phase(resume, 1, iters, at + share, 1);
  }
  // The cost of `best` as kept (a phase's own count starts from the current cost).
  let cost = bestCost;
  // Steps that skipped the local search (a share of them, or all where routes are short and it
  // was not turned off) may leave the best solution short of a local optimum: it gets one full
  // local search (GH400 r1/rc1/c1 at 150,000 steps: −0.02 to −0.08 points). Not on a warm
  // start no step ran from: it is handed back as it was given.
  const skipped = ls ? !everyStep : opts.localSearch === undefined;
  const stepped = result.iterations > it || !opts.initial;
  if (skipped && stepped) {
    const polish = ls ?? new CoreLocalSearch(data);
    // On the candidate, kept only if it is cheaper: the local search does not see the
    // `vehicles` objective's weight per route, and may open one within the cap.
    candidate.copyFrom(best);
    polish.run(candidate, null);
    const polished = evaluator.cost(candidate, bestOut);
    if (polished < cost) {
      best.copyFrom(candidate);
      report(result.iterations, (cost = polished));
    }
  }
  return { best, cost, iterations: result.iterations, givenUp };
}
