import type { JobEvents } from './job-events.ts';
import type { PlanStoreApi, PlanVersion } from './plan-store.ts';
import { asSolveJob, type JobQueue } from './solve-queue.ts';

/**
 * Waits up to `seconds` for a job to end (told by the job events, not by polling); returns the
 * version it stored, or null when it failed, vanished or is still running.
 */
export async function waitForVersion(
  deps: { queue: JobQueue; store: PlanStoreApi; events: JobEvents },
  tenant: string,
  jobId: string,
  seconds: number,
): Promise<PlanVersion | null> {
  let wake = () => {};
  const unsubscribe = deps.events.subscribe(jobId, (e) => {
    if (e.kind === 'ended' || e.kind === 'removed') wake();
  });
  const deadline = Date.now() + seconds * 1000;
  try {
    for (;;) {
      const job = asSolveJob(await deps.queue.getJob(jobId));
      const state = await job?.getState();
      if (job === null || state === undefined || state === 'failed' || state === 'unknown') return null;
      if (state === 'completed') {
        const v = job.returnvalue?.version;
        return v === undefined ? null : deps.store.getVersion(tenant, job.data.planId, v);
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      // Woken by the job's end, or at the latest every 5 s (an event lost while Redis reconnected).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 5000));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    unsubscribe();
  }
}
