import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPlan } from './check/check-plan.ts';
import { createStop, parseSolomon, solve, type ProblemInput } from './index.ts';

const r101 = parseSolomon(
  readFileSync(fileURLToPath(new URL('../fixtures/solomon/r101.txt', import.meta.url)), 'utf8'),
);

describe('solve', () => {
  it('is deterministic for a seed and an iteration count, and differs across seeds', () => {
    const run = (seed: number) =>
      JSON.stringify(solve(r101, { seed, stop: createStop({ iterations: 120 }) }).plan);
    const a = run(5);
    expect(run(5)).toBe(a);
    expect(run(6)).not.toBe(a);
  });

  it('stops at once on an aborted signal and still returns a checked, complete plan', () => {
    const controller = new AbortController();
    controller.abort();
    const { plan, iterations } = solve(r101, {
      seed: 1,
      stop: createStop({ iterations: 1e9, signal: controller.signal }),
    });
    expect(iterations).toBe(0);
    expect(plan.summary.unassigned).toBe(0);
    expect(checkPlan(r101, plan).violations).toEqual([]);
  });

  it('stops on the time limit read from the clock it is given', () => {
    let clock = 0;
    const now = () => (clock += 1); // every read advances 1 ms
    const { iterations } = solve(r101, { seed: 1, stop: createStop({ timeLimitMs: 50, now }) });
    expect(iterations).toBeGreaterThan(0);
    expect(iterations).toBeLessThanOrEqual(50);
  });

  it('reports improvements with a decreasing best cost', () => {
    const costs: number[] = [];
    solve(r101, { seed: 2, stop: createStop({ iterations: 200 }), onImprovement: (e) => costs.push(e.cost) });
    expect(costs.length).toBeGreaterThan(1);
    for (let i = 1; i < costs.length; i++) expect(costs[i]).toBeLessThan(costs[i - 1]);
  });

  it('leaves out, with a reason, the visits no nurse can take, and plans the rest', () => {
    const input: ProblemInput = {
      nurses: [{ id: 'n1', start: { x: 0, y: 0 }, shift: { start: 0, end: 100 }, capacity: 5 }],
      visits: [
        { id: 'near', location: { x: 3, y: 4 }, duration: 10, demand: 2 },
        { id: 'heavy', location: { x: 1, y: 1 }, demand: 9 },
        { id: 'far', location: { x: 60, y: 0 }, duration: 5 },
        { id: 'late', location: { x: 5, y: 0 }, timeWindows: [{ start: 97, end: 99 }] },
      ],
    };
    const { plan } = solve(input, { seed: 1, stop: createStop({ iterations: 50 }) });
    expect(plan.routes.map((r) => r.stops.map((s) => s.visit))).toEqual([['near']]);
    expect(Object.fromEntries(plan.unassigned.map((u) => [u.visit, u.reason]))).toEqual({
      heavy: 'capacity',
      far: 'time_window',
      late: 'time_window',
    });
    expect(checkPlan(input, plan).violations).toEqual([]);
  });

  describe('one objective and one switch for both engines', () => {
    // Three visits on a line, where travel time and distance disagree: going round by c is
    // shorter but slower, so the objective decides the order.
    const base = (): ProblemInput => ({
      profiles: {
        van: {
          durations: [
            [0, 10, 10, 4],
            [10, 0, 1, 9],
            [10, 1, 0, 9],
            [4, 9, 9, 0],
          ],
          distances: [
            [0, 10, 10, 30],
            [10, 0, 1, 2],
            [10, 1, 0, 2],
            [30, 2, 2, 0],
          ],
        },
      },
      nurses: [{ id: 'n', profile: 'van', start: { index: 0 } }],
      visits: [
        { id: 'a', location: { index: 1 } },
        { id: 'b', location: { index: 2 } },
        { id: 'c', location: { index: 3 } },
      ],
    });
    const run = (input: ProblemInput) => solve(input, { seed: 1, stop: createStop({ iterations: 50 }) });

    it('minimizes travel time by default on either engine, distance when asked', () => {
      const core = run(base());
      const care = run({ ...base(), weights: {} });
      expect([core.engine, care.engine]).toEqual(['core', 'care']);
      expect(core.plan.summary.objective).toBe('duration');
      expect(core.plan.summary.cost).toBeCloseTo(core.plan.summary.travelTime, 9);
      expect(care.plan.summary.travelTime).toBeCloseTo(core.plan.summary.travelTime, 9);
      const byDistance = run({ ...base(), objective: 'distance' });
      expect(byDistance.plan.summary.cost).toBeCloseTo(byDistance.plan.summary.distance, 9);
      expect(byDistance.plan.summary.distance).toBeLessThan(core.plan.summary.distance);
      for (const o of [core, care, byDistance]) expect(checkPlan(base(), o.plan).violations).toEqual([]);
    });

    it('keeps who may serve what on the core engine: a plan the checker passes, the rest left out for skills', () => {
      const p = base();
      p.nurses = [
        { ...p.nurses[0], id: 'n', skills: ['RN'] },
        { ...p.nurses[0], id: 'm', skills: ['RN', 'IV'] },
      ];
      p.visits[0].skills = ['IV'];
      p.visits[1].requiredNurse = 'n';
      p.visits[2].skills = ['palliative'];
      const out = run(p);
      expect(out.engine).toBe('core');
      expect(checkPlan(p, out.plan).violations).toEqual([]);
      const nurseOf = (id: string) =>
        out.plan.routes.find((r) => r.stops.some((x) => x.visit === id))?.vehicle;
      expect([nurseOf('a'), nurseOf('b')]).toEqual(['m', 'n']);
      expect(out.plan.unassigned.map((u) => [u.visit, u.reason])).toEqual([['c', 'skills']]);
    });

    it('keeps the core engine for fields that ask nothing, and switches on those that do', () => {
      const engine = (edit: (p: ProblemInput) => void) => {
        const p = base();
        edit(p);
        return run(p).engine;
      };
      expect(engine((p) => (p.visits[0].skills = []))).toBe('core');
      expect(engine((p) => ((p.nurses[0].breaks = []), (p.visits[1].optional = false)))).toBe('core');
      // Who may serve what is route-local: the core engine keeps it.
      expect(engine((p) => ((p.nurses[0].skills = ['RN']), (p.visits[0].skills = ['RN'])))).toBe('core');
      expect(
        engine((p) => {
          p.nurses.push({ ...p.nurses[0], id: 'm' });
          p.visits[0].requiredNurse = 'n';
          p.visits[1].excludedNurses = ['m'];
        }),
      ).toBe('core');
      expect(engine((p) => (p.visits[0].optional = true))).toBe('care');
      expect(engine((p) => (p.nurses[0].breaks = [{ duration: 30, window: { start: 0, end: 600 } }]))).toBe(
        'care',
      );
    });
  });
});
