import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { cancelChannel, cancelRequested, parseCancelMessage } from '../service/cancel.ts';
import { sweepStaged } from '../service/enqueue.ts';
import type { PlanStore } from '../service/plan-store.ts';
import { solveProcessor } from './solve-processor.ts';
import type { RoadSettings } from '../service/road/road-config.ts';
import { RedisRoadCache } from '../service/road/road-cache.ts';
import { runNightlyScan } from '../service/nightly.ts';
import {
  DEFAULT_LOCK_MS,
  JOB_ATTEMPTS,
  type ScanJobData,
  SOLVE_QUEUE,
  type SolveJobData,
  type SolveJobResult,
} from '../service/solve-queue.ts';
import { redisTenantSlots, type TenantLimits, tenantLimitsFromEnv } from '../service/tenant-slots.ts';

export interface WorkerHandle {
  worker: Worker<SolveJobData | ScanJobData, SolveJobResult>;
  /** Stops taking jobs, lets the running ones save their best plan, then closes the connections. */
  close(): Promise<void>;
}

/**
 * A solve worker: takes jobs from the shared queue (several processes, on several machines,
 * share it), `concurrency` at a time, and listens on its queue's cancel channel so that a DELETE
 * reaching any API process stops the job wherever it runs. A job's lock lasts `lockDuration`
 * (default 10 s) unrenewed and workers look for expired locks every half of it, so a killed
 * worker's job is taken over within about twice the lock time, up to JOB_ATTEMPTS - 1 times;
 * the run that takes over goes on from the job's checkpoint. Every 15 s it settles staged writes
 * whose request died before queuing their job.
 */
export async function startWorker(options: {
  connection: ConnectionOptions;
  store: PlanStore;
  concurrency?: number;
  queueName?: string;
  lockDuration?: number;
  /** Per-tenant caps (default from HHC_TENANT_MAX_QUEUED / HHC_TENANT_MAX_RUNNING). */
  tenantLimits?: TenantLimits;
  /** Least time between two checkpoints of a running solve (default 3 s). */
  checkpointMs?: number;
  /** A routing service (OSRM_URL): problems by lon/lat are timed on roads, matrices cached in Redis. */
  road?: RoadSettings;
  log?: (line: string) => void;
}): Promise<WorkerHandle> {
  const name = options.queueName ?? SOLVE_QUEUE;
  const lockMs = options.lockDuration ?? DEFAULT_LOCK_MS;
  const log = options.log ?? ((line: string) => process.stderr.write(`hhc worker: ${line}\n`));
  const queue = new Queue<SolveJobData | ScanJobData, SolveJobResult>(name, {
    connection: options.connection,
  });
  queue.on('error', () => undefined); // the worker's own 'error' listener says it once
  const slots = redisTenantSlots(options.store.redis, {
    prefix: options.store.prefix,
    jobKeyPrefix: queue.toKey(''),
    limits: options.tenantLimits ?? tenantLimitsFromEnv(),
  });
  const solveJob = solveProcessor(options.store, {
    slots,
    lockMs,
    cancelRequested: (jobId) => cancelRequested(options.store.redis, options.store.prefix, name, jobId),
    ...(options.checkpointMs !== undefined && { checkpointMs: options.checkpointMs }),
    ...(options.road !== undefined && {
      road: {
        table: options.road.table,
        cache: new RedisRoadCache(
          options.road.cacheRedis ?? options.store.redis,
          options.store.prefix,
          options.road.cacheTtlSeconds,
        ),
      },
    }),
  });
  const worker = new Worker<SolveJobData | ScanJobData, SolveJobResult>(
    name,
    (job, token, signal) =>
      job.data.kind === 'nightly-scan'
        ? runNightlyScan(job as Job<ScanJobData>, { store: options.store, queue, slots })
        : solveJob(job as Job<SolveJobData>, token, signal),
    {
      connection: options.connection,
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
      maxStalledCount: JOB_ATTEMPTS - 1,
    },
  );
  worker.on('error', (e) => log(`queue error: ${e.message}`));
  const subscriber = new Redis(options.connection as never);
  subscriber.on('error', () => undefined); // reconnects by itself; the worker logs queue errors
  const channel = cancelChannel(options.store.prefix, name);
  await subscriber.subscribe(channel);
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const cancel = parseCancelMessage(message);
    if (cancel === null) return log(`ignored a malformed message on ${channel}`);
    worker.cancelJob(cancel.jobId, cancel.reason);
  });
  const sweep = setInterval(() => {
    void sweepStaged(options.store).catch(() => undefined);
  }, 15_000);
  sweep.unref();
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      clearInterval(sweep);
      await worker.close();
      await queue.close();
      subscriber.disconnect();
    },
  };
}
