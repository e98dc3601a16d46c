import type { Redis } from 'ioredis';
import { requestCancel } from '../service/cancel.ts';
import { PlanStore } from '../service/plan-store.ts';
import type { SolveQueue } from '../service/solve-queue.ts';
import { redisTenantSlots, type TenantLimits } from '../service/tenant-slots.ts';
import type { AppOptions } from './app.ts';
import type { JobEvents } from '../service/job-events.ts';

/** The app's options on Redis: the store, queue, events, tenant caps and cancel channel of one prefix and queue. */
export function redisAppOptions(o: {
  redis: Redis;
  queue: SolveQueue;
  events: JobEvents;
  prefix: string;
  queueName: string;
  tenantLimits: TenantLimits;
}): AppOptions {
  const { redis, queue, events, prefix, queueName } = o;
  return {
    redis,
    store: new PlanStore(redis, prefix),
    queue,
    events,
    prefix,
    slots: redisTenantSlots(redis, { prefix, jobKeyPrefix: queue.toKey(''), limits: o.tenantLimits }),
    publishCancel: (jobId) => requestCancel(redis, prefix, queueName, jobId),
  };
}
