import { describe, expect, it } from 'vitest';
import type { ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../plan/plan.ts';
import { applyChanges } from './apply-changes.ts';

const at = (x: number) => ({ x, y: 0 });
const problem = (): ProblemInput => ({
  nurses: [
    { id: 'A', start: at(0), shift: { start: 480, end: 960 } },
    { id: 'B', start: at(0), shift: { start: 480, end: 960 } },
  ],
  visits: [
    { id: 'a1', location: at(1), duration: 30 },
    { id: 'a2', location: at(2), duration: 10, durationByNurse: { A: 50 } },
    { id: 'b1', location: at(3), duration: 20 },
  ],
});
const stop = (visit: string, start: number, end: number) => ({ visit, arrival: start, start, end });
const plan: Plan = {
  summary: { objective: 'distance', cost: 0, distance: 0, travelTime: 0, routes: 2, unassigned: 0 },
  routes: [
    {
      vehicle: 'A',
      departure: 480,
      return: 700,
      distance: 4,
      travelTime: 4,
      stops: [stop('a1', 500, 530), stop('a2', 540, 590)],
    },
    { vehicle: 'B', departure: 480, return: 700, distance: 6, travelTime: 6, stops: [stop('b1', 600, 620)] },
  ],
  unassigned: [],
};

describe('applyChanges', () => {
  it('takes 200,000 new visits without overflowing the stack', () => {
    const newVisits: VisitInput[] = Array.from({ length: 200_000 }, (_, i) => ({
      id: `new${i}`,
      location: at(i % 50),
    }));
    const next = applyChanges(problem(), plan, { now: 550, newVisits });
    expect(next.visits).toHaveLength(3 + 200_000);
    expect(next.visits[3 + 199_999].id).toBe('new199999');
  });

  it('starts each nurse from the end of her frozen visit that ends last (her own care time)', () => {
    const next = applyChanges(problem(), plan, { now: 550 });
    expect(next.visits.map((v) => v.frozen ?? null)).toEqual([
      { nurse: 'A', start: 500 },
      { nurse: 'A', start: 540 },
      null,
    ]);
    // a2 by A takes 50: she is free at 590, at a2.
    expect(next.nurses[0].position).toEqual({ location: at(2), time: 590 });
    // B has nothing frozen: she goes on from where she starts, now.
    expect(next.nurses[1].position).toEqual({ location: at(0), time: 550 });
    const absent = applyChanges(problem(), plan, { now: 550, absentNurses: [{ nurse: 'A', from: 560 }] });
    expect(absent.nurses[0].shift).toEqual({ start: 480, end: 590 });
  });
});
