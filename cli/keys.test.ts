import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { principalOf } from '../service/api-keys.ts';

/** `hhc keys` and `hhc serve` in child processes, against the real Redis. */
const HHC = fileURLToPath(new URL('./hhc.js', import.meta.url));
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `hhctest:${randomBytes(4).toString('hex')}`;
const redis = new Redis(url);
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const hhc = (env: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [HHC, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, REDIS_URL: url, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe('hhc keys', () => {
  it('creates a key under HHC_PREFIX, the prefix the service uses, and revokes it there', async () => {
    const made = hhc(
      { HHC_PREFIX: prefix },
      'keys',
      'create',
      '--tenant',
      'had-lille',
      '--role',
      'coordinator',
    );
    expect(made.code).toBe(0);
    const key = made.stdout.trim();
    expect(await principalOf(redis, key, prefix)).toMatchObject({ tenant: 'had-lille', role: 'coordinator' });
    expect(await principalOf(redis, key, 'hhc')).toBeNull();
    expect(hhc({ HHC_PREFIX: prefix }, 'keys', 'revoke', key).code).toBe(0);
    expect(await principalOf(redis, key, prefix)).toBeNull();
  });

  it('refuses a tenant name that could not be part of a key (exit 2)', () => {
    const bad = hhc(
      { HHC_PREFIX: prefix },
      'keys',
      'create',
      '--tenant',
      'a:plan:x',
      '--role',
      'coordinator',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tenant/);
  });
});

describe('hhc serve with NODE_ENV=production', () => {
  it('refuses to start on a Redis that would lose plans', async () => {
    const info = await redis.info('persistence');
    const policy = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const safe = /aof_enabled:1/.test(info) && policy[1] === 'noeviction';
    const r = hhc({ NODE_ENV: 'production', PORT: '0', HHC_PREFIX: prefix }, 'serve');
    if (safe) return; // this Redis keeps plans: nothing to refuse (CI's does not)
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/would lose plans/);
    expect(r.stderr).toMatch(/appendonly yes|noeviction/);
  });
});
