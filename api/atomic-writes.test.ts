/** Issue 11: a request that fails leaves nothing behind, and one Idempotency-Key makes one plan and one job however many copies arrive. Real Redis. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestService, serviceSnapshot, workerlessService } from './test-service.ts';

const day = JSON.parse(readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'));
let svc: TestService;
let app: FastifyInstance;
let key: string;
const auth = (k = key) => ({ authorization: `Bearer ${k}` });
const storeSnapshot = () => serviceSnapshot(svc);

beforeAll(async () => ({ svc, app, key } = await workerlessService()));
afterAll(() => svc?.close());

describe('a request that fails leaves nothing behind', () => {
  const deep = (levels: number) => {
    let v: unknown = 1;
    for (let k = 0; k < levels; k++) v = [v];
    return v;
  };

  it('a body nested 4,100 levels deep is a 400; the idempotency key stays free and nothing is stored', async () => {
    const before = await storeSnapshot();
    const counts = await svc.queue.getJobCounts();
    const bad = { ...day, name: deep(4100) };
    const headers = { ...auth(), 'idempotency-key': `deep-${svc.run}` };
    const res = await app.inject({ method: 'POST', url: '/v1/plans', payload: bad, headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].pointer).toMatch(/^\/name/);
    expect(await storeSnapshot()).toEqual(before);
    expect(await svc.queue.getJobCounts()).toEqual(counts);
    // The same key with a valid body creates the plan (the refused request claimed nothing).
    const good = await app.inject({ method: 'POST', url: '/v1/plans', payload: day, headers });
    expect(good.statusCode).toBe(202);
    expect((await app.inject({ url: `/v1/plans/${good.json().planId}`, headers: auth() })).statusCode).toBe(
      200,
    );
    expect(await svc.queue.getJob(good.json().jobId)).toBeDefined();
  });

  it('PUT /v1/days with a deep body leaves no day pointer', async () => {
    const before = await storeSnapshot();
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/days/2099-03-01',
      payload: { ...day, nurses: [{ ...day.nurses[0], notes: deep(4100) }, ...day.nurses.slice(1)] },
      headers: auth(),
    });
    expect(res.statusCode).toBe(400);
    expect(await storeSnapshot()).toEqual(before);
    expect((await app.inject({ url: '/v1/days/2099-03-01', headers: auth() })).statusCode).toBe(404);
  });

  it('a queue that refuses the job undoes the stored plan (staged writes)', async () => {
    const failing = await svc.app({
      queue: Object.assign(Object.create(svc.queue) as typeof svc.queue, {
        add: async () => {
          throw new Error('Connection is closed.');
        },
      }),
    });
    const before = await storeSnapshot();
    const res = await failing.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: day,
      headers: { ...auth(), 'idempotency-key': `undo-${svc.run}` },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(await storeSnapshot()).toEqual(before);
  });
});

describe('idempotency under concurrency', () => {
  it('20 identical concurrent POSTs with one key make one plan and one job; the key with another body is 422', async () => {
    const headers = { ...auth(), 'idempotency-key': `burst-${svc.run}` };
    const before = await svc.queue.getJobCounts('prioritized', 'waiting');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.inject({ method: 'POST', url: '/v1/plans', payload: day, headers }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(202));
    expect(new Set(answers.map((a) => a.json().planId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.json().jobId)).size).toBe(1);
    const after = await svc.queue.getJobCounts('prioritized', 'waiting');
    expect(after.prioritized + after.waiting - before.prioritized - before.waiting).toBe(1);
    const other = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: { ...day, name: 'another day' },
      headers,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error).toBe('E_IDEMPOTENCY_CONFLICT');
  });
});
