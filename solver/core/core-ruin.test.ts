import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import { Rng } from '../search/rng.ts';
import { ProblemData } from './problem-data.ts';
import { Recreate } from './recreate.ts';
import { DEFAULT_RUIN, CoreRuin } from './core-ruin.ts';
import { Solution } from './solution.ts';

const r101 = parseSolomon(
  readFileSync(fileURLToPath(new URL('../../fixtures/solomon/r101.txt', import.meta.url)), 'utf8'),
);

function start(data: ProblemData): Solution {
  const sol = new Solution(data);
  const nodes = Array.from({ length: data.numClients }, (_, i) => data.numDepots + i);
  new Recreate(data).recreate(sol, nodes, new Rng(1), new Set());
  return sol;
}

/** One ruin step: the visits it removed and the routes it touched. */
function ruinOnce(ruin: CoreRuin, sol: Solution, rng: Rng): { removed: number[]; touched: Set<number> } {
  const removed: number[] = [];
  const touched = new Set<number>();
  ruin.ruin(sol, rng, removed, touched);
  return { removed, touched };
}

/** A ruin step that may not move a whole route: it removes strings, and no unused route gets a visit. */
function expectStringsInstead(ruin: CoreRuin, sol: Solution, rng: Rng): void {
  const unused = sol.routes.flatMap((r, i) => (r.size === 0 ? [i] : []));
  expect(unused.length).toBeGreaterThan(0);
  const { removed } = ruinOnce(ruin, sol, rng);
  expect(removed.length).toBeGreaterThan(0);
  expect(unused.every((r) => sol.routes[r].size === 0)).toBe(true);
  expect(sol.isFeasible()).toBe(true);
}

describe('CoreRuin', () => {
  const data = new ProblemData(r101);
  // Whole routes move only where routes are longer on average than the longest string: the
  // tests of route moves below take strings of at most 2 visits.
  // r101 with more nurses than its first solution uses, so that a route may open.
  const roomy = new ProblemData({
    ...r101,
    nurses: [...r101.nurses, ...r101.nurses.map((n) => ({ ...n, id: `${n.id}b` }))],
  });

  it('with routeRate 1, empties exactly one route, the smaller of the two drawn', () => {
    const ruin = new CoreRuin(data, { ...DEFAULT_RUIN, maxString: 2, routeRate: 1 });
    const rng = new Rng(3);
    for (let k = 0; k < 20; k++) {
      const sol = start(data);
      const sizes = sol.routes.map((r) => r.size);
      const { removed, touched } = ruinOnce(ruin, sol, rng);
      expect(touched.size).toBe(1);
      const [r] = touched;
      expect(sol.routes[r].size).toBe(0);
      expect(removed.length).toBe(sizes[r]);
      expect(removed.every((n) => sol.routeOf[n] < 0)).toBe(true);
    }
  });

  it('with routeCutRate 1, cuts one route in two: the head stays, the tail moves in order to an unused route', () => {
    const ruin = new CoreRuin(roomy, { ...DEFAULT_RUIN, maxString: 2, routeRate: 0, routeCutRate: 1 });
    const rng = new Rng(5);
    for (let k = 0; k < 20; k++) {
      const sol = start(roomy);
      expect(sol.usedRoutes()).toBeLessThan(roomy.numVehicles);
      const before = sol.routes.map((r) => r.visits());
      const cost = sol.routingCost();
      const { removed, touched } = ruinOnce(ruin, sol, rng);
      expect(removed).toEqual([]);
      expect(touched.size).toBe(2);
      const [a, b] = [...touched].sort((x, y) => before[y].length - before[x].length);
      expect(before[b]).toEqual([]);
      expect([...sol.routes[a].visits(), ...sol.routes[b].visits()]).toEqual(before[a]);
      expect(sol.routes[a].size).toBeGreaterThan(0);
      expect(sol.routes[b].size).toBeGreaterThan(0);
      expect(sol.isFeasible()).toBe(true);
      for (const r of touched)
        for (const [p, n] of sol.routes[r].visits().entries()) {
          expect(sol.routeOf[n]).toBe(r);
          expect(sol.posOf[n]).toBe(p + 1);
        }
      // Two depot legs for one arc: never cheaper.
      expect(sol.routingCost()).toBeGreaterThanOrEqual(cost);
    }
  });

  it('splits no route when the fleet may not grow (fewest routes first)', () => {
    const ruin = new CoreRuin(roomy, { ...DEFAULT_RUIN, maxString: 2, routeRate: 0, routeCutRate: 1 });
    const rng = new Rng(2);
    for (let k = 0; k < 10; k++) {
      const sol = start(roomy);
      sol.maxRoutes = sol.usedRoutes();
      expectStringsInstead(ruin, sol, rng);
    }
  });

  it('cuts no route when no unused nurse can take the tail: it removes strings instead', () => {
    // Every nurse of r101's first solution is busy; the extra nurses' shifts end before any
    // window opens, so their routes can take no tail.
    const busy = start(data).routes.filter((r) => r.size > 0);
    const cramped = new ProblemData({
      ...r101,
      nurses: [
        ...r101.nurses.slice(0, busy.length),
        ...r101.nurses.map((n) => ({ ...n, id: `${n.id}b`, shift: { start: 0, end: 1 } })),
      ],
    });
    const ruin = new CoreRuin(cramped, { ...DEFAULT_RUIN, maxString: 2, routeRate: 0, routeCutRate: 1 });
    const rng = new Rng(6);
    for (let k = 0; k < 10; k++) {
      const sol = new Solution(cramped);
      sol.setRoutes([...busy.map((r) => r.visits()), ...r101.nurses.map(() => [])]);
      expect(sol.isFeasible()).toBe(true);
      expect(sol.usedRoutes()).toBe(busy.length);
      expectStringsInstead(ruin, sol, rng);
    }
  });

  it('moves no whole route where routes are shorter on average than the longest string', () => {
    const ruin = new CoreRuin(roomy, { ...DEFAULT_RUIN, maxString: 30, routeRate: 1, routeCutRate: 1 });
    const rng = new Rng(4);
    for (let k = 0; k < 10; k++) {
      const sol = start(roomy);
      const used = sol.usedRoutes();
      expect(roomy.numClients).toBeLessThan(30 * used);
      const { removed, touched } = ruinOnce(ruin, sol, rng);
      expect(removed.length).toBeGreaterThan(0);
      expect(sol.usedRoutes()).toBeGreaterThanOrEqual(used - 1);
      expect([...touched].some((r) => sol.routes[r].size > 0)).toBe(true);
    }
  });

  it('with routeRate 0 and routeCutRate 0, removes strings, most steps from several routes', () => {
    const ruin = new CoreRuin(data, { ...DEFAULT_RUIN, routeRate: 0, routeCutRate: 0 });
    const rng = new Rng(3);
    let severalRoutes = 0;
    for (let k = 0; k < 20; k++) {
      const sol = start(data);
      const { removed, touched } = ruinOnce(ruin, sol, rng);
      if (touched.size > 1) severalRoutes++;
      expect(removed.length).toBeLessThanOrEqual(60);
    }
    expect(severalRoutes).toBeGreaterThan(10);
  });
});
