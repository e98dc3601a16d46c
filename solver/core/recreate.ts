import type { ProblemData } from './problem-data.ts';
import type { Rng } from '../search/rng.ts';
import { Blinks, GreedyInsertion, type Insertion, type InsertionSpace } from '../search/recreate.ts';
import { Segment } from './segment.ts';
import { BL, BTW, FCOST, FD, FE, FTW, STRIDE, type Route } from './route.ts';
import type { Solution } from './solution.ts';

const pre = new Segment();
const post = new Segment();

/**
 * Whether route r keeps its time windows and shift with `node` inserted after position p (0:
 * first), by concatenating the cached prefix and suffix segments (O(1); capacity apart).
 */
export function timeFeasibleAt(sol: Solution, r: number, node: number, p: number): boolean {
  const data = sol.data;
  const route = sol.routes[r];
  const { nodes, dur, N } = route;
  const a = nodes[p];
  const b = nodes[p + 1];
  route
    .prefix(p, pre)
    .concat(dur[a * N + node], data.service[node], 0, data.twEarly[node], data.twLate[node]);
  if (pre.tw > 0) return false;
  route.suffix(p + 1, post);
  return pre.concatSeg(dur[node * N + b], post).tw <= 0;
}

export type { Insertion };

/**
 * Cheapest feasible insertion position of `node` in route r, skipping the positions `blinks`
 * takes (SISR's blinks; null: none). Cost change only; the time check runs only for a position
 * that would beat `best.delta` (early exit). Updates `best` in place.
 *
 * Only the positions the node's window can reach are looked at (firstReachable,
 * lastReachable): on routes of tight windows most are not. The others are passed to the blinks
 * unseen, so the scan draws and finds exactly what a scan of every position would.
 */
export function bestInsertionInRoute(
  sol: Solution,
  r: number,
  node: number,
  blinks: Blinks | null,
  best: Insertion,
): void {
  const data = sol.data;
  const route = sol.routes[r];
  if (route.load + data.demand[node] > route.capacity || !data.canServe(route.vehicle, node)) return;
  const { nodes, dur, cost, N, size, cache } = route;
  const { service, twEarly, twLate } = data;
  const sNode = service[node];
  const eNode = twEarly[node];
  const lNode = twLate[node];
  const fixed = size === 0 ? data.vehFixedCost[route.vehicle] : 0;
  const from = firstReachable(route, eNode + sNode);
  const to = lastReachable(route, lNode);
  // The node's own row (a few kB, cached over every route scanned) instead of reads across
  // the whole matrix: its column is its row where costs (travel ticks) are symmetric, and the
  // arc a-b is the difference of the route's prefix costs (sums of integers: exact).
  const row = node * N;
  const { symmetric, durSymmetric } = route;
  if (blinks !== null) blinks.pass(from);
  for (let p = from; p <= to; p++) {
    if (blinks !== null && blinks.skip()) continue;
    const a = nodes[p];
    const b = nodes[p + 1];
    const delta =
      (symmetric ? cost[row + a] : cost[a * N + node]) +
      cost[row + b] -
      (cache[(p + 1) * STRIDE + FCOST] - cache[p * STRIDE + FCOST]) +
      fixed;
    if (delta >= best.delta) continue;
    // timeFeasibleAt inlined: this loop is the construction's hot path (a call here measured
    // 15-80% slower in bench:micro's best-position row).
    route.prefix(p, pre).concat(durSymmetric ? dur[row + a] : dur[a * N + node], sNode, 0, eNode, lNode);
    if (pre.tw > 0) continue;
    route.suffix(p + 1, post);
    pre.concatSeg(dur[node * N + b], post);
    if (pre.tw > 0) continue;
    best.route = r;
    best.pos = p + 1;
    best.delta = delta;
  }
  if (blinks !== null) blinks.pass(size - Math.max(to, from - 1));
}

/**
 * The first position p (inserting after position p) whose suffix p+1.. can still start once a
 * visit that cannot end before `done` is done: on a route that keeps its windows, a suffix's
 * latest start grows along the route, and a suffix that warps time warps from every earlier
 * position, so the positions before it are exactly those where any insertion breaks a window
 * whatever the travel (travel times are not negative). size + 1 when there is none.
 */
