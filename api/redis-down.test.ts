/** Issue 11: with Redis down the API answers 503 within a second; /readyz reports persistence; the cancel channel is namespaced and survives malformed messages. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelChannel } from '../service/cancel.ts';
import { failFastConnection } from '../service/solve-queue.ts';
import { PlanStore } from '../service/plan-store.ts';
import { buildApp } from './app.ts';
import { createApiKey } from '../service/api-keys.ts';
import { type TestService, startTestService, workerlessService } from './test-service.ts';

const day = JSON.parse(readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'));
let svc: TestService;
let app: FastifyInstance;
let key: string;
const auth = (k = key) => ({ authorization: `Bearer ${k}` });

beforeAll(async () => ({ svc, app, key } = await workerlessService()));
afterAll(() => svc?.close());

describe('Redis down', () => {
  it('the API answers 503 with Retry-After within a second, and /readyz says why', async () => {
    const dead = new Redis(failFastConnection('redis://127.0.0.1:1') as never);
    dead.on('error', () => undefined);
    const down = await buildApp({
      redis: dead,
      store: new PlanStore(dead, svc.prefix),
      queue: svc.queue,
      events: svc.events,
      prefix: svc.prefix,
    });
    // Loaded first: the second measured is the answer's, not the app's start (plugins and routes
    // load at the first request otherwise, over a second on a loaded 2-core machine).
    await down.ready();
    for (const req of [
      { url: '/readyz' },
      { url: '/v1/plans/0b0e7a0e-0000-4000-8000-000000000000', headers: auth() },
    ]) {
      const t = performance.now();
      const res = await down.inject(req);
      expect(performance.now() - t).toBeLessThan(1000);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
    }
    expect((await down.inject({ url: '/readyz' })).json().redis).toMatch(/down/);
    await down.close();
    dead.disconnect();
  });

  it('/readyz says whether Redis keeps plans (append-only file, noeviction)', async () => {
    const ready = (await app.inject({ url: '/readyz' })).json();
    expect(ready.persistence).toMatchObject({
      appendOnly: expect.any(Boolean),
      evictionPolicy: expect.any(String),
    });
    expect(ready.persistence.safe).toBe(ready.persistence.problems.length === 0);
  });
});

describe('the cancel channel', () => {
  it('is named by prefix and queue; a malformed message is ignored and the worker lives on', async () => {
    expect(cancelChannel('hhc', 'hhc-solve')).not.toBe(cancelChannel('hhctest', 'hhc-solve'));
    expect(cancelChannel('hhc', 'a')).not.toBe(cancelChannel('hhc', 'b'));
    const withWorker = await startTestService();
    try {
      await withWorker.redis.publish(cancelChannel(withWorker.prefix, withWorker.queueName), '{not json');
      await withWorker.redis.publish(cancelChannel(withWorker.prefix, withWorker.queueName), '{"jobId": 42}');
      const api = await withWorker.app();
      const k = await createApiKey(
        withWorker.redis,
        { tenant: 'had-lille', role: 'coordinator' },
        withWorker.prefix,
      );
      const res = await api.inject({
        method: 'POST',
        url: '/v1/plans?timeLimit=1&wait=30',
        payload: day,
        headers: auth(k),
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await withWorker.close();
    }
  });
});
