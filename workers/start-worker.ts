import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { PlanStore } from './plan-store.ts';
import { solveProcessor } from './solve-processor.ts';
import { runNightlyScan } from './nightly.ts';
import {
  CANCEL_CHANNEL,
  type ScanJobData,
  SOLVE_QUEUE,
  type SolveJobData,
  type SolveJobResult,
} from './solve-queue.ts';

export interface WorkerHandle {
  worker: Worker<SolveJobData | ScanJobData, SolveJobResult>;
  /** Stops taking jobs, lets the running ones save their best plan, then closes the connections. */
  close(): Promise<void>;
}

/**
 * A solve worker: takes jobs from the shared queue (several processes, on several machines,
 * share it), `concurrency` at a time, and listens on the cancel channel so that a DELETE
 * reaching any API process stops the job wherever it runs.
 */
export async function startWorker(options: {
  connection: ConnectionOptions;
  store: PlanStore;
  concurrency?: number;
  queueName?: string;
  /** Milliseconds a job's lock lasts without renewal: a killed worker's job is taken over after it (BullMQ default 30 s). */
  lockDuration?: number;
}): Promise<WorkerHandle> {
  const name = options.queueName ?? SOLVE_QUEUE;
  const queue = new Queue<SolveJobData | ScanJobData, SolveJobResult>(name, {
    connection: options.connection,
  });
  const solveJob = solveProcessor(options.store);
  const worker = new Worker<SolveJobData | ScanJobData, SolveJobResult>(
    name,
    (job, token, signal) =>
      job.data.kind === 'nightly-scan'
        ? runNightlyScan(job as Job<ScanJobData>, options.store, queue)
        : solveJob(job as Job<SolveJobData>, token, signal),
    {
      connection: options.connection,
      concurrency: options.concurrency ?? 1,
      ...(options.lockDuration !== undefined && {
        lockDuration: options.lockDuration,
        stalledInterval: options.lockDuration,
      }),
    },
  );
  const subscriber = new Redis(options.connection as never);
  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on('message', (_channel: string, message: string) => {
    const { jobId, reason } = JSON.parse(message) as { jobId: string; reason?: string };
    worker.cancelJob(jobId, reason ?? 'cancelled');
  });
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close();
      await queue.close();
      subscriber.disconnect();
    },
  };
}
