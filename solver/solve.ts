import { ruinRecreateSearch } from './core/core-search.ts';
import { warmStartNodes } from './core/warm-start.ts';
import type { Improvement, WarmStart } from './search/improvement.ts';
import { withClockTimes } from './calendar/plan-clock.ts';
import { CareData } from './care/care-data.ts';
import { buildCarePlan } from './care/care-plan.ts';
import { careSearch } from './care/care-search.ts';
import { usesCareModel } from './care/uses-care-model.ts';
import { withSuggestions } from './explain/suggestions.ts';
import { careWarmStartTasks } from './care/warm-start.ts';
import type { ObjectiveName, ProblemInput } from './model/input.ts';
import { validateProblem } from './model/validate.ts';
import { buildPlan } from './core/core-plan.ts';
import type { Plan, PlanRoute } from './model/plan.ts';
import { COST_SCALE, ProblemData } from './core/problem-data.ts';
import { createStop, offsetStop, type StopCondition, stopPhase } from './search/stop.ts';
import { simulatePlan } from './robust/simulate.ts';
import { atQuantile, hasSpread } from './robust/spread.ts';

export type { WarmStart } from './search/improvement.ts';

export interface SolveOptions {
  seed?: number;
  objective?: ObjectiveName;
  stop: StopCondition;
  /** Called on each new best solution; `cost` is in the input's units (as `summary.cost`, for mandatory visits left out plus a large penalty each). */
  onImprovement?: (e: Improvement) => void;
  /**
   * Local search: time-window routing runs it after every ruin-and-recreate step where the
   * first solution's routes average 12 visits or more or the problem has fewer than 100 visits,
   * and not on shorter routes of larger problems, where many more steps pay, though their best
   * solution gets one at the end (default; true or false forces it, false with none at the
   * end). Home care runs it on the first and on the final best schedule (default true).
   * docs/solver.md.
   */
  localSearch?: boolean;
  /**
   * Set-partitioning recombination of a pool of good routes every `every` iterations (off by
   * default: javascript-lp-solver's branch and bound has no deterministic bound on its time,
   * see docs/benchmarks.md "Set-partitioning recombination").
   */
  recombine?: { every: number; poolSize?: number };
  /**
   * Start from this solution instead of building one (a checkpoint, e.g. the last
   * `Improvement.solution()` of an interrupted run, or `warmStartFromPlan` of a plan): each
   * nurse's visits are put in the given order where they fit, every other visit by the usual
   * construction, then the search goes on. A stale or partial warm start is never an error (see
   * WarmStart). Taken as given, the first improvement (iteration 0) has the warm start's cost.
   */
  initial?: WarmStart;
}

export interface SolveOutcome {
  plan: Plan;
  iterations: number;
  /** Cost of the best solution in the engine's own units (integer for the core, for tests and benchmarks). */
  searchCost: number;
  /** Which engine solved it: 'core' (time-window routing) or 'care' (home-care model). */
  engine: 'core' | 'care';
}

/** Validates, normalizes and solves a native problem; the plan is in the input's own units. */
export function solve(raw: ProblemInput, options: SolveOptions): SolveOutcome {
  return solveValidated(validateProblem(raw), options);
}

/**
 * Solves a problem as `validateProblem` returned it (checked, its times as numbers, recurring
 * care made into visits), without validating it again: for a caller that validated it already
 * (the service checks a problem when it is submitted and stores what validation returned).
 * Anything else is `solve`'s.
 */
export function solveValidated(input: ProblemInput, options: SolveOptions): SolveOutcome {
  if (!hasSpread(input)) return solveAsGiven(input, options);
  // Uncertain times: with a confidence, routes are chosen with every time at that quantile,
  // then timed as planned (a route that holds at p90 holds at the median); the plan says how
  // often it keeps its windows.
  let outcome: SolveOutcome;
  if (input.confidence === undefined) outcome = solveAsGiven(input, options);
  else outcome = solveProtected(input, input.confidence, options);
  const sim = simulatePlan(input, outcome.plan, { scenarios: SUMMARY_SCENARIOS, seed: 1 });
  const simulation = {
    scenarios: sim.scenarios,
    seed: sim.seed,
    overtimeRisk: sim.overtimeRisk,
    expectedLateness: sim.expectedLateness,
    ...(input.confidence !== undefined && { confidence: input.confidence }),
  };
  return {
    ...outcome,
    plan: { ...outcome.plan, summary: { ...outcome.plan.summary, onTimeRate: sim.onTimeRate, simulation } },
  };
}

/** The share of the budget spent protecting at the chosen confidence before the search may lower it. */
const PROTECTED_SHARE = 0.7;

/**
 * Routes chosen with every time at quantile q, timed as planned. The budget's first 70% search
 * at q; the rest goes on from there, at q while the protected routes, timed as planned, keep
 * every mandatory visit, else halfway to the median (a day too full to protect every visit at q
 * keeps them all at a lower confidence rather than leaving one out); the better of the two by
 * mandatory visits left out, then by the search's cost, is kept.
 */
