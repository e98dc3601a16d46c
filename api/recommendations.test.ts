import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../service/api-keys.ts';
import { checkPlan } from '../solver/check/check-plan.ts';
import type { Plan } from '../solver/index.ts';
import { startTestService, type TestService } from './test-service.ts';

// Real Redis and a worker, a queue and key prefix of this run's own.
let svc: TestService;
let app: FastifyInstance;
let coordinator: string;
let nurse: string;
const day = JSON.parse(readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'));
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const post = (url: string, payload: object, key = coordinator) =>
  app.inject({ method: 'POST', url, payload, headers: auth(key) });
const discharge = {
  id: 'roux-dressing',
  patient: 'roux',
  location: { lon: 3.1, lat: 50.65 },
  duration: 30,
  skills: ['RN'],
  timeWindows: [{ start: 600, end: 780 }],
};

beforeAll(async () => {
  svc = await startTestService();
  app = await svc.app();
  coordinator = await createApiKey(svc.redis, { tenant: 'had-reco', role: 'coordinator' }, svc.prefix);
  nurse = await createApiKey(svc.redis, { tenant: 'had-reco', role: 'nurse', nurse: 'claire' }, svc.prefix);
});

afterAll(async () => {
  await app?.close();
  await svc?.close();
});

describe('recommendations through the API', () => {
  it('where a new patient fits, best first; the option applied is a new version the checker accepts', async () => {
    const v1 = (await post('/v1/plans?timeLimit=1&wait=30', day)).json();
    expect(v1.version).toBe(1);
    const res = await post(`/v1/plans/${v1.planId}/recommendations`, { visit: discharge, count: 3 });
    expect(res.statusCode).toBe(200);
    const found = res.json();
    expect(found).toMatchObject({ planId: v1.planId, version: 1, visit: 'roux-dressing' });
    expect(found.options.length).toBeGreaterThan(0);
    const best = found.options[0];
    expect(best).toMatchObject({ rank: 1, nurse: expect.any(String), start: expect.any(Number) });

    const applied = await post(`/v1/plans/${v1.planId}/recommendations/apply?wait=30`, {
      version: 1,
      visit: discharge,
      nurse: best.nurse,
      after: best.after,
    });
    expect(applied.statusCode).toBe(200);
    const v2 = applied.json();
    expect(v2).toMatchObject({
      version: 2,
      status: 'solved',
      changes: { added: ['roux-dressing'], moved: [] },
    });
    const stop = (v2.plan as Plan).routes
      .find((r) => r.vehicle === best.nurse)!
      .stops.find((s) => s.visit === 'roux-dressing')!;
    expect(stop.start).toBeCloseTo(best.start, 6);
    expect(v2.plan.summary.cost - v1.plan.summary.cost).toBeCloseTo(best.costChange, 6);
    const problem = (await svc.store.getProblem('had-reco', v1.planId, v2.problem))!.problem;
    expect(problem.visits.find((v) => v.id === 'roux-dressing')!.pinned).toEqual({
      nurse: best.nurse,
      start: best.start,
    });
    expect(checkPlan(problem, v2.plan).violations).toEqual([]);

    // The version as a spreadsheet and as GeoJSON (docs/formats.md).
    const csv = await app.inject({
      url: `/v1/plans/${v1.planId}`,
      headers: { ...auth(coordinator), accept: 'text/csv' },
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/^status,nurse,/);
    expect(csv.body).toContain('roux-dressing');
    const geo = await app.inject({
      url: `/v1/plans/${v1.planId}/versions/1`,
      headers: { ...auth(coordinator), accept: 'application/geo+json' },
    });
    expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(geo.json().type).toBe('FeatureCollection');

    // The option was computed on version 1: applying it again is refused.
    const stale = await post(`/v1/plans/${v1.planId}/recommendations/apply`, {
      version: 1,
      visit: { ...discharge, id: 'other' },
      nurse: best.nurse,
      after: best.after,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'E_STALE_VERSION', latest: 2 });
    // Version 2 serves it: asking for it again names it as planned.
    const again = await post(`/v1/plans/${v1.planId}/recommendations`, { visit: 'roux-dressing' });
    expect(again.statusCode).toBe(409);
    expect(again.json().issues).toEqual([expect.objectContaining({ pointer: '/visit', code: 'E_CONFLICT' })]);

    // Slots to book a second visit, best first.
    const slots = await post(`/v1/plans/${v1.planId}/recommendations`, {
      visit: { ...discharge, id: 'roux-check', timeWindows: undefined },
      slots: { length: 120, step: 60 },
      count: 4,
    });
    expect(slots.statusCode).toBe(200);
    expect(slots.json()).toMatchObject({ version: 2, visit: 'roux-check', tried: expect.any(Number) });
    const offers = slots.json().slots;
    expect(offers.length).toBeGreaterThan(0);
    const slot = offers[0];
    const booked = await post(`/v1/plans/${v1.planId}/recommendations/apply?wait=30`, {
      version: 2,
      visit: { ...discharge, id: 'roux-check', timeWindows: undefined },
      nurse: slot.option.nurse,
      after: slot.option.after,
      window: { start: slot.start, end: slot.end },
    });
    expect(booked.statusCode).toBe(200);
    const v3 = booked.json();
    const problem3 = (await svc.store.getProblem('had-reco', v1.planId, v3.problem))!.problem;
    expect(checkPlan(problem3, v3.plan).violations).toEqual([]);
  });

  it('two options applied at once on one version: the second waits for the first to be written (409), none is lost', async () => {
    const v1 = (await post('/v1/plans?timeLimit=1&wait=30', day)).json();
    const url = `/v1/plans/${v1.planId}/recommendations`;
    const a = { ...discharge, id: 'first' };
    const b = { ...discharge, id: 'second' };
    const optionOf = async (visit: object) => (await post(url, { visit, count: 1 })).json().options[0];
    const [oa, ob] = [await optionOf(a), await optionOf(b)];
    const first = await post(`${url}/apply`, { version: 1, visit: a, nurse: oa.nurse, after: oa.after });
    expect(first.statusCode).toBe(202);
    const second = await post(`${url}/apply`, { version: 1, visit: b, nurse: ob.nurse, after: ob.after });
    // The first is queued or running (409 E_PLAN_BUSY), or already written (409 E_STALE_VERSION).
    expect(second.statusCode).toBe(409);
    expect(['E_PLAN_BUSY', 'E_STALE_VERSION']).toContain(second.json().error);
    const job = first.json().jobId;
    for (let k = 0; k < 200; k++) {
      const state = (await app.inject({ url: `/v1/jobs/${job}`, headers: auth(coordinator) })).json().state;
      if (state === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const latest = (await app.inject({ url: `/v1/plans/${v1.planId}`, headers: auth(coordinator) })).json();
    expect(latest.version).toBe(2);
    expect(latest.plan.routes.flatMap((r: Plan['routes'][number]) => r.stops.map((s) => s.visit))).toContain(
      'first',
    );
  });

  it("a patient's recurring need in a week plan: options, one applied as a version the checker accepts", async () => {
    const week = JSON.parse(
      readFileSync(new URL('../fixtures/care/example-week.json', import.meta.url), 'utf8'),
    );
    const v1 = (await post('/v1/plans?timeLimit=1&wait=30', week)).json();
    expect(v1.version).toBe(1);
    const need = {
      patient: 'p-roux',
      care: {
        id: 'dressing',
        per: 'week',
        times: 2,
        minDaysApart: 2,
        window: { start: '08:00', end: '12:00' },
        duration: 30,
      },
    };
    const url = `/v1/plans/${v1.planId}/recommendations`;
    const found = await post(url, { need, count: 2 });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ version: 1, patient: 'p-roux', visits: expect.any(Array) });
    const best = found.json().options[0];
    const applied = await post(`${url}/apply?wait=30`, { version: 1, need, first: best.first });
    expect(applied.statusCode).toBe(200);
    const v2 = applied.json();
    expect(v2.changes.added.sort()).toEqual(best.placements.map((p: { visit: string }) => p.visit).sort());
    // Each visit where the option said.
    for (const p of best.placements as { visit: string; nurse: string; start: number }[]) {
      const route = (v2.plan as Plan).routes.find((r) => r.stops.some((s) => s.visit === p.visit))!;
      expect(route.vehicle).toBe(p.nurse);
      expect(route.stops.find((s) => s.visit === p.visit)!.start).toBeCloseTo(p.start, 6);
    }
    const problem = (await svc.store.getProblem('had-reco', v1.planId, v2.problem))!.problem;
    expect(checkPlan(problem, v2.plan).violations).toEqual([]);
    // The week replayed on sampled days (the fixture has no spread: every visit keeps its window).
    const sim = await app.inject({
      url: `/v1/plans/${v1.planId}/simulation?scenarios=50&seed=3`,
      headers: auth(coordinator),
    });
    expect(sim.statusCode).toBe(200);
    expect(sim.json()).toMatchObject({ version: 2, scenarios: 50, seed: 3, onTimeRate: 1 });
    expect(sim.json().visits.length).toBeGreaterThan(0);
    const badQuery = await app.inject({
      url: `/v1/plans/${v1.planId}/simulation?scenarios=0`,
      headers: auth(coordinator),
    });
    expect(badQuery.statusCode).toBe(400);
    const bad = await post(url, { need: { ...need, care: { ...need.care, per: 'month' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([expect.objectContaining({ pointer: '/need/care/per' })]);
    const neither = await post(url, { count: 2 });
    expect(neither.statusCode).toBe(400);
  });

  it('refuses with a pointer: a bad visit, an unknown one, a bad count; 404 and 403 as for other plan routes', async () => {
    const v1 = (await post('/v1/plans?timeLimit=1&wait=30', day)).json();
    const url = `/v1/plans/${v1.planId}/recommendations`;
    const bad = await post(url, { visit: { ...discharge, duration: -5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([
      expect.objectContaining({ pointer: '/visit/duration', code: 'E_RANGE' }),
    ]);
    const unknown = await post(url, { visit: 'nobody' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues).toEqual([
      expect.objectContaining({ pointer: '/visit', code: 'E_UNKNOWN_REF' }),
    ]);
    expect((await post(url, { visit: 'x', count: 0 })).statusCode).toBe(400);
    expect((await post(url, { visit: discharge, slots: { length: 0 } })).statusCode).toBe(400);
    const missing = await post(`/v1/plans/00000000-0000-4000-8000-000000000000/recommendations`, {
      visit: 'x',
    });
    expect(missing.statusCode).toBe(404);
    expect((await post(url, { visit: discharge }, nurse)).statusCode).toBe(403);
    const ghost = await post(`${url}/apply`, { version: 1, visit: discharge, nurse: 'ghost', after: null });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json().issues).toEqual([
      expect.objectContaining({ pointer: '/nurse', code: 'E_UNKNOWN_REF' }),
    ]);
    const reversed = await post(`${url}/apply`, {
      version: 1,
      visit: 'dupont-insulin-am',
      nurse: 'claire',
      after: null,
      window: { start: 700, end: 600 },
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().issues).toEqual([
      expect.objectContaining({ pointer: '/window/end', code: 'E_WINDOW_ORDER' }),
    ]);
  });
});
