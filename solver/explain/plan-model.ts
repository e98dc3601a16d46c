import { CareData } from '../care/care-data.ts';
import { buildCarePlan } from '../care/care-plan.ts';
import { Schedule } from '../care/schedule.ts';
import { careWarmStartTasks } from '../care/warm-start.ts';
import { InputError, type InputIssue } from '../model/errors.ts';
import type { ProblemInput, VisitInput } from '../model/input.ts';
import type { Plan } from '../model/plan.ts';
import { validateProblem } from '../model/validate.ts';
import { warmStartFromPlan } from '../solve.ts';

/**
 * A stored plan as the home-care engine sees it, with one visit out of it to place: the problem
 * (plus the visit, when it is new) in the engine's arrays, and the plan's routes scheduled again
 * (each visit as early as the rules let it start, as the solver plans them). The base of
 * recommendations, slot offers and suggestions: every what-if is an exact evaluation on it.
 */
export interface PlanModel {
  data: CareData;
  sched: Schedule;
  /** The visit to place (task index), out of every route. */
  v: number;
  /** Whether the visit was given (new), rather than named among the problem's visits. */
  isNew: boolean;
  /** The plan as the model schedules it (the new visit left out). */
  before: Plan;
  /**
   * The cost the options' `costChange` is measured from: the plan's `summary.cost` as it is,
   * without a new visit's penalty (the plan knew nothing of it).
   */
  baselineCost: number;
}

/** Where the visit to place comes from: a visit to add, or the id of one of the problem's visits. */
export type VisitToPlace = VisitInput | string;

/**
 * Builds the model of `plan` for `problem` (validated) and the visit to place. Refused with
 * pointers: a new visit that is invalid or reuses an id (`/visit…`), an id the problem does not
 * have or that the plan already serves (`/visit`), a plan that does not fit the problem
 * (`/plan…`: an unknown nurse or visit, routes no schedule can keep).
 */
export function buildPlanModel(
  problem: ProblemInput,
  plan: Plan,
  visit: VisitToPlace,
  options: { pointer?: string; problemOverride?: (p: ProblemInput) => ProblemInput } = {},
): PlanModel {
  const at = options.pointer ?? '/visit';
  const isNew = typeof visit !== 'string';
  let input = problem;
  if (isNew) input = { ...problem, visits: [...problem.visits, visit] };
  if (options.problemOverride) input = options.problemOverride(input);
  if (isNew) input = validateWithVisit(input, problem.visits.length, at);
  const data = new CareData(input, { validated: true, lazyTravel: true });
  const id = isNew ? visit.id : visit;
  const v = data.visitIndex.get(id);
  if (v === undefined)
    throw new InputError([{ code: 'E_UNKNOWN_REF', where: at, message: `no visit with id '${id}'` }]);
  if (data.frozen[v] === 1)
    throw new InputError([{ code: 'E_CONFLICT', where: at, message: `visit '${id}' is done or under way` }]);
  const sched = schedulePlan(data, plan, (routes) => {
    if (routes.some((r) => r.includes(v)))
      throw new InputError([
        {
          code: 'E_CONFLICT',
          where: at,
          message: `visit '${id}' is already in the plan (a re-plan with a pin moves it)`,
        },
      ]);
  });
  const before = buildCarePlan(data, sched);
  const penalty = isNew && data.mandatory[v] === 0 ? data.penalty[v] : 0;
  return { data, sched, v, isNew, before, baselineCost: before.summary.cost - penalty };
}

/**
 * The plan's routes scheduled on the engine's data (each visit as early as the rules let it
 * start), with the breaks of nurses who have no visit placed in their day. Refused with
 * pointers into `/plan` when the plan names what the problem does not have or breaks a rule.
 * `inspect` sees the routes (task indices) before they are scheduled.
 */
export function schedulePlan(data: CareData, plan: Plan, inspect?: (routes: number[][]) => void): Schedule {
  checkPlanNames(data, plan);
  const sched = new Schedule(data);
  const routes = careWarmStartTasks(data, warmStartFromPlan(plan));
  inspect?.(routes);
  if (!sched.setRoutes(routes))
    throw new InputError([
      {
        code: 'E_CONFLICT',
        where: '/plan/routes',
        message: 'the plan does not fit the problem: its routes break a window, a shift or a timing rule',
      },
    ]);
  placeBreaks(data, sched);
  return sched;
}

/**
 * Breaks the plan does not list (a nurse without visits takes none) go into their nurse's day
 * where they cost least, as the search keeps them: a visit given to her then comes with her break.
 */
function placeBreaks(data: CareData, sched: Schedule): void {
  for (let x = data.nv; x < data.n; x++) {
    if (data.isBreak[x] === 0 || sched.routeOf[x] >= 0) continue;
    let best = { delta: Infinity, r: -1, p: -1 };
    for (let r = 0; r < data.V; r++) {
      if (!sched.canInsertInto(x, r)) continue;
      for (let p = 0; p <= sched.routes[r].length; p++) {
        const delta = sched.evaluateInsertAt(x, r, p);
        if (delta < best.delta) best = { delta, r, p };
      }
    }
    if (best.r >= 0) sched.insert(x, best.r, best.p);
  }
}

/** The problem with the new visit last, validated; its issues point into `at` (the request's visit). */
function validateWithVisit(input: ProblemInput, k: number, at: string): ProblemInput {
  try {
    return validateProblem(input);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const prefix = `/visits/${k}`;
    const mine = (i: InputIssue) => i.where === prefix || i.where.startsWith(`${prefix}/`);
    const issues = e.issues.filter(mine).map((i) => ({ ...i, where: at + i.where.slice(prefix.length) }));
    throw new InputError(issues.length > 0 ? issues : e.issues);
  }
}

/** Every route of the plan names a nurse (and shift) of the problem, every stop one of its visits, once. */
function checkPlanNames(data: CareData, plan: Plan): void {
  const issues: InputIssue[] = [];
  const nurses = new Map(data.input.nurses.map((n) => [n.id, n]));
  const seen = new Set<string>();
  plan.routes.forEach((route, i) => {
    const nurse = nurses.get(route.vehicle);
    if (nurse === undefined)
      issues.push({
        code: 'E_UNKNOWN_REF',
        where: `/plan/routes/${i}/vehicle`,
        message: `no nurse '${route.vehicle}'`,
      });
    else if (
      route.shift !== undefined &&
      (nurse.shifts === undefined || nurse.shifts[route.shift] === undefined)
    )
      issues.push({
        code: 'E_UNKNOWN_REF',
        where: `/plan/routes/${i}/shift`,
        message: `nurse '${route.vehicle}' has no shift ${route.shift}`,
      });
    route.stops.forEach((stop, k) => {
      const where = `/plan/routes/${i}/stops/${k}/visit`;
      if (!data.visitIndex.has(stop.visit))
        issues.push({ code: 'E_UNKNOWN_REF', where, message: `no visit '${stop.visit}' in the problem` });
      else if (seen.has(stop.visit))
        issues.push({ code: 'E_DUPLICATE_ID', where, message: `visit '${stop.visit}' is planned twice` });
      seen.add(stop.visit);
    });
  });
  if (issues.length > 0) throw new InputError(issues);
}
