import { describe, expect, it } from 'vitest';
import type { ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { checkPlan } from '../check/check-plan.ts';
import { solve } from '../solve.ts';
import { createStop } from '../search/stop.ts';
import { InputError } from '../model/errors.ts';
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

/** A small day on a line (speed 1): two nurses from the origin, visits every 10 units, each nurse's day open or closed. */
const smallDay = (): ProblemInput => ({
  nurses: [
    { id: 'ann', start: at(0), shift: { start: 480, end: 1080 } },
    { id: 'bob', start: at(0), shift: { start: 480, end: 1080 } },
  ],
  visits: Array.from({ length: 12 }, (_, k) => ({
    id: `v${k}`,
    location: at(10 + 10 * k),
    duration: 30,
    timeWindows: [{ start: 480 + 40 * k, end: 560 + 40 * k }],
  })),
  weights: {},
});
const solveQuick = (input: ProblemInput) =>
  solve(input, { seed: 1, stop: createStop({ iterations: 300 }) }).plan;

describe('applyChanges twice in a row', () => {
  it('keeps an absent nurse’s cut shift in a second re-plan: no work after her absence, no overtime, the checker accepts', () => {
    const day = smallDay();
    const plan0 = solveQuick(day);
    expect(checkPlan(day, plan0).violations).toEqual([]);
    const p1 = applyChanges(day, plan0, { now: 520, absentNurses: [{ nurse: 'bob', from: 530 }] });
    const plan1 = solveQuick(p1);
    expect(checkPlan(p1, plan1).violations).toEqual([]);
    const bobShift = p1.nurses[1].shift!;
    for (const now of [600, 720, 1000]) {
      const p2 = applyChanges(p1, plan1, { now });
      expect(p2.nurses[1].shift).toEqual(bobShift);
      expect(p2.nurses[1].position!.time).toBeLessThanOrEqual(bobShift.end);
      const plan2 = solveQuick(p2);
      expect(checkPlan(p2, plan2).violations).toEqual([]);
      const bob = plan2.routes.find((r) => r.vehicle === 'bob');
      expect(bob?.stops.filter((s) => s.frozen !== true) ?? []).toEqual([]);
      expect(plan2.summary.terms!.overtime.value).toBe(0);
      // Stated absent again, from a later time: the cut stays where it was.
      const p3 = applyChanges(p2, plan2, { now: now + 30, absentNurses: [{ nurse: 'bob' }] });
      expect(p3.nurses[1].shift).toEqual(bobShift);
      const plan3 = solveQuick(p3);
      expect(checkPlan(p3, plan3).violations).toEqual([]);
    }
  });

  it('an absence from before now: she is free no later than her cut shift ends', () => {
    const day = smallDay();
    const plan0 = solveQuick(day);
    const p1 = applyChanges(day, plan0, { now: 700, absentNurses: [{ nurse: 'bob', from: 560 }] });
    const shift = p1.nurses[1].shift!;
    expect(p1.nurses[1].position!.time).toBeLessThanOrEqual(shift.end);
    const plan1 = solveQuick(p1);
    expect(checkPlan(p1, plan1).violations).toEqual([]);
    expect(plan1.summary.terms!.overtime.value).toBe(0);
  });

  it('any two re-plans in a row give a problem whose solved plan the checker accepts', () => {
    const day = smallDay();
    const plan0 = solveQuick(day);
    for (const [first, second] of [
      [500, 560],
      [560, 700],
      [600, 1100],
      [900, 1200],
    ]) {
      for (const absent of [[], [{ nurse: 'bob', from: first + 15 }], [{ nurse: 'ann' }]]) {
        const p1 = applyChanges(day, plan0, { now: first, absentNurses: absent });
        const plan1 = solveQuick(p1);
        expect(checkPlan(p1, plan1).violations).toEqual([]);
        const p2 = applyChanges(p1, plan1, { now: second });
        const plan2 = solveQuick(p2);
        expect(checkPlan(p2, plan2).violations, `${first} ${second} ${JSON.stringify(absent)}`).toEqual([]);
      }
    }
  });
});

describe('applyChanges refuses changes that name what is not there', () => {
  const issues = (changes: Parameters<typeof applyChanges>[2]) => {
    try {
      applyChanges(problem(), plan, changes);
    } catch (e) {
      if (e instanceof InputError) return e.issues.map((i) => `${i.code} ${i.where} ${i.message}`);
      throw e;
    }
    return [];
  };

  it('an unknown absent nurse, cancelled or overrun visit, a new visit whose id is taken', () => {
    expect(issues({ now: 550, absentNurses: [{ nurse: 'A' }, { nurse: 'bob', from: 600 }] })).toEqual([
      "E_UNKNOWN_REF /absentNurses/1/nurse no nurse with id 'bob'",
    ]);
    expect(issues({ now: 550, cancelledVisits: ['b1', 'zz'] })).toEqual([
      "E_UNKNOWN_REF /cancelledVisits/1 no visit with id 'zz'",
    ]);
    expect(issues({ now: 550, overruns: [{ visit: 'nope', end: 600 }] })).toEqual([
      "E_UNKNOWN_REF /overruns/0/visit no visit with id 'nope'",
    ]);
    expect(
      issues({
        now: 550,
        newVisits: [
          { id: 'a1', location: at(5) },
          { id: 'n1', location: at(5) },
          { id: 'n1', location: at(6) },
        ],
      }),
    ).toEqual([
      "E_DUPLICATE_ID /newVisits/0/id 'a1' is already the id of a visit",
      "E_DUPLICATE_ID /newVisits/2/id 'n1' is already the id of a visit",
    ]);
  });

  it('the issues come as one InputError (the CLI exits 2, the API answers 400)', () => {
    expect(() => applyChanges(problem(), plan, { absentNurses: [{ nurse: 'bob' }] })).toThrow(InputError);
    expect(() => applyChanges(problem(), plan, { absentNurses: [{ nurse: 'bob' }] })).toThrow(
      "/absentNurses/0/nurse: no nurse with id 'bob'",
    );
  });
});

describe('applyChanges: where a nurse is, and a coordinator’s pins', () => {
  it('a position given goes on from there (default: free now), and the solved plan starts her there', () => {
    const day = smallDay();
    const plan0 = solveQuick(day);
    // ann is already at v5's door at 640.
    const next = applyChanges(day, plan0, {
      now: 640,
      positions: [
        { nurse: 'ann', location: at(60) },
        { nurse: 'bob', location: at(100), time: 650 },
      ],
    });
    expect(next.nurses[0].position).toEqual({ location: at(60), time: 640 });
    expect(next.nurses[1].position).toEqual({ location: at(100), time: 650 });
    const plan1 = solveQuick(next);
    expect(checkPlan(next, plan1).violations).toEqual([]);
    const ann = plan1.routes.find((r) => r.vehicle === 'ann')!;
    const first = ann.stops.find((s) => s.frozen !== true)!;
    // From x = 60, not from her last frozen visit (v3 at x = 40).
    expect(first.arrival - ann.departure).toBe(Math.abs(Number(first.visit.slice(1)) * 10 + 10 - 60));
  });

  it('a pin gives a visit to a nurse, at a start when given (new visits too)', () => {
    const day = smallDay();
    const plan0 = solveQuick(day);
    const next = applyChanges(day, plan0, {
      now: 600,
      newVisits: [{ id: 'urgent', location: at(70), duration: 15 }],
      pins: [
        { visit: 'v10', nurse: 'bob', start: 900 },
        { visit: 'urgent', nurse: 'ann' },
      ],
    });
    expect(next.visits.find((v) => v.id === 'v10')!.pinned).toEqual({ nurse: 'bob', start: 900 });
    expect(next.visits.find((v) => v.id === 'urgent')!.pinned).toEqual({ nurse: 'ann' });
    const plan1 = solveQuick(next);
    expect(checkPlan(next, plan1).violations).toEqual([]);
    const stopOf = (id: string) =>
      plan1.routes
        .flatMap((r) => r.stops.map((s) => ({ ...s, nurse: r.vehicle })))
        .find((s) => s.visit === id);
    expect(stopOf('v10')).toMatchObject({ nurse: 'bob', start: 900 });
    expect(stopOf('urgent')).toMatchObject({ nurse: 'ann' });
  });

  it('refuses positions and pins naming an unknown nurse or visit, a visit done or cancelled, a pin before now', () => {
    const issues = (changes: Parameters<typeof applyChanges>[2]) => {
      try {
        applyChanges(problem(), plan, changes);
      } catch (e) {
        if (e instanceof InputError) return e.issues.map((i) => `${i.code} ${i.where}`);
        throw e;
      }
      return [];
    };
    expect(
      issues({
        now: 535,
        cancelledVisits: ['b1'],
        positions: [
          { nurse: 'Z', location: at(1) },
          { nurse: 'A', location: at(1) },
          { nurse: 'A', location: at(2) },
        ],
        pins: [
          { visit: 'zz', nurse: 'A' },
          { visit: 'a1', nurse: 'B' },
          { visit: 'b1', nurse: 'A' },
          { visit: 'a2', nurse: 'Q' },
        ],
      }),
    ).toEqual([
      'E_UNKNOWN_REF /positions/0/nurse',
      'E_DUPLICATE_ID /positions/2/nurse',
      'E_UNKNOWN_REF /pins/0/visit',
      'E_CONFLICT /pins/1/visit',
      'E_CONFLICT /pins/2/visit',
      'E_UNKNOWN_REF /pins/3/nurse',
    ]);
    expect(issues({ now: 550, pins: [{ visit: 'b1', nurse: 'A', start: 500 }] })).toEqual([
      'E_RANGE /pins/0/start',
    ]);
  });
});
