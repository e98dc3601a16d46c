import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../service/api-keys.ts';
import { startTestService, type TestService } from './test-service.ts';

// Real Redis and a worker, a queue and key prefix of this run's own.
let svc: TestService;
let app: FastifyInstance;
let coordinator: string;
const day = JSON.parse(readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'));
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  svc = await startTestService();
  app = await svc.app();
  coordinator = await createApiKey(svc.redis, { tenant: 'had-ical', role: 'coordinator' }, svc.prefix);
});

afterAll(async () => {
  await app?.close();
  await svc?.close();
});

describe("a nurse's calendar feed", () => {
  it('lists her stops of the stored days, read with her revocable calendar token in the URL', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: `/v1/days/${tomorrow}?timeLimit=1`,
      payload: day,
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(put.statusCode).toBe(202);
    const { jobId } = put.json();
    for (let k = 0; k < 200; k++) {
      const job = await app.inject({
        url: `/v1/jobs/${jobId}`,
        headers: { authorization: `Bearer ${coordinator}` },
      });
      if (job.json().state === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const plan = (
      await app.inject({
        url: `/v1/plans/${put.json().planId}`,
        headers: { authorization: `Bearer ${coordinator}` },
      })
    ).json().plan;
    const claire = plan.routes.find((r: { vehicle: string }) => r.vehicle === 'claire');
    expect(claire.stops.length).toBeGreaterThan(0);
    const token = await createApiKey(
      svc.redis,
      { tenant: 'had-ical', role: 'calendar', nurse: 'claire' },
      svc.prefix,
    );
    const feed = await app.inject({ url: `/v1/nurses/claire/calendar.ics?token=${token}` });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(feed.body).toMatch(/^BEGIN:VCALENDAR/);
    expect(feed.body.match(/BEGIN:VEVENT/g)?.length).toBe(claire.stops.length);
    // The first stop at the plan's start: the day's date, minutes after midnight UTC (no calendar in the problem).
    {
      const t = new Date(Date.parse(`${tomorrow}T00:00:00Z`) + claire.stops[0].start * 60_000);
      const stamp = t
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
      expect(feed.body).toContain(`DTSTART:${stamp}`);
    }
    // Only a calendar token travels in a URL: a coordinator's key there is refused.
    expect(
      (await app.inject({ url: `/v1/nurses/claire/calendar.ics?token=${coordinator}` })).statusCode,
    ).toBe(401);
    // Her token reads her feed only; another nurse's feed, any other route, a revoked token: no.
    expect((await app.inject({ url: `/v1/nurses/hugo/calendar.ics?token=${token}` })).statusCode).toBe(403);
    expect(
      (
        await app.inject({
          url: `/v1/plans/${put.json().planId}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    ).toBe(403);
    expect((await app.inject({ url: `/v1/plans/${put.json().planId}?token=${token}` })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/nurses/claire/calendar.ics' })).statusCode).toBe(401);
    // A coordinator reads any nurse's feed.
    expect(
      (
        await app.inject({
          url: '/v1/nurses/hugo/calendar.ics',
          headers: { authorization: `Bearer ${coordinator}` },
        })
      ).statusCode,
    ).toBe(200);
    expect(await revokeApiKey(svc.redis, token, svc.prefix)).toBe(true);
    expect((await app.inject({ url: `/v1/nurses/claire/calendar.ics?token=${token}` })).statusCode).toBe(401);
  });
});
