import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { diffPlans, InputError } from '../solver/index.ts';
import type { Checkpoint, JobFence, PlanStoreApi } from '../service/plan-store.ts';
import { runSolveThread } from './run-solve-thread.ts';
import {
  DEFAULT_LOCK_MS,
  type SolveJobData,
  type SolveJobResult,
  type SolveProgress,
} from '../service/solve-queue.ts';
import { type TenantSlots, unlimitedSlots } from '../service/tenant-slots.ts';
import type { OsrmTable } from '../service/road/osrm-table.ts';
import type { RoadCache } from '../service/road/road-cache.ts';
import { notePlan, roadMatrices, travelNote } from '../service/road/road-matrices.ts';

export interface ProcessorOptions {
  /** Fairness between tenants (a running slot per job); none in memory. */
  slots?: TenantSlots;
  /** The job lock's duration: a running slot lasts twice as long unrenewed. */
  lockMs?: number;
  /** Least time between two checkpoints of a running solve (default 3 s). */
  checkpointMs?: number;
  /** Whether the job was cancelled while no worker listened (its reason), checked when a run starts. */
  cancelRequested?: (jobId: string) => Promise<string | null>;
  /** A routing service (OSRM_URL) and the cache of its matrices: problems by lon/lat are timed on roads. */
  road?: { table: OsrmTable; cache: RoadCache };
}

/**
 * The BullMQ processor: loads the job's problem, solves it in a worker thread (this event loop
 * keeps renewing the job's lock), reports the best cost through job.updateProgress, saves the
 * best solution every few seconds as the job's checkpoint, and stores the result as a new
 * version of the plan. A run that takes over a job (its worker died) goes on from the checkpoint
 * with the time left; a job whose version exists is not solved again; a run that lost its lock
 * writes nothing. On cancellation (the processor's AbortSignal) the best plan so far is stored,
 * marked cancelled. Input errors fail at once, without retries. A tenant already running its
 * share of jobs has this one put back for a few seconds. With a routing service, a problem by
 * lon/lat is timed with its road matrices (cached: a re-plan of the same day fetches nothing),
 * handed to the thread in shared memory; should the service fail, the coordinate model, and the
 * plan says so in `travel` and `warnings`.
 */
