import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateProblem } from '../model/validate.ts';
import { CareData } from './care-data.ts';

describe('CareData with lazy travel', () => {
  it('measures each leg when first read, to the same value as the filled matrices', () => {
    const raw = JSON.parse(
      readFileSync(new URL('../../fixtures/care/had-5n-40v.json', import.meta.url), 'utf8'),
    );
    const problem = validateProblem({ ...raw, weights: { ...raw.weights, distance: 0.001 } });
    const full = new CareData(problem, { validated: true });
    const lazy = new CareData(problem, { validated: true, lazyTravel: true });
    expect(Number.isNaN(lazy.time[0][1])).toBe(true); // nothing measured up front
    for (let r = 0; r < full.V; r++)
      for (let a = 0; a < full.L; a += 3)
        for (let b = 0; b < full.L; b += 2) {
          expect(lazy.travelTime(r, a, b)).toBe(full.travelTime(r, a, b));
          expect(lazy.arcCost(r, b, a)).toBe(full.arcCost(r, b, a));
        }
    expect(lazy.nearest.every((n) => n.length === 0)).toBe(true);
  });
});
