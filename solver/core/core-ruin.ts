import type { ProblemData } from './problem-data.ts';
import type { Rng } from '../search/rng.ts';
import type { Solution } from './solution.ts';
import { SolutionView } from './solution-view.ts';
import { RouteProposal } from './operators/route-proposal.ts';
import {
  DEFAULT_STRINGS,
  seedThenNearest,
  type StringParams,
  StringRemoval,
} from '../search/string-removal.ts';

export interface RuinParams extends StringParams {
  /**
   * Share of steps that remove one whole route instead (the smaller of two used routes drawn at
   * random): string removal almost never empties a route of thirty visits, so without it the
   * search keeps the routes its first solution has (13 where the best known use 12 on the
   * clustered wide-window instances of 400 customers).
   */
  routeRate: number;
  /**
   * Share of steps that cut one route in two instead (the larger of two used routes drawn at
   * random, at a random place; the tail goes, in order, to an unused nurse who can keep its
   * windows; not StringParams.splitRate, SISR's split strings): the opposite move, so that the
   * annealing weighs the number of routes both ways (removal alone drifts to too few routes
   * where the best solutions use more than the fewest, as on r2). docs/benchmarks.md, "Routes
   * removed and routes split".
   */
  routeCutRate: number;
}

export const DEFAULT_RUIN: RuinParams = { ...DEFAULT_STRINGS, routeRate: 0.05, routeCutRate: 0.05 };

/**
 * The core's removal: SISR strings (search/string-removal.ts) around a random routed seed visit
 * and its nearest visits, or on a share of the steps one whole route, or (removing nothing)
 * one route cut in two.
 */
export class CoreRuin {
  private readonly adjacency: Int32Array[];
  private readonly strings: StringRemoval;
  private readonly view: SolutionView;
  private readonly proposal: RouteProposal;
  /** Per vehicle type, the last split that tried it (splitRoute tries one unused nurse per type). */
  private readonly typeTried: Int32Array;
  private stamp = 0;

  constructor(
    private readonly data: ProblemData,
    private readonly params: RuinParams = DEFAULT_RUIN,
  ) {
    this.adjacency = buildAdjacency(data, 150);
    this.strings = new StringRemoval(data.numVehicles, params);
    this.view = new SolutionView();
    this.proposal = new RouteProposal(data);
    this.typeTried = new Int32Array(data.numVehicleTypes);
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
    // Whole routes move only where routes are longer on average than the longest string: shorter
    // ones a string removal can empty by itself (Solomon rc1 at 2 s, eight visits a route, is
    // worse with them: docs/benchmarks.md, "Routes removed and routes split").
    if (visits >= params.maxString * used) {
      if (used > 1 && params.routeRate > 0 && rng.next() < params.routeRate) {
        this.removeRoute(sol, rng, removed, touched);
        return;
      }
      if (params.routeCutRate > 0 && rng.next() < params.routeCutRate && this.splitRoute(sol, rng, touched))
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
    const a = this.usedRoute(sol, rng);
    const b = this.usedRoute(sol, rng);
    const route = sol.routes[sol.routes[a].size <= sol.routes[b].size ? a : b];
    const start = removed.length;
    for (let p = 1; p <= route.size; p++) removed.push(route.nodes[p]);
    sol.removeMany(removed.slice(start), touched);
  }

  /**
   * Cuts the larger of two used routes drawn at random after a random visit: the head stays,
   * the tail moves in order to an unused route. False, with nothing changed, when no route may
   * open (the fleet's limit) or the tail breaks every unused nurse's windows, shift, capacity
   * or skills.
   */
  private splitRoute(sol: Solution, rng: Rng, touched: Set<number>): boolean {
    const n = sol.routes.length;
    if (sol.maxRoutes < n && sol.usedRoutes() >= sol.maxRoutes) return false;
    const a = this.usedRoute(sol, rng);
    const b = this.usedRoute(sol, rng);
    const r = sol.routes[a].size >= sol.routes[b].size ? a : b;
    const route = sol.routes[r];
    if (route.size < 2) return false;
    const cut = 1 + rng.int(route.size - 1); // visits 1..cut stay, cut+1..size move
    // The first unused nurse, from a random place, whose route can take the tail: one of each
    // vehicle type (same start, end, shift, capacity, profile, skills and fixed cost) is tried.
    const stamp = ++this.stamp;
    let empty = -1;
    for (let k = 0, r0 = rng.int(n); k < n && empty < 0; k++) {
      const e = (r0 + k) % n;
      const target = sol.routes[e];
      const type = this.data.vehType[target.vehicle];
      if (target.size !== 0 || this.typeTried[type] === stamp) continue;
      this.typeTried[type] = stamp;
      if (
        this.proposal
          .startPrefix(target, 0)
          .addRange(route, cut + 1, route.size)
          .close().feasible
      )
        empty = e;
    }
    if (empty < 0) return false;
    const target = sol.routes[empty];
    const visits = route.visits();
    route.setVisits(visits.slice(0, cut));
    // A head keeps its windows (it ends earlier), unless travel breaks the triangle inequality.
    if (route.timeWarp > 0) {
      route.setVisits(visits);
      return false;
    }
    target.setVisits(visits.slice(cut));
    sol.reindex(r);
    sol.reindex(empty);
    touched.add(r);
    touched.add(empty);
    return true;
  }

  private usedRoute(sol: Solution, rng: Rng): number {
    for (;;) {
      const r = rng.int(sol.routes.length);
      if (sol.routes[r].size > 0) return r;
    }
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
