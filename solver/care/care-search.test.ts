import { describe, expect, it } from 'vitest';
import { generateHadDay } from '../../fixtures/generator/had-day.ts';
import { checkPlan } from '../check/check-plan.ts';
import { validateProblem } from '../model/validate.ts';
import { createStop } from '../search/stop.ts';
import { CareData } from './care-data.ts';
import { buildCarePlan } from './care-plan.ts';
import { careSearch } from './care-search.ts';

describe('home-care search', () => {
  it('every new best schedule it finds is a plan the independent checker accepts', () => {
    // A 500-visit day whose nurses have working-time limits the removals used to break.
    const day = validateProblem(generateHadDay({ nurses: 50, visits: 500, seed: 1 }));
    const data = new CareData(day);
    for (const seed of [2, 3]) {
      let best = Infinity; // the search's best: its first report, then every better step
      let checked = 0;
      careSearch(data, {
        seed,
        stop: createStop({ iterations: 700 }),
        onImprovement: (e) => (best = Math.min(best, e.cost)),
        afterStep: (sched, iteration) => {
          if (sched.cost >= best - 1e-9) return;
          best = sched.cost;
          checked++;
          const { violations } = checkPlan(day, buildCarePlan(data, sched));
          expect({ seed, iteration, violations }).toEqual({ seed, iteration, violations: [] });
        },
      });
      expect(checked).toBeGreaterThan(5);
    }
  });

  it('on a day with more visits than nurses can take, every new best schedule still passes the checker', () => {
    // 20 nurses for 400 visits: dozens stay out, and those carried over are offered only the
    // routes each step changed.
    const day = validateProblem(generateHadDay({ nurses: 20, visits: 400, seed: 4 }));
    const data = new CareData(day);
    let best = Infinity;
    let out = 0;
    careSearch(data, {
      seed: 1,
      stop: createStop({ iterations: 400 }),
      onImprovement: (e) => (best = Math.min(best, e.cost)),
      afterStep: (sched, iteration) => {
        if (sched.cost >= best - 1e-9) return;
        best = sched.cost;
        const plan = buildCarePlan(data, sched);
        out = plan.unassigned.length;
        expect({ iteration, violations: checkPlan(day, plan).violations }).toEqual({
          iteration,
          violations: [],
        });
      },
    });
    expect(out).toBeGreaterThan(10);
  });

  it('a search that ends with breaks unplaced still hands out a plan keeping every hard rule', () => {
    // Blinking at 90% the recreate skips most positions: the best schedule found still pays for
    // working nurses' missing lunch breaks, and the final repair makes room for them.
    const day = validateProblem(generateHadDay({ nurses: 60, visits: 600, seed: 1 }));
    const data = new CareData(day);
    const { best } = careSearch(data, { seed: 1, blinkRate: 0.9, stop: createStop({ iterations: 300 }) });
    const plan = buildCarePlan(data, best);
    expect(checkPlan(day, plan).violations).toEqual([]);
    expect(plan.unassigned.length).toBeGreaterThan(0);
  });

  it("with the 'vehicles' objective, uses fewer nurses, then the weighted sum; the plan's cost leaves the nurse-days' weight out", () => {
    const day = validateProblem(generateHadDay({ nurses: 30, visits: 150, seed: 6 }));
    const working = (p: ReturnType<typeof buildCarePlan>) =>
      p.routes.filter((r) => r.stops.length > 0).length;
    const plans = (['duration', 'vehicles'] as const).map((objective) => {
      const data = new CareData({ ...day, objective });
      const costs: number[] = [];
      const { best } = careSearch(data, {
        seed: 1,
        stop: createStop({ iterations: 1500 }),
        onImprovement: (e) => costs.push(e.cost),
      });
      const plan = buildCarePlan(data, best);
      expect(checkPlan(day, plan).violations).toEqual([]);
      expect(costs.at(-1)).toBeCloseTo(plan.summary.cost, 6);
      return plan;
    });
    expect(working(plans[1])).toBeLessThan(working(plans[0]) - 2);
    expect(plans[1].unassigned.filter((u) => !day.visits.find((v) => v.id === u.visit)?.optional)).toEqual(
      [],
    );
  });
});
