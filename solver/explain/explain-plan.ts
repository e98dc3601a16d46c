import { CareData } from '../care/care-data.ts';
import { explainCareUnassigned } from '../care/unassigned-reasons.ts';
import type { ProblemInput } from '../model/input.ts';
import type { Plan, PlanUnassigned } from '../model/plan.ts';
import { schedulePlan } from './plan-model.ts';
import { suggestionsFor } from './suggestions.ts';

/**
 * Why each visit of the problem a plan leaves out is out, and what would let it in: the reason
 * found by testing it against each nurse, and the suggestions, each verified on the plan as it
 * is (`hhc explain`). Works on any native problem and any plan of it, including plans of the
 * core engine and plans made before suggestions existed.
 */
export function explainPlan(problem: ProblemInput, plan: Plan): PlanUnassigned[] {
  const data = new CareData(problem, { validated: true, lazyTravel: true });
  const sched = schedulePlan(data, plan);
  const out: PlanUnassigned[] = [];
  for (let v = 0; v < data.nv; v++) {
    if (sched.routeOf[v] >= 0 || data.frozen[v] === 1) continue;
    const suggestions = suggestionsFor(data, sched, v);
    out.push({ ...explainCareUnassigned(data, sched, v), ...(suggestions.length > 0 && { suggestions }) });
  }
  return out;
}
