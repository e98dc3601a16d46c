import { existsSync, readFileSync } from 'node:fs';
import { distance as greatCircle } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { ProblemInput } from '../model/input.ts';
import type { Plan } from '../plan/plan.ts';
import { createStop, parseSolomon, solve } from '../index.ts';
import { checkPlan, formatViolations, type ViolationCode } from './check-plan.ts';

/**
 * Two nurses on a plane (speed 1: travel time = distance). Anne: depot (0,0), back there, shift
 * [0, 100], capacity 5. Ben: starts at (10,0), open end, shift [20, 60], fixed cost 7. Cleo: unused.
 */
const problem: ProblemInput = {
  nurses: [
    { id: 'anne', start: { x: 0, y: 0 }, shift: { start: 0, end: 100 }, capacity: 5 },
    { id: 'ben', start: { x: 10, y: 0 }, end: null, shift: { start: 20, end: 60 }, fixedCost: 7 },
    { id: 'cleo', start: { x: 0, y: 0 } },
  ],
  visits: [
    { id: 'a', location: { x: 3, y: 4 }, duration: 10, demand: 2, timeWindows: [{ start: 0, end: 20 }] },
    { id: 'b', location: { x: 6, y: 8 }, duration: 5, demand: 3, timeWindows: [{ start: 30, end: 40 }] },
    { id: 'c', location: { x: 10, y: 5 }, duration: 8 },
    { id: 'd', location: { x: 13, y: 9 }, duration: 4, timeWindows: [{ start: 10, end: 50 }] },
  ],
};

/**
 * The hand-computed plan. Anne: leaves 0, a at 5 (start 5, end 15), b at 15+5=20, waits to 30,
 * ends 35, back home 35+10=45; distance 5+5+10=20. Ben: leaves 20, c at 25 (end 33), d at 33+5=38
 * (end 42), open end; distance 5+5=10. Summary: distance 30, cost 30+7=37.
 */
function goodPlan(): Plan {
  return {
    summary: { objective: 'distance', cost: 37, distance: 30, travelTime: 30, routes: 2, unassigned: 0 },
    routes: [
      {
        vehicle: 'anne',
        departure: 0,
        return: 45,
        distance: 20,
        travelTime: 20,
        stops: [
          { visit: 'a', arrival: 5, start: 5, end: 15 },
          { visit: 'b', arrival: 20, start: 30, end: 35 },
        ],
      },
      {
        vehicle: 'ben',
        departure: 20,
        return: 42,
        distance: 10,
        travelTime: 10,
        stops: [
          { visit: 'c', arrival: 25, start: 25, end: 33 },
          { visit: 'd', arrival: 38, start: 38, end: 42 },
        ],
      },
    ],
    unassigned: [],
  };
}

function codes(plan: Plan, input = problem): ViolationCode[] {
  return [...new Set(checkPlan(input, plan).violations.map((v) => v.code))].sort();
}

