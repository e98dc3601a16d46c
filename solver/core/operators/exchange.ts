import type { ProblemData } from '../problem-data.ts';
import type { Solution } from '../solution.ts';
import type { Operator } from './operator.ts';
import { RouteProposal, routeCost } from './route-proposal.ts';

/**
 * Exchange(N, M) (PyVRP's Exchange<N, M>): with M = 0, moves the N visits starting at U to
 * just after V (relocate, or-opt); with M > 0, swaps them with the M visits starting at V.
 * Works within a route and between routes.
 */
export class Exchange implements Operator {
  readonly name: string;
  private readonly a: RouteProposal;
  private readonly b: RouteProposal;
  private readonly buf: number[] = [];

  constructor(
    private readonly data: ProblemData,
    readonly n: number,
    readonly m: number,
  ) {
    this.name = `exchange${n}${m}`;
    this.a = new RouteProposal(data);
    this.b = new RouteProposal(data);
  }

  private valid(sol: Solution, rU: number, pU: number, rV: number, pV: number): boolean {
    const { n, m } = this;
    const su = sol.routes[rU].size;
    const sv = sol.routes[rV].size;
    if (pU < 1 || pU + n - 1 > su) return false;
    if (m === 0) {
      if (pV < 0 || pV > sv) return false;
      if (rU === rV && pV >= pU - 1 && pV <= pU + n - 1) return false;
      return true;
    }
    if (pV < 1 || pV + m - 1 > sv) return false;
    if (rU === rV) {
      if (!(pV + m - 1 < pU || pV > pU + n - 1)) return false; // overlap
      if (n === m && pV < pU) return false; // symmetric: evaluated as (V, U)
    }
    return true;
  }

  evaluate(sol: Solution, rU: number, pU: number, rV: number, pV: number): number {
    if (!this.valid(sol, rU, pU, rV, pV)) return Infinity;
    const { n, m, data } = this;
    const routeU = sol.routes[rU];
    const routeV = sol.routes[rV];
    const nu = routeU.nodes;
    const nv = routeV.nodes;
    const last = pU + n - 1;
    if (rU !== rV) {
      // Arc-cost pre-check when both nurses share a cost matrix (the moved arcs keep their cost).
      if (routeU.cost === routeV.cost) {
        const c = routeU.cost;
        const N = routeU.N;
        const uPrev = nu[pU - 1];
        const uFirst = nu[pU];
        const uLast = nu[last];
        const uNext = nu[last + 1];
        let delta: number;
        if (m === 0) {
          const vNode = nv[pV];
          const vNext = nv[pV + 1];
          delta =
            c[uPrev * N + uNext] -
            c[uPrev * N + uFirst] -
            c[uLast * N + uNext] +
            c[vNode * N + uFirst] +
            c[uLast * N + vNext] -
            c[vNode * N + vNext];
        } else {
          const vPrev = nv[pV - 1];
          const vFirst = nv[pV];
          const vLast = nv[pV + m - 1];
          const vNext = nv[pV + m];
          delta =
            c[uPrev * N + vFirst] +
            c[vLast * N + uNext] -
            c[uPrev * N + uFirst] -
            c[uLast * N + uNext] +
            c[vPrev * N + uFirst] +
            c[uLast * N + vNext] -
            c[vPrev * N + vFirst] -
            c[vLast * N + vNext];
        }
        const fixed = data.vehFixedCost;
        if (m === 0 && routeU.size === n) delta -= fixed[routeU.vehicle];
        if (routeV.size === 0) delta += fixed[routeV.vehicle];
        if (delta >= 0) return Infinity;
      }
      const a = this.a.startPrefix(routeU, pU - 1);
      if (m > 0) a.addRange(routeV, pV, pV + m - 1);
      a.endSuffix(routeU, last + 1);
      if (!a.feasible) return Infinity;
      const b = this.b.startPrefix(routeV, m > 0 ? pV - 1 : pV);
      b.addRange(routeU, pU, last).endSuffix(routeV, m > 0 ? pV + m : pV + 1);
      if (!b.feasible) return Infinity;
      return a.totalCost + b.totalCost - routeCost(data, routeU) - routeCost(data, routeV);
    }
    if (this.intraArcDelta(routeU.nodes, routeU.cost, routeU.N, pU, pV) >= 0) return Infinity;
    const a = this.intra(sol, rU, pU, pV);
    if (!a.feasible) return Infinity;
    return a.totalCost - routeCost(data, routeU);
  }

