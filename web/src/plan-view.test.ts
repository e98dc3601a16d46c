import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStop, solve, validateProblem } from '../../solver/index.ts';
import type { ProblemInput } from '../../solver/model/input.ts';
import { boardRows, clock, figures } from './plan-view.ts';

const load = (name: string) =>
  validateProblem(
    JSON.parse(readFileSync(new URL(`../../fixtures/care/${name}.json`, import.meta.url), 'utf8')),
  );

describe("the board's rows", () => {
  for (const name of ['demo-day', 'example-week', 'had-5n-40v']) {
    it(`${name}: the travel drawn is the plan's, care is every stop's, nothing overlaps`, () => {
      const problem: ProblemInput = load(name);
      const { plan } = solve(problem, { seed: 1, stop: createStop({ iterations: 300 }) });
      const rows = boardRows(problem, plan);
      expect(rows).toHaveLength(plan.routes.filter((r) => r.stops.length > 0).length);
      for (const row of rows) {
        const sum = (kind: string) =>
          row.segments.filter((s) => s.kind === kind).reduce((t, s) => t + (s.to - s.from), 0);
        expect(sum('travel')).toBeCloseTo(row.route.travelTime, 6);
        expect(sum('care')).toBeCloseTo(
          row.route.stops.reduce((t, s) => t + (s.end - s.start), 0),
          6,
        );
        expect(sum('break')).toBeCloseTo(
          (row.route.breaks ?? []).reduce((t, b) => t + (b.end - b.start), 0),
          6,
        );
        // In order, end to end, from departure to return (overtime is drawn over them).
        const day = row.segments.filter((s) => s.kind !== 'overtime');
        for (let k = 1; k < day.length; k++) expect(day[k].from).toBeCloseTo(day[k - 1].to, 6);
        expect(day[0].from).toBeCloseTo(row.route.departure, 6);
        expect(day[day.length - 1].to).toBeCloseTo(row.route.return, 6);
      }
      const f = figures(problem, plan, rows);
      expect(f.travel).toBe(plan.summary.travelTime);
      expect(f.leftOut).toBe(plan.unassigned.length);
    });
  }

  it('clock times of the day, in the problem’s unit', () => {
    const minutes = { nurses: [], visits: [] } as ProblemInput;
    expect(clock(450, minutes)).toBe('07:30');
    expect(clock(1440 + 61, minutes)).toBe('01:01');
    expect(clock(3600 * 9, { ...minutes, timeUnit: 'second' })).toBe('09:00');
  });
});
