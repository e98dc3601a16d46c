import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createStop, solve, type ProblemInput } from '../../solver/index.ts';
import { checkPlan } from '../../solver/check/check-plan.ts';
import { roadPlaces } from '../../solver/model/road-places.ts';
import { startOsrmServer, type OsrmServer } from '../../fixtures/osrm/osrm-server.ts';
import { OsrmTable } from './osrm-table.ts';
import { MemoryRoadCache, RedisRoadCache } from './road-cache.ts';
import { notePlan, roadMatrices, withRoadTravel } from './road-matrices.ts';

const day = JSON.parse(
  readFileSync(new URL('../../fixtures/care/had-60n-600v.json', import.meta.url), 'utf8'),
) as ProblemInput;
const small = JSON.parse(
  readFileSync(new URL('../../fixtures/care/example-day.json', import.meta.url), 'utf8'),
) as ProblemInput;

let osrm: OsrmServer;
beforeAll(async () => {
  osrm = await startOsrmServer({ maxTableSize: 100 });
});
afterAll(() => osrm.close());

const fast = { retries: 2, backoffMs: 5, timeoutMs: 2000 };

describe('road matrices from an OSRM table service', () => {
  it('gives every pair the service measures, in the time unit, through Float32, and not symmetric', async () => {
    const table = new OsrmTable({ url: osrm.url, ...fast });
    const out = await roadMatrices(day, table, new MemoryRoadCache());
    if (out.kind !== 'road') throw new Error(out.kind);
    const { points } = out.places;
    const P = points.length;
    expect(P).toBeGreaterThan(600);
    const m = out.matrices.car;
    let asymmetric = 0;
    for (let i = 0; i < P; i += 7)
      for (let j = 0; j < P; j += 5) {
        const leg = osrm.leg(points[i], points[j])!;
        expect(m.durations[i * P + j]).toBe(Math.fround(leg.duration) / 60);
        expect(m.distances[i * P + j]).toBe(Math.fround(leg.distance));
        if (m.durations[i * P + j] !== m.durations[j * P + i]) asymmetric++;
      }
    expect(asymmetric).toBeGreaterThan(0);
    expect(out.warnings).toEqual([]);
    // Requests stay within the server's limit (it would answer TooBig) and bins are well filled.
    expect(out.stats.requests).toBeLessThan(Math.ceil(P / 70) ** 2);
  });

  it('a day solved again fetches nothing; one more place fetches its chunk row and column only', async () => {
    const table = new OsrmTable({ url: osrm.url, ...fast });
    const cache = new MemoryRoadCache();
    const cold = await roadMatrices(day, table, cache);
    const again = await roadMatrices(day, table, cache);
    if (cold.kind !== 'road' || again.kind !== 'road') throw new Error('no road');
    expect(again.stats.requests).toBe(0);
    expect(again.stats.fetchedBlocks).toBe(0);
    expect(again.matrices.car.durations).toEqual(cold.matrices.car.durations);

    const urgent: ProblemInput = {
      ...day,
      visits: [...day.visits, { ...day.visits[0], id: 'urgent', location: { lon: 3.0123, lat: 50.6543 } }],
    };
    const more = await roadMatrices(urgent, table, cache);
    if (more.kind !== 'road') throw new Error('no road');
    expect(more.stats.requests).toBeGreaterThan(0);
    expect(more.stats.requests).toBeLessThanOrEqual(2 * Math.ceil(cold.stats.requests ** 0.5) + 2);
    expect(more.stats.fetchedBlocks).toBeLessThan(cold.stats.fetchedBlocks / 5);
    const P = cold.places.keys.length;
    const Q = more.places.keys.length;
    for (let i = 0; i < P; i += 11)
      for (let j = 0; j < P; j += 13)
        expect(more.matrices.car.durations[i * Q + j]).toBe(cold.matrices.car.durations[i * P + j]);
  });

  it('in Redis: a second process (another cache object) fetches nothing', async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false });
    const prefix = `hhc-test-road-${process.pid}-${Date.now()}`;
    try {
      const table = new OsrmTable({ url: osrm.url, ...fast });
      const cold = await roadMatrices(small, table, new RedisRoadCache(redis, prefix, 60));
      const warm = await roadMatrices(small, table, new RedisRoadCache(redis, prefix, 60));
      if (cold.kind !== 'road' || warm.kind !== 'road') throw new Error('no road');
      expect(cold.stats.requests).toBeGreaterThan(0);
      expect(warm.stats.requests).toBe(0);
      expect(warm.matrices.car.distances).toEqual(cold.matrices.car.distances);
      const ttl = await redis.ttl((await redis.keys(`${prefix}:road:*`))[0]);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('splits a request the server finds too big (TooBig) and still gives every pair', async () => {
    const strict = await startOsrmServer({ maxTableSize: 25 });
    try {
      const table = new OsrmTable({ url: strict.url, maxTableSize: 40, ...fast });
      const out = await roadMatrices(day, table, new MemoryRoadCache());
      if (out.kind !== 'road') throw new Error(out.kind === 'fallback' ? out.warnings[0].message : 'none');
      expect(strict.stats.tooBig).toBeGreaterThan(0);
      const { points } = out.places;
      const P = points.length;
      for (let i = 0; i < P; i += 3)
        for (let j = 0; j < P; j += 7)
          expect(out.matrices.car.distances[i * P + j]).toBe(
            Math.fround(strict.leg(points[i], points[j])!.distance),
          );
    } finally {
      await strict.close();
    }
  });

  it('splits a request whose URL the server finds too long (HTTP 431)', async () => {
    const short = await startOsrmServer({ maxTableSize: 1000, maxHeaderBytes: 8 * 1024 });
    try {
      const table = new OsrmTable({ url: short.url, maxTableSize: 400, ...fast });
      const out = await roadMatrices(day, table, new MemoryRoadCache());
      if (out.kind !== 'road') throw new Error(out.kind === 'fallback' ? out.warnings[0].message : 'none');
      const { points } = out.places;
      const P = points.length;
      for (let i = 0; i < P; i += 5)
        for (let j = 0; j < P; j += 9)
          expect(out.matrices.car.durations[i * P + j]).toBe(
            Math.fround(short.leg(points[i], points[j])!.duration) / 60,
          );
    } finally {
      await short.close();
    }
  });

  it('retries transient failures, then falls back to coordinates with a warning', async () => {
    const table = new OsrmTable({ url: osrm.url, ...fast });
    osrm.failNext(2);
    const retried = await roadMatrices(small, table, new MemoryRoadCache());
    expect(retried.kind).toBe('road');

    osrm.failNext(50);
    const failed = await withRoadTravel(small, table, new MemoryRoadCache());
    osrm.failNext(0);
    expect(failed.problem).toBe(small);
    expect(failed.travel).toEqual({ source: 'coordinates' });
    expect(failed.warnings).toEqual([
      expect.objectContaining({
        code: 'W_ROAD_FALLBACK',
        message: expect.stringMatching(/HTTP 503|Error: injected/),
      }),
    ]);
  });

  it('a service that does not answer in time, or not at all, is a fallback, not a hang', async () => {
    osrm.delay(300);
    try {
      const slow = new OsrmTable({ url: osrm.url, timeoutMs: 50, retries: 1, backoffMs: 5 });
      const out = await roadMatrices(small, slow, new MemoryRoadCache());
      expect(out.kind).toBe('fallback');
      if (out.kind === 'fallback') expect(out.warnings[0].message).toMatch(/no answer within 50 ms/);
    } finally {
      osrm.delay(0);
    }
    const nobody = new OsrmTable({ url: 'http://127.0.0.1:9', retries: 0 });
    const out = await roadMatrices(small, nobody, new MemoryRoadCache());
    expect(out.kind).toBe('fallback');
  });

  it('estimates pairs no road joins, and says so', async () => {
    const island = roadPlaces(small)!.keys[3];
    const cut = await startOsrmServer({ islands: [island] });
    try {
      const out = await roadMatrices(small, new OsrmTable({ url: cut.url, ...fast }), new MemoryRoadCache());
      if (out.kind !== 'road') throw new Error(out.kind);
      expect(out.warnings).toEqual([expect.objectContaining({ code: 'W_ROAD_UNROUTABLE' })]);
      const P = out.places.keys.length;
      expect(out.warnings[0].message).toContain(`${2 * (P - 1)} pair(s)`);
      const m = out.matrices.car;
      for (let j = 0; j < P; j++) expect(Number.isFinite(m.durations[3 * P + j])).toBe(true);
      expect(m.durations[3 * P + 0]).toBeGreaterThan(0);
    } finally {
      await cut.close();
    }
  });

  it('leaves a problem by x/y or with its own matrices as it is', async () => {
    const table = new OsrmTable({ url: osrm.url, ...fast });
    const planar: ProblemInput = {
      nurses: [{ id: 'n', start: { x: 0, y: 0 } }],
      visits: [{ id: 'v', location: { x: 1, y: 1 } }],
    };
    expect((await roadMatrices(planar, table, new MemoryRoadCache())).kind).toBe('none');
    const before = osrm.stats.tables;
    const out = await withRoadTravel(planar, table, new MemoryRoadCache());
    expect(out).toEqual({ problem: planar, warnings: [] });
    expect(osrm.stats.tables).toBe(before);
  });

  it('a plan solved with road matrices passes the checker against the same matrices, and keeps its coordinates', async () => {
    const table = new OsrmTable({ url: osrm.url, ...fast });
    const road = await withRoadTravel(small, table, new MemoryRoadCache());
    expect(road.travel).toEqual({ source: 'osrm' });
    expect(road.problem.visits[0].location).toEqual({
      index: expect.any(Number),
      ...small.visits[0].location,
    });
    const { plan } = solve(road.problem, { seed: 1, stop: createStop({ iterations: 300 }) });
    const noted = notePlan(plan, road);
    expect(noted.travel).toEqual({ source: 'osrm' });
    expect(noted.warnings).toBeUndefined();
    const report = checkPlan(road.problem, noted);
    expect(report.violations).toEqual([]);
    // The same plan against the coordinate model does not match its times: the matrices were used.
    const crow = checkPlan(small, plan);
    expect(crow.recomputed.travelTime).not.toBeCloseTo(plan.summary.travelTime, 3);
    // A leg of the plan is the server's own time for it.
    const route = plan.routes.find((r) => r.stops.length > 0)!;
    const nurse = small.nurses.find((n) => n.id === route.vehicle)!;
    const first = small.visits.find((v) => v.id === route.stops[0].visit)!;
    const leg = osrm.leg(
      [(nurse.start as { lon: number }).lon, (nurse.start as { lat: number }).lat],
      [(first.location as { lon: number }).lon, (first.location as { lat: number }).lat],
    )!;
    expect(route.stops[0].arrival - route.departure).toBeCloseTo(Math.fround(leg.duration) / 60, 6);
  });
});
