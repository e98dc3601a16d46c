import { existsSync, readFileSync } from 'node:fs';
import { distance as greatCircle } from '@turf/distance';
import { describe, expect, it } from 'vitest';
import type { NurseInput, ProblemInput } from '../model/input.ts';
import type { Plan, PlanRoute, PlanUnassigned } from '../model/plan.ts';
import { InputError } from '../model/errors.ts';
import { parseSolomon } from '../io/solomon.ts';
import { createStop, solve } from '../index.ts';
import { checkPlan, formatViolations, type ViolationCode } from './check-plan.ts';

/**
 * A plane, travel time = distance / speed. Anne (car, speed 1): (0,0) and back, shift [0, 200],
 * capacity 10. Ben (bike, speed 2): starts at (20,0), open end, shift [30, 150], fixed cost 50.
 * Cleo: (0,0) to (5,5), no shift, capacity 3, unused by the hand plan. v6 is out of everyone's reach.
 */
const problem: ProblemInput = {
  name: 'hand',
  profiles: { bike: { speed: 2 } },
  nurses: [
    { id: 'anne', start: { x: 0, y: 0 }, shift: { start: 0, end: 200 }, capacity: 10 },
    {
      id: 'ben',
      start: { x: 20, y: 0 },
      end: null,
      profile: 'bike',
      shift: { start: 30, end: 150 },
      fixedCost: 50,
    },
    { id: 'cleo', start: { x: 0, y: 0 }, end: { x: 5, y: 5 }, capacity: 3 },
  ],
  visits: [
    { id: 'v1', location: { x: 3, y: 4 }, duration: 10, demand: 4, timeWindows: [{ start: 0, end: 30 }] },
    { id: 'v2', location: { x: 6, y: 8 }, duration: 15, demand: 3, timeWindows: [{ start: 40, end: 60 }] },
    { id: 'v3', location: { x: 1, y: 9 }, duration: 5, demand: 2 },
    { id: 'v4', location: { x: 25, y: 10 }, duration: 20, demand: 1, timeWindows: [{ start: 50, end: 90 }] },
    { id: 'v5', location: { x: 30, y: 2 }, duration: 10, demand: 2 },
    { id: 'v6', location: { x: 100, y: 100 }, duration: 5, timeWindows: [{ start: 0, end: 1 }] },
  ],
};
const out: PlanUnassigned = { visit: 'v6', reason: 'time_window', message: 'out of reach' };
const zz = { visit: 'zz', arrival: 80, start: 80, end: 90 };

/**
 * The hand plan. Anne: v1 (arrives 5, care 5..15), v2 (arrives 20, waits to 40, care to 55),
 * v3 (no window), home. Ben leaves at 30 at speed 2: v4 (waits to 50, care to 70), v5, and stops there.
 */
function goodPlan(): Plan {
  const a = [Math.hypot(3, 4), Math.hypot(6 - 3, 8 - 4), Math.hypot(1 - 6, 9 - 8), Math.hypot(1, 9)];
  const b = [Math.hypot(25 - 20, 10), Math.hypot(30 - 25, 2 - 10)];
  const anneDist = a[0] + a[1] + a[2] + a[3];
  const benDist = b[0] + b[1];
  const distance = anneDist + benDist;
  const travelTime = anneDist + benDist / 2;
  return {
    summary: { objective: 'distance', cost: distance + 50, distance, travelTime, routes: 2, unassigned: 1 },
    routes: [
      {
        vehicle: 'anne',
        departure: 0,
        return: 60 + a[2] + a[3],
        distance: anneDist,
        travelTime: anneDist,
        stops: [
          { visit: 'v1', arrival: 5, start: 5, end: 15 },
          { visit: 'v2', arrival: 15 + a[1], start: 40, end: 55 },
          { visit: 'v3', arrival: 55 + a[2], start: 55 + a[2], end: 60 + a[2] },
        ],
      },
      {
        vehicle: 'ben',
        departure: 30,
        return: 80 + b[1] / 2,
        distance: benDist,
        travelTime: benDist / 2,
        stops: [
          { visit: 'v4', arrival: 30 + b[0] / 2, start: 50, end: 70 },
          { visit: 'v5', arrival: 70 + b[1] / 2, start: 70 + b[1] / 2, end: 80 + b[1] / 2 },
        ],
      },
    ],
    unassigned: [out],
  };
}

