import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../service/api-keys.ts';
import { startTestService, type TestService } from './test-service.ts';

// Real Redis and a worker, a queue and key prefix of this run's own.
let svc: TestService;
let app: FastifyInstance;
let key: string;
/** VROOM's documented example (fixtures/requests/vroom.json), its jobs moved near the depot: all fit at 40 km/h. */
const documented = JSON.parse(
  readFileSync(new URL('../fixtures/requests/vroom.json', import.meta.url), 'utf8'),
) as {
  vehicles: object[];
  jobs: { id: number; location: number[] }[];
};
const request = {
  vehicles: documented.vehicles,
  jobs: documented.jobs
    .filter((j) => [1, 2, 5, 6].includes(j.id))
    .map((j) => ({
      ...j,
      location: [2.35044 + (j.location[0] - 2.35044) / 5, 48.71764 + (j.location[1] - 48.71764) / 5],
    })),
};

beforeAll(async () => {
  svc = await startTestService();
  app = await svc.app();
  key = await createApiKey(svc.redis, { tenant: 'vroom-users', role: 'coordinator' }, svc.prefix);
});

afterAll(async () => {
  await app?.close();
  await svc?.close();
});

describe('POST /v1/vroom', () => {
  it("answers a VROOM request in VROOM's output shape; what it lacks is a 400 naming the field", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/vroom?timeLimit=1',
      payload: request,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.statusCode).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({
      code: 0,
      summary: { unassigned: 0, routes: expect.any(Number) },
      unassigned: [],
    });
    const jobs = out.routes.flatMap((r: { steps: { type: string; id?: number }[] }) =>
      r.steps.filter((s) => s.type === 'job').map((s) => s.id),
    );
    expect(jobs.sort()).toEqual([1, 2, 5, 6]);
    for (const r of out.routes) {
      expect(r.steps[0]).toMatchObject({ type: 'start', location: [2.35044, 48.71764] });
      expect(r.steps.at(-1)).toMatchObject({ type: 'end' });
    }
    const refused = await app.inject({
      method: 'POST',
      url: '/v1/vroom',
      payload: { ...request, shipments: [{ pickup: { id: 1 }, delivery: { id: 2 } }] },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([
      expect.objectContaining({ pointer: '/shipments', code: 'E_UNSUPPORTED' }),
    ]);
    // A field VROOM ignores, nested past the limit: refused, not a crash.
    const deep = `{"vehicles":[{"id":1,"start":[2.35,48.71]}],"jobs":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const nested = await app.inject({
      method: 'POST',
      url: '/v1/vroom',
      payload: deep,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().issues[0]).toMatchObject({ code: 'E_LIMIT' });
    // The engine's own findings point into the request.
    const reversed = await app.inject({
      method: 'POST',
      url: '/v1/vroom',
      payload: { ...request, jobs: [{ id: 9, location: [2.3, 48.7], time_windows: [[40000, 30000]] }] },
      headers: { authorization: `Bearer ${key}` },
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().issues[0]).toMatchObject({ pointer: '/jobs/0/time_windows/0' });
  });
});
