import type { PlanStoreApi, StageRequest, StageResult } from './plan-store.ts';
import { JOB_ATTEMPTS, type JobQueue, PRIORITY, type SolveJobData } from './solve-queue.ts';
import type { TenantSlots } from './tenant-slots.ts';

/** BullMQ options of a solve job: its kind's priority, retries with backoff, kept a week once ended. */
export function solveJobOptions(data: SolveJobData, jobId: string) {
  return {
    jobId,
    priority: PRIORITY[data.kind],
    attempts: JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: data.kind === 'nightly' ? 5000 : 2000 },
    removeOnComplete: { age: 7 * 86_400 },
    removeOnFail: { age: 7 * 86_400 },
  };
}

/** Why a submission was not queued: the tenant has too many open jobs. */
export class TenantBusyError extends Error {
  constructor(readonly tenant: string) {
    super(`tenant '${tenant}' has too many jobs waiting or running`);
  }
}

/** What a submission did: the stage result, and the job (queued now, or earlier for a replayed idempotency key). */
export type Submission = StageResult & { status: 'created' | 'added' | 'existing' };

/**
 * Stores a problem and queues its solve so that a request that fails leaves nothing behind:
 * the problem, plan record, idempotency key and day pointer are written in one atomic step
 * (staged), then the job is queued under an id derived from the plan and problem number (queued
 * twice, it exists once), then the stage is committed. When queuing fails, or the tenant is over
 * its cap, the stage is undone; a request that dies between the two is undone or committed by the
 * workers' sweep (see sweepStaged). Conflicts ('conflict', 'missing') come back unqueued.
 */
export async function stageAndQueue(
  deps: { store: PlanStoreApi; queue: JobQueue; slots: TenantSlots },
  tenant: string,
  request: StageRequest,
  problemText: string | Buffer,
  solve: (staged: StageResult) => SolveJobData,
): Promise<StageResult> {
  const { store, queue, slots } = deps;
  const staged = await store.stage(tenant, request, problemText);
  if (staged.status === 'conflict' || staged.status === 'missing') return staged;
  // A replay of a committed submission: its job was queued (and may have ended or been cancelled).
  if (staged.status === 'existing' && staged.ticket === '') return staged;
  const data = solve(staged);
  let reserved = false;
  try {
    if (staged.status !== 'existing') {
      reserved = await slots.reserveQueued(tenant, staged.jobId);
      if (!reserved) throw new TenantBusyError(tenant);
    }
    await queue.add(data.kind, data, solveJobOptions(data, staged.jobId));
  } catch (e) {
    const undone = await store.unstage(staged.ticket, queue.toKey(staged.jobId)).catch(() => 'failed');
    if (reserved && undone === 'removed')
      await slots.releaseQueued(tenant, staged.jobId).catch(() => undefined);
    throw e;
  }
  await store.commit(staged.ticket);
  return staged;
}

/**
 * Queues a solve of a plan's current problem (nightly runs): the job id names the run, so a
 * scan that runs twice queues each day once.
 */
export async function queueSolve(
  queue: JobQueue,
  store: PlanStoreApi,
  data: SolveJobData,
  jobId: string,
): Promise<string> {
  await queue.add(data.kind, data, solveJobOptions(data, jobId));
  await store.setJob(data.tenant, data.planId, jobId);
  return jobId;
}

/**
 * Settles staged writes older than `ageMs` whose request died before committing: committed when
 * their job exists, removed otherwise. Workers run it every half minute.
 */
export async function sweepStaged(
  store: Pick<import('./plan-store.ts').PlanStore, 'stalePending' | 'unstage'>,
  queue: Pick<JobQueue, 'toKey'>,
  ageMs = 60_000,
): Promise<number> {
  const stale = await store.stalePending(ageMs);
  for (const { ticket, jobId } of stale) await store.unstage(ticket, queue.toKey(jobId));
  return stale.length;
}
