import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import { ProblemData } from './problem-data.ts';
import { Solution } from './solution.ts';
import { createStop } from '../search/stop.ts';
import { RoutePool } from './route-pool.ts';
import { ruinRecreateSearch } from './core-search.ts';

const rc201 = parseSolomon(
  readFileSync(fileURLToPath(new URL('../../fixtures/solomon/rc201.txt', import.meta.url)), 'utf8'),
);

describe('RoutePool', () => {
  const data = new ProblemData(rc201, { objective: 'distance' });
  // Routes of several independent short searches: their combination can beat each of them.
  const runs = [1, 2, 3, 4].map((seed) =>
    ruinRecreateSearch(data, { seed, stop: createStop({ iterations: 60 }) }),
  );
  const pool = new RoutePool(data, 120);
  for (const r of runs) pool.addSolution(r.best);

  it('keeps one route per visit set, at most its capacity', () => {
    expect(pool.size).toBeGreaterThan(10);
    expect(pool.size).toBeLessThanOrEqual(120);
  });

  it('recombines into a cheaper solution that routes every visit exactly once, or returns null', () => {
    const worst = runs.reduce((a, b) => (a.cost >= b.cost ? a : b)).best;
    const routes = pool.recombine(worst, data.numVehicles);
    const best = Math.min(...runs.map((r) => r.cost));
    expect(routes).not.toBeNull();
    // Nothing beats a solution that is already the pool's optimum.
    const bestRun = runs.find((r) => r.cost === best)!;
    const again = new Solution(data);
    again.setRoutes(
      pool.recombine(bestRun.best, data.numVehicles) ?? bestRun.best.routes.map((r) => r.visits()),
    );
    const sol = new Solution(data);
    sol.setRoutes(routes!);
    expect(again.routingCost()).toBe(sol.routingCost());
    expect(sol.unassigned()).toEqual([]);
    expect(sol.isFeasible()).toBe(true);
    expect(sol.routingCost()).toBeLessThan(worst.routingCost());
    // Never worse than the best run: its routes are all in the pool.
    expect(sol.routingCost()).toBeLessThanOrEqual(best);
  });

  it('respects a cap on the number of routes', () => {
    // The costliest run, capped at the fewest routes of a cheaper run: that run's routes are in
    // the pool, so a cheaper combination within the cap exists.
    const worst = runs.reduce((a, b) => (a.cost >= b.cost ? a : b));
    const cap = Math.min(...runs.filter((r) => r.cost < worst.cost).map((r) => r.best.usedRoutes()));
    const routes = pool.recombine(worst.best, cap);
    expect(routes).not.toBeNull();
    expect(routes!.filter((r) => r.length > 0).length).toBeLessThanOrEqual(cap);
    const sol = new Solution(data);
    sol.setRoutes(routes!);
    expect(sol.unassigned()).toEqual([]);
    expect(sol.routingCost()).toBeLessThan(worst.best.routingCost());
  });
});
