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
let nurseKey: string;
const headers = () => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  const m = memoryBackend({ processor: solveProcessor });
  key = m.createKey({ tenant: 'demo', role: 'coordinator' });
  nurseKey = m.createKey({ tenant: 'demo', role: 'nurse', nurse: 'claire' });
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

  it('recommends a place for a new visit and applies it as a new version', async () => {
    const { planId } = (
      await app.inject({
        method: 'POST',
        url: '/v1/plans?timeLimit=1&wait=30',
        payload: day,
        headers: headers(),
      })
    ).json();
    const visit = { id: 'new-dressing', location: { lon: 3.1, lat: 50.65 }, duration: 30, skills: ['RN'] };
    const found = await app.inject({
      method: 'POST',
      url: `/v1/plans/${planId}/recommendations`,
      payload: { visit, count: 2 },
      headers: headers(),
    });
    expect(found.statusCode).toBe(200);
    const best = found.json().options[0];
    const applied = await app.inject({
      method: 'POST',
      url: `/v1/plans/${planId}/recommendations/apply?wait=30`,
      payload: { version: 1, visit, nurse: best.nurse, after: best.after },
      headers: headers(),
    });
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({ version: 2, changes: { added: ['new-dressing'] } });
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

  it("holds every /v1 route to the roles it names: a nurse's key is refused the coordinators' routes once the request is valid", async () => {
    const plan = '00000000-0000-4000-8000-000000000000';
    const job = `${plan}.1`;
    const coordinatorOnly = [
      { method: 'POST', url: '/v1/plans', payload: day },
      { method: 'GET', url: `/v1/plans/${plan}` },
      { method: 'GET', url: `/v1/plans/${plan}/versions/1` },
      { method: 'POST', url: `/v1/plans/${plan}/reoptimize`, payload: {} },
      { method: 'PUT', url: '/v1/days/2026-12-07', payload: day },
      { method: 'GET', url: '/v1/days/2026-12-07' },
      { method: 'PUT', url: '/v1/schedule', payload: { cron: '0 2 * * *', timezone: 'Europe/Paris' } },
      { method: 'GET', url: '/v1/schedule' },
      { method: 'GET', url: `/v1/jobs/${job}` },
      { method: 'DELETE', url: `/v1/jobs/${job}` },
      { method: 'GET', url: `/v1/jobs/${job}/events` },
    ] as const;
    const nurse = { authorization: `Bearer ${nurseKey}` };
    for (const request of coordinatorOnly) {
      const res = await app.inject({ ...request, headers: nurse });
      expect([request.url, res.statusCode, res.json()]).toEqual([
        request.url,
        403,
        { error: 'E_FORBIDDEN', message: 'this needs the role coordinator' },
      ]);
      // An invalid request is answered as such first, whoever sends it.
      const invalid = await app.inject({ ...request, url: `${request.url}?unknown=1`, headers: nurse });
      expect([request.url, invalid.statusCode]).toEqual([request.url, 400]);
    }
    // Her own route is hers (no plan here: not found); another nurse's is not.
    const own = await app.inject({ url: `/v1/plans/${plan}/nurses/claire/route`, headers: nurse });
    expect(own.statusCode).toBe(404);
    const other = await app.inject({ url: `/v1/plans/${plan}/nurses/bob/route`, headers: nurse });
    expect([other.statusCode, other.json().message]).toEqual([403, 'a nurse sees only her own route']);
  });
});
