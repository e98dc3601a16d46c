import type { ProblemData } from './problem-data.ts';
import type { Route } from './route.ts';
import type { Solution } from './solution.ts';
import { type LpModel, solveLp } from './lp.ts';

interface PoolRoute {
  type: number;
  /** Visit nodes in their cheapest known order. */
  visits: Int32Array;
  /** Arc cost plus the nurse's fixed cost, in integer cost units. */
  cost: number;
}

/**
 * A pool of good feasible routes met during the search, one per (nurse type, visit set) in its
 * cheapest known order, and their recombination by set partitioning (the route-based
 * recombination of Subramanian et al. 2013, here with javascript-lp-solver): choose routes
 * that cover every routed visit exactly once, no more per nurse type than there are nurses,
 * at least cost. The least recently improved routes leave first when the pool is full.
 */
export class RoutePool {
  private readonly entries = new Map<string, PoolRoute>();
  private readonly typeCount: Int32Array;

  constructor(
    private readonly data: ProblemData,
    readonly capacity = 1500,
  ) {
    this.typeCount = new Int32Array(data.numVehicleTypes);
    for (let v = 0; v < data.numVehicles; v++) this.typeCount[data.vehType[v]]++;
  }

  get size(): number {
    return this.entries.size;
  }

  add(route: Route): void {
    if (route.size === 0 || route.timeWarp > 0 || route.load > route.capacity) return;
    const type = this.data.vehType[route.vehicle];
    const visits = route.nodes.slice(1, route.size + 1);
    const key = `${type}:${Array.from(visits)
      .sort((a, b) => a - b)
      .join(',')}`;
    const cost = route.arcCost + this.data.vehFixedCost[route.vehicle];
    const known = this.entries.get(key);
    if (known !== undefined && known.cost <= cost) return;
    this.entries.delete(key);
    this.entries.set(key, { type, visits, cost });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  addSolution(sol: Solution): void {
    for (const r of sol.routes) this.add(r);
  }

  /**
   * The cheapest combination of pooled routes covering exactly the visits `sol` routes, with at
   * most `maxRoutes` routes; as visit lists per vehicle (for Solution.setRoutes), or null when
   * it is no cheaper than `sol`.
   */
  recombine(sol: Solution, maxRoutes: number): number[][] | null {
    const { data } = this;
    const model: LpModel = { optimize: 'cost', opType: 'min', constraints: {}, variables: {}, binaries: {} };
    for (let n = data.numDepots; n < data.numNodes; n++)
      if (sol.routeOf[n] >= 0) model.constraints[`v${n}`] = { equal: 1 };
    for (let t = 0; t < this.typeCount.length; t++) model.constraints[`t${t}`] = { max: this.typeCount[t] };
    if (maxRoutes < data.numVehicles) model.constraints.routes = { max: maxRoutes };
    const columns: PoolRoute[] = [];
    for (const e of this.entries.values()) {
      if (e.visits.some((n) => sol.routeOf[n] < 0)) continue;
      const column: Record<string, number> = { cost: e.cost, [`t${e.type}`]: 1, routes: 1 };
      for (const n of e.visits) column[`v${n}`] = 1;
      const name = `r${columns.length}`;
      model.variables[name] = column;
      model.binaries![name] = 1;
      columns.push(e);
    }
    const result = solveLp(model);
    if (!result.feasible || result.result >= sol.routingCost() - 1e-6) return null;
    const perVehicle: number[][] = Array.from({ length: data.numVehicles }, () => []);
    const free = new Int32Array(data.numVehicles);
    columns.forEach((e, i) => {
      if (Math.round(result[`r${i}`] ?? 0) !== 1) return;
      let v = 0;
      while (data.vehType[v] !== e.type || free[v]) v++;
      free[v] = 1;
      perVehicle[v] = Array.from(e.visits);
    });
    return perVehicle;
  }
}
