import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../check/check-plan.ts';
import { issueCodes } from '../model/issue-codes.ts';
import type { ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { validateProblem } from '../model/validate.ts';
import { diffPlans } from '../replan/apply-changes.ts';
import { createStop } from '../search/stop.ts';
import { solve } from '../solve.ts';
import { applyRecommendation } from './apply-recommendation.ts';
import { recommend } from './recommend.ts';
import { offerSlots } from './slots.ts';
import { applyNeed, recommendNeed } from './recommend-need.ts';

const fixture = (name: string) =>
  validateProblem(
    JSON.parse(readFileSync(new URL(`../../fixtures/care/${name}.json`, import.meta.url), 'utf8')),
  );
const solved = (p: ProblemInput, iterations = 200) =>
  solve(p, { seed: 1, stop: createStop({ iterations }) }).plan;
const issues = issueCodes;
const stopOf = (plan: Plan, visit: string) => {
  for (const r of plan.routes) {
    const s = r.stops.find((x) => x.visit === visit);
    if (s !== undefined) return { nurse: r.vehicle, shift: r.shift, stop: s };
  }
  return undefined;
};

/**
 * Every option, applied, is a plan the independent checker accepts, with the visit where the
 * option said (nurse, start, the task before it), costing what it said, and moving exactly what
 * it listed.
 */
function expectOptionsHold(p: ProblemInput, plan: Plan, visit: VisitInput | string, count = 3): number {
  const found = recommend(p, plan, { visit, count });
  for (const o of found.options) {
    const applied = applyRecommendation(p, plan, { visit, nurse: o.nurse, shift: o.shift, after: o.after });
    const report = checkPlan(applied.problem, applied.plan);
    expect(report.violations).toEqual([]);
    const at = stopOf(applied.plan, found.visit)!;
    expect(at.nurse).toBe(o.nurse);
    expect(at.stop.start).toBeCloseTo(o.start, 6);
    const pinned = applied.problem.visits.find((v) => v.id === found.visit)!.pinned;
    expect(pinned).toEqual({ nurse: o.nurse, start: o.start });
    expect(applied.plan.summary.cost - plan.summary.cost).toBeCloseTo(o.costChange, 6);
    const diff = diffPlans(plan, applied.plan, 1e-6);
    expect(diff.added).toEqual([found.visit]);
    expect(diff.moved).toEqual([]);
    expect(diff.retimed.map((r) => r.visit).sort()).toEqual(o.retimed.map((r) => r.visit).sort());
    expect(o.latestStart).toBeGreaterThanOrEqual(o.start);
  }
  return found.options.length;
}

describe('recommendations', () => {
  const day = fixture('had-5n-40v');
  const plan = solved(day);
  const locations = day.visits.map((v) => v.location as { lon: number; lat: number });
  const skills = [...new Set(day.nurses.flatMap((n) => n.skills ?? []))];

  it('every option of random new visits, applied, passes the checker where and at the cost it said', () => {
    let placed = 0;
    fc.assert(
      fc.property(
        fc.record({
          // Near a patient of the day (new patients live in the territory).
          near: fc.integer({ min: 0, max: day.visits.length - 1 }),
          dx: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
          dy: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
          duration: fc.integer({ min: 5, max: 60 }),
          open: fc.integer({ min: 420, max: 900 }),
          width: fc.integer({ min: 30, max: 300 }),
          skill: fc.option(fc.constantFrom(...skills), { nil: undefined }),
          preferred: fc.option(fc.constantFrom(...day.nurses.map((n) => n.id)), { nil: undefined }),
          optional: fc.boolean(),
        }),
        (g) => {
          const visit: VisitInput = {
            id: 'new-visit',
            location: { lon: locations[g.near].lon + g.dx, lat: locations[g.near].lat + g.dy },
            duration: g.duration,
            timeWindows: [{ start: g.open, end: g.open + g.width }],
            ...(g.skill !== undefined && { skills: [g.skill] }),
            ...(g.preferred !== undefined && { preferredNurses: [g.preferred] }),
            ...(g.optional && { optional: true }),
          };
          if (expectOptionsHold(day, plan, visit) > 0) placed++;
        },
      ),
      { numRuns: 25, seed: 7 },
    );
    expect(placed).toBeGreaterThanOrEqual(12); // not a test of nothing: many random visits fit somewhere
  });

  it('a left-out visit: its options, applied, pass the checker and take its penalty off', () => {
    // Every third visit optional at a penalty of 1: the search leaves out those that cost more.
    const p = validateProblem({
      ...day,
      visits: day.visits.map((v, k) => (k % 3 === 0 ? { ...v, optional: true, penalty: 1 } : v)),
    });
    const cheap = solved(p, 100);
    const out = cheap.unassigned.map((u) => u.visit);
    expect(out.length).toBeGreaterThan(3);
    let placed = 0;
    for (const id of out.slice(0, 6)) {
      if (expectOptionsHold(p, cheap, id, 2) === 0) continue;
      placed++;
      // Serving it takes its penalty off the plan's cost.
      expect(recommend(p, cheap, { visit: id, count: 1 }).options[0].terms.unassigned).toBeCloseTo(-1, 9);
    }
    expect(placed).toBeGreaterThan(0);
  });

  it('the medium day: options are distinct nurse-days first, best first, and hold', () => {
    const medium = fixture('had-60n-600v');
    const mplan = solved(medium, 100);
    const base = medium.visits[10];
    const visit: VisitInput = {
      id: 'discharge',
      location: base.location,
      duration: 30,
      timeWindows: [{ start: 780, end: 960 }],
    };
    const found = recommend(medium, mplan, { visit, count: 5 });
    expect(found.options).toHaveLength(5);
    expect(new Set(found.options.map((o) => `${o.nurse}/${o.shift ?? 0}`)).size).toBe(5);
    const costs = found.options.map((o) => o.costChange);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    expectOptionsHold(medium, mplan, visit, 2);
  });

  it("terms add up to the cost change, whatever the weights (a new optional visit's penalty never was in the plan)", () => {
    const weighted = validateProblem({ ...day, weights: { ...day.weights, unassigned: 3 } });
    const wplan = solved(weighted, 100);
    const visit: VisitInput = {
      id: 'opt',
      location: day.visits[5].location,
      duration: 15,
      optional: true,
      penalty: 50,
    };
    const found = recommend(weighted, wplan, { visit, count: 3 });
    expect(found.options.length).toBeGreaterThan(0);
    for (const o of found.options)
      expect(Object.values(o.terms).reduce((a, b) => a + b, 0)).toBeCloseTo(o.costChange, 6);
    expectOptionsHold(weighted, wplan, visit, 2);
  });

  it('a visit no nurse can do gets no option and the reason', () => {
    const found = recommend(day, plan, {
      visit: { id: 'x', location: day.visits[0].location, duration: 20, skills: ['no-such-skill'] },
    });
    expect(found.options).toEqual([]);
    expect(found.unassigned?.reason).toBe('skills');
  });

  it('refuses, with pointers: a bad visit, an unknown or planned id, a plan that does not fit, a bad count', () => {
    const planned = plan.routes[0].stops[0].visit;
    expect(
      issues(() => recommend(day, plan, { visit: { id: planned, location: { x: 0, y: 0 } } as VisitInput })),
    ).toContain(`E_DUPLICATE_ID /visit/id`);
    expect(issues(() => recommend(day, plan, { visit: { id: 'a', duration: -1 } as VisitInput }))).toEqual(
      expect.arrayContaining(['E_TYPE /visit/location', 'E_RANGE /visit/duration']),
    );
    expect(issues(() => recommend(day, plan, { visit: 'nobody' }))).toEqual(['E_UNKNOWN_REF /visit']);
    expect(issues(() => recommend(day, plan, { visit: planned }))).toEqual(['E_CONFLICT /visit']);
    const renamed = { ...plan, routes: [{ ...plan.routes[0], vehicle: 'ghost' }, ...plan.routes.slice(1)] };
    const visit: VisitInput = { id: 'n', location: day.visits[0].location, duration: 10 };
    expect(issues(() => recommend(day, renamed, { visit }))).toEqual([
      'E_UNKNOWN_REF /plan/routes/0/vehicle',
    ]);
    const late = {
      ...plan,
      routes: plan.routes.map((r, k) => (k === 0 ? { ...r, stops: [...r.stops].reverse() } : r)),
    };
    expect(issues(() => recommend(day, late, { visit }))).toEqual(['E_CONFLICT /plan/routes']);
    expect(issues(() => recommend(day, plan, { visit, count: 0 }))).toEqual(['E_RANGE /count']);
    expect(issues(() => applyRecommendation(day, plan, { visit, nurse: 'ghost', after: null }))).toEqual([
      'E_UNKNOWN_REF /nurse',
    ]);
    expect(
      issues(() =>
        applyRecommendation(day, plan, { visit, nurse: plan.routes[0].vehicle, after: 'nothing' }),
      ),
    ).toEqual(['E_UNKNOWN_REF /after']);
  });
});

describe('slot offers', () => {
  it('every offered slot, applied with the slot as its window, passes the checker; best first', () => {
    const week = fixture('example-week');
    const plan = solved(week);
    const visit: VisitInput = { id: 'booking', location: week.visits[2].location, duration: 45 };
    const offers = offerSlots(week, plan, { visit, length: 120, count: 8 });
    expect(offers.tried).toBeGreaterThan(offers.feasible);
    expect(offers.slots).toHaveLength(8);
    const costs = offers.slots.map((s) => s.option.costChange);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    for (const s of offers.slots) {
      expect(s.option.start).toBeGreaterThanOrEqual(s.start);
      expect(s.option.start).toBeLessThanOrEqual(s.end);
      expect(s.startTime).toMatch(/^2026-12-\d\dT\d\d:\d\d:00[+-]\d\d:00$/);
      const slotted = { ...visit, timeWindows: [{ start: s.start, end: s.end }] };
      const applied = applyRecommendation(week, plan, {
        visit: slotted,
        nurse: s.option.nurse,
        shift: s.option.shift,
        after: s.option.after,
      });
      expect(checkPlan(applied.problem, applied.plan).violations).toEqual([]);
    }
    // Clock times bound the slots; a slot range outside every shift offers nothing.
    const morning = offerSlots(week, plan, {
      visit,
      length: 60,
      from: '2026-12-08T08:00',
      to: '2026-12-08T12:00',
    });
    expect(morning.tried).toBe(4);
    for (const s of morning.slots) expect(s.option.date).toBe('2026-12-08');
    const night = offerSlots(week, plan, {
      visit,
      length: 60,
      from: '2026-12-08T23:00',
      to: '2026-12-09T04:00',
    });
    expect(night.slots).toEqual([]);
    expect(issues(() => offerSlots(week, plan, { visit, length: 0 }))).toEqual(['E_RANGE /length']);
    expect(issues(() => offerSlots(week, plan, { visit, length: 60, from: 'tuesday' }))).toEqual([
      'E_FORMAT /from',
    ]);
    expect(issues(() => offerSlots(week, plan, { visit, length: 60, step: 0.001 }))).toEqual([
      'E_LIMIT /step',
    ]);
  });
});

describe('recommendations for a recurring need', () => {
  const week = fixture('example-week');
  const plan = solved(week, 300);
  const dressing = {
    id: 'dressing',
    per: 'week' as const,
    times: 3,
    minDaysApart: 1,
    window: { start: '08:00', end: '12:00' },
    duration: 30,
    skills: ['RN'],
  };

  it("places every visit of a patient's new need; each option, applied, passes the checker at its cost", () => {
    const found = recommendNeed(week, plan, { patient: 'p-roux', care: dressing, count: 3 });
    expect(found.visits).toHaveLength(3);
    expect(found.options.length).toBeGreaterThan(0);
    for (const o of found.options) {
      expect(o.placements.map((p) => p.visit).sort()).toEqual([...found.visits].sort());
      const applied = applyNeed(week, plan, { patient: 'p-roux', care: dressing, first: o.first });
      expect(applied.option.placements).toEqual(o.placements); // the option shown, whatever the list
      expect(checkPlan(applied.problem, applied.plan).violations).toEqual([]);
      expect(applied.plan.summary.cost - plan.summary.cost).toBeCloseTo(o.costChange, 6);
      // At least a day apart, as the need asks.
      const days = o.placements.map((p) => p.date!).sort();
      expect(new Set(days).size).toBe(3);
    }
    // A new patient's need, and refusals pointing into the request.
    const fresh = recommendNeed(week, plan, {
      patient: { id: 'p-new', location: { lon: 3.05, lat: 50.63 } },
      care: { id: 'insulin', per: 'day', window: { start: '07:30', end: '09:30' }, duration: 15 },
      count: 2,
    });
    expect(fresh.visits.length).toBe(7);
    expect(fresh.options.length).toBeGreaterThan(0);
    expect(issues(() => recommendNeed(week, plan, { patient: 'nobody', care: dressing }))).toEqual([
      'E_UNKNOWN_REF /patient',
    ]);
    expect(
      issues(() =>
        recommendNeed(week, plan, { patient: 'p-roux', care: { ...dressing, per: 'month' as 'week' } }),
      ),
    ).toEqual(['E_RANGE /care/per']);
  });
});
