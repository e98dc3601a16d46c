import { CareData } from '../care/care-data.ts';
import { buildCarePlan } from '../care/care-plan.ts';
import { Schedule } from '../care/schedule.ts';
import { careWarmStart, careWarmStartTasks } from '../care/warm-start.ts';
import { withClockTimes } from '../calendar/plan-clock.ts';
import { InputError } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { validateProblem } from '../model/validate.ts';
import { describeInsertion, type InsertionOption } from './insertion-option.ts';
import { buildPlanModel, type VisitToPlace } from './plan-model.ts';

/** A chosen option: the visit, the nurse-day and the task it comes after (as a recommendation names them). */
export interface RecommendationChoice {
  visit: VisitToPlace;
  nurse: string;
  shift?: number;
  after: string | null;
}

export interface AppliedRecommendation {
  /** The problem with the visit added (or named) and pinned to the nurse at the option's start. */
  problem: ProblemInput;
  /** The plan with the visit in place; every other visit keeps its nurse and order. */
  plan: Plan;
  option: InsertionOption;
}

/**
 * Puts the visit where the choice says, as `recommend` described it: the next problem pins it
 * (`pinned: {nurse, start}`, a coordinator's decision that later re-plans keep) and the next
 * plan is the plan with it in place, scheduled again. Refused (E_UNKNOWN_REF, E_CONFLICT, with
 * a pointer into the choice) when the nurse-day or the task does not exist, or when the visit no
 * longer fits there.
 */
export function applyRecommendation(problem: ProblemInput, plan: Plan, choice: RecommendationChoice): AppliedRecommendation {
  const m = buildPlanModel(problem, plan, choice.visit);
  const { data, sched, v } = m;
  let r = -1;
  for (let q = 0; q < data.V; q++)
    if (data.input.nurses[data.routeNurse[q]].id === choice.nurse && data.routeShift[q] === (choice.shift ?? 0)) r = q;
  if (r < 0) {
    const known = data.input.nurses.some((n) => n.id === choice.nurse);
    throw new InputError([
      known
        ? { code: 'E_UNKNOWN_REF', where: '/shift', message: `nurse '${choice.nurse}' has no shift ${choice.shift ?? 0}` }
        : { code: 'E_UNKNOWN_REF', where: '/nurse', message: `no nurse '${choice.nurse}'` },
    ]);
  }
  let p = 0;
  if (choice.after !== null) {
    const k = sched.routes[r].findIndex((x) => data.taskId[x] === choice.after);
    if (k < 0)
      throw new InputError([
        { code: 'E_UNKNOWN_REF', where: '/after', message: `'${choice.after}' is not in that nurse-day of the plan` },
      ]);
    p = k + 1;
  }
  const option = describeInsertion(m, { r, p });
  if (option === null)
    throw new InputError([
      {
        code: 'E_CONFLICT',
        where: '/after',
        message: `the visit does not fit there in this plan: ask for recommendations again`,
      },
    ]);
  const id = data.taskId[v];
  const pinned = { nurse: choice.nurse, start: option.start };
  const visits = m.isNew
    ? [...problem.visits, { ...(choice.visit as object), pinned } as ProblemInput['visits'][number]]
    : problem.visits.map((x) => (x.id === id ? { ...x, pinned } : x));
  const next = validateProblem({ ...problem, visits });
  // The model's routes with the visit in place (and the breaks it brings), on the next problem.
  sched.insert(v, r, p);
  const nextData = new CareData(next, { validated: true, related: 0 });
  const x = nextData.visitIndex.get(id)!;
  const nextSched = new Schedule(nextData);
  if (!nextSched.setRoutes(careWarmStartTasks(nextData, careWarmStart(data, sched.routes))) || nextSched.routeOf[x] !== r)
    throw new Error(`the pinned visit '${id}' does not take the place its option found`);
  return { problem: next, plan: withClockTimes(buildCarePlan(nextData, nextSched), next), option };
}
