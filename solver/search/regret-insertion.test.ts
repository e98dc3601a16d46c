import { describe, expect, it } from 'vitest';
import { Blinks, GreedyInsertion, type Insertion, type InsertionSpace } from './recreate.ts';
import { RegretInsertion } from './regret-insertion.ts';
import { Rng } from './rng.ts';

/**
 * Visits with a cost per route (Infinity: not that route), routes holding at most `room`
 * visits; `surcharge(r)` is added to every place in route r (a cost that other routes'
 * insertions may change, as timing arcs across routes do in home care).
 */
class TableSpace implements InsertionSpace {
  readonly numRoutes: number;
  passes = 1;
  /** When set: the routes tried first (the others only when none of them has a place). */
  first: ((v: number, r: number) => boolean) | null = null;
  readonly routes: number[][];
  scans = 0;

  constructor(
    readonly cost: Record<number, number[]>,
    readonly room: number,
    readonly surcharge: (r: number, routes: number[][]) => number = () => 0,
    readonly partnerOf = new Map<number, number[]>(),
  ) {
    this.numRoutes = Object.values(cost)[0].length;
    this.routes = Array.from({ length: this.numRoutes }, () => []);
  }
  isPlaced(v: number): boolean {
    return this.routes.some((r) => r.includes(v));
  }
  begin(): void {}
  tries(v: number, r: number, pass: number): boolean {
    if (this.first && this.first(v, r) !== (pass === 0)) return false;
    return this.cost[v][r] < Infinity && this.routes[r].length < this.room;
  }
  scanRoute(v: number, r: number, blinks: Blinks, best: Insertion): void {
    this.scans++;
    for (let p = 0; p <= this.routes[r].length; p++) {
      if (blinks.skip()) continue;
      const delta = this.cost[v][r] + this.surcharge(r, this.routes) + p * 1e-3;
      if (delta < best.delta) Object.assign(best, { route: r, pos: p, delta });
    }
  }
  accepts(best: Insertion): boolean {
    return best.delta < 1000;
  }
  insert(v: number, best: Insertion): void {
    this.routes[best.route].splice(best.pos, 0, v);
  }
  partners(v: number): number[] {
    return this.partnerOf.get(v) ?? [];
  }
}

describe('RegretInsertion', () => {
  it('places first the visit that would lose most if its best route were taken', () => {
    // One place a route. Visit 1 costs 1 or 2, visit 2 costs 1 or 10.
    const cost = { 1: [1, 2], 2: [1, 10] };
    const greedy = new TableSpace(cost, 1);
    new GreedyInsertion(greedy, 3, new Blinks(0)).insertAll([1, 2], new Rng(1));
    expect(greedy.routes).toEqual([[1], [2]]); // 1 + 10
    const regret = new TableSpace(cost, 1);
    expect(new RegretInsertion(regret, 3, new Blinks(0)).insertAll([1, 2], new Rng(1))).toBe(0);
    expect(regret.routes).toEqual([[2], [1]]); // 1 + 2
  });

  it('places first a visit with one route left, and leaves out what no route takes', () => {
    // Visit 3 only fits route 1; visit 4 fits none (beyond what the engine accepts).
    const space = new TableSpace({ 1: [5, 1], 2: [2, 3], 3: [Infinity, 4], 4: [2000, 2000] }, 1);
    expect(new RegretInsertion(space, 5, new Blinks(0)).insertAll([1, 2, 3, 4], new Rng(1))).toBe(2);
    expect(space.routes).toEqual([[2], [3]]);
  });

  it('checks a place again before taking it: an insertion elsewhere may have changed it', () => {
    // Once route 0 holds a visit, every place in route 1 costs 20 more. Visit 1 only fits
    // route 0 (goes first); visit 2's place in route 1 (2) is then 22, and route 2 (5) wins.
    // Without the check it would go where its kept cost says (route 1).
    const surcharge = (r: number, routes: number[][]) => (r === 1 && routes[0].length > 0 ? 20 : 0);
    const space = new TableSpace({ 1: [1, Infinity, Infinity], 2: [9, 2, 5] }, 2, surcharge);
    new RegretInsertion(space, 3, new Blinks(0)).insertAll([2, 1], new Rng(1));
    expect(space.routes).toEqual([[1], [], [2]]);
  });

  it("places a visit's partners right after it, and scans again only the routes that changed", () => {
    // Regrets: visit 1 2, visit 2 1, visit 3 0.5; visit 5 is 3's partner (not in the list).
    const cost = { 1: [1, 3, 9, 9], 2: [2, 3, 9, 9], 3: [9, 9, 1, 1.5], 5: [9, 9, 9, 2] };
    const space = new TableSpace(cost, 10, undefined, new Map([[3, [5]]]));
    expect(new RegretInsertion(space, 6, new Blinks(0)).insertAll([3, 2, 1], new Rng(1))).toBe(0);
    expect(space.routes).toEqual([[2, 1], [], [3], [5]]);
    // 3 visits x 4 routes at first; then for each placed visit one check of its route, route 0
    // again for the visits still out (2 after 1, 1 after 2), and 5's four routes (greedy).
    expect(space.scans).toBe(12 + 3 + 2 + 1 + 4);
  });
});
