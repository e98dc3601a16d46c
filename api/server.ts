/**
 * Starts the API (and, with --with-worker, one solve worker in the same process) against
 * REDIS_URL (default redis://127.0.0.1:6379), listening on PORT (default 3000) at HOST
 * (default 127.0.0.1). Redis is the system of record: at start the service reads whether it
 * persists (append-only file) and never evicts; with NODE_ENV=production it refuses to start
 * when it would not. When no Redis answers, says so in one line and runs in memory (an
 * in-process queue and store, a coordinator key printed for tenant 'demo'), for trying it out.
 * SIGTERM or SIGINT: stop accepting requests and jobs, let a running solve save its plan, close
 * the connections, exit.
 *   node cli/hhc.js serve [--with-worker]   (dist/api/server.js when built, else through tsx: cli/launch.js)
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PlanStore } from '../service/plan-store.ts';
import {
  failFastConnection,
  type QueueJobData,
  redisConnection,
  SOLVE_QUEUE,
  type SolveJobResult,
} from '../service/solve-queue.ts';
import { solveProcessor } from '../workers/solve-processor.ts';
import { startWorker, type WorkerHandle } from '../workers/start-worker.ts';
import { memoryBackend } from '../service/memory-backend.ts';
import { tenantLimitsFromEnv } from '../service/tenant-slots.ts';
import { buildApp } from './app.ts';
import { redisAppOptions } from './redis-options.ts';
import { serviceLimitsFromEnv } from './limits.ts';
import { queueJobEvents } from '../service/job-events.ts';
import { threadProblemChecker } from '../service/problem-checker.ts';
import { redisPersistence } from '../service/redis-health.ts';
import { MemoryRoadCache, RedisRoadCache } from '../service/road/road-cache.ts';
import { RoadTravelService } from '../service/road/road-travel-service.ts';
import { seedDemoDay } from './demo.ts';
import { repositoryRoot } from './web-app.ts';
import {
  legsUrlOf,
  parseOsrmUrl,
  type RoadSettings,
  roadSettingsFromEnv,
} from '../service/road/road-config.ts';

// Run from the sources (not from dist/), the routes are TypeScript files loaded through tsx: tell Fastify's autoload.
if (import.meta.url.endsWith('.ts')) process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1';

const fail = (message: string): never => {
  process.stderr.write(`hhc: ${message}\n`);
  process.exit(1);
};
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Another queue and key prefix (benchmarks, tests); the defaults are the service's.
const prefix = process.env.HHC_PREFIX ?? 'hhc';
const queueName = process.env.HHC_QUEUE ?? SOLVE_QUEUE;
const production = process.env.NODE_ENV === 'production';
const lockText = process.env.WORKER_LOCK_MS;
if (lockText !== undefined && !/^[1-9]\d{2,6}$/.test(lockText))
  fail(`WORKER_LOCK_MS must be milliseconds from 100 to 9999999, not '${lockText}'`);
const lockMs = lockText === undefined ? undefined : Number(lockText);
let road: RoadSettings | undefined;
try {
  road = roadSettingsFromEnv();
} catch (e) {
  fail((e as Error).message);
}
let limits: ReturnType<typeof serviceLimitsFromEnv> = serviceLimitsFromEnv({});
let tenantLimits: ReturnType<typeof tenantLimitsFromEnv> = tenantLimitsFromEnv({});
try {
  limits = serviceLimitsFromEnv();
  tenantLimits = tenantLimitsFromEnv();
} catch (e) {
  fail((e as Error).message);
}
const probe = new Redis({
  ...(redisConnection(redisUrl) as object),
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
probe.on('error', () => undefined); // the one line below says it
const haveRedis = await probe.connect().then(
  () => true,
  () => false,
);
const persistence = haveRedis
  ? await redisPersistence(probe).catch((e: Error) => ({
      safe: false,
      problems: [`Redis does not tell its settings (INFO: ${e.message})`],
    }))
  : null;
probe.disconnect();
if (haveRedis && persistence !== null && !persistence.safe) {
  const problems = persistence.problems.join('; ');
  if (production)
    fail(
      `Redis at ${redisUrl} would lose plans: ${problems}. Refusing to start with NODE_ENV=production (docs/service.md, "Running it for real").`,
    );
  process.stderr.write(
    `hhc: warning: Redis at ${redisUrl} would lose plans: ${problems} (refused with NODE_ENV=production)\n`,
  );
}
if (!haveRedis && production)
  fail(`no Redis answers at ${redisUrl}: with NODE_ENV=production the service never runs in memory`);
const threads = process.env.HHC_CHECK_THREADS;
if (threads !== undefined && !/^[1-9]\d?$/.test(threads))
  fail(`HHC_CHECK_THREADS must be 1 to 99, not '${threads}'`);
const checker = threadProblemChecker({
  limits: limits.problem,
  maxDepth: limits.maxDepth,
  ...(threads !== undefined && { threads: Number(threads) }),
});
// HHC_TRUST_PROXY: 'true' (trust X-Forwarded-For), or the proxies' addresses/CIDRs, comma-separated (Fastify's trustProxy).
const proxy = process.env.HHC_TRUST_PROXY;
const trustProxy = proxy === undefined || proxy === '' ? false : proxy === 'true' ? true : proxy;
const osrmUrl = process.env.OSRM_URL ? legsUrlOf(parseOsrmUrl(process.env.OSRM_URL, 'OSRM_URL')) : undefined;
// HHC_TILE_URL: the web app's map tiles ({z}/{x}/{y} template); none: a plain background with the territory's outline.
const tiles = {
  ...(process.env.HHC_TILE_URL ? { url: process.env.HHC_TILE_URL } : {}),
  ...(process.env.HHC_TILE_ATTRIBUTION ? { attribution: process.env.HHC_TILE_ATTRIBUTION } : {}),
};
const common = { prefix, logger: true, osrmUrl, limits, checker, trustProxy, tiles };
let app: Awaited<ReturnType<typeof buildApp>>;
let demoKeys: { coordinator: string; nurse: string } | null = null;
let worker: WorkerHandle | null = null;
let close = async () => {};
if (haveRedis) {
  // The API fails fast (503 within a second when Redis is down); the worker waits for Redis.
  const connection = failFastConnection(redisUrl);
  const redis = new Redis(connection as never);
  redis.on('error', () => undefined); // answered as 503 by the routes; /readyz says why
  const queue = new Queue<QueueJobData, SolveJobResult>(queueName, { connection });
  queue.on('error', () => undefined);
  const events = await queueJobEvents(queueName, redisConnection(redisUrl));
  app = await buildApp({
    ...redisAppOptions({ redis, queue, events, prefix, queueName, tenantLimits }),
    ...common,
    ...(road !== undefined && {
      road: new RoadTravelService(
        road.table,
        new RedisRoadCache(road.cacheRedis ?? redis, prefix, road.cacheTtlSeconds),
      ),
    }),
  });
  if (process.argv.includes('--with-worker')) {
    const workerRedis = new Redis(redisConnection(redisUrl) as never);
    workerRedis.on('error', () => undefined); // reconnects by itself
    worker = await startWorker({
      connection: redisConnection(redisUrl),
      store: new PlanStore(workerRedis, prefix),
      queueName,
      tenantLimits,
      concurrency: Number(process.env.WORKER_CONCURRENCY ?? 1),
      ...(lockMs !== undefined && { lockDuration: lockMs }),
      ...(road !== undefined && { road }),
    });
    const closeWorker = worker.close;
    worker.close = async () => {
      await closeWorker();
      workerRedis.disconnect();
    };
  }
  close = async () => {
    await worker?.close();
    await events.close();
    await queue.close();
    redis.disconnect();
  };
} else {
  const memoryRoad = road === undefined ? undefined : { table: road.table, cache: new MemoryRoadCache() };
  const memory = memoryBackend({
    processor: (store) => solveProcessor(store, { ...(memoryRoad !== undefined && { road: memoryRoad }) }),
  });
  const key = memory.createKey({ tenant: 'demo', role: 'coordinator' });
  demoKeys = {
    coordinator: key,
    nurse: memory.createKey({ tenant: 'demo', role: 'nurse', nurse: 'claire' }),
  };
  process.stderr.write(
    `hhc: no Redis answers at ${redisUrl}: running in memory, for trying the service (plans, jobs and keys are lost when this process stops; no nightly runs); coordinator key for tenant 'demo': ${key}\n`,
  );
  app = await buildApp({
    ...common,
    store: memory.store,
    queue: memory.queue,
    events: memory.events,
    principalOf: memory.principalOf,
    cancel: memory.cancel,
    ...(memoryRoad !== undefined && { road: new RoadTravelService(memoryRoad.table, memoryRoad.cache) }),
  });
}
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
await app.listen({ port, host });
if (demoKeys !== null) {
  // In memory: today's demo day, solved, and the links that open the web app signed in.
  const root = repositoryRoot();
  const planId = root === null ? null : await seedDemoDay(app, root, demoKeys.coordinator).catch(() => null);
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  process.stderr.write(
    `hhc: the web app: ${base}/#key=${demoKeys.coordinator}` +
      (planId === null ? '' : ` (today's demo day: plan ${planId})`) +
      `\nhhc: a nurse's phone (claire): ${base}/#key=${demoKeys.nurse}\n`,
  );
}

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await close();
  await checker.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