type XY = { x: number; y: number };

/**
 * A route timed from coordinates, for the mutations that need a consistent new schedule: care
 * starts at max(arrival, `startAt[visit]` or the window start).
 */
function route(vehicle: string, departure: number, ids: string[], startAt: Record<string, number> = {}) {
  const nurse = problem.nurses.find((n) => n.id === vehicle)!;
  const speed = nurse.profile === 'bike' ? 2 : 1;
  let here = nurse.start as XY;
  let t = departure;
  let distance = 0;
  const stops = ids.map((id) => {
    const v = problem.visits.find((w) => w.id === id)!;
    const to = v.location as XY;
    const d = Math.hypot(to.x - here.x, to.y - here.y);
    distance += d;
    const arrival = t + d / speed;
    const start = Math.max(arrival, startAt[id] ?? v.timeWindows?.[0]?.start ?? -Infinity);
    t = start + (v.duration ?? 0);
    here = to;
    return { visit: id, arrival, start, end: t };
  });
  let back = t;
  if (nurse.end !== null) {
    const home = (nurse.end ?? nurse.start) as XY;
    const d = Math.hypot(home.x - here.x, home.y - here.y);
    distance += d;
    back += d / speed;
  }
  return { vehicle, departure, return: back, distance, travelTime: distance / speed, stops };
}

/** A plan of those routes with its summary added up (the distance objective). */
function planOf(routes: PlanRoute[], unassigned: PlanUnassigned[] = [out]): Plan {
  const distance = routes.reduce((s, r) => s + r.distance, 0);
  const travelTime = routes.reduce((s, r) => s + r.travelTime, 0);
  const fixed = new Set(routes.map((r) => r.vehicle)).has('ben') ? 50 : 0;
  const counts = { routes: routes.length, unassigned: unassigned.length };
  return {
    summary: { objective: 'distance', cost: distance + fixed, distance, travelTime, ...counts },
    routes,
    unassigned,
  };
}

function codes(plan: Plan, input = problem): ViolationCode[] {
  return [...new Set(checkPlan(input, plan).violations.map((v) => v.code))].sort();
}

/** A new hand plan, changed by `f`. */
function edit(f: (p: Plan) => unknown): Plan {
  const plan = goodPlan();
  f(plan);
  return plan;
}

