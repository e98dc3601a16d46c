import { describe, expect, it } from 'vitest';
import { createStop, solve, type NurseInput, type ProblemInput, type VisitInput } from '../index.ts';
import { nurseColumns, solveExact, type ExactObjective } from './tiny-exact.ts';

/** The test's own generator (mulberry32), so the instances do not depend on the solver's. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = { rnd: () => number; int: (lo: number, hi: number) => number };

function rng(seed: number): Rng {
  const rnd = mulberry32(seed);
  return { rnd, int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)) };
}

/** Rounded Euclidean distances between random integer points of a 0..50 grid, plus optional noise. */
function gridMatrix({ int }: Rng, size: number, noise: number): number[][] {
  const pts = Array.from({ length: size }, () => [int(0, 50), int(0, 50)]);
  return pts.map((a, i) =>
    pts.map((b, j) => (i === j ? 0 : Math.round(Math.hypot(a[0] - b[0], a[1] - b[1])) + int(0, noise))),
  );
}

/**
 * A random tiny day: `visits` visits (3–8), two depots, 1–3 nurses (sometimes identical) with
 * their own starts, ends (sometimes open), shifts, capacities and fixed costs; windows tight,
 * wide or absent; integer everything. With `distinctDistances` the distance matrix comes from
 * other points than the duration matrix; otherwise durations equal distances, sometimes asymmetric.
 */
function tinyInstance(seed: number, visits: number, distinctDistances = false): ProblemInput {
  const r = rng(seed);
  const { rnd, int } = r;
  const depots = 2;
  const size = depots + visits;
  const asymmetric = rnd() < 0.3;
  const durations = gridMatrix(r, size, asymmetric ? 8 : 0);
  const distances = distinctDistances
    ? gridMatrix(r, size, 0)
    : rnd() < 0.2
      ? durations.map((row) => [...row])
      : undefined;
  const nurse = (id: string): NurseInput => {
    const end = rnd();
    return {
      id,
      start: { index: int(0, 1) },
      ...(end < 0.25 ? { end: null } : end < 0.45 ? { end: { index: int(0, 1) } } : {}),
      ...(rnd() < 0.7 && { shift: { start: int(0, 60), end: int(220, 400) } }),
      ...(rnd() < 0.5 && { capacity: int(6, 20) }),
      ...(rnd() < 0.3 && { fixedCost: int(5, 60) }),
    };
  };
  const count = int(1, 3);
  const identical = rnd() < 0.35;
  const template = nurse('n0');
  const nurses = Array.from({ length: count }, (_, k) =>
    identical ? { ...template, id: `n${k}` } : k === 0 ? template : nurse(`n${k}`),
  );
  return {
    name: `tiny-${seed}`,
    profiles: { car: { durations, ...(distances && { distances }) } },
    nurses,
    visits: Array.from({ length: visits }, (_, i): VisitInput => {
      const kind = rnd();
      const start = int(0, 200);
      const width = kind < 0.2 ? int(0, 20) : int(60, 200);
      return {
        id: `v${i}`,
        location: { index: depots + i },
        duration: int(0, 30),
        ...(rnd() < 0.8 && { demand: int(1, 5) }),
        // A window wholly outside every shift is an input error: every window reaches past 60.
        ...(kind < 0.7 && { timeWindows: [{ start, end: Math.max(start + width, 60) }] }),
      };
    }),
  };
}

/**
 * Independent check of the set-partitioning step: dynamic programming over nurses and visit
 * subsets on the same columns (no LP). Returns the optimum, or null when no partition exists.
 */
function partitionByDp(input: ProblemInput, objective: ExactObjective): number | null {
  const full = (1 << input.visits.length) - 1;
  let best = new Array<number>(full + 1).fill(Infinity);
  best[0] = 0;
  input.nurses.forEach((_, k) => {
    const cols = nurseColumns(input, k, objective);
    const next = [...best];
    for (let m = 0; m <= full; m++) {
      if (best[m] === Infinity) continue;
      for (const [mask, col] of cols)
        if ((mask & m) === 0 && best[m] + col.cost < next[m | mask]) next[m | mask] = best[m] + col.cost;
    }
    best = next;
  });
  return best[full] === Infinity ? null : best[full];
}

const ITERATIONS = 2000;

function heuristic(input: ProblemInput, objective: ExactObjective = 'distance') {
  return solve(input, { seed: 1, objective, stop: createStop({ iterations: ITERATIONS }) }).plan;
}

