import { ruinRecreateSearch, type Improvement } from './algorithms/ruin-recreate-search.ts';
import type { ObjectiveName, ProblemInput } from './model/input.ts';
import { buildPlan, type Plan } from './plan/plan.ts';
import { ProblemData } from './structures/problem-data.ts';
import type { StopCondition } from './structures/stop.ts';

export interface SolveOptions {
  seed?: number;
  objective?: ObjectiveName;
  stop: StopCondition;
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
  /** Internal integer cost of the best solution (search units, for tests and benchmarks). */
  searchCost: number;
}

/** Validates, normalizes and solves a native problem; the plan is in the input's own units. */
export function solve(input: ProblemInput, options: SolveOptions): SolveOutcome {
  const data = new ProblemData(input, { objective: options.objective });
  return solveData(data, options);
}

export function solveData(data: ProblemData, options: SolveOptions): SolveOutcome {
  const result = ruinRecreateSearch(data, {
    seed: options.seed,
    stop: options.stop,
    onImprovement: options.onImprovement,
    localSearch: options.localSearch,
    recombineEvery: options.recombine?.every,
    poolSize: options.recombine?.poolSize,
  });
  return { plan: buildPlan(data, result.best), iterations: result.iterations, searchCost: result.cost };
}
