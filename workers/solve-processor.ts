import { type Job, UnrecoverableError } from 'bullmq';
import { diffPlans, InputError } from '../solver/index.ts';
import type { PlanStoreApi } from './memory-store.ts';
import { runSolveThread } from './run-solve-thread.ts';
import type { SolveJobData, SolveJobResult, SolveProgress } from './solve-queue.ts';

/**
 * The BullMQ processor: loads the plan's problem, solves it in a worker thread (this event loop
 * keeps renewing the job's lock), reports the best cost through job.updateProgress, and stores
 * the result as a new version of the plan. On cancellation (the processor's AbortSignal) the
 * best plan so far is stored, marked cancelled. Input errors fail at once, without retries.
 */
export function solveProcessor(store: PlanStoreApi) {
  return async (job: Job<SolveJobData>, _token?: string, signal?: AbortSignal): Promise<SolveJobResult> => {
    const { tenant, planId, seed, timeLimit } = job.data;
    const stored = await store.getProblem(tenant, planId);
    if (stored === null) throw new UnrecoverableError(`plan ${planId} has no stored problem`);
    const { problem } = stored;
    let outcome;
    try {
      outcome = await runSolveThread(problem, { seed, timeLimitMs: timeLimit * 1000, signal }, (p) => {
        const progress: SolveProgress = { iteration: p.iteration, bestCost: p.bestCost };
        void job.updateProgress(progress).catch(() => undefined);
      });
    } catch (e) {
      if (e instanceof InputError) throw new UnrecoverableError(`invalid problem: ${e.message}`);
      throw e;
    }
    const previous = job.data.kind === 'solve' ? null : await store.getVersion(tenant, planId);
    const version = await store.addVersion(tenant, planId, {
      status: outcome.cancelled ? 'cancelled' : 'solved',
      jobId: String(job.id),
      plan: outcome.plan,
      problem: stored.number,
      ...(previous !== null && { changes: diffPlans(previous.plan, outcome.plan) }),
    });
    return {
      planId,
      version,
      cancelled: outcome.cancelled,
      cost: outcome.plan.summary.cost,
      iterations: outcome.iterations,
    };
  };
}
