import { buildCarePlan } from '../care/care-plan.ts';
import { withClockTimes } from '../calendar/plan-clock.ts';
import { InputError } from '../model/errors.ts';
import type { ProblemInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { validateProblem } from '../model/validate.ts';
import { describeInsertion, type InsertionOption, type Position } from './insertion-option.ts';
import { withSuggestions } from './suggestions.ts';
import { buildPlanModel, type PlanModel, schedulePlan, type VisitToPlace } from './plan-model.ts';
import { CareData } from '../care/care-data.ts';

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
  return { ...pinned, plan: placeChosen(pinned.problem, plan, [{ ...choice, visit: pinned.visit }]) };
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
  const r = nurseDay(data, choice.nurse, choice.shift);
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

/** Where a chosen visit goes: its nurse-day and the task it comes right after once every chosen visit is in. */
export interface ChosenPlace {
  visit: string;
  nurse: string;
  shift?: number;
  after: string | null;
}

/**
 * The plan of an applied recommendation, from the next problem (the visits already pinned, as
 * `applyRecommendation` or `applyNeed` made it) and the plan they were chosen on: each visit put
 * where its place says, every other visit kept in its nurse's order (the service's workers make
 * the new version this way). Places naming a chosen visit as `after` wait for it. Refused
 * (E_CONFLICT) when a visit does not fit there.
 */
export function placeChosen(problem: ProblemInput, plan: Plan, places: readonly ChosenPlace[]): Plan {
  const data = new CareData(problem, { validated: true, lazyTravel: true });
  const sched = schedulePlan(data, plan);
  const left = [...places];
  while (left.length > 0) {
    const k = left.findIndex((x) => x.after === null || !left.some((y) => y.visit === x.after));
    const place = left.splice(Math.max(k, 0), 1)[0];
    const v = data.visitIndex.get(place.visit);
    if (v === undefined || sched.routeOf[v] >= 0)
      throw new InputError([
        { code: 'E_CONFLICT', where: '/visit', message: `visit '${place.visit}' is not one to place` },
      ]);
    const r = nurseDay(data, place.nurse, place.shift);
    const at =
      r < 0 || place.after === null ? -1 : sched.routes[r].findIndex((x) => data.taskId[x] === place.after);
    // After a task that is not in her day: refused, never put first instead.
    const p = r < 0 ? -1 : place.after === null ? 0 : at < 0 ? -1 : at + 1;
    if (r < 0 || p < 0 || sched.evaluateInsert(v, r, p) === Infinity)
      throw new InputError([
        { code: 'E_CONFLICT', where: '/after', message: `visit '${place.visit}' does not fit there` },
      ]);
    sched.insert(v, r, p);
  }
  return withClockTimes(withSuggestions(buildCarePlan(data, sched), data, sched), problem);
}

/** The route (nurse-day) of a nurse's shift (her only one when none is named); -1 when there is none. */
export function nurseDay(data: CareData, nurse: string, shift: number | undefined): number {
  for (let q = 0; q < data.V; q++)
    if (data.input.nurses[data.routeNurse[q]].id === nurse && data.routeShift[q] === (shift ?? 0)) return q;
  return -1;
}
