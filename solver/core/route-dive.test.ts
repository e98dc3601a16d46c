import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import { Rng } from '../search/rng.ts';
import { createStop } from '../search/stop.ts';
import { CoreLocalSearch } from './core-move-space.ts';
import { CostEvaluator } from './cost-evaluator.ts';
import { LARGE_MIN_VISITS, ruinRecreateSearch } from './core-search.ts';
import { ProblemData } from './problem-data.ts';
import { Recreate } from './recreate.ts';
import { DEFAULT_ROUTE_DIVE, divesByDefault, startDive } from './route-dive.ts';
import { Solution } from './solution.ts';

const load = (path: string) =>
  parseSolomon(readFileSync(fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url)), 'utf8'));
const rc201 = load('solomon/rc201.txt');

function firstSolution(data: ProblemData): Solution {
  const sol = new Solution(data);
  new Recreate(data).recreate(sol, sol.unassigned(), new Rng(1), new Set());
  new CoreLocalSearch(data).run(sol, null);
  return sol;
}

describe('startDive', () => {
  const data = new ProblemData(rc201, { objective: 'distance' });

  it('starts from the solution without its smallest route, capped one route below it', () => {
    const from = firstSolution(data);
    const used = from.usedRoutes();
    const smallest = Math.min(...from.routes.filter((r) => r.size > 0).map((r) => r.size));
    const sol = new Solution(data);
    expect(startDive(sol, from, new Recreate(data), new CoreLocalSearch(data), new Rng(2))).toBe(true);
    expect(sol.maxRoutes).toBe(used - 1);
    expect(sol.usedRoutes()).toBeLessThanOrEqual(used - 1);
    expect(sol.isFeasible()).toBe(true);
    // Every visit is in a route or left out, once; the start solution is untouched.
    const placed = sol.routes.flatMap((r) => r.visits());
    expect(new Set([...placed, ...sol.unassigned()]).size).toBe(data.numClients);
    expect(placed.length + sol.unassigned().length).toBe(data.numClients);
    expect(from.usedRoutes()).toBe(used);
    expect(Math.min(...from.routes.filter((r) => r.size > 0).map((r) => r.size))).toBe(smallest);
    // A local optimum under the cap: a second local search finds nothing.
    expect(new CoreLocalSearch(data).run(sol, null)).toBe(0);
  });

  it('does nothing from a single route', () => {
    const from = new Solution(data);
    const sol = new Solution(data);
    from.insert(0, 1, data.numDepots);
    expect(startDive(sol, from, new Recreate(data), new CoreLocalSearch(data), new Rng(2))).toBe(false);
    expect(sol.usedRoutes()).toBe(0);
  });
});

describe('ruinRecreateSearch with a route dive', () => {
  const data = new ProblemData(rc201, { objective: 'distance' });
  const run = (routeDive: typeof DEFAULT_ROUTE_DIVE | false) =>
    ruinRecreateSearch(data, { seed: 3, routeDive, stop: createStop({ iterations: 1200 }) });

  it('hands back a feasible, complete solution at the cost it reports, the same for a seed', () => {
    const dived = run(DEFAULT_ROUTE_DIVE);
    expect(dived.best.isFeasible()).toBe(true);
    expect(dived.best.unassigned()).toEqual([]);
    expect(dived.cost).toBe(dived.best.routingCost());
    expect(dived.iterations).toBe(1200);
    expect(run(DEFAULT_ROUTE_DIVE).cost).toBe(dived.cost);
  });

  it('takes other steps than the search without it (the dive ran)', () => {
    expect(run(DEFAULT_ROUTE_DIVE).cost).not.toBe(run(false).cost);
  });

  it('keeps and reports a dive start that is already better than both chains (a route fixed cost saved)', () => {
    // Each route costs 10,000: one fewer beats any distance. 20 steps: the dive starts after 8 + 3.
    const costly = new ProblemData(
      { ...rc201, nurses: rc201.nurses.map((n) => ({ ...n, fixedCost: 1e4 })) },
      { objective: 'distance' },
    );
    const reports: { iteration: number; routes: number; cost: number }[] = [];
    const search = (routeDive: typeof DEFAULT_ROUTE_DIVE | false) =>
      ruinRecreateSearch(costly, {
        seed: 3,
        routeDive,
        stop: createStop({ iterations: 20 }),
        onImprovement: (e) => {
          if (routeDive) reports.push(e);
        },
      });
    const without = search(false);
    const dived = search(DEFAULT_ROUTE_DIVE);
    const before = reports.filter((e) => e.iteration <= 11 && e.routes === without.best.usedRoutes());
    expect(before.length).toBeGreaterThan(0);
    // The start (iteration 11, one route fewer) is reported as it is taken.
    expect(reports.some((e) => e.iteration === 11 && e.routes === without.best.usedRoutes() - 1)).toBe(true);
    expect(dived.best.usedRoutes()).toBe(without.best.usedRoutes() - 1);
    expect(dived.cost).toBe(reports[reports.length - 1].cost);
    expect(dived.cost).toBe(new CostEvaluator(costly).cost(dived.best, dived.best.unassigned().length));
  });
});

describe('divesByDefault', () => {
  it('on long routes of problems from LARGE_MIN_VISITS visits, under a distance-like objective', () => {
    const large = load('homberger/r1_2_1.txt');
    const small = new ProblemData(rc201, { objective: 'distance' });
    const big = new ProblemData(large, { objective: 'distance' });
    expect(big.numClients).toBe(LARGE_MIN_VISITS);
    expect(divesByDefault(big, true, LARGE_MIN_VISITS)).toBe(true);
    expect(divesByDefault(big, false, LARGE_MIN_VISITS)).toBe(false);
    expect(divesByDefault(small, true, LARGE_MIN_VISITS)).toBe(false);
    expect(divesByDefault(new ProblemData(large, { objective: 'vehicles' }), true, LARGE_MIN_VISITS)).toBe(
      false,
    );
  });
});
