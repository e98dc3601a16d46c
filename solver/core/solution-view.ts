import type { RouteView } from '../search/string-removal.ts';
import type { Solution } from './solution.ts';

/** A Solution's routes as the shared search reads them (positions from 0, depots apart). */
export class SolutionView implements RouteView {
  sol: Solution | null = null;
  routeOf(v: number): number {
    return this.sol!.routeOf[v];
  }
  positionOf(v: number): number {
    return this.sol!.posOf[v] - 1;
  }
  length(r: number): number {
    return this.sol!.routes[r].size;
  }
  visitAt(r: number, k: number): number {
    return this.sol!.routes[r].nodes[k + 1];
  }
}
