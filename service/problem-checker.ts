import os from 'node:os';
import { Piscina } from 'piscina';
import type { Plan, ProblemLimits } from '../solver/index.ts';
import type { ChangesAsGiven, CheckResult, CheckTask } from './problem-check-task.ts';

/** Checks problems off the event loop. */
export interface ProblemChecker {
  /** A submitted body (JSON bytes): parsed, depth-checked and validated in a thread. */
  submission(body: Buffer): Promise<CheckResult>;
  /** A re-plan: the stored problem (JSON text) and its plan with the changes applied, validated; `text` is the new problem. */
  replan(problem: string, plan: Plan, changes: ChangesAsGiven): Promise<CheckResult>;
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
  const pool = new Piscina<CheckTask, CheckResult>({
    filename: new URL('./problem-check-task.mjs', import.meta.url).href,
    minThreads: 1,
    maxThreads: threads,
    maxQueue: options.maxQueue ?? 32,
    idleTimeout: 60_000,
  });
  const run = async (task: CheckTask) => {
    if (pool.queueSize >= pool.options.maxQueue) throw new CheckerBusyError();
    return pool.run(task);
  };
  return {
    submission: (body) =>
      run({ kind: 'submission', body, limits: options.limits, maxDepth: options.maxDepth }),
    replan: (problem, plan, changes) =>
      run({ kind: 'replan', problem, plan, changes, limits: options.limits, maxDepth: options.maxDepth }),
    close: () => pool.destroy(),
  };
}
