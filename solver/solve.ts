import { ruinRecreateSearch, type Improvement } from './algorithms/ruin-recreate-search.ts';
import { CareData } from './care/care-data.ts';
import { buildCarePlan } from './care/care-plan.ts';
import { careSearch } from './care/care-search.ts';
import { usesCareModel } from './care/uses-care-model.ts';
import type { ObjectiveName, ProblemInput } from './model/input.ts';
import { validateProblem } from './model/validate.ts';
import { buildPlan, type Plan } from './plan/plan.ts';
import { COST_SCALE, ProblemData } from './structures/problem-data.ts';
import type { StopCondition } from './structures/stop.ts';

export interface SolveOptions {
  seed?: number;
  objective?: ObjectiveName;
  stop: StopCondition;
  /** Called on each new best solution; `cost` is in the input's units (as `summary.cost`, for mandatory visits left out plus a large penalty each). */
  onImprovement?: (e: Improvement) => void;
  /** Local search after every ruin-and-recreate step (default true). */
  localSearch?: boolean;
  /**
   * Set-partitioning recombination of a pool of good routes every `every` iterations (off by
   * default: javascript-lp-solver's branch and bound has no deterministic bound on its time,
   * see README "Set-partitioning recombination").
   */
  recombine?: { every: number; poolSize?: number };
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
  const input = validateProblem(raw);
  if (usesCareModel(input)) {
    const data = new CareData(options.objective ? { ...input, objective: options.objective } : input);
    const result = careSearch(data, {
      seed: options.seed,
      stop: options.stop,
      onImprovement: options.onImprovement,
    });
    return {
      plan: buildCarePlan(data, result.best),
      iterations: result.iterations,
      searchCost: result.cost,
      engine: 'care',
    };
  }
  const data = new ProblemData(input, { objective: options.objective });
  return solveData(data, options);
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
  });
  return {
    plan: buildPlan(data, result.best),
    iterations: result.iterations,
    searchCost: result.cost,
    engine: 'core',
  };
}
