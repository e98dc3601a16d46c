import type { PlanStore, PlanStoreApi, StageRequest, StageResult } from './plan-store.ts';
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

/**
 * A stage this old has no live request behind it: a request's two steps take a few Redis
 * commands of at most 0.8 s each (the API's command timeout).
 */
const ABANDONED_MS = 10_000;

/** Another request with this Idempotency-Key is still storing and queuing its plan: retry shortly (409). */
export class InProgressError extends Error {
  constructor() {
    super('a request with this Idempotency-Key is still being carried out: retry in a few seconds');
  }
}

/**
 * Stores a problem and queues its solve so that a request that fails leaves nothing behind:
 * the problem, plan record, idempotency key and day pointer are written in one atomic step
 * (staged), then the job is queued under an id derived from the plan and problem number (queued
 * twice, it exists once), then the stage is committed. Only the request that staged may undo:
 * when queuing fails, or the tenant is over its cap, it undoes its stage (unless the job exists
 * after all). A replay of an Idempotency-Key whose first request is still between the two steps
 * waits up to `settleMs` for it to settle, then answers as the settled state says (the same plan,
 * or, if the first request was undone, a new one); still unsettled, it is an InProgressError. A
 * request that dies between the two steps is settled by the workers' sweep (sweepStaged).
 * Conflicts ('conflict', 'missing') come back unqueued.
 */
export async function stageAndQueue(
  deps: { store: PlanStoreApi; queue: JobQueue; slots: TenantSlots },
  tenant: string,
  request: StageRequest,
  problemText: string | Buffer,
  solve: (staged: StageResult) => SolveJobData,
  settleMs = 3000,
): Promise<StageResult> {
  const { store, queue, slots } = deps;
  let staged = await store.stage(tenant, request, problemText, queue.toKey(''));
  if (staged.status === 'existing' && staged.ticket !== '') {
    const deadline = Date.now() + settleMs;
    let age = await store.pendingAge(staged.ticket);
    while (age !== null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      age = await store.pendingAge(staged.ticket);
    }
    // Staged so long ago that its request is surely over (it died, or Redis went away between
    // its two steps): settle it here, as the sweep would, rather than make the client wait for it.
    if (age !== null && age > ABANDONED_MS) await store.unstage(staged.ticket);
    staged = await store.stage(tenant, request, problemText, queue.toKey(''));
    if (staged.status === 'existing' && staged.ticket !== '') throw new InProgressError();
  }
  // A replay of a settled submission: its job was queued (and may have ended or been cancelled).
  if (staged.status !== 'created' && staged.status !== 'added') return staged;
  const data = solve(staged);
  let reserved = false;
  try {
    reserved = await slots.reserveQueued(tenant, staged.jobId);
    if (!reserved) throw new TenantBusyError(tenant);
    await queue.add(data.kind, data, solveJobOptions(data, staged.jobId));
  } catch (e) {
    const undone = await store.unstage(staged.ticket).catch(() => 'failed');
    if (reserved && undone === 'removed')
      await slots.releaseQueued(tenant, staged.jobId).catch(() => undefined);
    throw e;
  }
  // Queued: the answer is 202 whatever happens now. Should the commit fail, the sweep commits
  // it (the job exists).
  await store.commit(staged.ticket).catch(() => false);
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
 * Settles staged writes older than `ageMs` by Redis's clock whose request died before
 * committing: committed when their job exists, removed otherwise. Workers run it every 15 s.
 */
export async function sweepStaged(
  store: Pick<PlanStore, 'stalePending' | 'unstage'>,
  ageMs = 30_000,
): Promise<number> {
  const stale = await store.stalePending(ageMs);
  for (const ticket of stale) await store.unstage(ticket);
  return stale.length;
}
