import type { ProblemData } from '../structures/problem-data.ts';
import { Rng } from '../structures/rng.ts';
import { Solution } from '../structures/solution.ts';
import { type StopCondition, stopPhase } from '../structures/stop.ts';
import { CostEvaluator } from './cost-evaluator.ts';
import { LocalSearch } from './local-search.ts';
import { Recreate, timeFeasibleAt } from './recreate.ts';
import { DEFAULT_RUIN, type RuinParams, StringRemoval } from './ruin-strings.ts';
import { minimizeFleet } from './fleet-minimization.ts';
import { RoutePool } from './route-pool.ts';

/**
 * A solution by ids, to start a search from (a checkpoint of an interrupted run, or a plan to
 * improve): per nurse, her visits in order. With the home-care model, a nurse's breaks and
 * unavailable periods are tasks of her day like visits: listed by their id where they are taken
 * (as `Improvement.solution()` and `warmStartFromPlan` give them), they are kept there; left out,
 * the construction places them at their cheapest position. Frozen visits need not be listed (they
 * are ignored). Any mistake is tolerated: an unknown nurse or visit id, a nurse or visit listed
 * again (the first listing counts), a visit the nurse may not do or that does not fit where it
 * is listed (then it is placed by the usual construction, as is every visit not listed).
 */
export interface WarmStart {
  /** `shift`: which of a nurse's `shifts` (her nurse-day; 0, her only route, by default). */
  routes: { vehicle: string; shift?: number; visits: string[] }[];
}

export interface Improvement {
  iteration: number;
  cost: number;
  routes: number;
  unassigned: number;
  /**
   * The new best solution as a warm start: computed only when called (not calling it costs
   * nothing). Valid until the next improvement, so the last one still is once the solve has
   * returned; a call after a later improvement throws.
   */
  solution: () => WarmStart;
}

/**
 * Reports improvements to `on` (if any), each with a lazy `solution()` read from `bestNow`: valid
 * until the next improvement, after which calling it throws rather than answer for a later best.
 */
export function improvementReporter(
  on: ((e: Improvement) => void) | undefined,
  bestNow: () => WarmStart,
): (e: Omit<Improvement, 'solution'>) => void {
  let version = 0;
  return (e) => {
    if (on === undefined) return;
    const at = ++version;
    on({
      ...e,
      solution: () => {
        if (at !== version)
          throw new Error(`improvement ${e.iteration}: its solution() was called after a later improvement`);
        return bestNow();
      },
    });
  };
}

export interface SearchOptions {
  seed?: number;
  stop: StopCondition;
  onImprovement?: (e: Improvement) => void;
  ruin?: Partial<RuinParams>;
  blinkRate?: number;
  /** Start and final annealing temperatures as multiples of the mean arc cost of the first solution. */
  startTemperature?: number;
  finalTemperature?: number;
  /** Run local search on the routes each ruin-and-recreate step touched (default on). */
  localSearch?: boolean;
  /**
   * Start from these routes (visit nodes per vehicle, see warmStartNodes) instead of building a
   * first solution: each route's visits are put in the given order where they fit (time windows,
   * shift, capacity), the rest by the usual construction.
   */
  initial?: ArrayLike<number>[];
  /** Share of the budget spent on fleet minimization in `vehicles` mode (default 0.5). */
  fleetShare?: number;
  /** Every this many iterations, recombine the pool of good routes by set partitioning (0: never). */
  recombineEvery?: number;
  /** Most routes kept in that pool. */
  poolSize?: number;
}

export interface SearchResult {
  best: Solution;
  cost: number;
  iterations: number;
}

/**
 * Ruin and recreate under simulated annealing (SISR, Christiaens & Vanden Berghe 2020), with
 * a granular local search on the routes each step touched. The state only moves by copying
 * the touched routes, never the whole solution.
 */
