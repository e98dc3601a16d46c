import type { ProblemData } from './problem-data.ts';
import { Route } from './route.ts';

/**
 * The mutable search solution: one route per nurse (possibly empty), where each visit is,
 * and which visits are left out. Cost terms are read from the routes' caches.
 */
export class Solution {
  readonly routes: Route[];
  /** Route index of each node, -1 when the visit is unassigned (depots: -1). */
  readonly routeOf: Int32Array;
  /** Position of each node in its route (1-based, as in Route). */
  readonly posOf: Int32Array;
  /** At most this many nurses may be used (a search setting, not copied with the routes). */
  maxRoutes: number;

  constructor(readonly data: ProblemData) {
    this.routes = Array.from({ length: data.numVehicles }, (_, v) => new Route(data, v));
    this.routeOf = new Int32Array(data.numNodes).fill(-1);
    this.posOf = new Int32Array(data.numNodes);
    this.maxRoutes = data.numVehicles;
  }

  /** Re-indexes route r after its visits changed. */
  reindex(r: number): void {
    const route = this.routes[r];
    const nodes = route.nodes;
    for (let p = 1; p <= route.size; p++) {
      this.routeOf[nodes[p]] = r;
      this.posOf[nodes[p]] = p;
    }
  }

  /** Inserts a visit at a position and keeps the indices right. */
  insert(r: number, pos: number, node: number): void {
    this.routes[r].insert(pos, node);
    this.reindex(r);
  }

  /** Removes a batch of visits (any routes); touched routes are rebuilt once. */
  removeMany(nodes: ArrayLike<number>, touched: Set<number>): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const r = this.routeOf[node];
      if (r < 0) continue;
      const route = this.routes[r];
      route.removeAtNoUpdate(this.posOf[node]);
      this.routeOf[node] = -1;
      touched.add(r);
      for (let p = this.posOf[node]; p <= route.size; p++) this.posOf[route.nodes[p]] = p;
    }
    for (const r of touched) this.routes[r].update();
  }

  /** Sets every route at once from lists of visit nodes (index = vehicle). */
  setRoutes(visitsPerVehicle: ArrayLike<number>[]): void {
    this.routeOf.fill(-1);
    this.routes.forEach((route, r) => {
      route.setVisits(visitsPerVehicle[r] ?? []);
      this.reindex(r);
    });
  }

  copyFrom(o: Solution): void {
    for (let r = 0; r < this.routes.length; r++) this.routes[r].copyFrom(o.routes[r]);
    this.routeOf.set(o.routeOf);
    this.posOf.set(o.posOf);
  }

  /** Copies one route from another solution, with the position index of its visits. */
  copyRouteFrom(o: Solution, r: number): void {
    // Visits that were on this route here and are elsewhere in o are re-indexed by their own route's copy.
    const mine = this.routes[r];
    for (let p = 1; p <= mine.size; p++) {
      const node = mine.nodes[p];
      if (this.routeOf[node] === r) this.routeOf[node] = o.routeOf[node];
      this.posOf[node] = o.posOf[node];
    }
    mine.copyFrom(o.routes[r]);
    this.reindex(r);
  }

  unassigned(): number[] {
    const out: number[] = [];
    for (let i = this.data.numDepots; i < this.data.numNodes; i++) if (this.routeOf[i] < 0) out.push(i);
    return out;
  }

  usedRoutes(): number {
    let k = 0;
    for (const r of this.routes) if (r.size > 0) k++;
    return k;
  }

  /** Total arc cost plus fixed costs of used nurses (no penalty for left-out visits). */
  routingCost(): number {
    let c = 0;
    for (const r of this.routes) if (r.size > 0) c += r.arcCost + this.data.vehFixedCost[r.vehicle];
    return c;
  }

  /** True when every route keeps its windows, shift and capacity. */
  isFeasible(): boolean {
    for (const r of this.routes) if (r.timeWarp > 0 || r.load > r.capacity) return false;
    return true;
  }
}
