import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import type { Improvement } from '../search/improvement.ts';
import { createStop, offsetStop, stopPhase } from '../search/stop.ts';
import { chainSeed, LARGE_LONG_ROUTE_CHAINS } from './chains.ts';
import { chainsByDefault, ruinRecreateSearch } from './core-search.ts';
import { ProblemData } from './problem-data.ts';

const read = (path: string) =>
  parseSolomon(readFileSync(fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url)), 'utf8'));
/** 200 visits, long routes (about 17 a route): the problems that get two chains. */
const c2 = new ProblemData(read('homberger/c2_2_4.txt'), { objective: 'distance' });

describe('chainsByDefault', () => {
  it('gives two chains to large long-route problems only', () => {
    expect(chainsByDefault(c2, {})).toBe(LARGE_LONG_ROUTE_CHAINS);
    // Short routes (r1 of 200), fewer than 200 visits (rc201), a warm start, the vehicles objective.
    expect(
      chainsByDefault(new ProblemData(read('homberger/r1_2_1.txt'), { objective: 'distance' }), {}),
    ).toBe(1);
    expect(chainsByDefault(new ProblemData(read('solomon/rc201.txt'), { objective: 'distance' }), {})).toBe(
      1,
    );
    expect(chainsByDefault(c2, { initial: [] })).toBe(1);
    expect(
      chainsByDefault(new ProblemData(read('homberger/c2_2_4.txt'), { objective: 'vehicles' }), {}),
    ).toBe(1);
    // Asked for local search on short routes, the rule follows.
    const r1 = new ProblemData(read('homberger/r1_2_1.txt'), { objective: 'distance' });
    expect(chainsByDefault(r1, { localSearch: true })).toBe(LARGE_LONG_ROUTE_CHAINS);
  });
});

describe('ruinRecreateSearch on two chains', () => {
  const budget = 240;
  const seed = 7;

  it('returns the better of two independent half-budget chains, with the steps of both', () => {
    const both = ruinRecreateSearch(c2, {
      seed,
      chains: 2,
      routeDive: false,
      stop: createStop({ iterations: budget }),
    });
    expect(both.iterations).toBe(budget);
    // Each chain alone, on the same share of the same budget as the search gives it.
    const whole = createStop({ iterations: budget });
    const first = ruinRecreateSearch(c2, {
      seed: chainSeed(seed, 0),
      chains: 1,
      routeDive: false,
      stop: stopPhase(whole, 0, 0.5),
    });
    const from = first.iterations;
    const later = offsetStop(whole, from);
    const second = ruinRecreateSearch(c2, {
      seed: chainSeed(seed, 1),
      chains: 1,
      routeDive: false,
      stop: stopPhase(later, 0.5, 1),
    });
    expect(first.iterations + second.iterations).toBe(budget);
    expect(first.cost).not.toBe(second.cost);
    expect(both.cost).toBe(Math.min(first.cost, second.cost));
    expect(both.best.isFeasible()).toBe(true);
    expect(both.cost).toBe(both.best.routingCost());
  });

  it('reports only improvements on every chain so far, at the search step count; a stale solution() throws', () => {
    const seen: Improvement[] = [];
    const result = ruinRecreateSearch(c2, {
      seed,
      chains: 2,
      stop: createStop({ iterations: budget }),
      onImprovement: (e) => seen.push(e),
    });
    for (let k = 1; k < seen.length; k++) {
      expect(seen[k].cost).toBeLessThan(seen[k - 1].cost);
      expect(seen[k].iteration).toBeGreaterThanOrEqual(seen[k - 1].iteration);
    }
    const last = seen[seen.length - 1];
    expect(last.cost).toBe(result.cost);
    expect(last.solution().routes.length).toBeGreaterThan(0);
    // On this seed the second chain beats the first: its reports count after the first's steps.
    const firstChain = seen.filter((e) => e.iteration <= budget / 2);
    expect(firstChain.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(firstChain.length);
    expect(last.iteration).toBeGreaterThan(budget / 2);
    expect(last.iteration).toBeLessThanOrEqual(budget);
    // The first chain's last report is stale once the second reported: its solution() throws.
    expect(() => firstChain[firstChain.length - 1].solution()).toThrow(/later improvement/);
  });

  it('runs one chain for a count that is not a whole number from 1', () => {
    const one = ruinRecreateSearch(c2, { seed: 3, chains: 1, stop: createStop({ iterations: 60 }) });
    for (const chains of [0, -2, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const run = ruinRecreateSearch(c2, { seed: 3, chains, stop: createStop({ iterations: 60 }) });
      expect([run.cost, run.iterations]).toEqual([one.cost, one.iterations]);
    }
  });

  it('is deterministic for a seed and an iteration count', () => {
    const run = () => ruinRecreateSearch(c2, { seed: 3, stop: createStop({ iterations: 200 }) }).cost;
    expect(run()).toBe(run());
  });
});
