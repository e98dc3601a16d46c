import type { ProblemData } from './problem-data.ts';
import type { Rng } from '../search/rng.ts';
import type { Solution } from './solution.ts';
import { SolutionView } from './solution-view.ts';
import {
  DEFAULT_STRINGS,
  seedThenNearest,
  type StringParams,
  StringRemoval,
} from '../search/string-removal.ts';

export interface RuinParams extends StringParams {
  /**
   * Share of steps that remove one whole route instead (the smaller of two used routes drawn at
   * random): the distance objective gives no pull towards fewer routes, and emptying a route
   * is the one removal that can take one away. Off by default: at 0.05 it helps clustered and
   * wide-window instances and hurts r2, whose best solutions use more routes than the fewest
   * (docs/benchmarks.md, "Route removal").
   */
  routeRate: number;
}

export const DEFAULT_RUIN: RuinParams = { ...DEFAULT_STRINGS, routeRate: 0 };

/**
 * The core's removal: SISR strings (search/string-removal.ts) around a random routed seed visit
 * and its nearest visits, or on a share of the steps one whole route.
 */
export class CoreRuin {
  private readonly adjacency: Int32Array[];
  private readonly strings: StringRemoval;
  private readonly view: SolutionView;

  constructor(
    private readonly data: ProblemData,
    private readonly params: RuinParams = DEFAULT_RUIN,
  ) {
    this.adjacency = buildAdjacency(data, 150);
    this.strings = new StringRemoval(data.numVehicles, params);
    this.view = new SolutionView();
  }

  /** Removes visits from `sol`, appends them to `removed`, adds touched routes to `touched`. */
  ruin(sol: Solution, rng: Rng, removed: number[], touched: Set<number>): void {
    const { data, params } = this;
    let used = 0;
    let visits = 0;
    for (const r of sol.routes)
      if (r.size > 0) {
        used++;
        visits += r.size;
      }
    if (used === 0) return;
    if (used > 1 && params.routeRate > 0 && rng.next() < params.routeRate) {
      this.removeRoute(sol, rng, removed, touched);
      return;
    }
    const routes = this.strings.begin(used, visits, rng);
    // A random routed seed visit.
    let seed = -1;
    for (let tries = 0; tries < 32 && seed < 0; tries++) {
      const c = data.numDepots + rng.int(data.numClients);
      if (sol.routeOf[c] >= 0) seed = c;
    }
    if (seed < 0) return;
    const start = removed.length;
    this.view.sol = sol;
    this.strings.removeStrings(
      this.view,
      seedThenNearest(seed, this.adjacency[seed - data.numDepots]),
      routes,
      rng,
      (v) => removed.push(v),
    );
    sol.removeMany(removed.slice(start), touched);
  }

  /** Empties the smaller of two used routes drawn at random. */
  private removeRoute(sol: Solution, rng: Rng, removed: number[], touched: Set<number>): void {
    const used = (): number => {
      for (;;) {
        const r = rng.int(sol.routes.length);
        if (sol.routes[r].size > 0) return r;
      }
    };
    const a = used();
    const b = used();
    const route = sol.routes[sol.routes[a].size <= sol.routes[b].size ? a : b];
    const start = removed.length;
    for (let p = 1; p <= route.size; p++) removed.push(route.nodes[p]);
    sol.removeMany(removed.slice(start), touched);
  }
}

/** For each visit, the other visits by increasing travel cost (truncated to `limit`). */
function buildAdjacency(data: ProblemData, limit: number): Int32Array[] {
  const { numDepots: D, numNodes: N } = data;
  const cost = data.arcCosts[0];
  const out: Int32Array[] = [];
  const others: number[] = [];
  const key = new Float64Array(N);
  for (let i = D; i < N; i++) {
    others.length = 0;
    for (let j = D; j < N; j++)
      if (j !== i) {
        others.push(j);
        key[j] = cost[i * N + j] + cost[j * N + i];
      }
    others.sort((a, b) => key[a] - key[b] || a - b);
    out.push(Int32Array.from(others.slice(0, limit)));
  }
  return out;
}