function solveProtected(input: ProblemInput, q: number, options: SolveOptions): SolveOutcome {
  const timed = (plan: Plan) =>
    solveAsGiven(input, {
      ...options,
      initial: warmStartFromPlan(plan),
      stop: createStop({ iterations: 0 }),
      localSearch: false,
      onImprovement: undefined,
    });
  const mandatory = new Set(input.visits.filter((v) => v.optional !== true).map((v) => v.id));
  // Mandatory visits left out that some nurse could do alone (not those no nurse ever could).
  const leftOut = (plan: Plan) =>
    plan.unassigned.filter(
      (u) => mandatory.has(u.visit) && u.reason !== 'skills' && u.reason !== 'time_window',
    ).length;
  const first = solveAsGiven(atQuantile(input, q), {
    ...options,
    stop: stopPhase(options.stop, 0, PROTECTED_SHARE),
  });
  const firstTimed = timed(first.plan);
  // A step number the stop has not seen: it reads the clock again (it caches per step).
  const next = first.iterations + 1;
  if (options.stop.shouldStop(next) || options.stop.progress(next) > 0.95)
    return { ...firstTimed, iterations: first.iterations };
  const q2 = leftOut(firstTimed.plan) === 0 ? q : 0.5 + (q - 0.5) / 2;
  const second = solveAsGiven(atQuantile(input, q2), {
    ...options,
    initial: warmStartFromPlan(first.plan),
    stop: stopPhase(offsetStop(options.stop, next), PROTECTED_SHARE, 1),
    onImprovement:
      options.onImprovement && ((e) => options.onImprovement!({ ...e, iteration: e.iteration + next })),
  });
  const secondTimed = timed(second.plan);
  const iterations = first.iterations + second.iterations;
  const better =
    leftOut(secondTimed.plan) < leftOut(firstTimed.plan) ||
    (leftOut(secondTimed.plan) === leftOut(firstTimed.plan) &&
      q2 === q &&
      second.searchCost <= first.searchCost);
  return { ...(better ? secondTimed : firstTimed), iterations };
}

/** Sampled days behind a plan's `summary.onTimeRate` (`hhc simulate` runs more). */
const SUMMARY_SCENARIOS = 200;

function solveAsGiven(input: ProblemInput, options: SolveOptions): SolveOutcome {
  if (usesCareModel(input)) {
    const data = new CareData(options.objective ? { ...input, objective: options.objective } : input, {
      validated: true,
    });
    const result = careSearch(data, {
      seed: options.seed,
      stop: options.stop,
      onImprovement: options.onImprovement,
      localSearch: options.localSearch,
      initial: options.initial && careWarmStartTasks(data, options.initial),
    });
    return {
      plan: withClockTimes(withSuggestions(buildCarePlan(data, result.best), data, result.best), input),
      iterations: result.iterations,
      searchCost: result.cost,
      engine: 'care',
    };
  }
  const data = new ProblemData(input, { objective: options.objective, validated: true });
  const outcome = solveData(data, options);
  return { ...outcome, plan: withClockTimes(outcome.plan, input) };
}

export function solveData(data: ProblemData, options: SolveOptions): SolveOutcome {
  const result = ruinRecreateSearch(data, {
    seed: options.seed,
    stop: options.stop,
    onImprovement:
      options.onImprovement && ((e) => options.onImprovement!({ ...e, cost: e.cost / COST_SCALE })),
    localSearch: options.localSearch,
    recombineEvery: options.recombine?.every,
    poolSize: options.recombine?.poolSize,
    initial: options.initial && warmStartNodes(data, options.initial),
  });
  return {
    plan: buildPlan(data, result.best),
    iterations: result.iterations,
    searchCost: result.cost,
    engine: 'core',
  };
}

/**
 * A plan's routes as a warm start: each nurse's visits in order, with her breaks and unavailable
 * periods (home-care plans) where the plan takes them; frozen visits are left out.
 */
export function warmStartFromPlan(plan: Pick<Plan, 'routes'>): WarmStart {
  return {
    routes: plan.routes.map((route) => ({
      vehicle: route.vehicle,
      ...(route.shift !== undefined && { shift: route.shift }),
      visits: planTasks(route),
    })),
  };
}

function planTasks(route: PlanRoute): string[] {
  const breaks = route.breaks ?? [];
  const after = (id: string | null) => breaks.filter((b) => b.after === id).map((b) => b.id);
  const out = after(null);
  for (const stop of route.stops) {
    // A frozen visit is not a task (it stays as it is), but a break taken after it is.
    if (stop.frozen === true) out.push(...after(stop.visit));
    else out.push(stop.visit, ...after(stop.visit));
  }
  return out;
}
