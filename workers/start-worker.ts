import { type ConnectionOptions, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { PlanStore } from './plan-store.ts';
import { solveProcessor } from './solve-processor.ts';
import { CANCEL_CHANNEL, SOLVE_QUEUE, type SolveJobData, type SolveJobResult } from './solve-queue.ts';

export interface WorkerHandle {
  worker: Worker<SolveJobData, SolveJobResult>;
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
}): Promise<WorkerHandle> {
  const worker = new Worker<SolveJobData, SolveJobResult>(
    options.queueName ?? SOLVE_QUEUE,
    solveProcessor(options.store),
    { connection: options.connection, concurrency: options.concurrency ?? 1 },
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
      subscriber.disconnect();
    },
  };
}
