import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SolveQueue } from '../service/solve-queue.ts';
import { startTestService, type TestService } from './test-service.ts';
import { checkPlan } from '../solver/check/check-plan.ts';
import { applyChanges, type Plan } from '../solver/index.ts';
import { upsertNightly } from '../service/nightly.ts';
import { DEFAULT_SERVICE_LIMITS } from './limits.ts';
import { createApiKey, revokeApiKey } from '../service/api-keys.ts';

// Real Redis (127.0.0.1:6379 here and in CI), a queue and key prefix of this run's own.
let svc: TestService;
let run: string;
let prefix: string;
const day = JSON.parse(readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'));
const big = JSON.parse(readFileSync(new URL('../fixtures/care/had-60n-600v.json', import.meta.url), 'utf8'));

let redis: Redis;
const store = () => svc.store;
let queue: SolveQueue;
let app: FastifyInstance;
let coordinator: string;
let otherTenant: string;
let nurse: string;

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const until = async <T>(f: () => Promise<T>, ok: (x: T) => boolean, ms = 20_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const x = await f();
    if (ok(x) || Date.now() > end) return x;
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  svc = await startTestService();
  ({ run, prefix, redis, queue } = svc);
  app = await svc.app();
  coordinator = await createApiKey(redis, { tenant: 'had-lille', role: 'coordinator' }, prefix);
  otherTenant = await createApiKey(redis, { tenant: 'had-roubaix', role: 'coordinator' }, prefix);
  nurse = await createApiKey(redis, { tenant: 'had-lille', role: 'nurse', nurse: 'claire' }, prefix);
});

afterAll(async () => {
  await app?.close();
  await svc?.close();
});

