import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryBackend } from '../service/memory-backend.ts';
import { solveProcessor } from '../workers/solve-processor.ts';
import { buildApp } from './app.ts';

const day = JSON.parse(readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'));
const big = JSON.parse(readFileSync(new URL('../fixtures/care/had-60n-600v.json', import.meta.url), 'utf8'));
let app: FastifyInstance;
let key: string;
const headers = () => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  const m = memoryBackend({ processor: solveProcessor });
  key = m.createKey({ tenant: 'demo', role: 'coordinator' });
  app = await buildApp({
    prefix: 'mem',
    store: m.store,
    queue: m.queue,
    events: m.events,
    principalOf: m.principalOf,
    cancel: m.cancel,
  });
});
afterAll(() => app?.close());

describe('without Redis: in-process queue and in-memory store', () => {
  it('says it is in memory, solves a submitted day, and keeps its versions for this process', async () => {
    expect((await app.inject({ url: '/readyz' })).json().redis).toMatch(/in-memory/);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=1&wait=30',
      payload: day,
      headers: headers(),
    });
    expect(res.statusCode).toBe(200);
    const { planId, plan } = res.json();
    expect(plan.summary.unassigned).toBe(0);
    const again = await app.inject({ url: `/v1/plans/${planId}`, headers: headers() });
    expect(again.json()).toMatchObject({ version: 1, job: { state: 'completed' } });
    const route = await app.inject({ url: `/v1/plans/${planId}/nurses/claire/route`, headers: headers() });
    expect(route.json().stops.length).toBeGreaterThan(0);
  });

  it('cancels a running solve and keeps its best plan', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=60',
      payload: big,
      headers: headers(),
    });
    const { planId, jobId } = res.json();
    for (
      let k = 0;
      k < 100 &&
      (await app.inject({ url: `/v1/jobs/${jobId}`, headers: headers() })).json().progress === null;
      k++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(
      (await app.inject({ method: 'DELETE', url: `/v1/jobs/${jobId}`, headers: headers() })).statusCode,
    ).toBe(202);
    let state = '';
    for (let k = 0; k < 100 && state !== 'cancelled'; k++) {
      state = (await app.inject({ url: `/v1/jobs/${jobId}`, headers: headers() })).json().state;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('cancelled');
    expect((await app.inject({ url: `/v1/plans/${planId}`, headers: headers() })).json().status).toBe(
      'cancelled',
    );
  });
});
