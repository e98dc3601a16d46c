import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../service/api-keys.ts';
import { startTestService, type TestService } from './test-service.ts';

// What the web app reads besides the plans' routes: who the key is, the tenant's plans, a plan's
// problems, a nurse's day by date, a plan drawn as SVG, and the app itself at `/`.
let svc: TestService;
let app: FastifyInstance;
const keys: Record<string, string> = {};
const get = (url: string, who: string, accept?: string) =>
  app.inject({
    url,
    headers: { authorization: `Bearer ${keys[who]}`, ...(accept !== undefined && { accept }) },
  });
const day = JSON.parse(readFileSync(new URL('../fixtures/care/demo-day.json', import.meta.url), 'utf8'));
let dayPlan: string;
let otherPlan: string;

beforeAll(async () => {
  svc = await startTestService();
  app = await svc.app({ tiles: { url: 'https://tiles.example/{z}/{x}/{y}.png', attribution: '© OSM' } });
  keys.coordinator = await createApiKey(svc.redis, { tenant: 'had-web', role: 'coordinator' }, svc.prefix);
  keys.claire = await createApiKey(
    svc.redis,
    { tenant: 'had-web', role: 'nurse', nurse: 'claire' },
    svc.prefix,
  );
  keys.other = await createApiKey(svc.redis, { tenant: 'had-else', role: 'coordinator' }, svc.prefix);
  const put = await app.inject({
    method: 'PUT',
    url: '/v1/days/2026-12-07?timeLimit=1',
    payload: day,
    headers: { authorization: `Bearer ${keys.coordinator}` },
  });
  dayPlan = put.json().planId;
  const post = await app.inject({
    method: 'POST',
    url: '/v1/plans?timeLimit=1&wait=30',
    payload: day,
    headers: { authorization: `Bearer ${keys.coordinator}` },
  });
  otherPlan = post.json().planId;
  // The stored day solved too.
  for (let i = 0; i < 60 && (await svc.store.getRecord('had-web', dayPlan))!.versions === 0; i++)
    await new Promise((r) => setTimeout(r, 250));
});

afterAll(async () => {
  await app?.close();
  await svc?.close();
});

describe('the routes the web app reads', () => {
  it('GET /v1/me: the tenant, the role, a nurse key’s nurse, the map tiles', async () => {
    expect((await get('/v1/me', 'coordinator')).json()).toEqual({
      tenant: 'had-web',
      role: 'coordinator',
      map: { tileUrl: 'https://tiles.example/{z}/{x}/{y}.png', attribution: '© OSM' },
      routing: false,
    });
    expect((await get('/v1/me', 'claire')).json()).toMatchObject({ role: 'nurse', nurse: 'claire' });
    expect((await app.inject({ url: '/v1/me' })).statusCode).toBe(401);
  });

  it('GET /v1/plans: the tenant’s plans, newest first, a stored day named; another tenant sees none of them', async () => {
    const { plans } = (await get('/v1/plans', 'coordinator')).json();
    expect(plans.map((p: { planId: string }) => p.planId)).toEqual([otherPlan, dayPlan]);
    expect(plans[1]).toMatchObject({ day: '2026-12-07', versions: 1, createdAt: expect.any(String) });
    expect((await get('/v1/plans?limit=1', 'coordinator')).json().plans).toHaveLength(1);
    expect((await get('/v1/plans?limit=0', 'coordinator')).statusCode).toBe(400);
    expect((await get('/v1/plans', 'other')).json().plans).toEqual([]);
    expect((await get('/v1/plans', 'claire')).statusCode).toBe(403);
  });

  it('GET /v1/plans/:id/problems/:k: the problem a version solved, as stored', async () => {
    const res = await get(`/v1/plans/${otherPlan}/problems/1`, 'coordinator');
    expect(res.statusCode).toBe(200);
    expect(res.json().visits).toHaveLength(40);
    expect((await get(`/v1/plans/${otherPlan}/problems/2`, 'coordinator')).statusCode).toBe(404);
    expect((await get(`/v1/plans/${otherPlan}/problems/1`, 'other')).statusCode).toBe(404);
  });

  it('GET /v1/nurses/:id/route?date=: her day from the stored days, for her only', async () => {
    const res = await get('/v1/nurses/claire/route?date=2026-12-07&lang=fr', 'claire');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ planId: dayPlan, version: 1, nurse: 'claire', date: '2026-12-07' });
    expect(res.json().stops.length).toBeGreaterThan(0);
    expect(res.json().stops[0]).toMatchObject({
      address: expect.any(String),
      clock: { start: expect.stringMatching(/^\d\d:\d\d$/) },
    });
    expect((await get('/v1/nurses/claire/route?date=2026-12-06', 'claire')).statusCode).toBe(404);
    // The next day has no stored plan: not the day before's route.
    expect((await get('/v1/nurses/claire/route?date=2026-12-08', 'claire')).statusCode).toBe(404);
    expect((await get('/v1/nurses/hugo/route?date=2026-12-07', 'claire')).statusCode).toBe(403);
    expect((await get('/v1/nurses/claire/route?date=2026-12-07', 'coordinator')).statusCode).toBe(200);
  });

  it('a plan drawn as SVG (Accept: image/svg+xml)', async () => {
    const res = await get(`/v1/plans/${otherPlan}`, 'coordinator', 'image/svg+xml');
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.body).toMatch(/^<svg/);
  });

  it('the web app at / (built), its service worker, and the API untouched beside it', async () => {
    const index = await app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.body).toContain('<div id="app">');
    // Only the app's own scripts run: a name in a problem can never become code.
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect((await app.inject({ url: '/sw.js' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    // An unknown API path is the API's 404 (JSON), not the app's page.
    const unknown = await app.inject({ url: '/v1/nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/json/);
  });
});
