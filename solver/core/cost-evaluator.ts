import type { ProblemData } from './problem-data.ts';
import { routeCost } from './operators/route-proposal.ts';
import type { Route } from './route.ts';
import type { Solution } from './solution.ts';

/**
 * Penalty weights of the search objective (the PyVRP CostEvaluator idea): the routing cost
 * (arc costs plus fixed costs of used nurses) plus a penalty per left-out visit large enough
 * that serving a visit always beats leaving it out, plus, in `vehicles` mode, a weight per
 * used route that dominates any distance.
 */
export class CostEvaluator {
  readonly unassignedPenalty: number;
  readonly routePenalty: number;

  constructor(data: ProblemData) {
    let maxArc = 0;
    for (const c of data.arcCosts) for (let i = 0; i < c.length; i++) if (c[i] > maxArc) maxArc = c[i];
    let maxFixed = 0;
    for (const f of data.vehFixedCost) maxFixed = Math.max(maxFixed, f);
    const worstRoute = 2 * maxArc + maxFixed + 1;
    this.routePenalty = data.objective === 'vehicles' ? worstRoute * (data.numClients + 1) : 0;
    this.unassignedPenalty = (worstRoute + this.routePenalty) * 10;
  }

  cost(sol: Solution, unassigned: number): number {
    return sol.routingCost() + this.routePenalty * sol.usedRoutes() + this.unassignedPenalty * unassigned;
  }

  /** One route's share of cost(): its arcs, its nurse's fixed cost and route weight when used. */
  routeCost(route: Route): number {
    return route.size === 0 ? 0 : routeCost(route.data, route) + this.routePenalty;
  }

  /**
   * cost(to, ·) - cost(from, ·) with the same visits left out, where the two solutions differ
   * only in `routes`: O(those routes) instead of O(every nurse). Every term is a whole number
   * (integer cost units), so the sum is exactly what cost() gives.
   */
  costChange(from: Solution, to: Solution, routes: Iterable<number>): number {
    let change = 0;
    for (const r of routes) change += this.routeCost(to.routes[r]) - this.routeCost(from.routes[r]);
    return change;
  }
}
