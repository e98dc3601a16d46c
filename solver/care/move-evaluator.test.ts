import { describe, expect, it } from 'vitest';
import { generateHadDay } from '../../fixtures/generator/had-day.ts';
import { generateHadWeek } from '../../fixtures/generator/had-week.ts';
import { checkPlan } from '../check/check-plan.ts';
import type { ProblemInput } from '../model/input.ts';
import { Rng } from '../search/rng.ts';
import { CARE_MOVES, CareLocalSearch } from './care-move-space.ts';
import { buildCarePlan } from './care-plan.ts';
import { CareMoveEvaluator } from './move-evaluator.ts';
import { moveNeighbours } from './move-neighbours.ts';
import { type CareMove, MoveBuffer } from './moves/care-move.ts';
import { restoreSnapshot, takeSnapshot } from './snapshot.ts';
import { startingPoint } from './test-schedule.ts';

/**
 * Every move on random neighbour pairs, then, for a move still tried fewer than four times (2-opt*
 * rarely fits a day of narrow windows), on every pair in turn until it has been: the evaluated
 * change equals the cost change once applied (a full re-timing), and the bound is below it.
 */
function compareWithRecompute(problem: ProblemInput, pairs: number) {
  const { data, sched } = startingPoint(problem, 200);
  const ev = new CareMoveEvaluator(sched);
  const buffer = new MoveBuffer();
  const rng = new Rng(7);
  const neighbours = moveNeighbours(data, 10);
  const placed = Array.from({ length: data.n }, (_, v) => v).filter(
    (v) => sched.routeOf[v] >= 0 && data.isBreak[v] === 0,
  );
  const snap = takeSnapshot(sched);
  const counts: Record<string, { evaluated: number; improving: number }> = {};
  const tryMove = (move: CareMove, u: number, v: number) => {
    if (!move.build(sched, u, v, buffer)) return;
    const delta = ev.evaluate(buffer.routes, buffer.seqs);
    if (delta === Infinity) return;
    const bound = move.lowerBound(sched, u, v, ev);
    expect({ move: move.name, u, v, boundBelow: bound <= delta + 1e-6 }).toEqual({
      move: move.name,
      u,
      v,
      boundBelow: true,
    });
    const c = (counts[move.name] ??= { evaluated: 0, improving: 0 });
    c.evaluated++;
    if (delta < 0) c.improving++;
    // Moves never change which visits are left out: their penalties (up to 1e9 each) stay out of the comparison.
    const before = sched.costBesidesPenalties;
    expect(sched.replaceRoutes(buffer.routes, buffer.seqs)).toBe(true);
    expect({ move: move.name, u, v, change: sched.costBesidesPenalties - before }).toEqual({
      move: move.name,
      u,
      v,
      change: expect.closeTo(delta, 6) as number,
    });
    restoreSnapshot(sched, snap);
  };
  for (let t = 0; t < pairs; t++) {
    const u = placed[rng.int(placed.length)];
    const near = neighbours[u];
    if (near.length === 0) continue;
    const v = near[rng.int(near.length)];
    if (sched.routeOf[v] < 0) continue;
    for (const move of CARE_MOVES) tryMove(move, u, v);
  }
  for (const move of CARE_MOVES)
    for (const u of placed)
      for (const v of placed) {
        if ((counts[move.name]?.evaluated ?? 0) >= 4) break;
        tryMove(move, u, v);
      }
  return counts;
}

describe('home-care move evaluation', () => {
  it('equals the cost change after the move on a day with double-handed visits, dependencies and breaks', () => {
    const counts = compareWithRecompute(generateHadDay({ nurses: 30, visits: 300, seed: 3 }), 1500);
    for (const move of CARE_MOVES) expect(counts[move.name]?.evaluated ?? 0).toBeGreaterThan(3);
  });

  it('equals it with largest lateness, balance and a visit limit weighted in', () => {
    const day = generateHadDay({ nurses: 12, visits: 120, seed: 5 });
    const problem: ProblemInput = {
      ...day,
      weights: { ...day.weights, maxLateness: 3, balance: 0.5, lateness: 2 },
      nurses: day.nurses.map((n, k) => (k % 3 === 0 ? { ...n, maxVisits: 9 } : n)),
    };
    const counts = compareWithRecompute(problem, 1500);
    expect(Object.values(counts).reduce((a, c) => a + c.evaluated, 0)).toBeGreaterThan(100);
  });

  it('equals it over a week: contract hours, rest, nurses per patient', () => {
    const counts = compareWithRecompute(generateHadWeek({ nurses: 8, patients: 30, seed: 2 }), 2000);
    expect(Object.values(counts).reduce((a, c) => a + c.evaluated, 0)).toBeGreaterThan(50);
  });
});

describe('home-care local search', () => {
  it('only lowers the cost, and its plans pass the checker', () => {
    for (const problem of [
      generateHadDay({ nurses: 30, visits: 300, seed: 4 }),
      generateHadWeek({ nurses: 8, patients: 30, seed: 3 }),
    ]) {
      const { input, data, sched } = startingPoint(problem, 200);
      const before = sched.cost;
      const applied = new CareLocalSearch(sched).runRoutes(Array.from({ length: data.V }, (_, r) => r));
      expect(applied).toBeGreaterThan(0);
      expect(sched.cost).toBeLessThan(before);
      expect(checkPlan(input, buildCarePlan(data, sched)).violations).toEqual([]);
    }
  });
});