describe('solveExact (the oracle itself)', () => {
  it('hand instance: one nurse serves both when the windows allow it, two otherwise', () => {
    // Depot 0; x is 10 away, y 15 away, x–y 20 apart. x is due at 10..12.
    const input: ProblemInput = {
      profiles: {
        car: {
          durations: [
            [0, 10, 15],
            [10, 0, 20],
            [15, 20, 0],
          ],
        },
      },
      nurses: [
        { id: 'a', start: { index: 0 } },
        { id: 'b', start: { index: 0 } },
      ],
      visits: [
        { id: 'x', location: { index: 1 }, timeWindows: [{ start: 10, end: 12 }] },
        { id: 'y', location: { index: 2 }, timeWindows: [{ start: 10, end: 40 }] },
      ],
    };
    // 0→x (at 10)→y (at 30)→0 = 10 + 20 + 15 = 45; y first reaches x at 35, too late; two nurses 50.
    const one = solveExact(input)!;
    expect(one.cost).toBe(45);
    expect(one.routes.map((r) => r.visits)).toEqual([['x', 'y']]);
    expect(heuristic(input).summary.cost).toBeCloseTo(45, 6);
    // y due by 20: x then y reaches y at 30, too late: two nurses, 20 + 30 = 50.
    input.visits[1].timeWindows = [{ start: 10, end: 20 }];
    const two = solveExact(input)!;
    expect(two.cost).toBe(50);
    expect(two.routes.map((r) => r.visits).sort()).toEqual([['x'], ['y']]);
    expect(heuristic(input).summary.cost).toBeCloseTo(50, 6);
  });

  it('hand instance: open end against fixed cost, asymmetric travel, capacity split', () => {
    // A line: depot at 0, visits at 10, 20, 30. 'open' stops at her last visit but costs 25 or 40.
    const line = [0, 10, 20, 30];
    const input: ProblemInput = {
      profiles: { car: { durations: line.map((a) => line.map((b) => Math.abs(a - b))) } },
      nurses: [
        { id: 'open', start: { index: 0 }, end: null, fixedCost: 40 },
        { id: 'back', start: { index: 0 } },
      ],
      visits: [1, 2, 3].map((i) => ({ id: `v${i}`, location: { index: i } })),
    };
    // 'back' out and home: 60; 'open' out only: 30 + 40 = 70; any split pays both, more than 60.
    const back = solveExact(input)!;
    expect(back.cost).toBe(60);
    expect(back.routes.map((r) => r.vehicle)).toEqual(['back']);
    expect(heuristic(input).summary.cost).toBeCloseTo(60, 6);
    input.nurses[0].fixedCost = 25; // now 30 + 25 = 55, only in the order v1, v2, v3
    const open = solveExact(input)!;
    expect(open).toEqual({ cost: 55, routes: [{ vehicle: 'open', visits: ['v1', 'v2', 'v3'] }] });
    expect(heuristic(input).summary.cost).toBeCloseTo(55, 6);

    // Asymmetric: 0→a→b→0 = 5 + 5 + 5 = 15, the other way 20 + 20 + 20 = 60.
    const cyclic: ProblemInput = {
      profiles: {
        car: {
          durations: [
            [0, 5, 20],
            [20, 0, 5],
            [5, 20, 0],
          ],
        },
      },
      nurses: [{ id: 'n', start: { index: 0 }, capacity: 6 }],
      visits: [
        { id: 'a', location: { index: 1 }, demand: 3 },
        { id: 'b', location: { index: 2 }, demand: 3 },
      ],
    };
    expect(solveExact(cyclic)).toEqual({ cost: 15, routes: [{ vehicle: 'n', visits: ['a', 'b'] }] });
    expect(heuristic(cyclic).summary.cost).toBeCloseTo(15, 6);
    // Capacity 5 splits them over two nurses: 0→a→0 = 25, 0→b→0 = 25.
    cyclic.nurses = [
      { id: 'n', start: { index: 0 }, capacity: 5 },
      { id: 'm', start: { index: 0 }, capacity: 5 },
    ];
    expect(solveExact(cyclic)!.cost).toBe(50);
    expect(heuristic(cyclic).summary.cost).toBeCloseTo(50, 6);
  });

  it('hand instance: the duration objective reads the travel-time matrix', () => {
    // The car is fast but long (5 min, 30 m), the bike slow but short (20 min, 8 m).
    const input: ProblemInput = {
      profiles: {
        car: {
          durations: [
            [0, 5],
            [5, 0],
          ],
          distances: [
            [0, 30],
            [30, 0],
          ],
        },
        bike: {
          durations: [
            [0, 20],
            [20, 0],
          ],
          distances: [
            [0, 8],
            [8, 0],
          ],
        },
      },
      nurses: [
        { id: 'car', start: { index: 0 } },
        { id: 'bike', start: { index: 0 }, profile: 'bike' },
      ],
      visits: [{ id: 'x', location: { index: 1 } }],
    };
    expect(solveExact(input)).toEqual({ cost: 16, routes: [{ vehicle: 'bike', visits: ['x'] }] });
    expect(solveExact(input, 'duration')).toEqual({ cost: 10, routes: [{ vehicle: 'car', visits: ['x'] }] });
    expect(heuristic(input).summary.cost).toBeCloseTo(16, 6);
    expect(heuristic(input, 'duration').summary.cost).toBeCloseTo(10, 6);
  });

  it('returns null when no plan serves every visit', () => {
    const input: ProblemInput = {
      profiles: {
        car: {
          durations: [
            [0, 50],
            [50, 0],
          ],
        },
      },
      nurses: [{ id: 'a', start: { index: 0 }, shift: { start: 0, end: 60 } }],
      visits: [{ id: 'x', location: { index: 1 } }],
    };
    expect(solveExact(input)).toBeNull(); // the round trip takes 100, the shift 60
    expect(heuristic(input).unassigned.map((u) => u.visit)).toEqual(['x']);
    input.nurses[0].shift = { start: 0, end: 100 };
    expect(solveExact(input)!.cost).toBe(100);
    input.nurses[0].capacity = 2;
    input.visits[0].demand = 3;
    expect(solveExact(input)).toBeNull();
  });

  it('throws for locations other than matrix indices', () => {
    const input: ProblemInput = {
      nurses: [{ id: 'a', start: { x: 0, y: 0 } }],
      visits: [{ id: 'x', location: { x: 3, y: 4 } }],
    };
    expect(() => solveExact(input)).toThrow(/index/);
  });
});

