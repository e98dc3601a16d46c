/**
 * Starts the API (and, with --with-worker, one solve worker in the same process) against
 * REDIS_URL (default redis://127.0.0.1:6379), listening on PORT (default 3000) at HOST
 * (default 127.0.0.1). SIGTERM or SIGINT: stop accepting requests and jobs, let a running
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
import { buildApp } from './app.ts';

// The routes are TypeScript sources loaded through tsx: tell Fastify's autoload.
process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const connection = redisConnection(redisUrl);
const redis = new Redis(connection as never);
try {
  await redis.ping();
} catch {
  process.stderr.write(`hhc: no Redis answers at ${redisUrl}: start one, or set REDIS_URL\n`);
  process.exit(1);
}
const store = new PlanStore(redis);
const queue = new Queue<QueueJobData, SolveJobResult>(SOLVE_QUEUE, { connection });
const app = await buildApp({
  redis,
  store,
  queue,
  prefix: 'hhc',
  logger: true,
  osrmUrl: process.env.OSRM_URL,
  ...(process.env.RATE_LIMIT !== undefined && { rateLimit: Number(process.env.RATE_LIMIT) }),
});
let worker: WorkerHandle | null = null;
if (process.argv.includes('--with-worker'))
  worker = await startWorker({ connection, store, concurrency: Number(process.env.WORKER_CONCURRENCY ?? 1) });
await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await worker?.close();
  await queue.close();
  redis.disconnect();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
