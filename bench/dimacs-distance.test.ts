import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIMACS_TRIANGLE_SLACK, dimacsDistance, dimacsProblem } from './dimacs-distance.ts';
import type { ProblemInput } from '../solver/model/input.ts';
import { checkPlan } from '../solver/check/check-plan.ts';
import { ProblemData } from '../solver/core/problem-data.ts';
import { parseSolomon } from '../solver/io/solomon.ts';
import { validateProblem } from '../solver/model/validate.ts';
import { solveData } from '../solver/solve.ts';
import { createStop } from '../solver/search/stop.ts';

const input: ProblemInput = {
  nurses: [
    { id: '1', start: { x: 0, y: 0 } },
    { id: '2', start: { x: 0, y: 0 }, end: null },
  ],
  visits: [
    { id: 'a', location: { x: 1, y: 1 }, duration: 0 }, // √2 = 1.414… → 1.4
    { id: 'b', location: { x: 1, y: 3 }, duration: 0 }, // 2 from a; √10 = 3.162… → 3.1 back home
  ],
};

describe('dimacsDistance', () => {
  it('truncates every arc to one decimal before summing', () => {
    expect(dimacsDistance(input, [['1', 'a', 'b']])).toBeCloseTo(1.4 + 2 + 3.1, 9);
  });

  it('keeps exact lengths exact and leaves out the return of an open route', () => {
    expect(dimacsDistance(input, [['2', 'b']])).toBeCloseTo(3.1, 9);
    expect(dimacsDistance(input, [['1', 'a'], ['2']])).toBeCloseTo(2.8, 9);
  });

  it('names an unknown vehicle', () => {
    expect(() => dimacsDistance(input, [['9', 'a']])).toThrow(/vehicle 9/);
  });
});

describe('dimacsProblem', () => {
  it('gives every leg its truncated length as distance and time, places by index', () => {
    const p = dimacsProblem(input);
    expect(p.nurses.map((n) => [n.start, n.end, n.profile])).toEqual([
      [{ index: 0 }, undefined, 'dimacs'],
      [{ index: 0 }, null, 'dimacs'],
    ]);
    expect(p.visits.map((v) => v.location)).toEqual([{ index: 1 }, { index: 2 }]);
    const legs = [
      [0, 1.4, 3.1],
      [1.4, 0, 2],
      [3.1, 2, 0],
    ];
    expect(p.profiles).toEqual({ dimacs: { durations: legs, distances: legs } });
    expect(() => validateProblem(p)).not.toThrow();
  });

  it('refuses what the convention does not cover', () => {
    expect(() => dimacsProblem({ ...input, profiles: { car: { speed: 2 } } })).toThrow(/profile car/);
    const geo = { ...input, visits: [{ id: 'g', location: { lon: 2, lat: 45 }, duration: 0 }] };
    expect(() => dimacsProblem(geo)).toThrow(/visit g/);
    const moving = {
      ...input,
      nurses: [{ ...input.nurses[0], position: { location: { x: 1, y: 1 }, time: 5 } }],
    };
    expect(() => dimacsProblem(moving)).toThrow(/nurse 1 position/);
  });

  it('plans and checks r101 on truncated legs: the plan distance is the truncated distance', () => {
    const file = parseSolomon(
      readFileSync(fileURLToPath(new URL('../fixtures/solomon/r101.txt', import.meta.url)), 'utf8'),
    );
    const solved = validateProblem(dimacsProblem(file));
    const data = new ProblemData(solved, {
      objective: 'distance',
      validated: true,
      triangleSlack: DIMACS_TRIANGLE_SLACK,
    });
    const { plan } = solveData(data, { seed: 1, stop: createStop({ iterations: 2000 }) });
    const report = checkPlan(solved, plan);
    expect(report.feasible).toBe(true);
    expect(plan.unassigned).toEqual([]);
    const routes = plan.routes.map((r) => [r.vehicle, ...r.stops.map((s) => s.visit)]);
    expect(plan.summary.distance).toBeCloseTo(dimacsDistance(file, routes), 6);
    // The proven optimum under truncation is 1637.7 (Kohl et al. 1999): no plan goes below it.
    expect(plan.summary.distance).toBeGreaterThanOrEqual(1637.7 - 1e-6);
  });
});
