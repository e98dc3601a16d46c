export type * from './model/input.ts';
export { InputError, type InputIssue, type InputErrorCode } from './model/errors.ts';
export { findProblemIssues, validateProblem } from './model/validate.ts';
export { parseSolomon, looksLikeSolomon } from './io/solomon.ts';
export { ProblemData, TIME_SCALE, COST_SCALE } from './structures/problem-data.ts';
export { createStop, type StopCondition, type StopOptions } from './structures/stop.ts';
export { solve, solveData, type SolveOptions, type SolveOutcome } from './solve.ts';
export type { Plan, PlanRoute, PlanStop, PlanSummary, PlanUnassigned } from './plan/plan.ts';
export type { Improvement } from './algorithms/ruin-recreate-search.ts';
