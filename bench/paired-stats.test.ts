import { describe, expect, it } from 'vitest';
import { pairedSummary } from './paired-stats.ts';

describe('pairedSummary', () => {
  it('gives the mean difference B − A, its standard error and the counts either way', () => {
    // Differences -0.5, 0, +0.2, -0.3: mean -0.15, sample sd sqrt(0.29 / 3).
    const s = pairedSummary([
      { a: 1.0, b: 0.5 },
      { a: 0.4, b: 0.4 },
      { a: 0.3, b: 0.5 },
      { a: 2.0, b: 1.7 },
    ]);
    expect(s.n).toBe(4);
    expect(s.meanA).toBeCloseTo(0.925, 12);
    expect(s.meanB).toBeCloseTo(0.775, 12);
    expect(s.meanDiff).toBeCloseTo(-0.15, 12);
    expect(s.standardError).toBeCloseTo(Math.sqrt(0.29 / 3) / 2, 12);
    expect([s.better, s.worse]).toEqual([2, 1]);
  });

  it('has no spread for one pair and nothing for none', () => {
    const one = pairedSummary([{ a: 1, b: 2 }]);
    expect(one).toMatchObject({ n: 1, meanDiff: 1, worse: 1 });
    expect(one.standardError).toBeNaN();
    expect(pairedSummary([]).n).toBe(0);
    expect(pairedSummary([]).meanDiff).toBeNaN();
  });
});
