import type { Redis } from 'ioredis';

/** Whether Redis keeps what it is given: plans live there and nowhere else. */
export interface Persistence {
  appendOnly: boolean;
  evictionPolicy: string;
  /** True when plans survive a restart (append-only file) and are never evicted (noeviction). */
  safe: boolean;
  problems: string[];
}

const field = (info: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';

/** Reads Redis's persistence and eviction settings (INFO, which managed Redis services allow). */
export async function redisPersistence(redis: Redis): Promise<Persistence> {
  const info = await redis.info();
  const appendOnly = field(info, 'aof_enabled') === '1';
  const evictionPolicy = field(info, 'maxmemory_policy') || 'unknown';
  const problems: string[] = [];
  if (!appendOnly)
    problems.push(
      'the append-only file is off: plans written since the last snapshot are lost on a restart (appendonly yes)',
    );
  if (evictionPolicy !== 'noeviction')
    problems.push(
      `maxmemory-policy is ${evictionPolicy}: Redis may evict plans under memory pressure (maxmemory-policy noeviction)`,
    );
  return { appendOnly, evictionPolicy, safe: problems.length === 0, problems };
}

/** Resolves true when Redis answers PING within `ms`, else false (never hangs). */
export async function pingWithin(redis: Redis, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([
      redis.ping().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Errors that mean Redis is unreachable or not answering (the API answers 503 with Retry-After). */
export function isStoreUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  return /Stream isn't writeable|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|LOADING|MISCONF|READONLY|MASTERDOWN|enableOfflineQueue/i.test(
    e.message,
  );
}