describe('checkPlan on a hand-made planar problem', () => {
  it('accepts the hand-computed plan and recomputes its figures', () => {
    const plan = goodPlan();
    const report = checkPlan(problem, plan);
    expect(report.violations).toEqual([]);
    expect(report.feasible).toBe(true);
    const [r, sum] = [report.recomputed, plan.summary];
    expect([r.routes, r.unassigned]).toEqual([2, 1]);
    expect(r.distance).toBeCloseTo(sum.distance, 9);
    expect(r.travelTime).toBeCloseTo(sum.travelTime, 9);
    expect(r.cost).toBeCloseTo(sum.distance + 50, 9);
    expect(formatViolations(report)).toMatch(
      /^feasible: 2 routes, distance [\d.]+, travel time [\d.]+, cost [\d.]+, 1 unassigned$/,
    );
    // The test's own route timing agrees.
    const timed = planOf([route('anne', 0, ['v1', 'v2', 'v3']), route('ben', 30, ['v4', 'v5'])]);
    expect(checkPlan(problem, timed).violations).toEqual([]);
  });

  it('tolerates double-precision noise but not more', () => {
    const plan = goodPlan();
    plan.routes[0].stops[2].arrival += 1e-9;
    plan.summary.distance *= 1 + 1e-8;
    expect(checkPlan(problem, plan).feasible).toBe(true);
    plan.routes[0].stops[2].arrival -= 1e-3;
    expect(codes(plan)).toEqual(['arrival']);
  });

  it('uses summary.objective for the cost: distance is distance, duration and vehicles travel time', () => {
    const plan = goodPlan();
    expect(plan.summary.distance).not.toBeCloseTo(plan.summary.travelTime, 3);
    plan.summary.objective = 'duration';
    plan.summary.cost = plan.summary.travelTime + 50;
    expect(checkPlan(problem, plan).feasible).toBe(true);
    plan.summary.objective = 'vehicles';
    expect(checkPlan(problem, plan).feasible).toBe(true);
    plan.summary.objective = 'distance';
    expect(codes(plan)).toEqual(['summary']);
    plan.summary.cost = plan.summary.distance + 50;
    expect(checkPlan(problem, plan).feasible).toBe(true);
  });

  const anne = (ids = ['v1', 'v2', 'v3'], startAt = {}, departure = 0) =>
    route('anne', departure, ids, startAt);
  const ben = (ids = ['v4', 'v5'], startAt = {}) => route('ben', 30, ids, startAt);
  const annes = (change: Partial<NurseInput>): ProblemInput => ({
    ...problem,
    nurses: [{ ...problem.nurses[0], ...change }, ...problem.nurses.slice(1)],
  });
  const stranger = { vehicle: 'cleo', departure: 0, return: 0, distance: 0, travelTime: 0, stops: [] };
  const listed = (visit: string) => (p: Plan) => {
    p.unassigned.push({ ...out, visit });
    p.summary.unassigned++;
  };
  /** code, description, the plan, the problem if not the hand-made one. */
  const mutations: [ViolationCode, string, Plan, ProblemInput?][] = [
    ['unknown_vehicle', 'a nurse not in the problem', edit((p) => (p.routes[1].vehicle = 'zoe'))],
    ['duplicate_vehicle', 'two routes for one nurse', planOf([anne(), ben(['v4']), ben(['v5'])])],
    ['empty_route', 'a route with no stop', edit((p) => p.routes.push(stranger))],
    ['unknown_visit', 'a stop at a visit not in the problem', edit((p) => p.routes[0].stops.push(zz))],
    ['unknown_visit', 'an unknown visit listed as unassigned', edit(listed('zz'))],
    ['visit_twice', 'a visit in two routes', planOf([anne(), ben(['v4', 'v5', 'v3'])])],
    ['visit_twice', 'a visit planned and listed as unassigned', edit(listed('v3'))],
    ['visit_missing', 'a dropped visit', planOf([anne(['v1', 'v2']), ben()])],
    ['visit_missing', 'an unassigned visit left out of the list', planOf([anne(), ben()], [])],
    ['capacity', 'an overloaded nurse', planOf([anne(['v1', 'v2', 'v3', 'v5']), ben(['v4'])])],
    ['capacity', 'a capacity smaller than the load', goodPlan(), annes({ capacity: 8 })],
    ['time_window', 'care after the window closes', planOf([anne(undefined, { v2: 61 }), ben()])],
    ['time_window', 'care before the window opens', planOf([anne(), ben(undefined, { v4: 40 })])],
    ['arrival', 'a wrong arrival', edit((p) => (p.routes[0].stops[0].arrival = 4))],
    [
      'start_before_arrival',
      'care before she arrives',
      edit((p) => Object.assign(p.routes[0].stops[2], { start: 58, end: 63 })),
    ],
    ['end', 'an end that is not start + duration', edit((p) => (p.routes[1].stops[0].end += 1))],
    ['shift_start', 'leaving before her shift', planOf([anne(undefined, {}, -5), ben()])],
    ['return', 'a wrong return', edit((p) => (p.routes[0].return -= 1))],
    ['return', 'a return leg on an open end', edit((p) => (p.routes[1].return += 3))],
    ['shift_end', 'an open end after the shift', planOf([anne(), ben(undefined, { v5: 145 })])],
    ['shift_end', 'back home after the shift', goodPlan(), annes({ shift: { start: 0, end: 70 } })],
    ['route_figures', 'a wrong route distance', edit((p) => (p.routes[0].distance += 1))],
    ['route_figures', 'a wrong route travel time', edit((p) => (p.routes[1].travelTime *= 2))],
    ['summary', 'a wrong summary distance', edit((p) => (p.summary.distance += 1))],
    ['summary', 'a wrong summary travel time', edit((p) => (p.summary.travelTime -= 1))],
    ['summary', 'a cost without the fixed cost', edit((p) => (p.summary.cost -= 50))],
    ['summary', 'a wrong route count', edit((p) => (p.summary.routes = 3))],
    ['summary', 'a wrong unassigned count', edit((p) => (p.summary.unassigned = 0))],
  ];

  it.each(mutations)('reports %s, and only it, for %s', (code, _what, plan, input = problem) => {
    const report = checkPlan(input, plan);
    expect(report.feasible).toBe(false);
    expect(report.violations.map((v) => v.code)).toContain(code);
    expect(codes(plan, input)).toEqual([code]);
  });

  it('covers every violation code', () => {
    const all = `unknown_vehicle duplicate_vehicle unknown_visit visit_twice visit_missing capacity time_window
      arrival start_before_arrival end shift_start shift_end return route_figures summary empty_route`;
    expect(new Set(mutations.map((m) => m[0]))).toEqual(new Set(all.split(/\s+/)));
  });

  it('also flags care starting before a stated arrival', () => {
    const plan = edit((p) => (p.routes[1].stops[0].arrival = 50.5));
    expect(codes(plan)).toEqual(['arrival', 'start_before_arrival']);
  });

  it('names the nurse and the visit, one line per violation', () => {
    const plan = planOf([route('anne', 0, ['v1', 'v2', 'v3'], { v2: 61 }), route('ben', 30, ['v4', 'v5'])]);
    plan.routes[0].stops[0].end = 16;
    const text = formatViolations(checkPlan(problem, plan));
    expect(text.split('\n')).toEqual([
      'end [vehicle anne] [visit v1]: stated end 16, but 10 of care from 5 ends at 15',
      'time_window [vehicle anne] [visit v2]: care starts at 61, outside its window [40, 60]',
    ]);
    plan.summary.routes = 5;
    expect(formatViolations(checkPlan(problem, plan))).toMatch(
      /\nsummary: summary\.routes is 5, recomputed 2$/,
    );
  });

  it('leaves an invalid problem to validateProblem', () => {
    const bad = { ...problem, visits: [...problem.visits, { id: 'v1', location: { x: 0, y: 0 } }] };
    expect(() => checkPlan(bad, goodPlan())).toThrow(InputError);
  });
});

