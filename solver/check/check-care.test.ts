import { describe, expect, it } from 'vitest';
import type { ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan, PlanRoute } from '../model/plan.ts';
import { solve } from '../solve.ts';
import { createStop } from '../search/stop.ts';
import { checkPlan } from './check-plan.ts';

/** Nurses at the origin of a line, visits along it; planar, speed 1: travel time = distance. */
const at = (x: number) => ({ x, y: 0 });
function problem(visits: VisitInput[], extra: Partial<ProblemInput> = {}): ProblemInput {
  return {
    nurses: [
      { id: 'A', start: at(0), shift: { start: 0, end: 100 }, skills: ['RN', 'IV'] },
      { id: 'B', start: at(0), shift: { start: 0, end: 100 }, skills: ['aide'] },
    ],
    visits,
    weights: {},
    ...extra,
  };
}

/** A hand-made route: stops with their start times; arrival, end, return and legs worked out on the line. */
function route(input: ProblemInput, vehicle: string, stops: [string, number][], departure = 0): PlanRoute {
  let x = 0;
  let t = departure;
  let travel = 0;
  const out = stops.map(([id, start]) => {
    const v = input.visits.find((w) => w.id === id)!;
    const vx = (v.location as { x: number }).x;
    const arrival = t + Math.abs(vx - x);
    travel += Math.abs(vx - x);
    x = vx;
    t = start + (v.durationByNurse?.[vehicle] ?? v.duration ?? 0);
    return { visit: id, arrival, start, end: t };
  });
  travel += x;
  return { vehicle, departure, return: t + x, distance: travel, travelTime: travel, stops: out };
}

/** The plan with a summary the checker recomputes itself (these tests are about the rules, not the figures). */
function plan(_input: ProblemInput, routes: PlanRoute[], unassigned: string[] = []): Plan {
  return {
    summary: {
      objective: 'weighted',
      cost: 0,
      distance: 0,
      travelTime: 0,
      routes: routes.length,
      unassigned: unassigned.length,
    },
    routes,
    unassigned: unassigned.map((visit) => ({ visit, reason: 'penalty', message: '' })),
  };
}

/** Violation codes other than the summary's (the drafts leave the summary empty). */
function codes(input: ProblemInput, p: Plan): string[] {
  return checkPlan(input, p)
    .violations.filter((v) => v.code !== 'summary')
    .map((v) => v.code);
}

const v = (id: string, x: number, more: Partial<VisitInput> = {}): VisitInput => ({
  id,
  location: at(x),
  duration: 10,
  ...more,
});

