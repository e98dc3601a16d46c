import type { ServiceDeps } from './deps.ts';
import { asSolveJob, type JobLike, type SolveJobData } from './solve-queue.ts';

/** States a job does not leave ('cancelled': it stopped on request). */
export const FINAL_STATES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled', 'removed']);

/** A solve job, only within the tenant (another tenant's job, or a nightly scan, is not found). */
export async function findJob(
  deps: Pick<ServiceDeps, 'queue'>,
  tenant: string,
  jobId: string,
): Promise<JobLike<SolveJobData> | null> {
  const job = asSolveJob(await deps.queue.getJob(jobId));
  return job !== null && job.data.tenant === tenant ? job : null;
}

/**
 * Cancels a job: one that waits is removed ('cancelled'); a running one is asked to stop through
 * `stop` (the worker running it keeps its best plan so far, marked cancelled: 'cancelling'); one
 * that ended is left as it is ('finished', with its state).
 */
export async function cancelJob(
  job: JobLike<SolveJobData>,
  stop: (jobId: string) => Promise<void>,
): Promise<{ outcome: 'finished'; state: string } | { outcome: 'cancelling' | 'cancelled' }> {
  const state = await job.getState();
  if (FINAL_STATES.has(state)) return { outcome: 'finished', state };
  if (state === 'active') {
    await stop(String(job.id));
    return { outcome: 'cancelling' };
  }
  await job.remove();
  return { outcome: 'cancelled' };
}
