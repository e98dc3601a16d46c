import type { Job } from 'bullmq';
import { queueSolve } from './enqueue.ts';
import type { PlanStoreApi } from './memory-store.ts';
import {
  type JobQueue,
  NIGHTLY_DEFAULT,
  PRIORITY,
  type ScanJobData,
  type SolveJobData,
  type SolveJobResult,
} from './solve-queue.ts';

/** Creates or updates a tenant's nightly re-optimization (a BullMQ job scheduler: cron pattern and time zone). */
export async function upsertNightly(
  queue: Pick<JobQueue, 'upsertJobScheduler'>,
  tenant: string,
  repeat: { pattern: string; tz?: string } | { every: number } = NIGHTLY_DEFAULT,
  timeLimit = 30,
): Promise<void> {
  await queue.upsertJobScheduler(`nightly:${tenant}`, repeat, {
    name: 'nightly-scan',
    data: { kind: 'nightly-scan', tenant, timeLimit },
    opts: { priority: PRIORITY.nightly, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
  });
}

/** The scan: one 'nightly' solve of each stored day's current problem from today (UTC) on, at the lowest priority. */
export async function runNightlyScan(
  job: Job<ScanJobData>,
  store: PlanStoreApi,
  queue: JobQueue,
): Promise<SolveJobResult> {
  const today = new Date().toISOString().slice(0, 10);
  const days = await store.days(job.data.tenant);
  let scheduled = 0;
  for (const [date, planId] of Object.entries(days)) {
    if (date < today) continue;
    const data: SolveJobData = {
      tenant: job.data.tenant,
      planId,
      kind: 'nightly',
      timeLimit: job.data.timeLimit ?? 30,
      seed: 1,
    };
    // One job per day and scan run: a scan that runs again (its worker died) queues nothing twice.
    await queueSolve(queue, store, data, `${planId}.n${job.timestamp}`);
    scheduled++;
  }
  return { scheduled, planId: '', version: 0, cancelled: false, cost: 0, iterations: 0 };
}
