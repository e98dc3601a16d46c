import type { Redis } from 'ioredis';

/**
 * Where blocks of road matrices are kept between solves: one entry per pair of place chunks and
 * profile (service/road/road-matrices.ts). Best effort: a cache that fails is a cache that
 * misses, never a failed solve.
 */
export interface RoadCache {
  get(keys: string[]): Promise<(Buffer | null)[]>;
  set(entries: [string, Buffer][]): Promise<void>;
}

/** Default life of a cached block: a week, so that a routing service's new road data shows within one. */
export const ROAD_CACHE_TTL_S = 7 * 24 * 3600;

/** In Redis, under `<prefix>:road:…`, each block expiring after `ttlSeconds`. */
export class RedisRoadCache implements RoadCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'hhc',
    private readonly ttlSeconds = ROAD_CACHE_TTL_S,
  ) {}

  key(k: string): string {
    return `${this.prefix}:road:${k}`;
  }

  async get(keys: string[]): Promise<(Buffer | null)[]> {
    const out: (Buffer | null)[] = [];
    try {
      for (let i = 0; i < keys.length; i += 500)
        out.push(...(await this.redis.mgetBuffer(...keys.slice(i, i + 500).map((k) => this.key(k)))));
      return out;
    } catch {
      return keys.map(() => null);
    }
  }

  async set(entries: [string, Buffer][]): Promise<void> {
    if (entries.length === 0) return;
    const pipe = this.redis.pipeline();
    for (const [k, v] of entries) pipe.set(this.key(k), v, 'EX', this.ttlSeconds);
    await pipe.exec().catch(() => undefined);
  }
}

/** In this process (the CLI, the service's in-memory mode): at most `maxBytes`, the oldest dropped first. */
export class MemoryRoadCache implements RoadCache {
  private readonly blocks = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes = 256 * 2 ** 20) {}

  get(keys: string[]): Promise<(Buffer | null)[]> {
    return Promise.resolve(keys.map((k) => this.blocks.get(k) ?? null));
  }

  set(entries: [string, Buffer][]): Promise<void> {
    for (const [k, v] of entries) {
      const old = this.blocks.get(k);
      if (old !== undefined) this.bytes -= old.length;
      this.blocks.delete(k);
      this.blocks.set(k, v);
      this.bytes += v.length;
    }
    for (const [k, v] of this.blocks) {
      if (this.bytes <= this.maxBytes) break;
      this.blocks.delete(k);
      this.bytes -= v.length;
    }
    return Promise.resolve();
  }
}