export function solveProcessor(store: PlanStoreApi, options: ProcessorOptions = {}) {
  const slots = options.slots ?? unlimitedSlots;
  const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
  return async (job: Job<SolveJobData>, token?: string, signal?: AbortSignal): Promise<SolveJobResult> => {
    const { tenant, planId, seed, timeLimit } = job.data;
    const jobId = String(job.id);
    const resultOf = (version: number, cost: number, iterations: number, cancelled = false) => ({
      planId,
      version,
      cancelled,
      cost,
      iterations,
    });
    const done = await store.versionOfJob(tenant, planId, jobId);
    if (done !== null) {
      const v = await store.getVersion(tenant, planId, done);
      return resultOf(done, v?.plan.summary.cost ?? 0, 0, v?.status === 'cancelled');
    }
    if (!(await slots.acquireRunning(tenant, jobId, 2 * lockMs))) {
      await job.moveToDelayed(Date.now() + 1000 + Math.floor(Math.random() * 2000), token);
      throw new DelayedError();
    }
    const renew = setInterval(
      () => void slots.acquireRunning(tenant, jobId, 2 * lockMs).catch(() => false),
      lockMs / 2,
    );
    try {
      const stored = await store.getProblem(tenant, planId, job.data.problem);
      if (stored === null) throw new UnrecoverableError(`plan ${planId} has no stored problem`);
      const fence: JobFence | undefined =
        token === undefined || job.queueQualifiedName === undefined
          ? undefined
          : { lockKey: `${job.queueQualifiedName}:${jobId}:lock`, token };
      // An applied recommendation: the plan it was chosen on.
      const { apply } = job.data;
      const base = apply === undefined ? null : await store.getVersion(tenant, planId, apply.baseVersion);
      if (apply !== undefined && base === null)
        throw new UnrecoverableError(`plan ${planId} has no version ${apply.baseVersion}`);
      // Another version came first (a re-plan, another option): this option was chosen on an older plan.
      const newest = apply === undefined ? null : await store.getVersion(tenant, planId);
      if (apply !== undefined && newest !== null && newest.version !== apply.baseVersion)
        throw new UnrecoverableError(
          `the plan has version ${newest.version}, newer than version ${apply.baseVersion} the option was chosen on: ask for recommendations again`,
        );
      const checkpoint = await store.getCheckpoint(tenant, planId, jobId);
      // Cancelled before this run began (its worker died, or it was being put back): the run
      // stops at once and keeps the best plan it starts from, marked cancelled.
      const cancelled = (await options.cancelRequested?.(jobId)) ?? null;
      const stopSignal = cancelled === null ? signal : AbortSignal.abort(cancelled);
      const spentMs = checkpoint?.elapsedMs ?? 0;
      const limitMs = timeLimit * 1000;
      // Taken over: the time left, but never less than a little search from the checkpoint.
      const timeLimitMs = Math.max(limitMs - spentMs, Math.min(limitMs, 1000));
      if (checkpoint !== null)
        void job
          .updateProgress({ iteration: 0, bestCost: checkpoint.cost, resumedFrom: checkpoint.cost })
          .catch(() => undefined);
      // The best solution the thread last handed over; saved at once, then again every
      // checkpointMs with the time spent so far (so that a run taken over after a long spell
      // without improvement is given only the time really left).
      let latest: { routes: Checkpoint['routes']; cost: number } | null = checkpoint;
      const started = performance.now();
      let saving = Promise.resolve(true);
      const save = () => {
        if (latest === null) return;
        const entry: Checkpoint = { ...latest, elapsedMs: spentMs + performance.now() - started };
        saving = saving.then(() =>
          store.saveCheckpoint(tenant, planId, jobId, entry, fence).catch(() => false),
        );
      };
      const refresh = setInterval(save, options.checkpointMs ?? 3000);
      const road =
        options.road === undefined
          ? null
          : await roadMatrices(stored.problem, options.road.table, options.road.cache, stopSignal);
      let outcome;
      try {
        outcome = await runSolveThread(
          stored.problem,
          {
            ...(road?.kind === 'road' && { road: { places: road.places, matrices: road.matrices } }),
            seed,
            timeLimitMs,
            signal: stopSignal,
            ...(checkpoint !== null && { initial: { routes: checkpoint.routes } }),
            ...(options.checkpointMs !== undefined && { checkpointMs: options.checkpointMs }),
            validated: job.data.validated === true,
            ...(apply !== undefined && { apply: { places: apply.places, plan: base!.plan } }),
          },
          (p) => {
            const progress: SolveProgress = { iteration: p.iteration, bestCost: p.bestCost };
            if (checkpoint !== null) progress.resumedFrom = checkpoint.cost;
            void job.updateProgress(progress).catch(() => undefined);
          },
          (c) => {
            latest = { routes: c.solution.routes, cost: c.cost };
            save();
          },
        );
      } catch (e) {
        if (e instanceof InputError) throw new UnrecoverableError(`invalid problem: ${e.message}`);
        throw e;
      } finally {
        clearInterval(refresh);
      }
      await saving;
      if (road !== null) outcome.plan = notePlan(outcome.plan, travelNote(road));
      const previous = job.data.kind === 'solve' ? null : await store.getVersion(tenant, planId);
      const write = await store.addVersion(
        tenant,
        planId,
        {
          status: outcome.cancelled ? 'cancelled' : 'solved',
          jobId,
          plan: outcome.plan,
          problem: stored.number,
          ...(previous !== null && { changes: diffPlans(previous.plan, outcome.plan) }),
        },
        fence,
        apply?.baseVersion,
      );
      if (write.status === 'lost-lock')
        throw new Error('this run lost the job lock: the run that holds it writes the version');
      if (write.status === 'no-plan') throw new UnrecoverableError(`plan ${planId} no longer exists`);
      if (write.status === 'stale')
        throw new UnrecoverableError(
          `another version of the plan came after version ${apply?.baseVersion} the option was chosen on: ask for recommendations again`,
        );
      return resultOf(write.version, outcome.plan.summary.cost, outcome.iterations, outcome.cancelled);
    } finally {
      clearInterval(renew);
      await slots.releaseRunning(tenant, jobId).catch(() => undefined);
    }
  };
}
