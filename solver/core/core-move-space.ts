import { LocalSearch, type MoveSpace } from '../search/local-search.ts';
import { Exchange } from './operators/exchange.ts';
import type { Operator } from './operators/operator.ts';
import { ReverseSegment } from './operators/reverse-segment.ts';
import { SwapTails } from './operators/swap-tails.ts';
import type { ProblemData } from './problem-data.ts';
import type { Solution } from './solution.ts';
import { SolutionView } from './solution-view.ts';

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
 * The core's moves for the local search (search/local-search.ts): PyVRP's operators on
 * positions, each with its exact delta over concatenable duration segments, and moving a visit
 * alone into an unused nurse's route (one nurse per type).
 */
export class CoreMoveSpace extends SolutionView implements MoveSpace {
  readonly firstVisit: number;
  readonly endVisit: number;
  readonly numRoutes: number;
  private readonly emptySeen: Int32Array;
  private readonly relocate: Exchange;
  private stamp = 0;

  constructor(
    private readonly data: ProblemData,
    readonly operators: Operator[] = defaultOperators(data),
  ) {
    super();
    this.firstVisit = data.numDepots;
    this.endVisit = data.numNodes;
    this.numRoutes = data.numVehicles;
    this.emptySeen = new Int32Array(data.numVehicleTypes);
    this.relocate = new Exchange(data, 1, 0);
  }

  movable(): boolean {
    return true;
  }

  neighbours(u: number): Int32Array {
    return this.data.neighbours[u - this.data.numDepots];
  }

  improvePair(u: number, v: number): boolean {
    const sol = this.sol!;
    const rU = sol.routeOf[u];
    const rV = sol.routeOf[v];
    const pV = sol.posOf[v];
    // After V, and (for V first in its route) after the start depot before it.
    return (
      this.tryOps(sol, rU, sol.posOf[u], rV, pV) || (pV === 1 && this.tryOps(sol, rU, sol.posOf[u], rV, 0))
    );
  }

  improveAlone(u: number): number {
    const sol = this.sol!;
    if (sol.maxRoutes < sol.routes.length && sol.usedRoutes() >= sol.maxRoutes) return -1;
    const stamp = ++this.stamp;
    const relocate = this.relocate;
    const rU = sol.routeOf[u];
    for (let r = 0; r < sol.routes.length; r++) {
      if (sol.routes[r].size !== 0) continue;
      const t = this.data.vehType[r];
      if (this.emptySeen[t] === stamp) continue;
      this.emptySeen[t] = stamp;
      if (relocate.evaluate(sol, rU, sol.posOf[u], r, 0) < -MIN_GAIN) {
        relocate.apply(sol, rU, sol.posOf[u], r, 0);
        reindex(sol, rU, r);
        return r;
      }
    }
    return -1;
  }

  private tryOps(sol: Solution, rU: number, pU: number, rV: number, pV: number): boolean {
    const ops = this.operators;
    for (let o = 0; o < ops.length; o++) {
      const op = ops[o];
      if (op.evaluate(sol, rU, pU, rV, pV) < -MIN_GAIN) {
        op.apply(sol, rU, pU, rV, pV);
        reindex(sol, rU, rV);
        return true;
      }
    }
    return false;
  }
}

function reindex(sol: Solution, rU: number, rV: number): void {
  sol.reindex(rU);
  if (rV !== rU) sol.reindex(rV);
}

/** The core's local search: the granular search over its moves, on whichever solution it is given. */
export class CoreLocalSearch {
  readonly space: CoreMoveSpace;
  private readonly search: LocalSearch;

  constructor(data: ProblemData, operators?: Operator[]) {
    this.space = new CoreMoveSpace(data, operators);
    this.search = new LocalSearch(this.space);
  }

  /**
   * Improves `sol` until no move finds a gain among the pairs that involve a route in `touched`
   * (all routes when null); routes it changes are added to `touched`. Returns the moves applied.
   */
  run(sol: Solution, touched: Set<number> | null): number {
    this.space.sol = sol;
    return this.search.sweep(touched);
  }
}
