import type { ProblemData } from './problem-data.ts';
import type { Rng } from '../search/rng.ts';
import { Segment } from './segment.ts';
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

export interface Insertion {
  route: number;
  pos: number;
  delta: number;
}

/**
 * Cheapest feasible insertion position of `node` in route r, skipping each position with
 * probability `blink` (SISR's blinks). Cost change only; the time check runs only for a
 * position that would beat `best.delta` (early exit). Updates `best` in place.
 */
export function bestInsertionInRoute(
  sol: Solution,
  r: number,
  node: number,
  blink: number,
  rng: Rng | null,
  best: Insertion,
): void {
  const data = sol.data;
  const route = sol.routes[r];
  if (route.load + data.demand[node] > route.capacity || !data.canServe(route.vehicle, node)) return;
  const { nodes, dur, cost, N, size } = route;
  const { service, twEarly, twLate } = data;
  const sNode = service[node];
  const eNode = twEarly[node];
  const lNode = twLate[node];
  const fixed = size === 0 ? data.vehFixedCost[route.vehicle] : 0;
  for (let p = 0; p <= size; p++) {
    if (blink > 0 && rng!.next() < blink) continue;
    const a = nodes[p];
    const b = nodes[p + 1];
    const delta = cost[a * N + node] + cost[node * N + b] - cost[a * N + b] + fixed;
    if (delta >= best.delta) continue;
    // timeFeasibleAt inlined: this loop is the construction's hot path (a call here measured
    // 15-80% slower in bench:micro's best-position row).
    route.prefix(p, pre).concat(dur[a * N + node], sNode, 0, eNode, lNode);
    if (pre.tw > 0) continue;
    route.suffix(p + 1, post);
    pre.concatSeg(dur[node * N + b], post);
    if (pre.tw > 0) continue;
    best.route = r;
    best.pos = p + 1;
    best.delta = delta;
  }
}

/**
 * Greedy insertion with blinks (SISR recreate): visits in a random order chosen among
 * random / largest demand / farthest / closest, each at its cheapest feasible position over
 * every used route and one unused nurse of each type. Visits no nurse can take stay out.
 */
export class Recreate {
  private readonly depotCost: Float64Array;
  private readonly typeSeen: Int32Array;
  private stamp = 0;
  readonly best: Insertion = { route: -1, pos: -1, delta: Infinity };

  constructor(
    private readonly data: ProblemData,
    readonly blinkRate = 0.01,
  ) {
    const { numNodes: N, numDepots: D } = data;
    const c = data.arcCosts[0];
    const depot = data.vehStart[0];
    this.depotCost = new Float64Array(N);
    for (let i = D; i < N; i++) this.depotCost[i] = c[depot * N + i];
    this.typeSeen = new Int32Array(data.numVehicleTypes);
  }

  /** Inserts `nodes` (reordered in place); adds touched routes; returns how many stayed out. */
  recreate(sol: Solution, nodes: number[], rng: Rng, touched: Set<number>): number {
    this.sort(nodes, rng);
    let out = 0;
    for (const node of nodes) {
      const ins = this.bestInsertion(sol, node, rng, this.blinkRate);
      if (ins.route < 0) {
        out++;
        continue;
      }
      sol.insert(ins.route, ins.pos, node);
      touched.add(ins.route);
    }
    return out;
  }

  bestInsertion(sol: Solution, node: number, rng: Rng | null, blink: number): Insertion {
    const best = this.best;
    best.route = -1;
    best.pos = -1;
    best.delta = Infinity;
    const stamp = ++this.stamp;
    const { vehType } = this.data;
    const mayOpen = sol.maxRoutes >= sol.routes.length || sol.usedRoutes() < sol.maxRoutes;
    for (let r = 0; r < sol.routes.length; r++) {
      if (sol.routes[r].size === 0) {
        if (!mayOpen) continue;
        const t = vehType[r];
        if (this.typeSeen[t] === stamp) continue;
        this.typeSeen[t] = stamp;
      }
      bestInsertionInRoute(sol, r, node, blink, rng, best);
    }
    return best;
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
