import { describe, expect, it } from 'vitest';
import { type AnnealingState, anneal } from './annealing.ts';
import { Rng } from './rng.ts';
import { createStop } from './stop.ts';

/** A state whose steps propose the given costs in turn (undefined: a step given up), logging every call. */
function scripted(costs: (number | undefined)[], recombined: Record<number, number> = {}) {
  const log: string[] = [];
  let k = 0;
  const state: AnnealingState = {
    step(iteration) {
      const c = costs[k++];
      log.push(`step ${iteration}: ${c}`);
      return c;
    },
    accept: () => log.push('accept'),
    reject: () => log.push('reject'),
    keepBest: () => log.push('best'),
    afterStep: (iteration) => recombined[iteration],
  };
  return { state, log };
}

describe('anneal', () => {
  it('at a tiny temperature takes only steps that do not cost more, and reports each new best', () => {
    const { state, log } = scripted([90, 95, 90, 80, undefined, 85]);
    const bests: [number, number][] = [];
    const out = anneal(state, {
      rng: new Rng(1),
      stop: createStop({ iterations: 6 }),
      startCost: 100,
      startTemperature: 1e-9,
      finalTemperature: 1e-12,
      onBest: (i, c) => bests.push([i, c]),
    });
    expect(out).toEqual({ iterations: 6, cost: 80 });
    expect(bests).toEqual([
      [1, 90],
      [4, 80],
    ]);
    expect(log).toEqual([
      'step 1: 90',
      'accept',
      'best',
      'step 2: 95',
      'reject',
      'step 3: 90',
      'accept', // equal cost: taken, but not a new best
      'step 4: 80',
      'accept',
      'best',
      'step 5: undefined', // given up: neither taken nor undone by the loop
      'step 6: 85',
      'reject',
    ]);
  });

  it('at a high temperature also takes worse steps, without reporting them as best', () => {
    const { state, log } = scripted(Array.from({ length: 50 }, () => 101));
    const bests: number[] = [];
    const out = anneal(state, {
      rng: new Rng(7),
      stop: createStop({ iterations: 50 }),
      startCost: 100,
      startTemperature: 1e6,
      finalTemperature: 1e6,
      onBest: (_, c) => bests.push(c),
    });
    expect(out.cost).toBe(100);
    expect(bests).toEqual([]);
    expect(log.filter((l) => l === 'accept').length).toBe(50);
  });

  it('takes a solution afterStep hands back as both current and best', () => {
    const { state } = scripted([100, 100, 100, 120], { 2: 70 });
    const bests: [number, number][] = [];
    const out = anneal(state, {
      rng: new Rng(1),
      stop: createStop({ iterations: 4 }),
      startCost: 100,
      startTemperature: 1e-9,
      finalTemperature: 1e-12,
      onBest: (i, c) => bests.push([i, c]),
    });
    expect(bests).toEqual([[2, 70]]);
    expect(out.cost).toBe(70);
  });

  it('counts the iterations of an earlier phase against the same budget', () => {
    const { state, log } = scripted([99, 98]);
    const out = anneal(state, {
      rng: new Rng(1),
      stop: createStop({ iterations: 5 }),
      firstIteration: 3,
      startCost: 100,
      startTemperature: 1,
      finalTemperature: 0.1,
    });
    expect(out.iterations).toBe(5);
    expect(log.filter((l) => l.startsWith('step'))).toEqual(['step 4: 99', 'step 5: 98']);
  });

  it('takes the best of an earlier phase: accepts what is below the current cost, keeps as best only what beats that best', () => {
    const { state, log } = scripted([90, 75, 60]);
    const bests: [number, number][] = [];
    const out = anneal(state, {
      rng: new Rng(1),
      stop: createStop({ iterations: 3 }),
      startCost: 100,
      bestCost: 70,
      startTemperature: 1e-9,
      finalTemperature: 1e-12,
      onBest: (i, c) => bests.push([i, c]),
    });
    expect(out).toEqual({ iterations: 3, cost: 60 });
    expect(log).toEqual(['step 1: 90', 'accept', 'step 2: 75', 'accept', 'step 3: 60', 'accept', 'best']);
    expect(bests).toEqual([[3, 60]]);
  });

  it('judges a step by the threshold the step read, drawn once per step', () => {
    // Steps read the threshold (twice) and end just below it, at it, or give up; at a high
    // temperature the threshold is far above the current cost, so only the draw decides.
    const seen: number[] = [];
    const log: string[] = [];
    let k = 0;
    const state: AnnealingState = {
      step(_iteration, threshold) {
        const t = threshold();
        expect(threshold()).toBe(t);
        seen.push(t);
        const kind = k++ % 3;
        return kind === 0 ? t - 1e-6 : kind === 1 ? t : undefined;
      },
      accept: () => log.push('accept'),
      reject: () => log.push('reject'),
      keepBest: () => log.push('best'),
    };
    anneal(state, {
      rng: new Rng(5),
      stop: createStop({ iterations: 9 }),
      startCost: 100,
      startTemperature: 50,
      finalTemperature: 50,
    });
    expect(new Set(seen).size).toBe(9); // a fresh draw every step
    expect(log.filter((l) => l !== 'best')).toEqual([
      'accept',
      'reject',
      'accept',
      'reject',
      'accept',
      'reject',
    ]);
  });
});
