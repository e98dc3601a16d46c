import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../check/check-plan.ts';
import { InputError } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { validateProblem } from '../model/validate.ts';
import { createStop } from '../search/stop.ts';
import { solve } from '../solve.ts';
import { simulatePlan } from './simulate.ts';
import { atQuantile } from './spread.ts';

const at = (x: number) => ({ x, y: 0 });
/** One nurse on a line (speed 1): a 30-minute visit at 10, then a visit at 20 whose window closes at `due`. */
const line = (p90: number, due: number): ProblemInput => ({
  nurses: [{ id: 'A', start: at(0), shift: { start: 480, end: 1080 } }],
  visits: [
    {
      id: 'first',
      location: at(10),
      duration: 30,
      durationP90: p90,
      timeWindows: [{ start: 490, end: 490 }],
    },
    { id: 'second', location: at(20), duration: 10, timeWindows: [{ start: 0, end: due }] },
  ],
});
const plan: Plan = {
  summary: { objective: 'duration', cost: 40, distance: 40, travelTime: 40, routes: 1, unassigned: 0 },
  routes: [
    {
      vehicle: 'A',
      departure: 480,
      return: 570,
      distance: 40,
      travelTime: 40,
      stops: [
        { visit: 'first', arrival: 490, start: 490, end: 520 },
        { visit: 'second', arrival: 530, start: 530, end: 540 },
      ],
    },
  ],
  unassigned: [],
};

describe('simulating a plan', () => {
  it('with sure times, replays the plan exactly', () => {
    const report = simulatePlan(line(30, 530), plan, { scenarios: 50 });
    expect(report.onTimeRate).toBe(1);
    expect(report.visits.map((v) => v.onTime)).toEqual([1, 1]);
    expect(report.nurses[0]).toMatchObject({ overtimeProbability: 0, expectedLateness: 0 });
  });

  it("draws care times whose 90th percentile is the visit's durationP90", () => {
    // The second visit is on time exactly when the first lasts at most 30 + slack.
    const p90 = 45;
    const onTime = (slack: number) =>
      simulatePlan(line(p90, 530 + slack), plan, { scenarios: 20_000, seed: 3 }).visits[1].onTime;
    expect(onTime(15)).toBeGreaterThan(0.89); // slack up to the p90
    expect(onTime(15)).toBeLessThan(0.91);
    expect(onTime(0)).toBeGreaterThan(0.49); // up to the median
    expect(onTime(0)).toBeLessThan(0.51);
    // The same seed gives the same days; another seed others.
    const a = simulatePlan(line(p90, 535), plan, { scenarios: 500, seed: 1 });
    expect(simulatePlan(line(p90, 535), plan, { scenarios: 500, seed: 1 })).toEqual(a);
    expect(simulatePlan(line(p90, 535), plan, { scenarios: 500, seed: 2 }).onTimeRate).not.toBe(a.onTimeRate);
  });

  it('quantiles of the problem: the median keeps times, 0.9 reaches durationP90', () => {
    const p = line(45, 530);
    expect(atQuantile(p, 0.5).visits[0].duration).toBeCloseTo(30, 9);
    expect(atQuantile(p, 0.9).visits[0].duration).toBeCloseTo(45, 9);
    const slowed = atQuantile({ ...p, travelSpread: 0.2 }, 0.9);
    expect(slowed.profiles?.car.speed).toBeCloseTo(1 / 1.2, 9);
  });

  it('refuses bad spreads with a pointer', () => {
    const issues = (p: unknown) => {
      try {
        validateProblem(p);
        return [];
      } catch (e) {
        return (e as InputError).issues.map((i) => `${i.code} ${i.where}`);
      }
    };
    expect(issues(line(20, 530))).toEqual(['E_RANGE /visits/0/durationP90']);
    expect(issues({ ...line(45, 530), confidence: 1 })).toEqual(['E_RANGE /confidence']);
    expect(issues({ ...line(45, 530), travelSpread: -0.1 })).toEqual(['E_RANGE /travelSpread']);
  });
});

describe('planning for a confidence', () => {
  it('the robust plan keeps more windows on the same sampled days, and passes the checker', () => {
    const raw = JSON.parse(
      readFileSync(new URL('../../fixtures/care/had-5n-40v.json', import.meta.url), 'utf8'),
    );
    raw.travelSpread = 0.2;
    for (const v of raw.visits) v.durationP90 = Math.round(v.duration * 1.3);
    const run = (p: ProblemInput) => solve(p, { seed: 1, stop: createStop({ iterations: 1500 }) }).plan;
    const nominal = validateProblem(raw);
    const robust = validateProblem({ ...raw, confidence: 0.9 });
    const a = run(nominal);
    const b = run(robust);
    expect(checkPlan(robust, b).violations).toEqual([]);
    expect(a.summary.onTimeRate).toBeGreaterThan(0);
    expect(b.summary.simulation).toMatchObject({ scenarios: 200, seed: 1, confidence: 0.9 });
    const days = { scenarios: 2000, seed: 9 };
    const onA = simulatePlan(nominal, a, days).onTimeRate;
    const onB = simulatePlan(nominal, b, days).onTimeRate;
    expect(onB).toBeGreaterThan(onA);
  });
});
