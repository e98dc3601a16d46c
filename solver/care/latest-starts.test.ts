import { describe, expect, it } from 'vitest';
import { generateHadDay } from '../../fixtures/generator/had-day.ts';
import { generateHadWeek } from '../../fixtures/generator/had-week.ts';
import type { ProblemInput } from '../model/input.ts';
import { Rng } from '../search/rng.ts';
import { restoreSnapshot, takeSnapshot } from './snapshot.ts';
import { startingPoint } from './test-schedule.ts';

/** Takes random visits out and tries every position: a position `fits` refuses is one no exact evaluation accepts. */
function neverRefusesAFeasibleInsertion(problem: ProblemInput) {
  const { data, sched } = startingPoint(problem, 40);
  const snap = takeSnapshot(sched);
  const rng = new Rng(3);
  const one = new Int32Array(1);
  let refused = 0;
  let feasible = 0;
  for (let t = 0; t < 60; t++) {
    const v = rng.int(data.n);
    if (sched.routeOf[v] < 0 || data.isBreak[v] === 1) continue;
    sched.remove([v]);
    one[0] = v;
    for (let r = 0; r < data.V; r++) {
      if (!sched.canInsertInto(v, r)) continue;
      for (let p = 0; p <= sched.routes[r].length; p++) {
        const fits = sched.latest.fits(r, p - 1, p, one, 0, 1);
        const delta = sched.evaluateInsertAt(v, r, p);
        if (!fits) refused++;
        if (delta < Infinity) feasible++;
        if (!fits) expect({ v, r, p, delta }).toEqual({ v, r, p, delta: Infinity });
      }
    }
    restoreSnapshot(sched, snap);
  }
  return { refused, feasible };
}

describe('latest starts', () => {
  it('refuse only insertions that are infeasible, on a day with breaks, double-handed visits and dependencies', () => {
    const { refused, feasible } = neverRefusesAFeasibleInsertion(
      generateHadDay({ nurses: 20, visits: 200, seed: 2 }),
    );
    expect(refused).toBeGreaterThan(500);
    expect(feasible).toBeGreaterThan(50);
  });

  it('and over a week', () => {
    const { refused } = neverRefusesAFeasibleInsertion(generateHadWeek({ nurses: 8, patients: 30, seed: 4 }));
    expect(refused).toBeGreaterThan(100);
  });
});
