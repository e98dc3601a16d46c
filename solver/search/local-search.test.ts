import { describe, expect, it } from 'vitest';
import { LocalSearch, type MoveSpace } from './local-search.ts';
import { Rng } from './rng.ts';

/**
 * A made-up engine for the shared search: points in the plane, routes from and back to the
 * origin, one move (relocate u right after v, or first in v's route when `head`), its exact
 * delta computed from the arcs it changes.
 */
class PointSpace implements MoveSpace {
  readonly firstVisit = 0;
  readonly endVisit: number;
  readonly numRoutes: number;
  readonly routeOfV: Int32Array;
  readonly pairsTried: number[] = [];
  readonly near: Int32Array[];

  constructor(
    readonly xy: [number, number][],
    readonly routes: number[][],
    k: number,
  ) {
    this.endVisit = xy.length;
    this.numRoutes = routes.length;
    this.routeOfV = new Int32Array(xy.length).fill(-1);
    this.reindex();
    this.near = xy.map((_, u) =>
      Int32Array.from(
        xy
          .map((_, v) => v)
          .filter((v) => v !== u)
          .sort((a, b) => this.d(u, a) - this.d(u, b) || a - b)
          .slice(0, k),
      ),
    );
  }

  private reindex(): void {
    this.routes.forEach((route, r) => route.forEach((v) => (this.routeOfV[v] = r)));
  }

  d(a: number, b: number): number {
    const [ax, ay] = a < 0 ? [0, 0] : this.xy[a];
    const [bx, by] = b < 0 ? [0, 0] : this.xy[b];
    return Math.hypot(ax - bx, ay - by);
  }

  cost(): number {
    let c = 0;
    for (const route of this.routes) {
      let prev = -1;
      for (const v of route) {
        c += this.d(prev, v);
        prev = v;
      }
      c += this.d(prev, -1);
    }
    return c;
  }

  routeOf(v: number): number {
    return this.routeOfV[v];
  }
  positionOf(v: number): number {
    return this.routes[this.routeOfV[v]].indexOf(v);
  }
  length(r: number): number {
    return this.routes[r].length;
  }
  visitAt(r: number, k: number): number {
    return this.routes[r][k];
  }
  movable(): boolean {
    return true;
  }
  neighbours(u: number): Int32Array {
    return this.near[u];
  }

  /** Cost change of moving u right after v (v = -1 - r: first in route r). */
  delta(u: number, v: number): number {
    const a = this.routes[this.routeOfV[u]];
    const i = a.indexOf(u);
    const p = i > 0 ? a[i - 1] : -1;
    const n = i + 1 < a.length ? a[i + 1] : -1;
    if (v === p || (v < 0 && i === 0 && -1 - v === this.routeOfV[u])) return 0;
    const b = v < 0 ? this.routes[-1 - v] : this.routes[this.routeOfV[v]];
    const j = v < 0 ? -1 : b.indexOf(v);
    const from = v < 0 ? -1 : v;
    const next = j + 1 < b.length ? b[j + 1] : -1;
    if (next === u) return 0;
    return (
      this.d(p, n) - this.d(p, u) - this.d(u, n) + this.d(from, u) + this.d(u, next) - this.d(from, next)
    );
  }

  move(u: number, v: number): void {
    const a = this.routes[this.routeOfV[u]];
    a.splice(a.indexOf(u), 1);
    if (v < 0) this.routes[-1 - v].unshift(u);
    else {
      const b = this.routes[this.routeOfV[v]];
      b.splice(b.indexOf(v) + 1, 0, u);
    }
    this.reindex();
  }

  improvePair(u: number, v: number): boolean {
    this.pairsTried.push(u);
    for (const to of [v, -1 - this.routeOfV[v]]) {
      if (this.delta(u, to) < -1e-9) {
        this.move(u, to);
        return true;
      }
    }
    return false;
  }
}

function randomSpace(seed: number, n: number, routes: number, k: number): PointSpace {
  const rng = new Rng(seed);
  const xy = Array.from(
    { length: n },
    () => [rng.next() * 100 - 50, rng.next() * 100 - 50] as [number, number],
  );
  const order = rng.shuffle(Array.from({ length: n }, (_, v) => v));
  return new PointSpace(
    xy,
    Array.from({ length: routes }, (_, r) => order.filter((_, i) => i % routes === r)),
    k,
  );
}

/** Whether some visit has an improving move towards one of its neighbours. */
function improvable(s: PointSpace): boolean {
  for (let u = 0; u < s.endVisit; u++)
    for (const v of s.neighbours(u))
      if (s.delta(u, v) < -1e-9 || s.delta(u, -1 - s.routeOf(v)) < -1e-9) return true;
  return false;
}

describe('LocalSearch (the granular search shared by both engines)', () => {
  it('sweeps to a local optimum: no neighbour pair improves, every move lowered the cost', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const s = randomSpace(seed, 40, 4, 8);
      const before = s.cost();
      expect(improvable(s)).toBe(true);
      const applied = new LocalSearch(s).sweep(null);
      expect(applied).toBeGreaterThan(0);
      expect(improvable(s)).toBe(false);
      expect(s.cost()).toBeLessThan(before - applied * 1e-9);
      // Every visit is still routed exactly once.
      expect(s.routes.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, v) => v));
    }
  });

  it('from touched routes, retries only pairs involving a changed route, and reports the routes it changes', () => {
    const s = randomSpace(3, 40, 4, 8);
    const ls = new LocalSearch(s);
    ls.sweep(null);
    // At a local optimum, a sweep from no changed route tries nothing.
    s.pairsTried.length = 0;
    expect(ls.sweep(new Set())).toBe(0);
    expect(s.pairsTried).toEqual([]);
    // Reverse route 0: only pairs with a visit of route 0 on either side are tried again.
    s.routes[0].reverse();
    const inRoute0 = new Set(s.routes[0]);
    s.pairsTried.length = 0;
    const touched = new Set([0]);
    ls.sweep(touched);
    const roundEnd = s.pairsTried.findIndex((u, i) => i > 0 && u < s.pairsTried[i - 1]);
    const firstRound = s.pairsTried.slice(0, roundEnd < 0 ? undefined : roundEnd);
    expect(firstRound.length).toBeGreaterThan(0);
    for (const u of firstRound)
      expect(inRoute0.has(u) || [...s.neighbours(u)].some((v) => inRoute0.has(v))).toBe(true);
    expect(improvable(s)).toBe(false);
    expect(touched.has(0)).toBe(true);
  });

  it('around given visits: tries those and what the moves moved, nothing else', () => {
    const s = randomSpace(5, 60, 5, 6);
    const ls = new LocalSearch(s);
    expect(ls.around([])).toBe(0);
    expect(s.pairsTried).toEqual([]);
    // A visit with an improving move.
    const u = Array.from({ length: 60 }, (_, v) => v).find((v) =>
      [...s.neighbours(v)].some((w) => s.delta(v, w) < -1e-9),
    )!;
    const before = s.cost();
    const applied = ls.around([u]);
    expect(applied).toBeGreaterThan(0);
    expect(s.cost()).toBeLessThan(before);
    expect(s.pairsTried[0]).toBe(u);
    // The first visit tried after the first move is u again (it moved), or one next to it.
    expect(s.pairsTried.length).toBeGreaterThan(1);
  });
});