export function firstReachable(route: Route, done: number): number {
  const c = route.cache;
  let lo = 0;
  let hi = route.size + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const i = (mid + 1) * STRIDE;
    if (c[i + BTW] === 0 && c[i + BL] >= done) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The last position p whose prefix ..p ends, at the earliest, no later than `late`, the
 * visit's latest start (and keeps its windows): the earliest end of a prefix that keeps its
 * windows grows along the route, so every later position breaks the visit's window. -1 when
 * there is none.
 */
export function lastReachable(route: Route, late: number): number {
  const c = route.cache;
  let lo = -1;
  let hi = route.size;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const i = mid * STRIDE;
    if (c[i + FTW] === 0 && c[i + FE] + c[i + FD] <= late) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The core's side of greedy insertion (search/recreate.ts): every used route and one unused
 * nurse of each type (while the fleet limit allows), positions by concatenated segments. The
 * routes to try are listed once per recreate (`prepare`) and kept as visits open routes, in
 * the order a scan of every nurse would meet them.
 */
export class CoreInsertionSpace implements InsertionSpace {
  readonly numRoutes: number;
  readonly passes = 1;
  readonly routeList: { ids: Int32Array; count: number };
  sol: Solution | null = null;
  touched: Set<number> | null = null;
  private readonly typeSeen: Int32Array;
  /**
   * Each listed route's spare capacity, kept here as visits go in: most route scans end on
   * capacity (69% on rc1_4_5), and a dense array answers that without reaching into the route.
   */
  private readonly spare: Float64Array;
  private stamp = 0;
  private used = 0;
  private mayOpen = true;

  constructor(private readonly data: ProblemData) {
    this.numRoutes = data.numVehicles;
    this.typeSeen = new Int32Array(data.numVehicleTypes);
    this.routeList = { ids: new Int32Array(data.numVehicles), count: 0 };
    this.spare = new Float64Array(data.numVehicles);
  }

  /** Lists the used routes and the first unused one of each type, for a recreate on `sol`. */
  prepare(sol: Solution): void {
    this.sol = sol;
    const list = this.routeList;
    const stamp = ++this.stamp;
    list.count = 0;
    this.used = 0;
    for (let r = 0; r < sol.routes.length; r++) {
      const route = sol.routes[r];
      if (route.size !== 0) this.used++;
      else {
        const t = this.data.vehType[r];
        if (this.typeSeen[t] === stamp) continue;
        this.typeSeen[t] = stamp;
      }
      this.spare[r] = route.capacity - route.load;
      list.ids[list.count++] = r;
    }
  }

  isPlaced(v: number): boolean {
    return this.sol!.routeOf[v] >= 0;
  }

  begin(): void {
    const sol = this.sol!;
    this.mayOpen = sol.maxRoutes >= sol.routes.length || this.used < sol.maxRoutes;
  }

  tries(_v: number, r: number): boolean {
    return this.mayOpen || this.sol!.routes[r].size !== 0;
  }

  scanRoute(v: number, r: number, blinks: Blinks, best: Insertion): void {
    if (this.data.demand[v] > this.spare[r]) return;
    bestInsertionInRoute(this.sol!, r, v, blinks, best);
  }

  accepts(): boolean {
    return true;
  }

  insert(v: number, best: Insertion): void {
    const sol = this.sol!;
    const r = best.route;
    const opened = sol.routes[r].size === 0;
    sol.insert(r, best.pos, v);
    this.spare[r] = sol.routes[r].capacity - sol.routes[r].load;
    this.touched?.add(r);
    if (!opened) return;
    // The next unused nurse of r's type (later in the order: r was the first) takes its place.
    this.used++;
    const type = this.data.vehType;
    for (let next = r + 1; next < sol.routes.length; next++)
      if (type[next] === type[r] && sol.routes[next].size === 0) {
        const { ids } = this.routeList;
        let i = this.routeList.count++;
        for (; i > 0 && ids[i - 1] > next; i--) ids[i] = ids[i - 1];
        ids[i] = next;
        this.spare[next] = sol.routes[next].capacity;
        return;
      }
  }
}

/**
 * Greedy insertion with blinks (SISR recreate, search/recreate.ts): visits in a random order
 * chosen among random / largest demand / farthest / closest, each at its cheapest feasible
 * position over every used route and one unused nurse of each type. Visits no nurse can take
 * stay out.
 */
export class Recreate {
  private readonly depotCost: Float64Array;
  private readonly space: CoreInsertionSpace;
  private readonly insertion: GreedyInsertion;

  constructor(
    private readonly data: ProblemData,
    readonly blinkRate = 0.01,
  ) {
    const { numNodes: N, numDepots: D } = data;
    const c = data.arcCosts[0];
    const depot = data.vehStart[0];
    this.depotCost = new Float64Array(N);
    for (let i = D; i < N; i++) this.depotCost[i] = c[depot * N + i];
    this.space = new CoreInsertionSpace(data);
    this.insertion = new GreedyInsertion(this.space, N, new Blinks(blinkRate));
  }

  /**
   * Inserts `nodes` (reordered in place); adds touched routes; returns how many stayed out, or
   * -1 when the cost added (`outCost` per visit left out) reached `limit` first
   * (GreedyInsertion.insertAll: the solution is then half rebuilt, for the caller to restore).
   */
  recreate(
    sol: Solution,
    nodes: number[],
    rng: Rng,
    touched: Set<number>,
    limit = Infinity,
    outCost = 0,
  ): number {
    this.sort(nodes, rng);
    this.space.prepare(sol);
    this.space.touched = touched;
    return this.insertion.insertAll(nodes, rng, limit, outCost);
  }

  private sort(nodes: number[], rng: Rng): void {
    const x = rng.next() * 11;
    if (x < 4) rng.shuffle(nodes);
    else if (x < 8) {
      const d = this.data.demand;
      rng.shuffle(nodes).sort((a, b) => d[b] - d[a]);
    } else if (x < 10) {
      const c = this.depotCost;
      nodes.sort((a, b) => c[b] - c[a]);
    } else {
      const c = this.depotCost;
      nodes.sort((a, b) => c[a] - c[b]);
    }
  }
}
