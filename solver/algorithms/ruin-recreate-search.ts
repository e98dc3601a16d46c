import type { ProblemData } from '../structures/problem-data.ts';
import { Rng } from '../structures/rng.ts';
import { Solution } from '../structures/solution.ts';
import { type StopCondition, stopPhase } from '../structures/stop.ts';
import { CostEvaluator } from './cost-evaluator.ts';
import { LocalSearch } from './local-search.ts';
import { Recreate } from './recreate.ts';
import { DEFAULT_RUIN, type RuinParams, StringRemoval } from './ruin-strings.ts';
import { minimizeFleet } from './fleet-minimization.ts';
import { RoutePool } from './route-pool.ts';

export interface Improvement {
  iteration: number;
  cost: number;
  routes: number;
  unassigned: number;
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
  /** Start from these routes (visit nodes per vehicle) instead of building a first solution. */
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
  if (opts.initial) current.setRoutes(opts.initial);
  recreate.recreate(current, current.unassigned(), rng, touched);
  if (ls) ls.run(current, touched);
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
  const report = (iteration: number) =>
    opts.onImprovement?.({ iteration, cost: bestCost, routes: best.usedRoutes(), unassigned: currentOut });
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
