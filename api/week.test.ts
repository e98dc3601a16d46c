import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlan } from '../solver/check/check-plan.ts';
import type { Plan, ProblemInput } from '../solver/index.ts';
import { runNightlyScan } from '../service/nightly.ts';
import type { ScanJobData } from '../service/solve-queue.ts';
import { redisTenantSlots } from '../service/tenant-slots.ts';
import { createApiKey } from '../service/api-keys.ts';
import { startTestService, type TestService } from './test-service.ts';

const weekText = readFileSync(new URL('../fixtures/care/example-week.json', import.meta.url), 'utf8');
const week = JSON.parse(weekText) as ProblemInput;

let svc: TestService;
let app: FastifyInstance;
const keys: Record<string, string> = {};
const auth = (who: string) => ({ authorization: `Bearer ${keys[who]}` });

beforeAll(async () => {
  svc = await startTestService();
  app = await svc.app();
  keys.coordinator = await createApiKey(svc.redis, { tenant: 'had-lille', role: 'coordinator' }, svc.prefix);
  keys.sophie = await createApiKey(
    svc.redis,
    { tenant: 'had-lille', role: 'nurse', nurse: 'sophie' },
    svc.prefix,
  );
});
afterAll(async () => {
  await svc?.close();
});

describe('a week through the API', () => {
  let planId: string;
  let plan: Plan;

  it('plans a week with a horizon: nurse-days, clock times, continuity', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/plans?timeLimit=1&wait=30',
      payload: weekText,
      headers: { ...auth('coordinator'), 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    ({ planId, plan } = res.json());
    expect(plan.calendar?.timeZone).toBe('Europe/Paris');
    expect(checkPlan(week, plan).violations).toEqual([]);
    expect(
      new Set(plan.routes.filter((r) => r.vehicle === 'sophie').map((r) => r.date)).size,
    ).toBeGreaterThan(1);
    expect(plan.summary.continuity?.meanNurses).toBeGreaterThanOrEqual(1);
  });

  it('gives a nurse the day she asks for, in clock time with her time zone', async () => {
    const days = plan.routes.filter((r) => r.vehicle === 'sophie').map((r) => r.date!);
    const res = await app.inject({
      url: `/v1/plans/${planId}/nurses/sophie/route?date=${days[1]}`,
      headers: auth('sophie'),
    });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ nurse: 'sophie', date: days[1], timeZone: 'Europe/Paris' });
    expect(view.days).toEqual(days);
    const route = plan.routes.find((r) => r.vehicle === 'sophie' && r.date === days[1])!;
    expect(view.stops.map((s: { visit: string }) => s.visit)).toEqual(route.stops.map((s) => s.visit));
    expect(view.stops[0].clock.start).toBe(route.stops[0].startTime!.slice(11, 16));
    expect(view.departureClock).toMatch(/^\d{2}:\d{2}$/);
    // A day she does not work, or a malformed date.
    const off = await app.inject({
      url: `/v1/plans/${planId}/nurses/sophie/route?date=2026-12-12`,
      headers: auth('sophie'),
    });
    expect(off.statusCode).toBe(404);
    const bad = await app.inject({
      url: `/v1/plans/${planId}/nurses/sophie/route?date=2026-13-01`,
      headers: auth('sophie'),
    });
    expect(bad.statusCode).toBe(400);
  });

  it('re-plans in the middle of the week with date-times: past frozen, a nurse away two days', async () => {
    const changes = {
      now: '2026-12-09T11:00',
      absentNurses: [{ nurse: 'claire', from: '2026-12-09T11:00', to: '2026-12-11T00:00' }],
    };
    const res = await app.inject({
      method: 'POST',
      url: `/v1/plans/${planId}/reoptimize?timeLimit=1&wait=30`,
      payload: changes,
      headers: auth('coordinator'),
    });
    expect(res.statusCode).toBe(200);
    const v2 = res.json().plan as Plan;
    const nowT = 2 * 1440 + 660;
    const claire = v2.routes.filter((r) => r.vehicle === 'claire').flatMap((r) => r.stops);
    expect(claire.filter((s) => !s.frozen && s.start >= nowT && s.start < 4 * 1440)).toEqual([]);
    for (const s of plan.routes.flatMap((r) => r.stops).filter((x) => x.start < nowT))
      expect(v2.routes.flatMap((r) => r.stops).find((x) => x.visit === s.visit)).toMatchObject({
        start: s.start,
        frozen: true,
      });
    const unknown = await app.inject({
      method: 'POST',
      url: `/v1/plans/${planId}/reoptimize`,
      payload: { now: '2026-12-09T11:00', absentNurses: [{ nurse: 'zoe' }] },
      headers: auth('coordinator'),
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues[0].pointer).toBe('/absentNurses/0/nurse');
  });

  it('the nightly run re-solves a stored week from the time of the scan, against the plan nurses were told', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/days/2026-12-07?timeLimit=1',
      payload: weekText,
      headers: { ...auth('coordinator'), 'content-type': 'application/json' },
    });
    expect(put.statusCode).toBe(202);
    const dayPlan = put.json().planId as string;
    for (let k = 0; k < 300 && ((await svc.store.getRecord('had-lille', dayPlan))?.versions ?? 0) < 1; k++)
      await new Promise((r) => setTimeout(r, 100));
    const told = (await svc.store.getVersion('had-lille', dayPlan))!.plan;
    const slots = redisTenantSlots(svc.redis, {
      prefix: svc.prefix,
      jobKeyPrefix: svc.queue.toKey(''),
      limits: { maxQueued: 100, maxRunning: 2 },
    });
    const scan = {
      id: 'scan-1',
      timestamp: 1,
      data: { kind: 'nightly-scan', tenant: 'had-lille', timeLimit: 1 },
    } as Job<ScanJobData>;
    // Wednesday 02:00 in Paris: Monday and Tuesday are past.
    const at = new Date('2026-12-09T01:00:00Z');
    const first = await runNightlyScan(scan, { store: svc.store, queue: svc.queue, slots }, at);
    expect(first.scheduled).toBeGreaterThanOrEqual(1);
    // The same scan run again queues nothing twice.
    const again = await runNightlyScan(scan, { store: svc.store, queue: svc.queue, slots }, at);
    expect(again.scheduled).toBe((first.scheduled ?? 0) - 1);
    for (let k = 0; k < 300 && ((await svc.store.getRecord('had-lille', dayPlan))?.versions ?? 0) < 2; k++)
      await new Promise((r) => setTimeout(r, 100));
    const v2 = (await svc.store.getVersion('had-lille', dayPlan))!;
    const problem = (await svc.store.getProblem('had-lille', dayPlan, v2.problem))!.problem as ProblemInput;
    expect(problem.previousPlan?.routes.length).toBe(told.routes.length);
    expect(checkPlan(problem, v2.plan).violations).toEqual([]);
    const past = told.routes.filter((r) => r.date! < '2026-12-09').flatMap((r) => r.stops);
    for (const s of past)
      expect(v2.plan.routes.flatMap((r) => r.stops).find((x) => x.visit === s.visit)).toMatchObject({
        start: s.start,
        frozen: true,
      });
  });
});
