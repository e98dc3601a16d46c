import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PlanStore } from '../workers/plan-store.ts';
import {
  type QueueJobData,
  redisConnection,
  type SolveJobResult,
  type SolveQueue,
} from '../workers/solve-queue.ts';
import { startWorker, type WorkerHandle } from '../workers/start-worker.ts';

/** For integration tests: real Redis, a worker, and a queue and key prefix of the run's own, removed at close. */
export interface TestService {
  run: string;
  prefix: string;
  redis: Redis;
  store: PlanStore;
  queue: SolveQueue;
  worker: WorkerHandle;
  close(): Promise<void>;
}

export async function startTestService(): Promise<TestService> {
  const run = randomBytes(4).toString('hex');
  const prefix = `hhctest:${run}`;
  const queueName = `hhc-solve-test-${run}`;
  const connection = redisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const redis = new Redis(connection as never);
  const store = new PlanStore(redis, prefix);
  const queue = new Queue<QueueJobData, SolveJobResult>(queueName, { connection });
  const worker = await startWorker({ connection, store, queueName });
  return {
    run,
    prefix,
    redis,
    store,
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