describe('checkPlan on other travel inputs', () => {
  const matrix: ProblemInput = {
    profiles: {
      car: {
        durations: grid('0 4 6 | 4 0 3 | 6 3 0'),
        distances: grid('0 40 60 | 40 0 30 | 60 30 0'),
      },
    },
    nurses: [{ id: 'n', start: { index: 0 }, shift: { start: 0, end: 20 }, fixedCost: 100 }],
    visits: [
      { id: 'p', location: { index: 1 }, duration: 2 },
      { id: 'q', location: { index: 2 }, duration: 1, timeWindows: [{ start: 10, end: 12 }] },
    ],
  };
  // n: 0 → p (4) care 4..6 → q (3) arrives 9, waits to 10, care to 11 → home (6) at 17.
  const matrixPlan = (): Plan => {
    const stops = [
      { visit: 'p', arrival: 4, start: 4, end: 6 },
      { visit: 'q', arrival: 9, start: 10, end: 11 },
    ];
    const figures = { distance: 130, travelTime: 13 };
    const summary = { objective: 'duration' as const, cost: 113, ...figures, routes: 1, unassigned: 0 };
    return {
      summary,
      routes: [{ vehicle: 'n', departure: 0, return: 17, ...figures, stops }],
      unassigned: [],
    };
  };

  it('reads the durations and distances matrices by location index', () => {
    expect(checkPlan(matrix, matrixPlan()).violations).toEqual([]);
    const plan = matrixPlan();
    plan.summary.cost = 230; // the distance objective's cost, under the duration objective
    expect(codes(plan, matrix)).toEqual(['summary']);
  });

  it('takes distances from durations when the profile has none', () => {
    const input: ProblemInput = {
      ...matrix,
      profiles: { car: { durations: matrix.profiles!.car.durations } },
    };
    const plan = matrixPlan();
    plan.summary.distance = plan.routes[0].distance = 13;
    expect(checkPlan(input, plan).violations).toEqual([]);
    expect(codes(matrixPlan(), input)).toEqual(['route_figures', 'summary']);
  });

  it('reads longitude/latitude through Turf, circuity and speed (minutes, bike)', () => {
    const home = { lon: 2.35, lat: 48.85 };
    const patient = { lon: 2.3, lat: 48.87 };
    const input: ProblemInput = {
      profiles: { bike: { circuity: 1.2 } },
      nurses: [{ id: 'n', start: home, profile: 'bike', shift: { start: 480, end: 720 } }],
      visits: [{ id: 'p', location: patient, duration: 30, timeWindows: [{ start: 480, end: 600 }] }],
    };
    const km = greatCircle([home.lon, home.lat], [patient.lon, patient.lat], { units: 'kilometers' }) * 1.2;
    const minutes = (km / 15) * 60;
    const plan = geoPlan(480, minutes, km * 1000, 30);
    expect(checkPlan(input, plan).violations).toEqual([]);
    expect(codes(geoPlan(480, (km / 40) * 60, km * 1000, 30), input)).toContain('arrival');
  });

  it('reads longitude/latitude with the default circuity and car speed, in seconds', () => {
    const home = { lon: 1.87, lat: 46.17 };
    const patient = { lon: 1.95, lat: 46.2 };
    const input: ProblemInput = {
      timeUnit: 'second',
      profiles: { van: {} }, // no speed: a car's 40 km/h
      nurses: [{ id: 'n', start: home, profile: 'van', end: null }],
      visits: [{ id: 'p', location: patient, duration: 1800 }],
    };
    const km = greatCircle([home.lon, home.lat], [patient.lon, patient.lat], { units: 'kilometers' }) * 1.3;
    const seconds = (km / 40) * 3600;
    const plan = geoPlan(0, seconds, km * 1000, 1800, true);
    expect(checkPlan(input, plan).violations).toEqual([]);
  });
});