describe('API with a worker on real Redis', () => {
  it('answers health and readiness', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/readyz' })).json()).toMatchObject({ redis: 'up' });
  });

  it('refuses requests without a valid key, and coordinator routes to a nurse', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/plans', payload: day })).statusCode).toBe(401);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: day,
      headers: auth('hhc_nope'),
    });
    expect(bad.statusCode).toBe(401);
    const asNurse = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: day,
      headers: auth(nurse),
    });
    expect(asNurse.statusCode).toBe(403);
  });

  it('a revoked key is refused', async () => {
    const key = await createApiKey(redis, { tenant: 'had-lille', role: 'coordinator' }, prefix);
    expect((await app.inject({ url: '/v1/jobs/12345', headers: auth(key) })).statusCode).toBe(404);
    expect(await revokeApiKey(redis, key, prefix)).toBe(true);
    expect((await app.inject({ url: '/v1/jobs/12345', headers: auth(key) })).statusCode).toBe(401);
    const stored = await redis.keys(`${prefix}:key:*`);
    expect(stored.some((k) => k.includes(key))).toBe(false); // only hashes are stored
  });

  it('answers 400 with a JSON pointer to each bad field', async () => {
    const broken = structuredClone(day);
    broken.visits[0].timeWindows[0].end = 10;
    broken.dependencies[0].after = 'ghost';
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=1',
      payload: broken,
      headers: auth(coordinator),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { pointer: string }) => i.pointer)).toEqual(
      expect.arrayContaining(['/visits/0/timeWindows/0/end', '/dependencies/0/after']),
    );
    const shape = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: { nurses: [] },
      headers: auth(coordinator),
    });
    expect(shape.statusCode).toBe(400);
    expect(
      shape
        .json()
        .issues.map((i: { pointer: string }) => i.pointer)
        .sort(),
    ).toEqual(['/nurses', '/visits']);
    const query = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=-3',
      payload: day,
      headers: auth(coordinator),
    });
    expect(query.statusCode).toBe(400);
    expect(query.json().issues.map((i: { pointer: string }) => i.pointer)).toEqual(['?/timeLimit']);
    const notJson = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: '{"nurses": [',
      headers: { ...auth(coordinator), 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toBeDefined();
  });

  it('submit → job → plan, with ?wait; the plan is readable by id and version', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=1&wait=30',
      payload: day,
      headers: auth(coordinator),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ version: 1, status: 'solved' });
    expect(body.plan.summary.unassigned).toBe(0);
    const got = await app.inject({ url: `/v1/plans/${body.planId}`, headers: auth(coordinator) });
    expect(got.json()).toMatchObject({
      planId: body.planId,
      version: 1,
      job: { state: 'completed', version: 1 },
    });
    expect(got.json().plan).toEqual(body.plan);
    const v1 = await app.inject({ url: `/v1/plans/${body.planId}/versions/1`, headers: auth(coordinator) });
    expect(v1.json().plan).toEqual(body.plan);
  });

  it('re-optimize: a nurse falls ill and an urgent visit comes in; started stops stay, a new version says what moved', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=1&wait=30',
      payload: day,
      headers: auth(coordinator),
    });
    const v1 = first.json();
    const now = 600;
    const changes = {
      now,
      absentNurses: [{ nurse: 'hugo', from: now }],
      newVisits: [
        {
          id: 'urgent-fall',
          patient: 'durand',
          location: { lon: 3.06, lat: 50.64 },
          duration: 20,
          skills: ['RN'],
          timeWindows: [{ start: 600, end: 720 }],
        },
      ],
    };
    const res = await app.inject({
      method: 'POST',
      url: `/v1/plans/${v1.planId}/reoptimize?timeLimit=1&wait=30`,
      payload: changes,
      headers: auth(coordinator),
    });
    expect(res.statusCode).toBe(200);
    const v2 = res.json();
    expect(v2.version).toBe(2);
    const problem = applyChanges(day, v1.plan, changes);
    expect(checkPlan(problem, v2.plan).violations).toEqual([]);
    const stopsOf = (plan: Plan) =>
      plan.routes.flatMap((r) => r.stops.map((s) => ({ ...s, nurse: r.vehicle })));
    for (const s of stopsOf(v1.plan).filter((x) => x.start < now))
      expect(stopsOf(v2.plan)).toContainEqual(
        expect.objectContaining({ visit: s.visit, nurse: s.nurse, start: s.start, frozen: true }),
      );
    expect(stopsOf(v2.plan).filter((s) => s.nurse === 'hugo' && !s.frozen)).toEqual([]);
    expect(stopsOf(v2.plan).map((s) => s.visit)).toContain('urgent-fall');
    const hugoLater = stopsOf(v1.plan)
      .filter((s) => s.nurse === 'hugo' && s.start >= now)
      .map((s) => s.visit);
    expect(v2.changes.moved.map((m: { visit: string }) => m.visit).sort()).toEqual(
      expect.arrayContaining(hugoLater),
    );
    expect(v2.changes.added).toContain('urgent-fall');
    const old = await app.inject({ url: `/v1/plans/${v1.planId}/versions/1`, headers: auth(coordinator) });
    expect(old.json().plan).toEqual(v1.plan); // older versions stay readable
  });

  it('re-optimize refuses changes naming an unknown nurse or visit (400 with the pointer) and makes no version', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=1&wait=30',
      payload: day,
      headers: auth(coordinator),
    });
    const { planId } = first.json();
    const known = day.visits[0].id as string;
    const cases: [object, string, string][] = [
      [{ now: 600, absentNurses: [{ nurse: 'bob', from: 600 }] }, '/absentNurses/0/nurse', 'E_UNKNOWN_REF'],
      [{ now: 600, cancelledVisits: [known, 'nope'] }, '/cancelledVisits/1', 'E_UNKNOWN_REF'],
      [{ now: 600, overruns: [{ visit: 'nope', end: 700 }] }, '/overruns/0/visit', 'E_UNKNOWN_REF'],
      [
        { now: 600, newVisits: [{ id: known, location: { lon: 3.06, lat: 50.64 }, duration: 10 }] },
        '/newVisits/0/id',
        'E_DUPLICATE_ID',
      ],
    ];
    for (const [changes, pointer, code] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: `/v1/plans/${planId}/reoptimize?timeLimit=1&wait=5`,
        payload: changes,
        headers: auth(coordinator),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().issues).toEqual([expect.objectContaining({ pointer, code, in: 'body' })]);
    }
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/v1/plans/${planId}/reoptimize`,
          payload: cases[0][0],
          headers: auth(coordinator),
        })
      ).json().issues[0].message,
    ).toMatch(/no nurse with id 'bob'/);
    const got = await app.inject({ url: `/v1/plans/${planId}`, headers: auth(coordinator) });
    expect(got.json().version).toBe(1);
  });

  it('re-optimize takes where a nurse is and pins: she goes on from there, the pinned visit goes to its nurse', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=1&wait=30',
      payload: day,
      headers: auth(coordinator),
    });
    const v1 = first.json();
    const later = v1.plan.routes
      .flatMap((r: { vehicle: string; stops: { visit: string; start: number }[] }) =>
        r.stops.map((s) => ({ ...s, nurse: r.vehicle })),
      )
      .filter((s: { start: number }) => s.start >= 660);
    const target = later[0];
    const other = day.nurses.map((n: { id: string }) => n.id).find((n: string) => n !== target.nurse);
    const location = { lon: 3.07, lat: 50.63 };
    const changes = {
      now: 600,
      positions: [{ nurse: 'claire', location }],
      pins: [{ visit: target.visit, nurse: other }],
    };
    const res = await app.inject({
      method: 'POST',
      url: `/v1/plans/${v1.planId}/reoptimize?timeLimit=1&wait=30`,
      payload: changes,
      headers: auth(coordinator),
    });
    expect(res.statusCode).toBe(200);
    const problem = applyChanges(day, v1.plan, changes);
    expect(problem.nurses.find((n: { id: string }) => n.id === 'claire')!.position!.location).toEqual(
      location,
    );
    expect(checkPlan(problem, res.json().plan).violations).toEqual([]);
    const route = res
      .json()
      .plan.routes.find((r: { stops: { visit: string }[] }) => r.stops.some((s) => s.visit === target.visit));
    expect(route.vehicle).toBe(other);
    const bad = await app.inject({
      method: 'POST',
      url: `/v1/plans/${v1.planId}/reoptimize`,
      payload: { now: 600, pins: [{ visit: 'nope', nurse: 'claire' }] },
      headers: auth(coordinator),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0]).toMatchObject({ pointer: '/pins/0/visit', code: 'E_UNKNOWN_REF' });
  });

  it('an Idempotency-Key makes a retried submission return the same plan and job', async () => {
    const headers = { ...auth(coordinator), 'idempotency-key': `retry-${run}` };
    const a = await app.inject({ method: 'POST', url: '/v1/plans?timeLimit=1', payload: day, headers });
    const b = await app.inject({ method: 'POST', url: '/v1/plans?timeLimit=1', payload: day, headers });
    expect(a.statusCode).toBe(202);
    expect(b.json().planId).toBe(a.json().planId);
    expect(b.json().jobId).toBe(a.json().jobId);
    expect(await queue.getJobCounts()).toBeDefined();
  });

  it('cancel: the solver stops, the best plan so far is kept and marked cancelled', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=60',
      payload: big,
      headers: auth(coordinator),
    });
    const { planId, jobId } = res.json();
    await until(
      () => queue.getJob(jobId).then((j) => j?.getState()),
      (s) => s === 'active',
    );
    await until(
      () => queue.getJob(jobId).then((j) => j?.progress),
      (p) => typeof p === 'object',
    );
    const t0 = Date.now();
    const del = await app.inject({ method: 'DELETE', url: `/v1/jobs/${jobId}`, headers: auth(coordinator) });
    expect(del.statusCode).toBe(202);
    const view = await until(
      () => app.inject({ url: `/v1/jobs/${jobId}`, headers: auth(coordinator) }).then((r) => r.json()),
      (v) => v.state === 'cancelled',
    );
    expect(view.state).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(10_000);
    const plan = await app.inject({ url: `/v1/plans/${planId}`, headers: auth(coordinator) });
    expect(plan.json()).toMatchObject({ status: 'cancelled', version: 1 });
    expect(plan.json().plan.routes.length).toBeGreaterThan(0);
  });

  it('another tenant finds nothing: plans and jobs answer 404', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=1&wait=30',
      payload: day,
      headers: auth(coordinator),
    });
    const { planId, jobId } = res.json();
    for (const [method, url] of [
      ['GET', `/v1/plans/${planId}`],
      ['GET', `/v1/plans/${planId}/versions/1`],
      ['GET', `/v1/jobs/${jobId}`],
      ['DELETE', `/v1/jobs/${jobId}`],
      ['GET', `/v1/jobs/${jobId}/events`],
    ] as const)
      expect((await app.inject({ method, url, headers: auth(otherTenant) })).statusCode).toBe(404);
  });

  it('a stored day gets the nightly scheduler; a scheduled run re-optimizes it into a new version', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/days/2099-01-05?timeLimit=1',
      payload: day,
      headers: auth(coordinator),
    });
    expect(put.statusCode).toBe(202);
    const { planId } = put.json();
    const schedule = await app.inject({ url: '/v1/schedule', headers: auth(coordinator) });
    expect(schedule.json()).toMatchObject({ cron: '0 2 * * *', timezone: 'Europe/Paris' });
    const badCron = await app.inject({
      method: 'PUT',
      url: '/v1/schedule',
      payload: { cron: 'every day at 2', timezone: 'Europe/Paris' },
      headers: auth(coordinator),
    });
    expect(badCron.statusCode).toBe(400);
    const badZone = await app.inject({
      method: 'PUT',
      url: '/v1/schedule',
      payload: { cron: '0 3 * * *', timezone: 'Mars/Olympus' },
      headers: auth(coordinator),
    });
    expect(badZone.json().issues[0].pointer).toBe('/timezone');
    const set = await app.inject({
      method: 'PUT',
      url: '/v1/schedule',
      payload: { cron: '30 1 * * *', timezone: 'America/Cayenne' },
      headers: auth(coordinator),
    });
    expect(set.statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/schedule', headers: auth(coordinator) })).json()).toMatchObject({
      cron: '30 1 * * *',
      timezone: 'America/Cayenne',
    });
    await until(
      () => store().getRecord('had-lille', planId),
      (r) => (r?.versions ?? 0) >= 1,
    );
    // A scheduler firing every second stands in for 02:00 so the run happens within the test.
    await upsertNightly(queue, 'had-lille', { every: 1000 }, 1);
    const record = await until(
      () => store().getRecord('had-lille', planId),
      (r) => (r?.versions ?? 0) >= 2,
      30_000,
    );
    await queue.removeJobScheduler('nightly:had-lille');
    expect(record?.versions).toBeGreaterThanOrEqual(2);
    const v2 = await app.inject({ url: `/v1/plans/${planId}/versions/2`, headers: auth(coordinator) });
    const job = await queue.getJob(v2.json().jobId);
    expect(job?.data.kind).toBe('nightly');
  });

  it('server-sent events follow a job: progress with the best cost, then done', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=3',
      payload: big,
      headers: auth(coordinator),
    });
    const events = await app.inject({
      url: `/v1/jobs/${res.json().jobId}/events`,
      headers: auth(coordinator),
    });
    expect(events.headers['content-type']).toContain('text/event-stream');
    expect(events.body).toContain('event: done');
    expect(events.body).toContain('event: progress');
    expect(events.body).toMatch(/"bestCost":\d/);
    expect(events.body).toContain('"state":"completed"');
  });
});

describe('OpenAPI and limits', () => {
  it('publishes an OpenAPI document of the routes and a docs page', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/v1/plans',
      '/v1/plans/{id}',
      '/v1/jobs/{id}',
      '/v1/plans/{id}/reoptimize',
      '/v1/plans/{id}/nurses/{nurseId}/route',
      '/v1/days/{date}',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);
  });

  it('limits the rate per API key and refuses bodies over the size limit', async () => {
    const limited = await svc.app({ limits: { ...DEFAULT_SERVICE_LIMITS, requestsPerMinute: 3 } });
    // A key of its own: the other tests' requests count against theirs.
    const fresh = await createApiKey(redis, { tenant: 'had-lille', role: 'coordinator' }, prefix);
    const codes = [];
    for (let k = 0; k < 5; k++)
      codes.push((await limited.inject({ url: '/v1/jobs/12345', headers: auth(fresh) })).statusCode);
    expect(codes).toEqual([404, 404, 404, 429, 429]);
    const small = await svc.app({ limits: { ...DEFAULT_SERVICE_LIMITS, bodyBytes: 1000 } });
    const res = await small.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: big,
      headers: auth(coordinator),
    });
    expect(res.statusCode).toBe(413);
  });
});
