import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CronExpressionParser } from 'cron-parser';
import { Type } from 'typebox';
import { upsertNightly } from '../../../service/nightly.ts';
import { NIGHTLY_DEFAULT } from '../../../service/solve-queue.ts';
import { requireRole } from '../../plugins/auth.ts';
import { NoQuery } from '../../schemas.ts';

const Schedule = Type.Object(
  {
    cron: Type.String({ minLength: 9, maxLength: 100, description: "cron pattern, e.g. '0 2 * * *'" }),
    timezone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: "IANA time zone, e.g. 'Europe/Paris'",
    }),
    timeLimit: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 3600,
        description: 'seconds of search per day (default 30)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The least difference between consecutive values of a cron field, counting the wrap to the next period. */
function leastStep(values: readonly number[], period: number): number {
  const v = [...new Set(values)].sort((a, b) => a - b);
  if (v.length < 2) return period;
  let least = period - v[v.length - 1] + v[0];
  for (let k = 1; k < v.length; k++) least = Math.min(least, v[k] - v[k - 1]);
  return least;
}

/**
 * A lower bound of the gap, in minutes, between two runs of a cron pattern, from its second,
 * minute and hour fields alone (no iteration over future runs, so no pattern can make it slow):
 * several seconds run within a minute, several minutes within an hour, else runs are at least
 * the least step between its hours apart. Throws on a pattern cron-parser refuses.
 */
export function shortestGapMinutes(cron: string, tz: string): number {
  const { fields } = CronExpressionParser.parse(cron, { tz });
  const seconds = fields.second.values as readonly number[];
  const minutes = fields.minute.values as readonly number[];
  if (new Set(seconds).size > 1) return leastStep(seconds, 60) / 60;
  if (new Set(minutes).size > 1) return leastStep(minutes, 60);
  return 60 * leastStep(fields.hour.values as readonly number[], 24);
}

/**
 * The tenant's nightly re-optimization: a cron pattern and time zone (BullMQ job scheduler), at
 * most every HHC_SCHEDULE_MIN_MINUTES (default 60) and with at most HHC_SCHEDULE_MAX_TIME_LIMIT
 * seconds of search per day (default 300).
 */
const schedule: FastifyPluginAsyncTypebox = async (app) => {
  const { queue, limits } = app.deps;
  const refuse = (pointer: string, code: string, message: string) => ({
    error: 'E_VALIDATION',
    message: 'the schedule is invalid',
    issues: [{ pointer, in: 'body', code, message }],
  });

  app.put('/schedule', { schema: { body: Schedule, querystring: NoQuery } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const { cron, timezone, timeLimit } = request.body;
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      return reply.code(400).send(refuse('/timezone', 'E_RANGE', `'${timezone}' is not an IANA time zone`));
    }
    let gap: number;
    try {
      gap = shortestGapMinutes(cron, timezone);
    } catch (e) {
      return reply.code(400).send(refuse('/cron', 'E_FORMAT', (e as Error).message));
    }
    if (gap < limits.scheduleMinMinutes)
      return reply
        .code(400)
        .send(
          refuse(
            '/cron',
            'E_LIMIT',
            `may run every ${gap < 1 ? `${Math.round(gap * 60)} seconds` : `${gap} minutes`}; at least ${limits.scheduleMinMinutes} minutes between runs (limit HHC_SCHEDULE_MIN_MINUTES)`,
          ),
        );
    if (timeLimit !== undefined && timeLimit > limits.scheduleMaxTimeLimit)
      return reply
        .code(400)
        .send(
          refuse(
            '/timeLimit',
            'E_LIMIT',
            `at most ${limits.scheduleMaxTimeLimit} seconds of search per day (limit HHC_SCHEDULE_MAX_TIME_LIMIT)`,
          ),
        );
    await upsertNightly(queue, principal.tenant, { pattern: cron, tz: timezone }, timeLimit);
    return { cron, timezone, timeLimit: timeLimit ?? 30 };
  });

  app.get('/schedule', { schema: { querystring: NoQuery } }, async (request, reply) => {
    const principal = requireRole(request, reply, 'coordinator');
    if (principal === null) return reply;
    const s = await queue.getJobScheduler(`nightly:${principal.tenant}`);
    if (s === undefined) return { cron: null, timezone: null, default: NIGHTLY_DEFAULT };
    return {
      cron: s.pattern ?? null,
      timezone: s.tz ?? null,
      every: s.every ?? null,
      next: s.next ? new Date(s.next).toISOString() : null,
    };
  });
};

export default schedule;