export function ruinRecreateSearch(data: ProblemData, opts: SearchOptions): SearchResult {
  const rng = new Rng(opts.seed ?? 1);
  const evaluator = new CostEvaluator(data);
  const ruin = new StringRemoval(data, { ...DEFAULT_RUIN, ...opts.ruin });
  const recreate = new Recreate(data, opts.blinkRate ?? 0.01);
  const ls = opts.localSearch === false ? null : new LocalSearch(data);

  const current = new Solution(data);
  const touched = new Set<number>();
  const removed: number[] = [];
  if (opts.initial) seedRoutes(current, opts.initial);
  recreate.recreate(current, current.unassigned(), rng, touched);
  // A warm start the construction had nothing to add to is taken as it is (the local search's
  // first run would try every pair): the search goes on from the same cost.
  if (ls && !(opts.initial && touched.size === 0)) ls.run(current, touched);
  let stop = opts.stop;
  let it = 0;
  if (data.objective === 'vehicles') {
    const share = opts.fleetShare ?? 0.5;
    const fleet = minimizeFleet(data, current, ruin, recreate, rng, stopPhase(stop, 0, share), 0);
    it = fleet.iterations;
    current.copyFrom(fleet.best);
    current.maxRoutes = current.usedRoutes();
    stop = stopPhase(stop, share, 1);
  }
  let currentOut = current.unassigned().length;
  let currentCost = evaluator.cost(current, currentOut);

  const best = new Solution(data);
  best.copyFrom(current);
  let bestCost = currentCost;
  const improved = improvementReporter(opts.onImprovement, () => warmStartOf(best));
  const report = (iteration: number) =>
    improved({ iteration, cost: bestCost, routes: best.usedRoutes(), unassigned: currentOut });
  report(0);

  const arcs = data.numClients + Math.max(1, current.usedRoutes());
  const meanArc = Math.max(1, current.routingCost() / arcs);
  const t0 = (opts.startTemperature ?? 10) * meanArc;
  const tf = (opts.finalTemperature ?? 0.1) * meanArc;

  const candidate = new Solution(data);
  candidate.copyFrom(current);
  candidate.maxRoutes = current.maxRoutes;
  const recombineEvery = opts.recombineEvery ?? 0;
  const pool = recombineEvery > 0 ? new RoutePool(data, opts.poolSize) : null;
  pool?.addSolution(current);
  for (; !stop.shouldStop(it); it++) {
    const temperature = t0 * Math.pow(tf / t0, stop.progress(it));
    touched.clear();
    removed.length = 0;
    // Visits left out earlier get another chance every step.
    if (currentOut > 0) for (const n of candidate.unassigned()) removed.push(n);
    ruin.ruin(candidate, rng, removed, touched);
    const out = recreate.recreate(candidate, removed, rng, touched);
    if (ls) ls.run(candidate, touched);
    const candCost = evaluator.cost(candidate, out);
    if (candCost < currentCost - temperature * Math.log(rng.next() + 1e-300)) {
      for (const r of touched) current.copyRouteFrom(candidate, r);
      if (pool) for (const r of touched) pool.add(candidate.routes[r]);
      currentCost = candCost;
      currentOut = out;
      if (candCost < bestCost) {
        bestCost = candCost;
        best.copyFrom(candidate);
        report(it + 1);
      }
    } else {
      for (const r of touched) candidate.copyRouteFrom(current, r);
    }
    if (pool && (it + 1) % recombineEvery === 0) {
      const routes = pool.recombine(best, current.maxRoutes);
      if (routes === null) continue;
      candidate.setRoutes(routes);
      if (ls) ls.run(candidate, null);
      const cost = evaluator.cost(candidate, candidate.unassigned().length);
      if (cost < bestCost) {
        bestCost = currentCost = cost;
        best.copyFrom(candidate);
        current.copyFrom(candidate);
        report(it + 1);
      } else candidate.copyFrom(current);
    }
  }
  return { best, cost: bestCost, iterations: it };
}

/**
 * Visit nodes per vehicle (index = vehicle) of a warm start: ids mapped to nodes; unknown ids,
 * a nurse listed again and a visit listed again (the first listing counts) are left out.
 */
export function warmStartNodes(data: ProblemData, start: WarmStart): number[][] {
  const { input, numDepots } = data;
  const nurse = new Map(input.nurses.map((x, k) => [x.id, k]));
  const visit = new Map<string, number>();
  input.visits.forEach((v, k) => {
    if (!visit.has(v.id)) visit.set(v.id, numDepots + k);
  });
  const out: number[][] = input.nurses.map(() => []);
  const seenNurse = new Uint8Array(data.numVehicles);
  const seen = new Uint8Array(data.numNodes);
  for (const route of start.routes) {
    const r = nurse.get(route.vehicle);
    if (r === undefined || seenNurse[r] === 1) continue;
    seenNurse[r] = 1;
    for (const id of route.visits) {
      const node = visit.get(id);
      if (node === undefined || seen[node] === 1) continue;
      seen[node] = 1;
      out[r].push(node);
    }
  }
  return out;
}

/** The routes of a solution by ids (nurses without visits left out). */
export function warmStartOf(sol: Solution): WarmStart {
  const { input } = sol.data;
  const routes: WarmStart['routes'] = [];
  for (const route of sol.routes)
    if (route.size > 0)
      routes.push({
        vehicle: input.nurses[route.vehicle].id,
        visits: route.visits().map((node) => input.visits[sol.data.visitIndex(node)].id),
      });
  return { routes };
}

/**
 * Puts each route's visits into the solution in the given order, each where it keeps the route
 * feasible (time windows, shift, capacity), right after the last visit of its list already in:
 * passes repeat while one adds a visit, so a visit that did not fit before another was placed
 * gets another chance. Visits that never fit stay out (the caller's construction places them).
 */
function seedRoutes(sol: Solution, initial: ArrayLike<number>[]): void {
  const data = sol.data;
  const lists: number[][] = [];
  const listed = new Uint8Array(data.numNodes);
  for (let r = 0; r < sol.routes.length; r++) {
    const list: number[] = [];
    const given = initial[r] ?? [];
    for (let i = 0; i < given.length; i++) {
      const node = given[i];
      if (!Number.isInteger(node) || !data.isClient(node) || node >= data.numNodes || listed[node] === 1)
        continue;
      listed[node] = 1;
      list.push(node);
    }
    lists.push(list);
  }
  for (let progress = true; progress;) {
    progress = false;
    lists.forEach((list, r) => {
      let p = 0; // position of the last visit of the list already in the route
      for (const node of list) {
        if (sol.routeOf[node] === r) p = sol.posOf[node];
        else if (
          sol.routes[r].load + data.demand[node] <= sol.routes[r].capacity &&
          timeFeasibleAt(sol, r, node, p)
        ) {
          sol.insert(r, ++p, node);
          progress = true;
        }
      }
    });
  }
}
