import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateProblem } from '../model/validate.ts';
import { createStop } from '../search/stop.ts';
import { solve } from '../solve.ts';

describe('top contributors', () => {
  it('name, per term, the nurses, visits or patients that cost most, and add up to no more than the term', () => {
    const p = validateProblem(
      JSON.parse(readFileSync(new URL('../../fixtures/care/had-60n-600v.json', import.meta.url), 'utf8')),
    );
    const { plan } = solve(p, { seed: 1, stop: createStop({ iterations: 100 }) });
    const top = plan.summary.topContributors!;
    const terms = plan.summary.terms!;
    expect(Object.keys(top).length).toBeGreaterThan(1);
    for (const [name, list] of Object.entries(top)) {
      expect(list.length).toBeGreaterThan(0);
      expect(list.length).toBeLessThanOrEqual(3);
      const costs = list.map((c) => c.cost);
      expect(costs).toEqual([...costs].sort((a, b) => b - a));
      expect(costs.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(terms[name].cost + 1e-6);
    }
    // Travel: the nurses whose days travel most.
    const byNurse = new Map<string, number>();
    for (const r of plan.routes) byNurse.set(r.vehicle, (byNurse.get(r.vehicle) ?? 0) + r.travelTime);
    const expected = [...byNurse].sort((a, b) => b[1] - a[1]).slice(0, 3);
    expect(top.travelTime.map((c) => [c.id, c.cost])).toEqual(
      expected.map(([id, t]) => [id, t * terms.travelTime.weight]),
    );
    // Lateness: the latest stops, by the cost of their lateness.
    if (terms.lateness.cost > 0) {
      const late = plan.routes
        .flatMap((r) => r.stops)
        .filter((s) => (s.lateness ?? 0) + (s.earliness ?? 0) > 0);
      expect(late.map((s) => s.visit)).toEqual(expect.arrayContaining(top.lateness.map((c) => c.id)));
    }
  });
});
