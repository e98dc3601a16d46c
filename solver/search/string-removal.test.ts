import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';
import { DEFAULT_STRINGS, type RouteView, seedThenNearest, StringRemoval } from './string-removal.ts';

/** Six routes of twelve visits: route r holds visits 12r … 12r + 11 in order. */
const routes = Array.from({ length: 6 }, (_, r) => Array.from({ length: 12 }, (_, k) => 12 * r + k));
const view: RouteView = {
  routeOf: (v) => Math.floor(v / 12),
  positionOf: (v) => v % 12,
  length: (r) => routes[r].length,
  visitAt: (r, k) => routes[r][k],
};
/** Every other visit, nearest first by a made-up line distance (so strings span routes). */
const nearest = (seed: number) =>
  Array.from({ length: 72 }, (_, v) => v)
    .filter((v) => v !== seed)
    .sort((a, b) => Math.abs((a % 12) - (seed % 12)) - Math.abs((b % 12) - (seed % 12)) || a - b);

describe('StringRemoval (SISR, shared by both engines)', () => {
  it('takes one string or split string per ruined route, around the first candidate met there', () => {
    const strings = new StringRemoval(routes.length, DEFAULT_STRINGS);
    const rng = new Rng(7);
    let split = 0;
    for (let trial = 0; trial < 300; trial++) {
      const count = strings.begin(6, 72, rng);
      // k_s is drawn in [1, 4c̄/(1 + l_s,max) − 1]: c̄ 10, l_s,max min(10, 72/6) = 10.
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(Math.floor(40 / 11 - 1) + 1);
      const seed = rng.int(72);
      const taken: number[] = [];
      const ruined = strings.removeStrings(view, seedThenNearest(seed, nearest(seed)), count, rng, (v) =>
        taken.push(v),
      );
      expect(ruined).toBe(count);
      expect(new Set(taken).size).toBe(taken.length);
      const byRoute = new Map<number, number[]>();
      for (const v of taken) byRoute.set(view.routeOf(v), [...(byRoute.get(view.routeOf(v)) ?? []), v % 12]);
      expect(byRoute.size).toBe(count);
      expect(byRoute.has(view.routeOf(seed))).toBe(true);
      for (const positions of byRoute.values()) {
        positions.sort((a, b) => a - b);
        expect(positions.length).toBeLessThanOrEqual(DEFAULT_STRINGS.maxString);
        const gaps = positions.slice(1).filter((p, k) => p !== positions[k] + 1).length;
        // A string, or a split string: one run of kept visits inside.
        expect(gaps).toBeLessThanOrEqual(1);
        if (gaps === 1) split++;
      }
    }
    expect(split).toBeGreaterThan(50);
  });

  it('never takes from a route marked ruined, nor more routes than asked', () => {
    const strings = new StringRemoval(routes.length, { ...DEFAULT_STRINGS, splitRate: 0 });
    const rng = new Rng(3);
    for (let trial = 0; trial < 100; trial++) {
      strings.begin(6, 72, rng);
      strings.markRuined(2);
      const seed = 24 + rng.int(12); // in the marked route
      const taken: number[] = [];
      const ruined = strings.removeStrings(view, seedThenNearest(seed, nearest(seed)), 2, rng, (v) =>
        taken.push(v),
      );
      expect(ruined).toBe(2);
      expect(taken.some((v) => view.routeOf(v) === 2)).toBe(false);
      expect(new Set(taken.map((v) => view.routeOf(v))).size).toBe(2);
      // Without split strings, each route gives one run of consecutive visits, and the first
      // candidate met in a route (seed, then nearest) lies in its run.
      const order = [seed, ...nearest(seed)];
      for (const r of new Set(taken.map((v) => view.routeOf(v)))) {
        const positions = taken.filter((v) => view.routeOf(v) === r).map((v) => v % 12);
        const lo = Math.min(...positions);
        const hi = Math.max(...positions);
        expect(hi - lo + 1).toBe(positions.length);
        const first = order.find((v) => view.routeOf(v) === r)!;
        expect(first % 12).toBeGreaterThanOrEqual(lo);
        expect(first % 12).toBeLessThanOrEqual(hi);
      }
    }
  });
});
