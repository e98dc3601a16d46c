import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOsrmServer, type OsrmServer } from '../fixtures/osrm/osrm-server.ts';
import { createApiKey } from '../service/api-keys.ts';
import { OsrmTable } from '../service/road/osrm-table.ts';
import { RedisRoadCache } from '../service/road/road-cache.ts';
import { withRoadTravel } from '../service/road/road-matrices.ts';
import { RoadTravelService } from '../service/road/road-travel-service.ts';
import { checkPlan } from '../solver/check/check-plan.ts';
import type { Plan, ProblemInput } from '../solver/index.ts';
import { startTestService, type TestService } from './test-service.ts';

// Real Redis, a worker timing problems on the roads of a local OSRM-compatible server.
let osrm: OsrmServer;
let svc: TestService;
let app: FastifyInstance;
let key: string;
let table: OsrmTable;
const day = JSON.parse(
  readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'),
) as ProblemInput;
const post = (url: string, payload: object) =>
  app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  osrm = await startOsrmServer();
  table = new OsrmTable({ url: osrm.url, retries: 1, backoffMs: 5, timeoutMs: 2000 });
  svc = await startTestService({ road: { table, cacheTtlSeconds: 600 } });
  app = await svc.app({
    osrmUrl: osrm.url,
    road: new RoadTravelService(table, new RedisRoadCache(svc.redis, svc.prefix, 600)),
  });
  key = await createApiKey(svc.redis, { tenant: 'had-road', role: 'coordinator' }, svc.prefix);
});

afterAll(async () => {
  await app?.close();
  await svc?.close();
  await osrm?.close();
});

describe('road travel in the service (OSRM_URL)', () => {
  it('times a day on roads, caches its matrices in Redis, and a re-plan of the same day fetches nothing', async () => {
    const before = osrm.stats.tables;
    const v1 = (await post('/v1/plans?timeLimit=1&wait=30', day)).json();
    expect(v1.status).toBe('solved');
    const plan = v1.plan as Plan;
    expect(plan.travel).toEqual({ source: 'osrm' });
    expect(plan.warnings).toBeUndefined();
    expect(osrm.stats.tables).toBeGreaterThan(before);
    expect(await svc.redis.keys(`${svc.prefix}:road:*`)).not.toHaveLength(0);

    // The checker, against the same matrices (from the same service), finds nothing wrong.
    const same = await withRoadTravel(day, table, new RedisRoadCache(svc.redis, svc.prefix, 600));
    expect(checkPlan(same.problem, plan).violations).toEqual([]);

    // The same day again: no table request.
    const fetched = osrm.stats.tables;
    const v2 = (await post('/v1/plans?timeLimit=1&wait=30', day)).json();
    expect(v2.plan.travel).toEqual({ source: 'osrm' });
    expect(osrm.stats.tables).toBe(fetched);

    // Recommendations time the new visit on the same roads: its option's start is the plan's time after applying it.
    const visit = {
      id: 'roux-dressing',
      location: { lon: 3.1, lat: 50.65 },
      duration: 30,
      skills: ['RN'],
      timeWindows: [{ start: 600, end: 780 }],
    };
    const reco = await post(`/v1/plans/${v1.planId}/recommendations`, { visit, count: 2 });
    expect(reco.statusCode).toBe(200);
    const best = reco.json().options[0];
    const applied = await post(`/v1/plans/${v1.planId}/recommendations/apply?wait=30`, {
      version: 1,
      visit,
      nurse: best.nurse,
      after: best.after,
    });
    expect(applied.statusCode).toBe(200);
    const v = applied.json();
    expect(v.plan.travel).toEqual({ source: 'osrm' });
    const stop = (v.plan as Plan).routes
      .find((r) => r.vehicle === best.nurse)!
      .stops.find((s) => s.visit === 'roux-dressing')!;
    expect(stop.start).toBeCloseTo(best.start, 6);
    // The stored next problem is by lon/lat, as given: no matrices written into it.
    const stored = (await svc.store.getProblem('had-road', v1.planId, v.problem))!.problem;
    expect(stored.profiles).toBeUndefined();
    expect(stored.visits.find((x) => x.id === 'roux-dressing')!.location).toEqual(visit.location);
  });

  it('recommendations on a plan timed on roads wait for the routing service rather than mix models (503 E_ROUTING)', async () => {
    const v1 = (await post('/v1/plans?timeLimit=1&wait=30', day)).json();
    expect(v1.plan.travel).toEqual({ source: 'osrm' });
    osrm.failNext(100);
    try {
      const res = await post(`/v1/plans/${v1.planId}/recommendations`, {
        visit: {
          id: 'far',
          location: { lon: 3.2, lat: 50.7 },
          duration: 20,
          timeWindows: [{ start: 600, end: 900 }],
        },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.json()).toMatchObject({
        error: 'E_ROUTING',
        message: expect.stringMatching(/routing service/),
      });
    } finally {
      osrm.failNext(0);
    }
  });

  it('when the service fails, the plan is made on coordinates and says so', async () => {
    const moved = {
      ...day,
      visits: day.visits.map((v, i) => (i === 0 ? { ...v, location: { lon: 3.02, lat: 50.61 } } : v)),
    };
    osrm.failNext(100);
    try {
      const res = (await post('/v1/plans?timeLimit=1&wait=30', moved)).json();
      expect(res.status).toBe('solved');
      expect(res.plan.travel).toEqual({ source: 'coordinates' });
      expect(res.plan.warnings).toEqual([expect.objectContaining({ code: 'W_ROAD_FALLBACK' })]);
      expect(checkPlan(moved, res.plan).violations).toEqual([]);
    } finally {
      osrm.failNext(0);
    }
  });
});