describe('checkPlan on hand-made plans', () => {
  it('accepts the hand-computed plan and recomputes its figures', () => {
    const report = checkPlan(problem, goodPlan());
    expect(report.violations).toEqual([]);
    expect(report.recomputed).toEqual({ cost: 37, distance: 30, travelTime: 30, routes: 2, unassigned: 0 });
    expect(formatViolations(report)).toMatch(/^feasible: 2 routes/);
  });

  const anne = problem.nurses[0];
  const mutations: [ViolationCode[], string, (p: Plan) => void, ProblemInput?][] = [
    [
      ['summary', 'unknown_vehicle'],
      'a route for a nurse not in the problem',
      (p) => (p.routes[1].vehicle = 'zoe'),
    ],
    [
      ['duplicate_vehicle', 'empty_route'],
      'a second route for one nurse',
      (p) => p.routes.push({ ...p.routes[0], stops: [] }),
    ],
    [
      ['empty_route'],
      'a route with no stop',
      (p) => p.routes.push({ ...p.routes[0], vehicle: 'cleo', stops: [] }),
    ],
    [
      ['summary', 'unknown_visit'],
      'an unknown visit in the unassigned list',
      (p) => p.unassigned.push({ visit: 'zz', reason: 'no_room', message: '' }),
    ],
    [
      ['summary', 'visit_twice'],
      'a visit planned and also listed as unassigned',
      (p) => p.unassigned.push({ visit: 'c', reason: 'no_room', message: '' }),
    ],
    [['visit_missing'], 'a visit neither planned nor unassigned', (p) => dropLastStopOfBen(p)],
    [
      ['capacity'],
      'more load than the capacity',
      () => {},
      { ...problem, nurses: [{ ...anne, capacity: 4 }, ...problem.nurses.slice(1)] },
    ],
    [['shift_start'], 'leaving before the shift', (p) => shiftRoute(p, 1, -5)],
    [['arrival'], 'a stated arrival that travel cannot give', (p) => (p.routes[0].stops[0].arrival = 4)],
    [
      ['start_before_arrival'],
      'care starting before the nurse arrives',
      (p) => retime(p.routes[1].stops[0], 24),
    ],
    [
      ['time_window'],
      'care starting after the window closes',
      (p) => {
        retime(p.routes[0].stops[1], 41);
        p.routes[0].return = 56;
      },
    ],
    [['end'], 'an end that is not start + duration', (p) => (p.routes[1].stops[0].end = 34)],
    [['return'], 'a wrong return time', (p) => (p.routes[0].return = 44)],
    [
      ['shift_end'],
      'coming back after the shift',
      () => {},
      { ...problem, nurses: [{ ...anne, shift: { start: 0, end: 44 } }, ...problem.nurses.slice(1)] },
    ],
    [['route_figures'], 'a wrong route distance', (p) => (p.routes[0].distance = 21)],
    [['summary'], 'a wrong summary distance', (p) => (p.summary.distance = 29)],
    [['summary'], 'a summary cost without the fixed cost', (p) => (p.summary.cost = 30)],
  ];

  it.each(mutations)('reports %j for %s', (expected, _what, mutate, input = problem) => {
    const plan = goodPlan();
    mutate(plan);
    const report = checkPlan(input, plan);
    expect(report.feasible).toBe(false);
    expect(codes(plan, input)).toEqual(expected);
  });

  it('reports every violation of a plan that breaks several rules at once', () => {
    // Anne does a, b, c, d: b ends 35, c (5 away) 40..48, d (5 away) 53..57 (window ends 50),
    // home sqrt(13² + 9²) away: back ≈ 72.8. Capacity 4 < 5 and a shift ending at 70.
    const tight: ProblemInput = {
      ...problem,
      nurses: [{ ...problem.nurses[0], capacity: 4, shift: { start: 0, end: 70 } }, problem.nurses[1]],
    };
    const home = Math.hypot(13, 9);
    const plan: Plan = {
      summary: {
        objective: 'distance',
        cost: 20 + home,
        distance: 20 + home,
        travelTime: 20 + home,
        routes: 1,
        unassigned: 0,
      },
      routes: [
        {
          vehicle: 'anne',
          departure: 0,
          return: 57 + home,
          distance: 20 + home,
          travelTime: 20 + home,
          stops: [
            { visit: 'a', arrival: 5, start: 5, end: 15 },
            { visit: 'b', arrival: 20, start: 30, end: 35 },
            { visit: 'c', arrival: 40, start: 40, end: 48 },
            { visit: 'd', arrival: 53, start: 53, end: 57 },
          ],
        },
      ],
      unassigned: [],
    };
    expect(codes(plan, tight)).toEqual(['capacity', 'shift_end', 'time_window']);
    expect(formatViolations(checkPlan(tight, plan))).toMatch(
      /time_window \[nurse anne, visit d\]: care starts at 53/,
    );
  });

  it('reads matrices and the duration objective', () => {
    const input: ProblemInput = {
      profiles: {
        car: {
          durations: [
            [0, 4, 6],
            [4, 0, 3],
            [6, 3, 0],
          ],
          distances: [
            [0, 40, 60],
            [40, 0, 30],
            [60, 30, 0],
          ],
        },
      },
      nurses: [{ id: 'n', start: { index: 0 } }],
      visits: [
        { id: 'p', location: { index: 1 }, duration: 2 },
        { id: 'q', location: { index: 2 }, duration: 1 },
      ],
    };
    const plan: Plan = {
      summary: { objective: 'duration', cost: 13, distance: 130, travelTime: 13, routes: 1, unassigned: 0 },
      routes: [
        {
          vehicle: 'n',
          departure: 0,
          return: 16,
          distance: 130,
          travelTime: 13,
          stops: [
            { visit: 'p', arrival: 4, start: 4, end: 6 },
            { visit: 'q', arrival: 9, start: 9, end: 10 },
          ],
        },
      ],
      unassigned: [],
    };
    expect(checkPlan(input, plan).violations).toEqual([]);
    plan.summary.cost = 130;
    expect(codes(plan, input)).toEqual(['summary']);
  });

  it('reads longitude/latitude through great-circle distance, circuity and speed', () => {
    const home = { lon: 1.87, lat: 46.17 };
    const patient = { lon: 1.95, lat: 46.2 };
    const input: ProblemInput = {
      profiles: { bike: { circuity: 1.2 } },
      nurses: [{ id: 'n', start: home, profile: 'bike', shift: { start: 480, end: 720 } }],
      visits: [{ id: 'p', location: patient, duration: 30 }],
    };
    const km = greatCircle([home.lon, home.lat], [patient.lon, patient.lat], { units: 'kilometers' }) * 1.2;
    const minutes = (km / 15) * 60;
    const plan: Plan = {
      summary: {
        objective: 'distance',
        cost: 2000 * km,
        distance: 2000 * km,
        travelTime: 2 * minutes,
        routes: 1,
        unassigned: 0,
      },
      routes: [
        {
          vehicle: 'n',
          departure: 480,
          return: 510 + 2 * minutes,
          distance: 2000 * km,
          travelTime: 2 * minutes,
          stops: [{ visit: 'p', arrival: 480 + minutes, start: 480 + minutes, end: 510 + minutes }],
        },
      ],
      unassigned: [],
    };
    expect(checkPlan(input, plan).violations).toEqual([]);
  });
});

