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

describe('CoreRuin', () => {
  const data = new ProblemData(r101);

  it('with routeRate 1, empties exactly one route, the smaller of the two drawn', () => {
    const ruin = new CoreRuin(data, { ...DEFAULT_RUIN, routeRate: 1 });
    const rng = new Rng(3);
    for (let k = 0; k < 20; k++) {
      const sol = start(data);
      const sizes = sol.routes.map((r) => r.size);
      const removed: number[] = [];
      const touched = new Set<number>();
      ruin.ruin(sol, rng, removed, touched);
      expect(touched.size).toBe(1);
      const [r] = touched;
      expect(sol.routes[r].size).toBe(0);
      expect(removed.length).toBe(sizes[r]);
      expect(removed.every((n) => sol.routeOf[n] < 0)).toBe(true);
    }
  });

  it('with routeRate 0, removes strings, most steps from several routes', () => {
    const ruin = new CoreRuin(data, { ...DEFAULT_RUIN, routeRate: 0 });
    const rng = new Rng(3);
    let severalRoutes = 0;
    for (let k = 0; k < 20; k++) {
      const sol = start(data);
      const removed: number[] = [];
      const touched = new Set<number>();
      ruin.ruin(sol, rng, removed, touched);
      if (touched.size > 1) severalRoutes++;
      expect(removed.length).toBeLessThanOrEqual(60);
    }
    expect(severalRoutes).toBeGreaterThan(10);
  });
});
