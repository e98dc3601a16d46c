import { Redis } from 'ioredis';
import { OsrmTable } from './osrm-table.ts';

/**
 * `OSRM_URL`: one http(s) URL for every travel profile, or `profile=URL` pairs separated by
 * commas (`car=http://osrm-car:5000,bike=http://osrm-bike:5001`). Throws an Error naming `what`.
 */
export function parseOsrmUrl(text: string, what: string): string | Record<string, string> {
  const check = (u: string) => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new Error(`${what} must be an http(s) URL or profile=URL pairs, got '${u}'`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new Error(`${what} must be an http(s) URL, got '${u}'`);
    return u;
  };
  if (!/^[\w-]+=/.test(text)) return check(text);
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`${what}: '${part}' is not profile=URL`);
    out[part.slice(0, eq)] = check(part.slice(eq + 1));
  }
  return out;
}

/** The URL the phone's legs use: the one service, or the `car` profile's. */
export function legsUrlOf(url: string | Record<string, string>): string | undefined {
  return typeof url === 'string' ? url : url.car;
}

const whole = (env: NodeJS.ProcessEnv, name: string, min: number): number | undefined => {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got '${text}'`);
  return n;
};

/**
 * The table service the environment configures, or null without `OSRM_URL`: `OSRM_TABLE_SIZE`
 * (the server's --max-table-size, default 100), `OSRM_CONCURRENCY` (requests in flight, 4),
 * `OSRM_TIMEOUT_MS` (10000), `OSRM_RETRIES` (2). Throws an Error naming a bad variable.
 */
export function osrmTableFromEnv(env: NodeJS.ProcessEnv = process.env): OsrmTable | null {
  const text = env.OSRM_URL;
  if (text === undefined || text === '') return null;
  const url = parseOsrmUrl(text, 'OSRM_URL');
  const maxTableSize = whole(env, 'OSRM_TABLE_SIZE', 2);
  const concurrency = whole(env, 'OSRM_CONCURRENCY', 1);
  const timeoutMs = whole(env, 'OSRM_TIMEOUT_MS', 1);
  const retries = whole(env, 'OSRM_RETRIES', 0);
  return new OsrmTable({
    url,
    ...(maxTableSize !== undefined && { maxTableSize }),
    ...(concurrency !== undefined && { concurrency }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(retries !== undefined && { retries }),
  });
}

/** `ROAD_CACHE_TTL`: seconds a cached block of road matrices lives (default a week). */
export function roadCacheTtlFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return whole(env, 'ROAD_CACHE_TTL', 1);
}

/** `ROAD_CACHE_REDIS_URL`: a Redis of its own for the road cache (with maxmemory and allkeys-lru), else the plans'. */
export function roadCacheRedisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.ROAD_CACHE_REDIS_URL;
  return url === undefined || url === '' ? undefined : url;
}

/** Road travel as the service and its workers run it: the table service, how long its blocks are kept, and where. */
export interface RoadSettings {
  table: OsrmTable;
  cacheTtlSeconds?: number;
  /** ROAD_CACHE_REDIS_URL's connection; absent: the plans' Redis. */
  cacheRedis?: Redis;
}

/** The environment's road travel (OSRM_URL and the rest), or undefined without OSRM_URL. Throws an Error naming a bad variable. */
export function roadSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RoadSettings | undefined {
  const table = osrmTableFromEnv(env);
  if (table === null) return undefined;
  const ttl = roadCacheTtlFromEnv(env);
  const cacheUrl = roadCacheRedisUrlFromEnv(env);
  return {
    table,
    ...(ttl !== undefined && { cacheTtlSeconds: ttl }),
    // The cache's own Redis reconnects by itself: a cache that fails is a cache that misses.
    ...(cacheUrl !== undefined && { cacheRedis: new Redis(cacheUrl).on('error', () => undefined) }),
  };
}
