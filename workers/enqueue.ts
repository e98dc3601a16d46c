import type { PlanStoreApi } from './memory-store.ts';
import { type JobQueue, PRIORITY, type SolveJobData } from './solve-queue.ts';

/**
 * Queues a solve of a plan at its kind's priority (re-planning first, nightly last), with retries
 * and backoff for failures other than input errors, and records it as the plan's current job.
 */
export async function enqueueSolve(
  queue: JobQueue,
  store: PlanStoreApi,
  data: SolveJobData,
): Promise<string> {
  const job = await queue.add(data.kind, data, {
    priority: PRIORITY[data.kind],
    attempts: 3,
    backoff: { type: 'exponential', delay: data.kind === 'nightly' ? 5000 : 2000 },
    removeOnComplete: { age: 7 * 86_400 },
    removeOnFail: { age: 7 * 86_400 },
  });
  const jobId = String(job.id);
  await store.setJob(data.tenant, data.planId, jobId);
  return jobId;
}
