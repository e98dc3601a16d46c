import { Exchange } from './operators/exchange.ts';
import type { Operator } from './operators/operator.ts';
import { ReverseSegment } from './operators/reverse-segment.ts';
import { SwapTails } from './operators/swap-tails.ts';
import type { ProblemData } from './problem-data.ts';
import type { Solution } from './solution.ts';

/** Improvements smaller than this (in integer cost units) are noise, not progress. */
const MIN_GAIN = 1e-6;

export function defaultOperators(data: ProblemData): Operator[] {
  return [
    new Exchange(data, 1, 0),
    new Exchange(data, 2, 0),
    new Exchange(data, 3, 0),
    new Exchange(data, 1, 1),
    new Exchange(data, 2, 1),
    new Exchange(data, 2, 2),
    new SwapTails(data),
    new ReverseSegment(data),
  ];
}

/**
 * Granular first-improvement local search (Vidal et al. 2013; PyVRP's LocalSearch): each visit
 * U is tried against its k nearest related visits V with every operator, and a pair is tried
 * again only after U's or V's route changed since U was last tested.
 */
export class LocalSearch {
  readonly operators: Operator[];
  private readonly lastModified: Int32Array;
  private readonly lastTested: Int32Array;
  private readonly emptySeen: Int32Array;
  private readonly relocate: Exchange;
  private counter = 0;
  private stamp = 0;

  constructor(
    private readonly data: ProblemData,
    operators?: Operator[],
  ) {
    this.operators = operators ?? defaultOperators(data);
    this.lastModified = new Int32Array(data.numVehicles);
    this.lastTested = new Int32Array(data.numNodes).fill(-1);
    this.emptySeen = new Int32Array(data.numVehicleTypes);
    this.relocate = new Exchange(data, 1, 0);
  }

  /**
   * Improves `sol` until no operator finds a gain among the pairs that involve a route in
   * `touched` (all routes when `touched` is null); routes it changes are added to `touched`.
   */
  run(sol: Solution, touched: Set<number> | null): void {
    const { data, lastModified, lastTested } = this;
    const stamp0 = ++this.counter;
    if (touched === null) lastTested.fill(-1);
    else for (const r of touched) lastModified[r] = stamp0;
    const { numDepots: D, numNodes: N, neighbours } = data;
    const ops = this.operators;
    let improved = true;
    while (improved) {
      improved = false;
      for (let U = D; U < N; U++) {
        let rU = sol.routeOf[U];
        if (rU < 0) continue;
        const testedAt = lastTested[U];
        lastTested[U] = this.counter;
        const nb = neighbours[U - D];
        for (let k = 0; k < nb.length; k++) {
          const V = nb[k];
          const rV = sol.routeOf[V];
          if (rV < 0) continue;
          if (lastModified[rU] <= testedAt && lastModified[rV] <= testedAt) continue;
          const pV = sol.posOf[V];
          if (
            this.tryOps(sol, ops, rU, sol.posOf[U], rV, pV, touched) ||
            (pV === 1 && this.tryOps(sol, ops, rU, sol.posOf[U], rV, 0, touched))
          ) {
            improved = true;
            rU = sol.routeOf[U];
          }
        }
        if (lastModified[rU] > testedAt && this.tryEmptyRoutes(sol, U, touched)) improved = true;
      }
    }
  }

  private tryOps(
    sol: Solution,
    ops: Operator[],
    rU: number,
    pU: number,
    rV: number,
    pV: number,
    touched: Set<number> | null,
  ): boolean {
    for (let o = 0; o < ops.length; o++) {
      const op = ops[o];
      const delta = op.evaluate(sol, rU, pU, rV, pV);
      if (delta < -MIN_GAIN) {
        op.apply(sol, rU, pU, rV, pV);
        this.changed(sol, rU, rV, touched);
        return true;
      }
    }
    return false;
  }

  /** Moving U alone into an unused nurse's route (one nurse per type). */
  private tryEmptyRoutes(sol: Solution, U: number, touched: Set<number> | null): boolean {
    if (sol.maxRoutes < sol.routes.length && sol.usedRoutes() >= sol.maxRoutes) return false;
    const stamp = ++this.stamp;
    const relocate = this.relocate;
    const rU = sol.routeOf[U];
    for (let r = 0; r < sol.routes.length; r++) {
      if (sol.routes[r].size !== 0) continue;
      const t = this.data.vehType[r];
      if (this.emptySeen[t] === stamp) continue;
      this.emptySeen[t] = stamp;
      if (relocate.evaluate(sol, rU, sol.posOf[U], r, 0) < -MIN_GAIN) {
        relocate.apply(sol, rU, sol.posOf[U], r, 0);
        this.changed(sol, rU, r, touched);
        return true;
      }
    }
    return false;
  }

  private changed(sol: Solution, rU: number, rV: number, touched: Set<number> | null): void {
    const stamp = ++this.counter;
    this.lastModified[rU] = stamp;
    this.lastModified[rV] = stamp;
    sol.reindex(rU);
    if (rV !== rU) sol.reindex(rV);
    touched?.add(rU);
    touched?.add(rV);
  }
}
