import { describe, expect, it } from 'vitest';
import { checkPlan } from '../check/check-plan.ts';
import type { ProblemInput, VisitInput } from '../model/input.ts';
import { findProblemIssues } from '../model/validate.ts';
import { solve } from '../solve.ts';
import { createStop } from '../search/stop.ts';

/** Planar line, speed 1: travel time = distance. Two nurses from the origin, 8:00-18:00. */
const at = (x: number) => ({ x, y: 0 });
const v = (id: string, x: number, more: Partial<VisitInput> = {}): VisitInput => ({
  id,
  location: at(x),
  duration: 20,
  ...more,
});
const day = (visits: VisitInput[], extra: Partial<ProblemInput> = {}): ProblemInput => ({
  nurses: [
    { id: 'A', start: at(0), shift: { start: 480, end: 1080 } },
    { id: 'B', start: at(100), shift: { start: 480, end: 1080 } },
  ],
  visits,
  weights: {},
  ...extra,
});
const run = (input: ProblemInput, iterations = 400) =>
  solve(input, { seed: 1, stop: createStop({ iterations }) }).plan;
const routeOf = (plan: ReturnType<typeof run>, visit: string) =>
  plan.routes.find((r) => r.stops.some((s) => s.visit === visit))?.vehicle;
const stopOf = (plan: ReturnType<typeof run>, visit: string) =>
  plan.routes.flatMap((r) => r.stops).find((s) => s.visit === visit)!;

describe('re-planning', () => {
  it('keeps frozen visits at the head of their nurse day and goes on from her position', () => {
    const input = day(
      [
        v('am', 10, { frozen: { nurse: 'A', start: 500 } }),
        v('pm', 10, { timeWindows: [{ start: 480, end: 1080 }] }),
        v('near-b', 95),
        v('near-a', 20),
      ],
      { dependencies: [{ before: 'am', after: 'pm', minDelay: 240 }] },
    );
    input.nurses[0].position = { location: at(10), time: 530 };
    expect(findProblemIssues(input)).toEqual([]);
    const plan = run(input);
    expect(checkPlan(input, plan).violations).toEqual([]);
    const a = plan.routes.find((r) => r.vehicle === 'A')!;
    expect(a.stops[0]).toMatchObject({ visit: 'am', start: 500, end: 520, frozen: true });
    expect(a.departure).toBeGreaterThanOrEqual(530);
    expect(stopOf(plan, 'pm').start).toBeGreaterThanOrEqual(740); // 240 after the frozen start
    expect(plan.unassigned).toEqual([]);
  });

  it('a pinned visit goes to its nurse, at its time when given', () => {
    const input = day([v('p', 99, { pinned: { nurse: 'A', start: 700 } }), v('q', 98)]);
    const plan = run(input);
    expect(checkPlan(input, plan).violations).toEqual([]);
    expect(routeOf(plan, 'p')).toBe('A');
    expect(stopOf(plan, 'p').start).toBe(700);
  });

  it('against a previous plan, changes little: visits stay with their nurse and near their time', () => {
    const visits = [v('x', 50), v('y', 52), v('z', 48)];
    const previousPlan = {
      routes: [
        {
          vehicle: 'A',
          stops: [
            { visit: 'x', start: 600 },
            { visit: 'y', start: 700 },
          ],
        },
        { vehicle: 'B', stops: [{ visit: 'z', start: 800 }] },
      ],
    };
    const free = run(day(visits));
    const input = day(visits, { previousPlan, weights: { moved: 1000, shifted: 0 } });
    const plan = run(input);
    expect(checkPlan(input, plan).violations).toEqual([]);
    expect(['x', 'y', 'z'].map((id) => routeOf(plan, id))).toEqual(['A', 'A', 'B']);
    expect(plan.summary.terms?.moved.value).toBe(0);
    expect(plan.summary.cost).toBeGreaterThanOrEqual(free.summary.cost - 1e-9); // stability has a price
    const shiftedInput = day(visits, { previousPlan, weights: { moved: 1000, shifted: 1 } });
    const shiftedPlan = run(shiftedInput);
    expect(checkPlan(shiftedInput, shiftedPlan).violations).toEqual([]);
    expect(shiftedPlan.summary.terms?.shifted.value).toBeLessThan(plan.summary.terms!.shifted.value + 1e-9);
  });

  it('the checker flags a frozen visit moved or retimed, a departure before the nurse is free, a pin broken', () => {
    const input = day([
      v('am', 10, { frozen: { nurse: 'A', start: 500 } }),
      v('p', 30, { pinned: { nurse: 'A', start: 600 } }),
    ]);
    input.nurses[0].position = { location: at(10), time: 520 };
    const plan = run(input);
    expect(checkPlan(input, plan).violations).toEqual([]);
    const codes = (p: typeof plan) => checkPlan(input, p).violations.map((x) => x.code);
    const retimed = structuredClone(plan);
    retimed.routes[0].stops[0].start = 505;
    expect(codes(retimed)).toContain('frozen');
    const early = structuredClone(plan);
    early.routes[0].departure = 510;
    expect(codes(early)).toContain('position');
    const moved = structuredClone(plan);
    moved.routes[0].stops[1].start += 5;
    moved.routes[0].stops[1].end += 5;
    expect(codes(moved)).toContain('pinned');
  });

  it('a break after frozen visits names the last of them (after is never null once she has visits before it)', () => {
    const input = day([
      v('am', 10, { frozen: { nurse: 'A', start: 500 } }),
      v('am2', 12, { frozen: { nurse: 'A', start: 525 } }),
      v('later', 30, { requiredNurse: 'A', timeWindows: [{ start: 620, end: 700 }] }),
    ]);
    input.nurses[0].breaks = [{ duration: 30, window: { start: 550, end: 640 } }];
    input.nurses[0].position = { location: at(12), time: 545 };
    const plan = run(input);
    expect(checkPlan(input, plan).violations).toEqual([]);
    const a = plan.routes.find((r) => r.vehicle === 'A')!;
    expect(a.stops.map((s) => s.visit)).toEqual(['am', 'am2', 'later']);
    expect(a.breaks).toEqual([{ id: 'A-break-0', after: 'am2', start: 550, end: 580 }]);
    // The checker times a break after a frozen visit too: one before she is free is flagged.
    const early = structuredClone(plan);
    early.routes.find((r) => r.vehicle === 'A')!.breaks![0] = {
      id: 'A-break-0',
      after: 'am2',
      start: 530,
      end: 560,
    };
    expect(checkPlan(input, early).violations.map((x) => x.code)).toContain('break');
  });

  it('rejects bad re-planning input with a pointer to the field', () => {
    const input = day([
      v('a', 10, { frozen: { nurse: 'Z', start: 500 } }),
      v('b', 10, { pinned: { nurse: 'A', start: 600 }, frozen: { nurse: 'A', start: 600 } }),
    ]);
    input.nurses[1].position = { location: { lon: 2, lat: 48 }, time: 500 };
    (input as { previousPlan?: unknown }).previousPlan = {
      routes: [{ vehicle: 'A', stops: [{ visit: 'a' }] }],
    };
    expect(findProblemIssues(input).map((i) => `${i.code} ${i.where}`)).toEqual([
      'E_TYPE /nurses/1/position/location',
      'E_UNKNOWN_REF /visits/0/frozen/nurse',
      'E_CONFLICT /visits/1/pinned',
      'E_TYPE /previousPlan/routes/0/stops/0',
    ]);
  });
});
