import type { PlanStoreApi } from '../../workers/memory-store.ts';
import { asSolveJob, type JobQueue } from '../../workers/solve-queue.ts';

/** Waits up to `seconds` for a job to end; returns the version it stored, or null. */
export async function waitForVersion(
  queue: JobQueue,
  store: PlanStoreApi,
  tenant: string,
  jobId: string,
  seconds: number,
) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const job = asSolveJob(await queue.getJob(jobId));
    const state = await job?.getState();
    if (state === 'completed') {
      const v = job?.returnvalue?.version;
      return v === undefined || job === null ? null : store.getVersion(tenant, job.data.planId, v);
    }
    if (state === 'failed' || state === undefined) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}
