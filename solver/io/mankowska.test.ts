import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../check/check-plan.ts';
import { InputError } from '../model/errors.ts';
import { solve } from '../solve.ts';
import { createStop } from '../search/stop.ts';
import { looksLikeMankowska, parseMankowska } from './mankowska.ts';

const text = readFileSync(
  new URL('../../fixtures/mankowska/InstanzCPLEX_HCSRP_10_1.txt', import.meta.url),
  'utf8',
);

describe('parseMankowska', () => {
  it('reads A1 into nurses with skills, one visit per service, sync groups and dependencies', () => {
    expect(looksLikeMankowska(text)).toBe(true);
    const p = parseMankowska(text);
    expect(p.nurses.map((n) => n.id)).toEqual(['c1', 'c2', 'c3']);
    expect(p.nurses[0].skills).toEqual(['s1', 's2', 's3']);
    expect(p.nurses[0].start).toEqual({ index: 0 });
    expect(p.nurses[0].end).toEqual({ index: 11 });
    expect(p.visits).toHaveLength(13); // 10 patients, 3 of them with two services
    expect(p.visits[0]).toMatchObject({ id: 'p1-s4', patient: 'p1', location: { index: 1 }, skills: ['s4'] });
    const linked = [
      ...(p.syncGroups ?? []).map((g) => g.visits),
      ...(p.dependencies ?? []).map((d) => [d.before, d.after]),
    ];
    expect(linked.sort()).toEqual([
      ['p10-s3', 'p10-s6'],
      ['p8-s5', 'p8-s6'],
      ['p9-s1', 'p9-s4'],
    ]);
    expect(p.weights).toMatchObject({ distance: 1 / 3, lateness: 1 / 3, maxLateness: 1 / 3, travelTime: 0 });
  });

  it('names the section and line of a malformed file', () => {
    expect(() => parseMankowska(text.replace(/^mind$/m, 'mindd'))).toThrow(/section 'mind' is missing/);
    try {
      parseMankowska(text.replace('0.0 38.470768', '0.0 abc'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues[0].where).toMatch(/^line \d+$/);
    }
  });

  it('solves A1 to its proven optimum Z = 218.199, and the checker agrees', () => {
    const input = parseMankowska(text);
    const { plan, engine } = solve(input, { seed: 1, stop: createStop({ iterations: 3000 }) });
    expect(engine).toBe('care');
    expect(plan.summary.cost).toBeCloseTo(218.199, 2);
    const report = checkPlan(input, plan);
    expect(report.violations).toEqual([]);
    expect(report.recomputed.cost).toBeCloseTo(plan.summary.cost, 6);
  });
});
