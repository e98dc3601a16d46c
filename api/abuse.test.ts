/** Issue 11: rate limits by key identity and failed authentication by address, schedule caps, tenant caps, event-stream caps. Real Redis. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisTenantSlots } from '../service/tenant-slots.ts';
import { MemoryQueue } from '../service/memory-queue.ts';
import { MemoryPlanStore } from '../service/memory-store.ts';
import { buildApp } from './app.ts';
import { createApiKey } from '../service/api-keys.ts';
import { DEFAULT_SERVICE_LIMITS } from './limits.ts';
import { type TestService, serviceSnapshot, workerlessService } from './test-service.ts';

const day = JSON.parse(readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'));
let svc: TestService;
let app: FastifyInstance;
let key: string;
const auth = (k = key) => ({ authorization: `Bearer ${k}` });
const storeSnapshot = () => serviceSnapshot(svc);

beforeAll(async () => ({ svc, app, key } = await workerlessService()));
afterAll(() => svc?.close());

describe('abuse', () => {
  it('one key has one allowance however its header is spelt; failed keys are counted per address', async () => {
    const limited = await svc.app({
      limits: { ...DEFAULT_SERVICE_LIMITS, requestsPerMinute: 3, authFailuresPerMinute: 4 },
    });
    const fresh = await createApiKey(svc.redis, { tenant: 'had-lille', role: 'coordinator' }, svc.prefix);
    const codes: number[] = [];
    for (const header of [`bearer ${fresh}`, `BEARER ${fresh}`, `Bearer  ${fresh}`, `Bearer ${fresh}`])
      codes.push(
        (await limited.inject({ url: '/v1/jobs/12345', headers: { authorization: header } })).statusCode,
      );
    expect(codes).toEqual([404, 404, 404, 429]);
    const failures: number[] = [];
    for (let k = 0; k < 6; k++)
      failures.push(
        (
          await limited.inject({
            url: '/v1/jobs/12345',
            headers: { authorization: `Bearer hhc_wrong${k}` },
            remoteAddress: '10.9.8.7',
          })
        ).statusCode,
      );
    expect(failures).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('a schedule runs at most hourly and searches at most the capped time', async () => {
    const everySecond = await app.inject({
      method: 'PUT',
      url: '/v1/schedule',
      payload: { cron: '* * * * * *', timezone: 'Europe/Paris' },
      headers: auth(),
    });
    expect(everySecond.statusCode).toBe(400);
    expect(everySecond.json().issues[0]).toMatchObject({ pointer: '/cron', code: 'E_LIMIT' });
    const long = await app.inject({
      method: 'PUT',
      url: '/v1/schedule',
      payload: { cron: '0 2 * * *', timezone: 'Europe/Paris', timeLimit: 3600 },
      headers: auth(),
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().issues[0]).toMatchObject({ pointer: '/timeLimit', code: 'E_LIMIT' });
  });

  it('a tenant over its cap of open jobs gets 429 and nothing is stored', async () => {
    const capped = await svc.app({
      slots: redisTenantSlots(svc.redis, {
        prefix: svc.prefix,
        jobKeyPrefix: svc.queue.toKey(''),
        limits: { maxQueued: 2, maxRunning: 1 },
      }),
    });
    const other = await createApiKey(svc.redis, { tenant: 'had-capped', role: 'coordinator' }, svc.prefix);
    const codes = [];
    for (let k = 0; k < 2; k++)
      codes.push(
        (await capped.inject({ method: 'POST', url: '/v1/plans', payload: day, headers: auth(other) }))
          .statusCode,
      );
    const before = await storeSnapshot();
    const third = await capped.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: day,
      headers: auth(other),
    });
    expect([...codes, third.statusCode]).toEqual([202, 202, 429]);
    expect(third.json().error).toBe('E_TENANT_BUSY');
    const after = await storeSnapshot();
    after.delete(`${svc.prefix}:t:had-capped:queued`);
    before.delete(`${svc.prefix}:t:had-capped:queued`);
    expect(after).toEqual(before);
  });

  it('a running slot per tenant: past maxRunning a tenant waits, another tenant does not', async () => {
    const slots = redisTenantSlots(svc.redis, {
      prefix: svc.prefix,
      jobKeyPrefix: svc.queue.toKey(''),
      limits: { maxQueued: 10, maxRunning: 1 },
    });
    expect(await slots.acquireRunning('a', 'j1', 5000)).toBe(true);
    expect(await slots.acquireRunning('a', 'j1', 5000)).toBe(true); // renewal
    expect(await slots.acquireRunning('a', 'j2', 5000)).toBe(false);
    expect(await slots.acquireRunning('b', 'j3', 5000)).toBe(true);
    await slots.releaseRunning('a', 'j1');
    expect(await slots.acquireRunning('a', 'j2', 5000)).toBe(true);
  });

  it('event streams are capped per key', async () => {
    const queue = new MemoryQueue();
    const store = new MemoryPlanStore();
    const job = await queue.add(
      'solve',
      { tenant: 'had-lille', planId: 'p', kind: 'solve', timeLimit: 1, seed: 1 },
      { jobId: '0b0e7a0e-0000-4000-8000-000000000000.1' },
    );
    const keyed = await buildApp({
      prefix: 'mem',
      store,
      queue,
      events: queue.events,
      principalOf: async () => ({ tenant: 'had-lille', role: 'coordinator', keyId: 'k1' }),
      limits: { ...DEFAULT_SERVICE_LIMITS, streamsPerKey: 2, streamMaxSeconds: 30 },
    });
    const url = `/v1/jobs/${job.id}/events`;
    const open = [keyed.inject({ url, headers: auth() }), keyed.inject({ url, headers: auth() })];
    await new Promise((r) => setTimeout(r, 200));
    const third = await keyed.inject({ url, headers: auth() });
    expect(third.statusCode).toBe(429);
    job.setState('completed'); // the two streams end with 'done'
    for (const res of await Promise.all(open)) expect(res.body).toContain('event: done');
    await keyed.close();
  });
});
