import os from 'node:os';
import { Piscina } from 'piscina';
import type { Plan, ProblemLimits } from '../solver/index.ts';
import type { ChangesAsGiven, CheckResult, CheckTask } from './problem-check-task.ts';
import type {
  ApplyBody,
  ApplyResult,
  ExportResult,
  RecommendationsBody,
  RecommendResult,
} from './recommend-task.ts';
import type { SimulationReport } from '../solver/robust/simulate.ts';
import type { ThreadRoad } from '../solver/model/road-places.ts';

/** Checks problems off the event loop. */
export interface ProblemChecker {
  /** A submitted body (JSON bytes): parsed, depth-checked and validated in a thread. */
  /** `format`: a VROOM request, or a CSV or FHIR body whose visits go into `base` (a stored problem's text). */
  submission(body: Buffer, format?: 'vroom' | 'csv' | 'fhir', base?: string): Promise<CheckResult>;
  /** A re-plan: the stored problem (JSON text) and its plan with the changes applied, validated; `text` is the new problem. */
  replan(problem: string, plan: Plan, changes: ChangesAsGiven): Promise<CheckResult>;
  /** Recommendations or slot offers for a visit on a stored problem (JSON text) and plan. */
  recommend(
    problem: string,
    plan: Plan,
    body: RecommendationsBody,
    road?: ThreadRoad,
  ): Promise<RecommendResult>;
  /** An option applied: the next problem (the visit pinned), or why not. */
  apply(problem: string, plan: Plan, body: ApplyBody, road?: ThreadRoad): Promise<ApplyResult>;
  /** A stored version (its JSON text and its problem's) as CSV or GeoJSON. */
  export(problem: string, version: string, format: 'csv' | 'geojson' | 'fhir' | 'svg'): Promise<ExportResult>;
  /** A plan replayed on sampled days. */
  simulate(
    problem: string,
    plan: Plan,
    scenarios: number,
    seed: number,
    road?: ThreadRoad,
  ): Promise<SimulationReport>;
  close(): Promise<void>;
}

/** The checker could not take the task now (its queue is full): the API answers 503. */
export class CheckerBusyError extends Error {
  constructor() {
    super('the problem checker is busy');
  }
}

/**
 * A Piscina thread pool (HHC_CHECK_THREADS threads, default 1; at most `maxQueue` tasks waiting):
 * parsing and validating a 10 MiB problem takes a few hundred milliseconds that the event loop
 * spends answering other tenants instead (docs/service.md, "Limits").
 */
export function threadProblemChecker(options: {
  limits: Partial<ProblemLimits>;
  maxDepth: number;
  threads?: number;
  maxQueue?: number;
}): ProblemChecker {
  const threads = options.threads ?? Math.max(1, Math.min(2, os.availableParallelism() - 1));
  const pool = new Piscina<
    CheckTask,
    CheckResult | RecommendResult | ApplyResult | SimulationReport | ExportResult
  >({
    filename: new URL('./problem-check-task.mjs', import.meta.url).href,
    minThreads: 1,
    maxThreads: threads,
    maxQueue: options.maxQueue ?? 32,
    idleTimeout: 60_000,
  });
  // Each kind of task comes back as its own kind of result.
  const run = async <R>(task: CheckTask): Promise<R> => {
    if (pool.queueSize >= pool.options.maxQueue) throw new CheckerBusyError();
    return (await pool.run(task)) as R;
  };
  return {
    submission: (body, format, base) =>
      run<CheckResult>({
        kind: 'submission',
        body,
        limits: options.limits,
        maxDepth: options.maxDepth,
        ...(format !== undefined && { format }),
        ...(base !== undefined && { base }),
      }),
    replan: (problem, plan, changes) =>
      run<CheckResult>({
        kind: 'replan',
        problem,
        plan,
        changes,
        limits: options.limits,
        maxDepth: options.maxDepth,
      }),
    recommend: (problem, plan, body, road) =>
      run<RecommendResult>({ kind: 'recommend', problem, plan, body, ...(road !== undefined && { road }) }),
    apply: (problem, plan, body, road) =>
      run<ApplyResult>({ kind: 'apply', problem, plan, body, ...(road !== undefined && { road }) }),
    export: (problem, version, format) => run<ExportResult>({ kind: 'export', problem, version, format }),
    simulate: (problem, plan, scenarios, seed, road) =>
      run<SimulationReport>({
        kind: 'simulate',
        problem,
        plan,
        scenarios,
        seed,
        ...(road !== undefined && { road }),
      }),
    close: () => pool.destroy(),
  };
}
