/**
 * Starts the API (and, with --with-worker, one solve worker in the same process) against
 * REDIS_URL (default redis://127.0.0.1:6379), listening on PORT (default 3000) at HOST
 * (default 127.0.0.1). When no Redis answers, says so in one line and runs in memory (an
 * in-process queue and store, a coordinator key printed for tenant 'demo'). SIGTERM or SIGINT: stop accepting requests and jobs, let a running
 * solve save its plan, close the connections, exit.
 *   node --import tsx api/server.ts [--with-worker]
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PlanStore } from '../workers/plan-store.ts';
import {
  type QueueJobData,
  redisConnection,
  SOLVE_QUEUE,
  type SolveJobResult,
} from '../workers/solve-queue.ts';
import { startWorker, type WorkerHandle } from '../workers/start-worker.ts';
import { memoryBackend } from '../workers/memory-backend.ts';
import { buildApp } from './app.ts';

// The routes are TypeScript sources loaded through tsx: tell Fastify's autoload.
process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Another queue and key prefix (benchmarks, tests); the defaults are the service's.
const prefix = process.env.HHC_PREFIX ?? 'hhc';
const queueName = process.env.HHC_QUEUE ?? SOLVE_QUEUE;
const connection = redisConnection(redisUrl);
const probe = new Redis({
  ...(connection as object),
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
probe.on('error', () => undefined); // the one line below says it
const haveRedis = await probe.connect().then(
  () => true,
  () => false,
);
probe.disconnect();
const common = {
  prefix,
  logger: true,
  osrmUrl: process.env.OSRM_URL,
  ...(process.env.RATE_LIMIT !== undefined && { rateLimit: Number(process.env.RATE_LIMIT) }),
};
let app: Awaited<ReturnType<typeof buildApp>>;
let worker: WorkerHandle | null = null;
let close = async () => {};
if (haveRedis) {
  const redis = new Redis(connection as never);
  const store = new PlanStore(redis, prefix);
  const queue = new Queue<QueueJobData, SolveJobResult>(queueName, { connection });
  app = await buildApp({ ...common, redis, store, queue });
  if (process.argv.includes('--with-worker'))
    worker = await startWorker({
      connection,
      store,
      queueName,
      concurrency: Number(process.env.WORKER_CONCURRENCY ?? 1),
    });
  close = async () => {
    await worker?.close();
    await queue.close();
    redis.disconnect();
  };
} else {
  const memory = memoryBackend();
  const key = memory.createKey({ tenant: 'demo', role: 'coordinator' });
  process.stderr.write(
    `hhc: no Redis answers at ${redisUrl}: running in memory (plans, jobs and keys are lost when this process stops; no nightly runs); coordinator key for tenant 'demo': ${key}\n`,
  );
  app = await buildApp({
    ...common,
    store: memory.store,
    queue: memory.queue,
    principalOf: memory.principalOf,
    cancel: memory.cancel,
    ping: memory.ping,
  });
}
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
