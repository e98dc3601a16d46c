import { describe, expect, it } from 'vitest';
import { checkPlan } from '../check/check-plan.ts';
import { createStop, solve, type NurseInput, type ProblemInput } from '../index.ts';
import { solveExact } from './tiny-exact.ts';

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

/**
 * A random tiny day with integer matrices: 3–8 visits, 1–3 nurses with their own starts, ends
 * (sometimes open), shifts, capacities and fixed costs; windows absent, wide or tight;
 * sometimes asymmetric travel, sometimes distances that differ from travel times.
 */
function tinyInstance(seed: number): ProblemInput {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const visits = int(3, 8);
  const depots = 2;
  const pts = Array.from({ length: depots + visits }, () => [int(0, 50), int(0, 50)]);
  const asymmetric = rnd() < 0.3;
  const distinctDistances = rnd() < 0.3;
  const durations = pts.map((a, i) =>
    pts.map((b, j) =>
      i === j ? 0 : Math.round(Math.hypot(a[0] - b[0], a[1] - b[1])) + (asymmetric ? int(0, 6) : 0),
    ),
  );
  const distances = distinctDistances
    ? durations.map((row) => row.map((d) => (d === 0 ? 0 : d * 3 + int(0, 10))))
    : undefined;
  const horizon = 400;
  const nurses: NurseInput[] = Array.from({ length: int(1, 3) }, (_, k) => {
    const end = rnd();
    return {
      id: `n${k}`,
      start: { index: int(0, 1) },
      end: end < 0.2 ? null : end < 0.4 ? { index: int(0, 1) } : undefined,
      shift: { start: int(0, 60), end: int(200, horizon) },
      capacity: rnd() < 0.5 ? int(6, 20) : undefined,
      fixedCost: rnd() < 0.3 ? int(5, 60) : undefined,
    };
  });
  return {
    name: `tiny-${seed}`,
    profiles: { car: { durations, ...(distances && { distances }) } },
    nurses,
    visits: Array.from({ length: visits }, (_, i) => {
      const kind = rnd();
      const start = int(0, 300);
      const width = kind < 0.4 ? int(5, 40) : int(60, 200);
      return {
        id: `v${i}`,
        location: { index: depots + i },
        duration: int(0, 30),
        demand: int(1, 5),
        ...(kind < 0.85 && { timeWindows: [{ start, end: start + width }] }),
      };
    }),
  };
}

describe('solveExact (the oracle itself)', () => {
  it('finds the hand-checked optimum: two nurses beat one when windows force it', () => {
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
    // One nurse: 0→x (at 10)→y (at 30)→0 = 10 + 20 + 15 = 45, against 20 + 30 = 50 for two.
    const one = solveExact(input)!;
    expect(one.cost).toBe(45);
    expect(one.routes.map((r) => r.visits)).toEqual([['x', 'y']]);
    // y due by 20: x then y arrives at 30, y then x arrives at 35: two nurses, 50.
    input.visits[1].timeWindows = [{ start: 10, end: 20 }];
    const two = solveExact(input)!;
    expect(two.cost).toBe(50);
    expect(two.routes.map((r) => r.visits).sort()).toEqual([['x'], ['y']]);
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
    expect(solveExact(input)).toBeNull();
  });
});

describe('the metaheuristic reaches the proven optimum of random tiny problems', () => {
  const seeds = Array.from({ length: 60 }, (_, i) => 1000 + i);
  const cases = seeds.map((seed) => ({ seed, input: tinyInstance(seed) }));

  it.each(cases)('tiny instance $seed (distance)', ({ input }) => {
    const exact = solveExact(input);
    const { plan } = solve(input, { seed: 1, stop: createStop({ iterations: 1000 }) });
    expect(checkPlan(input, plan).violations).toEqual([]);
    if (exact === null) {
      expect(plan.unassigned.length).toBeGreaterThan(0);
      return;
    }
    expect(plan.unassigned).toEqual([]);
    expect(plan.summary.cost).toBeCloseTo(exact.cost, 6);
  });

  it.each(cases.filter((_, i) => i % 4 === 0))('tiny instance $seed (duration)', ({ input }) => {
    const exact = solveExact(input, 'duration');
    if (exact === null) return;
    const { plan } = solve(input, { seed: 1, objective: 'duration', stop: createStop({ iterations: 1000 }) });
    expect(plan.unassigned).toEqual([]);
    expect(plan.summary.cost).toBeCloseTo(exact.cost, 6);
  });

  it('covers feasible instances of every size', () => {
    const sizes = new Set(
      cases.filter((c) => solveExact(c.input) !== null).map((c) => c.input.visits.length),
    );
    expect([...sizes].sort()).toEqual([3, 4, 5, 6, 7, 8]);
  });
});
