import type { RouteView } from './string-removal.ts';

/**
 * What the local search improves: one engine's solution, read as routes of visits, with that
 * engine's moves and their exact cost change. The core gives one over concatenable duration
 * segments (core/core-move-space.ts), home care over its cross-route schedule
 * (care/care-move-space.ts); the search itself is written once, here.
 */
export interface MoveSpace extends RouteView {
  /** Visits are numbered firstVisit .. endVisit - 1 (the core's depots come first). */
  readonly firstVisit: number;
  readonly endVisit: number;
  readonly numRoutes: number;
  /** Whether the search moves visit u (home care's breaks stay where the schedule puts them). */
  movable(u: number): boolean;
  /** The visits u is tried against, most related first (the granular neighbourhood). */
  neighbours(u: number): ArrayLike<number>;
  /**
   * Tries the engine's moves of u with v in turn and applies the first that lowers the cost
   * (each evaluated exactly, most dropped on an early exit first): true when one was applied. A
   * move changes at most u's and v's routes, which keep their numbers.
   */
  improvePair(u: number, v: number): boolean;
  /** A move of u alone (e.g. into an unused route): the other route it changed, or -1 for none. */
  improveAlone?(u: number): number;
}

/**
 * Granular first-improvement local search (Vidal et al. 2013; PyVRP's LocalSearch): each visit
 * U is tried against its nearest related visits V with every move, and an improving move is
 * applied at once. Two scopes:
 * - `sweep` goes over every visit until none improves, retrying a pair only after U's or V's
 *   route changed since U was last tried (from the routes a step touched, or from scratch);
 * - `around` tries only the given visits, then those a move moved and their new route
 *   neighbours, until none of them improves.
 */
export class LocalSearch {
  private readonly lastModified: Int32Array;
  private readonly lastTested: Int32Array;
  private readonly queued: Uint8Array;
  private counter = 0;

  constructor(readonly space: MoveSpace) {
    this.lastModified = new Int32Array(space.numRoutes);
    this.lastTested = new Int32Array(space.endVisit).fill(-1);
    this.queued = new Uint8Array(space.endVisit);
  }

  /**
   * Improves until no move improves among the pairs that involve a route in `touched` (every
   * pair when null); routes it changes are added to `touched`. Returns the number of moves applied.
   */
  sweep(touched: Set<number> | null): number {
    const { space, lastModified, lastTested } = this;
    const stamp0 = ++this.counter;
    if (touched === null) lastTested.fill(-1);
    else for (const r of touched) lastModified[r] = stamp0;
    let applied = 0;
    let improved = true;
    while (improved) {
      improved = false;
      for (let U = space.firstVisit; U < space.endVisit; U++) {
        let rU = space.routeOf(U);
        if (rU < 0 || !space.movable(U)) continue;
        const testedAt = lastTested[U];
        lastTested[U] = this.counter;
        const nb = space.neighbours(U);
        for (let k = 0; k < nb.length; k++) {
          const V = nb[k];
          const rV = space.routeOf(V);
          if (rV < 0) continue;
          if (lastModified[rU] <= testedAt && lastModified[rV] <= testedAt) continue;
          if (space.improvePair(U, V)) {
            this.changed(rU, rV, touched);
            applied++;
            improved = true;
            rU = space.routeOf(U);
          }
        }
        if (space.improveAlone !== undefined && lastModified[rU] > testedAt) {
          const r = space.improveAlone(U);
          if (r >= 0) {
            this.changed(rU, r, touched);
            applied++;
            improved = true;
          }
        }
      }
    }
    return applied;
  }

  /** Improves around the given visits (those not routed or not movable are skipped); returns the number of moves applied. */
  around(visits: Iterable<number>): number {
    const { space, queued } = this;
    const queue: number[] = [];
    const push = (u: number) => {
      if (queued[u] === 0 && space.routeOf(u) >= 0 && space.movable(u)) {
        queued[u] = 1;
        queue.push(u);
      }
    };
    for (const u of visits) push(u);
    let applied = 0;
    for (let qi = 0; qi < queue.length; qi++) {
      const u = queue[qi];
      queued[u] = 0;
      const rU = space.routeOf(u);
      if (rU < 0) continue;
      const near = space.neighbours(u);
      for (let i = 0; i < near.length; i++) {
        const v = near[i];
        const rV = space.routeOf(v);
        if (rV < 0 || !space.improvePair(u, v)) continue;
        this.changed(rU, rV, null);
        applied++;
        // What moved, and what is next to it now.
        for (const x of [u, v]) {
          const r = space.routeOf(x);
          const k = space.positionOf(x);
          push(x);
          if (k > 0) push(space.visitAt(r, k - 1));
          if (k + 1 < space.length(r)) push(space.visitAt(r, k + 1));
        }
        break;
      }
    }
    return applied;
  }

  private changed(rU: number, rV: number, touched: Set<number> | null): void {
    const stamp = ++this.counter;
    this.lastModified[rU] = stamp;
    this.lastModified[rV] = stamp;
    touched?.add(rU);
    touched?.add(rV);
  }
}
