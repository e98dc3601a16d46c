import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSolomon } from '../io/solomon.ts';
import { createStop } from '../search/stop.ts';
import { ruinRecreateSearch } from './core-search.ts';
import { CoreLocalSearch } from './core-move-space.ts';
import { ProblemData } from './problem-data.ts';
import { Solution } from './solution.ts';

const rc201 = parseSolomon(
  readFileSync(fileURLToPath(new URL('../../fixtures/solomon/rc201.txt', import.meta.url)), 'utf8'),
);

describe('ruinRecreateSearch with the local search on a share of the steps', () => {
  const data = new ProblemData(rc201, { objective: 'distance' });
  const run = (localSearchShare: readonly [number, number]) =>
    ruinRecreateSearch(data, { seed: 3, localSearchShare, stop: createStop({ iterations: 300 }) });

  it('hands out a local optimum whose cost is the one reported', () => {
    const { best, cost } = run([0.05, 0.5]);
    expect(best.isFeasible()).toBe(true);
    expect(best.unassigned()).toEqual([]);
    expect(cost).toBe(best.routingCost());
    const again = new Solution(data);
    again.copyFrom(best);
    new CoreLocalSearch(data).run(again, null);
    expect(again.routingCost()).toBe(cost);
  });

  it('is deterministic for a seed and an iteration count', () => {
    expect(run([0.05, 0.5]).cost).toBe(run([0.05, 0.5]).cost);
    expect(run([0, 0]).cost).toBe(run([0, 0]).cost);
  });
});
