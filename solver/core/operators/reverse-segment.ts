import type { ProblemData } from '../problem-data.ts';
import type { Solution } from '../solution.ts';
import type { Operator } from './operator.ts';
import { RouteProposal, routeCost } from './route-proposal.ts';

/**
 * 2-opt within one route: the visits after U up to V are served in reverse order
 * (arcs U→U+1 and V→V+1 become U→V and U+1→V+1).
 */
export class ReverseSegment implements Operator {
  readonly name = 'reverseSegment';
  private readonly a: RouteProposal;

  constructor(private readonly data: ProblemData) {
    this.a = new RouteProposal(data);
  }

  evaluate(sol: Solution, rU: number, pU: number, rV: number, pV: number): number {
    if (rU !== rV || pV <= pU + 1) return Infinity;
    const route = sol.routes[rU];
    if (pV > route.size) return Infinity;
    if (this.data.symmetric[this.data.vehProfile[route.vehicle]]) {
      const { nodes, cost: c, N } = route;
      const u = nodes[pU];
      const uNext = nodes[pU + 1];
      const v = nodes[pV];
      const vNext = nodes[pV + 1];
      if (c[u * N + v] + c[uNext * N + vNext] - c[u * N + uNext] - c[v * N + vNext] >= 0) return Infinity;
    }
    const a = this.a
      .startPrefix(route, pU)
      .addRange(route, pU + 1, pV, true)
      .endSuffix(route, pV + 1);
    if (!a.feasible) return Infinity;
    return a.totalCost - routeCost(this.data, route);
  }

  apply(sol: Solution, rU: number, pU: number, _rV: number, pV: number): void {
    const v = sol.routes[rU].visits();
    const mid = v.slice(pU, pV).reverse();
    v.splice(pU, pV - pU, ...mid);
    sol.routes[rU].setVisits(v);
  }
}