/** One nurse, one visit, lon/lat: there and back (or there only, `open`). */
function geoPlan(departure: number, leg: number, metres: number, care: number, open = false): Plan {
  const legs = open ? 1 : 2;
  const arrival = departure + leg;
  const figures = { distance: legs * metres, travelTime: legs * leg };
  const stops = [{ visit: 'p', arrival, start: arrival, end: arrival + care }];
  return {
    summary: { objective: 'distance', cost: figures.distance, ...figures, routes: 1, unassigned: 0 },
    routes: [{ vehicle: 'n', departure, return: arrival + care + (open ? 0 : leg), ...figures, stops }],
    unassigned: [],
  };
}

describe('checkPlan on the solver plans', () => {
  it('accepts what the solver plans for the hand-made problem', () => {
    const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations: 200 }) });
    const report = checkPlan(problem, plan);
    expect(report.violations).toEqual([]);
    expect(plan.unassigned.map((u) => u.visit)).toEqual(['v6']);
  });

  it('accepts what the solver plans on a matrix, under the duration objective', () => {
    const input: ProblemInput = {
      objective: 'duration',
      profiles: {
        car: { durations: grid('0 5 7 4 | 5 0 3 6 | 7 3 0 2 | 4 6 2 0') },
      },
      nurses: [
        { id: 'a', start: { index: 0 }, end: null, shift: { start: 0, end: 60 }, capacity: 2 },
        { id: 'b', start: { index: 0 }, shift: { start: 0, end: 60 }, fixedCost: 3 },
      ],
      visits: [1, 2, 3].map((index) => ({ id: `m${index}`, location: { index }, duration: 4, demand: 1 })),
    };
    const { plan } = solve(input, { seed: 1, stop: createStop({ iterations: 200 }) });
    expect(checkPlan(input, plan).violations).toEqual([]);
  });

  const c101 = '/work/shared/benchmarks/solomon/c101.txt';
  describe.skipIf(!existsSync(c101))('Solomon c101', () => {
    it('accepts the solver plan', () => {
      const input = parseSolomon(readFileSync(c101, 'utf8'));
      const { plan } = solve(input, { seed: 1, stop: createStop({ iterations: 300 }) });
      const report = checkPlan(input, plan);
      expect(report.violations).toEqual([]);
      expect(report.recomputed.unassigned).toBe(0);
      expect(report.recomputed.routes).toBeLessThanOrEqual(25);
    });
  });
});

/** A square matrix written as rows separated by '|'. */
function grid(text: string): number[][] {
  return text.split('|').map((row) => row.trim().split(/\s+/).map(Number));
}