describe('checkPlan on the solver plans', () => {
  it('accepts what the solver plans for the hand-made problem', () => {
    const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations: 200 }) });
    expect(checkPlan(problem, plan).violations).toEqual([]);
  });

  const c101 = new URL('../../fixtures/solomon/c101.txt', import.meta.url);
  it.skipIf(!existsSync(c101))('accepts the solver plan of Solomon c101, and finds its optimum', () => {
    const input = parseSolomon(readFileSync(c101, 'utf8'));
    const { plan } = solve(input, { seed: 1, stop: createStop({ iterations: 300 }) });
    const report = checkPlan(input, plan);
    expect(report.violations).toEqual([]);
    expect(report.recomputed.distance).toBeCloseTo(828.94, 2);
  });
});

function shiftRoute(p: Plan, r: number, by: number): void {
  const route = p.routes[r];
  route.departure += by;
  route.return += by;
  for (const s of route.stops) {
    s.arrival += by;
    s.start += by;
    s.end += by;
  }
}

/** Ben leaves d out without listing it: his route and the summary are otherwise consistent. */
function dropLastStopOfBen(p: Plan): void {
  const ben = p.routes[1];
  ben.stops.pop();
  ben.return = 33;
  ben.distance = ben.travelTime = 5;
  p.summary.distance = p.summary.travelTime = 25;
  p.summary.cost = 32;
}

function retime(s: { start: number; end: number }, start: number): void {
  s.end += start - s.start;
  s.start = start;
}
