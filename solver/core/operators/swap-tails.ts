import type { ProblemData } from '../problem-data.ts';
import type { Solution } from '../solution.ts';
import type { Operator } from './operator.ts';
import { RouteProposal, routeCost } from './route-proposal.ts';

/**
 * SwapTails (2-opt*): between two routes, the visits after U and the visits after V trade
 * places, so each nurse keeps its head and takes the other's tail.
 */
export class SwapTails implements Operator {
  readonly name = 'swapTails';
  private readonly a: RouteProposal;
  private readonly b: RouteProposal;

  constructor(private readonly data: ProblemData) {
    this.a = new RouteProposal(data);
    this.b = new RouteProposal(data);
  }

  evaluate(sol: Solution, rU: number, pU: number, rV: number, pV: number): number {
    if (rU === rV) return Infinity;
    const routeU = sol.routes[rU];
    const routeV = sol.routes[rV];
    if (pU > routeU.size || pV > routeV.size || (pU === routeU.size && pV === routeV.size)) return Infinity;
    const data = this.data;
    if (routeU.cost === routeV.cost && routeU.end === routeV.end) {
      const c = routeU.cost;
      const N = routeU.N;
      const u = routeU.nodes[pU];
      const uNext = routeU.nodes[pU + 1];
      const v = routeV.nodes[pV];
      const vNext = routeV.nodes[pV + 1];
      let delta = c[u * N + vNext] + c[v * N + uNext] - c[u * N + uNext] - c[v * N + vNext];
      const fixed = data.vehFixedCost;
      if (pU === 0 && pV === routeV.size) delta -= fixed[routeU.vehicle]; // U ends up empty
      if (pV === 0 && pU === routeU.size) delta -= fixed[routeV.vehicle];
      if (delta >= 0) return Infinity;
    }
    const a = this.a.startPrefix(routeU, pU).endSuffix(routeV, pV + 1);
    if (!a.feasible) return Infinity;
    const b = this.b.startPrefix(routeV, pV).endSuffix(routeU, pU + 1);
    if (!b.feasible) return Infinity;
    return a.totalCost + b.totalCost - routeCost(data, routeU) - routeCost(data, routeV);
  }

  apply(sol: Solution, rU: number, pU: number, rV: number, pV: number): void {
    const u = sol.routes[rU].visits();
    const v = sol.routes[rV].visits();
    const tailU = u.splice(pU);
    const tailV = v.splice(pV);
    sol.routes[rU].setVisits(u.concat(tailV));
    sol.routes[rV].setVisits(v.concat(tailU));
  }
}