describe('checker: home-care rules, one feasible and one violating plan each', () => {
  it('skills', () => {
    const input = problem([v('iv', 10, { skills: ['IV'] })]);
    expect(codes(input, plan(input, [route(input, 'A', [['iv', 10]])]))).toEqual([]);
    expect(codes(input, plan(input, [route(input, 'B', [['iv', 10]])]))).toEqual(['skills']);
  });

  it('required and excluded nurses', () => {
    const input = problem([v('r', 10, { requiredNurse: 'A' }), v('x', 20, { excludedNurses: ['B'] })]);
    expect(
      codes(
        input,
        plan(input, [
          route(input, 'A', [
            ['r', 10],
            ['x', 30],
          ]),
        ]),
      ),
    ).toEqual([]);
    expect(
      codes(
        input,
        plan(input, [
          route(input, 'B', [
            ['r', 10],
            ['x', 30],
          ]),
        ]),
      ),
    ).toEqual(['required_nurse', 'excluded_nurse']);
  });

  it('several hard windows: inside any one of them', () => {
    const input = problem([
      v('w', 10, {
        timeWindows: [
          { start: 0, end: 5 },
          { start: 40, end: 50 },
        ],
      }),
    ]);
    expect(codes(input, plan(input, [route(input, 'A', [['w', 40]])]))).toEqual([]);
    expect(codes(input, plan(input, [route(input, 'A', [['w', 20]])]))).toEqual(['time_window']);
  });

  it('duration by nurse', () => {
    const input = problem([v('d', 10, { durationByNurse: { A: 30 } })]);
    const ok = route(input, 'A', [['d', 10]]);
    expect(ok.stops[0].end).toBe(40);
    expect(codes(input, plan(input, [ok]))).toEqual([]);
    const wrong = { ...ok, stops: [{ ...ok.stops[0], end: 20 }], return: 30 };
    expect(codes(input, plan(input, [wrong]))).toEqual(['end', 'return']);
  });

  it('duration by skill: the shortest that applies to the nurse', () => {
    const input = problem([v('s', 10, { durationBySkill: { IV: 25, RN: 35, aide: 5 } })]);
    const ok = route(input, 'A', [['s', 10]]); // A has RN and IV: 25
    expect(ok.stops[0].end).toBe(20); // route() uses `duration` (10): fix the end to the rule's 25
    const right = { ...ok, stops: [{ ...ok.stops[0], end: 35 }], return: 45 };
    expect(codes(input, plan(input, [right]))).toEqual([]);
    expect(codes(input, plan(input, [ok]))).toEqual(['end', 'return']); // 10 of care is too short
  });

  it('double-handed visits: together and by two nurses', () => {
    const input = problem([v('h1', 10), v('h2', 10)], {
      syncGroups: [{ visits: ['h1', 'h2'], tolerance: 2 }],
    });
    const together = [route(input, 'A', [['h1', 10]]), route(input, 'B', [['h2', 12]])];
    expect(codes(input, plan(input, together))).toEqual([]);
    const apart = [route(input, 'A', [['h1', 10]]), route(input, 'B', [['h2', 15]])];
    expect(codes(input, plan(input, apart))).toEqual(['sync']);
    const oneNurse = [
      route(input, 'A', [
        ['h1', 10],
        ['h2', 20],
      ]),
    ];
    expect(codes(input, plan(input, oneNurse))).toEqual(['sync', 'sync_nurses']);
  });

  it('dependencies: minimum and maximum delay, same or different nurse', () => {
    const input = problem([v('a', 10), v('b', 10)], {
      dependencies: [{ before: 'a', after: 'b', minDelay: 30, maxDelay: 60, nurse: 'different' }],
    });
    expect(
      codes(input, plan(input, [route(input, 'A', [['a', 10]]), route(input, 'B', [['b', 45]])])),
    ).toEqual([]);
    expect(
      codes(input, plan(input, [route(input, 'A', [['a', 10]]), route(input, 'B', [['b', 30]])])),
    ).toEqual(['dependency']);
    expect(
      codes(input, plan(input, [route(input, 'A', [['a', 10]]), route(input, 'B', [['b', 80]])])),
    ).toEqual(['dependency']);
    expect(
      codes(
        input,
        plan(input, [
          route(input, 'A', [
            ['a', 10],
            ['b', 45],
          ]),
        ]),
      ),
    ).toEqual(['dependency_nurses']);
  });

  it('visit limit and working time', () => {
    const base = problem([v('a', 10), v('b', 20), v('c', 30)]);
    const input: ProblemInput = {
      ...base,
      nurses: [{ ...base.nurses[0], maxVisits: 2, maxWorkingTime: 70 }, base.nurses[1]],
    };
    expect(
      codes(
        input,
        plan(input, [
          route(input, 'A', [
            ['a', 10],
            ['b', 30],
          ]),
          route(input, 'B', [['c', 30]]),
        ]),
      ),
    ).toEqual([]);
    // three visits, back at 60 + 30 = 90 > 70
    expect(
      codes(
        input,
        plan(input, [
          route(input, 'A', [
            ['a', 10],
            ['b', 30],
            ['c', 50],
          ]),
        ]),
      ),
    ).toEqual(['max_visits', 'working_time']);
  });

  it('overtime: allowed up to its limit, past the shift end', () => {
    const base = problem([v('late', 10, { timeWindows: [{ start: 90, end: 95 }] })]);
    const input: ProblemInput = {
      ...base,
      nurses: [{ ...base.nurses[0], overtime: { max: 10, cost: 2 } }, base.nurses[1]],
    };
    // back at 90 + 10 + 10 = 110: 10 of overtime, allowed.
    expect(codes(input, plan(input, [route(input, 'A', [['late', 90]], 80)]))).toEqual([]);
    expect(codes(base, plan(base, [route(base, 'A', [['late', 90]], 80)]))).toEqual(['shift_end']);
    const later = problem([v('late', 10, { timeWindows: [{ start: 90, end: 100 }] })]);
    const strict: ProblemInput = {
      ...later,
      nurses: [{ ...later.nurses[0], overtime: { max: 10 } }, later.nurses[1]],
    };
    expect(codes(strict, plan(strict, [route(strict, 'A', [['late', 100]], 90)]))).toEqual(['shift_end']);
  });
});

describe('checker: the weighted objective', () => {
  it('recomputes every term of a solved plan, and flags a wrong one', () => {
    const input = problem(
      [
        v('a', 10, { preferredWindow: { end: 5, costPerMinute: 2 }, preferredNurses: ['B'] }),
        v('b', 20, { skills: ['IV'] }),
        v('c', 400, { optional: true, priority: 2 }),
      ],
      { weights: { maxLateness: 1, continuity: 7 } },
    );
    const { plan: solved } = solve(input, { seed: 1, stop: createStop({ iterations: 200 }) });
    const report = checkPlan(input, solved);
    expect(report.violations).toEqual([]);
    expect(solved.summary.terms?.unassigned).toMatchObject({ value: 200, weight: 1, cost: 200 });
    expect(solved.unassigned).toEqual([expect.objectContaining({ visit: 'c', reason: 'time_window' })]);
    const wrong = structuredClone(solved);
    wrong.summary.terms!.lateness.value += 1;
    expect(checkPlan(input, wrong).violations.map((x) => x.code)).toEqual(['summary']);
  });
});

