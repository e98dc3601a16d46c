import { buildCarePlan } from '../care/care-plan.ts';
import { withClockTimes } from '../calendar/plan-clock.ts';
import { InputError } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { validateProblem } from '../model/validate.ts';
import { describeInsertion, type InsertionOption, type Position } from './insertion-option.ts';
import { withSuggestions } from './suggestions.ts';
import { buildPlanModel, type PlanModel, type VisitToPlace } from './plan-model.ts';

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
export function applyRecommendation(
  problem: ProblemInput,
  plan: Plan,
  choice: RecommendationChoice,
): AppliedRecommendation {
  const pinned = pinChoice(problem, plan, choice);
  return { ...pinned, plan: placeChosen(pinned.problem, plan, pinned.visit, choice) };
}

/**
 * The next problem of a chosen option, without its plan (the service stores it and its job
 * makes the plan): the visit added or named, pinned to the option's nurse and start; and the
 * option as `recommend` describes it. Refused like `applyRecommendation`.
 */
export function pinChoice(
  problem: ProblemInput,
  plan: Plan,
  choice: RecommendationChoice,
): { problem: ProblemInput; option: InsertionOption; visit: string } {
  const m = buildPlanModel(problem, plan, choice.visit);
  const { data, v } = m;
  const { r, p } = choicePosition(m, choice);
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
  let next: ProblemInput;
  try {
    next = validateProblem({ ...problem, visits });
  } catch (e) {
    // Issues of the visit point into the request's visit.
    if (!(e instanceof InputError)) throw e;
    const k = visits.findIndex((x) => x.id === id);
    const at = `/visits/${k}`;
    throw new InputError(
      e.issues.map((i) =>
        i.where === at || i.where.startsWith(`${at}/`)
          ? { ...i, where: `/visit${i.where.slice(at.length)}` }
          : i,
      ),
    );
  }
  return { problem: next, option, visit: id };
}

/** The route and position a choice names (nurse, shift, the task it comes after) in the model; refused with a pointer into the choice. */
export function choicePosition(m: PlanModel, choice: Omit<RecommendationChoice, 'visit'>): Position {
  const { data, sched } = m;
  let r = -1;
  for (let q = 0; q < data.V; q++)
    if (
      data.input.nurses[data.routeNurse[q]].id === choice.nurse &&
      data.routeShift[q] === (choice.shift ?? 0)
    )
      r = q;
  const nurse = data.input.nurses.find((n) => n.id === choice.nurse);
  if (nurse?.shifts !== undefined && choice.shift === undefined)
    throw new InputError([
      {
        code: 'E_MISSING',
        where: '/shift',
        message: `nurse '${choice.nurse}' has shifts: name the option's shift`,
      },
    ]);
  if (r < 0) {
    const known = nurse !== undefined;
    throw new InputError([
      known
        ? {
            code: 'E_UNKNOWN_REF',
            where: '/shift',
            message: `nurse '${choice.nurse}' has no shift ${choice.shift ?? 0}`,
          }
        : { code: 'E_UNKNOWN_REF', where: '/nurse', message: `no nurse '${choice.nurse}'` },
    ]);
  }
  if (choice.after === null) return { r, p: 0 };
  const k = sched.routes[r].findIndex((x) => data.taskId[x] === choice.after);
  if (k < 0)
    throw new InputError([
      {
        code: 'E_UNKNOWN_REF',
        where: '/after',
        message: `'${choice.after}' is not in that nurse-day of the plan`,
      },
    ]);
  return { r, p: k + 1 };
}

/**
 * The plan of an applied recommendation, from the next problem (the visit already pinned, as
 * `applyRecommendation` made it) and the plan it was chosen on: the visit put where the choice
 * says, every other visit kept in its nurse's order (the service's workers make the new version
 * this way). Refused (E_CONFLICT) when it does not fit there.
 */
export function placeChosen(
  problem: ProblemInput,
  plan: Plan,
  visit: string,
  choice: Omit<RecommendationChoice, 'visit'>,
): Plan {
  const m = buildPlanModel(problem, plan, visit);
  const { r, p } = choicePosition(m, choice);
  if (m.sched.evaluateInsert(m.v, r, p) === Infinity)
    throw new InputError([
      { code: 'E_CONFLICT', where: '/after', message: `visit '${visit}' does not fit there` },
    ]);
  m.sched.insert(m.v, r, p);
  return withClockTimes(withSuggestions(buildCarePlan(m.data, m.sched), m.data, m.sched), problem);
}
