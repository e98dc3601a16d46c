/**
 * Starts a solve worker process against REDIS_URL (default redis://127.0.0.1:6379), taking
 * WORKER_CONCURRENCY jobs at a time (default 1; one solve uses one core). Run several, on
 * several machines, to scale: they share the queue. WORKER_LOCK_MS: how long a job's lock lasts
 * unrenewed; another worker takes over a killed one's job within about twice this (default 10000).
 * HHC_QUEUE and HHC_PREFIX name another queue and key prefix (tests). OSRM_URL (and OSRM_TABLE_SIZE,
 * OSRM_CONCURRENCY, OSRM_TIMEOUT_MS, OSRM_RETRIES, ROAD_CACHE_TTL): time problems by lon/lat on
 * the roads of an OSRM-compatible service (docs/service.md, "Road travel"). SIGTERM: stop taking
 * jobs, let the running ones save their plan, exit.
 *   node cli/hhc.js worker   (dist/workers/main.js when built, else through tsx: cli/launch.js)
 */
import { Redis } from 'ioredis';
import { PlanStore } from '../service/plan-store.ts';
import { redisConnection } from '../service/solve-queue.ts';
import { startWorker } from './start-worker.ts';
import { type RoadSettings, roadSettingsFromEnv } from '../service/road/road-config.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const lockText = process.env.WORKER_LOCK_MS;
if (lockText !== undefined && !/^[1-9]\d{2,6}$/.test(lockText)) {
  process.stderr.write(
    `hhc worker: WORKER_LOCK_MS must be milliseconds from 100 to 9999999, not '${lockText}'\n`,
  );
  process.exit(1);
}
let road: RoadSettings | undefined;
try {
  road = roadSettingsFromEnv();
} catch (e) {
  process.stderr.write(`hhc worker: ${(e as Error).message}\n`);
  process.exit(1);
}
const connection = redisConnection(redisUrl);
const redis = new Redis(connection as never);
redis.on('error', () => undefined); // reconnects by itself; the worker logs queue errors once
try {
  await redis.ping();
} catch {
  process.stderr.write(`hhc worker: no Redis answers at ${redisUrl}: start one, or set REDIS_URL\n`);
  process.exit(1);
}
const handle = await startWorker({
  connection,
  store: new PlanStore(redis, process.env.HHC_PREFIX ?? 'hhc'),
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 1),
  ...(process.env.HHC_QUEUE !== undefined && { queueName: process.env.HHC_QUEUE }),
  ...(lockText !== undefined && { lockDuration: Number(lockText) }),
  ...(road !== undefined && { road }),
});
process.stderr.write(`hhc worker: taking jobs from ${redisUrl}\n`);
let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await handle.close();
  redis.disconnect();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
