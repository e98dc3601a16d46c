import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The in-memory service's demo (docs/web.md): fixtures/care/demo-day.json (five nurses and forty
 * visits around Lille) dated today in its time zone, stored as today's day and solved, so that the
 * web app opens on a planned board. Answers the day's plan id, or null when it could not be stored.
 */
export async function seedDemoDay(
  app: FastifyInstance,
  root: string,
  coordinatorKey: string,
): Promise<string | null> {
  const day = JSON.parse(readFileSync(join(root, 'fixtures', 'care', 'demo-day.json'), 'utf8')) as {
    date: string;
    timeZone: string;
  };
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: day.timeZone }).format(new Date());
  const res = await app.inject({
    method: 'PUT',
    url: `/v1/days/${today}?timeLimit=3`,
    headers: { authorization: `Bearer ${coordinatorKey}` },
    payload: { ...day, date: today },
  });
  return res.statusCode === 202 ? (res.json() as { planId: string }).planId : null;
}