  /** Closed-form arc-cost change of an intra-route move (the moved strings keep their inner arcs). */
  private intraArcDelta(nodes: Int32Array, c: Int32Array, N: number, pU: number, pV: number): number {
    const { n, m } = this;
    const uEnd = pU + n - 1;
    const prevU = nodes[pU - 1];
    const firstU = nodes[pU];
    const lastU = nodes[uEnd];
    const nextU = nodes[uEnd + 1];
    if (m === 0) {
      const v = nodes[pV];
      const vNext = nodes[pV + 1];
      return (
        c[prevU * N + nextU] -
        c[prevU * N + firstU] -
        c[lastU * N + nextU] +
        c[v * N + firstU] +
        c[lastU * N + vNext] -
        c[v * N + vNext]
      );
    }
    const vEnd = pV + m - 1;
    const prevV = nodes[pV - 1];
    const firstV = nodes[pV];
    const lastV = nodes[vEnd];
    const nextV = nodes[vEnd + 1];
    if (uEnd + 1 === pV)
      return (
        c[prevU * N + firstV] +
        c[lastV * N + firstU] +
        c[lastU * N + nextV] -
        c[prevU * N + firstU] -
        c[lastU * N + firstV] -
        c[lastV * N + nextV]
      );
    if (vEnd + 1 === pU)
      return (
        c[prevV * N + firstU] +
        c[lastU * N + firstV] +
        c[lastV * N + nextU] -
        c[prevV * N + firstV] -
        c[lastV * N + firstU] -
        c[lastU * N + nextU]
      );
    return (
      c[prevU * N + firstV] +
      c[lastV * N + nextU] +
      c[prevV * N + firstU] +
      c[lastU * N + nextV] -
      c[prevU * N + firstU] -
      c[lastU * N + nextU] -
      c[prevV * N + firstV] -
      c[lastV * N + nextV]
    );
  }

  private intra(sol: Solution, r: number, pU: number, pV: number): RouteProposal {
    const route = sol.routes[r];
    const { n, m } = this;
    const a = this.a;
    const uEnd = pU + n - 1;
    if (m === 0) {
      if (pV < pU) {
        a.startPrefix(route, pV).addRange(route, pU, uEnd);
        if (pV + 1 <= pU - 1) a.addRange(route, pV + 1, pU - 1);
        return a.endSuffix(route, uEnd + 1);
      }
      a.startPrefix(route, pU - 1)
        .addRange(route, uEnd + 1, pV)
        .addRange(route, pU, uEnd);
      return a.endSuffix(route, pV + 1);
    }
    const vEnd = pV + m - 1;
    if (vEnd < pU) {
      a.startPrefix(route, pV - 1).addRange(route, pU, uEnd);
      if (vEnd + 1 <= pU - 1) a.addRange(route, vEnd + 1, pU - 1);
      return a.addRange(route, pV, vEnd).endSuffix(route, uEnd + 1);
    }
    a.startPrefix(route, pU - 1).addRange(route, pV, vEnd);
    if (uEnd + 1 <= pV - 1) a.addRange(route, uEnd + 1, pV - 1);
    return a.addRange(route, pU, uEnd).endSuffix(route, vEnd + 1);
  }

  apply(sol: Solution, rU: number, pU: number, rV: number, pV: number): void {
    const { n, m } = this;
    const routeU = sol.routes[rU];
    const routeV = sol.routes[rV];
    const u = routeU.visits();
    if (rU !== rV) {
      const v = routeV.visits();
      const segU = u.splice(pU - 1, n);
      if (m === 0) v.splice(pV, 0, ...segU);
      else {
        const segV = v.splice(pV - 1, m, ...segU);
        u.splice(pU - 1, 0, ...segV);
      }
      routeU.setVisits(u);
      routeV.setVisits(v);
      return;
    }
    const buf = this.buf;
    buf.length = 0;
    const nodes = routeU.nodes;
    const uEnd = pU + n - 1;
    const vEnd = m === 0 ? pV : pV + m - 1;
    // Rebuild the order position by position, as `intra` describes it.
    const push = (from: number, to: number) => {
      for (let p = from; p <= to; p++) buf.push(nodes[p]);
    };
    if (m === 0) {
      if (pV < pU) {
        push(1, pV);
        push(pU, uEnd);
        push(pV + 1, pU - 1);
        push(uEnd + 1, routeU.size);
      } else {
        push(1, pU - 1);
        push(uEnd + 1, pV);
        push(pU, uEnd);
        push(pV + 1, routeU.size);
      }
    } else if (vEnd < pU) {
      push(1, pV - 1);
      push(pU, uEnd);
      push(vEnd + 1, pU - 1);
      push(pV, vEnd);
      push(uEnd + 1, routeU.size);
    } else {
      push(1, pU - 1);
      push(pV, vEnd);
      push(uEnd + 1, pV - 1);
      push(pU, uEnd);
      push(vEnd + 1, routeU.size);
    }
    routeU.setVisits(buf);
  }
}
