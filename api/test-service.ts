import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { PlanStore } from '../service/plan-store.ts';
import {
  failFastConnection,
  type QueueJobData,
  redisConnection,
  type SolveJobResult,
  type SolveQueue,
} from '../service/solve-queue.ts';
import { startWorker, type WorkerHandle } from '../workers/start-worker.ts';
import type { TenantLimits } from '../service/tenant-slots.ts';
import type { OsrmTable } from '../service/road/osrm-table.ts';
import { type AppOptions, buildApp } from './app.ts';
import { createApiKey } from '../service/api-keys.ts';
import { redisAppOptions } from './redis-options.ts';
import { type JobEvents, queueJobEvents } from '../service/job-events.ts';

/** For integration tests: real Redis, a worker, and a queue and key prefix of the run's own, removed at close. */
export interface TestService {
  run: string;
  prefix: string;
  queueName: string;
  /** The API's fail-fast connection. */
  redis: Redis;
  store: PlanStore;
  queue: SolveQueue;
  events: JobEvents;
  worker: WorkerHandle | null;
  /** The API over this service, as server.ts builds it (more options for a test's needs). */
  app(options?: Partial<AppOptions>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export async function startTestService(
  options: {
    worker?: boolean;
    tenantLimits?: TenantLimits;
    /** A routing service for the worker (as OSRM_URL sets it). */
    road?: { table: OsrmTable; cacheTtlSeconds?: number };
  } = {},
): Promise<TestService> {
  const run = randomBytes(4).toString('hex');
  const prefix = `hhctest:${run}`;
  const queueName = `hhc-solve-test-${run}`;
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const connection = failFastConnection(url);
  const redis = new Redis(connection as never);
  const workerRedis = new Redis(redisConnection(url) as never);
  const store = new PlanStore(redis, prefix);
  const queue = new Queue<QueueJobData, SolveJobResult>(queueName, { connection });
  const events = await queueJobEvents(queueName, redisConnection(url));
  const tenantLimits = options.tenantLimits ?? { maxQueued: 100, maxRunning: 2 };
  const worker =
    options.worker === false
      ? null
      : await startWorker({
          connection: redisConnection(url),
          store: new PlanStore(workerRedis, prefix),
          queueName,
          tenantLimits,
          log: () => undefined,
          ...(options.road !== undefined && { road: options.road }),
        });
  const apps: FastifyInstance[] = [];
  return {
    run,
    prefix,
    queueName,
    redis,
    store,
    queue,
    events,
    worker,
    async app(extra = {}) {
      const app = await buildApp({
        ...redisAppOptions({ redis, queue, events, prefix, queueName, tenantLimits }),
        store,
        ...extra,
      });
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) await app.close();
      await worker?.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      workerRedis.disconnect();
    },
  };
}

/** Every key of a test service's prefix with its type and content, rate-limit counters aside: what a refused request must leave as it was. */
export async function serviceSnapshot(
  svc: Pick<TestService, 'redis' | 'prefix'>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const k of (await svc.redis.keys(`${svc.prefix}:*`)).sort()) {
    if (k.includes(':rate:')) continue;
    const type = await svc.redis.type(k);
    const value =
      type === 'string'
        ? await svc.redis.get(k)
        : type === 'hash'
          ? JSON.stringify(await svc.redis.hgetall(k))
          : JSON.stringify(await svc.redis.zrange(k, '0', '-1', 'WITHSCORES'));
    out.set(k, `${type}:${value}`);
  }
  return out;
}

/**
 * For the issue-11 tests: a service without a worker (submissions stay queued, so counts of jobs
 * and versions are exact), its app, and a coordinator key of tenant 'had-lille'.
 */
export async function workerlessService(): Promise<{ svc: TestService; app: FastifyInstance; key: string }> {
  const svc = await startTestService({ worker: false });
  const app = await svc.app();
  const key = await createApiKey(svc.redis, { tenant: 'had-lille', role: 'coordinator' }, svc.prefix);
  return { svc, app, key };
}
