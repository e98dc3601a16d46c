import type { Redis } from 'ioredis';

/**
 * Fairness between tenants on a shared queue: a tenant may have at most `maxQueued` jobs waiting
 * or running (the API answers 429 past it) and at most `maxRunning` running at once (a worker
 * that takes one more puts it back for a few seconds), so one agency's batch never holds every
 * worker. Counted in Redis, so every API and worker process shares the counts.
 */
export interface TenantSlots {
  /** Reserves a queued slot for a new job; false when the tenant already has maxQueued open jobs. */
  reserveQueued(tenant: string, jobId: string): Promise<boolean>;
  /** Gives back a queued slot whose job could not be queued. */
  releaseQueued(tenant: string, jobId: string): Promise<void>;
  /** Takes (or renews) a running slot for `ttlMs`; false when the tenant already runs maxRunning jobs. */
  acquireRunning(tenant: string, jobId: string, ttlMs: number): Promise<boolean>;
  releaseRunning(tenant: string, jobId: string): Promise<void>;
}

export interface TenantLimits {
  maxQueued: number;
  maxRunning: number;
}

/** HHC_TENANT_MAX_QUEUED (default 100) and HHC_TENANT_MAX_RUNNING (default 2). */
export function tenantLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): TenantLimits {
  const read = (name: string, fallback: number) => {
    const text = env[name];
    if (text === undefined) return fallback;
    if (!/^[1-9]\d{0,5}$/.test(text)) throw new Error(`${name} must be a positive integer, not '${text}'`);
    return Number(text);
  };
  return { maxQueued: read('HHC_TENANT_MAX_QUEUED', 100), maxRunning: read('HHC_TENANT_MAX_RUNNING', 2) };
}

// ARGV: tenant's queued set, BullMQ job key prefix ('bull:<queue>:'), job id, cap.
// Forgets jobs that ended, and reservations older than a minute whose job never came (a
// younger one is a request between its reservation and its queue.add), then reserves. Scores
// are Redis's own clock.
const RESERVE_QUEUED = `
local set, jobPrefix, jobId, cap = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZSCORE', set, jobId) then return 1 end
local members = redis.call('ZRANGE', set, 0, -1, 'WITHSCORES')
for i = 1, #members, 2 do
  local key = jobPrefix .. members[i]
  if redis.call('EXISTS', key) == 0 then
    if tonumber(members[i + 1]) < now - 60000 then redis.call('ZREM', set, members[i]) end
  elseif redis.call('HEXISTS', key, 'finishedOn') == 1 then
    redis.call('ZREM', set, members[i])
  end
end
if redis.call('ZCARD', set) >= cap then return 0 end
redis.call('ZADD', set, now, jobId)
return 1
`;

// ARGV: tenant's running set, job id, cap, now (ms), ttl (ms).
const ACQUIRE_RUNNING = `
local set, jobId, cap, now, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
if not redis.call('ZSCORE', set, jobId) and redis.call('ZCARD', set) >= cap then return 0 end
redis.call('ZADD', set, now + ttl, jobId)
redis.call('PEXPIRE', set, ttl * 2)
return 1
`;

export function redisTenantSlots(
  redis: Redis,
  options: { prefix: string; jobKeyPrefix: string; limits: TenantLimits },
): TenantSlots {
  const key = (tenant: string, what: string) => `${options.prefix}:t:${tenant}:${what}`;
  return {
    async reserveQueued(tenant, jobId) {
      const ok = await redis.eval(
        RESERVE_QUEUED,
        0,
        key(tenant, 'queued'),
        options.jobKeyPrefix,
        jobId,
        options.limits.maxQueued,
      );
      return ok === 1;
    },
    async releaseQueued(tenant, jobId) {
      await redis.zrem(key(tenant, 'queued'), jobId);
    },
    async acquireRunning(tenant, jobId, ttlMs) {
      const ok = await redis.eval(
        ACQUIRE_RUNNING,
        0,
        key(tenant, 'running'),
        jobId,
        options.limits.maxRunning,
        Date.now(),
        ttlMs,
      );
      return ok === 1;
    },
    async releaseRunning(tenant, jobId) {
      await redis.zrem(key(tenant, 'running'), jobId);
    },
  };
}

/** In memory one job runs at a time: no caps to keep. */
export const unlimitedSlots: TenantSlots = {
  reserveQueued: async () => true,
  releaseQueued: async () => undefined,
  acquireRunning: async () => true,
  releaseRunning: async () => undefined,
};
