import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../check/check-plan.ts';
import { issueCodes } from '../model/issue-codes.ts';
import { validateProblem } from '../model/validate.ts';
import { createStop } from '../search/stop.ts';
import { solve } from '../solve.ts';
import { fromVroom, toVroom, vroomPointer } from './vroom.ts';

/** The shape of VROOM's documented example (docs/API.md): two vehicles with skills, capacity and a working window. */
const example = JSON.parse(
  readFileSync(new URL('../../fixtures/requests/vroom.json', import.meta.url), 'utf8'),
) as {
  vehicles: object[];
  jobs: object[];
};
const issues = issueCodes;

describe('VROOM requests', () => {
  it('reads the documented example, plans it under every rule, and answers in VROOM’s output shape', () => {
    const problem = validateProblem(fromVroom(example));
    const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations: 300 }) });
    expect(checkPlan(problem, plan).violations).toEqual([]);
    const out = toVroom(problem, plan, { loading: 1, solving: 2 }) as {
      code: number;
      summary: Record<string, unknown>;
      unassigned: unknown[];
      routes: { vehicle: number; steps: { type: string; id?: number; arrival: number }[] }[];
    };
    expect(out.code).toBe(0);
    // Straight-line travel at 40 km/h (no routing service here) is slower than VROOM's roads: a
    // job may not fit the four hours; it is then reported unassigned, as VROOM reports one.
    expect(out.summary).toMatchObject({ routes: 2, computing_times: { loading: 1, solving: 2 } });
    const served = out.routes.flatMap((r) =>
      r.steps.filter((s) => s.type === 'job').map((s) => [r.vehicle, s.id]),
    );
    const left = (out.unassigned as { id: number; type: string }[]).map((u) => u.id);
    expect([...served.map(([, id]) => id), ...left].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out.summary.unassigned).toBe(left.length);
    expect(served.length).toBeGreaterThanOrEqual(5);
    // Skills hold: jobs 1-2 need skill 1 (vehicle 1), jobs 3-4 skill 2 (vehicle 2).
    for (const [vehicle, id] of served) if (id! <= 2) expect(vehicle).toBe(1);
    for (const [vehicle, id] of served) if (id === 3 || id === 4) expect(vehicle).toBe(2);
    for (const r of out.routes) {
      expect(r.steps[0].type).toBe('start');
      expect(r.steps[r.steps.length - 1].type).toBe('end');
      const job1 = r.steps.find((s) => s.id === 1);
      if (job1 !== undefined) expect(job1.arrival).toBeLessThanOrEqual(36000);
    }
  });

  it('reads a custom matrix (location indices), as the documented matrix example', () => {
    const matrix = [
      [0, 2104, 197, 959, 1975, 436, 418, 1299],
      [2103, 0, 2255, 2812, 1455, 2539, 1685, 3152],
      [197, 2256, 0, 762, 2172, 633, 570, 1102],
      [959, 2813, 762, 0, 2934, 1395, 1127, 340],
      [1975, 1456, 2172, 2934, 0, 2020, 2169, 3274],
      [435, 2539, 632, 1394, 2019, 0, 853, 1734],
      [418, 1686, 570, 1127, 2169, 854, 0, 1467],
      [1299, 3153, 1102, 340, 3274, 1735, 1467, 0],
    ];
    const request = {
      vehicles: [{ id: 0, start_index: 0, end_index: 7 }],
      jobs: [1, 2, 3, 4, 5, 6].map((i) => ({ id: i, location_index: i })),
      matrices: { car: { durations: matrix } },
    };
    const problem = validateProblem(fromVroom(request));
    const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations: 500 }) });
    expect(checkPlan(problem, plan).violations).toEqual([]);
    const out = toVroom(problem, plan, { loading: 0, solving: 0 }) as { summary: { cost: number } };
    expect(out.summary.cost).toBe(7268); // VROOM's documented answer for this matrix
  });

  it('refuses what VROOM has and this engine does not, naming the field', () => {
    expect(issues(() => fromVroom({ ...example, shipments: [{ pickup: {}, delivery: {} }] }))).toEqual([
      'E_UNSUPPORTED /shipments',
    ]);
    const vehicles = [{ ...example.vehicles[0], max_travel_time: 3600, capacity: [4, 2] }];
    expect(issues(() => fromVroom({ ...example, vehicles }))).toEqual(
      expect.arrayContaining([
        'E_UNSUPPORTED /vehicles/0/max_travel_time',
        'E_UNSUPPORTED /vehicles/0/capacity',
      ]),
    );
    expect(
      issues(() =>
        fromVroom({ vehicles: [{ id: 1, end: [2, 48] }], jobs: [{ id: 1, location: [2, 48], setup: 60 }] }),
      ),
    ).toEqual(['E_UNSUPPORTED /vehicles/0/start', 'E_UNSUPPORTED /jobs/0/setup']);
    expect(issues(() => fromVroom([]))).toEqual(['E_TYPE ']);
  });

  it('reads breaks as VROOM means them (the window bounds the start) and writes them where taken, first ones too', () => {
    const request = {
      vehicles: [
        {
          id: 7,
          start: [2.35, 48.86],
          end: [2.35, 48.86],
          time_window: [28800, 61200],
          breaks: [{ id: 3, time_windows: [[28800, 28800]], service: 1800 }],
        },
      ],
      jobs: [{ id: 1, location: [2.36, 48.86], service: 600 }],
    };
    const problem = validateProblem(fromVroom(request));
    expect(problem.nurses[0].breaks).toEqual([
      { id: '3', duration: 1800, window: { start: 28800, end: 30600 } },
    ]);
    const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations: 50 }) });
    expect(checkPlan(problem, plan).violations).toEqual([]);
    const out = toVroom(problem, plan, { loading: 0, solving: 0 }) as {
      routes: { steps: { type: string; id?: number; arrival: number; duration: number }[] }[];
    };
    const steps = out.routes[0].steps;
    expect(steps.map((x) => x.type)).toEqual(['start', 'break', 'job', 'end']);
    expect(steps[1]).toMatchObject({ id: 3, arrival: 28800 });
    const durations = steps.map((x) => x.duration);
    expect(durations).toEqual([...durations].sort((a, b) => a - b)); // travel so far never goes back
  });

  it("points the engine's findings into the request, and wants integer ids", () => {
    expect(vroomPointer('/visits/2/timeWindows/0/end')).toBe('/jobs/2/time_windows/0');
    expect(vroomPointer('/visits/0/duration')).toBe('/jobs/0/service');
    expect(vroomPointer('/nurses/1/shift/end')).toBe('/vehicles/1/time_window');
    expect(vroomPointer('/nurses/0/breaks/1/window/end')).toBe('/vehicles/0/breaks/1/time_windows/0');
    expect(
      issues(() =>
        fromVroom({ vehicles: [{ id: 1, start: [2, 48] }], jobs: [{ id: 'a', location: [2, 48] }] }),
      ),
    ).toEqual(['E_TYPE /jobs/0/id']);
  });
});
