import { describe, expect, it } from 'vitest';
import { Blinks, GreedyInsertion, type Insertion, type InsertionSpace } from './recreate.ts';
import { Rng } from './rng.ts';

describe('Blinks', () => {
  it('skips each position with the given probability, independently', () => {
    const rng = new Rng(3);
    for (const rate of [0.01, 0.1, 0.5]) {
      const blinks = new Blinks(rate);
      let skipped = 0;
      let runs = 0;
      const positions = 200_000;
      blinks.reset(rng);
      let last = false;
      for (let p = 0; p < positions; p++) {
        const s = blinks.skip();
        if (s) skipped++;
        if (s && last) runs++;
        last = s;
        if (p % 100 === 99) blinks.reset(rng); // a new visit's scan
      }
      expect(skipped / positions).toBeCloseTo(rate, 2);
      // Two skips in a row as often as independent draws give.
      expect(runs / positions).toBeCloseTo(rate * rate, 2);
    }
  });

  it('never skips at rate 0 or without a generator', () => {
    const b = new Blinks(0);
    b.reset(new Rng(1));
    const c = new Blinks(0.5);
    c.reset(null);
    for (let p = 0; p < 1000; p++) expect(b.skip() || c.skip()).toBe(false);
  });
});

/** Visits on a line, routes as sorted lists; a visit costs its distance to the route's anchor. */
class LineSpace implements InsertionSpace {
  readonly numRoutes: number;
  readonly passes: number;
  readonly routes: number[][];
  readonly begun: [number, boolean][] = [];

  constructor(
    readonly anchors: number[],
    readonly firstChoice: (v: number, r: number) => boolean,
    readonly limit: number,
    readonly partnerOf: Map<number, number[]>,
  ) {
    this.numRoutes = anchors.length;
    this.passes = 2;
    this.routes = anchors.map(() => []);
  }
  isPlaced(v: number): boolean {
    return this.routes.some((r) => r.includes(v));
  }
  begin(v: number, asPartner: boolean): void {
    this.begun.push([v, asPartner]);
  }
  tries(v: number, r: number, pass: number): boolean {
    return this.firstChoice(v, r) === (pass === 0);
  }
  scanRoute(v: number, r: number, blinks: Blinks, best: Insertion): void {
    for (let p = 0; p <= this.routes[r].length; p++) {
      if (blinks.skip()) continue;
      const delta = Math.abs(v - this.anchors[r]) + p * 1e-3;
      if (delta < best.delta) Object.assign(best, { route: r, pos: p, delta });
    }
  }
  accepts(best: Insertion): boolean {
    return best.delta < this.limit;
  }
  insert(v: number, best: Insertion): void {
    this.routes[best.route].splice(best.pos, 0, v);
  }
  partners(v: number): number[] {
    return this.partnerOf.get(v) ?? [];
  }
}

describe('GreedyInsertion (shared by both engines)', () => {
  it('puts each visit at its cheapest place among first choices, the rest only when none fits', () => {
    // Routes anchored at 0, 10, 20; visits may go to routes whose anchor is within 5 first.
    const space = new LineSpace([0, 10, 20], (v, r) => Math.abs(v - 10 * r) <= 5, 100, new Map());
    const g = new GreedyInsertion(space, 40, new Blinks(0));
    expect(g.insertAll([1, 9, 19, 30], new Rng(1))).toBe(0);
    expect(space.routes).toEqual([[1], [9], [30, 19]]);
  });

  it('leaves out what the engine does not accept, and places partners right after', () => {
    const space = new LineSpace([0, 10], () => true, 4, new Map([[2, [15, 11]]]));
    const g = new GreedyInsertion(space, 40, new Blinks(0));
    // 2 goes to route 0; its partners follow it at once (15 is too far from any anchor: out).
    expect(g.insertAll([2, 30, 11], new Rng(1))).toBe(2);
    expect(space.begun).toEqual([
      [2, false],
      [15, true],
      [11, true],
      [30, false],
    ]);
    expect(space.routes).toEqual([[2], [11]]);
  });

  it("gives up once the cost added (each place's cost change, outCost per visit left out) reaches the limit", () => {
    const space = () => new LineSpace([0, 10, 20], () => true, 4, new Map());
    // Each visit costs its distance to the nearest anchor (plus 0.001 a position): 1, 2, 1.
    const cheap = space();
    expect(new GreedyInsertion(cheap, 40, new Blinks(0)).insertAll([1, 8, 21], new Rng(1), 4.01)).toBe(0);
    const over = space();
    expect(new GreedyInsertion(over, 40, new Blinks(0)).insertAll([1, 8, 21], new Rng(1), 2.5)).toBe(-1);
    expect(over.routes).toEqual([[1], [8], []]); // stopped after the second visit
    // 15 is left out (5 from any anchor, not accepted): it adds outCost.
    const out = space();
    expect(new GreedyInsertion(out, 40, new Blinks(0)).insertAll([1, 15, 21], new Rng(1), 50, 100)).toBe(-1);
    expect(out.routes).toEqual([[1], [], []]);
    expect(new GreedyInsertion(space(), 40, new Blinks(0)).insertAll([1, 15, 21], new Rng(1), 150, 100)).toBe(
      1,
    );
  });
});