describe('checker: breaks and unavailable periods', () => {
  const withBreak = (): ProblemInput => {
    const input = problem([v('a', 10), v('b', 20)]);
    input.nurses[0].breaks = [{ id: 'lunch', duration: 15, window: { start: 30, end: 60 } }];
    input.nurses[0].unavailable = [{ id: 'meeting', start: 70, end: 80 }];
    return input;
  };
  /** a at 10-20, lunch 30-45 after a (she waits), b: arrival 45 + 10 = 55, care 55-65, meeting 70-80, back 80 + 20 = 100. */
  const day = (input: ProblemInput, lunch = { start: 30, end: 45 }): PlanRoute => {
    const r = route(input, 'A', [['a', 10]]);
    const stopB = { visit: 'b', arrival: lunch.end + 10, start: lunch.end + 10, end: lunch.end + 20 };
    return {
      ...r,
      stops: [...r.stops, stopB],
      breaks: [
        { id: 'lunch', after: 'a', ...lunch },
        { id: 'meeting', after: 'b', start: 70, end: 80 },
      ],
      return: 100,
      distance: 40,
      travelTime: 40,
    };
  };

  it('accepts breaks inside their windows, taken between visits', () => {
    const input = withBreak();
    expect(codes(input, plan(input, [day(input)]))).toEqual([]);
  });

  it('flags a break outside its window or of the wrong length, a missing one, and one overlapping care', () => {
    const input = withBreak();
    expect(codes(input, plan(input, [day(input, { start: 50, end: 65 })]))).toContain('break');
    expect(codes(input, plan(input, [day(input, { start: 30, end: 40 })]))).toContain('break');
    const missing = day(input);
    missing.breaks = missing.breaks!.filter((b) => b.id !== 'meeting');
    expect(codes(input, plan(input, [missing]))).toEqual(['return', 'break_missing']); // and she is back earlier
    const overlap = day(input);
    overlap.breaks![0] = { id: 'lunch', after: 'a', start: 15, end: 30 }; // care at a lasts until 20
    expect(codes(input, plan(input, [overlap]))).toContain('break');
  });

  it('a solved day places every break and unavailable period where the checker accepts them', () => {
    const input = withBreak();
    input.visits.push(v('c', 30, { timeWindows: [{ start: 60, end: 75 }] }));
    for (const visit of input.visits) visit.skills = ['RN']; // all hers
    const { plan: solved } = solve(input, { seed: 3, stop: createStop({ iterations: 300 }) });
    expect(checkPlan(input, solved).violations).toEqual([]);
    const a = solved.routes.find((r) => r.vehicle === 'A');
    expect(a?.breaks?.map((b) => b.id).sort()).toEqual(['lunch', 'meeting']);
    const meeting = a!.breaks!.find((b) => b.id === 'meeting')!;
    expect([meeting.start, meeting.end]).toEqual([70, 80]);
  });
});

describe('checker: earliness before preferredWindow.start', () => {
  it('the solver and the checker count it in the lateness term, the stop carries it, maxLateness does not', () => {
    const input = problem(
      [
        v('early', 10, {
          preferredWindow: { start: 40, end: 50, costPerMinute: 2 },
          timeWindows: [{ start: 0, end: 15 }],
        }),
        v('late', 20, { preferredWindow: { end: 0 } }),
        v('plain', 30),
      ],
      { weights: { lateness: 3, maxLateness: 1 } },
    );
    input.nurses[1].shift = { start: 0, end: 0 }; // one nurse works: A, from 0
    const { plan: p } = solve(input, { seed: 1, stop: createStop({ iterations: 200 }) });
    expect(checkPlan(input, p).violations).toEqual([]);
    const stops = p.routes.flatMap((r) => r.stops);
    const early = stops.find((s) => s.visit === 'early')!;
    expect(early.start).toBeLessThan(40); // the earliest feasible start
    expect(early.earliness).toBe(40 - early.start);
    expect(early.lateness).toBeUndefined();
    expect(stops.find((s) => s.visit === 'plain')).not.toHaveProperty('earliness');
    const late = stops.find((s) => s.visit === 'late')!;
    expect(p.summary.terms!.lateness).toEqual({
      value: 2 * (40 - early.start) + late.start,
      weight: 3,
      cost: 3 * (2 * (40 - early.start) + late.start),
    });
    expect(p.summary.terms!.maxLateness.value).toBe(late.start);
    // Without the earliness, the checker's recomputed lateness differs.
    const wrong = structuredClone(p);
    wrong.summary.terms!.lateness.value = late.start;
    expect(checkPlan(input, wrong).violations.map((x) => x.code)).toContain('summary');
  });
});