describe('the metaheuristic reaches the proven optimum of random tiny problems', () => {
  // Six of each size 3..8: the distance objective, durations equal to distances.
  const cases = Array.from({ length: 60 }, (_, i) => ({
    seed: 1000 + i,
    input: tinyInstance(1000 + i, 3 + (i % 6)),
  }));
  const exact = new Map(cases.map((c) => [c.seed, solveExact(c.input)]));

  it('has a feasible instance of every size and agrees with a DP over the same columns', () => {
    const feasible = cases.filter((c) => exact.get(c.seed) !== null);
    expect(feasible.length).toBeGreaterThanOrEqual(40);
    expect([...new Set(feasible.map((c) => c.input.visits.length))].sort()).toEqual([3, 4, 5, 6, 7, 8]);
    for (const c of cases) expect(partitionByDp(c.input, 'distance')).toBe(exact.get(c.seed)?.cost ?? null);
  });

  it.each(cases)('tiny instance $seed (distance)', ({ seed, input }) => {
    const optimum = exact.get(seed)!;
    const plan = heuristic(input);
    if (optimum === null) {
      expect(plan.unassigned.length).toBeGreaterThan(0);
      return;
    }
    expect(plan.unassigned).toEqual([]);
    expect(Math.abs(plan.summary.cost - optimum.cost)).toBeLessThan(1e-6);
  });

  // Distances from other points than the travel times: the two objectives differ.
  const durationCases = Array.from({ length: 10 }, (_, i) => ({
    seed: 5000 + i,
    input: tinyInstance(5000 + i, 3 + (i % 6), true),
  }));

  it('duration instances are mostly feasible and their two optima differ', () => {
    const both = durationCases
      .map((c) => [solveExact(c.input, 'duration'), solveExact(c.input, 'distance')] as const)
      .filter(([d]) => d !== null);
    expect(both.length).toBeGreaterThanOrEqual(6);
    expect(both.some(([d, s]) => d!.cost !== s!.cost)).toBe(true);
    for (const c of durationCases)
      expect(partitionByDp(c.input, 'duration')).toBe(solveExact(c.input, 'duration')?.cost ?? null);
  });

  it.each(durationCases)('tiny instance $seed (duration)', ({ input }) => {
    const optimum = solveExact(input, 'duration');
    if (optimum === null) return;
    const plan = heuristic(input, 'duration');
    expect(plan.unassigned).toEqual([]);
    expect(plan.summary.objective).toBe('duration');
    expect(Math.abs(plan.summary.cost - optimum.cost)).toBeLessThan(1e-6);
  });
});
